#!/usr/bin/env python3
"""server.py - a fake GitHub REST API for the fetcher's tests and benchmark.

Python 3 standard library only. It listens on 127.0.0.1 (a free port unless
--port says), writes the port to --port-file and to stdout, and serves the
deterministic corpus of corpus.py:

  GET /repos/O/R                          the repository (404 for others)
  GET /repos/O/R/issues                   issues and pull requests, no cap: state,
                                          labels (comma-separated, all of them), since
                                          (updated at or after), sort, direction,
                                          per_page, page
  GET /repos/O/R/issues/N                 one issue (410 when deleted, 301 to its new
                                          home when transferred)
  GET /search/issues?q=...                search: repo:, is:issue|pr, is:open|closed,
                                          state:, label:, -label:, created:, updated:,
                                          closed:, words; sort, order, per_page, page;
                                          total_count, incomplete_results, the result cap
  GET /repos/O/R/issues/N/timeline        timelines, paginated with Link headers
  GET /repositories/ID/issues/N/timeline  (the form Link headers use)
  GET /rate_limit                         every resource's limit, remaining and reset;
                                          free: it counts against no limit
  GET /repos/O/R/commits/SHA[/pulls]      commits and pull requests the timelines
  GET /repos/O/R/pulls/N[/files]          point at (fixes.py)
  POST /graphql (and /api/graphql)        the GraphQL API over the same corpus (graphql.py:
                                          search, repository, issues, timelines, node(id)
                                          for review and commit threads, introspection of
                                          the timeline unions, cost, the "graphql" rate
                                          limit, GraphQL's errors)

with what real GitHub does around them: Link pagination (next, last, prev,
first), ETags (weak on most timeline pages, strong on some) and 304 Not
Modified for If-None-Match (304s do not count against the limit), primary
rate limits per resource (core, search) with x-ratelimit-* headers and
short windows, 401 for a wrong token, 422 for a bad query or a page beyond
the cap. Each answer goes out in one write on a TCP_NODELAY socket, as a
real server's would: no delayed-ACK stall on a kept-alive connection.

Faults, for testing the client (all decided from --seed, so a run repeats):
  --p502 P          answer 502 Bad Gateway with probability P
  --pdrop P         close the connection without an answer
  --ptruncate P     cut the body short (half the time the Content-Length
                    promises more than is sent, half the time the JSON is cut)
  --pincomplete P   search pages say incomplete_results: true (and lack items)
  --secondary SPEC  secondary rate limits at given API request indices, e.g.
                    "10:30,11,12" = request 10 gets 403 with retry-after: 30,
                    requests 11 and 12 get 403 "secondary rate limit" without it
  --primary403 SPEC requests answered 403 with x-ratelimit-remaining: 0 and a
                    reset SECONDS later, e.g. "20:2"
  --cap-change I:C  from request I on, searches return at most C results (so
                    later pages of a listing get 422, as when a window grows)
  --fault-at SPEC   faults at given API request indices, e.g. "5:502,6:drop,9:truncate"
  --latency S       sleep S seconds before every answer (the benchmark)
  --clock-skew S    run the server's clock S seconds off the client's (Date
                    headers, reset times and the log all use it)
  --gone SPEC       issues whose timeline answers an error while the search
                    still lists them, as when an issue was deleted or
                    transferred after GitHub indexed it, e.g. "7:410,9:404"
  --burst N         N more issues created in one second (a migration)
  --echo-token      error messages (REST's "message", GraphQL's "errors") repeat
                    the token the request sent, as a careless proxy might: the
                    client must never show any of it

Control endpoints (not GitHub's):
  GET  /_fake/web/STATUS/...      an HTML page answered with STATUS, for any
                                  method and path below it (a web server, not an
                                  API: --api-url URL/_fake/web/404 is a wrong one)
  GET  /_fake/away/PORT/...       301 to http://localhost:PORT/... (another host for
                                  the client that asked 127.0.0.1): the token must
                                  not follow
  GET  /_fake/dump[?repo=R&q=Q]   every matching issue (no cap) with digests
                                  of its JSON and of each timeline event; and
                                  the repository's other issues ("unmatched",
                                  digests of their JSON) and those gone
  POST /_fake/change              {"repo": R, "numbers": [...], "kind":
                                  "append"|"edit"|"label"|"touch"|"reopen"|
                                  "close"|"unlabel"|"transfer"|"delete", "arg": LABEL,
                                  "at_search": K}: edit issues now ("touch"
                                  moves updated_at only, as a reaction or a
                                  body edit does), or with at_search just
                                  before the K-th search request from now is
                                  answered (a change while a window is listed)
  POST /_fake/config              change fault settings: {"p502": 0, ...}, and the
                                  GraphQL ones of graphql.py ({"gql_ppartial": 0.1, ...})
                                  (and fixes.py's fix_gone, fix_files, fix_content)
  POST /_fake/fixes               what a client should store of the fixes of
                                  some issues (fixes.py)

Every API request is appended to --log as one JSON line: index, time,
path, resource, status, fault, retry_after, reset, remaining, whether a
token was right ("auth": ok/bad/none, never the token itself), the
If-None-Match sent, and the Accept, X-GitHub-Api-Version and User-Agent
headers, so tests can assert on what the client did and when.
"""

import argparse
import json
import math
import os
import random
import re
import shlex
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus as corpusmod  # noqa: E402
import fixes as fixesmod  # noqa: E402
import graphql as graphqlmod  # noqa: E402

DOCS = "https://docs.github.com/rest"


class Bucket:
    """A primary rate limit window for one resource."""

    def __init__(self, limit, window):
        self.limit = limit
        self.window = window
        self.reset = 0
        self.used = 0

    def roll(self, now):
        if now >= self.reset:
            self.reset = int(math.ceil(now + self.window))
            self.used = 0

    def headers(self, resource):
        return [("x-ratelimit-limit", str(self.limit)),
                ("x-ratelimit-remaining", str(max(self.limit - self.used, 0))),
                ("x-ratelimit-used", str(self.used)),
                ("x-ratelimit-reset", str(self.reset)),
                ("x-ratelimit-resource", resource)]


class Reply:
    def __init__(self, status, obj=None, headers=None, fault=None):
        self.status = status
        self.obj = obj
        self.headers = headers or []
        self.fault = fault
        self.body = None
        self.retry_after = None
        self.content_type = "application/json; charset=utf-8"


def parse_spec(spec):
    """'10:30,11' -> {10: 30, 11: None}"""
    out = {}
    for part in (spec or "").split(","):
        part = part.strip()
        if not part:
            continue
        if ":" in part:
            i, v = part.split(":", 1)
            out[int(i)] = float(v)
        else:
            out[int(part)] = None
    return out


def parse_range(value, exact_day):
    """A search range ("A..B", ">=A", "<A", "A") as (low, high), both inclusive."""
    def bound(s, high):
        if s == "*":
            return None
        t = corpusmod.parse_time(s)
        if high and len(s.strip()) == 10:
            t += 86399
        return t

    if ".." in value:
        a, b = value.split("..", 1)
        return bound(a, False), bound(b, True)
    for op in (">=", "<=", ">", "<"):
        if value.startswith(op):
            t = corpusmod.parse_time(value[len(op):])
            day = len(value[len(op):].strip()) == 10
            if op == ">=":
                return t, None
            if op == ">":
                return t + (86400 if day else 1), None
            if op == "<=":
                return None, t + (86399 if day else 0)
            return None, t - 1
    t = corpusmod.parse_time(value)
    return t, t + (86399 if len(value.strip()) == 10 else 0)


def web_page(status):
    """/_fake/web/STATUS/...: a web server's HTML page, as a wrong --api-url finds."""
    reply = Reply(status)
    reply.body = (b"<!DOCTYPE html>\n<html><head><title>Page</title></head><body>" +
                  b"<p>Not an API.</p>" * 200 + b"</body></html>\n")
    reply.content_type = "text/html; charset=utf-8"
    return reply


def echo_token(reply, headers):
    """--echo-token: a careless server's error messages repeat the token sent, at
    many offsets, so that wherever a client cuts a long message a token is cut."""
    tok = (headers.get("Authorization") or "").partition(" ")[2].strip()
    obj = reply.obj
    if not tok or not isinstance(obj, dict):
        return
    echo = "".join(" sent %s%s" % ("." * i, tok) for i in range(16))
    if isinstance(obj.get("message"), str):
        obj["message"] += echo
    for e in obj.get("errors") or []:
        if isinstance(e, dict) and isinstance(e.get("message"), str):
            e["message"] += echo


class BadQuery(Exception):
    pass


class Query:
    """A parsed search query."""

    def __init__(self, q):
        self.repo = None
        self.kind = None
        self.state = None
        self.labels = []
        self.not_labels = []
        self.ranges = []  # (field, low, high)
        self.words = []
        try:
            tokens = shlex.split(q)
        except ValueError as e:
            raise BadQuery(str(e))
        for tok in tokens:
            neg = tok.startswith("-")
            key, sep, value = (tok[1:] if neg else tok).partition(":")
            if not sep:
                self.words.append(tok.lower())
                continue
            key = key.lower()
            if key == "repo":
                self.repo = value
            elif key in ("is", "type", "state") and value in ("issue", "pr", "pull-request"):
                self.kind = "pr" if value != "issue" else "issue"
            elif key in ("is", "state") and value in ("open", "closed"):
                self.state = value
            elif key == "label":
                (self.not_labels if neg else self.labels).append(value.lower())
            elif key in ("created", "updated", "closed"):
                try:
                    low, high = parse_range(value, True)
                except ValueError:
                    raise BadQuery("invalid date in %s:%s" % (key, value))
                self.ranges.append((key, low, high))
            else:
                raise BadQuery("qualifier %s: is not supported" % key)

    def candidates(self, corpus, repo):
        """The repository's issues this query may match: those of its created: range."""
        low = high = None
        for field, lo, hi in self.ranges:
            if field != "created":
                continue
            low = lo if low is None or (lo is not None and lo > low) else low
            high = hi if high is None or (hi is not None and hi < high) else high
        return corpus.created_between(repo, low, high)

    def matches(self, it):
        if self.kind == "issue" and it.is_pr or self.kind == "pr" and not it.is_pr:
            return False
        if self.state and (self.state == "closed") != it.closed:
            return False
        labels = [x.lower() for x in it.all_labels()]
        if any(x not in labels for x in self.labels):
            return False
        if any(x in labels for x in self.not_labels):
            return False
        for field, low, high in self.ranges:
            v = {"created": it.created, "updated": it.updated_at(),
                 "closed": it.closed_at()}[field]
            if v is None or (low is not None and v < low) or (high is not None and v > high):
                return False
        title = it.title.lower()
        return all(w in title for w in self.words)


class Fake:
    def __init__(self, args):
        self.args = args
        self.corpus = corpusmod.Corpus(args.seed, args.issues, args.repo or ["acme/widgets"],
                                       args.profile == "lean", args.burst)
        self.searches = 0
        self.pending_changes = []  # (search count to apply at, repo, numbers, kind, arg)
        self.lock = threading.Lock()
        self.rng = random.Random("faults:%s" % args.seed)
        self.index = 0
        self.buckets = {"core": Bucket(args.core_limit, args.core_window),
                        "search": Bucket(args.search_limit, args.search_window),
                        "graphql": Bucket(args.graphql_limit, args.graphql_window)}
        self.faults = {"p502": args.p502, "pdrop": args.pdrop, "ptruncate": args.ptruncate,
                       "pincomplete": args.pincomplete, "latency": args.latency}
        self.search_cap = args.search_cap
        self.cap_change = parse_spec(args.cap_change)
        self.secondary = parse_spec(args.secondary)
        self.primary403 = parse_spec(args.primary403)
        self.gone = parse_spec(args.gone)
        self.fault_at = {int(i): f for i, f in
                         (x.split(":", 1) for x in (args.fault_at or "").split(",") if x)}
        self.token = None
        if args.token_file:
            with open(args.token_file) as f:
                self.token = f.read().strip()
        self.log = open(args.log, "a", buffering=1) if args.log else None
        self.by_id = {corpusmod.repository(r)["id"]: r for r, _ in self.corpus.repos.values()}
        self.fixes = fixesmod.Fixes(self.corpus, Reply, self.error, self.paging, self.link)
        self.graphql = graphqlmod.Endpoint(self, args, sys.modules[__name__])

    # --- helpers ---

    def now(self):
        return time.time() + self.args.clock_skew

    def auth(self, headers):
        value = headers.get("Authorization")
        if not value:
            return "none"
        scheme, _, tok = value.partition(" ")
        if scheme.lower() not in ("bearer", "token"):
            return "bad"
        return "ok" if self.token is None or tok.strip() == self.token else "bad"

    @staticmethod
    def link(base, params, page, last):
        rels = []

        def url(p):
            q = dict(params)
            q["page"] = str(p)
            return "<%s?%s>" % (base, urllib.parse.urlencode(q))

        if page > 1:
            rels.append(url(page - 1) + '; rel="prev"')
        if page < last:
            rels.append(url(page + 1) + '; rel="next"')
            rels.append(url(last) + '; rel="last"')
        if page > 1:
            rels.append(url(1) + '; rel="first"')
        return ", ".join(rels)

    @staticmethod
    def paging(params, default=30):
        try:
            per_page = min(max(int(params.get("per_page", default)), 1), 100)
            page = max(int(params.get("page", 1)), 1)
        except ValueError:
            per_page, page = default, 1
        return per_page, page

    @staticmethod
    def error(status, message, **extra):
        obj = {"message": message, "documentation_url": DOCS}
        obj.update(extra)
        return Reply(status, obj)

    # --- endpoints ---

    def repo_get(self, repo):
        entry = self.corpus.repo(repo)
        if not entry:
            return self.error(404, "Not Found")
        r = Reply(200, corpusmod.repository(entry[0]))
        r.headers.append(("etag", 'W/"%s"' % corpusmod.sha(entry[0])))
        return r

    def issues_list(self, host, repo, params):
        """GET /repos/O/R/issues: issues and pull requests alike, no result cap."""
        entry = self.corpus.repo(repo)
        if not entry:
            return self.error(404, "Not Found")
        state = params.get("state", "open")
        if state not in ("open", "closed", "all"):
            return self.error(422, "Validation Failed", errors=[
                {"resource": "Issue", "field": "state", "code": "invalid"}])
        wanted = [x.strip().lower() for x in params.get("labels", "").split(",") if x.strip()]
        since = None
        if params.get("since"):
            try:
                since = corpusmod.parse_time(params["since"])
            except ValueError:
                return self.error(422, "Validation Failed")
        items = []
        for it in entry[1].values():
            if it.gone or not (state == "all" or (state == "closed") == it.closed):
                continue
            labels = [x.lower() for x in it.all_labels()]
            if any(x not in labels for x in wanted):
                continue
            if since is not None and it.updated_at() < since:
                continue
            items.append(it)
        sort = params.get("sort", "created")
        key = {"updated": lambda it: (it.updated_at(), it.number),
               "comments": lambda it: (it.comment_count(), it.number)}.get(
            sort, lambda it: (it.created, it.number))
        items.sort(key=key, reverse=params.get("direction", "desc") != "asc")
        per_page, page = self.paging(params)
        last = max(1, math.ceil(len(items) / per_page))
        chunk = items[(page - 1) * per_page:page * per_page]
        base = "http://%s/repositories/%d/issues" % (host, corpusmod.repository(entry[0])["id"])
        keep = {k: v for k, v in params.items() if k != "page"}
        r = Reply(200, [self.corpus.issue_json(it) for it in chunk])
        r.body = json.dumps(r.obj, ensure_ascii=False).encode()
        r.headers.append(("etag", 'W/"%s"' % corpusmod.sha(r.body.decode())))
        link = self.link(base, keep, page, last)
        if link:
            r.headers.append(("link", link))
        return r

    def moved_to(self, it):
        """Where a transferred issue lives now: another repository, another number."""
        return "acme/elsewhere", it.number + 100000

    def issue_get(self, host, repo, number):
        """GET /repos/O/R/issues/N, as GitHub answers after deletions and transfers."""
        entry = self.corpus.repo(repo)
        if not entry:
            if repo.lower() == "acme/elsewhere":
                for name, issues in self.corpus.repos.values():
                    for it in issues.values():
                        if it.gone == "transferred" and self.moved_to(it)[1] == number:
                            return Reply(200, self.corpus.issue_json(it, *self.moved_to(it)))
            return self.error(404, "Not Found")
        it = entry[1].get(number)
        if it is None:
            return self.error(404, "Not Found")
        if it.gone == "deleted":
            return self.error(410, "This issue was deleted")
        if it.gone == "transferred":
            new_repo, new_number = self.moved_to(it)
            where = "http://%s/repos/%s/issues/%d" % (host, new_repo, new_number)
            r = self.error(301, "Moved Permanently", url=where)
            r.headers.append(("location", where))
            return r
        return Reply(200, self.corpus.issue_json(it))

    def search(self, host, params):
        q = params.get("q", "")
        try:
            query = Query(q)
        except BadQuery as e:
            return self.error(422, "Validation Failed", errors=[
                {"message": str(e), "resource": "Search", "field": "q", "code": "invalid"}])
        entry = self.corpus.repo(query.repo) if query.repo else None
        if not entry:
            return self.error(422, "Validation Failed", errors=[{
                "message": "The listed users and repositories cannot be searched either "
                           "because the resources do not exist or you do not have "
                           "permission to view them.",
                "resource": "Search", "field": "q", "code": "invalid"}])
        items = [it for it in query.candidates(self.corpus, entry[0])
                 if not it.gone and query.matches(it)]
        sort = params.get("sort")
        desc = params.get("order", "desc") != "asc"
        if sort == "created":
            items.sort(key=lambda it: (it.created, it.number), reverse=desc)
        elif sort == "updated":
            items.sort(key=lambda it: (it.updated_at(), it.number), reverse=desc)
        elif sort == "comments":
            items.sort(key=lambda it: (it.comment_count(), it.number), reverse=desc)
        else:
            items.sort(key=lambda it: it.number, reverse=True)  # "best match"
        per_page, page = self.paging(params)
        cap = self.search_cap
        reachable = min(len(items), cap)
        if (page - 1) * per_page >= reachable and page > 1:
            return self.error(422, "Only the first %d search results are available" % cap)
        last = max(1, math.ceil(reachable / per_page))
        chunk = items[(page - 1) * per_page:min(page * per_page, reachable)]
        objs = []
        for it in chunk:
            obj = self.corpus.issue_json(it)
            obj["score"] = 1.0
            objs.append(obj)
        r = Reply(200, {"total_count": len(items), "incomplete_results": False,
                        "items": objs})
        keep = {k: v for k, v in params.items() if k != "page"}
        link = self.link("http://%s/search/issues" % host, keep, page, last)
        if link:
            r.headers.append(("link", link))
        return r

    def timeline(self, host, repo, number, params, inm):
        it = self.corpus.issue(repo, number)
        if it is None or it.gone == "transferred":
            return self.error(404, "Not Found")
        if it.gone == "deleted":
            return self.error(410, "This issue was deleted")
        if number in self.gone:
            status = int(self.gone[number] or 410)
            return self.error(status, "This issue was deleted" if status == 410 else "Not Found")
        events = self.corpus.timeline(it)
        per_page, page = self.paging(params)
        last = max(1, math.ceil(len(events) / per_page))
        chunk = events[(page - 1) * per_page:page * per_page]
        r = Reply(200, chunk)
        r.body = json.dumps(chunk, ensure_ascii=False).encode()
        # Most of GitHub's ETags are weak; some answers carry strong ones.
        etag = ('"%s"' if number % 3 == 0 else 'W/"%s"') % corpusmod.sha(r.body.decode())
        r.headers.append(("etag", etag))
        rid = corpusmod.repository(it.repo)["id"]
        base = "http://%s/repositories/%d/issues/%d/timeline" % (host, rid, number)
        keep = {k: v for k, v in params.items() if k != "page"}
        link = self.link(base, keep, page, last)
        if inm and etag.replace("W/", "") in [x.strip().replace("W/", "")
                                              for x in inm.split(",")]:
            r = Reply(304)
            r.headers.append(("etag", etag))
            if self.args.link_on_304 and link:
                r.headers.append(("link", link))
            return r
        if link:
            r.headers.append(("link", link))
        return r

    def route(self, host, path, params, inm):
        """The API answer for a path, and what to log about it."""
        parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/")]
        info = {"kind": "other"}
        if parts[:2] == ["search", "issues"] and len(parts) == 2:
            info = {"kind": "search", "q": params.get("q", ""),
                    "page": int(params.get("page", 1) or 1)}
            return self.search(host, params), info
        repo = None
        rest = []
        if parts[0] == "repos" and len(parts) >= 3:
            repo, rest = parts[1] + "/" + parts[2], parts[3:]
        elif parts[0] == "repositories" and len(parts) >= 2 and parts[1].isdigit():
            repo, rest = self.by_id.get(int(parts[1]), "none/none"), parts[2:]
        if repo is None:
            return self.error(404, "Not Found"), info
        if rest and rest[0] in ("commits", "pulls"):
            answer = self.fixes.route(host, repo, rest, params, inm)  # see fixes.py
            if answer:
                return answer
        if not rest:
            return self.repo_get(repo), {"kind": "repo"}
        if rest == ["issues"]:
            info = {"kind": "issues", "page": int(params.get("page", 1) or 1)}
            return self.issues_list(host, repo, params), info
        if len(rest) == 2 and rest[0] == "issues" and rest[1].isdigit():
            info = {"kind": "issue", "issue": int(rest[1])}
            return self.issue_get(host, repo, int(rest[1])), info
        if len(rest) == 3 and rest[0] == "issues" and rest[1].isdigit() and rest[2] == "timeline":
            number = int(rest[1])
            info = {"kind": "timeline", "issue": number, "page": int(params.get("page", 1) or 1)}
            return self.timeline(host, repo, number, params, inm), info
        return self.error(404, "Not Found"), info

    def rate_limit(self, index, now, headers):
        """GET /rate_limit: what each bucket has left; it costs nothing."""
        resources = {}
        for name, bucket in self.buckets.items():
            bucket.roll(now)
            resources[name] = {"limit": bucket.limit, "used": bucket.used,
                               "remaining": max(bucket.limit - bucket.used, 0),
                               "reset": bucket.reset, "resource": name}
        reply = Reply(200, {"resources": resources, "rate": resources["core"]})
        reply.headers += self.buckets["core"].headers("core")
        entry = {"i": index, "t": now, "method": "GET", "path": "/rate_limit",
                 "kind": "rate_limit", "resource": "rate_limit", "auth": self.auth(headers),
                 "inm": None, "accept": headers.get("Accept"),
                 "api_version": headers.get("X-GitHub-Api-Version"),
                 "user_agent": headers.get("User-Agent"), "fault": None, "status": 200,
                 "retry_after": None, "reset": self.buckets["core"].reset,
                 "remaining": resources["core"]["remaining"]}
        return reply, entry

    def api(self, host, method, target, headers, body=b""):
        """Answers one API request, with limits and faults; returns (Reply, log entry)."""
        url = urllib.parse.urlsplit(target)
        if url.path == "/rate_limit" and method == "GET":
            index = self.index
            self.index += 1
            return self.rate_limit(index, self.now(), headers)
        params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        graphql = url.path in ("/graphql", "/api/graphql")
        resource = "graphql" if graphql else "search" if url.path.startswith("/search/") \
            else "core"
        now = self.now()
        index = self.index
        self.index += 1
        if index in self.cap_change:
            self.search_cap = int(self.cap_change[index])
        if resource == "search":
            self.searches += 1
            self.apply_pending_changes()
        draws = [self.rng.random() for _ in range(4)]
        gql_draw = self.rng.random() if graphql else 0.0  # REST's fault sequence stays as it was
        bucket = self.buckets[resource]
        bucket.roll(now)
        auth = self.auth(headers)
        inm = headers.get("If-None-Match")
        entry = {"i": index, "t": now, "method": method, "path": target,
                 "resource": resource, "auth": auth, "inm": inm,
                 "accept": headers.get("Accept"),
                 "api_version": headers.get("X-GitHub-Api-Version"),
                 "user_agent": headers.get("User-Agent"), "fault": None}
        if auth == "bad":
            reply = self.error(401, "Bad credentials")
        elif method != ("POST" if graphql else "GET"):
            reply = self.error(404, "Not Found")
        elif index in self.secondary:
            ra = self.secondary[index]
            reply = self.error(403, "You have exceeded a secondary rate limit. Please wait a "
                               "few minutes before you try again.")
            reply.fault = "secondary"
            if ra is not None:
                reply.retry_after = int(ra)
                reply.headers.append(("retry-after", str(int(ra))))
        elif index in self.primary403:
            reply = self.error(403, "API rate limit exceeded for user ID 1.")
            reply.fault = "primary"
            bucket.used = bucket.limit
            bucket.reset = int(math.ceil(now + (self.primary403[index] or 2)))
        elif bucket.used >= bucket.limit and not graphql:
            reply = self.error(403, "API rate limit exceeded for user ID 1. If you reach out "
                               "to GitHub Support for help, please include the request ID.")
            reply.fault = "exhausted"
        elif draws[0] < self.faults["pdrop"] or self.fault_at.get(index) == "drop":
            reply = Reply(0, fault="drop")
        elif draws[1] < self.faults["p502"] or self.fault_at.get(index) == "502":
            reply = Reply(502, {"message": "Server Error"}, fault="502")
        elif graphql:
            info = {}
            reply = self.graphql.answer(body, auth, index, now, gql_draw, info)
            entry.update(info)
            if reply.status == 200 and not reply.fault and draws[3] < self.faults["ptruncate"]:
                reply.fault = "truncate" if draws[3] < self.faults["ptruncate"] / 2 \
                    else "truncate-json"
        else:
            reply, info = self.route(host, url.path, params, inm)
            entry.update(info)
            if reply.status == 200 and info.get("kind") == "search" and \
                    draws[2] < self.faults["pincomplete"]:
                reply.obj["incomplete_results"] = True
                reply.obj["items"] = reply.obj["items"][: len(reply.obj["items"]) // 2]
                reply.fault = "incomplete"
            elif reply.status == 200 and draws[3] < self.faults["ptruncate"]:
                reply.fault = "truncate" if draws[3] < self.faults["ptruncate"] / 2 \
                    else "truncate-json"
            elif reply.status == 200 and self.fault_at.get(index) in ("truncate", "truncate-json"):
                reply.fault = self.fault_at[index]
        if self.args.echo_token:
            echo_token(reply, headers)
        if reply.status not in (0, 304, 401) and not graphql:
            bucket.used += 1  # GraphQL charges each query's cost itself
        reply.headers += bucket.headers(resource)
        entry.update({"status": reply.status, "fault": reply.fault,
                      "retry_after": reply.retry_after, "reset": bucket.reset,
                      "remaining": max(bucket.limit - bucket.used, 0)})
        return reply, entry

    def apply_pending_changes(self):
        keep = []
        for at, repo, numbers, kind, arg in self.pending_changes:
            if self.searches < at:
                keep.append((at, repo, numbers, kind, arg))
                continue
            for n in numbers:
                self.corpus.change(repo, int(n), kind, arg)
        self.pending_changes = keep

    # --- control ---

    def control(self, method, target, body):
        url = urllib.parse.urlsplit(target)
        params = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/_fake/dump":
            repo = params.get("repo") or next(iter(self.corpus.repos.values()))[0]
            q = params.get("q") or "repo:" + repo
            query = Query(q)
            entry = self.corpus.repo(query.repo or repo)
            out, unmatched, gone = [], [], []
            for it in sorted(entry[1].values(), key=lambda x: x.number):
                if it.gone:
                    gone.append({"number": it.number, "how": it.gone})
                    continue
                if not query.matches(it):
                    unmatched.append({
                        "number": it.number, "issue": corpusmod.digest(self.corpus.issue_json(it)),
                        "labels": sorted(x.lower() for x in it.all_labels())})
                    continue
                out.append({
                    "number": it.number, "updated_at": corpusmod.iso(it.updated_at()),
                    "state": "closed" if it.closed else "open", "is_pr": it.is_pr,
                    "labels": sorted(x.lower() for x in it.all_labels()),
                    "issue": corpusmod.digest(self.corpus.issue_json(it)),
                    "events": [corpusmod.digest(e) for e in self.corpus.timeline(it)],
                })
            return Reply(200, {"repo": entry[0], "issues": out, "unmatched": unmatched,
                               "gone": gone})
        if url.path == "/_fake/change" and method == "POST":
            req = json.loads(body or b"{}")
            repo = req.get("repo") or next(iter(self.corpus.repos.values()))[0]
            kind, arg = req.get("kind", "append"), req.get("arg")
            if req.get("at_search"):
                self.pending_changes.append((self.searches + int(req["at_search"]), repo,
                                             req.get("numbers", []), kind, arg))
                return Reply(200, {"changed": [], "at_search": self.searches +
                                   int(req["at_search"])})
            changed = []
            for n in req.get("numbers", []):
                it = self.corpus.change(repo, int(n), kind, arg)
                changed.append({"number": it.number,
                                "updated_at": corpusmod.iso(it.updated_at())})
            return Reply(200, {"changed": changed})
        if url.path == "/_fake/config" and method == "POST":
            req = json.loads(body or b"{}")
            for k, v in req.items():
                if k in self.faults:
                    self.faults[k] = float(v)
                elif k == "secondary":
                    self.secondary = parse_spec(v)
                elif k == "primary403":
                    self.primary403 = parse_spec(v)
                elif k == "gone":
                    self.gone = parse_spec(v)
                elif k.startswith("gql_") or k.startswith("graphql_"):
                    self.graphql.config({k: v})
                elif k in fixesmod.CONFIG:
                    self.fixes.config(k, v)
            return Reply(200, {"faults": self.faults, "index": self.index})
        if url.path == "/_fake/fixes" and method == "POST":
            return Reply(200, self.fixes.truth(json.loads(body or b"{}")))
        if url.path == "/_fake/health":
            return Reply(200, {"ok": True, "index": self.index})
        m = re.match(r"/_fake/web/(\d{3})(/|$)", url.path)
        if m:
            return web_page(int(m.group(1)))
        m = re.match(r"/_fake/away/(\d+)(/.*)?$", url.path)
        if m:  # another host: "localhost" is not the client's 127.0.0.1
            target = "http://localhost:%s%s" % (m.group(1), m.group(2) or "/")
            if url.query:
                target += "?" + url.query
            return Reply(301, {"message": "Moved Permanently", "url": target},
                         headers=[("Location", target)])
        return self.error(404, "Not Found")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeGitHub/1.0"
    fake = None  # set by main

    def log_message(self, fmt, *args):
        pass

    def date_time_string(self, timestamp=None):
        return super().date_time_string(self.fake.now() if timestamp is None else timestamp)

    def setup(self):
        super().setup()
        # Small answers go out at once (no Nagle); with the one write of send()
        # below, no answer waits for a delayed ACK on a kept-alive connection.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def handle_any(self, method):
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/_fake/"):
            with fake.lock:
                reply = fake.control(method, self.path, body)
            self.send(reply)
            return
        if fake.faults["latency"]:
            time.sleep(fake.faults["latency"])
        host = self.headers.get("Host") or "127.0.0.1"
        with fake.lock:
            reply, entry = fake.api(host, method, self.path, self.headers, body)
            if fake.log:
                fake.log.write(json.dumps(entry) + "\n")
        self.send(reply)

    def send(self, reply):
        if reply.fault == "drop":
            self.close_connection = True
            return
        self.send_response(reply.status)
        if reply.status != 304:
            if reply.body is None:
                reply.body = json.dumps(reply.obj, ensure_ascii=False).encode()
            body = reply.body
            self.send_header("Content-Type", reply.content_type)
        else:
            body = b""
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("X-GitHub-Api-Version-Selected", "2022-11-28")
        if reply.fault == "truncate":
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if reply.fault == "truncate-json":
            body = body[: len(body) // 2]
        if reply.status != 304:
            self.send_header("Content-Length", str(len(body)))
        # Status line, headers and body in one write, as one segment when it fits.
        self._headers_buffer.append(b"\r\n")
        self._headers_buffer.append(body)
        self.flush_headers()


def arg_parser():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--issues", type=int, default=300, help="issues and PRs per repository")
    ap.add_argument("--repo", action="append", help="OWNER/NAME to serve (repeatable)")
    ap.add_argument("--profile", choices=["full", "lean"], default="full",
                    help="timeline lengths: full (mean ~30 events) or lean (mean ~8); "
                         "both range from 0 to 350")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--token-file", help="file holding the one valid token (else any token)")
    ap.add_argument("--search-cap", type=int, default=1000,
                    help="results one search returns (a multiple of 100, at least 200, so a "
                         "client can tell from Link rel=\"last\" that results are hidden)")
    ap.add_argument("--core-limit", type=int, default=5000)
    ap.add_argument("--core-window", type=float, default=3600)
    ap.add_argument("--search-limit", type=int, default=30)
    ap.add_argument("--search-window", type=float, default=60)
    ap.add_argument("--p502", type=float, default=0)
    ap.add_argument("--pdrop", type=float, default=0)
    ap.add_argument("--ptruncate", type=float, default=0)
    ap.add_argument("--pincomplete", type=float, default=0)
    ap.add_argument("--secondary")
    ap.add_argument("--primary403")
    ap.add_argument("--echo-token", action="store_true",
                    help="error messages repeat the token sent (a client must never show it)")
    ap.add_argument("--gone", help="NUMBER:STATUS,...: issues listed by the search whose "
                    "timeline answers STATUS (410 Gone, 404 Not Found)")
    ap.add_argument("--cap-change", help="INDEX:CAP: from API request INDEX on, a search "
                    "returns CAP results (a window that grows past the cap mid-listing)")
    ap.add_argument("--fault-at", help="INDEX:FAULT,...: 502, drop, truncate or truncate-json "
                    "at those API request indices")
    ap.add_argument("--graphql-limit", type=int, default=5000,
                    help="GraphQL points per window")
    ap.add_argument("--graphql-window", type=float, default=3600)
    ap.add_argument("--gql-timeout-nodes", type=int, default=0,
                    help="GraphQL queries of more than N possible nodes time out (0: none)")
    ap.add_argument("--gql-node-limit", type=int, default=graphqlmod.NODE_LIMIT,
                    help="the GraphQL node limit (MAX_NODE_LIMIT_EXCEEDED above it)")
    ap.add_argument("--gql-ppartial", type=float, default=0,
                    help="probability that a GraphQL answer comes back partial")
    ap.add_argument("--gql-rate-limited", help="INDEX:SECONDS,...: GraphQL requests answered "
                    "RATE_LIMITED, the window exhausted for SECONDS")
    ap.add_argument("--latency", type=float, default=0)
    ap.add_argument("--burst", type=int, default=0,
                    help="N more issues, all created in one second (a migration)")
    ap.add_argument("--clock-skew", type=float, default=0,
                    help="seconds the server's clock is ahead of the client's (negative: behind)")
    ap.add_argument("--link-on-304", action="store_true",
                    help="send Link headers with 304 answers too")
    return ap


def main():
    args = arg_parser().parse_args()
    Handler.fake = Fake(args)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    print(port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
