#!/usr/bin/env python3
"""fixview_reference.py DB SAMPLE: the reference approach to a diff view.

A diff view built the simple way renders the whole diff before it shows any
of it, as "git show | less -R" or a script that prints a change does: read
every file of the change with its patch, colour each line, wrap it to the
screen's width (wide characters taking two cells), and then show the first
screen. This does that for the first fix of the sample's first issue (with
Python's sqlite3 on the same database, 100 columns) and prints the seconds
it took to reach that first screen.
"""
import sqlite3
import sys
import time
import unicodedata

WIDTH = 99
COLOURS = {"+": "\033[32m", "-": "\033[31m", "@": "\033[36m"}


def cells(ch):
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def wrap(line):
    out, cur, used = [], [], 0
    for ch in line:
        w = cells(ch)
        if used + w > WIDTH:
            out.append("".join(cur))
            cur, used = [], 0
        cur.append(ch)
        used += w
    out.append("".join(cur))
    return out


def main():
    start = time.perf_counter()
    db = sqlite3.connect(sys.argv[1])
    sid = db.execute("SELECT id FROM sets WHERE name = ?", (sys.argv[2],)).fetchone()[0]
    issue = db.execute("SELECT issue_id FROM set_members WHERE set_id = ? ORDER BY position",
                       (sid,)).fetchone()[0]
    change = db.execute("SELECT change_id FROM fixes WHERE issue_id = ? AND role = 'fix' "
                        "ORDER BY change_id", (issue,)).fetchone()[0]
    rows = []
    for path, status, adds, dels, patch in db.execute(
            "SELECT path, status, additions, deletions, patch FROM fix_files WHERE change_id = ? "
            "ORDER BY position", (change,)):
        rows.append("\033[1;33m%s +%d -%d %s\033[0m" % (status, adds, dels, path))
        for line in (patch or "").replace("\t", "    ").split("\n"):
            colour = COLOURS.get(line[:1], "")
            for piece in wrap(line):
                rows.append(colour + piece + ("\033[0m" if colour else ""))
        rows.append("")
    screen = "\n".join(rows[:28])
    assert screen
    print("%.6f" % (time.perf_counter() - start))


if __name__ == "__main__":
    main()
