# raters_agree.sh - an external rater measured and reconciled like any rater:
# "agree --against" (each human, the consensus where the humans agree or a
# consensus rater, confidence bins, the humans' own kappa) checked against
# an independent computation from the codes as generated; and "reconcile"
# with the external rater as one side.
. "$(dirname "$0")/lib.sh"

python3 "$DATA/raters/make_corpus.py" 20 >corpus.json
run 0 import corpus.json
run 0 filter 'repo:acme/widgets' --save all
run 0 sample --from all --n 20 --seed 2 --save study

# The codes of alice, bob, the judge and the bot, and what agree must find.
python3 - <<'EOF'
import csv, json

SYM = ["crash", "wrong-model", "bad-performance", "build-failure", "hang", "unreported"]
LOC = ["load-model", "node-conversion", "optimization", "export", "validation", "not-distinguishable"]
CAU = ["api-misuse", "incompatibility", "type-problem", "shape-problem", "typo"]
N = range(1, 21)
alice = {i: {"symptom": SYM[i * 7 % 6], "location": LOC[i * 3 % 6], "cause": CAU[i % 5]} for i in N}
bob = {i: dict(alice[i]) for i in N}
for i in N:
    if i % 4 == 0:
        bob[i]["symptom"] = SYM[(i * 7 + 1) % 6]
    if i % 5 == 0:
        bob[i]["cause"] = CAU[(i + 2) % 5]
judge = {i: dict(alice[i]) for i in N}
judge[2]["symptom"] = "hang" if alice[2]["symptom"] != "hang" else "crash"
bot, conf = {}, {}
for i in N:
    bot[i] = dict(alice[i] if i % 3 else bob[i])
    if i % 7 == 0:
        bot[i]["location"] = LOC[(i * 3 + 2) % 6]
    if i % 8 == 0:
        bot[i]["cause"] = CAU[(i + 1) % 5]
    conf[i] = {"symptom": [0.3, 0.6, 0.9][i % 3], "location": 0.8 if i % 2 else 0.5}
    if i % 6:
        conf[i]["cause"] = 0.95
excluded = {"alice": {20}, "bob": set(), "judge": set(), "bot": {19}}

rows = []
for name, codes in (("alice", alice), ("bob", bob), ("judge", judge)):
    for i in N:
        for d in ("symptom", "location", "cause"):
            rows.append(["acme/widgets#%d" % i, name, d, codes[i][d], "", "", "", ""])
        if i in excluded[name]:
            rows.append(["acme/widgets#%d" % i, name, "", "", "", "", "not-a-failure", ""])
with open("humans.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["issue", "rater", "dimension", "category", "subcategory", "note", "exclusion", "exclusion_note"])
    w.writerows(rows)

plan = {}
for i in N:
    if i in excluded["bot"]:
        a = {"exclusion": "not-a-failure", "note": "the bot excludes %d" % i}
    else:
        a = {"codes": {d: dict({"category": bot[i][d]}, **({"confidence": conf[i][d]} if d in conf[i] else {}))
                       for d in ("symptom", "location", "cause")},
             "note": "the bot's reason for %d" % i}
    plan[str(i)] = "answer:" + json.dumps(a)
json.dump(plan, open("plan.json", "w"))

# --- the reference computation, from the tables above ---
def code(name, codes, i, d):
    if i in excluded[name]:
        return None
    if d == "exclusion":
        return "included"
    return codes[i][d]

def decision(name, i):
    return "excluded" if i in excluded[name] else "included"

def kappa(pairs):
    n = len(pairs)
    if n == 0:
        return n, 0, None
    agreed = sum(a == b for a, b in pairs)
    po = agreed / n
    cats = set(a for a, _ in pairs) | set(b for _, b in pairs)
    pe = sum(sum(a == c for a, _ in pairs) * sum(b == c for _, b in pairs) for c in cats) / n / n
    return n, agreed, None if pe == 1 else (po - pe) / (1 - pe)

def bin_of(c):
    if c is None:
        return 3
    return 0 if c < 0.5 else 1 if c < 0.8 else 2

raters = {"alice": alice, "bob": bob, "judge": judge, "bot": bot}
def value(name, i, d):
    if d == "exclusion":
        return decision(name, i)
    return code(name, raters[name], i, d)

def compare(other, d):
    all_pairs, bins = [], [[], [], [], []]
    for i in N:
        a = value("bot", i, d)
        if other == "consensus-of-humans":
            x, y = value("alice", i, d), value("bob", i, d)
            b = x if x is not None and x == y else None
        else:
            b = value(other, i, d)
        if a is None or b is None:
            continue
        all_pairs.append((a, b))
        c = conf[i].get(d) if d != "exclusion" and i not in excluded["bot"] else None
        bins[bin_of(c)].append((a, b))
    return {"all": kappa(all_pairs), "bins": [kappa(p) for p in bins]}

expected = {}
for d in ("symptom", "location", "cause", "exclusion"):
    expected[d] = {
        "alice": compare("alice", d), "bob": compare("bob", d),
        "consensus": compare("consensus-of-humans", d), "judge": compare("judge", d),
        "humans": kappa([(value("alice", i, d), value("bob", i, d)) for i in N
                         if value("alice", i, d) is not None and value("bob", i, d) is not None]),
        "no_consensus": sum(1 for i in N if value("alice", i, d) is not None and
                            value("bob", i, d) is not None and value("alice", i, d) != value("bob", i, d)),
    }
json.dump(expected, open("expected.json", "w"))
EOF
run 0 codes import humans.csv --sample study
export FAKE_RATER_PLAN=$TEST_DIR/plan.json
run 0 code --sample study --rater bot --with "python3 $DATA/raters/fake_rater.py" -q
assert_contains "$OUT" "20 issues to code: 19 coded, 1 excluded"

# agree treats the bot as any rater.
run 0 agree --sample study --raters alice,bot --dimension symptom
assert_contains "$OUT" "raters alice and bot"

# --against: every number as computed from the tables.
check_against() {
	printf '%s\n' "$OUT" | python3 -c '
import json, sys
want = json.load(open("expected.json"))
d = json.loads(sys.stdin.read())
consensus = sys.argv[1]
assert d["rater"] == "bot" and d["humans"] == ["alice", "bob"] and d["bin_edges"] == [0.5, 0.8], d
assert d["consensus"] == (None if consensus == "consensus" else consensus), d["consensus"]
assert [r["dimension"] for r in d["dimensions"]] == ["symptom", "location", "cause", "exclusion"]
def same(cell, ref, where):
    n, agreed, kappa = ref
    assert cell["n"] == n and cell["agreed"] == agreed, (where, cell, ref)
    if kappa is None:
        assert cell["kappa"] is None, (where, cell, ref)
    else:
        assert abs(cell["kappa"] - kappa) < 1e-9, (where, cell, ref)
for r in d["dimensions"]:
    w = want[r["dimension"]]
    sides = [a["against"] for a in r["against"]]
    assert sides == ["alice", "bob", "consensus"], sides
    for a in r["against"]:
        ref = w[consensus if a["against"] == "consensus" else a["against"]]
        same(a, ref["all"], (r["dimension"], a["against"]))
        assert [b["bin"] for b in a["bins"]] == ["0-0.5", "0.5-0.8", "0.8-1", "none"]
        for b, rb in zip(a["bins"], ref["bins"]):
            same(b, rb, (r["dimension"], a["against"], b["bin"]))
    same(r["humans"][0], w["humans"], (r["dimension"], "humans"))
    assert r["humans"][0]["raters"] == ["alice", "bob"]
    if consensus == "consensus":
        assert r["no_consensus"] == w["no_consensus"], (r["dimension"], r["no_consensus"])
    else:
        assert r["no_consensus"] is None
assert d["dimensions"][0]["rater_coded"] == 19 and d["dimensions"][0]["sample_issues"] == 20
' "$1" || fail "agree --against ($1)"
}
run 0 agree --sample study --raters alice,bob --against bot --format json
check_against consensus
run 0 agree --sample study --raters alice,bob --against bot --consensus judge --format json
check_against judge
# Text and CSV say the same.
run 0 agree --sample study --raters alice,bob --against bot
assert_contains "$OUT" "rater bot against alice and bob on sample 'study' (20 issues), top-level categories"
assert_contains "$OUT" "consensus: where alice and bob agree"
assert_contains "$OUT" "symptom (Symptom): bot coded 19 of 20 issues; the humans differ on"
assert_contains "$OUT" "alice, bob (humans)"
assert_contains "$OUT" "by confidence"
run 0 agree --sample study --raters alice,bob --against bot --format csv --dimension cause
assert_eq "$(printf '%s\n' "$OUT" | head -1 | tr -d '\r')" "dimension,level,rater,against,kind,bin,n,agreed,observed,kappa,se,ci_low,ci_high,p,landis_koch"
assert_eq "$(printf '%s\n' "$OUT" | tr -d '\r' | grep -c '^cause,top,bot,')" 16
run 0 agree --sample study --raters alice --against bot --bins 0.9 --format json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["bin_edges"] == [0.9] and d["humans"] == ["alice"], d
s = d["dimensions"][0]
assert [b["bin"] for b in s["against"][0]["bins"]] == ["0-0.9", "0.9-1", "none"], s
assert s["against"][1]["n"] == s["against"][0]["n"] and s["humans"] == [], s
' || fail "--bins 0.9 with one human"
# Bad input.
run 2 agree --sample study --raters alice,bob --against alice
run 2 agree --sample study --raters alice,bob --against bot --consensus bob
run 2 agree --sample study --raters alice,bob --against bot --bins 0.8,0.5
assert_contains "$ERR" "--bins: '0.8,0.5' is not a list of ascending numbers"
run 2 agree --sample study --raters alice,bob --against bot --bootstrap 100
run 2 agree --sample study --raters alice,bob --consensus judge
run 1 agree --sample study --raters alice,bob --against nobody
one_line "$ERR"
assert_contains "$ERR" "no rater named 'nobody'"

# reconcile with the bot as one side: its codes and its rationale (the note) are shown.
run 0 reconcile --sample study --raters alice,bot --list --format json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["raters"] == ["alice", "bot"], d
rows = d["disagreements"]
assert rows and all(r["codes"][1]["rater"] == "bot" for r in rows), rows
assert any(r["dimension"] == "exclusion" for r in rows), rows
' || fail "reconcile --list with the bot"
first=$(printf '%s\n' "$OUT" | python3 -c 'import json,sys; r=json.load(sys.stdin)["disagreements"][0]; print(r["issue"], r["dimension"], r["codes"][1]["category"])')
read -r issue dim botcat <<<"$first"
keys=$(python3 -c 'import sys; print({"symptom": 1, "location": 2, "cause": 3}[sys.argv[1]])' "$dim")
printf '%sBq' "$keys" >keys
ISSUEMINE_TUI_SCRIPT=$TEST_DIR/keys LC_ALL=C.UTF-8 NO_COLOR=1 run 0 reconcile --sample study --raters alice,bot --as consensus
assert_contains "$OUT" "the bot's reason for ${issue#acme/widgets#}"
assert_eq "$(q "SELECT c.key FROM codes x JOIN raters r ON r.id = x.rater_id JOIN categories c ON c.id = x.category_id
	JOIN dimensions d ON d.id = x.dimension_id JOIN issues i ON i.id = x.issue_id
	WHERE r.name = 'consensus' AND d.key = '$dim' AND 'acme/widgets#' || i.number = '$issue'")" "$botcat"

# A replication package carries the external rater's runs, answers and confidence,
# and a rater whose every command failed (its run and answers refer to it).
echo '{"*": "crash"}' >plan-fail.json
FAKE_RATER_PLAN=$TEST_DIR/plan-fail.json run 1 code --sample study --rater failing \
	--with "python3 $DATA/raters/fake_rater.py" --max-issues 2
run 0 archive --sample study --rater consensus art
slim() { "$ISSUEMINE" --db art/issuemine.db sql --no-header "$1" | tr -d '\r'; }
assert_eq "$(slim "SELECT count(*) FROM rater_runs")" "$(q "SELECT count(*) FROM rater_runs")"
assert_eq "$(slim "SELECT count(*) FROM rater_answers")" "$(q "SELECT count(*) FROM rater_answers")"
assert_eq "$(slim "SELECT count(*) FROM code_confidence")" "$(q "SELECT count(*) FROM code_confidence")"
assert_eq "$(slim "SELECT count(*) FROM raters WHERE name = 'failing'")" 1
run 0 --db art/issuemine.db agree --sample study --raters alice,bob --against bot --format json
check_against consensus
