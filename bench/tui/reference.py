#!/usr/bin/env python3
"""reference.py DB SAMPLE: the reference approach to a labeling tool.

The study's scripts hold everything in memory: a labeling tool built that way
reads the whole sample, every issue with its complete timeline, before it can
show the first one. This does exactly that (with Python's sqlite3 on the same
database), then lays out the first issue as 80-column text, and prints the
seconds it took to reach that first screen.
"""
import sqlite3
import sys
import textwrap
import time


def main():
    start = time.perf_counter()
    db = sqlite3.connect(sys.argv[1])
    sid = db.execute("SELECT id FROM sets WHERE name = ?", (sys.argv[2],)).fetchone()[0]
    issues = {}
    order = []
    for iid, repo, number, title, body in db.execute(
            "SELECT i.id, r.full_name, i.number, i.title, i.body FROM set_members m "
            "JOIN issues i ON i.id = m.issue_id JOIN repositories r ON r.id = i.repo_id "
            "WHERE m.set_id = ? ORDER BY m.position", (sid,)):
        issues[iid] = {"ref": "%s#%d" % (repo, number), "title": title, "body": body or "",
                       "events": []}
        order.append(iid)
    for iid, event, created, actor, body in db.execute(
            "SELECT e.issue_id, e.event, e.created_at, e.actor, e.body FROM events e "
            "JOIN set_members m ON m.issue_id = e.issue_id AND m.set_id = ? "
            "ORDER BY e.issue_id, e.position", (sid,)):
        issues[iid]["events"].append((event, created, actor, body or ""))
    first = issues[order[0]]
    lines = [first["ref"] + "  " + first["title"]]
    for para in first["body"].split("\n"):
        lines.extend(textwrap.wrap(para, 79) or [""])
    for event, created, actor, body in first["events"]:
        lines.append("%s  %s %s" % (created, actor, event))
        for para in body.split("\n"):
            lines.extend(textwrap.wrap(para, 75) or [""])
    screen = "\n".join(lines[:22])
    assert screen
    print("%.6f" % (time.perf_counter() - start))


if __name__ == "__main__":
    main()
