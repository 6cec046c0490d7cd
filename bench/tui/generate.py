#!/usr/bin/env python3
"""generate.py OUT.jsonl [--issues N] [--seed S]

Writes a synthetic dump for the labeling-UI benchmark: N issues (default
10,000) in two repositories, one per line (JSON Lines, which "issuemine
import" reads), in the shapes of GitHub's REST API. Timelines are long: 20 to
80 events each, and every hundredth issue has 600, mostly comments of one to
several paragraphs (some with CJK text and emoji), with labels, references,
cross-references and a closing commit. The output depends only on the seed.
"""
import argparse
import json
import random

WORDS = ("export onnx opset tensor shape graph node convert model error fails crash "
         "unsupported operator dynamic axes keras lstm conv batch norm gather the a of "
         "when with after before runtime version reproduce").split()
CJK = "转换模型时出错节点名称卷积层全连接層日本語のテキスト"
EMOJI = ["😀", "🚀", "🔥", "🙏"]


def words(rng, n):
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.02:
            out.append("".join(rng.choice(CJK) for _ in range(rng.randint(2, 8))))
        elif r < 0.025:
            out.append(rng.choice(EMOJI))
        else:
            out.append(rng.choice(WORDS))
    return " ".join(out)


def paragraphs(rng):
    return "\n\n".join(words(rng, rng.randint(10, 60)) for _ in range(rng.randint(1, 3)))


def when(rng, year):
    return "%d-%02d-%02dT%02d:%02d:%02dZ" % (year, rng.randint(1, 12), rng.randint(1, 28),
                                            rng.randint(0, 23), rng.randint(0, 59),
                                            rng.randint(0, 59))


def user(rng):
    return {"login": "user%d" % rng.randint(1, 3000), "type": "User"}


def event(rng, eid, year):
    r = rng.random()
    e = {"id": eid, "actor": user(rng), "created_at": when(rng, year)}
    if r < 0.7:
        e.update(event="commented", user=e["actor"], body=paragraphs(rng))
    elif r < 0.8:
        e.update(event="labeled", label={"name": rng.choice(["bug", "triaged", "onnx"])})
    elif r < 0.9:
        e.update(event="referenced", commit_id="%040x" % rng.getrandbits(160))
    else:
        repo = rng.choice(["pytorch/pytorch", "onnx/tensorflow-onnx", "onnx/onnx"])
        e.update(event="cross-referenced", source={"type": "issue", "issue": {
            "number": rng.randint(1, 90000), "title": words(rng, 8),
            "state": rng.choice(["open", "closed"]), "repository": {"full_name": repo},
            "pull_request": {}}})
    return e


def issue(rng, i):
    repo = "pytorch/pytorch" if i % 2 else "onnx/tensorflow-onnx"
    number = 1000 + i
    year = rng.randint(2019, 2023)
    n = 600 if i % 100 == 50 else rng.randint(20, 80)
    timeline = [event(rng, i * 1000 + k, year) for k in range(n)]
    timeline.append({"id": i * 1000 + n, "event": "closed", "actor": user(rng),
                     "created_at": when(rng, year), "commit_id": "%040x" % rng.getrandbits(160)})
    return {
        "url": "https://api.github.com/repos/%s/issues/%d" % (repo, number),
        "repository_url": "https://api.github.com/repos/" + repo,
        "html_url": "https://github.com/%s/issues/%d" % (repo, number),
        "id": 5000000 + i, "number": number, "title": words(rng, rng.randint(4, 12)),
        "user": user(rng), "labels": [{"name": "module: onnx"}, {"name": "bug"}],
        "state": "closed", "comments": n, "created_at": when(rng, year),
        "updated_at": when(rng, year), "closed_at": when(rng, year), "body": paragraphs(rng),
        "state_reason": "completed", "timeline": timeline,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--issues", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with open(args.out, "w", encoding="utf-8") as f:
        for i in range(args.issues):
            f.write(json.dumps(issue(rng, i), ensure_ascii=False))
            f.write("\n")


if __name__ == "__main__":
    main()
