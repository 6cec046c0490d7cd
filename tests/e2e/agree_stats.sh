# agree_stats.sh - the statistics "agree" gives beside kappa and alpha:
# Scott's pi, Gwet's AC1, PABAK, Light's kappa, the standard error of
# Fleiss' kappa, the clipped Wald interval and the seeded bootstrap,
# recomputed independently in Python (the bootstrap with the project's
# generator, re-implemented from sample.h); the agree.* settings; bad input.
. "$(dirname "$0")/lib.sh"

# 40 issues (1-10 in o/small, the rest in o/r), three raters on symptoms:
# bob differs from alice on every 7th issue, carol on every 5th. Issue 40 is
# coded by alice only.
python3 - <<'PY'
import csv, json
repo = lambda n: "o/small" if n <= 10 else "o/r"
issues = [{"url": f"https://api.github.com/repos/{repo(n)}/issues/{n}", "repository_url": f"https://api.github.com/repos/{repo(n)}",
           "html_url": f"https://github.com/{repo(n)}/issues/{n}", "id": 7000 + n, "number": n, "title": f"Issue {n}",
           "user": {"login": "u"}, "labels": [], "state": "closed", "comments": 0,
           "created_at": "2022-01-01T00:00:00Z", "updated_at": "2022-02-01T00:00:00Z",
           "closed_at": "2022-02-01T00:00:00Z", "body": "b"} for n in range(1, 41)]
json.dump(issues, open("dump.json", "w"))
symptoms = ["crash", "wrong-model", "crash", "bad-performance", "crash", "build-failure"]
with open("codes.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["issue", "rater", "dimension", "category", "subcategory", "note"])
    for n in range(1, 41):
        a = symptoms[n % len(symptoms)]
        w.writerow([f"{repo(n)}#{n}", "alice", "symptom", a, "", ""])
        if n == 40:
            continue
        w.writerow([f"{repo(n)}#{n}", "bob", "symptom", symptoms[(n + 1) % 6] if n % 7 == 0 else a, "", ""])
        w.writerow([f"{repo(n)}#{n}", "carol", "symptom", symptoms[(n + 2) % 6] if n % 5 == 0 else a, "", ""])
PY
run 0 import dump.json
run 0 codes import codes.csv --sample study --add-to-sample

# --- text: the new lines, two raters ---
run 0 agree --sample study --raters alice,bob --dimension symptom
assert_contains "$OUT" "Scott's pi "
assert_contains "$OUT" "Gwet's AC1 "
assert_contains "$OUT" "; chance agreement over"
assert_contains "$OUT" "PABAK "
assert_not_contains "$OUT" "bootstrap"
assert_not_contains "$OUT" "Light's kappa"
# In o/small alice and bob differ on one issue of 10: kappa's interval reaches past 1.
run 0 agree --sample study --raters alice,bob --dimension symptom --by-repo
assert_contains "$OUT" "to 1.0000, clipped to [-1, 1])"

# --- three raters: Light's kappa, Fleiss' kappa with SE and interval ---
run 0 agree --sample study --raters alice,bob,carol --dimension symptom
assert_contains "$OUT" "Light's kappa"
assert_contains "$OUT" "the mean of the 3 pairs' Cohen's kappas"
assert_contains "$OUT" "Fleiss' kappa          0."
assert_contains "$OUT" "(SE 0."

# --- JSON, with the bootstrap, against Python ---
run 0 agree --sample study --raters alice,bob --dimension symptom --bootstrap 300 --seed 11 --format json
printf '%s\n' "$OUT" >two.json
run 0 agree --sample study --raters alice,bob --dimension symptom --bootstrap 300 --seed 11 --format json
assert_eq "$OUT" "$(cat two.json)" "the same seed twice"
run 0 agree --sample study --raters alice,bob --dimension symptom --bootstrap 300 --seed 12 --format json
printf '%s\n' "$OUT" >other.json
run 0 agree --sample study --raters alice,bob,carol --dimension symptom --bootstrap 200 --format json
printf '%s\n' "$OUT" >three.json
run 0 agree --sample study --raters alice,bob --dimension symptom --bootstrap 300 --seed 11 --format csv
printf '%s\n' "$OUT" >two.csv
im sql --format json "SELECT r.name AS rater, i.number, c.key FROM codes x JOIN raters r ON r.id = x.rater_id
	JOIN issues i ON i.id = x.issue_id JOIN categories c ON c.id = x.category_id
	JOIN set_members m ON m.issue_id = i.id ORDER BY m.position" >codes.json
im sql --no-header "SELECT count(*) FROM categories c JOIN dimensions d ON d.id = c.dimension_id
	WHERE d.key = 'symptom' AND c.parent_id IS NULL" | tr -d '\r' >q.txt
im sql --no-header "SELECT i.number FROM set_members m JOIN issues i ON i.id = m.issue_id
	JOIN sets s ON s.id = m.set_id WHERE s.name = 'study' ORDER BY m.position" | tr -d '\r' >order.txt

python3 - <<'PY'
import csv, json, math
MASK = (1 << 64) - 1

def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return x, z ^ (z >> 31)

def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK

class Rng:  # xoshiro256** seeded by SplitMix64, as sample.h says
    def __init__(self, seed):
        self.s = []
        for _ in range(4):
            seed, v = splitmix64(seed)
            self.s.append(v)
    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result
    def below(self, bound):
        threshold = ((1 << 64) - bound) % bound
        while True:
            x = self.next()
            if x >= threshold:
                return x % bound

def close(a, b, what, eps=1e-9):
    if a is None or b is None or abs(a - b) > eps:
        raise SystemExit(f"FAIL: {what}: got {a}, expected {b}")

def kappa(pairs):
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    cats = {c for p in pairs for c in p}
    pe = sum(sum(a == c for a, _ in pairs) * sum(b == c for _, b in pairs) for c in cats) / n / n
    return None if pe >= 1 - 1e-12 else (po - pe) / (1 - pe)

codes = {}
for r in json.load(open("codes.json")):
    codes[(r["rater"], r["number"])] = r["key"]
order = [int(x) for x in open("order.txt").read().split()]
q = int(open("q.txt").read())
pairs = [(codes[("alice", n)], codes[("bob", n)]) for n in order if ("bob", n) in codes]
two = json.load(open("two.json"))[0]
assert two["categories_available"] == q, (two["categories_available"], q)
assert two["ci"] == "95% Wald interval, clipped to [-1, 1]"
close(two["kappa"], kappa(pairs), "kappa")
for key in ("scott_pi", "gwet_ac1", "pabak"):
    for field in ("value", "se", "ci_low", "ci_high", "observed", "expected"):
        assert field in two[key], (key, field)
    assert -1 <= two[key]["ci_low"] <= two[key]["ci_high"] <= 1, key
po = sum(a == b for a, b in pairs) / len(pairs)
close(two["pabak"]["value"], (q * po - 1) / (q - 1), "pabak")
close(two["pabak"]["se"], math.sqrt(po * (1 - po) / len(pairs)) / (1 - 1 / q), "pabak se")
assert two["light_kappa"] is None and "light_kappa" in two["undefined"]
assert two["fleiss_se"] > 0 and two["fleiss_se0"] > 0

# The bootstrap, from its definition (stats_boot.h).
b = two["bootstrap"]
assert (b["resamples"], b["seed"], b["interval"], b["kappa_statistic"]) == (300, 11, "percentile", "cohen_kappa"), b
rng, values = Rng(11), []
for _ in range(300):
    picks = [pairs[rng.below(len(pairs))] for _ in pairs]
    k = kappa(picks)
    if k is not None:
        values.append(k)
values.sort()
d = len(values)
assert b["kappa_resamples_defined"] == d, (b, d)
close(b["kappa_ci_low"], values[max(1, -(-25 * d // 1000)) - 1], "bootstrap low")
close(b["kappa_ci_high"], values[max(1, -(-975 * d // 1000)) - 1], "bootstrap high")
assert b["alpha_ci_low"] <= two["alpha"] <= b["alpha_ci_high"], b

# Alpha's bootstrap resamples the issues alpha pairs (two or more codes; not
# issue 40, which alice alone coded), with a generator of its own.
def alpha(units):
    n = sum(len(u) for u in units)
    agree = sum(sum(u.count(c) * (u.count(c) - 1) for c in set(u)) / (len(u) - 1) for u in units)
    total = {}
    for u in units:
        for c in u:
            total[c] = total.get(c, 0) + 1
    same = sum(v * (v - 1) for v in total.values())
    if n < 2 or n * (n - 1) - same <= 0:
        return None
    return ((n - 1) * agree - same) / (n * (n - 1) - same)

units = [list(p) for p in pairs]
close(two["alpha"], alpha(units), "alpha")
rng, values = Rng(11), []
for _ in range(300):
    a = alpha([units[rng.below(len(units))] for _ in units])
    if a is not None:
        values.append(a)
values.sort()
d = len(values)
assert b["alpha_resamples_defined"] == d, (b, d)
close(b["alpha_ci_low"], values[max(1, -(-25 * d // 1000)) - 1], "alpha bootstrap low")
close(b["alpha_ci_high"], values[max(1, -(-975 * d // 1000)) - 1], "alpha bootstrap high")
other = json.load(open("other.json"))[0]["bootstrap"]
assert (other["kappa_ci_low"], other["kappa_ci_high"]) != (b["kappa_ci_low"], b["kappa_ci_high"])

# Three raters: Light's kappa is the mean of the pairs' kappas; AC1 and Fleiss' SE are there.
three = json.load(open("three.json"))[0]
close(three["light_kappa"], sum(p["kappa"] for p in three["pairs"]) / 3, "light")
assert three["gwet_ac1"]["value"] is not None and three["scott_pi"] is None and three["pabak"] is None
assert three["fleiss_ci_low"] < three["fleiss_kappa"] < three["fleiss_ci_high"]
assert three["bootstrap"]["kappa_statistic"] == "fleiss_kappa" and three["bootstrap"]["seed"] == 1
assert all("scott_pi" in p and "gwet_ac1" in p and "pabak" in p for p in three["pairs"])

# CSV carries the same numbers.
row = list(csv.DictReader(open("two.csv")))[0]
close(float(row["gwet_ac1"]), two["gwet_ac1"]["value"], "csv ac1", 1e-6)
close(float(row["bootstrap_kappa_ci_low"]), b["kappa_ci_low"], "csv bootstrap", 1e-6)
assert row["ci_clipped"] in ("true", "false")
PY

# --- text with the bootstrap ---
run 0 agree --sample study --raters alice,bob --dimension symptom --bootstrap 50 --seed 3
assert_contains "$OUT" "bootstrap: 50 resamples of the issues, seed 3, percentile intervals"
assert_contains "$OUT" "    Cohen's kappa        95% CI "
assert_contains "$OUT" "    Krippendorff's alpha 95% CI "

# --- settings give defaults; flags win ---
run 0 config agree.bootstrap 40
run 0 config agree.seed 5
run 0 config agree.format json
run 0 agree --sample study --raters alice,bob --dimension symptom
printf '%s' "$OUT" | python3 -c 'import json,sys; b = json.load(sys.stdin)[0]["bootstrap"]; assert (b["resamples"], b["seed"]) == (40, 5), b'
run 0 agree --sample study --raters alice,bob --dimension symptom --format text --bootstrap 0
assert_contains "$OUT" "Cohen's kappa"
assert_not_contains "$OUT" "bootstrap"
run 0 config --unset agree.format

# --- bad input ---
run 2 agree --sample study --raters alice,bob --bootstrap -5
assert_contains "$ERR" "--bootstrap: a whole number"
run 2 agree --sample study --raters alice,bob --bootstrap 10 --seed x
assert_contains "$ERR" "--seed: 'x' is not a whole number"
run 1 config agree.seed -- -1
one_line "$ERR"
assert_eq "$ERR" "issuemine: config: agree.seed: '-1' is not a whole number from 0 to 9223372036854775807"
run 1 config agree.bootstrap 1.5
assert_eq "$ERR" "issuemine: config: agree.bootstrap: '1.5' is not a whole number >= 0"
assert_eq "$(im config agree.bootstrap)" 40 "a refused value leaves the old one"
