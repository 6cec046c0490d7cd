# report_plots.sh - the two figures: well-formed SVG with the expected marks, rendered to PNG.
#
# The PNGs are rendered with rsvg-convert (Debian's librsvg2-bin) when it is
# installed; set ISSUEMINE_KEEP_PLOTS=DIR to keep the SVGs and PNGs for a look.
. "$(dirname "$0")/lib.sh"
. "$DATA/report/study.sh"

# svg_check FILE PYTHON: parses FILE as XML and runs PYTHON with `root` and `texts` (every text).
svg_check() {
	python3 - "$1" "$2" <<'EOF' || fail "$1: $2"
import sys
import xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == ns + "svg"
texts = [t.text for t in root.iter(ns + "text")]
exec(sys.argv[2], {"root": root, "texts": texts, "ns": ns})
EOF
}

render() {
	command -v rsvg-convert >/dev/null || return 0
	rsvg-convert "$1" -o "${1%.svg}.png" || fail "rsvg-convert could not render $1"
	python3 - "${1%.svg}.png" <<'EOF' || fail "$1: not a PNG of the figure's size"
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
width, height = struct.unpack(">II", data[16:24])
assert width >= 700 and height >= 400, (width, height)
EOF
}

# Figure 5 from the built-in series needs no database.
run 0 report --releases onnx-opsets --plot-releases fig5.svg
assert_eq "$OUT" ""
[ ! -e "$ISSUEMINE_DB" ] || fail "plotting a built-in series created the database"
svg_check fig5.svg '
bars = [r for r in root.iter(ns + "rect") if r.get("fill") in ("#0072B2", "#E69F00")]
assert len(bars) == 2 * 18 + 2, len(bars)     # added and updated per release, and the legend
assert "Release (version)" in texts and "Changes (added + updated)" in texts
assert "added" in texts and "updated" in texts
assert [t for t in texts if t in ("78", "67", "52")] == ["78", "52", "67"]   # sums over the bars
rows = {}
for t in root.iter(ns + "text"):
    rows.setdefault(t.get("y"), []).append(t.text)
assert [str(v) for v in range(1, 19)] in rows.values()      # one label per release, in order
'
render fig5.svg

# Figure 6 from the study of report.sh.
make_study "$DATA/report/study.txt" study alice
run 0 report --sample study --plot-cumulative fig6.svg --releases onnx-opsets
assert_eq "$OUT" ""
svg_check fig6.svg '
lines = [l for l in root.iter(ns + "line") if l.get("stroke-dasharray") == "4 3"]
# Releases (shared dates together) of at least 5 changes: 1, 6, 7, 8, 9, 10, 11, 12, 13, 14,
# 15, 16, 18 (2-5 sum to 7 too), and one in the legend.
assert len(lines) == 14 + 1, len(lines)
assert "2-5" in texts and "17" not in texts
assert "tensorflow-onnx" in texts and "pytorch" in texts
assert "all causes" in texts and "Incompatibility, Type Problem" in texts
assert "Issues (cumulative)" in texts
assert any(t.startswith("Issue creation") for t in texts)
circles = [c for c in root.iter(ns + "circle")]
assert len(circles) == 2 * 21 + 1, len(circles)    # 21 quarters per repository, and the legend
'
render fig6.svg
# The threshold, labels and causes change the figure as asked.
run 0 report --sample study --plot-cumulative fig6b.svg --releases onnx-opsets --threshold 50 \
	--label pytorch/pytorch=PT --causes typo
svg_check fig6b.svg '
lines = [l for l in root.iter(ns + "line") if l.get("stroke-dasharray") == "4 3"]
assert len(lines) == 3 + 1, len(lines)             # 1 (78), 11 (52), 13 (67)
assert "PT" in texts and "Typo" in texts
'
render fig6b.svg
# Without --releases: no release lines. With tables asked for too, both come out.
run 0 report --sample study --plot-cumulative fig6c.svg --table symptoms --format csv
assert_contains "$OUT" "Crash,5,6,11"
svg_check fig6c.svg '
assert not [l for l in root.iter(ns + "line") if l.get("stroke-dasharray") == "4 3"]
'
render fig6c.svg

# A figure that cannot be written leaves nothing behind.
run 1 report --releases onnx-opsets --plot-releases /nonexistent/fig.svg
assert_contains "$ERR" "/nonexistent/fig.svg: No such file or directory"
run 2 report --plot-releases fig.svg
assert_contains "$ERR" "--plot-releases needs --releases NAME"
run 2 report --plot-cumulative fig.svg
assert_contains "$ERR" "--sample NAME is required"

if [ -n "${ISSUEMINE_KEEP_PLOTS:-}" ]; then
	mkdir -p "$ISSUEMINE_KEEP_PLOTS"
	cp fig*.svg "$ISSUEMINE_KEEP_PLOTS"/
	cp fig*.png "$ISSUEMINE_KEEP_PLOTS"/ 2>/dev/null || true
fi
