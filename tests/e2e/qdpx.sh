# qdpx.sh - "codes export --format qdpx": a REFI-QDA project whose structure
# follows the standard's schema (qdpx_check.py restates its rules), whose
# selections count Unicode code points of UTF-8 sources, and which carries
# every rater's codes, notes and exclusions as the database holds them;
# the same database writes the same file; bad requests write nothing.
. "$(dirname "$0")/lib.sh"
. "$DATA/archive/study.sh"

make_archive_study
check="$ISSUEMINE_SRC/tests/e2e/qdpx_check.py"
im taxonomy show onnx-converters --format json >tax.json
im codes export --sample study >codes.csv

run 0 codes export --sample study --format qdpx --output study.qdpx
assert_eq "$OUT" "" "stdout of a qdpx export"
python3 "$check" study.qdpx tax.json codes.csv members.csv corpus.json >check.out || fail "the project is not valid"
assert_contains "$(cat check.out)" "ok: 16 sources, 3 raters"
assert_eq "$(stat -c %a study.qdpx)" "$(touch probe && stat -c %a probe)" "the file's permissions"

# The non-ASCII text is there, and the selections count characters, not bytes.
python3 - study.qdpx <<'PY' || fail "the sources' text"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
texts = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("sources/")]
wide = [t for t in texts if "\U0001d11e" in t and "\u4e2d\u6587" in t and "e\u0301" in t]
assert wide, "no source holds the non-ASCII body"
assert all(len(t.encode()) > len(t) for t in wide)
assert any("\ufffd[31mRuntimeError\ufffd[0m" in t for t in texts), "escape codes not replaced"
assert any("(no description)" in t for t in texts)
qde = z.read("project.qde").decode("utf-8")
assert 'endPosition="%d"' % len(wide[0]) in qde
assert 'endPosition="%d"' % len(wide[0].encode()) not in qde
assert "&lt;Gather&gt; &amp; &quot;Slice&quot;" in qde
PY

# --- one rater ---
run 0 codes export --sample study --rater alice --format qdpx -o alice.qdpx
im codes export --sample study --rater alice >alice.csv
python3 "$check" alice.qdpx tax.json alice.csv members.csv corpus.json >check.out || fail "alice's project"
assert_contains "$(cat check.out)" "ok: 16 sources, 1 raters"

# --- the same database, the same file; a new code, a new file ---
run 0 codes export --sample study --format qdpx --output again.qdpx
cmp study.qdpx again.qdpx || fail "two exports of the same database differ"
ref=$(sed -n 2p members.csv | cut -d, -f1,2 | tr , '#')
run 0 code --sample study --rater bob "$ref" symptom=hang
run 0 codes export --sample study --format qdpx --output changed.qdpx
cmp -s study.qdpx changed.qdpx && fail "a changed code did not change the project"
im codes export --sample study >codes2.csv
python3 "$check" changed.qdpx tax.json codes2.csv members.csv corpus.json >/dev/null || fail "the changed project"
# The check itself fails on a project that is wrong: the old codes against the new project.
python3 "$check" changed.qdpx tax.json codes.csv members.csv corpus.json 2>check.err && fail "the check passed stale codes"
assert_contains "$(cat check.err)" "codes"

# ... and on selections counted in bytes, children out of order, a missing attribute.
tamper() {
	python3 - study.qdpx "$1" "$2" <<'PY'
import re, sys, zipfile
src, dst, how = sys.argv[1:4]
zin = zipfile.ZipFile(src)
zout = zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED)
for n in zin.namelist():
    data = zin.read(n)
    if n == "project.qde":
        qde = data.decode()
        if how == "bytes":
            texts = {n2: zin.read(n2).decode() for n2 in zin.namelist() if n2.startswith("sources/")}
            for name, t in texts.items():
                if len(t.encode()) > len(t):
                    guid = name[len("sources/"):-len(".txt")]
                    i = qde.index('plainTextPath="internal://%s.txt"' % guid)
                    j = qde.index('endPosition="', i) + len('endPosition="')
                    k = qde.index('"', j)
                    qde = qde[:j] + str(len(t.encode())) + qde[k:]
                    break
        elif how == "order":
            notes = re.search(r"  <Notes>.*?  </Notes>\n", qde, re.S).group(0)
            qde = qde.replace(notes, "").replace("  <Sources>", notes + "  <Sources>", 1)
        elif how == "attribute":
            qde = qde.replace(' isCodable="true"', "", 1)
        data = qde.encode()
    zout.writestr(n, data)
zout.close()
PY
}
for how in bytes order attribute; do
	tamper "bad-$how.qdpx" "$how"
	python3 "$check" "bad-$how.qdpx" tax.json codes2.csv members.csv corpus.json 2>check.err &&
		fail "the check passed a project with its $how tampered"
	case $how in
	bytes) assert_contains "$(cat check.err)" "outside the text" ;;
	order) assert_contains "$(cat check.err)" "out of the schema's order" ;;
	attribute) assert_contains "$(cat check.err)" "lacks its required attribute isCodable" ;;
	esac
done

# --- bad requests write nothing ---
run 2 codes export --sample study --format qdpx
assert_contains "$ERR" "--format qdpx writes a zip file: give --output FILE.qdpx"
run 2 codes export --sample study --format qdpx --output -
assert_contains "$ERR" "give --output FILE.qdpx"
run 1 codes export --sample nope --format qdpx --output nope.qdpx
assert_eq "$ERR" "issuemine: no sample named 'nope'"
[ ! -e nope.qdpx ] || fail "a failed export left a file"
run 1 codes export --sample study --rater nobody --format qdpx --output nobody.qdpx
assert_eq "$ERR" "issuemine: no rater named 'nobody'"
run 1 codes export --sample study --format qdpx --output /nonexistent/dir/p.qdpx
one_line "$ERR"
assert_contains "$ERR" "/nonexistent/dir/p.qdpx: "
# An export over an old file replaces it whole.
cp study.qdpx keep.qdpx
run 0 codes export --sample study --rater alice --format qdpx --output keep.qdpx
run 0 codes export --sample study --rater alice --format qdpx --output alice-now.qdpx
cmp -s keep.qdpx alice-now.qdpx || fail "an export over a file did not replace it"
assert_eq "$(ls -A | grep -c '^keep\.qdpx\.' || true)" 0 "temporary files left behind"

# --output works for CSV and JSON too, and an uncoded sample exports its sources alone.
run 0 codes export --sample study --output out.csv
assert_eq "$(cat out.csv)" "$(cat codes2.csv)" "codes export --output"
run 0 sample --from relevant --n 2 --seed 3 --save pair
run 0 codes export --sample pair --format qdpx --output pair.qdpx
python3 - pair.qdpx <<'PY' || fail "an uncoded sample's project"
import sys, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
root = ET.fromstring(z.read("project.qde"))
ns = "{urn:QDA-XML:project:1.0}"
assert len(root.findall(ns + "Sources/" + ns + "TextSource")) == 2
assert root.find(ns + "Users") is None and not root.findall(".//" + ns + "PlainTextSelection")
PY
