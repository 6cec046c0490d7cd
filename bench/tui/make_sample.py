#!/usr/bin/env python3
"""make_sample.py DB SAMPLE RATER DONE: the benchmark's sample, made directly.

Puts every issue of DB into the sample SAMPLE (created by "issuemine code
--add-to-sample" beforehand, with the rater and the taxonomy) and gives
RATER a complete code (first category of every dimension) on the first DONE
issues, so that the UI resumes in the middle of a large sample. A
benchmark shortcut: ten thousand "issuemine code" processes would take
minutes, and "issuemine sample" draws at random where the benchmark wants
every issue in a known order.
"""
import sqlite3
import sys


def main():
    db_path, sample, rater, done = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    db = sqlite3.connect(db_path)
    sid = db.execute("SELECT id FROM sets WHERE name = ?", (sample,)).fetchone()[0]
    rid = db.execute("SELECT id FROM raters WHERE name = ?", (rater,)).fetchone()[0]
    db.execute("INSERT OR IGNORE INTO set_members (set_id, issue_id, position) "
               "SELECT ?, id, id FROM issues", (sid,))
    dims = db.execute("SELECT d.id, (SELECT min(c.id) FROM categories c WHERE "
                      "c.dimension_id = d.id AND c.parent_id IS NULL) FROM dimensions d").fetchall()
    first = [r[0] for r in db.execute("SELECT issue_id FROM set_members WHERE set_id = ? "
                                      "ORDER BY position LIMIT ?", (sid, done))]
    for issue in first:
        for dim, cat in dims:
            db.execute("INSERT OR IGNORE INTO codes (set_id, issue_id, rater_id, dimension_id, "
                       "category_id, coded_at) VALUES (?, ?, ?, ?, ?, '2024-01-01T00:00:00Z')",
                       (sid, issue, rid, dim, cat))
    db.commit()


if __name__ == "__main__":
    main()
