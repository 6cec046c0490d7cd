# agree.sh - "issuemine agree" on codes imported from CSV, checked against
# published values (SAS's kappa example, Krippendorff's reliability data) and
# against a second computation in Python.
. "$(dirname "$0")/lib.sh"

# 21 issues: a/one#1-10 and b/two#11-21; four raters' codes.
#  - symptom: alice and bob on issues 1-19 reproduce the SAS PROC FREQ table
#    [[0,4,1],[0,8,0],[0,1,5]] (rows alice; crash, wrong-model, hang); alice
#    alone codes issue 20; nobody codes issue 21.
#  - cause: alice and bob on every issue, with sub-categories that agree at the
#    top level more often than at the sub level.
#  - location: Krippendorff's reliability data (4 coders x 12 units, with
#    missing values) on issues 1-12, raters alice, bob, carol and dave.
python3 - <<'EOF'
import json

def issue(repo, n):
    return {
        "url": f"https://api.github.com/repos/{repo}/issues/{n}",
        "repository_url": f"https://api.github.com/repos/{repo}",
        "html_url": f"https://github.com/{repo}/issues/{n}",
        "id": 9000 + n, "number": n, "title": f"Issue {n}",
        "user": {"login": "reporter"}, "labels": [], "state": "closed",
        "comments": 0, "created_at": "2022-01-01T00:00:00Z",
        "updated_at": "2022-02-01T00:00:00Z", "closed_at": "2022-02-01T00:00:00Z",
        "body": "text",
    }

def repo(n):
    return "a/one" if n <= 10 else "b/two"

json.dump([issue(repo(n), n) for n in range(1, 22)], open("dump.json", "w"))

rows = []
# symptom: the SAS table, written with keys, names, aliases and odd cases.
spell = {0: ["crash", "Crash", "CRASHES"], 1: ["wrong-model", "Wrong Model", "incorrect model"],
         2: ["hang", "Hang", "hangs"]}
cells = [(0, 1)] * 4 + [(0, 2)] + [(1, 1)] * 8 + [(2, 1)] + [(2, 2)] * 5
for i, (a, b) in enumerate(cells):
    n = i + 1
    ref = f"{repo(n)}#{n}" if n % 2 else f"https://github.com/{repo(n)}/issues/{n}"
    rows.append([ref, "alice", "symptom", spell[a][n % 3], "", ""])
    rows.append([ref, "bob", "Symptom", spell[b][(n + 1) % 3], "", ""])
rows.append(["b/two#20", "alice", "symptom", "crash", "", "only alice saw this one"])
# cause: (alice, bob) per issue.
cause = [("incompatibility/internal", "incompatibility/external"),
         ("incompatibility/external", "incompatibility/external"),
         ("type-problem/node", "type-problem/node"),
         ("type-problem/tensor", "type-problem"),
         ("api-misuse", "incompatibility/internal"),
         ("shape-problem", "shape-problem"),
         ("incompatibility", "incompatibility/resource")]
for n in range(1, 22):
    a, b = cause[(n * 3) % len(cause)]
    for rater, code in (("alice", a), ("bob", b)):
        cat, _, sub = code.partition("/")
        rows.append([f"{repo(n)}#{n}", rater, "cause", cat, sub, ""])
# location: Krippendorff's reliability data, 1-5 as five location categories.
kripp = {"alice": "1 2 3 3 2 1 4 1 2 . . .", "bob": "1 2 3 3 2 2 4 1 2 5 . 3",
         "carol": ". 3 3 3 2 3 4 2 2 5 1 .", "dave": "1 2 3 3 2 4 4 1 2 5 1 ."}
locations = ["load-model", "node-conversion", "optimization", "export", "validation"]
for rater, values in kripp.items():
    for n, v in enumerate(values.split(), 1):
        if v != ".":
            rows.append([f"{repo(n)}#{n}", rater, "location", locations[int(v) - 1], "", ""])

import csv
with open("codes.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["issue", "rater", "dimension", "category", "subcategory", "note"])
    w.writerows(rows)
# Issue 21 is in the sample without symptom codes: a location-free note row adds it.
with open("codes.csv", "a", newline="") as f:
    csv.writer(f).writerow(["b/two#21", "bob", "", "", "", "nothing to code"])
EOF

run 0 import dump.json
run 0 codes import codes.csv --sample study --add-to-sample
assert_contains "$OUT" "into sample 'study' (created)"
assert_eq "$(q "SELECT count(*) FROM set_members")" 21

# --- text: the SAS values, the left-out issues, the confusion table in names ---
run 0 agree --sample study --raters alice,bob --dimension symptom
assert_contains "$OUT" "sample 'study' (21 issues), raters alice and bob, top-level categories"
assert_contains "$OUT" "symptom (Symptom): 19 issues coded by both raters; 2 of 21 left out (not coded by alice: 1, bob: 2)"
assert_contains "$OUT" "Cohen's kappa          0.4842 (SE 0.1380, 95% CI 0.2137 to 0.7547)"
assert_contains "$OUT" "moderate (Landis & Koch), weak (McHugh)"
assert_contains "$OUT" "observed 0.6842, expected 0.3878"
assert_contains "$OUT" "z = 3.2626 (SE under H0 0.1484), p = 0.0011"
expected_table="  rows alice, columns bob
               Crash  Wrong Model   Hang  total
  Crash            0            4      1      5
  Wrong Model      0            8      0      8
  Hang             0            1      5      6
  total            0           13      6     19"
assert_contains "$OUT" "$expected_table" "confusion table"
assert_contains "$OUT" "  Wrong Model      8     13      8     0.762   0.503"
assert_contains "$OUT" "  Crash            5      0      0     0.000   0.000"
assert_not_contains "$OUT" "location"
assert_not_contains "$OUT" "nan"

# --- JSON and CSV, every dimension, against a second computation ---
run 0 agree --sample study --raters alice,bob --format json
printf '%s\n' "$OUT" >pair.json
run 0 agree --sample study --raters alice,bob --level sub --by-repo --format json
printf '%s\n' "$OUT" >sub.json
run 0 agree --sample study --raters alice,bob,carol,dave --dimension location --format json
printf '%s\n' "$OUT" >four.json
run 0 agree --sample study --raters alice,bob --by-repo --format csv
printf '%s\n' "$OUT" >pair.csv

python3 - <<'EOF'
import csv, json, math

def close(a, b, what, eps=1e-9):
    if a is None or b is None or abs(a - b) > eps:
        raise SystemExit(f"FAIL: {what}: got {a}, expected {b}")

# The codes, read back from the file the test imported.
codes = {}
ref = lambda s: s.replace("https://github.com/", "").replace("/issues/", "#")
for r in csv.DictReader(open("codes.csv")):
    if r["dimension"]:
        codes[(ref(r["issue"]), r["rater"], r["dimension"].lower())] = (r["category"].lower(), r["subcategory"])

canon = {"crash": "crash", "crashes": "crash", "wrong-model": "wrong-model", "wrong model": "wrong-model",
         "incorrect model": "wrong-model", "hang": "hang", "hangs": "hang"}

def label(dim, code, level):
    cat, sub = code
    cat = canon.get(cat, cat)
    return f"{cat}/{sub}" if level == "sub" and sub else cat

def pair_table(dim, a, b, level, repo=None):
    issues = sorted({i for (i, r, d) in codes if d == dim})
    if repo:
        issues = [i for i in issues if i.startswith(repo + "#")]
    pairs = [(label(dim, codes[(i, a, dim)], level), label(dim, codes[(i, b, dim)], level))
             for i in issues if (i, a, dim) in codes and (i, b, dim) in codes]
    return pairs

def cohen(pairs):
    n = len(pairs)
    cats = sorted({c for p in pairs for c in p})
    po = sum(x == y for x, y in pairs) / n
    ra = {c: sum(x == c for x, _ in pairs) / n for c in cats}
    cb = {c: sum(y == c for _, y in pairs) / n for c in cats}
    pe = sum(ra[c] * cb[c] for c in cats)
    k = (po - pe) / (1 - pe)
    p = {(i, j): sum(x == i and y == j for x, y in pairs) / n for i in cats for j in cats}
    A = sum(p[(i, i)] * (1 - (ra[i] + cb[i]) * (1 - k)) ** 2 for i in cats)
    B = (1 - k) ** 2 * sum(p[(i, j)] * (cb[i] + ra[j]) ** 2 for i in cats for j in cats if i != j)
    C = (k - pe * (1 - k)) ** 2
    se = math.sqrt((A + B - C) / ((1 - pe) ** 2 * n))
    se0 = math.sqrt((pe + pe * pe - sum(ra[c] * cb[c] * (ra[c] + cb[c]) for c in cats)) / ((1 - pe) ** 2 * n))
    return dict(n=n, observed=po, expected=pe, kappa=k, se=se, se0=se0, z=k / se0,
                p=math.erfc(abs(k / se0) / math.sqrt(2)))

def alpha(units):
    # units: lists of values (missing left out); Krippendorff's definition over pairs
    units = [u for u in units if len(u) >= 2]
    pool = [v for u in units for v in u]
    n = len(pool)
    do = sum(sum(1 for i in range(len(u)) for j in range(len(u)) if i != j and u[i] != u[j]) / (len(u) - 1) for u in units)
    de = sum(1 for i in range(n) for j in range(n) if i != j and pool[i] != pool[j])
    return 1 - (n - 1) * do / de

def check(res, pairs, what):
    want = cohen(pairs)
    for k in ("observed", "expected", "kappa", "se", "se0", "z", "p"):
        close(res[k], want[k], f"{what} {k}")
    # The Wald interval, clipped to [-1, 1].
    low, high = (want["kappa"] + s * 1.959963984540054 * want["se"] for s in (-1, 1))
    close(res["ci_low"], max(-1, low), f"{what} ci_low")
    close(res["ci_high"], min(1, high), f"{what} ci_high")
    assert res["ci_clipped"] == (low < -1 or high > 1), f"{what} ci_clipped"
    assert res["n"] == want["n"], what
    # Scott's pi, Gwet's AC1 and PABAK over the q categories of the dimension.
    q, n = res["categories_available"], len(pairs)
    po = sum(x == y for x, y in pairs) / n
    cats = {c for pr in pairs for c in pr}
    pi = {c: (sum(x == c for x, _ in pairs) + sum(y == c for _, y in pairs)) / (2 * n) for c in cats}
    pe = sum(v * v for v in pi.values())
    close(res["scott_pi"]["value"], (po - pe) / (1 - pe), f"{what} scott_pi")
    pe = sum(v * (1 - v) for v in pi.values()) / (q - 1)
    close(res["gwet_ac1"]["value"], (po - pe) / (1 - pe), f"{what} gwet_ac1")
    close(res["pabak"]["value"], (q * po - 1) / (q - 1), f"{what} pabak")
    # Alpha with two raters and no missing codes: the pairs are the units.
    close(res["alpha"], alpha([list(p) for p in pairs]), f"{what} alpha")
    keys = [c["key"] for c in res["categories"]]
    got = {(keys[i], keys[j]): v for i, row in enumerate(res["confusion"]["counts"]) for j, v in enumerate(row)}
    for i in keys:
        for j in keys:
            assert got[(i, j)] == sum(x == i and y == j for x, y in pairs), f"{what} confusion {i},{j}"

pair = json.load(open("pair.json"))
assert [r["dimension"] for r in pair] == ["symptom", "location", "cause"], pair
sym = pair[0]
assert (sym["n"], sym["left_out"], sym["sample_issues"]) == (19, 2, 21)
assert sym["not_coded_by"] == {"alice": 1, "bob": 2}
check(sym, pair_table("symptom", "alice", "bob", "top"), "symptom")
close(sym["kappa"], 0.4842, "SAS kappa", 5e-5)
close(sym["p"], 0.0011, "SAS p", 5e-5)
assert [c["name"] for c in sym["categories"]] == ["Crash", "Wrong Model", "Hang"]
assert sym["confusion"]["counts"] == [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
wm = sym["per_category"][1]
assert (wm["counts"], wm["both"]) == ({"alice": 8, "bob": 13}, 8), wm
close(wm["specific_agreement"], 16 / 21, "specific agreement")
assert sym["landis_koch"] == "moderate" and sym["mchugh"] == "weak"
assert pair[2]["dimension"] == "cause"
check(pair[2], pair_table("cause", "alice", "bob", "top"), "cause top")
# alice and bob coded location on units 1-9 of Krippendorff's data (bob also 10, 12).
check(pair[1], pair_table("location", "alice", "bob", "top"), "location alice/bob")

# --level sub --by-repo: a/one, b/two, then pooled; per dimension in taxonomy order.
sub = json.load(open("sub.json"))
assert [(r["repository"], r["dimension"]) for r in sub] == [
    (repo, d) for repo in ("a/one", "b/two", None) for d in ("symptom", "location", "cause")], \
    [(r["repository"], r["dimension"]) for r in sub]
for r in sub:
    if r["dimension"] == "cause":
        pairs = pair_table("cause", "alice", "bob", "sub", r["repository"])
        check(r, pairs, f"cause sub {r['repository']}")
        assert all(r["level"] == "sub" for r in sub)
top_cause, sub_cause = pair[2]["kappa"], sub[-1]["kappa"]
assert sub_cause < top_cause, (top_cause, sub_cause)
assert "incompatibility/internal" in [c["key"] for c in sub[-1]["categories"]]
assert "Incompatibility/External" in [c["name"] for c in sub[-1]["categories"]]

# Four raters on Krippendorff's data: the published alpha, Fleiss over complete units, six pairs.
four = json.load(open("four.json"))
assert len(four) == 1
loc = four[0]
close(loc["alpha"], 0.743, "Krippendorff alpha", 5e-4)
units = [[v for v in col if v != "."] for col in zip(*[s.split() for s in
         ["1 2 3 3 2 1 4 1 2 . . .", "1 2 3 3 2 2 4 1 2 5 . 3", ". 3 3 3 2 3 4 2 2 5 1 .", "1 2 3 3 2 4 4 1 2 5 1 ."]])]
close(loc["alpha"], alpha(units), "alpha by pairs")
assert (loc["alpha_issues"], loc["alpha_codes"]) == (11, 40)
complete = [u for u in units if len(u) == 4]
assert loc["n"] == len(complete) == 8 and loc["left_out"] == 13, loc
# Fleiss: mean pairwise agreement per unit against pooled proportions.
m, N = 4, len(complete)
P = sum((sum(u.count(c) ** 2 for c in set(u)) - m) / (m * (m - 1)) for u in complete) / N
props = [sum(u.count(c) for u in complete) / (N * m) for c in "12345"]
Pe = sum(p * p for p in props)
close(loc["fleiss_kappa"], (P - Pe) / (1 - Pe), "fleiss")
assert loc["kappa"] is None and loc["confusion"] is None and "kappa" in loc["undefined"]
assert [p["raters"] for p in loc["pairs"]] == [["alice", "bob"], ["alice", "carol"], ["alice", "dave"],
                                               ["bob", "carol"], ["bob", "dave"], ["carol", "dave"]]
assert all(p["n"] == 8 for p in loc["pairs"])
assert loc["not_coded_by"] == {"alice": 12, "bob": 10, "carol": 11, "dave": 10}, loc["not_coded_by"]

# CSV: one row per repository and dimension, the pool last, with the JSON's numbers.
rows = list(csv.DictReader(open("pair.csv")))
assert [(r["repository"], r["dimension"]) for r in rows] == [
    (repo, d) for repo in ("a/one", "b/two", "") for d in ("symptom", "location", "cause")]
pooled = rows[6]
assert pooled["raters"] == "alice bob" and pooled["n"] == "19" and pooled["left_out"] == "2"
assert pooled["kappa"] == "0.484163" and pooled["landis_koch"] == "moderate", pooled
close(float(rows[0]["kappa"]), cohen(pair_table("symptom", "alice", "bob", "top", "a/one"))["kappa"], "a/one kappa", 1e-6)
EOF

# --- text with three raters: pairs, Fleiss per category ---
run 0 agree --sample study --raters alice,carol,dave --dimension location
assert_contains "$OUT" "location (Location): 8 issues coded by all 3 raters; 13 of 21 left out"
assert_contains "$OUT" "Cohen's kappa per pair:"
assert_contains "$OUT" "    alice, carol"
assert_contains "$OUT" "    carol, dave"
assert_contains "$OUT" "Fleiss' kappa"
assert_contains "$OUT" "category         ratings  Fleiss' kappa"
# --by-repo text names each repository, then the pool.
run 0 agree --sample study --raters alice,bob --dimension cause --by-repo --level sub
assert_contains "$OUT" "== a/one =="
assert_contains "$OUT" "== all repositories =="
assert_contains "$OUT" "Incompatibility/Internal"

# --- errors ---
run 1 agree --sample nosuch --raters alice,bob
assert_contains "$ERR" "no sample named 'nosuch'"
one_line "$ERR"
run 1 agree --sample study --raters alice,zoe
assert_contains "$ERR" "no rater named 'zoe'"
run 1 agree --sample study --raters alice,bob --dimension mood
assert_contains "$ERR" "no dimension 'mood' (valid: symptom, location, cause, exclusion)"
run 1 agree --sample study --raters alice,bob --taxonomy nosuch
one_line "$ERR"
run 2 agree --sample study --raters alice
assert_contains "$ERR" "at least two raters"
run 2 agree --sample study --raters alice,alice
assert_contains "$ERR" "'alice' is given twice"
run 2 agree --sample study --raters "alice,b b"
run 2 agree --raters alice,bob
run 2 agree --sample study
run 2 agree --sample study --raters alice,bob --level deep
run 2 agree --sample study --raters alice,bob --format xml
# agree never writes.
before=$(q "SELECT count(*) FROM code_log")
run 0 agree --sample study --raters alice,bob
assert_eq "$(q "SELECT count(*) FROM code_log")" "$before"
