# taxonomy.sh - "issuemine taxonomy": the built-in codebook, loading, reloading, refusals.
. "$(dirname "$0")/lib.sh"

# A fresh database gets onnx-converters on first use.
run 0 taxonomy list
assert_contains "$OUT" "onnx-converters"
run 0 taxonomy show
assert_contains "$OUT" "Incompatibility  [incompatibility]"
assert_contains "$OUT" "Node Conversion  [node-conversion]"
run 0 taxonomy show onnx-converters --format markdown
assert_contains "$OUT" "# Codebook: Failures of DL model converters to ONNX"
assert_contains "$OUT" "### Algorithmic Error (\`algorithmic-error\`)"
assert_contains "$OUT" "#### Incorrect Tracing (\`incorrect-tracing\`)"
run 0 taxonomy show --format json
python3 - "$OUT" <<'PY'
import json, sys
t = json.loads(sys.argv[1])
names = {d["key"]: [c["name"] for c in d["categories"]] for d in t["dimensions"]}
assert names["symptom"] == ["Crash", "Wrong Model", "Bad Performance", "Build Failure", "Hang", "Unreported"], names
assert names["location"] == ["Load Model", "Node Conversion", "Optimization", "Export", "Validation", "Not Distinguishable"], names
assert names["cause"] == ["API Misuse", "Incompatibility", "Type Problem", "Shape Problem",
    "Incorrect Numerical Computation", "Incorrect Assignment", "Incorrect Exception Handling",
    "Misconfiguration", "Concurrency", "Algorithmic Error", "Typo", "Testing", "Documentation", "Others"], names
subs = {c["name"]: [s["name"] for s in c.get("subcategories", [])] for c in t["dimensions"][2]["categories"]}
assert subs["API Misuse"] == ["Wrong API", "Condition Missing or Redundant", "API Missing or Redundant"]
assert subs["Incompatibility"] == ["Internal", "External", "Resource"]
assert subs["Type Problem"] == ["Node", "Tensor", "Conventional"]
assert subs["Algorithmic Error"] == ["Incorrect Optimization", "Incorrect Tracing"]
assert t["dimensions"][2]["subcategory"] == "optional"
PY

# Load a second taxonomy, then edit it.
cat >mini.json <<'JSON'
{"name": "mini", "dimensions": [{"key": "kind", "name": "Kind", "categories": [
  {"key": "bug", "name": "Bug", "definition": "Broken."},
  {"key": "feature", "name": "Feature"}]}]}
JSON
run 0 taxonomy load mini.json
assert_contains "$OUT" "loaded taxonomy mini"
run 0 taxonomy list --format json
assert_contains "$OUT" '"name": "mini"'
# Now two taxonomies: commands must be told which.
run 0 import "$DATA/dump-small.json"
run 1 code --sample s --rater r --add-to-sample pytorch/pytorch#101 kind=bug
assert_contains "$ERR" "several taxonomies (mini, onnx-converters): say which with --taxonomy"
run 0 code --taxonomy mini --sample s --rater r --add-to-sample pytorch/pytorch#101 kind=bug
sed 's/"Broken."/"Does not work as documented."/' mini.json >mini2.json
run 0 taxonomy load mini2.json
run 0 taxonomy show mini
assert_contains "$OUT" "Does not work as documented."
# Removing a coded category is refused with the count; the database keeps the old one.
cat >mini3.json <<'JSON'
{"name": "mini", "dimensions": [{"key": "kind", "name": "Kind", "categories": [
  {"key": "feature", "name": "Feature"}]}]}
JSON
run 1 taxonomy load mini3.json
one_line "$ERR"
assert_contains "$ERR" "category 'bug' (Bug) is used by 1 code; it cannot be removed"
run 0 taxonomy show mini
assert_contains "$OUT" "Bug  [bug]"

# Broken files name the JSON path.
printf '{"name": "x", "dimensions": [{"key": "k", "name": "K", "categories": [{"key": "a", "nme": "A"}]}]}' >typo.json
run 1 taxonomy load typo.json
one_line "$ERR"
assert_eq "$ERR" "issuemine: typo.json: dimensions[0].categories[0].nme: unknown field"
printf '{"name": "x", "dimensions": [' >trunc.json
run 1 taxonomy load trunc.json
assert_contains "$ERR" "trunc.json: line 1, column"
run 1 taxonomy load missing.json
run 2 taxonomy
run 2 taxonomy frob
run 2 taxonomy load
run 1 taxonomy show nope
assert_contains "$ERR" "no taxonomy named 'nope' (loaded: mini, onnx-converters)"
