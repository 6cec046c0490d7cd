#!/usr/bin/env python3
"""reference.py DUMP.jsonl: the reference approach to the ONNX filter.

What the study's scripts do: load the downloaded issues (here streamed one
line at a time, the kindest case for memory) and test each in a Python loop
against the paper's filter (DESIGN.md, paper section 5.1.1 / Figure 4).
Prints the number of issues kept.
"""
import json
import sys


def repo_of(issue):
    return issue["repository_url"].split("/repos/", 1)[1].lower()


def keep_event(ev):
    kind = ev.get("event")
    if kind in ("closed", "referenced"):
        return ev.get("commit_id") is not None
    if kind == "cross-referenced":
        src = (ev.get("source") or {}).get("issue") or {}
        full = (src.get("repository") or {}).get("full_name", "")
        return src.get("state") == "closed" and full.split("/")[-1].lower() in (
            "pytorch", "tensorflow-onnx")
    return kind == "connected"


def keep(issue):
    if "pull_request" in issue or issue.get("state") != "closed":
        return False
    labels = {l["name"].lower() for l in issue.get("labels", [])}
    repo = repo_of(issue)
    if repo == "pytorch/pytorch":
        if "module: onnx" not in labels:
            return False
    elif repo == "onnx/tensorflow-onnx":
        if "question" in labels or "pending on user response" in labels:
            return False
    else:
        return False
    return any(keep_event(ev) for ev in issue.get("timeline", []))


def main():
    kept = 0
    with open(sys.argv[1]) as f:
        for line in f:
            if keep(json.loads(line)):
                kept += 1
    print(kept)


main()
