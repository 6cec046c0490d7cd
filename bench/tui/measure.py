#!/usr/bin/env python3
"""measure.py ISSUEMINE DB SAMPLE RATER: times the labeling UI, and the reference.

issuemine, headless: "issuemine label" with a keystroke script
($ISSUEMINE_TUI_SCRIPT) of NEXT presses of 'l' (next issue; the walk crosses
issues with 600-event timelines) and a trace ($ISSUEMINE_TUI_TRACE). The
time to the first screen runs from just before the process is started to
the trace's "screen" line; each key's time from its "key" line to its
"drawn" line (read from the database, laid out, drawn). One warm-up run,
then RUNS runs.

issuemine in tmux: the same in a real terminal (100x30, TERM=tmux-256color),
keys sent one at a time with "tmux send-keys", each waited for.

reference: reference.py (everything read into memory first), one warm-up
run, then RUNS runs.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("RUNS", "5"))
NEXT = int(os.environ.get("NEXT", "100"))
HERE = os.path.dirname(os.path.abspath(__file__))


def read_trace(path):
    with open(path) as f:
        return [(float(t), ev) for t, ev, *_ in (line.split() for line in f)]


def key_times(trace):
    keys = [t for t, ev in trace if ev == "key"]
    drawn = [t for t, ev in trace if ev == "drawn"]
    return [(d - k) * 1000 for k, d in zip(keys, drawn)]


def headless(issuemine, db, sample, rater, tmp):
    script = os.path.join(tmp, "keys")
    with open(script, "w") as f:
        f.write("l" * NEXT + "\n")
    trace = os.path.join(tmp, "trace")
    if os.path.exists(trace):
        os.unlink(trace)
    env = dict(os.environ, ISSUEMINE_DB=db, ISSUEMINE_TUI_SCRIPT=script,
               ISSUEMINE_TUI_TRACE=trace, LC_ALL="C.UTF-8")
    start = time.time()
    subprocess.run([issuemine, "label", "--sample", sample, "--rater", rater], env=env,
                   stdout=subprocess.DEVNULL, check=True)
    t = read_trace(trace)
    first = [ts for ts, ev in t if ev == "screen"][0]
    return (first - start) * 1000, key_times(t)


def wait_for(path, event, count, limit=20.0):
    end = time.time() + limit
    while time.time() < end:
        if os.path.exists(path) and sum(1 for _, ev in read_trace(path) if ev == event) >= count:
            return
        time.sleep(0.002)
    sys.exit("tmux run: no '%s' in the trace after %.0f s" % (event, limit))


def in_tmux(issuemine, db, sample, rater, tmp, keys=30):
    if not shutil.which("tmux"):
        return None
    trace = os.path.join(tmp, "tmux-trace")
    sock = "issuemine-bench-%d" % os.getpid()
    tmux = ["tmux", "-u", "-L", sock, "-f", "/dev/null"]
    cmd = ("env TERM=tmux-256color LC_ALL=C.UTF-8 ISSUEMINE_DB='%s' ISSUEMINE_TUI_TRACE='%s' "
           "'%s' label --sample '%s' --rater '%s'" % (db, trace, issuemine, sample, rater))
    try:
        start = time.time()
        subprocess.run(tmux + ["new-session", "-d", "-x", "100", "-y", "30", cmd], check=True)
        wait_for(trace, "screen", 1)
        first = [ts for ts, ev in read_trace(trace) if ev == "screen"][0]
        for k in range(keys):
            subprocess.run(tmux + ["send-keys", "-t", "0", "l"], check=True)
            wait_for(trace, "drawn", k + 1)
        return (first - start) * 1000, key_times(read_trace(trace))
    finally:
        subprocess.run(tmux + ["kill-server"], stderr=subprocess.DEVNULL)


def reference(db, sample):
    cmd = [sys.executable, os.path.join(HERE, "reference.py"), db, sample]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, check=True).stdout
    return float(out) * 1000


def ms(x):
    return "%.1f ms" % x


def main():
    issuemine, db, sample, rater = sys.argv[1:5]
    with tempfile.TemporaryDirectory() as tmp:
        headless(issuemine, db, sample, rater, tmp)  # warm-up: the page cache, for both sides
        runs = [headless(issuemine, db, sample, rater, tmp) for _ in range(RUNS)]
        tmux = in_tmux(issuemine, db, sample, rater, tmp)
    reference(db, sample)
    ref = [reference(db, sample) for _ in range(RUNS)]

    first = statistics.median(r[0] for r in runs)
    keys = [k for r in runs for k in r[1]]
    ref_first = statistics.median(ref)
    print("| measure | issuemine | reference (all in memory) | ratio | target |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print("| first screen, headless (median of %d) | %s | %s | %.0fx | < 150 ms |"
          % (RUNS, ms(first), ms(ref_first), ref_first / first))
    print("| first screen, headless (worst of %d) | %s | %s | | < 150 ms |"
          % (RUNS, ms(max(r[0] for r in runs)), ms(max(ref))))
    print("| next issue, headless (median of %d keys) | %s | | | < 20 ms |"
          % (len(keys), ms(statistics.median(keys))))
    print("| next issue, headless (worst of %d keys) | %s | | | < 20 ms |"
          % (len(keys), ms(max(keys))))
    if tmux:
        print("| first screen, tmux 100x30 (one run) | %s | | | < 150 ms |" % ms(tmux[0]))
        print("| next issue, tmux 100x30 (median / worst of %d keys) | %s / %s | | | < 20 ms |"
              % (len(tmux[1]), ms(statistics.median(tmux[1])), ms(max(tmux[1]))))
    ok = max(r[0] for r in runs) < 150 and max(keys) < 20
    print("\ntargets %s" % ("met" if ok else "MISSED"))


if __name__ == "__main__":
    main()
