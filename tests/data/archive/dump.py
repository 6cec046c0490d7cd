#!/usr/bin/env python3
"""dump.py > dump.json - the corpus of tests/e2e/archive.sh and qdpx.sh.

Two repositories, 30 closed issues and 2 pull requests each, in the shapes
GitHub's REST API sends (issue objects with a "timeline" array). Two in
three issues were closed by a commit, so the paper's query (onnx-converters)
keeps 20 per repository. Every fifth issue's text holds what a REFI-QDA export must carry
intact: accents, emoji beyond the BMP, CJK, a combining accent, CR LF line
ends, terminal escape codes and XML's special characters. Standard library
only; the same output every run.
"""
import json
import sys

REPOS = ["pytorch/pytorch", "onnx/tensorflow-onnx"]

BODIES = {
    1: "Export fails: caf\u00e9 \u2615 \U0001d11e \u4e2d\u6587 e\u0301\r\nSecond line\r\n",
    2: "Traceback:\r\n\x1b[31mRuntimeError\x1b[0m: opset 13 <unsupported> & \"quoted\"\r\n",
    3: "",
}


def timeline(repo, number, day):
    api = "https://api.github.com/repos/" + repo
    events = [{
        "id": number * 10 + 1, "event": "commented", "created_at": "%sT10:00:00Z" % day,
        "user": {"login": "helper", "id": 7}, "actor": {"login": "helper", "id": 7},
        "body": "Could you share a repro? <script> & co. \U0001f600",
        "url": "%s/issues/comments/%d" % (api, number * 10 + 1),
    }]
    if number % 3 != 0:
        events.append({
            "id": number * 10 + 2, "event": "closed", "created_at": "%sT12:00:00Z" % day,
            "actor": {"login": "maintainer", "id": 8},
            "commit_id": "%040x" % (number * 7919 + len(repo)),
        })
    else:
        events.append({"id": number * 10 + 2, "event": "closed",
                       "created_at": "%sT12:00:00Z" % day, "actor": {"login": "maintainer", "id": 8},
                       "commit_id": None})
    return events


def issue(repo, number, pull=False):
    year = 2018 + number % 5
    day = "%d-%02d-%02d" % (year, number % 12 + 1, number % 27 + 1)
    api = "https://api.github.com/repos/" + repo
    labels = [{"name": "module: onnx"}] if repo == "pytorch/pytorch" else [{"name": "bug"}]
    obj = {
        "url": "%s/issues/%d" % (api, number), "repository_url": api,
        "html_url": "https://github.com/%s/%s/%d" % (repo, "pull" if pull else "issues", number),
        "id": 1000 * len(repo) + number, "number": number,
        "title": ("Converter failure %d: <Gather> & \"Slice\"" % number) if number % 4 == 1
        else "Converter failure %d" % number,
        "user": {"login": "reporter%d" % (number % 4), "id": number % 4 + 1},
        "labels": labels, "state": "closed", "comments": 1,
        "created_at": "%sT09:30:00Z" % day, "updated_at": "%sT12:00:00Z" % day,
        "closed_at": "%sT12:00:00Z" % day, "author_association": "NONE",
        "body": BODIES.get(number % 5, "Exporting the model fails (case %d)." % number),
        "state_reason": "completed", "timeline": timeline(repo, number, day),
    }
    if pull:
        obj["pull_request"] = {"url": "%s/pulls/%d" % (api, number)}
    return obj


def main():
    out = []
    for repo in REPOS:
        out += [issue(repo, n) for n in range(1, 31)]
        out += [issue(repo, n, pull=True) for n in range(31, 33)]
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


main()
