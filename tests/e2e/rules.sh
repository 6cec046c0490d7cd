# rules.sh - a taxonomy's path rules: "taxonomy load" refuses bad rules with
# one line naming the file and the JSON path, loading nothing; a change of
# rules is a new codebook version with its own lines in history and diff;
# "report --table suggestions" agrees with an independent Python reference
# (tests/e2e/rules_reference.py) over a sample whose fixes come from the fake
# GitHub, with codes imported and suggestions accepted in the UI.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"
TAX="$ISSUEMINE_SRC/taxonomy/onnx-converters.json"
export GITHUB_TOKEN=ghp_any_token_the_fake_accepts

# edit FILE PYTHON: a copy of the shipped taxonomy changed by PYTHON (on t), as FILE.
edit() {
	python3 - "$TAX" "$TEST_DIR/$1" "$2" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(t, open(sys.argv[2], "w"), indent=1, ensure_ascii=False)
EOF
}
versions() { q "SELECT count(*) FROM taxonomy_versions"; }
stored_rules() { q "SELECT count(*) || ' ' || coalesce(sum(length(paths)), 0) FROM taxonomy_rules"; }

run 0 taxonomy load "$TAX"
assert_contains "$OUT" "loaded taxonomy onnx-converters: 3 dimensions, version 1"
nrules=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["rules"]))' "$TAX")
assert_eq "$(q "SELECT count(*) FROM taxonomy_rules")" "$nrules"
before=$(stored_rules)
run 0 taxonomy show
assert_contains "$OUT" "Suggestion rules"
assert_contains "$OUT" "Location = Node Conversion"
assert_contains "$OUT" "from: pytorch/pytorch, TorchScript exporter"
run 0 taxonomy show --format json
assert_contains "$OUT" '"rules": ['

# Bad rules: one line with the file and the JSON path; nothing loaded.
edit bad-dim.json 't["rules"][2]["dimension"] = "stage"'
run 1 taxonomy load "$TEST_DIR/bad-dim.json"
assert_eq "$ERR" "issuemine: $TEST_DIR/bad-dim.json: rules[2].dimension: no dimension 'stage' (valid: symptom, location, cause)"
edit bad-cat.json 't["rules"][0]["category"] = "conversion"'
run 1 taxonomy load "$TEST_DIR/bad-cat.json"
assert_eq "$ERR" "issuemine: $TEST_DIR/bad-cat.json: rules[0].category: location: no category 'conversion' (valid: load-model, node-conversion, optimization, export, validation, not-distinguishable)"
edit bad-glob.json 't["rules"][1]["paths"][2] = "torch/csrc/jit/passes/onnx/[shape"'
run 1 taxonomy load "$TEST_DIR/bad-glob.json"
assert_eq "$ERR" "issuemine: $TEST_DIR/bad-glob.json: rules[1].paths[2]: bad glob 'torch/csrc/jit/passes/onnx/[shape': expected ']' to close this '[' of the glob (at byte 27)"
edit bad-field.json 't["rules"][0]["glob"] = "x"'
run 1 taxonomy load "$TEST_DIR/bad-field.json"
one_line "$ERR"
assert_contains "$ERR" "rules[0].glob: unknown field"
edit bad-dup.json 't["rules"][3]["paths"].append(t["rules"][0]["paths"][0])'
run 1 taxonomy load "$TEST_DIR/bad-dup.json"
assert_contains "$ERR" "rules[3].paths[8]: 'torch/onnx/symbolic*.py' is already a path of rules[0]"
assert_eq "$(versions)" 1
assert_eq "$(stored_rules)" "$before"

# A change of rules is a new version, and says what changed.
edit more.json 't["rules"][8]["paths"].append("tf2onnx/graph_builder.py"); t["rules"][11]["source"] = "docs only"'
run 0 taxonomy load "$TEST_DIR/more.json"
assert_contains "$OUT" "version 2"
run 0 taxonomy history onnx-converters
assert_contains "$OUT" "location: rule added: tf2onnx/optimizer/, tf2onnx/graph_builder.py → optimization"
assert_contains "$OUT" "location: rule removed: tf2onnx/optimizer/ → optimization"
assert_contains "$OUT" "cause: rule source changed: docs/, *.md, *.rst → documentation (when every file does)"
run 0 taxonomy diff onnx-converters 1 2 --format json
assert_contains "$OUT" '"change": "rule-added"'
edit swapped.json 't["rules"][3], t["rules"][4] = t["rules"][4], t["rules"][3]'
run 0 taxonomy load "$TEST_DIR/swapped.json"
run 0 taxonomy diff onnx-converters 1 3
assert_contains "$OUT" "location: rules reordered (the first that matches a file decides)"
run 0 taxonomy load "$TAX"
assert_contains "$OUT" "version 4"
assert_eq "$(stored_rules)" "$before"

# A sample whose fixes come from the fake GitHub.
fake_start --seed 7 --issues 160 --profile lean --repo pytorch/pytorch
run 0 fetch -q --api-url "$FAKE_URL" pytorch/pytorch
run 0 filter --save all 'is:issue is:closed'
run 0 sample --from all --n 40 --seed 3 --save study
run 0 fixes fetch -q --api-url "$FAKE_URL" --set study

# Before anything is coded: the report needs codes.
run 1 report --sample study --rater alice --table suggestions
one_line "$ERR"

# alice takes the suggestions of the first issues in the UI ('s', then the next issue) ...
printf 'slslslslsl' >"$TEST_DIR/keys"
ISSUEMINE_TUI_SCRIPT="$TEST_DIR/keys" run 0 label --sample study --rater alice
accepted=$(q "SELECT count(*) FROM code_log WHERE origin = 'suggestion'")
[ "$accepted" -gt 0 ] || fail "no suggestion accepted in the first issues"
# ... codes the rest from a CSV, excludes one issue, and changes her mind on one accepted code.
python3 - "$ISSUEMINE_DB" "$TEST_DIR/codes.csv" <<'EOF'
import random, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT r.full_name || '#' || i.number FROM set_members m JOIN sets s ON s.id = m.set_id "
                  "JOIN issues i ON i.id = m.issue_id JOIN repositories r ON r.id = i.repo_id "
                  "WHERE s.name = 'study' AND i.id NOT IN (SELECT issue_id FROM codes) ORDER BY m.position").fetchall()
rng = random.Random(5)
loc = ["load-model", "node-conversion", "node-conversion", "optimization", "export", "validation"]
cause = ["testing", "incompatibility", "shape-problem", "type-problem", "documentation", "misconfiguration"]
with open(sys.argv[2], "w") as f:
    f.write("issue,rater,dimension,category,exclusion\n")
    for n, (issue,) in enumerate(rows):
        if n == 3:
            f.write("%s,alice,,,not-a-failure\n" % issue)
            continue
        f.write("%s,alice,location,%s,\n" % (issue, rng.choice(loc)))
        if n % 3:
            f.write("%s,alice,cause,%s,\n" % (issue, rng.choice(cause)))
EOF
run 0 codes import --sample study "$TEST_DIR/codes.csv"
changed=$(q "SELECT r.full_name || '#' || i.number FROM code_log l JOIN issues i ON i.id = l.issue_id
	JOIN repositories r ON r.id = i.repo_id WHERE l.origin = 'suggestion' ORDER BY l.id LIMIT 1")
run 0 code --sample study --rater alice "$changed" location=not-distinguishable

# The report's numbers are the reference's.
run 0 report --sample study --rater alice --table suggestions --format json
python3 - "$OUT" "$(python3 "$ISSUEMINE_SRC/tests/e2e/rules_reference.py" "$ISSUEMINE_DB" "$TAX" study alice)" <<'EOF'
import json, sys
got, want = json.loads(sys.argv[1]), json.loads(sys.argv[2])
mine = {}
for d in got["suggestions"]:
    mine[d["dimension"]] = {"coded": d["coded"], "suggested": d["suggested"], "agreed": d["agreed"],
                            "accepted": d["accepted"],
                            "categories": {c["category"]: [c["suggested"], c["coded"], c["agreed"], c["accepted"]]
                                           for c in d["categories"]}}
    for c in d["categories"]:
        if c["suggested"]:
            assert abs(c["precision"] - c["agreed"] / c["suggested"]) < 1e-12, c
    if d["coded"]:
        assert abs(d["coverage"] - d["suggested"] / d["coded"]) < 1e-12, d
if mine != want:
    sys.exit("report and reference differ:\n%s\n%s" % (json.dumps(mine, sort_keys=True), json.dumps(want, sort_keys=True)))
loc = mine["location"]
assert loc["suggested"] > 5 and loc["accepted"] > 0 and loc["agreed"] > loc["accepted"], loc
print("suggestions: location %d/%d suggested, %d agreed, %d accepted" % (
    loc["suggested"], loc["coded"], loc["agreed"], loc["accepted"]))
EOF
assert_contains "$OUT" '"excluded": 1'
# Text, CSV and the output directory.
run 0 report --sample study --rater alice --table suggestions
assert_contains "$OUT" "Suggestions of the path rules"
assert_contains "$OUT" "1 excluded by alice left out (Not a failure: 1)"
assert_contains "$OUT" "Location   Total"
run 0 report --sample study --rater alice --table suggestions --format csv
assert_eq "$(printf '%s\n' "$OUT" | head -1 | tr -d '\r')" "dimension,category,suggested,coded,agreed,accepted,precision,recall,precision (not accepted),coverage"
run 0 report --sample study --rater alice --table suggestions --output-dir "$TEST_DIR/out" --format markdown
[ -s "$TEST_DIR/out/suggestions.md" ] || fail "no suggestions.md"
# "all" does not include it (it reads fix data, not codes alone).
run 0 report --sample study --rater alice
assert_not_contains "$OUT" "Suggestions of the path rules"

# A taxonomy without rules has nothing to measure; an unknown table is a usage error.
edit norules.json 'del t["rules"]'
run 0 taxonomy load "$TEST_DIR/norules.json"
run 1 report --sample study --rater alice --table suggestions
assert_eq "$ERR" "issuemine: report: taxonomy onnx-converters has no path rules to measure (see \"rules\" in issuemine(1), TAXONOMY FILES)"
run 2 report --sample study --rater alice --table suggestion
assert_contains "$ERR" "exclusions, funnel, suggestions"
