#!/usr/bin/env python3
"""Writes filter-corpus.json: hand-made issues for the filter, sample and
validate tests (tests/e2e/filter_*.sh, sample.sh, validate.sh).

Each issue is built to pass or fail one predicate; the comment on each says
what it is for. Run from tests/data/ after editing:
    python3 make-filter-corpus.py > filter-corpus.json
"""
import json

PT, TF, OT = "pytorch/pytorch", "onnx/tensorflow-onnx", "other/thing"
_ids = iter(range(10000, 99999))


def user(login):
    return {"login": login, "id": sum(ord(c) * 31 ** k for k, c in enumerate(login)) % 100000, "type": "User"}


def ev(kind, actor="bot", at="2021-06-01T00:00:00Z", **extra):
    e = {"id": next(_ids), "event": kind, "actor": user(actor), "created_at": at,
         "commit_id": None}
    e.update(extra)
    return e


def commented(body, who="bob", at="2021-06-02T00:00:00Z"):
    return {"id": next(_ids), "event": "commented", "user": user(who), "actor": user(who),
            "created_at": at, "body": body}


def xref(repo, number, state, pr, at="2021-06-03T00:00:00Z"):
    src = {"number": number, "state": state, "title": "source %s#%d" % (repo, number),
           "repository_url": "https://api.github.com/repos/" + repo,
           "html_url": "https://github.com/%s/%s/%d" % (repo, "pull" if pr else "issues", number),
           "repository": {"full_name": repo, "name": repo.split("/")[1]}}
    if pr:
        src["pull_request"] = {"url": "https://api.github.com/repos/%s/pulls/%d" % (repo, number)}
    return {"event": "cross-referenced", "actor": user("bob"), "created_at": at,
            "updated_at": at, "source": {"type": "issue", "issue": src}}


SHA = "0123456789abcdef0123456789abcdef01234567"


def issue(repo, number, title, labels=(), events=(), state="closed", author="alice",
          created="2021-05-01T10:00:00Z", closed="2021-06-10T10:00:00Z", body="",
          pr=False, comments=None, updated=None):
    i = {
        "url": "https://api.github.com/repos/%s/issues/%d" % (repo, number),
        "repository_url": "https://api.github.com/repos/" + repo,
        "html_url": "https://github.com/%s/%s/%d" % (repo, "pull" if pr else "issues", number),
        "id": next(_ids), "number": number, "title": title, "user": user(author),
        "labels": [{"id": next(_ids), "name": l} for l in labels],
        "state": state, "comments": comments if comments is not None else
        sum(1 for e in events if e["event"] == "commented"),
        "created_at": created, "updated_at": updated or closed or created,
        "closed_at": closed if state == "closed" else None, "body": body,
        "timeline": list(events),
    }
    if pr:
        i["pull_request"] = {"url": i["url"].replace("/issues/", "/pulls/")}
    return i


ONNX = "module: onnx"
issues = [
    # --- the shipped ONNX query: one issue per timeline condition (all match) ---
    issue(PT, 1, "Export of torch.max fails", [ONNX], [ev("closed", commit_id=SHA)],
          body="RuntimeError: exporting max with opset 13", author="alice"),
    issue(PT, 2, "Shape inference crash", [ONNX], [ev("referenced", commit_id=SHA)],
          author="bob", created="2020-02-01T00:00:00Z", closed="2020-03-01T00:00:00Z"),
    issue(PT, 3, "Dynamic axes ignored", [ONNX], [xref(PT, 900, "closed", True)],
          author="Carol"),
    issue(PT, 4, "Opset 18 support", [ONNX], [ev("connected")], author="alice"),
    # label case differs; a closed issue (not a PR) of tensorflow-onnx refers to it
    issue(PT, 5, "Gather with negative indices", ["Module: ONNX"],
          [xref(TF, 77, "closed", False)], author="dave"),
    # the tensorflow-onnx exclusion labels do not apply to pytorch
    issue(PT, 15, "Question-labelled but fixed", [ONNX, "question"],
          [ev("closed", commit_id=SHA)]),
    issue(TF, 20, "Conv groups convert wrong", [], [ev("closed", commit_id=SHA)],
          body="Conv2D with groups=2", created="2020-01-15T10:00:00Z",
          closed="2020-02-15T10:00:00Z"),
    # a fork named tensorflow-onnx: repo=NAME matches the name alone
    issue(TF, 21, "Keras LSTM fails", ["bug"], [xref("someone/tensorflow-onnx", 5, "closed", True)]),
    # --- one failing each condition (none match) ---
    issue(PT, 6, "Closed without a commit", [ONNX],
          [ev("closed", state_reason="completed"), commented("works now")]),
    issue(PT, 7, "Referenced without a commit", [ONNX], [ev("referenced")]),
    issue(PT, 8, "Cross-referenced from elsewhere", [ONNX], [xref("other/repo", 3, "closed", True)]),
    issue(PT, 9, "Cross-referenced by an open PR", [ONNX], [xref(PT, 901, "open", True)]),
    # two events that each meet one condition of event:cross-referenced[...] but none both
    issue(PT, 10, "Two half-matching references", [ONNX],
          [xref("pytorch/vision", 4, "closed", True), xref(PT, 902, "open", True)]),
    issue(PT, 11, "Disconnected only", [ONNX], [ev("disconnected")]),
    # --- scope: label, pull request, open, exclusions, other repository ---
    issue(PT, 12, "Not an ONNX issue", ["module: jit"], [ev("closed", commit_id=SHA)]),
    issue(PT, 13, "[ONNX] Fix max export", [ONNX], [ev("closed", commit_id=SHA)], pr=True,
          author="bob"),
    issue(PT, 14, "Still open", [ONNX], [ev("referenced", commit_id=SHA)], state="open",
          closed=None, updated="2021-07-01T00:00:00Z"),
    issue(TF, 22, "How do I convert?", ["question"], [ev("closed", commit_id=SHA)]),
    issue(TF, 23, "Waiting for the reporter", ["pending on user response"],
          [ev("referenced", commit_id=SHA)]),
    issue(TF, 24, "Referenced from onnx/onnx", [], [xref("onnx/onnx", 6, "closed", True)]),
    issue(OT, 30, "Other project", [], [ev("closed", commit_id=SHA)]),
    # --- text, counts and dates ---
    issue(OT, 31, "Segfault in exporter", ["bug"],
          [commented("I see a SEGFAULT too", "erin"), commented("Stack trace: ...", "frank"),
           commented("fixed by #3", "alice"), ev("labeled", label={"name": "bug"}),
           ev("closed", actor="alice", commit_id=SHA)],
          body="Segmentation fault when calling export()", author="erin",
          created="2022-12-31T23:30:00Z", closed="2023-01-02T08:00:00Z"),
    issue(OT, 32, "Docs typo", ["docs"], [], state="open", closed=None, author="frank",
          created="2023-01-01T00:00:00Z", body=None, comments=0),
]

print("[")
print(",\n".join(json.dumps(i, ensure_ascii=False) for i in issues))
print("]")
