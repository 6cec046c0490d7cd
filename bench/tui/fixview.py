#!/usr/bin/env python3
"""fixview.py ISSUEMINE OUTDIR: times the fix view on a large fix, and the reference.

The data: the fake GitHub of the tests (tests/fakegithub/server.py) serves a
small pytorch/pytorch corpus; the closing commit of one issue is given 200
changed files whose patches add up to 20,000 lines (Python-like code, a
tenth of the lines longer than the screen, some with CJK), through the
fake's fix_content setting; "issuemine fetch" and "issuemine fixes fetch"
store it as they would from GitHub. The sample is that issue alone.

issuemine, headless: "issuemine label" with a keystroke script and a trace
($ISSUEMINE_TUI_TRACE); each key's time runs from its "key" line to its
"drawn" line (read from the database, laid out, drawn). The keys: f (the
fix view: the changes), Enter (the change's files: 200 files and every
patch read, the diff's lines made), Enter (the diff: 20,000 lines wrapped
and drawn), then 40 times ] (next file), / and a search, 20 times n, G
(the end), and a search that matches nothing (every row compared). One
warm-up run, then RUNS runs, at 100x30.

issuemine in tmux: the same first three keys in a real terminal (100x30).

reference: fixview_reference.py: what a tool that renders the whole diff up
front does (Python, the same database): read every file and patch of the
change, colour and wrap every line to the width, then show the first
screen. One warm-up run, then RUNS runs.
"""
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

RUNS = int(os.environ.get("RUNS", "5"))
FILES = int(os.environ.get("FILES", "200"))
LINES = int(os.environ.get("LINES", "20000"))
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SERVER = os.path.join(ROOT, "tests", "fakegithub", "server.py")
KEYS = "f<Enter><Enter>" + "]" * 40 + "/value_19<Enter>" + "n" * 20 + "G" + "/zzzz<Enter>"
STEPS = ["open the fix view (f)", "a change's 200 files (Enter)",
         "its 20,000-line diff (Enter)", "next file (])", "search (/ ... Enter)",
         "next match (n)", "to the end (G)", "search with no match: every row (/ ... Enter)"]


def steps_of(trace):
    """Each step's times (ms): key to drawn, the keys told apart by name and order."""
    out = [[] for _ in STEPS]
    enters = 0
    pending = None
    for t, ev, name in trace:
        if ev == "key":
            pending = (t, name)
            continue
        if ev != "drawn" or not pending:
            continue
        start, key = pending
        pending = None
        ms = (t - start) * 1000
        if key == "f":
            out[0].append(ms)
        elif key == "<Enter>":
            enters += 1  # the change's files, its diff, a search, one that finds nothing
            out[[0, 1, 2, 4, 7][enters]].append(ms)
        elif key == "]":
            out[3].append(ms)
        elif key == "n":
            out[5].append(ms)
        elif key == "G":
            out[6].append(ms)
    return out


def patch(rng, k, lines):
    out = ["@@ -%d,%d +%d,%d @@ def convert_%d(g, node):" % (k, lines // 2, k, lines // 2, k)]
    for n in range(lines - 1):
        r = rng.random()
        body = "    value_%d = symbolic_helper._get_const(node.input(%d), 'i', 'dim_%d')" % (n, n % 7, n)
        if r < 0.1:
            body += "  # " + "a long comment about the opset and its shape inference " * 3
        if r > 0.97:
            body += "  # 维度 形状 推断 🔧"
        prefix = "+" if r < 0.45 else "-" if r < 0.7 else " "
        out.append(prefix + body)
    return "\n".join(out)


def content():
    rng = random.Random(14)
    per = [LINES // FILES] * FILES
    files = []
    for k in range(FILES):
        d = ["torch/onnx", "torch/csrc/jit/passes/onnx", "test/onnx", "torch/onnx/_internal"][k % 4]
        files.append({"filename": "%s/file_%03d.py" % (d, k), "patch": patch(rng, k, per[k])})
    return files


def run(cmd, env, **kw):
    return subprocess.run(cmd, env=env, check=True, **kw)


def make_db(issuemine, out):
    db = os.path.join(out, "fixview-%d-%d.db" % (FILES, LINES))
    if os.path.exists(db):
        return db
    tmp = db + ".tmp"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(tmp + suffix):
            os.unlink(tmp + suffix)
    port_file = os.path.join(out, "fake.port")
    if os.path.exists(port_file):
        os.unlink(port_file)
    server = subprocess.Popen([sys.executable, SERVER, "--port-file", port_file, "--seed", "5",
                               "--issues", "40", "--profile", "lean", "--repo", "pytorch/pytorch",
                               "--search-limit", "100000"], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.1)
        url = "http://127.0.0.1:%s" % open(port_file).read().strip()
        env = dict(os.environ, ISSUEMINE_DB=tmp, GITHUB_TOKEN="ghp_bench", ISSUEMINE_WAIT_SCALE="0.01")
        run([issuemine, "fetch", "-q", "--api-url", url, "pytorch/pytorch"], env)
        import sqlite3
        c = sqlite3.connect(tmp)
        number, sha = c.execute(
            "SELECT i.number, e.commit_id FROM issues i JOIN events e ON e.issue_id = i.id "
            "WHERE e.event = 'closed' AND e.commit_id IS NOT NULL AND i.is_pull_request = 0 "
            "AND json_extract(e.raw, '$.commit_url') LIKE '%/repos/pytorch/pytorch/%' "
            "ORDER BY i.number LIMIT 1").fetchone()
        c.close()
        body = json.dumps({"fix_content": {"commit:pytorch/pytorch@" + sha: content()}}).encode()
        urllib.request.urlopen(urllib.request.Request(url + "/_fake/config", data=body,
                                                      method="POST")).read()
        run([issuemine, "code", "--sample", "big", "--rater", "setup", "--add-to-sample",
             "pytorch/pytorch#%d" % number, "--note", ""], env, stdout=subprocess.DEVNULL)
        run([issuemine, "fixes", "fetch", "-q", "--api-url", url, "--set", "big"], env)
    finally:
        server.terminate()
        server.wait()
    os.rename(tmp, db)
    return db


def read_trace(path):
    with open(path) as f:
        return [(float(t), ev, rest[0] if rest else "")
                for t, ev, *rest in (line.split() for line in f)]


def key_times(trace):
    keys = [t for t, ev, _ in trace if ev == "key"]
    drawn = [t for t, ev, _ in trace if ev == "drawn"]
    return [(d - k) * 1000 for k, d in zip(keys, drawn)]


def headless(issuemine, db, tmp):
    script = os.path.join(tmp, "keys")
    with open(script, "w") as f:
        f.write(KEYS + "\n")
    trace = os.path.join(tmp, "trace")
    if os.path.exists(trace):
        os.unlink(trace)
    env = dict(os.environ, ISSUEMINE_DB=db, ISSUEMINE_TUI_SCRIPT=script, ISSUEMINE_TUI_TRACE=trace,
               ISSUEMINE_TUI_SIZE="100x30", LC_ALL="C.UTF-8")
    out = subprocess.run([issuemine, "label", "--sample", "big", "--rater", "alice"], env=env,
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    assert "file 200/200" in out, out  # G went to the end of the last file's diff
    return steps_of(read_trace(trace))


def wait_for(path, event, count, limit=30.0):
    end = time.time() + limit
    while time.time() < end:
        if os.path.exists(path) and sum(1 for _, ev, _ in read_trace(path) if ev == event) >= count:
            return
        time.sleep(0.002)
    sys.exit("tmux run: no '%s' in the trace after %.0f s" % (event, limit))


def in_tmux(issuemine, db, tmp):
    if not shutil.which("tmux"):
        return None
    trace = os.path.join(tmp, "tmux-trace")
    sock = "issuemine-bench-fix-%d" % os.getpid()
    tmux = ["tmux", "-u", "-L", sock, "-f", "/dev/null"]
    cmd = ("env TERM=tmux-256color LC_ALL=C.UTF-8 ISSUEMINE_DB='%s' ISSUEMINE_TUI_TRACE='%s' "
           "'%s' label --sample big --rater alice" % (db, trace, issuemine))
    try:
        subprocess.run(tmux + ["new-session", "-d", "-x", "100", "-y", "30", cmd], check=True)
        wait_for(trace, "screen", 1)
        for k, key in enumerate(["f", "Enter", "Enter"]):
            subprocess.run(tmux + ["send-keys", "-t", "0", key], check=True)
            wait_for(trace, "drawn", k + 1)
        return key_times(read_trace(trace))
    finally:
        subprocess.run(tmux + ["kill-server"], stderr=subprocess.DEVNULL)


def reference(db):
    cmd = [sys.executable, os.path.join(HERE, "fixview_reference.py"), db, "big"]
    return float(subprocess.run(cmd, stdout=subprocess.PIPE, check=True).stdout) * 1000


def ms(x):
    return "%.1f ms" % x


def main():
    issuemine, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    db = make_db(issuemine, out)
    with tempfile.TemporaryDirectory() as tmp:
        headless(issuemine, db, tmp)  # warm-up: the page cache, for both sides
        runs = [headless(issuemine, db, tmp) for _ in range(RUNS)]
        tmux = in_tmux(issuemine, db, tmp)
    reference(db)
    ref = [reference(db) for _ in range(RUNS)]
    per_step = [[t for r in runs for t in r[k]] for k in range(len(STEPS))]
    print("%d files, %d diff lines; %d runs, 100x30" % (FILES, LINES, RUNS))
    print()
    print("| step (headless) | median | worst | keys | target |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, ts in zip(STEPS, per_step):
        target = "< 50 ms" if name in STEPS[:3] else ""
        print("| %s | %s | %s | %d | %s |" % (name, ms(statistics.median(ts)), ms(max(ts)), len(ts),
                                              target))
    if tmux:
        print("| tmux 100x30: f, Enter, Enter (one run) | %s | | | < 50 ms |"
              % " / ".join(ms(t) for t in tmux))
    # Both sides from asking for the change to its diff's first screen: issuemine's two
    # Enters (files with their patches read, then the diff laid out), the reference's run.
    diff = [r[1][0] + r[2][0] for r in runs]
    print()
    print("| change to the first screen of its diff | issuemine (Enter, Enter; %d runs) "
          "| reference (%d runs) | ratio |" % (len(diff), len(ref)))
    print("| --- | ---: | ---: | ---: |")
    print("| median | %s | %s | %.0fx |" % (ms(statistics.median(diff)), ms(statistics.median(ref)),
                                           statistics.median(ref) / statistics.median(diff)))
    print("| worst | %s | %s | |" % (ms(max(diff)), ms(max(ref))))
    worst = max(max(ts) for ts in per_step[:3])
    print("\ntarget (each of the first three steps < 50 ms): %s" % ("met" if worst < 50 else "MISSED"))


if __name__ == "__main__":
    main()
