# report_spearman.sh - "issuemine report --spearman": bins, attribution, options, rho and p.
. "$(dirname "$0")/lib.sh"
. "$DATA/report/study.sh"

# bins ARGS...: the bins of a run as "label:issues:selected:size" words.
bins() {
	"$ISSUEMINE" report --format json --spearman "$@" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join("%s:%d:%d:%d" % (b["release"], b["issues"], b["selected"], b["size"]) for b in d["bins"]))'
}

# counts ARGS...: attributed, before_first, in_dropped, undated.
counts() {
	"$ISSUEMINE" report --format json --spearman "$@" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["attributed"], d["before_first"], d["in_dropped"], d["undated"])'
}

# --- The issue's example: sizes 1..5 against issues 5, 6, 7, 8, 7 ---
cat >five.csv <<'EOF'
version,date,added,updated
a,2020-01-01,1,0
b,2020-02-01,2,0
c,2020-03-01,3,0
d,2020-04-01,4,0
e,2020-05-01,5,0
EOF
run 0 releases import five five.csv
{
	n=0
	month=1
	for count in 5 6 7 8 7; do
		for day in $(seq 1 "$count"); do
			n=$((n + 1))
			# Every other issue is an Incompatibility, the rest Typos.
			cause=typo
			[ $((n % 2)) = 0 ] && cause=incompatibility
			printf 'ex/ample#%d 2020-%02d-%02d crash node-conversion %s\n' "$n" "$month" "$((day + 1))" "$cause"
		done
		month=$((month + 1))
	done
} >example.txt
make_study example.txt example alice
run 0 report --sample example --spearman --releases five --format json
printf '%s' "$OUT" | python3 -m json.tool >/dev/null || fail "spearman JSON does not parse"
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [b["issues"] for b in d["bins"]] == [5, 6, 7, 8, 7], d["bins"]
assert [b["size"] for b in d["bins"]] == [1, 2, 3, 4, 5]
c = d["correlations"][0]
assert (c["x"], c["y"], c["n"]) == ("size", "issues", 5), c
# scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])
assert abs(c["rho"] - 0.8207826816681233) < 1e-13, c["rho"]
assert abs(c["p"] - 0.08858700531354381) < 1e-13, c["p"]
# The exact p: 16 of the 5! pairings of the ranks are as extreme (checked by enumeration).
assert abs(c["p_exact"] - 16 / 120) < 1e-15, c["p_exact"]
assert [x["y"] for x in d["correlations"]] == ["issues", "selected", "selected_share"]
assert {"bins", "correlations"} <= set(d)
' || fail "the Spearman example of the issue"
run 0 report --sample example --spearman --releases five
assert_contains "$OUT" "release size  issues                       0.8208  0.0886   0.1333  5"
assert_contains "$OUT" "a        2020-01-01     1      1        0       5         2   0.40"
run 0 report --sample example --spearman --releases five --table correlations --format csv
# CSV keeps 15 significant digits for scripts.
assert_eq "$(printf '%s\n' "$OUT" | tr -d '\r' | head -2)" "x,y,rho,p,exact p,n,note
release size,issues,0.820782681668123,0.0885870053135438,0.133333333333333,5,"
# Constant input: every bin the same size gives no rho, said in words.
cat >flat.csv <<'EOF'
version,date,added,updated
a,2020-01-01,3,0
b,2020-02-01,3,0
c,2020-03-01,3,0
EOF
run 0 releases import flat flat.csv
for format in text json markdown latex; do
	run 0 report --sample example --spearman --releases flat --format "$format"
	assert_not_contains "$(printf '%s' "$OUT" | tr 'A-Z' 'a-z')" "nan" "$format output"
done
run 0 report --sample example --spearman --releases flat
assert_contains "$OUT" "release size  issues                       undefined (x is constant)  -        -  3"
run 0 report --sample example --spearman --releases flat --table correlations --format csv
assert_contains "$OUT" "release size,issues,,,,3,x is constant"
run 0 report --sample example --spearman --releases flat --format json
assert_contains "$OUT" '"rho": null'
assert_contains "$OUT" '"note": "x is constant"'

# --- Attribution: the latest release dated on or before the creation day ---
cat >series.csv <<'EOF'
version,date,added,updated
1.0,2021-01-10,10,0
1.1,2021-03-01,0,4
1.2,2021-03-01,1,1
2.0-rc1,2021-06-01,5,5
2.0,2021-09-01,8,0
3.0,2021-12-01,2,1
EOF
run 0 releases import s series.csv
cat >attr.txt <<'EOF'
# before the first release, on release days, between releases, after the last
at/tr#1 2021-01-09 crash node-conversion incompatibility
at/tr#2 2021-01-10 crash node-conversion type-problem
at/tr#3 2021-02-28 crash node-conversion typo
at/tr#4 2021-03-01 crash node-conversion typo
at/tr#5 2021-05-31 crash node-conversion incompatibility
at/tr#6 2021-06-01 crash node-conversion typo
at/tr#7 2021-08-31 crash node-conversion typo
at/tr#8 2021-09-01 crash node-conversion type-problem
at/tr#9 2021-11-30 crash node-conversion typo
at/tr#10 2021-12-01 crash node-conversion incompatibility
at/tr#11 2023-01-01 crash node-conversion -
EOF
make_study attr.txt attr alice
# Shared dates (1.1 and 1.2 on 2021-03-01) make one bin, sizes summed.
assert_eq "$(bins --sample attr --releases s)" "1.0:2:1:10 1.1-1.2:2:1:6 2.0-rc1:2:0:10 2.0:2:1:8 3.0:2:1:3"
assert_eq "$(counts --sample attr --releases s)" "10 1 0 0"
# --drop-first and --drop-last, each on its own: their issues are not moved elsewhere.
assert_eq "$(bins --sample attr --releases s --drop-first)" "1.1-1.2:2:1:6 2.0-rc1:2:0:10 2.0:2:1:8 3.0:2:1:3"
assert_eq "$(counts --sample attr --releases s --drop-first)" "8 1 2 0"
assert_eq "$(bins --sample attr --releases s --drop-last)" "1.0:2:1:10 1.1-1.2:2:1:6 2.0-rc1:2:0:10 2.0:2:1:8"
assert_eq "$(counts --sample attr --releases s --drop-last)" "8 1 2 0"
# --merge A-B joins the bins of A..B (versions may contain '-'); repeatable.
assert_eq "$(bins --sample attr --releases s --merge 1.1-2.0-rc1)" "1.0:2:1:10 1.1-2.0-rc1:4:1:16 2.0:2:1:8 3.0:2:1:3"
assert_eq "$(bins --sample attr --releases s --merge 1.2-2.0)" "1.0:2:1:10 1.1-2.0:6:2:24 3.0:2:1:3"
assert_eq "$(bins --sample attr --releases s --merge 1.0-1.1 --merge 2.0-3.0)" "1.0-1.2:4:2:16 2.0-rc1:2:0:10 2.0-3.0:4:2:11"
assert_eq "$(bins --sample attr --releases s --merge 1.1-2.0 --drop-first --drop-last)" "1.1-2.0:6:2:24"
run 1 report --sample attr --spearman --releases s --merge 1.1-9.9
assert_eq "$ERR" "issuemine: --merge 1.1-9.9: expected FIRST-LAST, two versions of series s"
run 1 report --sample attr --spearman --releases s --merge 2.0-1.0
assert_eq "$ERR" "issuemine: --merge 2.0-1.0: 2.0 comes after 1.0 in series s"
run 1 report --sample attr --spearman --releases s --merge 1.0-2.0 --merge 2.0-3.0
assert_eq "$ERR" "issuemine: --merge 2.0-3.0 overlaps an earlier --merge"
run 2 report --sample attr --merge 1.0-2.0
run 2 report --sample attr --drop-first
assert_contains "$ERR" "--drop-first goes with --spearman"
run 2 report --sample attr --table causes --drop-last
# --size picks what a release's size is.
assert_eq "$(bins --sample attr --releases s --size added)" "1.0:2:1:10 1.1-1.2:2:1:1 2.0-rc1:2:0:5 2.0:2:1:8 3.0:2:1:2"
assert_eq "$(bins --sample attr --releases s --size updated)" "1.0:2:1:0 1.1-1.2:2:1:5 2.0-rc1:2:0:5 2.0:2:1:0 3.0:2:1:1"
# --causes picks the selected causes (a sub-category narrows one).
assert_eq "$(bins --sample attr --releases s --causes typo)" "1.0:2:1:10 1.1-1.2:2:1:6 2.0-rc1:2:2:10 2.0:2:1:8 3.0:2:0:3"
run 0 report --sample attr --spearman --releases s --causes "incompatibility/external, Typo" --format json
assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["causes"])')" \
	"['Incompatibility/External', 'Typo']"
run 1 report --sample attr --spearman --releases s --causes "Incompatibility/Weird"
assert_eq "$ERR" "issuemine: --causes: Incompatibility has no sub-category 'Weird'"
# --from/--to: issues outside are left out, and so are bins whose period misses the window.
assert_eq "$(bins --sample attr --releases s --from 2021-06-15 --to 2021-10-01)" "2.0-rc1:1:0:10 2.0:1:1:8"
assert_eq "$(counts --sample attr --releases s --from 2021-06-15 --to 2021-10-01)" "2 0 0 0"
# The report says where every issue went.
run 0 report --sample attr --spearman --releases s --drop-first
assert_contains "$OUT" "8 of 11 issues in these bins, 1 before the first release, 2 in bins left out; dropped the first bin"

# --- The paper's run (section 6.1.2) on the study of report.sh ---
make_study "$DATA/report/study.txt" study alice
run 0 report --sample study --spearman --releases onnx-opsets --drop-first --drop-last --merge 2-7
assert_contains "$OUT" "$(printf '2-7      2018-03-21    57      8       49       3         2   0.67')"
assert_contains "$OUT" "19 of 22 issues in these bins, 1 before the first release, 2 in bins left out; merged 2-7; dropped the first and last bins"
for format in text json markdown latex; do
	run 0 report --sample study --spearman --releases onnx-opsets --drop-first --drop-last --merge 2-7 --format "$format"
	printf '%s\n' "$OUT" >"paper.$format"
done
python3 -m json.tool paper.json >/dev/null || fail "paper run: JSON does not parse"
python3 - paper.json <<'EOF' || fail "paper run: bins or correlations wrong"
import json, sys
d = json.load(open(sys.argv[1]))
bins = d["bins"]
assert [b["release"] for b in bins] == ["2-7"] + [str(v) for v in range(8, 18)], bins
# Recompute rho of size vs issues with average ranks, by hand.
def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r
def pearson(x, y):
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / (sxx * syy) ** 0.5
x = [b["size"] for b in bins]
for corr, y in zip(d["correlations"][:2], ([b["issues"] for b in bins], [b["selected"] for b in bins])):
    assert abs(corr["rho"] - pearson(ranks(x), ranks(y))) < 1e-12, corr
    assert corr["n"] == 11 and 0 <= corr["p"] <= 1
share = [(b["size"], b["share"]) for b in bins if b["share"] is not None]
c = d["correlations"][2]
assert c["n"] == len(share) == sum(1 for b in bins if b["issues"])
assert abs(c["rho"] - pearson(ranks([s for s, _ in share]), ranks([v for _, v in share]))) < 1e-12
EOF
grep -q '^\\begin{tabular}{@{}llrrrrrr@{}}$' paper.latex || fail "paper run: bins tabular spec"
grep -q '^\\begin{tabular}{@{}llrrrr@{}}$' paper.latex || fail "paper run: correlations tabular spec"
grep -q '^| release | date | size | added | updated | issues | selected | share |$' paper.markdown || fail "paper run: markdown header"

# Usage errors.
run 2 report --sample study --spearman
assert_contains "$ERR" "--spearman needs --releases NAME"
run 2 report --sample study --spearman --releases onnx-opsets --table symptoms
run 2 report --sample study --spearman --releases onnx-opsets --format csv
run 2 report --sample study --spearman --releases onnx-opsets --size big
run 1 report --sample study --spearman --releases nope
assert_contains "$ERR" "no release series 'nope' (known: "
