#!/usr/bin/env python3
"""reference.py - a straightforward script's way of fetching fixes, for comparison.

What a study's throw-away script would do with the stored timelines: for each
issue of the set, GET every commit a closed or referenced event names (its
first page of files), and every cross-referenced pull request with the first
page of its files; no lookup of the pull request a closing commit came from,
no file pagination, no sharing of a change between issues, no ETags; hold
everything in memory and write one JSON file at the end. A 404 or 422 is
skipped. It gets one kept-alive connection (http.client), like issuemine.

  reference.py API_URL DB SET OUT.json
"""

import http.client
import json
import sqlite3
import sys
import urllib.parse


def refs(db, name):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    rows = con.execute(
        "SELECT m.issue_id, r.full_name, e.event, e.commit_id, "
        "json_extract(e.raw, '$.commit_url'), e.source_repo, e.source_number "
        "FROM sets s JOIN set_members m ON m.set_id = s.id JOIN issues i ON i.id = m.issue_id "
        "JOIN repositories r ON r.id = i.repo_id JOIN events e ON e.issue_id = i.id "
        "WHERE s.name = ? AND (e.event IN ('closed', 'referenced') AND e.commit_id IS NOT NULL "
        "OR e.event = 'cross-referenced' AND e.source_is_pr) ORDER BY m.position, e.position",
        (name,)).fetchall()
    con.close()
    return rows


def main():
    api, db, name, out = sys.argv[1:5]
    url = urllib.parse.urlsplit(api)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80)
    headers = {"Accept": "application/vnd.github+json", "User-Agent": "reference-script"}
    requests = 0

    def get(path):
        nonlocal requests
        conn.request("GET", url.path + path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        requests += 1
        return json.loads(body) if r.status == 200 else None

    fixes = {}
    for issue, repo, event, sha, commit_url, src_repo, number in refs(db, name):
        got = fixes.setdefault(str(issue), [])
        if event == "cross-referenced":
            pull = get("/repos/%s/pulls/%d" % (src_repo, number))
            if pull is not None:
                pull["files"] = get("/repos/%s/pulls/%d/files" % (src_repo, number)) or []
                got.append(pull)
        else:
            where = commit_url.split("/repos/", 1)[1].rsplit("/commits/", 1)[0] \
                if commit_url else repo
            commit = get("/repos/%s/commits/%s" % (where, sha))
            if commit is not None:
                got.append(commit)
    with open(out, "w") as f:
        json.dump(fixes, f)
    print(json.dumps({"requests": requests,
                      "changes": sum(len(v) for v in fixes.values()),
                      "files": sum(len(c.get("files") or []) for v in fixes.values()
                                   for c in v)}))


if __name__ == "__main__":
    main()
