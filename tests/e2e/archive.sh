# archive.sh - "issuemine archive": a replication package written whole, the
# slim database by its rule, results made by issuemine, reproduce.sh finding
# no difference on a fresh archive and every difference after a change, the
# same archive from the same database, and refusals that leave nothing.
. "$(dirname "$0")/lib.sh"
. "$DATA/archive/study.sh"

make_archive_study
run 0 archive --sample study --releases onnx-opsets --drop-first art
assert_contains "$OUT" "archived sample 'study' in art:"
assert_contains "$OUT" "from the codes of consensus, agreement of alice,bob"
assert_contains "$OUT" "16 issues with"
assert_contains "$OUT" "24 outline issues of the parent sets"

# --- what is in it ---
for f in README.md reproduce.sh issuemine.db codebook/onnx-converters.md \
	codebook/onnx-converters-history.txt sampling/sets.json sampling/study.json \
	sampling/draw.csv figures/releases.svg figures/cumulative.svg agreement/agree.txt \
	agreement/agree.json agreement/agree.csv codes/alice.csv codes/bob.csv codes/consensus.csv; do
	[ -s "art/$f" ] || fail "art/$f is missing or empty"
done
[ -x art/reproduce.sh ] || fail "reproduce.sh is not executable"
assert_eq "$(stat -c %a art)" "$(mkdir probe && stat -c %a probe)" "the archive's permissions"
tables="symptoms locations causes subcauses cause-symptom cause-location over-time exclusions funnel bins correlations"
for pair in text:txt csv:csv markdown:md latex:tex; do
	for t in $tables; do
		[ -s "art/tables/${pair%:*}/$t.${pair#*:}" ] || fail "tables/${pair%:*}/$t.${pair#*:} is missing"
	done
done
[ -s art/tables/json/spearman.json ] || fail "tables/json/spearman.json is missing"
# A shipped table is what report prints from the source database.
run 0 report --sample study --rater consensus --table causes --format csv
assert_eq "$(cat art/tables/csv/causes.csv)" "$OUT" "tables/csv/causes.csv"
run 0 report --sample study --rater consensus --table funnel --format csv
assert_eq "$(cat art/tables/csv/funnel.csv)" "$OUT" "tables/csv/funnel.csv"
assert_contains "$OUT" "repository,fetched,relevant,study,excluded,incomplete,coded,kind"
assert_contains "$OUT" "Total,64,40,16,1,1,14,total"
run 0 codes export --sample study --rater alice
assert_eq "$(cat art/codes/alice.csv)" "$OUT" "codes/alice.csv"
run 0 agree --sample study --raters alice,bob --format json
assert_eq "$(cat art/agreement/agree.json)" "$OUT" "agreement/agree.json"
grep -q '<svg' art/figures/releases.svg || fail "releases.svg is not SVG"

# The README's provenance: version, searches' absence (an import), sets with
# the query and seed, the redraw, codebook hash, raters, agreement, funnel, settings.
readme=$(cat art/README.md)
assert_contains "$readme" "issuemine $("$ISSUEMINE" --version | cut -d' ' -f2)"
assert_contains "$readme" "none recorded: the issues were imported"
assert_contains "$readme" "- \`relevant\`: filter, 40 issues"
assert_contains "$readme" "event:closed[commit]"
assert_contains "$readme" "- \`study\`: sample of \`relevant\`, 16 issues"
assert_contains "$readme" "seed 7 (per-repo 8)"
assert_contains "$readme" "the sample is the same 16 issues in the same order"
assert_contains "$readme" "$(q "SELECT hash FROM taxonomy_versions LIMIT 1")"
assert_contains "$readme" "| alice | 47 | 2 | 1 |"
assert_contains "$readme" "raters alice and bob"
assert_contains "$readme" "| Total | 64 | 40 | 16 | 1 | 1 | 14 |"
assert_contains "$readme" "report.name.pytorch/pytorch = torch.onnx"
assert_contains "$readme" "series \`onnx-opsets\` (dropping the first bin)"
assert_contains "$(cat art/sampling/draw.csv)" "$(sed -n 2p members.csv)"

# --- the slim database: the rule ---
slim() { "$ISSUEMINE" --db art/issuemine.db sql --no-header "$1" | tr -d '\r'; }
assert_eq "$(slim 'PRAGMA journal_mode')" "delete" "journal mode"
[ ! -e art/issuemine.db-wal ] || fail "the archive's database has a WAL file"
assert_eq "$(slim 'PRAGMA integrity_check')" ok
assert_eq "$(slim 'PRAGMA foreign_key_check')" ""
assert_eq "$(slim "SELECT group_concat(name, ' ') FROM (SELECT name FROM sets ORDER BY name)")" "relevant study"
assert_eq "$(slim "SELECT count(*) FROM issues")" 40 "issues: the sets' members only"
assert_eq "$(slim "SELECT count(*) FROM issues WHERE raw IS NOT NULL AND body IS NOT NULL")" 16 "full issues"
assert_eq "$(slim "SELECT count(DISTINCT issue_id) FROM events")" 16 "issues with timelines"
assert_eq "$(slim "SELECT count(*) FROM events")" \
	"$(q "SELECT count(*) FROM events WHERE issue_id IN (SELECT issue_id FROM set_members m JOIN sets s ON s.id = m.set_id WHERE s.name = 'study')")" "events"
assert_eq "$(slim "SELECT count(*) FROM labels")" 40 "labels of every issue kept"
assert_eq "$(slim "SELECT count(*) FROM code_log")" "$(q "SELECT count(*) FROM code_log")" "the whole code_log"
assert_eq "$(slim "SELECT group_concat(name, ' ') FROM (SELECT name FROM raters ORDER BY name)")" "alice bob consensus"
assert_eq "$(slim "SELECT count(*) FROM fetch_pending")" 0
assert_eq "$(slim "SELECT group_concat(issues, ' ') FROM archive_repositories")" "32 32" "what the source held"
assert_eq "$(slim "SELECT source FROM release_series")" builtin "the built-in series the study used"
assert_eq "$(slim "SELECT count(*) FROM releases")" "$(im releases show onnx-opsets --format csv | tail -n +2 | wc -l)"
assert_eq "$(slim "SELECT count(*) FROM settings")" 2
# issuemine opens it: the same report and funnel as from the source.
run 0 --db art/issuemine.db report --sample study --table funnel --format csv
assert_eq "$OUT" "$(cat art/tables/csv/funnel.csv)" "funnel from the slim database"
run 0 --db art/issuemine.db sample --from relevant --per-repo 8 --seed 7 --format csv
assert_eq "$OUT" "$(cat art/sampling/draw.csv)" "the draw from the slim database"

# --- reproduce.sh: no difference ---
ISSUEMINE="$ISSUEMINE" art/reproduce.sh >repro.out 2>repro.err || {
	cat repro.out repro.err >&2
	fail "reproduce.sh found differences in a fresh archive"
}
files=$(find art -type f ! -name README.md ! -name reproduce.sh ! -name issuemine.db | wc -l)
assert_contains "$(cat repro.out)" "reproduce.sh: all $files files are the same"
[ ! -e art/issuemine.db-wal ] || fail "reproduce.sh wrote to the archive's database"
# Without issuemine it says so.
ISSUEMINE=/nonexistent/issuemine art/reproduce.sh >/dev/null 2>repro.err && fail "reproduce.sh ran without issuemine"
assert_contains "$(cat repro.err)" "'/nonexistent/issuemine' not found"

# --- the same database gives the same archive, byte for byte ---
sleep 1
run 0 archive --sample study --releases onnx-opsets --drop-first art2
diff -r art art2 >/dev/null || fail "two archives of the same database differ: $(diff -r art art2 | head -20)"

# --- a changed code: reproduce.sh reports every file it changes, and fails ---
cp -r art tampered
ref=$(sed -n 2p members.csv | cut -d, -f1,2 | tr , '#')
run 0 --db tampered/issuemine.db code --sample study --rater consensus "$ref" symptom=hang
status=0
ISSUEMINE="$ISSUEMINE" tampered/reproduce.sh >tampered.out 2>tampered.err || status=$?
assert_eq "$status" 1 "reproduce.sh's status after a change"
assert_contains "$(cat tampered.err)" "reproduce.sh: the files above differ"
for f in codes/consensus.csv tables/csv/symptoms.csv tables/latex/cause-symptom.tex; do
	grep -q "^diff -ru .*tampered/$f " tampered.out || fail "reproduce.sh did not report $f: $(head -40 tampered.out)"
done
grep -q '^+.*,hang,' tampered.out || fail "the diff does not show the new code"
# A result file removed or added is a difference too.
cp -r art missing
rm missing/tables/text/causes.txt
echo extra >missing/codes/extra.csv
status=0
ISSUEMINE="$ISSUEMINE" missing/reproduce.sh >missing.out 2>/dev/null || status=$?
assert_eq "$status" 1
assert_contains "$(cat missing.out)" "Only in $TEST_DIR/missing/codes: extra.csv"
assert_contains "$(cat missing.out)" "tables/text: causes.txt"

# --- refusals leave nothing behind ---
run 1 archive --sample study art
assert_eq "$ERR" "issuemine: art: not empty (--force replaces it)"
echo x >afile
run 1 archive --sample study afile
assert_eq "$ERR" "issuemine: afile: not a directory"
run 1 archive --sample nope out
assert_eq "$ERR" "issuemine: no sample named 'nope'"
run 0 sample --from relevant --n 3 --seed 1 --save uncoded
run 1 archive --sample uncoded out
assert_contains "$ERR" "sample 'uncoded' has no codes yet"
run 1 archive --sample study --rater nobody out
assert_contains "$ERR" "rater 'nobody' has no codes in sample 'study'"
run 1 archive --sample study --raters alice,nobody out
assert_eq "$ERR" "issuemine: --raters: 'nobody' has no codes in sample 'study' (raters: alice,bob,consensus)"
run 1 archive --sample study --releases nope out
assert_contains "$ERR" "no release series 'nope'"
# A failure half-way (a step refuses its options): no DIR, no temporary directory.
run 1 archive --sample study --releases onnx-opsets --merge 99-100 out
one_line "$ERR"
assert_contains "$ERR" "issuemine: archive: 'report --sample study"
assert_contains "$ERR" "failed: --merge 99-100"
[ ! -e out ] || fail "a failed archive left out/"
assert_eq "$(ls -A | grep -c '^\.out\.' || true)" 0 "temporary directories left behind"
# A directory that cannot be moved aside (the current one): refused, nothing left beside it.
mkdir here && cp members.csv here/
(cd here && "$ISSUEMINE" archive --sample study --force . 2>../here.err) && fail "archived over the current directory"
one_line "$(cat here.err)"
assert_eq "$(ls -A here)" "members.csv" "the current directory after a refused --force"
run 1 archive --sample study /nonexistent/dir
one_line "$ERR"
assert_contains "$ERR" "/nonexistent/dir: No such file or directory"
run 2 archive --sample study
assert_contains "$ERR" "no DIR given"
run 2 archive art3
assert_contains "$ERR" "--sample is required"

# --- an empty DIR is filled; --force replaces a full one, whole ---
mkdir empty
run 0 archive --sample study --format json empty
python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["issues"] == 16 and d["raters"] == "alice,bob" and d["releases"] is None, d' <<<"$OUT" ||
	fail "archive --format json: $OUT"
[ ! -e empty/figures/releases.svg ] || fail "a release figure without a series"
[ -s empty/figures/cumulative.svg ] || fail "no cumulative figure without a series"
assert_contains "$(cat empty/README.md)" "no release series was given"
echo old >art/old-file
run 0 archive --sample study --force art
[ ! -e art/old-file ] || fail "--force kept a file of the old archive"
[ -s art/README.md ] || fail "--force left no archive"
assert_eq "$(ls -A | grep -c '^\.art\.' || true)" 0 "the old archive's directory left behind"

# --- a run killed on this host left its directories beside DIR: the next run clears them ---
host=$(uname -n)
sh -c 'exit 0' &
dead=$!
wait "$dead"
mkdir -p ".art.archive.$dead.$host-abc123/tables" && echo half >".art.archive.$dead.$host-abc123/tables/x"
mkdir ".art.archive.$$.$host-live01" ".art.archive.$dead.elsewhere-abc123"
run 0 archive --sample study --force art
[ ! -e ".art.archive.$dead.$host-abc123" ] || fail "a killed run's half-built archive was left"
[ -d ".art.archive.$$.$host-live01" ] || fail "a live run's directory was removed"
[ -d ".art.archive.$dead.elsewhere-abc123" ] || fail "another host's run's directory was removed"
rmdir ".art.archive.$$.$host-live01" ".art.archive.$dead.elsewhere-abc123"
# Killed between its two renames: the archive it had moved aside goes back.
mv art ".art.old.$dead.$host-def456"
run 1 archive --sample study art
assert_eq "$ERR" "issuemine: art: not empty (--force replaces it)"
[ -s art/README.md ] || fail "the archive a killed run had moved aside was not put back"
assert_eq "$(ls -A | grep -c '^\.art\.' || true)" 0 "directories of killed runs left behind"
# An archive of the archive holds the same study, and what the first source held.
run 0 --db art/issuemine.db archive --sample study again
assert_eq "$("$ISSUEMINE" --db again/issuemine.db sql --no-header "SELECT group_concat(issues, ' ') FROM archive_repositories" | tr -d '\r')" "32 32"
assert_eq "$(cat again/tables/csv/funnel.csv)" "$(cat art/tables/csv/funnel.csv)" "the funnel of an archive's archive"
