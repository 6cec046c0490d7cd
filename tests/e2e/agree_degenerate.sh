# agree_degenerate.sh - "issuemine agree" where statistics are not defined:
# one category for everything, perfect agreement, one issue, no issues. They
# must read "undefined (why)" in text, null in JSON and empty in CSV, never NaN.
. "$(dirname "$0")/lib.sh"

python3 - <<'EOF'
import json
json.dump([{"number": n, "html_url": f"https://github.com/x/y/issues/{n}", "title": f"t{n}",
            "state": "closed", "updated_at": "2022-01-01T00:00:00Z"} for n in range(1, 5)],
          open("dump.json", "w"))
EOF
cat >codes.csv <<'EOF'
issue,rater,dimension,category
x/y#1,alice,symptom,crash
x/y#2,alice,symptom,crash
x/y#3,alice,symptom,crash
x/y#1,bob,symptom,crash
x/y#2,bob,symptom,crash
x/y#3,bob,symptom,crash
x/y#1,alice,location,export
x/y#2,alice,location,export
x/y#3,alice,location,validation
x/y#1,bob,location,export
x/y#2,bob,location,export
x/y#3,bob,location,validation
x/y#1,alice,cause,incompatibility
x/y#1,bob,cause,typo
x/y#4,carol,symptom,hang
EOF
run 0 import dump.json
run 0 codes import --sample deg --add-to-sample codes.csv

run 0 agree --sample deg --raters alice,bob
text=$OUT
# One category used by both raters: expected agreement 1, kappa undefined.
assert_contains "$text" "symptom (Symptom): 3 issues coded by both raters; 1 of 4 left out (not coded by alice: 1, bob: 1)
  Cohen's kappa          undefined (expected agreement is 1: both raters used one single category)
  agreement              observed 1.0000, expected 1.0000"
# Perfect agreement on two categories.
assert_contains "$text" "Cohen's kappa          1.0000 (SE 0.0000, 95% CI 1.0000 to 1.0000)
                         almost perfect (Landis & Koch), almost perfect (McHugh)"
assert_contains "$text" "Krippendorff's alpha   1.0000"
# One issue, raters disagreeing: kappa 0 and no test (the SE under H0 is 0).
assert_contains "$text" "cause (Cause): 1 issue coded by both raters"
assert_contains "$text" "z = undefined (standard error under H0 is 0)"

# No issue coded by both raters.
run 0 agree --sample deg --raters alice,carol --dimension symptom
assert_contains "$OUT" "symptom (Symptom): 0 issues coded by both raters; 4 of 4 left out (not coded by alice: 1, carol: 3)"
assert_contains "$OUT" "Cohen's kappa          undefined (no items)"
assert_contains "$OUT" "Krippendorff's alpha   undefined (fewer than two pairable ratings)"
assert_not_contains "$OUT" "rows alice"

run 0 agree --sample deg --raters alice,bob --format json
printf '%s\n' "$OUT" >deg.json
run 0 agree --sample deg --raters alice,carol --format json
printf '%s\n' "$OUT" >none.json
python3 - <<'EOF'
import json
sym, loc, cause = json.load(open("deg.json"))
assert sym["kappa"] is None and sym["observed"] == 1.0 and sym["expected"] == 1.0, sym
assert sym["undefined"]["kappa"].startswith("expected agreement is 1"), sym["undefined"]
assert sym["alpha"] is None and sym["fleiss_kappa"] is None and sym["landis_koch"] is None
assert sym["confusion"]["counts"] == [[3]]
assert loc["kappa"] == 1.0 and loc["se"] == 0.0 and loc["alpha"] == 1.0 and loc["fleiss_kappa"] == 1.0
assert loc["landis_koch"] == "almost perfect" and loc["mchugh"] == "almost perfect"
assert cause["n"] == 1 and cause["kappa"] == 0.0 and cause["z"] is None and cause["p"] is None
assert cause["undefined"]["z"] == "standard error under H0 is 0"
for r in json.load(open("none.json")):
    assert r["n"] == 0 and r["kappa"] is None and r["observed"] is None and r["alpha"] is None
    assert r["undefined"]["kappa"] == "no items" and r["confusion"]["counts"] == []
EOF
run 0 agree --sample deg --raters alice,bob --format csv
csv=$OUT
assert_contains "$csv" ",symptom,top,alice bob,3,1,1.000000,1.000000,,,,,,,,,,"
run 0 agree --sample deg --raters alice,carol --format csv
for out in "$text" "$csv" "$OUT" "$(cat deg.json none.json)"; do
	case "$out" in
	*nan* | *NaN* | *inf* | *Infinity*) fail "a NaN or infinity in: $out" ;;
	esac
done

# Long names reach CSV whole: a rater name may be 100 bytes, a repository 140.
long_a=$(printf 'a%.0s' $(seq 1 100))
long_b=$(printf 'b%.0s' $(seq 1 100))
printf 'issue,rater,dimension,category\nx/y#1,%s,symptom,crash\nx/y#1,%s,symptom,hang\n' \
	"$long_a" "$long_b" >long.csv
run 0 codes import --sample deg long.csv
run 0 agree --sample deg --raters "$long_a,$long_b" --dimension symptom --by-repo --format csv
printf '%s\n' "$OUT" | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
assert [r["raters"] for r in rows] == ["a" * 100 + " " + "b" * 100] * 2, rows
assert [r["repository"] for r in rows] == ["x/y", ""], rows
' || fail "agree --format csv cut a long rater list"
