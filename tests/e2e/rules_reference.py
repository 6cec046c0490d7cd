#!/usr/bin/env python3
"""rules_reference.py DB TAXONOMY.json SAMPLE RATER: the suggestions table, independently.

What "issuemine report --table suggestions --format json" should say, worked
out from the documentation alone (issuemine(1), TAXONOMY FILES; query_fix.h
for globs), over the same database read with Python's sqlite3:

- a glob: '*' any characters but '/', '**' any characters, '**/' any number
  of directories, '?' one character but '/', [...] classes ([!...] negated,
  never '/'), '\\' quotes; a glob without '/' is a file name in any
  directory, one ending in '/' everything under that directory; it matches
  a whole path;
- the files of an issue: the distinct paths its fixes (role 'fix') changed,
  a rename counting under its old path too;
- per dimension: the first rule with "all" whose globs match every file
  wins; else each file goes to the first rule (without "all") with a glob
  that matches it, and the category with the most files wins, a tie going
  to the category whose rule comes first;
- counted over the sample's issues the rater did not exclude and coded in
  the dimension; a code is accepted when its latest code_log row says
  origin 'suggestion'.

Prints the JSON numbers: {dimension: {"coded", "suggested", "agreed",
"accepted", "categories": {key: [suggested, coded, agreed, accepted]}}}.
"""
import json
import re
import sqlite3
import sys


def glob_regex(glob):
    out = ""
    i = 0
    if "/" not in glob:
        out += "(?:.*/)?"
    while i < len(glob):
        c = glob[i]
        if c == "*":
            j = i
            while j < len(glob) and glob[j] == "*":
                j += 1
            if j - i == 1:
                out += "[^/]*"
            elif j < len(glob) and glob[j] == "/":
                out += "(?:.*/)?"
                j += 1
            else:
                out += ".*"
            i = j
            continue
        if c == "?":
            out += "[^/]"
        elif c == "[":
            j = i + 1
            neg = j < len(glob) and glob[j] in "!^"
            j += neg
            k = glob.index("]", j + 1)
            body = glob[j:k].replace("\\", "\\\\")
            out += ("[^/" if neg else "[") + body + "]"
            i = k
        elif c == "\\":
            i += 1
            out += re.escape(glob[i])
        else:
            out += re.escape(c)
        i += 1
    if glob.endswith("/"):
        out += ".*"
    return re.compile(out + r"\Z")


def main():
    db_path, tax_path, sample, rater = sys.argv[1:5]
    tax = json.load(open(tax_path))
    dims = {}
    for d in tax["dimensions"]:
        names = {d["key"].lower(), d["name"].lower()}
        keys = {}
        for c in d["categories"]:
            for w in [c["key"], c["name"]] + c.get("aliases", []):
                keys[w.lower()] = c["key"]
        dims[d["key"]] = (names, keys, [c["key"] for c in d["categories"]])
    rules = []
    for r in tax.get("rules", []):
        dim = [k for k, (names, _, _) in dims.items() if r["dimension"].lower() in names][0]
        rules.append({"dim": dim, "cat": dims[dim][1][r["category"].lower()],
                      "all": r.get("all", False),
                      "res": [glob_regex(g) for g in r["paths"]]})

    db = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
    q = lambda sql, *a: db.execute(sql, a).fetchall()
    set_id = q("SELECT id FROM sets WHERE name = ?", sample)[0][0]
    rater_id = q("SELECT id FROM raters WHERE name = ?", rater)[0][0]
    members = [r[0] for r in q("SELECT issue_id FROM set_members WHERE set_id = ?", set_id)]
    excluded = {r[0] for r in q("SELECT issue_id FROM exclusions WHERE set_id = ? AND rater_id = ?",
                                set_id, rater_id)}
    codes = {}
    for issue, dim, cat in q("SELECT c.issue_id, d.key, k.key FROM codes c JOIN dimensions d ON "
                             "d.id = c.dimension_id JOIN categories k ON k.id = c.category_id "
                             "WHERE c.set_id = ? AND c.rater_id = ?", set_id, rater_id):
        codes[(issue, dim)] = cat
    accepted = set()
    latest = {}
    for lid, issue, dim, origin in q("SELECT l.id, l.issue_id, d.key, l.origin FROM code_log l "
                                     "JOIN dimensions d ON d.id = l.dimension_id WHERE "
                                     "l.set_id = ? AND l.rater_id = ? AND l.kind = 'code' "
                                     "ORDER BY l.id", set_id, rater_id):
        latest[(issue, dim)] = origin
    accepted = {k for k, origin in latest.items() if origin == "suggestion"}

    out = {}
    for dim in dims:
        if not any(r["dim"] == dim for r in rules):
            continue
        out[dim] = {"coded": 0, "suggested": 0, "agreed": 0, "accepted": 0,
                    "categories": {c: [0, 0, 0, 0] for c in dims[dim][2]}}
    for issue in members:
        if issue in excluded:
            continue
        files = q("SELECT ff.path, ff.previous_path FROM fixes fx JOIN fix_files ff ON "
                  "ff.change_id = fx.change_id WHERE fx.issue_id = ? AND fx.role = 'fix'", issue)
        paths = {}
        for path, prev in files:
            paths.setdefault(path, set()).add(prev)
        for dim, o in out.items():
            coded = codes.get((issue, dim))
            if coded is None:
                continue
            o["coded"] += 1
            o["categories"][coded][1] += 1
            sug = suggest([r for r in rules if r["dim"] == dim], paths)
            if sug is None:
                continue
            o["suggested"] += 1
            o["categories"][sug][0] += 1
            if sug == coded:
                o["agreed"] += 1
                o["categories"][sug][2] += 1
                if (issue, dim) in accepted:
                    o["accepted"] += 1
                    o["categories"][sug][3] += 1
    print(json.dumps(out, sort_keys=True))


def matches(rule, path, prevs):
    names = [path] + [p for p in prevs if p]
    return any(rx.match(n) for rx in rule["res"] for n in names)


def suggest(rules, paths):
    if not paths:
        return None
    for r in rules:
        if r["all"] and all(matches(r, p, prev) for p, prev in paths.items()):
            return r["cat"]
    votes = {}
    first = {}
    for p, prev in paths.items():
        for i, r in enumerate(rules):
            if not r["all"] and matches(r, p, prev):
                votes[r["cat"]] = votes.get(r["cat"], 0) + 1
                break
    for i, r in enumerate(rules):
        if not r["all"]:
            first.setdefault(r["cat"], i)
    if not votes:
        return None
    return max(votes, key=lambda c: (votes[c], -first[c]))


if __name__ == "__main__":
    main()
