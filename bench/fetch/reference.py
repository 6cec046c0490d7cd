#!/usr/bin/env python3
"""reference.py - the reference study's way of downloading issues, for comparison.

What the study's throw-away scripts did (see DESIGN.md): list the closed
issues with the repository issues endpoint (pull requests come mixed in and
are dropped), then ask for each issue's timeline once, unpaginated (the first
100 events), hold everything in memory, and write one JSON file at the end.
No rate-limit handling, no retries: a failure loses everything.

It is given a fair chance: one kept-alive connection (http.client), like
issuemine's.

  reference.py API_URL OWNER/NAME OUT.json
"""

import http.client
import json
import re
import sys
import urllib.parse


def main():
    api, repo, out = sys.argv[1:4]
    url = urllib.parse.urlsplit(api)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80)
    headers = {"Accept": "application/vnd.github+json", "User-Agent": "reference-script"}
    requests = 0

    def get(path):
        nonlocal requests
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        requests += 1
        if r.status != 200:
            raise SystemExit("GET %s: %d" % (path, r.status))
        return json.loads(body), r.getheader("Link") or ""

    issues = []
    path = "%s/repos/%s/issues?state=closed&per_page=100" % (url.path, repo)
    while path:
        page, link = get(path)
        issues += [i for i in page if "pull_request" not in i]
        m = re.search(r'<([^>]+)>;\s*rel="next"', link)
        path = None
        if m:
            nxt = urllib.parse.urlsplit(m.group(1))
            path = nxt.path + "?" + nxt.query
    for issue in issues:
        timeline, _ = get("%s/repos/%s/issues/%d/timeline?per_page=100"
                          % (url.path, repo, issue["number"]))
        issue["timeline"] = timeline
    with open(out, "w") as f:
        json.dump(issues, f)
    print(json.dumps({"requests": requests, "issues": len(issues),
                      "events": sum(len(i["timeline"]) for i in issues)}))


if __name__ == "__main__":
    main()
