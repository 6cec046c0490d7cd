#!/usr/bin/env python3
"""topup_reference.py DB SAMPLE RATER: the issues "issuemine sample --top-up"
adds, worked out from sample_topup.h's procedure independently of issuemine
(for tests/e2e/exclusion.sh): the draw replayed from the source set and the
seed, then continued. Prints "owner/name#N" words in the order drawn.
"""
import sqlite3
import sys

from sample_reference import Xoshiro256StarStar, MASK

GOLDEN = 0x9E3779B97F4A7C15


def main():
    db, sample, rater = sys.argv[1:4]
    con = sqlite3.connect(db)
    set_id, parent, seed, mode, count = con.execute(
        "SELECT id, parent_id, seed, draw_mode, draw_count FROM sets WHERE name = ?",
        (sample,)).fetchone()
    refs = {}
    pool = []
    for issue, repo, number in con.execute(
            "SELECT i.id, r.full_name, i.number FROM set_members m JOIN issues i "
            "ON i.id = m.issue_id JOIN repositories r ON r.id = i.repo_id WHERE m.set_id = ?",
            (parent,)):
        refs[issue] = (repo, number)
        pool.append(issue)
    pool.sort(key=lambda i: (refs[i][0].lower(), refs[i][1]))
    held = [i for (i,) in con.execute(
        "SELECT issue_id FROM set_members WHERE set_id = ? ORDER BY position", (set_id,))]
    excluded = {i for (i,) in con.execute(
        "SELECT x.issue_id FROM exclusions x JOIN raters r ON r.id = x.rater_id "
        "WHERE x.set_id = ? AND r.name = ?", (set_id, rater))}

    def shuffle(rng, items, start, stop):
        for i in range(start, stop):
            j = i + rng.below(len(items) - i)
            items[i], items[j] = items[j], items[i]

    added = []
    if mode in ("total", "tranche"):
        need = count - sum(1 for i in held if i not in excluded)
        rng = Xoshiro256StarStar(seed)
        shuffle(rng, pool, 0, len(held) + max(need, 0))
        assert pool[:len(held)] == held, "the sample does not follow the seeded order"
        added = pool[len(held):len(held) + max(need, 0)]
    else:
        rng = Xoshiro256StarStar(seed)
        groups = []
        for issue in pool:
            if groups and refs[groups[-1][0]][0] == refs[issue][0]:
                groups[-1].append(issue)
            else:
                groups.append([issue])
        for g in groups:
            shuffle(rng, g, 0, count)
        for j, g in enumerate(groups):
            mine = [i for i in held if refs[i][0] == refs[g[0]][0]]
            need = count - sum(1 for i in mine if i not in excluded)
            own = Xoshiro256StarStar(seed ^ (((j + 1) * GOLDEN) & MASK))
            shuffle(own, g, count, len(mine) + max(need, 0))
            assert g[:len(mine)] == mine, "the sample does not follow the seeded order"
            added += g[len(mine):len(mine) + max(need, 0)]
    print(" ".join("%s#%d" % refs[i] for i in added))


main()
