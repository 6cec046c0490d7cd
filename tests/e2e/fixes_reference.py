#!/usr/bin/env python3
"""fixes_reference.py ISSUEMINE DB: the query terms over fixes, computed
independently of issuemine (for tests/e2e/fixes_filter.sh).

Reads the issues, labels and fix tables of DB into Python, evaluates each
query of QUERIES with a predicate written here (globs matched by a matcher of
this file, not translated to patterns as issuemine does), and checks that
"issuemine filter" lists the same issues, that its counts of matches without
fix data and of issues that might match agree, and that "--explain" shows
plans that reach the fix tables through their indexes only. Prints one line
per query; exits 1 at the first disagreement.
"""
import json
import re
import sqlite3
import subprocess
import sys

ISSUEMINE, DB = sys.argv[1], sys.argv[2]

# --- the data ---


def load():
    con = sqlite3.connect("file:%s?mode=ro" % DB, uri=True)
    issues = {}
    for iid, repo, number, state, is_pr in con.execute(
            "SELECT i.id, r.full_name, i.number, i.state, i.is_pull_request FROM issues i "
            "JOIN repositories r ON r.id = i.repo_id WHERE i.state IS NOT NULL"):
        issues[iid] = {"ref": "%s#%d" % (repo, number), "state": state, "pr": bool(is_pr),
                       "labels": set(), "resolved": False, "changes": []}
    for iid, name in con.execute("SELECT issue_id, lower(name) FROM labels"):
        if iid in issues:
            issues[iid]["labels"].add(name)
    for (iid,) in con.execute("SELECT issue_id FROM fix_state"):
        if iid in issues:
            issues[iid]["resolved"] = True
    files = {}
    for cid, path, prev in con.execute("SELECT change_id, path, previous_path FROM fix_files"):
        files.setdefault(cid, []).append((path, prev))
    for iid, role, cid, kind, status, merged, count, adds, dels in con.execute(
            "SELECT f.issue_id, f.role, c.id, c.kind, c.status, c.merged, c.file_count, "
            "c.additions, c.deletions FROM fixes f JOIN fix_changes c ON c.id = f.change_id"):
        if iid in issues:
            issues[iid]["changes"].append({
                "role": role, "kind": kind, "gone": status == "gone", "merged": merged == 1,
                "files": count, "additions": adds, "deletions": dels,
                "paths": files.get(cid, [])})
    return issues


# --- globs, matched directly ---


def class_match(p, c):
    """p starts after '['; returns (matched, rest of pattern) or None when unclosed."""
    neg = p[:1] in ("!", "^")
    if neg:
        p = p[1:]
    items, k = [], 0
    while k < len(p) and (p[k] != "]" or k == 0):
        ch = p[k]
        if ch == "\\" and k + 1 < len(p):
            k += 1
            ch = p[k]
        if k + 2 < len(p) and p[k + 1] == "-" and p[k + 2] != "]":
            items.append((ch, p[k + 2]))
            k += 3
            continue
        items.append((ch, ch))
        k += 1
    if k >= len(p):
        return None
    hit = any(a <= c <= b for a, b in items)
    return (hit != neg and not (neg and c == "/")), p[k + 1:]


def glob_here(p, s):
    if not p:
        return not s
    if p.startswith("**/"):
        return glob_here(p[3:], s) or any(glob_here(p[3:], s[k + 1:])
                                          for k in range(len(s)) if s[k] == "/")
    if p.startswith("**"):
        return any(glob_here(p.lstrip("*"), s[k:]) for k in range(len(s) + 1))
    if p[0] == "*":
        return any(glob_here(p[1:], s[k:]) for k in range(len(s) + 1) if "/" not in s[:k])
    if not s:
        return False
    if p[0] == "?":
        return s[0] != "/" and glob_here(p[1:], s[1:])
    if p[0] == "[":
        m = class_match(p[1:], s[0])
        return m is not None and m[0] and glob_here(m[1], s[1:])
    if p[0] == "\\":
        return s[0] == p[1] and glob_here(p[2:], s[1:])
    return s[0] == p[0] and glob_here(p[1:], s[1:])


def glob(pattern, path):
    if path is None:
        return False
    if pattern.endswith("/"):
        pattern += "**"
    if "/" not in pattern:
        path = path.rsplit("/", 1)[-1]  # a bare name: the file name in any directory
    return glob_here(pattern, path)


# --- terms: a predicate is f(issue, assume) ---
#
# Without fix data a term is False when assume is None (the query as it
# runs) and assume otherwise: to count the issues that might match, assume
# starts True and NOT flips it, so a term under an odd number of negations
# does not hold (the most the query can match there).


def term(pred):
    return lambda i, a: pred(i) if i["resolved"] else bool(a)


def fixes(i):
    return [c for c in i["changes"] if c["role"] == "fix"]


def fix(pred):
    return term(lambda i: any(pred(c) for c in fixes(i)))


def count(role, ok):
    return term(lambda i: ok(sum(1 for c in i["changes"] if c["role"] == role)))


def path(test):
    return fix(lambda c: any(test(p) or test(q) for p, q in c["paths"]))


def size(key, ok):
    return fix(lambda c: c[key] is not None and ok(c[key]))


def regex(pattern, flags=0):
    r = re.compile(pattern, flags)
    return lambda s: s is not None and r.search(s) is not None


def NOT(f):
    return lambda i, a: not f(i, None if a is None else not a)


def AND(*fs):
    return lambda i, a: all(f(i, a) for f in fs)


def OR(*fs):
    return lambda i, a: any(f(i, a) for f in fs)


def label(name):
    return lambda i, a: name in i["labels"]


QUERIES = [
    ("fix:pr", fix(lambda c: c["kind"] == "pr")),
    ("fix:commit", fix(lambda c: c["kind"] == "commit")),
    ("fix:merged", fix(lambda c: c["kind"] == "pr" and c["merged"])),
    ("fix:gone", fix(lambda c: c["gone"])),
    ("fixes:>=1", count("fix", lambda n: n >= 1)),
    ("fixes:0", count("fix", lambda n: n == 0)),
    ("fixes:2..3", count("fix", lambda n: 2 <= n <= 3)),
    ("linked:>=2", count("linked", lambda n: n >= 2)),
    ("linked:<1", count("linked", lambda n: n < 1)),
    ("-fix:pr", NOT(fix(lambda c: c["kind"] == "pr"))),
    ("fix.path:torch/onnx/**", path(lambda p: glob("torch/onnx/**", p))),
    ("fix.path:/symbolic_opset\\d+\\.py/", path(regex(r"symbolic_opset\d+\.py"))),
    ("fix.path:/SYMBOLIC_OPSET1/i", path(regex("SYMBOLIC_OPSET1", re.I))),
    ("fix.path:*.png", path(lambda p: glob("*.png", p))),
    ("fix.path:**/test_*.py", path(lambda p: glob("**/test_*.py", p))),
    ("fix.path:docs/", path(lambda p: glob("docs/", p))),
    ("fix.path:torch/onnx/symbolic_opset1?.py",
     path(lambda p: glob("torch/onnx/symbolic_opset1?.py", p))),
    ('fix.path:"torch/onnx/[!u]*.py"', path(lambda p: glob("torch/onnx/[!u]*.py", p))),
    ("fix.path:test/onnx/test_[a-p]*", path(lambda p: glob("test/onnx/test_[a-p]*", p))),
    ("fix.path:/_old\\./", path(regex(r"_old\."))),  # renamed files: previous paths
    ("fix.files:<=5", size("files", lambda n: n <= 5)),
    ("fix.files:>20", size("files", lambda n: n > 20)),
    ("fix.additions:>100", size("additions", lambda n: n > 100)),
    ("fix.deletions:0", size("deletions", lambda n: n == 0)),
    ("fix:merged fix.files:<=5", AND(fix(lambda c: c["kind"] == "pr" and c["merged"]),
                                     size("files", lambda n: n <= 5))),
    ("(fix:commit OR linked:>=3) -fix.path:docs/**",
     AND(OR(fix(lambda c: c["kind"] == "commit"), count("linked", lambda n: n >= 3)),
         NOT(path(lambda p: glob("docs/**", p))))),
    ('label:bug fix:pr', AND(label("bug"), fix(lambda c: c["kind"] == "pr"))),
    ('label:"module: onnx" NOT fixes:>=1', AND(label("module: onnx"),
                                                NOT(count("fix", lambda n: n >= 1)))),
    # Terms of both polarities: an issue without fix data might match both.
    ("fix:pr -fix:merged", AND(fix(lambda c: c["kind"] == "pr"),
                               NOT(fix(lambda c: c["kind"] == "pr" and c["merged"])))),
    ("label:bug -(fixes:0 OR -fix:commit)",
     AND(label("bug"), NOT(OR(count("fix", lambda n: n == 0),
                              NOT(fix(lambda c: c["kind"] == "commit")))))),
]


def run(*args):
    p = subprocess.run([ISSUEMINE, "--db", DB] + list(args), capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("fixes_reference.py: issuemine %s failed: %s" % (" ".join(args), p.stderr))
    return p.stdout


def listed(query):
    lines = run("filter", "--format", "csv", "--", query).splitlines()[1:]
    return sorted("%s#%s" % tuple(line.split(",")[:2]) for line in lines)


PLAN_SCAN = re.compile(r"\bSCAN (fx|fc|ff|fs)\b")


def check_plan(query):
    plan = [l for l in run("filter", "--explain", "--", query).splitlines()
            if l.startswith("--   ")]
    bad = [l for l in plan if PLAN_SCAN.search(l)]
    if bad or not any("SEARCH fx USING" in l for l in plan):
        sys.exit("fixes_reference.py: %s: the plan scans a fix table: %s" % (query, plan))


def main():
    issues = load()
    resolved = sum(1 for i in issues.values() if i["resolved"])
    if not 0 < resolved < len(issues):
        sys.exit("fixes_reference.py: want some issues with fix data and some without")
    for query, pred in QUERIES:
        want = sorted(i["ref"] for i in issues.values() if pred(i, None))
        got = listed(query)
        if got != want:
            sys.exit("fixes_reference.py: %s: issuemine lists %d issues, the reference %d; "
                     "only issuemine: %s; only the reference: %s" % (
                         query, len(got), len(want), sorted(set(got) - set(want))[:5],
                         sorted(set(want) - set(got))[:5]))
        without = sum(1 for i in issues.values() if pred(i, None) and not i["resolved"])
        might = sum(1 for i in issues.values()
                    if not i["resolved"] and pred(i, True) and i["ref"] not in want)
        counts = json.loads(run("filter", "--count", "--format", "json", "--", query))
        if (counts["count"], counts["without_fix_data"], counts["might_match"]) != (
                len(want), without, might):
            sys.exit("fixes_reference.py: %s: issuemine counts %s, the reference %d, %d "
                     "without fix data, %d might match" % (query, counts, len(want), without,
                                                          might))
        check_plan(query)
        print("%-48s %4d matches, %3d without fix data, %3d might match" % (
            query, len(want), without, might))


if __name__ == "__main__":
    main()
