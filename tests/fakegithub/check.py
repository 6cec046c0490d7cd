#!/usr/bin/env python3
"""check.py - what the fetch tests assert, against the fake GitHub and its log.

  check.py db URL DB [--q QUERY] [--stopped]
                                      the database holds exactly the issues
                                      the server matches for QUERY (default:
                                      every issue of the repository), each
                                      with the same JSON, labels and every
                                      timeline event in order, none twice;
                                      with --stopped, other stored issues are
                                      allowed when the fetch marked them as
                                      no longer matching and stored their
                                      current JSON (or marked them gone)
  check.py canon DB [--full]          counts and a digest of a canonical dump
                                      of issues, labels and events (to compare
                                      databases); --full prints the dump
  check.py same-rows REST.db GQL.db   the databases hold the same rows in every
                                      extracted column: issues (all but raw,
                                      stored_at, api; gone included), labels,
                                      events (all but raw, api; a GraphQL
                                      github_id is NULL or REST's); the second's
                                      rows came through GraphQL and keep GraphQL
                                      objects as raw; with --rest-issues,
                                      rows that came over REST are allowed
                                      too (issues a GraphQL run listed over
                                      REST: a second past the search cap; a
                                      REST run that a GraphQL run finished)
  check.py timeline-fetches LOG       per issue, how many times its first
                                      timeline page was served whole (200)
  check.py waits LOG --scale S [--max-late T]
                                      every wait the log shows honours GitHub:
                                      retry-after, 60 s doubling without it
                                      (times S), and reset times; with
                                      --max-late, no request after a reset
                                      comes more than T s after it
  check.py change URL KIND[:ARG][@K] N...
                                      edits issues on the server (ARG: the
                                      label of "unlabel"; @K: just before the
                                      K-th search request from now)
  check.py config URL JSON            changes the server's fault settings

Exit status 1 and a message on stderr when an assertion fails.
"""

import hashlib
import json
import sqlite3
import sys
import urllib.parse
import urllib.request
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402


def fail(msg):
    print("check.py: " + msg, file=sys.stderr)
    sys.exit(1)


def http(url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def read_log(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def db_issues(path, repo):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    out = {}
    rows = con.execute(
        "SELECT i.id, i.number, i.raw, i.updated_at FROM issues i JOIN repositories r "
        "ON r.id = i.repo_id WHERE r.full_name = ? COLLATE NOCASE", (repo,))
    for iid, number, raw, updated in rows:
        labels = sorted(n.lower() for (n,) in con.execute(
            "SELECT name FROM labels WHERE issue_id = ?", (iid,)))
        events = con.execute(
            "SELECT position, raw, github_id FROM events WHERE issue_id = ? ORDER BY position",
            (iid,)).fetchall()
        out[number] = {"raw": raw, "updated_at": updated, "labels": labels, "events": events}
    con.close()
    return out


def stopped_numbers(path, repo):
    """Stored issues a fetch marked as no longer matching: number -> (why, gone)."""
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    rows = con.execute(
        "SELECT m.number, m.stopped_why, i.gone FROM fetch_members m JOIN fetch_queries q "
        "ON q.id = m.query_id JOIN repositories r ON r.id = q.repo_id LEFT JOIN issues i "
        "ON i.repo_id = r.id AND i.number = m.number WHERE m.stopped_at IS NOT NULL AND "
        "r.full_name = ? COLLATE NOCASE", (repo,)).fetchall()
    con.close()
    return {n: (why, gone) for n, why, gone in rows}


def check_stopped(dump, got, extra, path, problems):
    """Extra stored issues must be marked stopped, with the server's current state."""
    stopped = stopped_numbers(path, dump["repo"])
    unmatched = {i["number"]: i for i in dump.get("unmatched", [])}
    gone = {i["number"]: i["how"] for i in dump.get("gone", [])}
    for n in extra:
        if n not in stopped:
            problems.append("#%d is stored but neither matches nor is marked stopped" % n)
        elif n in gone:
            if stopped[n][1] != gone[n]:
                problems.append("#%d is %s on the server, stored as gone=%s" % (
                    n, gone[n], stopped[n][1]))
        elif n in unmatched:
            if corpus.digest(json.loads(got[n]["raw"])) != unmatched[n]["issue"]:
                problems.append("#%d stopped matching but its stored JSON is not the "
                                "server's current one" % n)
            if got[n]["labels"] != unmatched[n]["labels"]:
                problems.append("#%d: labels %s, server %s" % (
                    n, got[n]["labels"], unmatched[n]["labels"]))
    return len(extra)


def cmd_db(url, path, q=None, allow_stopped=False):
    params = {"q": q} if q else {}
    dump = http(url + "/_fake/dump?" + urllib.parse.urlencode(params))
    want = {i["number"]: i for i in dump["issues"]}
    got = db_issues(path, dump["repo"])
    problems = []
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    stopped = 0
    if allow_stopped:
        stopped = check_stopped(dump, got, extra, path, problems)
        extra = []
    if missing:
        problems.append("%d issues missing, e.g. %s" % (len(missing), missing[:5]))
    if extra:
        problems.append("%d issues the server does not match, e.g. %s" % (len(extra), extra[:5]))
    events = 0
    for n in sorted(set(want) & set(got)):
        w, g = want[n], got[n]
        if corpus.digest(json.loads(g["raw"])) != w["issue"]:
            problems.append("#%d: the stored issue JSON differs from the server's" % n)
        if g["updated_at"] != w["updated_at"]:
            problems.append("#%d: updated_at %s, server %s" % (n, g["updated_at"], w["updated_at"]))
        if g["labels"] != w["labels"]:
            problems.append("#%d: labels %s, server %s" % (n, g["labels"], w["labels"]))
        positions = [p for p, _, _ in g["events"]]
        if positions != list(range(len(positions))):
            problems.append("#%d: event positions are not 0..n-1" % n)
        ids = [i for _, _, i in g["events"] if i is not None]
        if len(ids) != len(set(ids)):
            problems.append("#%d: an event is stored twice" % n)
        digests = [corpus.digest(json.loads(raw)) for _, raw, _ in g["events"]]
        if digests != w["events"]:
            problems.append("#%d: %d events stored, server has %d%s" % (
                n, len(digests), len(w["events"]),
                " (same count, different content)" if len(digests) == len(w["events"]) else ""))
        events += len(digests)
    if problems:
        fail("database differs from the server: " + "; ".join(problems[:8]))
    print("%d issues, %d events: as on the server%s" % (
        len(got) - stopped, events, ", %d stopped matching" % stopped if stopped else ""))


def cmd_canon(path, full):
    """Prints every row (full), or counts and a digest of them."""
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    h = hashlib.sha1()
    counts = {"issue": 0, "label": 0, "event": 0}

    def emit(kind, row):
        line = kind + " " + json.dumps(row, ensure_ascii=False)
        counts[kind] += 1
        if full:
            print(line)
        h.update(line.encode() + b"\n")

    for row in con.execute(
            "SELECT r.full_name, i.number, i.github_id, i.title, i.body, i.state, i.state_reason, "
            "i.author, i.created_at, i.updated_at, i.closed_at, i.is_pull_request, "
            "i.comment_count, i.html_url, i.raw, i.stored_at FROM issues i "
            "JOIN repositories r ON r.id = i.repo_id ORDER BY 1, 2"):
        emit("issue", row)
    for row in con.execute(
            "SELECT i.number, l.name FROM labels l JOIN issues i ON i.id = l.issue_id "
            "ORDER BY 1, 2"):
        emit("label", row)
    for row in con.execute(
            "SELECT i.number, e.position, e.event, e.github_id, e.created_at, e.actor, "
            "e.commit_id, e.body, e.source_repo, e.source_number, e.source_state, "
            "e.source_is_pr, e.source_title, e.raw FROM events e JOIN issues i "
            "ON i.id = e.issue_id ORDER BY 1, 2"):
        emit("event", row)
    con.close()
    if not full:
        print("%d issues, %d labels, %d events, sha1 %s" % (
            counts["issue"], counts["label"], counts["event"], h.hexdigest()))


ISSUE_COLUMNS = ["github_id", "title", "body", "state", "state_reason", "author", "created_at",
                 "updated_at", "closed_at", "is_pull_request", "comment_count", "html_url",
                 "gone"]
EVENT_COLUMNS = ["event", "created_at", "actor", "commit_id", "body", "source_repo",
                 "source_number", "source_state", "source_is_pr", "source_title"]


def extracted_rows(path):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    issues = {}
    for row in con.execute(
            "SELECT r.full_name, i.number, %s, i.api, i.raw FROM issues i JOIN repositories r "
            "ON r.id = i.repo_id" % ", ".join("i." + c for c in ISSUE_COLUMNS)):
        issues[(row[0].lower(), row[1])] = row[2:]
    labels = sorted(con.execute(
        "SELECT r.full_name, i.number, l.name FROM labels l JOIN issues i ON i.id = l.issue_id "
        "JOIN repositories r ON r.id = i.repo_id"))
    events = {}
    for row in con.execute(
            "SELECT r.full_name, i.number, e.position, e.github_id, %s, e.api, e.raw FROM events e "
            "JOIN issues i ON i.id = e.issue_id JOIN repositories r ON r.id = i.repo_id"
            % ", ".join("e." + c for c in EVENT_COLUMNS)):
        events[(row[0].lower(), row[1], row[2])] = row[3:]
    con.close()
    return issues, labels, events


def compare_issues(rest, gql, problems, rest_issues=False):
    for key in sorted(set(rest) | set(gql)):
        if key not in gql or key not in rest:
            problems.append("#%d only in %s" % (key[1], "REST" if key in rest else "GraphQL"))
            continue
        r, g = rest[key], gql[key]
        for name, a, b in zip(ISSUE_COLUMNS, r, g):
            if name == "state_reason" and g[ISSUE_COLUMNS.index("is_pull_request")] and b is None:
                continue  # GraphQL's PullRequest has no stateReason
            if a != b:
                problems.append("#%d: %s is %r in REST, %r in GraphQL" % (key[1], name, a, b))
        if rest_issues and g[-2] == "rest":
            continue  # listed over REST by the GraphQL run: the object REST sent
        if g[-2] != "graphql" or '"__typename"' not in g[-1] or '"timelineItems"' in g[-1]:
            problems.append("#%d: not stored as a GraphQL node (api %s)" % (key[1], g[-2]))


def compare_events(rest, gql, problems, rest_issues=False):
    for key in sorted(set(rest) | set(gql)):
        where = "#%d event %d" % (key[1], key[2])
        if key not in gql or key not in rest:
            problems.append("%s only in %s" % (where, "REST" if key in rest else "GraphQL"))
            continue
        r, g = rest[key], gql[key]
        if g[0] is not None and g[0] != r[0]:
            problems.append("%s: github_id %r in REST, %r in GraphQL" % (where, r[0], g[0]))
        for name, a, b in zip(EVENT_COLUMNS, r[1:], g[1:]):
            if a != b:
                problems.append("%s (%s): %s is %r in REST, %r in GraphQL" % (where, r[1], name, a, b))
        if rest_issues and g[-2] == "rest":
            continue  # stored by a REST run the GraphQL run finished
        if g[-2] != "graphql" or not json.loads(g[-1]).get("__typename"):
            problems.append("%s: not stored as a GraphQL item (api %s)" % (where, g[-2]))


def cmd_same_rows(rest_path, gql_path, rest_issues=False):
    rest_rows, rest_labels, rest_events = extracted_rows(rest_path)
    gql_rows, gql_labels, gql_events = extracted_rows(gql_path)
    gql_issues = gql_rows
    problems = []
    compare_issues(rest_rows, gql_rows, problems, rest_issues)
    if rest_labels != gql_labels:
        problems.append("labels differ: %d in REST, %d in GraphQL" % (len(rest_labels),
                                                                     len(gql_labels)))
    compare_events(rest_events, gql_events, problems, rest_issues)
    if problems:
        fail("%d differences, e.g. %s" % (len(problems), "; ".join(problems[:8])))
    ids = sum(1 for v in gql_events.values() if v[0] is not None)
    print("%d issues, %d labels, %d events (%d with a GraphQL databaseId): the same rows"
          % (len(gql_issues), len(gql_labels), len(gql_events), ids))


def cmd_timeline_fetches(log):
    counts = {}
    for e in read_log(log):
        if e.get("kind") == "timeline" and e.get("page") == 1 and e["status"] == 200 \
                and not e["fault"]:
            counts[e["issue"]] = counts.get(e["issue"], 0) + 1
    for n in sorted(counts):
        print(n, counts[n])


def cmd_waits(log, scale, max_late=None):
    # GET /rate_limit is free: the client asks it during waits; it is no request that waited.
    entries = [e for e in read_log(log) if e.get("kind") != "rate_limit"]
    checked = {"retry-after": 0, "secondary": 0, "reset": 0}
    late, late_at = 0.0, None
    streak = 0
    eps = 0.01
    for k, e in enumerate(entries[:-1]):
        nxt = entries[k + 1]
        gap = nxt["t"] - e["t"]
        if e["fault"] == "secondary":
            if e["retry_after"] is not None:
                need = e["retry_after"] * scale
                what = "retry-after %s" % e["retry_after"]
                checked["retry-after"] += 1
                streak = 0
            else:
                streak += 1
                need = 60 * 2 ** (streak - 1) * scale
                what = "secondary limit #%d without retry-after" % streak
                checked["secondary"] += 1
            if gap + eps < need:
                fail("request %d came %.3f s after %s at request %d; %.3f s were due"
                     % (nxt["i"], gap, what, e["i"], need))
            continue
        streak = 0
        if e["status"] not in (0, 304) and e["remaining"] == 0:
            later = [x for x in entries[k + 1:] if x["resource"] == e["resource"]]
            if later:
                checked["reset"] += 1
                if later[0]["t"] < e["reset"]:
                    fail("request %d (%s) came at %.3f, before the reset %d announced by "
                         "request %d" % (later[0]["i"], e["resource"], later[0]["t"],
                                         e["reset"], e["i"]))
                # A wait: the very next request is the one that waited for the reset.
                if later[0] is nxt and later[0]["t"] - e["reset"] > late:
                    late, late_at = later[0]["t"] - e["reset"], nxt["i"]
    if max_late is not None and late > max_late:
        fail("request %d came %.3f s after the reset it waited for (at most %.3f s)"
             % (late_at, late, max_late))
    if max_late is not None:
        checked["late"] = round(late, 3)
    print(json.dumps(checked))


def main():
    a = sys.argv[1:]
    if not a:
        fail(__doc__)
    cmd = a[0]
    if cmd == "db":
        q = a[a.index("--q") + 1] if "--q" in a else None
        cmd_db(a[1], a[2], q, "--stopped" in a)
    elif cmd == "canon":
        cmd_canon(a[1], "--full" in a)
    elif cmd == "same-rows":
        cmd_same_rows(a[1], a[2], "--rest-issues" in a)
    elif cmd == "timeline-fetches":
        cmd_timeline_fetches(a[1])
    elif cmd == "waits":
        cmd_waits(a[1], float(a[a.index("--scale") + 1]) if "--scale" in a else 1.0,
                  float(a[a.index("--max-late") + 1]) if "--max-late" in a else None)
    elif cmd == "change":
        kind, _, at = a[2].partition("@")
        kind, _, arg = kind.partition(":")
        req = {"kind": kind, "numbers": [int(x) for x in a[3:]]}
        if arg:
            req["arg"] = arg
        if at:
            req["at_search"] = int(at)
        print(json.dumps(http(a[1] + "/_fake/change", req)))
    elif cmd == "config":
        print(json.dumps(http(a[1] + "/_fake/config", json.loads(a[2]))))
    else:
        fail("unknown command " + cmd)


if __name__ == "__main__":
    main()
