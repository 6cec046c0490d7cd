#!/usr/bin/env python3
"""fixcheck.py - what the fixes tests assert, against the fake GitHub (fixes.py).

  fixcheck.py db URL DB SET       every issue of set SET is resolved with exactly
                                  the links the server's timelines call for (each
                                  change, its role and via; for a timeline fetched
                                  through GraphQL, the pull requests its closed and
                                  connected events name too, links made through
                                  GraphQL), every change stored
                                  with all its files (paths, statuses, counts,
                                  patches, in order) or recorded as gone with the
                                  status GitHub answered; prints a summary
  fixcheck.py canon DB [--full]   counts and a digest of a canonical dump of the
                                  fix tables (to compare databases)
  fixcheck.py partial DB CLEAN    DB (a run that was killed) holds only whole
                                  pieces of CLEAN (a finished run): each change it
                                  stores is CLEAN's with every file, each issue it
                                  resolved has CLEAN's links
  fixcheck.py minimum URL DB SET  the fewest requests the endpoints allow for
                                  the fixes of set SET
  fixcheck.py requests LOG        fix requests in a request log, by status

Exit status 1 and a message on stderr when an assertion fails.
"""

import collections
import hashlib
import json
import os
import sqlite3
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixes  # noqa: E402

FIX_KINDS = ("commit", "commit_pulls", "pull", "pull_files")


def fail(msg):
    print("fixcheck.py: " + msg, file=sys.stderr)
    sys.exit(1)


def connect(path):
    return sqlite3.connect("file:%s?mode=ro" % path, uri=True)


def members(con, name):
    rows = con.execute(
        "SELECT r.full_name, i.number, i.id FROM sets s JOIN set_members m ON m.set_id = s.id "
        "JOIN issues i ON i.id = m.issue_id JOIN repositories r ON r.id = i.repo_id "
        "WHERE s.name = ? ORDER BY m.position", (name,)).fetchall()
    if not rows:
        fail("set %s is empty or missing" % name)
    return rows


def timeline_api(con, iid):
    """The API an issue's stored timeline came through: its links are that API's."""
    n = con.execute("SELECT count(*) FROM events WHERE issue_id = ? AND api = 'graphql'",
                    (iid,)).fetchone()[0]
    return "graphql" if n else "rest"


def truth(url, rows, con=None):
    by_repo = collections.defaultdict(list)
    for repo, number, iid in rows:
        by_repo[(repo, timeline_api(con, iid) if con else "rest")].append(number)
    out, minimum = {}, 0
    for (repo, api), numbers in by_repo.items():
        req = urllib.request.Request(url + "/_fake/fixes", method="POST",
                                     data=json.dumps({"repo": repo, "numbers": numbers,
                                                      "api": api}).encode())
        with urllib.request.urlopen(req, timeout=600) as r:
            t = json.loads(r.read())
        for issue in t["issues"]:
            out[(repo.lower(), issue["number"])] = issue
        minimum += t["minimum_requests"]
    return out, minimum


def change_key(kind, repo, number, sha):
    if kind == "commit":
        return fixes.commit_key(repo, sha)
    return fixes.pull_key(repo, number)


def db_files(con, change_id):
    out = []
    for path, prev, status, adds, dels, patch, has_patch in con.execute(
            "SELECT path, previous_path, status, additions, deletions, patch, has_patch "
            "FROM fix_files WHERE change_id = ? ORDER BY position", (change_id,)):
        if bool(has_patch) != (patch is not None):
            fail("file %s: has_patch %s but patch %r" % (path, has_patch, patch))
        out.append(fixes.file_digest({"filename": path, "previous_filename": prev,
                                      "status": status, "additions": adds,
                                      "deletions": dels, "patch": patch}))
    return out


def check_change(con, where, want, row):
    cid, status, http, merged, state, file_count, stored, truncated = row
    if want["gone"]:
        if status != "gone" or http != want["gone"]:
            fail("%s %s: want gone %s, got %s %s" % (where, want["key"], want["gone"], status,
                                                    http))
        return 0
    if status != "stored":
        fail("%s %s: want stored, got %s %s" % (where, want["key"], status, http))
    files = db_files(con, cid)
    if files != want["files"] or stored != len(files):
        fail("%s %s: %d files stored (files_stored %s), want %d, or they differ" % (
            where, want["key"], len(files), stored, len(want["files"])))
    expect_count = want["file_count"] if want["kind"] == "pr" else len(want["files"])
    if file_count != expect_count or bool(truncated) != want["truncated"]:
        fail("%s %s: file_count %s truncated %s, want %s %s" % (
            where, want["key"], file_count, truncated, expect_count, want["truncated"]))
    if want["kind"] == "pr" and (bool(merged) != want["merged"] or state != want["state"]):
        fail("%s %s: merged %s state %s, want %s %s" % (where, want["key"], merged, state,
                                                       want["merged"], want["state"]))
    return len(files)


def cmd_db(url, path, name):
    con = connect(path)
    rows = members(con, name)
    want_all, _ = truth(url, rows, con)
    stats = collections.Counter()
    for repo, number, iid in rows:
        where = "%s#%d" % (repo, number)
        want = want_all.get((repo.lower(), number))
        if want is None:
            fail("%s: the server does not know it" % where)
        st = con.execute("SELECT connected FROM fix_state WHERE issue_id = ?", (iid,)).fetchone()
        if st is None:
            fail("%s: not resolved (no fix_state row)" % where)
        if st[0] != want["connected"]:
            fail("%s: %d connected, want %d" % (where, st[0], want["connected"]))
        got = {}
        api = timeline_api(con, iid)
        for kind, crepo, cnum, csha, role, via, link_api, *rest in con.execute(
                "SELECT c.kind, c.repo, c.number, c.sha, f.role, f.via, f.api, c.id, c.status, "
                "c.http_status, c.merged, c.state, c.file_count, c.files_stored, c.truncated "
                "FROM fixes f JOIN fix_changes c ON c.id = f.change_id WHERE f.issue_id = ?",
                (iid,)):
            if link_api != api:
                fail("%s: a link made through %s, its timeline came through %s" % (
                    where, link_api, api))
            got[change_key(kind, crepo, cnum, csha)] = (role, via, rest)
        want_keys = {c["key"]: c for c in want["changes"]}
        if set(got) != set(want_keys):
            fail("%s: changes %s, want %s" % (where, sorted(got), sorted(want_keys)))
        for key, c in want_keys.items():
            role, via, rest = got[key]
            if (role, via) != (c["role"], c["via"]):
                fail("%s %s: %s via %s, want %s via %s" % (where, key, role, via, c["role"],
                                                          c["via"]))
            stats["files"] += check_change(con, where, c, rest)
            stats[c["role"]] += 1
            stats["gone"] += bool(c["gone"])
        stats["issues"] += 1
    print(json.dumps(dict(stats), sort_keys=True))


def canon_rows(con):
    changes = {}
    for row in con.execute(
            "SELECT id, kind, repo, number, sha, status, http_status, title, body, author, "
            "state, merged, merged_at, merge_commit_sha, created_at, committed_at, url, "
            "additions, deletions, file_count, files_stored, truncated, raw, api, pulls "
            "FROM fix_changes"):
        cid, kind, repo, number, sha = row[:5]
        key = change_key(kind, repo, number, sha if kind == "commit" else None)
        files = [list(f) for f in con.execute(
            "SELECT position, path, previous_path, status, additions, deletions, patch, "
            "has_patch FROM fix_files WHERE change_id = ? ORDER BY position", (cid,))]
        changes[cid] = (key, list(row[1:]), files)
    links = sorted(
        ["%s#%d" % (r, n), changes[cid][0], role, via, api]
        for r, n, cid, role, via, api in con.execute(
            "SELECT r.full_name, i.number, f.change_id, f.role, f.via, f.api FROM fixes f "
            "JOIN issues i ON i.id = f.issue_id JOIN repositories r ON r.id = i.repo_id"))
    states = sorted(["%s#%d" % (r, n), c] for r, n, c in con.execute(
        "SELECT r.full_name, i.number, s.connected FROM fix_state s JOIN issues i ON "
        "i.id = s.issue_id JOIN repositories r ON r.id = i.repo_id"))
    return {"changes": sorted(list(v) for v in changes.values()), "links": links,
            "states": states}


def cmd_canon(path, full):
    dump = canon_rows(connect(path))
    text = json.dumps(dump, sort_keys=True, ensure_ascii=False)
    if full:
        print(text)
        return
    files = sum(len(c[2]) for c in dump["changes"])
    print("%d changes %d files %d links %d issues %s" % (
        len(dump["changes"]), files, len(dump["links"]), len(dump["states"]),
        hashlib.sha1(text.encode()).hexdigest()))


def cmd_partial(path, clean_path):
    part, clean = canon_rows(connect(path)), canon_rows(connect(clean_path))
    clean_changes = {c[0]: c for c in clean["changes"]}
    for c in part["changes"]:
        want = clean_changes.get(c[0])
        if want is None:
            fail("%s: stored, but not by the clean run" % c[0])
        # A change killed before its pulls were looked up lacks them: a rerun asks.
        got = [c[0], c[1][:-1], c[2]]
        if got != [want[0], want[1][:-1], want[2]] or c[1][-1] not in (None, want[1][-1]):
            fail("%s: not the clean run's change (or not all its files)" % c[0])
    resolved = {issue for issue, _ in part["states"]}
    if not resolved <= {issue for issue, _ in clean["states"]}:
        fail("issues resolved that the clean run did not resolve")
    part_links = sorted(l for l in part["links"] if l[0] in resolved)
    clean_links = sorted(l for l in clean["links"] if l[0] in resolved)
    if part_links != clean_links or len(part_links) != len(part["links"]):
        fail("the links of resolved issues differ from the clean run's")
    print("%d changes %d resolved issues" % (len(part["changes"]), len(resolved)))


def cmd_minimum(url, path, name):
    con = connect(path)
    _, minimum = truth(url, members(con, name), con)
    print(minimum)


def cmd_requests(log):
    counts = collections.Counter()
    with open(log) as f:
        for line in f:
            e = json.loads(line)
            if e.get("kind") in FIX_KINDS:
                counts[str(e["status"])] += 1
    print(json.dumps(dict(counts), sort_keys=True))


def main():
    args = sys.argv[1:]
    if len(args) == 4 and args[0] == "db":
        cmd_db(args[1], args[2], args[3])
    elif len(args) in (2, 3) and args[0] == "canon":
        cmd_canon(args[1], args[2:] == ["--full"])
    elif len(args) == 3 and args[0] == "partial":
        cmd_partial(args[1], args[2])
    elif len(args) == 4 and args[0] == "minimum":
        cmd_minimum(args[1], args[2], args[3])
    elif len(args) == 2 and args[0] == "requests":
        cmd_requests(args[1])
    else:
        fail(__doc__.strip())


if __name__ == "__main__":
    main()
