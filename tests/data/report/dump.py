#!/usr/bin/env python3
"""dump.py SPEC > dump.json - a GitHub-shaped dump of the issues a study spec names.

SPEC has one issue per line, "owner/name#N YYYY-MM-DD ..." (see study.txt);
only the issue and its creation day are used here. Each issue is closed a
week after it was opened. Standard library only.
"""
import datetime
import json
import sys


def issue(repo, number, created):
    day = datetime.date.fromisoformat(created)
    closed = (day + datetime.timedelta(days=7)).isoformat() + "T12:00:00Z"
    api = "https://api.github.com/repos/" + repo
    return {
        "url": "%s/issues/%d" % (api, number),
        "repository_url": api,
        "html_url": "https://github.com/%s/issues/%d" % (repo, number),
        "id": 100000 * len(repo) + number,
        "number": number,
        "title": "Converter failure %d in %s" % (number, repo),
        "user": {"login": "reporter%d" % (number % 5), "id": number % 5 + 1},
        "labels": [{"name": "bug"}],
        "state": "closed",
        "comments": 1,
        "created_at": created + "T09:30:00Z",
        "updated_at": closed,
        "closed_at": closed,
        "author_association": "NONE",
        "body": "Exporting the model fails.",
        "state_reason": "completed",
    }


def main():
    issues = []
    with open(sys.argv[1], encoding="utf-8") as spec:
        for line in spec:
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            repo, number = fields[0].split("#")
            issues.append(issue(repo, int(number), fields[1]))
    json.dump(issues, sys.stdout, indent=1)
    sys.stdout.write("\n")


main()
