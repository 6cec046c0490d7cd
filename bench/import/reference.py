#!/usr/bin/env python3
"""reference.py DUMP.json - the reference study's way of reading a dump.

The study's scripts kept the whole download in one Python list and read it
back with a single json.load; this does exactly that and counts the issues
and events, so that its time and peak memory can be set beside
"issuemine import" on the same file.
"""
import json
import sys

with open(sys.argv[1]) as f:
    issues = json.load(f)
events = sum(len(i.get("timeline") or []) for i in issues)
print("%d issues, %d events" % (len(issues), events))
