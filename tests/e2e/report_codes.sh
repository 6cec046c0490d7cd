# report_codes.sh - "issuemine report" on codes the taxonomy cannot place.
#
# The codes table does not itself tie a sub-category to its parent, or a
# category to its dimension; a database edited by hand (or by another tool)
# can hold such a code. report must name it and stop, not count it somewhere.
. "$(dirname "$0")/lib.sh"
. "$DATA/report/study.sh"

cat >two.txt <<'EOF2'
pytorch/pytorch#101         2018-02-10  crash            node-conversion      incompatibility/external
pytorch/pytorch#102         2018-03-21  crash            node-conversion      type-problem/node
EOF2
make_study two.txt s alice
run 0 report --sample s --table subcauses --format csv
assert_contains "$OUT" "Incompatibility,External,1,1"

# edit SQL: changes the database behind issuemine's back.
edit() {
	python3 - "$ISSUEMINE_DB" "$1" <<'EOF2'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute(sys.argv[2])
db.commit()
EOF2
}
issue101="(SELECT i.id FROM issues i WHERE i.number = 101)"
type_sub="(SELECT c.id FROM categories c JOIN categories p ON p.id = c.parent_id WHERE p.key = 'type-problem' AND c.key = 'node')"

# A sub-category under another parent (Type Problem/Node under Incompatibility).
edit "UPDATE codes SET subcategory_id = $type_sub WHERE issue_id = $issue101 AND subcategory_id IS NOT NULL"
for table in subcauses causes; do
	run 1 report --sample s --table "$table"
	one_line "$ERR"
	assert_contains "$ERR" "issuemine: pytorch/pytorch#101: the code in dimension 'cause' names sub-category id "
	assert_contains "$ERR" ", which is not under Incompatibility in taxonomy onnx-converters"
done
# A sub-category given as the category itself.
edit "UPDATE codes SET category_id = $type_sub, subcategory_id = NULL WHERE issue_id = $issue101 AND category_id IN (SELECT id FROM categories WHERE key = 'incompatibility')"
run 1 report --sample s --table causes
assert_contains "$ERR" ", which is not a category of it in taxonomy onnx-converters"
# A category of another dimension (a symptom as a cause).
edit "UPDATE codes SET category_id = (SELECT id FROM categories WHERE key = 'crash') WHERE issue_id = $issue101 AND category_id = $type_sub"
run 1 report --sample s --table causes
assert_contains "$ERR" "pytorch/pytorch#101: the code in dimension 'cause' names category id"
