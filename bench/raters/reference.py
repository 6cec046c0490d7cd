#!/usr/bin/env python3
"""reference.py DB SAMPLE RATER COMMAND CSV [--jobs N] - the script way of running an automatic rater.

What a study's throw-away script does to have a program code a sample: read
each issue of the sample with its timeline from the database (Python's
sqlite3), build a JSON document with the codebook, run the program on it
(subprocess, through /bin/sh -c like issuemine), parse its JSON answer,
check the categories against the codebook, and write a CSV row per code;
at the end the CSV goes into the database with "issuemine codes import"
(run by compare.py, timed with this). --jobs N runs N programs at once
from a thread pool. It prints one JSON line: issues, coded, failed,
seconds in all, and seconds spent waiting for the programs.
"""
import argparse
import concurrent.futures
import csv
import json
import sqlite3
import subprocess
import sys
import time


def load_taxonomy(db):
    row = db.execute("SELECT content FROM taxonomy_versions ORDER BY id DESC LIMIT 1").fetchone()
    return json.loads(row[0])


def document(db, issue_id, taxonomy):
    i = db.execute("SELECT r.full_name, i.number, i.title, i.body, i.state, i.created_at, "
                   "i.closed_at, i.html_url FROM issues i JOIN repositories r ON r.id = i.repo_id "
                   "WHERE i.id = ?", (issue_id,)).fetchone()
    labels = [r[0] for r in db.execute("SELECT name FROM labels WHERE issue_id = ? ORDER BY name",
                                       (issue_id,))]
    events = [{"event": e, "created_at": c, "actor": a, "body": b, "commit_id": k}
              for e, c, a, b, k in db.execute(
                  "SELECT event, created_at, actor, body, commit_id FROM events WHERE issue_id = ? "
                  "ORDER BY position", (issue_id,))]
    return json.dumps({"format": 1, "issue": {"ref": "%s#%d" % (i[0], i[1]), "title": i[2],
                                              "body": i[3], "state": i[4], "created_at": i[5],
                                              "closed_at": i[6], "url": i[7], "labels": labels},
                       "timeline": events, "taxonomy": taxonomy})


def check(answer, taxonomy):
    """The (dimension, category) pairs of a valid answer, or None."""
    try:
        a = json.loads(answer)
        out = []
        for dim in taxonomy["dimensions"]:
            value = a["codes"][dim["key"]]
            cat = value if isinstance(value, str) else value["category"]
            if cat not in [c["key"] for c in dim["categories"]]:
                return None
            out.append((dim["key"], cat))
        return out
    except (ValueError, KeyError, TypeError):
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("sample")
    ap.add_argument("rater")
    ap.add_argument("command")
    ap.add_argument("csv")
    ap.add_argument("--jobs", type=int, default=1)
    a = ap.parse_args()
    start = time.monotonic()
    db = sqlite3.connect(a.db, check_same_thread=False)
    taxonomy = load_taxonomy(db)
    members = db.execute("SELECT m.issue_id, r.full_name || '#' || i.number FROM set_members m "
                         "JOIN sets s ON s.id = m.set_id JOIN issues i ON i.id = m.issue_id "
                         "JOIN repositories r ON r.id = i.repo_id WHERE s.name = ? "
                         "ORDER BY m.position", (a.sample,)).fetchall()
    waited = [0.0]

    def rate(doc):
        t = time.monotonic()
        p = subprocess.run(["/bin/sh", "-c", a.command], input=doc.encode(), capture_output=True)
        waited[0] += time.monotonic() - t
        return p

    rows, failed = [], 0
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        pending = []
        for issue_id, ref in members:
            pending.append((ref, pool.submit(rate, document(db, issue_id, taxonomy))))
            if len(pending) >= 4 * a.jobs:
                ref0, f = pending.pop(0)
                p = f.result()
                codes = check(p.stdout, taxonomy) if p.returncode == 0 else None
                failed += codes is None
                rows += [[ref0, a.rater, d, c] for d, c in codes or []]
        for ref0, f in pending:
            p = f.result()
            codes = check(p.stdout, taxonomy) if p.returncode == 0 else None
            failed += codes is None
            rows += [[ref0, a.rater, d, c] for d, c in codes or []]
    with open(a.csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["issue", "rater", "dimension", "category"])
        w.writerows(rows)
    print(json.dumps({"issues": len(members), "coded": len(rows) // 3, "failed": failed,
                      "seconds": time.monotonic() - start, "waited": waited[0] / a.jobs}))


if __name__ == "__main__":
    sys.exit(main())
