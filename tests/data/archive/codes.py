#!/usr/bin/env python3
"""codes.py MEMBERS.csv DIR - codes of three raters for the sample's members.

MEMBERS.csv is "issuemine sets show SAMPLE --format csv". Writes alice.csv,
bob.csv and consensus.csv into DIR in the columns "codes import" reads:
bob disagrees with alice on every fourth issue, consensus sides with alice;
alice and consensus exclude the third issue (with a reason and free text),
and notes (over several lines, with markup characters and non-ASCII text)
go on a few issues. Deterministic.
"""
import csv
import os
import sys

SYMPTOMS = ["crash", "wrong-model", "crash", "build-failure", "crash", "unreported"]
LOCATIONS = ["node-conversion", "optimization", "node-conversion", "load-model", "export"]
CAUSES = [("incompatibility", "external"), ("type-problem", "node"), ("shape-problem", ""),
          ("algorithmic-error", "incorrect-tracing"), ("typo", ""), ("incompatibility", "")]


def rows(rater, members):
    out = []
    for i, m in enumerate(members):
        ref = "%s#%s" % (m["repository"], m["number"])
        k = i + (1 if rater == "bob" and i % 4 == 0 else 0)
        note = ""
        if i in (0, 5):
            note = "Line one of %s's note: <b> & \"q\"\nline two: caf\u00e9 \u2615 \U0001d11e" % rater
        exclusion = exclusion_note = ""
        if i == 2 and rater != "bob":
            exclusion, exclusion_note = "not-a-failure", "A question about opset support \u2014 not a bug"
        cause = CAUSES[k % len(CAUSES)]
        out.append([ref, rater, "symptom", SYMPTOMS[k % len(SYMPTOMS)], "", note, exclusion,
                    exclusion_note])
        out.append([ref, rater, "location", LOCATIONS[k % len(LOCATIONS)], "", "", "", ""])
        if i != 4 or rater == "bob":  # alice and consensus leave one cause uncoded
            out.append([ref, rater, "cause", cause[0], cause[1], "", "", ""])
    return out


def main():
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        members = list(csv.DictReader(f))
    for rater in ("alice", "bob", "consensus"):
        with open(os.path.join(sys.argv[2], rater + ".csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["issue", "rater", "dimension", "category", "subcategory", "note",
                        "exclusion", "exclusion_note"])
            w.writerows(rows(rater, members))


main()
