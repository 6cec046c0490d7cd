# raters_examples.sh - the shipped raters of examples/raters/: the keyword
# baseline codes a sample (every answer valid, the same on a rerun, its
# rules in the note), and llm.py builds its requests and reads the replies
# of a local stand-in for a chat completions API (no network): the
# codebook and the issue in the prompt, the key in a header, a 429 retried,
# a 400 recorded as that issue's failure. Also: fixes fetched from the fake
# GitHub are in the document.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

EX="$ISSUEMINE_SRC/examples/raters"
python3 "$DATA/raters/make_corpus.py" 8 >corpus.json
run 0 import corpus.json
run 0 import "$DATA/dump-small.json"
run 0 filter 'repo:acme/widgets' --save widgets
run 0 sample --from widgets --n 8 --seed 1 --save study

# --- the keyword baseline ---
run 0 code --sample study --rater keywords --with "python3 $EX/keyword.py" -j 2
assert_contains "$OUT" "8 issues to code: 8 coded, 0 excluded, 0 failed, 0 timed out, 0 invalid"
# "Widget N crashes when exported": crash, export, by keywords it names.
assert_eq "$(q "SELECT DISTINCT c.key FROM codes x JOIN raters r ON r.id = x.rater_id JOIN categories c ON c.id = x.category_id JOIN dimensions d ON d.id = x.dimension_id WHERE r.name = 'keywords' AND d.key IN ('symptom', 'location') ORDER BY 1")" "crash
export"
assert_contains "$(q "SELECT note FROM notes n JOIN raters r ON r.id = n.rater_id LIMIT 1")" "keyword rater: symptom: crash ('crash' x"
# Deterministic: another rater name, the same codes.
run 0 code --sample study --rater keywords2 --with "python3 $EX/keyword.py"
assert_eq "$(q "SELECT count(*) FROM codes a JOIN raters ra ON ra.id = a.rater_id JOIN codes b ON b.set_id = a.set_id AND b.issue_id = a.issue_id AND b.dimension_id = a.dimension_id JOIN raters rb ON rb.id = b.rater_id WHERE ra.name = 'keywords' AND rb.name = 'keywords2' AND a.category_id IS b.category_id AND a.subcategory_id IS b.subcategory_id")" 24
run 0 agree --sample study --raters keywords,keywords2 --format json
printf '%s\n' "$OUT" | python3 -c 'import json,sys; r=json.load(sys.stdin); assert all(x["observed"] == 1 for x in r), r' ||
	fail "the keyword rater is not deterministic"
# It works on the ONNX issues too, and its exclusion rule follows labels.
run 0 filter 'repo:pytorch/pytorch is:issue' --save onnx
run 0 sample --from onnx --n 2 --seed 1 --save onnx-study
run 0 code --sample onnx-study --rater keywords --with "python3 $EX/keyword.py"
assert_contains "$OUT" "2 issues to code: 2 coded"
assert_eq "$(q "SELECT s.key FROM codes x JOIN raters r ON r.id = x.rater_id JOIN issues i ON i.id = x.issue_id JOIN categories s ON s.id = x.subcategory_id WHERE r.name = 'keywords' AND i.number = 101")" internal

# --- llm.py against the stand-in ---
python3 - "$EX/llm.py" <<'PY' || fail "llm.py does not compile"
import py_compile, sys
py_compile.compile(sys.argv[1], doraise=True)
PY
rm -f llm.port
python3 "$DATA/raters/fake_llm.py" --port-file llm.port --log llm.log 2>llm.err &
LLM_PID=$!
trap 'kill $LLM_PID 2>/dev/null; fake_stop; cd /; rm -rf "$TEST_DIR"' EXIT
for _ in $(seq 100); do [ -s llm.port ] && break; sleep 0.1; done
[ -s llm.port ] || fail "the fake LLM did not start: $(cat llm.err)"
# Without its settings it says what to set, and issuemine records that.
run 1 code --sample study --rater model --with "python3 $EX/llm.py" --max-issues 1
assert_contains "$OUT" "llm.py: set ISSUEMINE_LLM_URL"
export ISSUEMINE_LLM_URL="http://127.0.0.1:$(cat llm.port)/v1/chat/completions"
export ISSUEMINE_LLM_MODEL=fake-model ISSUEMINE_LLM_KEY=test-key ISSUEMINE_LLM_MAX_CHARS=6000
run 1 code --sample study --rater model --with "python3 $EX/llm.py" -j 2
assert_contains "$OUT" "7 coded, 0 excluded, 1 failed"
assert_contains "$OUT" "acme/widgets#4  failed: exited with status 1: llm.py: $ISSUEMINE_LLM_URL answered HTTP 400"
# The key went in a header, never into the database.
assert_eq "$(q "SELECT count(*) FROM rater_runs WHERE command LIKE '%test-key%'")" 0
assert_eq "$(q "SELECT count(*) FROM rater_answers WHERE answer LIKE '%test-key%' OR stderr LIKE '%test-key%'")" 0
python3 - llm.log <<'PY' || fail "llm.py's requests"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
ok = [r for r in reqs if r["auth"] == "Bearer test-key"]
assert len(ok) == 9, len(ok)  # 8 issues (#4 answered 400) and #3 once more after its 429
for r in ok:
    b = r["body"]
    assert r["path"] == "/v1/chat/completions" and r["content_type"] == "application/json"
    assert b["model"] == "fake-model" and b["temperature"] == 0 and b["response_format"] == {"type": "json_object"}
    system, user = b["messages"][0]["content"], b["messages"][1]["content"]
    assert "Dimension cause (Cause), sub-categories optional:" in system, system
    assert "- incompatibility (Incompatibility): " in system and "    - external (External): " in system
    assert "- not-a-failure (Not a failure): " in system
    assert user.startswith("Issue acme/widgets#") and "crashes when exported" in user, user
    assert "[commented by maintainer at " in user and "Confirmed on widget" in user, user
    assert len(user) <= 6000, len(user)
assert sum(1 for r in ok if "Issue acme/widgets#3:" in r["body"]["messages"][1]["content"]) == 2
PY
# The answers: the model's codes, its note, its model and token counts kept under meta.
assert_eq "$(q "SELECT count(*) FROM codes x JOIN raters r ON r.id = x.rater_id WHERE r.name = 'model'")" 21
assert_eq "$(q "SELECT s.key || ' ' || k.confidence FROM codes x JOIN raters r ON r.id = x.rater_id JOIN issues i ON i.id = x.issue_id JOIN categories s ON s.id = x.subcategory_id JOIN code_confidence k ON k.issue_id = x.issue_id AND k.rater_id = x.rater_id AND k.dimension_id = x.dimension_id WHERE r.name = 'model' AND i.number = 2")" "external 0.9"
assert_eq "$(q "SELECT note FROM notes n JOIN raters r ON r.id = n.rater_id JOIN issues i ON i.id = n.issue_id WHERE r.name = 'model' AND i.number = 6")" "the model's reason for 6"
assert_eq "$(q "SELECT json_extract(answer, '$.meta.model') || ' ' || json_extract(answer, '$.meta.usage.completion_tokens') || ' ' || json_extract(answer, '$.meta.extra.thoughts') FROM rater_answers a JOIN issues i ON i.id = a.issue_id JOIN raters r ON r.id = a.rater_id WHERE r.name = 'model' AND i.number = 2")" "fake-model-2024 20 a member the protocol does not know"

# --- fixes from the fake GitHub reach the document ---
export GITHUB_TOKEN=ghp_any_token_the_fake_accepts
fake_start --seed 5 --issues 60 --profile lean --repo pytorch/pytorch
run 0 fetch -q --api-url "$FAKE_URL" pytorch/pytorch
run 0 filter --save fetched 'repo:pytorch/pytorch is:issue is:closed'
run 0 sample --from fetched --n 10 --seed 2 --save fixed
run 0 fixes fetch -q --api-url "$FAKE_URL" --set fixed
first=$(q "SELECT r.full_name || '#' || i.number FROM set_members m JOIN sets s ON s.id = m.set_id JOIN issues i ON i.id = m.issue_id JOIN repositories r ON r.id = i.repo_id WHERE s.name = 'fixed' AND EXISTS (SELECT 1 FROM issue_fixes x WHERE x.issue_id = i.id AND x.files_stored > 0) ORDER BY m.position LIMIT 1")
[ -n "$first" ] || fail "no issue of the sample has a fix with files"
run 0 code --sample fixed --rater keywords --document "$first"
printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
f = d["fixes"]
assert f is not None and f["changes"], f
c = f["changes"][0]
assert c["role"] in ("fix", "linked") and c["kind"] in ("pr", "commit") and c["files"], c
assert all("path" in x and "patch" in x for x in c["files"]), c["files"][0]
' || fail "fixes in the document"
run 0 code --sample fixed --rater keywords --with "python3 $EX/keyword.py" -j 4
assert_contains "$OUT" "10 issues to code: 10 coded"
