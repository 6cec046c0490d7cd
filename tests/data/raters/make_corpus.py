#!/usr/bin/env python3
"""make_corpus.py N [REPO] - a JSON dump of N closed issues (numbers 1..N) for the rater tests.

Each issue has a title and body naming its number, two labels and a short
timeline (a comment, a label, a close by commit), in GitHub's REST shapes.
"""
import json
import sys

n = int(sys.argv[1])
repo = sys.argv[2] if len(sys.argv) > 2 else "acme/widgets"
issues = []
for i in range(1, n + 1):
    t = "2022-01-%02dT10:00:00Z" % (1 + i % 28)
    issues.append({
        "url": "https://api.github.com/repos/%s/issues/%d" % (repo, i),
        "repository_url": "https://api.github.com/repos/%s" % repo,
        "html_url": "https://github.com/%s/issues/%d" % (repo, i),
        "id": 5000 + i, "number": i,
        "title": "Widget %d crashes when exported" % i,
        "body": "Exporting widget %d raises RuntimeError in the converter." % i,
        "user": {"login": "reporter%d" % (i % 7)},
        "labels": [{"name": "bug"}, {"name": "area %d" % (i % 3)}],
        "state": "closed", "state_reason": "completed", "comments": 1,
        "created_at": t, "updated_at": t, "closed_at": t,
        "timeline": [
            {"event": "commented", "id": 90000 + i, "created_at": t,
             "user": {"login": "maintainer"}, "body": "Confirmed on widget %d." % i},
            {"event": "labeled", "created_at": t, "actor": {"login": "maintainer"},
             "label": {"name": "bug"}},
            {"event": "closed", "created_at": t, "actor": {"login": "maintainer"},
             "commit_id": "%040x" % (0xabc000 + i)},
        ],
    })
json.dump(issues, sys.stdout)
