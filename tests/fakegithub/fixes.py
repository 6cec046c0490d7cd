"""fixes.py - the commits and pull requests of the fake GitHub (issuemine fixes fetch).

Serves, consistent with the corpus's timelines, in the shapes of GitHub's REST
API (2022-11-28):

  GET /repos/O/R/commits/SHA          a commit a closed or referenced event names
                                      (its commit_url says the repository, which
                                      may be a fork), with stats and files; 300
                                      files per page, further pages by Link
                                      (page=N), at most 3,000 files in all
  GET /repos/O/R/commits/SHA/pulls    the pull requests associated with a commit:
                                      for most closing commits the merged pull
                                      request they came from, else []
  GET /repos/O/R/pulls/N              a pull request a cross-referenced event's
                                      source names (its state and merged_at as the
                                      timeline says), or one a closing commit came
                                      from (merged, merge_commit_sha that commit)
  GET /repos/O/R/pulls/N/files        its files, 30 per page (per_page up to 100),
                                      at most 3,000 however many changed_files says

Every answer has an ETag and honours If-None-Match with 304. Files come with
a patch, except binary files and files too large for a diff (counts only, as
GitHub sends them). Some changes are gone: most commits and some pull
requests of deleted forks answer 404, a few commits 422 "No commit found for
SHA" (a force-push removed them), and /_fake/config can make any change
answer 404, 410 or 451 ("fix_gone"), change its number of files
("fix_files"), or give it exactly the files listed ("fix_content": a list
of {"filename", "status", "patch", "previous_filename"} objects; the counts
come from the patch, a file without one is binary), keyed "commit:O/R@SHA"
or "pr:O/R#N" (a pull request merged as a closing commit has its files).

POST /_fake/fixes {"repo": R, "numbers": [...]} answers what a client should
store for those issues (each change with its role, files and gone status)
and the fewest requests the endpoints allow for it; fixcheck.py compares a
database with it.
"""

import hashlib
import json
import math
import random

import corpus as corpusmod

API = corpusmod.API
WEB = corpusmod.WEB
DOCS = "https://docs.github.com/rest"
COMMIT_PAGE = 300   # files per page of a commit
FILES_CAP = 3000    # files GitHub lists for one commit or pull request
PULL_FILES_DEFAULT = 30
PULL_FILES_MAX = 100
CONFIG = ("fix_gone", "fix_files", "fix_content")

# Via order, strongest first: the link between an issue and a change that
# names it is the strongest of the events that point at it. "closer" (the
# pull request a ClosedEvent names) and "connected" (a ConnectedEvent's
# subject) come from GraphQL only.
VIA_ORDER = ["closed", "closer", "merged-from", "connected", "cross-referenced", "referenced"]

PATHS = {
    "pytorch": ["torch/onnx/symbolic_opset9.py", "torch/onnx/symbolic_opset11.py",
                "torch/onnx/symbolic_opset13.py", "torch/onnx/symbolic_opset18.py",
                "torch/onnx/utils.py", "torch/onnx/_internal/exporter.py",
                "torch/onnx/symbolic_helper.py", "test/onnx/test_pytorch_onnx_onnxruntime.py",
                "test/onnx/test_utility_funs.py", "docs/source/onnx.rst",
                "torch/csrc/jit/passes/onnx/shape_type_inference.cpp",
                "torch/csrc/jit/passes/onnx/constant_fold.cpp", "torch/_C/_onnx.pyi"],
    "tensorflow-onnx": ["tf2onnx/onnx_opset/math.py", "tf2onnx/onnx_opset/nn.py",
                        "tf2onnx/onnx_opset/tensor.py", "tf2onnx/tfonnx.py",
                        "tf2onnx/optimizer/transpose_optimizer.py", "tf2onnx/convert.py",
                        "tests/test_backend.py", "tests/test_optimizers.py", "README.md",
                        "support_status.md"],
}
GENERIC = ["src/core/graph.c", "src/core/graph.h", "src/export/convert.py",
           "src/export/opset.py", "tests/test_convert.py", "docs/usage.md", "CHANGELOG.md"]
BINARY = ["docs/img/architecture.png", "tests/data/model.onnx", "docs/img/flow.gif"]


def sha(text):
    return hashlib.sha1(text.encode()).hexdigest()


def unit(text):
    """A number in [0, 1) that text alone decides."""
    return int(sha(text)[:8], 16) / 2.0 ** 32


def commit_key(repo, sha1):
    return "commit:%s@%s" % (repo.lower(), sha1)


def pull_key(repo, number):
    return "pr:%s#%d" % (repo.lower(), number)


def repo_of(url, default):
    """owner/name of an API URL (…/repos/O/R/commits/SHA), or default."""
    if url and "/repos/" in url:
        parts = url.split("/repos/", 1)[1].split("/")
        if len(parts) >= 2:
            return parts[0] + "/" + parts[1]
    return default


class Change:
    """What the fake decides about one commit or pull request."""

    def __init__(self, kind, repo, ident, t, actor):
        self.kind = kind          # "commit" or "pr"
        self.repo = repo          # as the timeline spells it
        self.ident = ident        # sha or number
        self.t = t                # when it happened (epoch seconds)
        self.actor = actor
        self.state = "closed"     # pull requests
        self.merged_at = None
        self.title = None
        self.body = None
        self.merge_commit = None  # a merged-from pull request's closing commit
        self.pulls = []           # a closing commit: numbers of its pull requests
        self.closing = False
        self.event_id = None      # a closing commit: its closed event's id

    @property
    def key(self):
        if self.kind == "commit":
            return commit_key(self.repo, self.ident)
        return pull_key(self.repo, self.ident)


class Fixes:
    """The endpoints; reply, error, paging and link are the server's helpers."""

    def __init__(self, corpus, reply, error, paging, link):
        self.corpus = corpus
        self.reply, self.error, self.paging, self.link = reply, error, paging, link
        self.changes = None  # key -> Change, built on first use
        self.gone_override = {}
        self.files_override = {}
        self.content_override = {}
        self._files = {}

    # --- configuration ---

    def config(self, key, value):
        if key == "fix_gone":
            self.gone_override = {k.lower(): int(v) for k, v in dict(value).items()}
        elif key == "fix_files":
            self.files_override = {k.lower(): int(v) for k, v in dict(value).items()}
        elif key == "fix_content":
            self.content_override = {k.lower(): list(v) for k, v in dict(value).items()}
        self._files = {}

    # --- the index: every change the timelines point at ---

    def index(self):
        if self.changes is not None:
            return self.changes
        changes = {}
        for _, (repo, issues) in sorted(self.corpus.repos.items()):
            for number in sorted(issues):
                it = issues[number]
                for ev in self.corpus.timeline(it):
                    self._note_event(changes, it, ev)
        # A closing commit came from a merged pull request most of the time.
        closing = sorted((c for c in changes.values() if c.kind == "commit" and c.closing),
                         key=lambda c: c.key)
        for c in closing:
            n = self.closing_number(c.repo, c.ident, c.event_id)
            if n is None:
                continue
            pr = Change("pr", c.repo, n, c.t - 600, c.actor)
            pr.merged_at = c.t
            pr.merge_commit = c.ident
            pr.title = "Fix: %s" % c.ident[:7]
            pr.body = "Merged as %s." % c.ident
            changes[pr.key] = pr
            c.pulls = [n]
        self.changes = changes
        return changes

    def closing_number(self, repo, sha1, event_id):
        """The number of the merged pull request a closing commit came from (None: it
        came from none), from the commit and its closed event alone: GraphQL's
        ClosedEvent.closer names it without the whole index being built. One number
        per closed event (an issue's closing commits are among its first 400 events),
        from 100,000 on: they meet no other pull request's."""
        key = commit_key(repo, sha1)
        if self.commit_gone_key(key, repo) or unit("pulls:" + key) >= 0.6:
            return None
        number, position = divmod(event_id - 2000000000, 10000)
        return 100000 + number * 400 + position

    def _note_event(self, changes, it, ev):
        kind = ev.get("event")
        t = corpusmod.parse_time(ev["created_at"]) if ev.get("created_at") else it.created
        actor = (ev.get("actor") or {}).get("login", "ghost")
        if kind == "connected":
            n, merged = corpusmod.connected_pull(ev)
            key = pull_key(it.repo, n)
            if key not in changes:
                c = Change("pr", it.repo, n, t, actor)
                c.state = "closed" if merged else "open"
                c.merged_at = t if merged else None
                c.title = "Fix for #%d" % it.number
                c.body = "Connected to %s#%d" % (it.repo, it.number)
                changes[key] = c
        elif kind in ("closed", "referenced") and ev.get("commit_id"):
            repo = repo_of(ev.get("commit_url"), it.repo)
            c = changes.setdefault(commit_key(repo, ev["commit_id"]),
                                   Change("commit", repo, ev["commit_id"], t, actor))
            if kind == "closed" and not c.closing:
                c.closing = True
                c.event_id = ev["id"]
        elif kind == "cross-referenced":
            src = (ev.get("source") or {}).get("issue") or {}
            if not corpusmod.is_pull_request(src):  # the older API's null object is an issue's
                return
            repo = src["repository"]["full_name"]
            key = pull_key(repo, src["number"])
            if key in changes:
                return  # the first timeline to name a pull request decides it
            c = Change("pr", repo, src["number"], t, actor)
            c.state = src["state"]
            c.merged_at = src["pull_request"].get("merged_at")
            c.merged_at = corpusmod.parse_time(c.merged_at) if c.merged_at else None
            c.title = src["title"]
            c.body = src.get("body")
            changes[key] = c

    # --- gone ---

    def commit_gone(self, c):
        return self.commit_gone_key(c.key, c.repo)

    def commit_gone_key(self, key, repo):
        over = self.gone_override.get(key)
        if over:
            return over
        if repo.lower().startswith("someone/") and unit("gone:" + key) < 0.4:
            return 404  # the fork was deleted
        if unit("removed:" + key) < 0.03:
            return 422  # a force-push removed the commit
        return None

    def pull_gone(self, c):
        over = self.gone_override.get(c.key)
        if over:
            return over
        if c.repo.lower().startswith("someone/") and unit("gone:" + c.key) < 0.3:
            return 404
        return None

    def gone(self, c):
        return self.commit_gone(c) if c.kind == "commit" else self.pull_gone(c)

    # --- files ---

    def content_of(self, c):
        """The files /_fake/config gave the change (or its merge commit), or None."""
        if c.key in self.content_override:
            return self.content_override[c.key]
        if c.kind == "pr" and c.merge_commit:
            return self.content_override.get(commit_key(c.repo, c.merge_commit))
        return None

    def file_count(self, c):
        if self.content_of(c) is not None:
            return len(self.content_of(c))
        if c.key in self.files_override:
            return self.files_override[c.key]
        if c.kind == "pr" and c.merge_commit:
            return self.file_count(self.index()[commit_key(c.repo, c.merge_commit)])
        r = unit("count:" + c.key)
        if r < 0.04:
            return 0
        if r < 0.55:
            return 1 + int(unit("n1:" + c.key) * 3)
        if r < 0.85:
            return 4 + int(unit("n2:" + c.key) * 9)
        if r < 0.97:
            return 13 + int(unit("n3:" + c.key) * 48)
        return 61 + int(unit("n4:" + c.key) * 340)

    def files(self, c):
        """Every file the change touches (all of them, beyond the cap too)."""
        if c.key in self._files:
            return self._files[c.key]
        given = self.content_of(c)
        if given is not None:
            out = [self._given_file(c, f) for f in given]
            self._files[c.key] = out
            return out
        seed = c.key
        if c.kind == "pr" and c.merge_commit:
            seed = commit_key(c.repo, c.merge_commit)  # a squash merge: the same diff
        rng = random.Random("files:" + seed)
        n = self.file_count(c)
        name = c.repo.split("/")[1].lower()
        pool = list(PATHS.get(name, GENERIC))
        rng.shuffle(pool)
        out = []
        for k in range(n):
            if k < len(pool):
                path = pool[k]
            else:
                path = "%s/gen_%d/file_%d.py" % (pool[k % len(pool)].split("/")[0], k // 50, k)
            out.append(self._file(rng, c, path, k))
        if len(self._files) > 64:
            self._files = {}
        self._files[c.key] = out
        return out

    def _file(self, rng, c, path, k):
        r = rng.random()
        repo = c.repo
        blob = sha("%s:%s:%d" % (c.key, path, k))
        ref = c.ident if c.kind == "commit" else sha("head:" + c.key)
        f = {"sha": blob, "filename": path, "status": "modified", "additions": 0,
             "deletions": 0, "changes": 0,
             "blob_url": "%s/%s/blob/%s/%s" % (WEB, repo, ref, path),
             "raw_url": "%s/%s/raw/%s/%s" % (WEB, repo, ref, path),
             "contents_url": "%s/repos/%s/contents/%s?ref=%s" % (API, repo, path, ref)}
        if r < 0.04 or k == 0 and rng.random() < 0.05:
            # A binary file: counts of zero and no patch.
            f["filename"] = BINARY[k % len(BINARY)] if k < len(BINARY) else path + ".bin"
            f["status"] = rng.choice(["added", "modified"])
            return f
        if r < 0.07:
            # Too large for a diff: the counts, no patch.
            f["additions"] = rng.randint(3000, 20000)
            f["deletions"] = rng.randint(0, 500)
            f["changes"] = f["additions"] + f["deletions"]
            return f
        status = rng.choice(["modified"] * 14 + ["added"] * 3 + ["removed"] + ["renamed"] * 2)
        f["status"] = status
        adds = 0 if status == "removed" else rng.randint(0 if status == "renamed" else 1, 40)
        dels = 0 if status == "added" else rng.randint(0, 25)
        if status == "renamed":
            f["previous_filename"] = path.replace(".", "_old.", 1) if "." in path else path + "_old"
        f["additions"], f["deletions"], f["changes"] = adds, dels, adds + dels
        if adds + dels:
            f["patch"] = self._patch(rng, path, adds, dels)
        return f

    def _given_file(self, c, given):
        """A file as /_fake/config gave it, in GitHub's shape, with counts from its patch."""
        path = given["filename"]
        ref = c.ident if c.kind == "commit" else sha("head:" + c.key)
        patch = given.get("patch")
        lines = patch.split("\n") if patch else []
        adds = sum(1 for l in lines if l.startswith("+"))
        dels = sum(1 for l in lines if l.startswith("-"))
        f = {"sha": sha("%s:%s" % (c.key, path)), "filename": path,
             "status": given.get("status", "modified"), "additions": adds, "deletions": dels,
             "changes": adds + dels,
             "blob_url": "%s/%s/blob/%s/%s" % (WEB, c.repo, ref, path),
             "raw_url": "%s/%s/raw/%s/%s" % (WEB, c.repo, ref, path),
             "contents_url": "%s/repos/%s/contents/%s?ref=%s" % (API, c.repo, path, ref)}
        if given.get("previous_filename"):
            f["previous_filename"] = given["previous_filename"]
        if patch:
            f["patch"] = patch
        return f

    @staticmethod
    def _patch(rng, path, adds, dels):
        start = rng.randint(1, 400)
        lines = ["@@ -%d,%d +%d,%d @@ def f():" % (start, dels + 1, start, adds + 1),
                 "     context = %d" % start]
        lines += ["-    old_%d = convert(x)  # %s" % (i, path) for i in range(dels)]
        lines += ["+    new_%d = convert(x, opset=13)" % i for i in range(adds)]
        return "\n".join(lines)

    # --- rendering ---

    def commit_json(self, c, files):
        when = corpusmod.iso(c.t)
        person = {"name": c.actor, "email": "%s@example.com" % c.actor, "date": when}
        message = "Fix %s (%s)\n\nSigned-off-by: %s <%s@example.com>" % (
            c.repo, c.ident[:7], c.actor, c.actor)
        all_files = self.files(c)
        adds = sum(f["additions"] for f in all_files)
        dels = sum(f["deletions"] for f in all_files)
        u = "%s/repos/%s/commits/%s" % (API, c.repo, c.ident)
        parent = sha("parent:" + c.key)
        return {
            "sha": c.ident, "node_id": "C_fake" + c.ident[:16],
            "commit": {"author": person, "committer": dict(person), "message": message,
                       "tree": {"sha": sha("tree:" + c.key),
                                "url": "%s/repos/%s/git/trees/%s" % (API, c.repo,
                                                                    sha("tree:" + c.key))},
                       "url": "%s/repos/%s/git/commits/%s" % (API, c.repo, c.ident),
                       "comment_count": 0,
                       "verification": {"verified": False, "reason": "unsigned",
                                        "signature": None, "payload": None,
                                        "verified_at": None}},
            "url": u, "html_url": "%s/%s/commit/%s" % (WEB, c.repo, c.ident),
            "comments_url": u + "/comments", "author": corpusmod.user(c.actor),
            "committer": corpusmod.user("web-flow"),
            "parents": [{"sha": parent, "url": "%s/repos/%s/commits/%s" % (API, c.repo, parent),
                         "html_url": "%s/%s/commit/%s" % (WEB, c.repo, parent)}],
            "stats": {"total": adds + dels, "additions": adds, "deletions": dels},
            "files": files,
        }

    def pull_json(self, c, simple=False):
        n = c.ident
        u = "%s/repos/%s/pulls/%d" % (API, c.repo, n)
        html = "%s/%s/pull/%d" % (WEB, c.repo, n)
        repo = corpusmod.repository(c.repo)
        head_sha = sha("head:" + c.key)
        merged = c.merged_at is not None
        closed = c.state == "closed"
        closed_at = c.merged_at if merged else (c.t + 3600 if closed else None)
        branch = "fix-%d" % n

        def side(ref, sha1):
            return {"label": "%s:%s" % (repo["owner"]["login"], ref), "ref": ref, "sha": sha1,
                    "user": repo["owner"], "repo": repo}

        obj = {
            "url": u, "id": 500000000 + n, "node_id": "PR_fake%d" % n, "html_url": html,
            "diff_url": html + ".diff", "patch_url": html + ".patch",
            "issue_url": "%s/repos/%s/issues/%d" % (API, c.repo, n), "number": n,
            "state": c.state, "locked": False, "title": c.title or "Pull request %d" % n,
            "user": corpusmod.user(c.actor), "body": c.body, "labels": [], "milestone": None,
            "active_lock_reason": None, "created_at": corpusmod.iso(c.t - 3600),
            "updated_at": corpusmod.iso((closed_at or c.t) + 60),
            "closed_at": corpusmod.iso(closed_at) if closed_at else None,
            "merged_at": corpusmod.iso(c.merged_at) if merged else None,
            "merge_commit_sha": c.merge_commit or sha("merge:" + c.key),
            "assignee": None, "assignees": [], "requested_reviewers": [],
            "requested_teams": [],
            "head": side(branch, head_sha), "base": side("main", sha("base:" + c.key)),
            "_links": {"self": {"href": u}, "html": {"href": html},
                       "issue": {"href": "%s/repos/%s/issues/%d" % (API, c.repo, n)},
                       "commits": {"href": u + "/commits"}},
            "author_association": "CONTRIBUTOR", "auto_merge": None, "draft": False,
        }
        if simple:
            return obj
        files = self.files(c)
        obj.update({
            "merged": merged, "mergeable": None if closed else True, "rebaseable": None,
            "mergeable_state": "unknown" if closed else "clean",
            "merged_by": corpusmod.user("pytorchbot") if merged else None,
            "comments": 1, "review_comments": 0, "maintainer_can_modify": False,
            "commits": 1 + len(files) // 10,
            "additions": sum(f["additions"] for f in files),
            "deletions": sum(f["deletions"] for f in files),
            "changed_files": len(files),
        })
        return obj

    # --- the endpoints ---

    def route(self, host, repo, rest, params, inm):
        """(Reply, log info) for /repos/O/R/commits/... and /pulls/..., or None."""
        changes = self.index()
        error = self.error
        if len(rest) in (2, 3) and rest[0] == "commits":
            c = changes.get(commit_key(repo, rest[1]))
            if len(rest) == 3 and rest[2] != "pulls":
                return None
            info = {"kind": "commit_pulls" if len(rest) == 3 else "commit", "repo": repo,
                    "sha": rest[1], "page": int(params.get("page", 1) or 1)}
            if c is None:
                return error(422, "No commit found for SHA: %s" % rest[1]), info
            gone = self.commit_gone(c)
            if gone:
                return self._gone(gone, c), info
            if len(rest) == 3:
                items = [self.pull_json(changes[pull_key(c.repo, n)], simple=True)
                         for n in c.pulls]
                return self._conditional(items, inm, None), info
            return self._commit_page(host, c, params, inm), info
        if len(rest) in (2, 3) and rest[0] == "pulls" and rest[1].isdigit():
            if len(rest) == 3 and rest[2] != "files":
                return None
            info = {"kind": "pull_files" if len(rest) == 3 else "pull", "repo": repo,
                    "number": int(rest[1]), "page": int(params.get("page", 1) or 1)}
            c = changes.get(pull_key(repo, int(rest[1])))
            if c is None:
                return error(404, "Not Found"), info
            gone = self.pull_gone(c)
            if gone:
                return self._gone(gone, c), info
            if len(rest) == 2:
                return self._conditional(self.pull_json(c), inm, None), info
            return self._files_page(host, c, params, inm), info
        return None

    def _gone(self, status, c):
        error = self.error
        if status == 422:
            return error(422, "No commit found for SHA: %s" % c.ident)
        if status == 451:
            return error(451, "Repository access blocked",
                         block={"reason": "dmca", "created_at": "2020-01-01T00:00:00Z"})
        return error(status, "Not Found" if status == 404 else "Gone")

    def _conditional(self, obj, inm, link):
        reply_cls = self.reply
        body = json.dumps(obj, ensure_ascii=False).encode()
        etag = 'W/"%s"' % hashlib.sha1(body).hexdigest()
        if inm and etag.replace("W/", "") in [x.strip().replace("W/", "")
                                              for x in inm.split(",")]:
            r = reply_cls(304)
            r.headers.append(("etag", etag))
            return r
        r = reply_cls(200, obj)
        r.body = body
        r.headers.append(("etag", etag))
        if link:
            r.headers.append(("link", link))
        return r

    def _commit_page(self, host, c, params, inm):
        files = self.files(c)[:FILES_CAP]
        try:
            page = max(int(params.get("page", 1)), 1)
            per_page = min(max(int(params.get("per_page", COMMIT_PAGE)), 1), COMMIT_PAGE)
        except ValueError:
            page, per_page = 1, COMMIT_PAGE
        last = max(1, math.ceil(len(files) / per_page))
        chunk = files[(page - 1) * per_page:page * per_page]
        base = "http://%s/repos/%s/commits/%s" % (host, c.repo, c.ident)
        keep = {k: v for k, v in params.items() if k != "page"}
        link = self.link(base, keep, page, last)
        return self._conditional(self.commit_json(c, chunk), inm, link or None)

    def _files_page(self, host, c, params, inm):
        files = self.files(c)[:FILES_CAP]
        per_page, page = self.paging(params, PULL_FILES_DEFAULT)
        last = max(1, math.ceil(len(files) / per_page))
        chunk = files[(page - 1) * per_page:page * per_page]
        base = "http://%s/repos/%s/pulls/%d/files" % (host, c.repo, c.ident)
        keep = {k: v for k, v in params.items() if k != "page"}
        return self._conditional(chunk, inm, self.link(base, keep, page, last) or None)

    # --- the truth, for tests and the benchmark ---

    def closer(self, repo, sha1, ev):
        """What GraphQL's ClosedEvent.closer names for the commit of closed event ev:
        the merged pull request it came from (the one /commits/SHA/pulls lists), as
        (number, title, merged_at), else None."""
        n = self.closing_number(repo, sha1, ev["id"])
        if n is None:
            return None
        return n, "Fix: %s" % sha1[:7], ev.get("created_at")

    def truth(self, req):
        """What a client should store for the issues req names, and its fewest requests.
        With "api": "graphql" the issues' timelines were fetched through GraphQL: a
        closing commit's pull request comes from ClosedEvent.closer (no lookup), and
        connected events name theirs."""
        changes = self.index()
        repo = req.get("repo") or next(iter(self.corpus.repos.values()))[0]
        graphql = req.get("api") == "graphql"
        out = []
        seen = {}
        for n in req.get("numbers", []):
            it = self.corpus.issue(repo, int(n))
            if it is None:
                continue
            out.append(self._issue_truth(it, changes, seen, graphql))
        minimum = sum(self._requests(changes[k], lookup) for k, lookup in seen.items())
        return {"issues": out, "changes": len(seen), "minimum_requests": minimum}

    def _issue_truth(self, it, changes, seen, graphql=False):
        links = {}
        connected = 0

        def link(c, via, hint=None):
            gone = self.gone(c)
            seen.setdefault(c.key, False)
            if c.kind == "commit":
                role = "fix" if via == "closed" else "linked"
            else:
                merged = (hint is not None) if gone else c.merged_at is not None
                role = "fix" if merged and c.repo.lower() == it.repo.lower() else "linked"
            old = links.get(c.key)
            if old is None or (role, VIA_ORDER.index(via)) < (old["role"],
                                                             VIA_ORDER.index(old["via"])):
                links[c.key] = {"role": role, "via": via}
            return gone

        for ev in self.corpus.timeline(it):
            kind = ev.get("event")
            if kind == "connected" and graphql:
                n, merged = corpusmod.connected_pull(ev)
                link(changes[pull_key(it.repo, n)], "connected", True if merged else None)
            elif kind == "connected":
                connected += 1
            elif kind in ("closed", "referenced") and ev.get("commit_id"):
                c = changes[commit_key(repo_of(ev.get("commit_url"), it.repo), ev["commit_id"])]
                gone = link(c, kind)
                if kind == "closed" and graphql and c.pulls and not gone:
                    link(changes[pull_key(c.repo, c.pulls[0])], "closer", True)
                elif kind == "closed" and not gone:
                    seen[c.key] = True  # its pull requests are looked up
                    for n in c.pulls:
                        link(changes[pull_key(c.repo, n)], "merged-from")
            elif kind == "cross-referenced":
                src = (ev.get("source") or {}).get("issue") or {}
                if corpusmod.is_pull_request(src):
                    c = changes[pull_key(src["repository"]["full_name"], src["number"])]
                    link(c, "cross-referenced", src["pull_request"].get("merged_at"))
        items = []
        for key, l in sorted(links.items()):
            c = changes[key]
            item = {"key": key, "kind": c.kind, "repo": c.repo, "role": l["role"],
                    "via": l["via"], "gone": self.gone(c)}
            if not item["gone"]:
                files = self.files(c)
                item["file_count"] = len(files)
                item["truncated"] = len(files) > FILES_CAP
                item["files"] = [file_digest(f) for f in files[:FILES_CAP]]
                if c.kind == "pr":
                    item["merged"] = c.merged_at is not None
                    item["state"] = c.state
            items.append(item)
        return {"number": it.number, "changes": items, "connected": connected}

    def _requests(self, c, lookup):
        """The fewest requests that store c (and look up its pulls, if lookup)."""
        if self.gone(c):
            return 1
        n = min(len(self.files(c)), FILES_CAP)
        if c.kind == "commit":
            return max(1, math.ceil(n / COMMIT_PAGE)) + (1 if lookup else 0)
        return 1 + math.ceil(n / PULL_FILES_MAX)


def file_digest(f):
    """What a stored file must match: path, previous path, status, counts and patch."""
    keep = {"filename": f["filename"], "previous_filename": f.get("previous_filename"),
            "status": f["status"], "additions": f["additions"], "deletions": f["deletions"],
            "patch": f.get("patch")}
    text = json.dumps(keep, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha1(text.encode()).hexdigest()
