#!/usr/bin/env python3
"""generate.py OUT.jsonl [--issues N] [--events M] [--seed S]

Writes a synthetic dump for the filter benchmark: N issues (default 100,000)
with M timeline events in all (default 5,000,000), one issue per line (JSON
Lines, which "issuemine import" reads), in the shapes of GitHub's REST API.
Half the issues are pytorch/pytorch (about a third of them labelled
"module: onnx"), a fifth onnx/tensorflow-onnx (some labelled "question" or
"pending on user response"), the rest in eight other repositories; about a
tenth are pull requests and a seventh open. Timelines mix comments, labels,
mentions, closes and references with and without commits, cross-references
from several repositories in both states, and a few connected events, so
that every branch of the ONNX query is exercised. The output depends only on
the seed.
"""
import argparse
import json
import random

OTHER = ["tensorflow/tensorflow", "onnx/onnx", "microsoft/onnxruntime", "keras-team/keras",
         "apache/tvm", "openvinotoolkit/openvino", "NVIDIA/TensorRT", "huggingface/transformers"]
XREF_REPOS = ["pytorch/pytorch", "onnx/tensorflow-onnx", "pytorch/vision", "onnx/onnx",
              "someone/tensorflow-onnx", "microsoft/onnxruntime", "user/pytorch"]
WORDS = ("export onnx opset tensor shape graph node convert model error fails crash "
         "unsupported operator dynamic axes keras lstm conv batch norm gather").split()
EVENT_TYPES = [("commented", 40), ("labeled", 14), ("subscribed", 9), ("mentioned", 9),
               ("referenced", 8), ("cross-referenced", 8), ("closed", 4), ("unlabeled", 3),
               ("reopened", 2), ("assigned", 2), ("connected", 0.3), ("renamed", 0.7)]


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def when(rng):
    return "20%02d-%02d-%02dT%02d:%02d:%02dZ" % (rng.randint(18, 23), rng.randint(1, 12),
                                               rng.randint(1, 28), rng.randint(0, 23),
                                               rng.randint(0, 59), rng.randint(0, 59))


def user(rng):
    return {"login": "user%d" % rng.randint(1, 5000), "type": "User"}


def sha(rng):
    return "%040x" % rng.getrandbits(160)


def event(rng, kind, eid):
    e = {"id": eid, "event": kind, "actor": user(rng), "created_at": when(rng), "commit_id": None}
    if kind == "commented":
        e["user"] = e["actor"]
        e["body"] = words(rng, rng.randint(5, 25))
        del e["commit_id"]
    elif kind in ("labeled", "unlabeled"):
        e["label"] = {"name": rng.choice(["bug", "triaged", "module: onnx", "enhancement"])}
    elif kind == "referenced":
        if rng.random() < 0.7:
            e["commit_id"] = sha(rng)
    elif kind == "closed":
        e["state_reason"] = "completed"
        if rng.random() < 0.25:
            e["commit_id"] = sha(rng)
    elif kind == "cross-referenced":
        repo = rng.choice(XREF_REPOS)
        number = rng.randint(1, 90000)
        pr = rng.random() < 0.6
        src = {"number": number, "state": "closed" if rng.random() < 0.5 else "open",
               "title": words(rng, 6),
               "repository_url": "https://api.github.com/repos/" + repo,
               "repository": {"full_name": repo, "name": repo.split("/")[1]}}
        if pr:
            src["pull_request"] = {"url": "https://api.github.com/repos/%s/pulls/%d"
                                   % (repo, number)}
        del e["commit_id"]
        e["source"] = {"type": "issue", "issue": src}
    elif kind == "renamed":
        e["rename"] = {"from": words(rng, 4), "to": words(rng, 4)}
    return e


def issue(rng, number, repo, nevents, next_id):
    labels = []
    if repo == "pytorch/pytorch":
        if rng.random() < 0.35:
            labels.append("module: onnx")
        if rng.random() < 0.3:
            labels.append("triaged")
    elif repo == "onnx/tensorflow-onnx":
        r = rng.random()
        if r < 0.10:
            labels.append("question")
        elif r < 0.15:
            labels.append("pending on user response")
        if rng.random() < 0.3:
            labels.append("bug")
    elif rng.random() < 0.4:
        labels.append("bug")
    state = "open" if rng.random() < 0.15 else "closed"
    created = when(rng)
    i = {
        "url": "https://api.github.com/repos/%s/issues/%d" % (repo, number),
        "repository_url": "https://api.github.com/repos/" + repo,
        "html_url": "https://github.com/%s/issues/%d" % (repo, number),
        "id": next_id(), "number": number, "title": words(rng, rng.randint(4, 10)),
        "user": user(rng), "labels": [{"name": l} for l in labels], "state": state,
        "comments": 0, "created_at": created, "updated_at": created,
        "closed_at": created if state == "closed" else None,
        "body": words(rng, rng.randint(10, 60)),
    }
    if rng.random() < 0.1:
        i["pull_request"] = {"url": i["url"].replace("/issues/", "/pulls/")}
    kinds = [k for k, _ in EVENT_TYPES]
    weights = [w for _, w in EVENT_TYPES]
    i["timeline"] = [event(rng, k, next_id()) for k in rng.choices(kinds, weights, k=nevents)]
    i["comments"] = sum(1 for e in i["timeline"] if e["event"] == "commented")
    return i


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--issues", type=int, default=100000)
    ap.add_argument("--events", type=int, default=5000000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    counter = iter(range(1, 1 << 62))
    next_id = lambda: next(counter)
    mean = a.events // a.issues
    numbers = {}
    with open(a.out, "w") as f:
        written = 0
        for k in range(a.issues):
            r = rng.random()
            repo = ("pytorch/pytorch" if r < 0.5 else "onnx/tensorflow-onnx" if r < 0.7
                    else rng.choice(OTHER))
            numbers[repo] = numbers.get(repo, 0) + 1
            # Pairs of issues share 2 * mean events, so the total is exact.
            if k == a.issues - 1:
                n = a.events - written
            elif k % 2 == 0:
                spread = rng.randint(0, mean)
                n = mean + spread
                pending = mean - spread
            else:
                n = pending
            written += n
            f.write(json.dumps(issue(rng, numbers[repo], repo, n, next_id),
                               separators=(",", ":")))
            f.write("\n")


main()
