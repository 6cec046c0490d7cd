# taxonomy_versions.sh - codebook versions: a taxonomy edited twice keeps its
# history (version, content hash, what changed) and diffs between any two
# versions; codes keep the version they were made under, and agree and
# report say when a sample's codes span versions; a change that would orphan
# codes or exclusions is refused and writes nothing.
. "$(dirname "$0")/lib.sh"
export ISSUEMINE_NOW=2024-01-02T03:04:05Z

run 0 import "$DATA/dump-small.json"
cat >mini.json <<'JSON'
{"name": "mini", "title": "A small codebook", "dimensions": [{"key": "kind", "name": "Kind", "categories": [
  {"key": "bug", "name": "Bug", "definition": "Broken."},
  {"key": "feature", "name": "Feature"},
  {"key": "chore", "name": "Chore"}]}]}
JSON
run 0 taxonomy load mini.json
assert_eq "$OUT" "loaded taxonomy mini: 1 dimension, version 1"
run 0 code --taxonomy mini --sample s --rater r --add-to-sample pytorch/pytorch#101 kind=bug
# The same file again: no new version.
run 0 taxonomy load mini.json
assert_eq "$OUT" "loaded taxonomy mini: 1 dimension, version 1 (unchanged: no new version)"

# Edit 1: a definition reworded, a category renamed, one added with a sub-category.
cat >mini2.json <<'JSON'
{"name": "mini", "title": "A small codebook", "dimensions": [{"key": "kind", "name": "Kind", "categories": [
  {"key": "bug", "name": "Defect", "definition": "Does not work as documented.",
   "subcategories": [{"key": "crash", "name": "Crash"}]},
  {"key": "feature", "name": "Feature"},
  {"key": "chore", "name": "Chore"},
  {"key": "docs", "name": "Documentation", "aliases": ["Docs"]}]}]}
JSON
run 0 taxonomy load mini2.json --format json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["version"] == 2 and d["changed"] is True and len(d["hash"]) == 64, d
' || fail "taxonomy load --format json"
run 0 code --taxonomy mini --sample s --rater r pytorch/pytorch#101 kind=bug/crash
run 0 code --taxonomy mini --sample s --rater r --add-to-sample pytorch/pytorch#102 kind=docs

# Edit 2: an unused category removed, the title changed, an exclusion reason list.
cat >mini3.json <<'JSON'
{"name": "mini", "title": "A smaller codebook", "dimensions": [{"key": "kind", "name": "Kind", "categories": [
  {"key": "bug", "name": "Defect", "definition": "Does not work as documented.",
   "subcategories": [{"key": "crash", "name": "Crash"}]},
  {"key": "feature", "name": "Feature"},
  {"key": "docs", "name": "Documentation", "aliases": ["Docs"]}]}],
 "exclusions": [{"key": "not-a-failure", "name": "Not a failure"}, {"key": "duplicate", "name": "Duplicate"}]}
JSON
run 0 taxonomy load mini3.json
assert_eq "$OUT" "loaded taxonomy mini: 1 dimension, version 3"
run 0 code --taxonomy mini --sample s --rater r --add-to-sample onnx/tensorflow-onnx#7 --exclude duplicate

run 0 taxonomy history mini
assert_eq "$(printf '%s\n' "$OUT" | sed 's/  [0-9a-f]\{12\}  /  HASH  /')" "taxonomy mini: 3 versions

version 1  HASH  2024-01-02T03:04:05Z  mini.json
    0 codes and 0 exclusions made under it
    first version

version 2  HASH  2024-01-02T03:04:05Z  mini2.json
    2 codes and 0 exclusions made under it
    kind: sub-category rule: absent → optional
    kind: sub-category added: bug/crash (Crash)
    kind: category added: docs (Documentation)
    kind: bug renamed: 'Bug' → 'Defect'
    kind: bug: definition reworded

version 3  HASH  2024-01-02T03:04:05Z  mini3.json
    0 codes and 1 exclusion made under it
    title changed: 'A small codebook' → 'A smaller codebook'
    kind: category removed: chore (Chore)
    exclusion reason not-a-failure: definition reworded
    exclusion reason added: duplicate (Duplicate)
    exclusion reason removed: out-of-scope (Out of scope)
    exclusion reason removed: not-enough-information (Not enough information)"
# Codes keep the version they were made under: #101's first code was replaced under version 2.
assert_eq "$(q "SELECT i.number || ' ' || v.version FROM codes c JOIN issues i ON i.id = c.issue_id JOIN taxonomy_versions v ON v.id = c.version_id ORDER BY 1")" "101 2
102 2"
assert_eq "$(q "SELECT group_concat(coalesce(v.version, '-'), ' ') FROM (SELECT version_id FROM code_log ORDER BY id) l LEFT JOIN taxonomy_versions v ON v.id = l.version_id")" "1 2 2 3"
run 0 taxonomy history mini --format json
printf '%s\n' "$OUT" | python3 -c '
import hashlib, json, sys
d = json.load(sys.stdin)
v = d["versions"]
assert [x["version"] for x in v] == [1, 2, 3] and d["taxonomy"] == "mini", d
assert len({x["hash"] for x in v}) == 3
assert {"change": "added", "dimension": "kind", "category": "docs", "name": "Documentation"} in v[1]["changes"], v[1]
assert {"change": "removed", "dimension": "kind", "category": "chore", "name": "Chore"} in v[2]["changes"], v[2]
' || fail "taxonomy history --format json"
# The hash is SHA-256 of the canonical content stored with the version.
assert_eq "$(q "SELECT hash FROM taxonomy_versions WHERE version = 1 AND taxonomy_id = (SELECT id FROM taxonomies WHERE name = 'mini')")" \
	"$(q "SELECT content FROM taxonomy_versions WHERE version = 1 AND taxonomy_id = (SELECT id FROM taxonomies WHERE name = 'mini')" | python3 -c 'import sys, hashlib, csv; print(hashlib.sha256(next(csv.reader(sys.stdin))[0].encode()).hexdigest())')"

# diff between any two versions, either way.
run 0 taxonomy diff mini 1 3
assert_contains "$OUT" "taxonomy mini, version 1 → 3: "
assert_contains "$OUT" "  kind: category removed: chore (Chore)"
assert_contains "$OUT" "  kind: category added: docs (Documentation)"
assert_contains "$OUT" "  kind: bug renamed: 'Bug' → 'Defect'"
run 0 taxonomy diff mini 3 2 --format json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["from"] == 3 and d["to"] == 2
assert {"change": "added", "dimension": "kind", "category": "chore", "name": "Chore"} in d["changes"], d
' || fail "taxonomy diff --format json"
run 0 taxonomy diff mini 2 2
assert_eq "$OUT" "taxonomy mini, version 2 → 2: 0 changes"
# An old version as it was.
run 0 taxonomy show mini --version 1
assert_contains "$OUT" "Bug  [bug]"
assert_contains "$OUT" "Broken."
run 0 taxonomy list
assert_contains "$OUT" "mini                 v3"

# Refused, one line, nothing written: removing a used category, a used sub-category,
# or a used exclusion reason.
snapshot() { q "SELECT (SELECT count(*) FROM taxonomy_versions) || ' ' || (SELECT group_concat(key) FROM categories) || ' ' || (SELECT group_concat(key) FROM exclusion_reasons) || ' ' || (SELECT title FROM taxonomies WHERE name = 'mini')"; }
before=$(snapshot)
sed 's/{"key": "docs", "name": "Documentation", "aliases": \["Docs"\]}/{"key": "howto", "name": "How-to"}/; s/A smaller/An orphaning/' mini3.json >orphan.json
run 1 taxonomy load orphan.json
one_line "$ERR"
assert_eq "$ERR" "issuemine: taxonomy mini: kind: category 'docs' (Documentation) is used by 1 code; it cannot be removed"
python3 -c 'import json; t = json.load(open("mini3.json")); del t["dimensions"][0]["categories"][0]["subcategories"]; json.dump(t, open("nosub.json", "w"))'
run 1 taxonomy load nosub.json
assert_eq "$ERR" "issuemine: taxonomy mini: kind: category 'crash' (Crash) is used by 1 code; it cannot be removed"
sed 's/, {"key": "duplicate", "name": "Duplicate"}//' mini3.json >noreason.json
run 1 taxonomy load noreason.json
assert_eq "$ERR" "issuemine: taxonomy mini: exclusion reason 'duplicate' (Duplicate) is used by 1 exclusion; it cannot be removed"
assert_eq "$(snapshot)" "$before"
printf '{"name": "x", "dimensions": [{"key": "k", "name": "K", "categories": [{"key": "a", "name": "A"}]}], "exclusions": []}' >empty.json
run 1 taxonomy load empty.json
assert_contains "$ERR" "empty.json: exclusions: empty (leave it out for the default reasons"
printf '{"name": "x", "dimensions": [{"key": "k", "name": "K", "categories": [{"key": "a", "name": "A"}]}], "exclusions": [{"key": "d", "name": "D"}, {"key": "e", "name": "d"}]}' >dup.json
run 1 taxonomy load dup.json
assert_eq "$ERR" "issuemine: dup.json: exclusions[1]: 'd' is already used by exclusions[0]"
run 1 taxonomy history nope
one_line "$ERR"
run 1 taxonomy diff mini 1 9
assert_eq "$ERR" "issuemine: taxonomy mini has no version 9 (versions: 1 to 3)"
run 2 taxonomy diff mini 1
run 2 taxonomy diff mini 1 x
run 2 taxonomy history
run 2 taxonomy list --version 2

# agree and report say when a sample's codes span versions.
run 0 taxonomy load "$ISSUEMINE_SRC/taxonomy/onnx-converters.json"
run 0 taxonomy show onnx-converters --format json
printf '%s\n' "$OUT" >onnx.json
for r in alice bob; do
	run 0 code --taxonomy onnx-converters --sample study --rater $r --add-to-sample pytorch/pytorch#101 symptom=crash cause=typo location=export
done
python3 - <<'PY'
import json
t = json.load(open("onnx.json"))
t["dimensions"][0]["categories"][0]["definition"] += " (reworded)"
json.dump(t, open("onnx2.json", "w"))
PY
run 0 taxonomy load onnx2.json
assert_eq "$OUT" "loaded taxonomy onnx-converters: 3 dimensions, version 2"
for r in alice bob; do
	run 0 code --taxonomy onnx-converters --sample study --rater $r --add-to-sample pytorch/pytorch#102 symptom=hang cause=typo location=export
done
run 0 agree --taxonomy onnx-converters --sample study --raters alice,bob
assert_contains "$OUT" "note: the codes span versions 1 and 2 of taxonomy onnx-converters (see 'issuemine taxonomy diff onnx-converters 1 2')"
run 0 agree --taxonomy onnx-converters --sample study --raters alice,bob --format json
assert_contains "$OUT" '"taxonomy_versions": ['
run 0 agree --taxonomy onnx-converters --sample study --raters alice,bob --format csv
assert_contains "$ERR" "warning: the codes span versions 1 and 2"
run 0 report --taxonomy onnx-converters --sample study --rater alice --table symptoms
assert_contains "$OUT" "sample study, rater alice, 2 issues; the codes span versions 1 and 2 of taxonomy onnx-converters"
run 0 report --taxonomy onnx-converters --sample study --rater alice --table symptoms --format json
assert_contains "$OUT" '"taxonomy_versions": ['
