# stats_sql.sh - "issuemine stats" and "issuemine sql" on an imported database.
. "$(dirname "$0")/lib.sh"

run 1 stats
assert_contains "$ERR" "test.db"
one_line "$ERR"
run 0 import "$DATA/dump-small.json"
run 0 stats
assert_contains "$OUT" "pytorch/pytorch"
assert_contains "$OUT" "onnx/tensorflow-onnx"
assert_contains "$OUT" "cross-referenced"
run 0 stats --format json
python3 - "$OUT" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
repos = {r["repository"]: r for r in d["repositories"]}
pt = repos["pytorch/pytorch"]
assert pt["issues"] == 2 and pt["pull_requests"] == 1, pt
assert pt["closed"] == 3 and pt["open"] == 0, pt
assert pt["events"] == 9 and pt["events_by_type"]["commented"] == 3, pt
assert pt["oldest"] == "2021-03-02T10:00:00Z" and pt["newest"] == "2021-04-01T10:00:00Z", pt
tf = repos["onnx/tensorflow-onnx"]
assert tf["open"] == 1 and tf["events_by_type"] == {"closed": 1, "connected": 1}, tf
assert pt["minimal"] == 0 and tf["minimal"] == 0, (pt, tf)
PY

# sql: CSV with a header, RFC 4180 quoting, read-only.
run 0 sql "SELECT number, title FROM issues WHERE number IN (101, 7) ORDER BY number"
assert_eq "$(printf '%s' "$OUT" | tr -d '\r')" "number,title
7,Conv with groups converts wrong
101,Exporting torch.max fails with opset 13"
run 0 sql "SELECT 'a,b' AS x, NULL AS y"
assert_eq "$(printf '%s' "$OUT" | tr -d '\r')" 'x,y
"a,b",'
run 0 sql --format json "SELECT number FROM issues WHERE number = 7"
assert_eq "$(echo "$OUT" | tr -d ' \n')" '[{"number":7}]'
# Columns of the same name keep their values in JSON too.
run 0 sql --format json "SELECT 1 AS id, 2 AS id, 3 AS id_2, 4 AS id"
assert_eq "$(echo "$OUT" | tr -d ' \n')" '[{"id":1,"id_2":2,"id_2_2":3,"id_3":4}]'
run 0 sql "SELECT * FROM issues WHERE 0"
assert_contains "$OUT" "number"
echo "SELECT count(*) AS n FROM labels" | run 0 sql -
assert_contains "$OUT" "n"
run 1 sql "DELETE FROM issues"
assert_contains "$ERR" "sql: DELETE FROM issues: only statements that read are allowed"
one_line "$ERR"
# Nor does a statement that writes elsewhere leave a file behind.
run 1 sql "VACUUM INTO 'copy.db'"
[ ! -e copy.db ] || fail "sql created copy.db"
# Pragmas that read still work; one that writes still fails.
assert_eq "$(q 'PRAGMA journal_mode')" wal
assert_contains "$(q "PRAGMA table_info(labels)")" "name"
run 1 sql "PRAGMA user_version = 99"
assert_eq "$ERR" "issuemine: sql: PRAGMA user_version = 99: only statements that read are allowed (this PRAGMA writes)"
run 1 sql "PRAGMA journal_mode = DELETE"
assert_eq "$ERR" "issuemine: sql: PRAGMA journal_mode = DELETE: only statements that read are allowed (this PRAGMA writes)"
assert_eq "$(q 'PRAGMA journal_mode')" wal
# A later statement is named as written, without the blanks before it.
run 1 sql "SELECT 1;
   DELETE FROM issues"
assert_eq "$ERR" "issuemine: sql: DELETE FROM issues: only statements that read are allowed"
run 1 sql "SELEC 1"
assert_contains "$ERR" "syntax error"
assert_eq "$(q 'SELECT count(*) FROM issues')" 5
assert_eq "$(q 'PRAGMA integrity_check')" ok

# An issue known only by number (codes imported before it was fetched) is no issue with data.
run 0 filter --save all is:issue
run 0 sample --from all --n 1 --seed 1 --save s
printf 'issue,rater,dimension,category\npytorch/pytorch#999,r,symptom,crash\n' >codes.csv
run 0 codes import --sample s --create-missing --add-to-sample codes.csv
run 0 stats --format json
python3 - "$OUT" <<'PY'
import json, sys
pt = {r["repository"]: r for r in json.loads(sys.argv[1])["repositories"]}["pytorch/pytorch"]
assert pt["issues"] == 2 and pt["pull_requests"] == 1 and pt["minimal"] == 1, pt
assert pt["open"] + pt["closed"] == pt["issues"] + pt["pull_requests"], pt
PY
run 0 stats
assert_contains "$OUT" "references      1 known only by number (no data fetched or imported)"
