#!/usr/bin/env python3
"""fake_rater.py - an external rater for the tests, told what to do per issue.

Reads the document issuemine writes on stdin and answers, or misbehaves, as
the plan says for the issue's number. The plan is a JSON object in the file
$FAKE_RATER_PLAN ({"3": "crash", "*": "valid"}; default "valid"):

  valid            codes from the first category of every dimension, a note
                   naming the issue, confidence from $FAKE_RATER_CONFIDENCE
  answer:JSON      exactly this answer (a JSON text)
  exclude          excludes the issue (the taxonomy's first reason)
  bad-category     names a category the taxonomy does not have
  malformed        writes text that is not JSON
  empty            writes nothing, exits 0
  unknown-member   a valid answer with a member the protocol does not know
  crash            exits 3 after a traceback-like line on stderr
  segv             kills itself with SIGSEGV
  hang             sleeps an hour
  sleep:S          sleeps S seconds, then answers as valid
  huge             writes 2 MB
  leave-behind     starts a background process that sleeps an hour (its command
                   line holds $FAKE_RATER_MARK), then answers
  fds              answers with the descriptors it inherited in the note

Every run appends one line to $FAKE_RATER_LOG (if set): "start NUMBER PID T",
and "end NUMBER PID T" when it answered; $FAKE_RATER_DOCS (a directory, if
set) gets each document as NUMBER.json.
"""
import json
import os
import signal
import subprocess
import sys
import time


def log(what, number):
    path = os.environ.get("FAKE_RATER_LOG")
    if path:
        with open(path, "a") as f:
            f.write("%s %s %d %.6f\n" % (what, number, os.getpid(), time.time()))


def valid(doc):
    codes = {}
    conf = os.environ.get("FAKE_RATER_CONFIDENCE")
    for d in doc["taxonomy"]["dimensions"]:
        c = {"category": d["categories"][0]["key"]}
        if conf:
            c["confidence"] = float(conf)
        codes[d["key"]] = c
    return {"format": 1, "codes": codes, "note": "fake rater on %s" % doc["issue"]["ref"]}


def main():
    raw = sys.stdin.read()
    doc = json.loads(raw)
    number = str(doc["issue"]["number"])
    log("start", number)
    docs = os.environ.get("FAKE_RATER_DOCS")
    if docs:
        with open(os.path.join(docs, number + ".json"), "w") as f:
            f.write(raw)
    plan = {}
    if os.environ.get("FAKE_RATER_PLAN"):
        with open(os.environ["FAKE_RATER_PLAN"]) as f:
            plan = json.load(f)
    what = plan.get(number, plan.get("*", "valid"))
    answer = valid(doc)
    if what.startswith("answer:"):
        sys.stdout.write(what[len("answer:"):])
    elif what == "exclude":
        reason = doc["taxonomy"]["exclusions"][0]["key"]
        sys.stdout.write(json.dumps({"exclusion": {"reason": reason, "note": "not one"},
                                     "note": "excluded by the fake rater"}))
    elif what == "bad-category":
        answer["codes"]["cause"] = "Nope"
        sys.stdout.write(json.dumps(answer))
    elif what == "malformed":
        sys.stdout.write("I think it is a crash, probably.\n")
    elif what == "empty":
        pass
    elif what == "unknown-member":
        answer["cods"] = {}
        sys.stdout.write(json.dumps(answer))
    elif what == "crash":
        sys.stderr.write("Traceback (most recent call last):\nValueError: fake rater crashed\n")
        sys.exit(3)
    elif what == "segv":
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGSEGV)
    elif what == "hang":
        time.sleep(3600)
    elif what.startswith("sleep:"):
        time.sleep(float(what[len("sleep:"):]))
        sys.stdout.write(json.dumps(answer))
    elif what == "huge":
        sys.stdout.write("x" * 2000000)
    elif what == "leave-behind":
        mark = os.environ.get("FAKE_RATER_MARK", "fake-rater-leftover")
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)", mark],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
        sys.stdout.write(json.dumps(answer))
    elif what == "fds":
        fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
        answer["note"] = "fds " + " ".join(str(fd) for fd in fds)
        sys.stdout.write(json.dumps(answer))
    else:
        sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()
    log("end", number)


main()
