"""corpus.py - the deterministic issues and timelines the fake GitHub serves.

A Corpus is made from a seed: the same seed gives the same issues, labels,
pull requests and timeline events, byte for byte, on every run. Issue
metadata (numbers, times, state, labels, timeline plan) is computed up
front; the JSON objects are rendered on demand, so thousands of issues with
timelines of up to 350 events cost little memory.

Timelines carry every event type the filters look at, in the shapes GitHub's
REST API gives them: commented (with a body), closed (with or without a
commit_id), referenced (with a commit_id), cross-referenced (source.issue
with its repository, state and pull_request), connected, labeled,
unlabeled, assigned, mentioned, subscribed, renamed, milestoned, reopened,
and for pull requests committed, reviewed (with the commit reviewed),
merged followed by the pull request's own closed event (commit_id null),
line-commented and commit-commented (their time, author and text only in
a "comments" array), and head_ref_deleted; and a few of the types GitHub
added since 2024 (NEWER_EVENTS), one of which no client knows by name.

The rarer shapes of real data are there too: deleted users appear as the
"ghost" user (as actors, commenters and authors); older plain issues, and
some cross-reference sources, carry the older API's "pull_request" object
whose URLs are all null (they are not pull requests); some timeline pages
have strong ETags, others weak ones. A burst (Corpus(burst=N)) puts N
issues in one second, as a migration does, more than one search can list.

change() edits an issue as a user would (a new comment, an edited comment,
a new label, a label removed, reopened, transferred away, deleted);
updated_at moves to the time of the change.
"""

import bisect
import calendar
import collections
import functools
import hashlib
import json
import random
import time

API = "https://api.github.com"
WEB = "https://github.com"

LABELS = [
    ("module: onnx", "f9d0c4"),
    ("bug", "d73a4a"),
    ("triaged", "0e8a16"),
    ("question", "d876e3"),
    ("pending on user response", "fbca04"),
    ("enhancement", "a2eeef"),
    ("good first issue", "7057ff"),
    ("high priority", "b60205"),
]

LOGINS = [
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
    "judy", "ghost", "niaj", "olivia", "peggy", "rupert", "sybil", "trent",
    "victor", "walter", "yuki", "zhang-wei", "jose-ñ", "onnxbot", "pytorch-bot[bot]",
]
# "ghost" is how REST shows a deleted account (GraphQL: a null actor); "pytorch-bot[bot]" is a
# GitHub App (type Bot; GraphQL's Bot login lacks the suffix); "onnxbot" a machine user.

SOURCE_REPOS = [
    "pytorch/pytorch", "onnx/tensorflow-onnx", "onnx/onnx", "microsoft/onnxruntime",
    "someone/pytorch", "tensorflow/tensorflow",
]

PHRASES = [
    "Exporting the model fails with `RuntimeError: Unsupported: ONNX export of operator`.",
    "Same here with opset 13, works with opset 11.",
    "Could you share a minimal repro?",
    "Thanks! Fixed by the linked PR. 感谢 🎉",
    "```python\ntorch.onnx.export(model, x, \"m.onnx\", opset_version=13)\n```",
    "The shape inference gives a wrong output type for Resize.",
    "I can reproduce this on master.",
    "Closing as the fix is merged; please reopen if it persists.",
    "This looks like a duplicate of an older issue.",
    "tf2onnx converts the graph but onnxruntime crashes on load.",
    "Any update on this? ¿Alguna novedad?",
    "Line one\nline two\n\n> quoted reply\n",
]

# Event types GitHub added to timelines in 2024 and 2025 (projects v2, issue
# types, sub-issues, blocking, issue fields), as REST names them, and whether
# pull requests have them too ("IP") or only issues ("I"). A few subscribed
# events become one of them, so both APIs must carry types a client may not
# know by name (issue_field_changed is one no client table lists).
NEWER_EVENTS = [
    ("added_to_project_v2", "IP"), ("project_v2_item_status_changed", "IP"),
    ("removed_from_project_v2", "IP"), ("issue_type_added", "I"), ("issue_type_changed", "I"),
    ("sub_issue_added", "IP"), ("parent_issue_added", "IP"), ("blocked_by_added", "I"),
    ("blocking_removed", "I"), ("issue_field_changed", "I"),
]

BASE_TIME = calendar.timegm((2019, 1, 1, 0, 0, 0))
SPAN = 4 * 365 * 86400  # 2019 .. 2022
BURST_TIME = BASE_TIME + 200 * 86400 + 12345


@functools.lru_cache(maxsize=1 << 16)
def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(t)))


@functools.lru_cache(maxsize=1 << 16)
def parse_time(s):
    """A GitHub search time: YYYY-MM-DD, or with THH:MM:SS and Z or +HH:MM."""
    s = s.strip()
    if len(s) == 20 and s[4] == "-" and s[10] == "T" and s[19] == "Z":  # as iso() writes
        return calendar.timegm((int(s[0:4]), int(s[5:7]), int(s[8:10]), int(s[11:13]),
                                int(s[14:16]), int(s[17:19]), 0, 0, 0))
    if len(s) == 10:
        return calendar.timegm(time.strptime(s, "%Y-%m-%d"))
    offset = 0
    if s.endswith("Z"):
        s = s[:-1]
    elif len(s) > 19 and s[19] in "+-":
        sign = 1 if s[19] == "+" else -1
        hh, mm = s[20:].split(":")
        offset = sign * (int(hh) * 3600 + int(mm) * 60)
        s = s[:19]
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%S")) - offset


def sha(text):
    return hashlib.sha1(text.encode()).hexdigest()


GHOST_ID = 10137  # the account GitHub shows for deleted users


# The renderings below are pure functions of their arguments: cached, as the
# fake renders the same users and repositories thousands of times a run.
# Callers must not change what they return.
@functools.lru_cache(maxsize=None)
def user(login):
    uid = GHOST_ID if login == "ghost" else int(sha(login)[:7], 16)
    u = API + "/users/" + login
    return {
        "login": login, "id": uid, "node_id": "MDQ6VXNlcj" + str(uid),
        "avatar_url": "https://avatars.githubusercontent.com/u/%d?v=4" % uid,
        "gravatar_id": "", "url": u, "html_url": WEB + "/" + login,
        "followers_url": u + "/followers",
        "following_url": u + "/following{/other_user}",
        "gists_url": u + "/gists{/gist_id}",
        "starred_url": u + "/starred{/owner}{/repo}",
        "subscriptions_url": u + "/subscriptions",
        "organizations_url": u + "/orgs", "repos_url": u + "/repos",
        "events_url": u + "/events{/privacy}",
        "received_events_url": u + "/received_events",
        "type": "Bot" if login.endswith("[bot]") else "User", "site_admin": False,
    }


def connected_pull(ev):
    """The pull request a "connected" event links, which REST does not say and
    GraphQL's ConnectedEvent.subject does: its number (in the issue's
    repository) and whether it was merged."""
    n = 90000 + (ev.get("id") or 0) % 10000
    return n, n % 3 != 0


def is_pull_request(obj):
    """As issuemine decides: a non-null "pull_request" whose URLs are not all null."""
    pr = obj.get("pull_request")
    if pr is None:
        return False
    if not isinstance(pr, dict):
        return True
    urls = [k for k in ("url", "html_url", "diff_url", "patch_url") if k in pr]
    return not urls or any(pr[k] is not None for k in urls)


@functools.lru_cache(maxsize=None)
def repository(full_name):
    owner, name = full_name.split("/")
    rid = int(sha(full_name)[:8], 16)
    u = API + "/repos/" + full_name
    return {
        "id": rid, "node_id": "MDEwOlJlcG9zaXRvcnk" + str(rid), "name": name,
        "full_name": full_name, "private": False, "owner": user(owner),
        "html_url": WEB + "/" + full_name, "description": "A repository of the fake GitHub",
        "fork": full_name.startswith("someone/"), "url": u,
        "issues_url": u + "/issues{/number}", "pulls_url": u + "/pulls{/number}",
        "labels_url": u + "/labels{/name}",
        "created_at": iso(BASE_TIME - 400 * 86400), "updated_at": iso(BASE_TIME + SPAN),
        "pushed_at": iso(BASE_TIME + SPAN), "homepage": None, "size": 123456,
        "stargazers_count": 4321, "watchers_count": 4321, "language": "Python",
        "has_issues": True, "forks_count": 210, "archived": False, "disabled": False,
        "open_issues_count": 42, "default_branch": "main", "visibility": "public",
    }


def label_obj(repo, name):
    color = dict(LABELS).get(name, "ededed")
    lid = int(sha(repo + name)[:8], 16)
    return {
        "id": lid, "node_id": "LA_kwDO" + str(lid),
        "url": "%s/repos/%s/labels/%s" % (API, repo, name.replace(" ", "%20")),
        "name": name, "color": color, "default": name == "bug", "description": "",
    }


class Issue:
    """What the corpus decides up front about one issue or pull request."""

    def __init__(self, repo, number, created, rng, forced_length=None, force_issue=False,
                 lean=False):
        self.repo = repo
        self.number = number
        self.created = created
        self.is_pr = not force_issue and rng.random() < 0.15
        self._closed = rng.random() < 0.82
        self.author = rng.choice(LOGINS)
        if number % 29 == 0:
            self.author = "ghost"  # the author's account was deleted
        self.title = "%s: %s #%d" % (
            rng.choice(["Export", "Convert", "Shape", "Crash", "Wrong output", "Opset"]),
            rng.choice(["Resize fails", "LSTM", "dynamic axes", "int64 overflow",
                        "Slice with steps", "Einsum", "If node", "quantized Conv"]),
            number)
        k = rng.random()
        self.labels = []
        if k < 0.75:
            self.labels.append("module: onnx")
        for name, _ in LABELS[1:]:
            if rng.random() < 0.18:
                self.labels.append(name)
        self.seed = rng.random()
        length = self._lean_length(rng) if lean else self._length(rng)
        self.length = forced_length if forced_length is not None else length
        self.changes = []  # (kind, time, arg)
        self.gone = None  # "transferred" or "deleted" once change() says so
        self._plan = None

    @property
    def closed(self):
        closed = self._closed
        for kind, _, _ in self.changes:
            if kind in ("reopen", "close"):
                closed = kind == "close"
        return closed

    def old_shape(self):
        """Plain issues of the first year carry the older API's null pull_request."""
        return not self.is_pr and self.number % 7 == 0 and self.created < BASE_TIME + 365 * 86400

    @staticmethod
    def _length(rng):
        r = rng.random()
        if r < 0.45:
            return rng.randint(0, 8)
        if r < 0.80:
            return rng.randint(8, 30)
        if r < 0.93:
            return rng.randint(30, 100)
        if r < 0.98:
            return rng.randint(100, 200)
        return rng.randint(200, 350)

    @staticmethod
    def _lean_length(rng):
        """Mostly short timelines (a test corpus of a thousand issues stays small)."""
        r = rng.random()
        if r < 0.75:
            return rng.randint(0, 4)
        if r < 0.95:
            return rng.randint(4, 20)
        if r < 0.99:
            return rng.randint(20, 100)
        return rng.randint(100, 350)

    def plan(self):
        """The base timeline as (type, time, rng draw) tuples: cheap, cached."""
        if self._plan is not None:
            return self._plan
        rng = random.Random("%s/%s#%d" % (self.seed, self.repo, self.number))
        n = self.length
        end = self.created + rng.randint(3600, 200 * 86400)
        kinds = (["commented"] * 40 + ["labeled"] * 8 + ["unlabeled"] * 2 + ["mentioned"] * 6
                 + ["subscribed"] * 6 + ["referenced"] * 7 + ["cross-referenced"] * 8
                 + ["assigned"] * 4 + ["renamed"] * 2 + ["connected"] * 2
                 + ["milestoned"] * 2)
        if self.is_pr:
            kinds += (["committed"] * 10 + ["reviewed"] * 6 + ["line-commented"] * 3
                      + ["commit-commented"] * 2)
        types = []
        for i in range(n):
            types.append(rng.choice(kinds))
        if self._closed and n:
            types[-1] = "merged" if self.is_pr and rng.random() < 0.7 else "closed"
            if n > 5 and rng.random() < 0.1:  # closed, reopened, closed again
                types[n // 2] = "closed"
                types[n // 2 + 1] = "reopened"
        times = sorted(rng.randint(self.created + 1, end) for _ in range(n))
        draws = [rng.random() for _ in range(n)]
        self._plan = list(zip(types, times, draws))
        if n and types[-1] == "merged":
            # A merged pull request closes too, in an event of its own without a commit.
            self._plan.append(("closed-by-merge", times[-1], draws[-1]))
        return self._plan

    def comment_count(self):
        n = sum(1 for t, _, _ in self.plan() if t == "commented")
        return n + sum(1 for kind, _, _ in self.changes if kind == "append")

    def closed_at(self):
        if not self.closed:
            return None
        closes = [t for kind, t, _ in self.changes if kind == "close"]
        if closes:
            return closes[-1]
        closes = [t for kind, t, _ in self.plan() if kind in ("closed", "merged")]
        return closes[-1] if closes else self.created + 60

    def updated_at(self):
        if self.changes:
            return self.changes[-1][1]
        last = self.plan()[-1][1] if self.plan() else self.created
        return max(last, self.closed_at() or 0, self.created) + 5

    def all_labels(self):
        labels = list(self.labels)
        for kind, _, arg in self.changes:
            if kind == "label" and "triaged" not in labels:
                labels.append("triaged")
            elif kind == "unlabel":
                labels = [x for x in labels if x.lower() != (arg or "").lower()]
        return labels


class Corpus:
    """All issues of the served repositories."""

    def __init__(self, seed, issues, repos=("acme/widgets",), lean=False, burst=0):
        self.seed = seed
        self.repos = {}
        for repo in repos:
            rng = random.Random("corpus:%s:%s" % (seed, repo))
            self.repos[repo.lower()] = (repo, self._make(repo, issues, rng, lean, burst))

    @staticmethod
    def _make(repo, count, rng, lean, burst):
        # A third of the issues come in one busy month, so date windows must
        # be bisected deeper there than elsewhere.
        times = []
        for i in range(count):
            if rng.random() < 0.33:
                times.append(BASE_TIME + 400 * 86400 + rng.randint(0, 30 * 86400))
            else:
                times.append(BASE_TIME + rng.randint(0, SPAN))
        # A migration imports many issues in one second.
        times += [BURST_TIME] * burst
        times.sort()
        forced = {1: 0, 2: 100, 3: 200, 4: 350, 5: 101, 6: 1}
        out = {}
        for i, t in enumerate(times):
            number = i + 1
            out[number] = Issue(repo, number, t, rng, forced.get(number), number in forced,
                                lean)
        return out

    def repo(self, name):
        entry = self.repos.get(name.lower())
        return entry

    def created_between(self, name, low, high):
        """The issues of repository name created in [low, high] (None: unbounded), in
        creation order: a search's created: window without looking at every issue."""
        entry = self.repo(name)
        if not entry:
            return []
        index = self.__dict__.setdefault("_by_created", {})
        if name.lower() not in index:
            issues = sorted(entry[1].values(), key=lambda it: (it.created, it.number))
            index[name.lower()] = ([it.created for it in issues], issues)
        times, issues = index[name.lower()]
        lo = 0 if low is None else bisect.bisect_left(times, low)
        hi = len(times) if high is None else bisect.bisect_right(times, high)
        return issues[lo:hi]

    def issue(self, repo, number):
        entry = self.repo(repo)
        return entry[1].get(number) if entry else None

    # --- rendering ---

    def issue_json(self, it, repo=None, number=None):
        """The issue object; repo and number say where it lives after a transfer."""
        repo = repo or it.repo
        number = number or it.number
        u = "%s/repos/%s/issues/%d" % (API, repo, number)
        html = "%s/%s/%s/%d" % (WEB, repo, "pull" if it.is_pr else "issues", number)
        closed = it.closed_at()
        body = "%s\n\n%s" % (PHRASES[it.number % len(PHRASES)],
                             PHRASES[(it.number * 7) % len(PHRASES)])
        obj = {
            "url": u, "repository_url": "%s/repos/%s" % (API, repo),
            "labels_url": u + "/labels{/name}", "comments_url": u + "/comments",
            "events_url": u + "/events", "html_url": html,
            "id": 100000000 + it.number, "node_id": "I_kwDOfake%d" % it.number,
            "number": number, "title": it.title + (" (updated)" if it.changes else ""),
            "user": user(it.author),
            "labels": [label_obj(repo, name) for name in it.all_labels()],
            "state": "closed" if it.closed else "open", "locked": False,
            "assignee": None, "assignees": [], "milestone": None,
            "comments": it.comment_count(), "created_at": iso(it.created),
            "updated_at": iso(it.updated_at()), "closed_at": iso(closed) if closed else None,
            "author_association": "CONTRIBUTOR", "active_lock_reason": None,
            "body": body,
            "reactions": {"url": u + "/reactions", "total_count": 0, "+1": 0, "-1": 0,
                          "laugh": 0, "hooray": 0, "confused": 0, "heart": 0, "rocket": 0,
                          "eyes": 0},
            "timeline_url": u + "/timeline", "performed_via_github_app": None,
            "state_reason": ("completed" if it.closed else
                             "reopened" if it._closed else None),
        }
        if it.old_shape():
            obj["pull_request"] = {"url": None, "html_url": None, "diff_url": None,
                                   "patch_url": None}
        if it.is_pr:
            obj["draft"] = False
            obj["pull_request"] = {
                "url": "%s/repos/%s/pulls/%d" % (API, repo, it.number), "html_url": html,
                "diff_url": html + ".diff", "patch_url": html + ".patch",
                "merged_at": iso(closed) if closed else None,
            }
        return obj

    TIMELINES_KEPT = 512

    def timeline(self, it):
        """Issue it's timeline events; the same list (do not change it) until it changes."""
        key = (it.repo, it.number, len(it.changes))
        cache = self.__dict__.setdefault("_timelines", collections.OrderedDict())
        events = cache.get(key)
        if events is None:
            events = self._render_timeline(it)
            cache[key] = events
            if len(cache) > self.TIMELINES_KEPT:
                cache.popitem(last=False)
        else:
            cache.move_to_end(key)
        return events

    def _render_timeline(self, it):
        events = [self._event(it, i, kind, t, d) for i, (kind, t, d) in enumerate(it.plan())]
        for j, (kind, t, arg) in enumerate(it.changes):
            if kind == "reopen":
                events.append(self._simple(it, 9000 + j, "reopened", t, "bob"))
            elif kind == "close":
                events.append(self._simple(it, 9000 + j, "closed", t, "bob",
                                           state_reason="completed"))
            elif kind == "unlabel":
                events.append(self._simple(it, 9000 + j, "unlabeled", t, "bob",
                                           label={"name": arg, "color": "ededed"}))
            elif kind == "append":
                events.append(self._comment(it, 9000 + j, t, "Follow-up %d: still happens "
                                            "on the latest nightly." % (j + 1)))
            elif kind == "edit":
                for ev in events:
                    if ev["event"] == "commented":
                        ev["body"] += "\n\nEDIT: updated after change %d" % (j + 1)
                        ev["updated_at"] = iso(t)
                        break
                else:
                    events.append(self._comment(it, 9000 + j, t, "Edit %d" % (j + 1)))
            elif kind == "label":
                events.append(self._simple(it, 9000 + j, "labeled", t, "bob",
                                           label={"name": "triaged", "color": "0e8a16"}))
        return events

    def _event_id(self, it, i):
        return 2000000000 + it.number * 10000 + i

    def _simple(self, it, i, kind, t, actor, **extra):
        eid = self._event_id(it, i)
        ev = {
            "id": eid, "node_id": "E_fake%d" % eid,
            "url": "%s/repos/%s/issues/events/%d" % (API, it.repo, eid),
            "actor": user(actor), "event": kind, "commit_id": None, "commit_url": None,
            "created_at": iso(t), "performed_via_github_app": None,
        }
        ev.update(extra)
        return ev

    def _comment(self, it, i, t, body, login="carol"):
        cid = self._event_id(it, i)
        u = "%s/repos/%s/issues/comments/%d" % (API, it.repo, cid)
        return {
            "url": u, "html_url": "%s/%s/issues/%d#issuecomment-%d" % (WEB, it.repo, it.number, cid),
            "issue_url": "%s/repos/%s/issues/%d" % (API, it.repo, it.number),
            "id": cid, "node_id": "IC_fake%d" % cid, "user": user(login),
            "created_at": iso(t), "updated_at": iso(t), "author_association": "MEMBER",
            "body": body,
            "reactions": {"url": u + "/reactions", "total_count": 0, "+1": 0, "-1": 0,
                          "laugh": 0, "hooray": 0, "confused": 0, "heart": 0, "rocket": 0,
                          "eyes": 0},
            "performed_via_github_app": None, "event": "commented", "actor": user(login),
        }

    def _commit(self, it, i):
        return sha("%s#%d:%d" % (it.repo, it.number, i))

    def _event(self, it, i, kind, t, d):
        actor = LOGINS[int(d * 1000) % len(LOGINS)]
        if int(d * 10000) % 19 == 0:
            actor = "ghost"  # a deleted account
        if kind == "commented":
            body = PHRASES[int(d * 997) % len(PHRASES)]
            return self._comment(it, i, t, body, actor)
        if kind in ("labeled", "unlabeled"):
            name = LABELS[int(d * 31) % len(LABELS)][0]
            return self._simple(it, i, kind, t, actor,
                                label={"name": name, "color": dict(LABELS)[name]})
        if kind == "closed-by-merge":
            return self._simple(it, i + 5000, "closed", t, actor, state_reason=None)
        if kind == "line-commented":
            return self._line_commented(it, i, t, d, actor)
        if kind == "commit-commented":
            return self._commit_commented(it, i, t, d, actor)
        if kind == "closed":
            with_commit = d < 0.45
            sha1 = self._commit(it, i) if with_commit else None
            return self._simple(it, i, kind, t, actor, commit_id=sha1,
                                commit_url=("%s/repos/%s/commits/%s" % (API, it.repo, sha1)
                                            if sha1 else None),
                                state_reason="completed")
        if kind in ("referenced", "merged"):
            sha1 = self._commit(it, i)
            # A reference may name a commit of a fork (someone pushed there first).
            where = it.repo
            if kind == "referenced" and (d * 17) % 1 < 0.15:
                where = "someone/" + it.repo.split("/")[1]
            return self._simple(it, i, kind, t, actor, commit_id=sha1,
                                commit_url="%s/repos/%s/commits/%s" % (API, where, sha1))
        if kind == "cross-referenced":
            return self._cross_reference(it, i, t, d, actor)
        if kind == "assigned":
            return self._simple(it, i, kind, t, actor, assignee=user("alice"))
        if kind == "renamed":
            return self._simple(it, i, kind, t, actor,
                                rename={"from": "old title %d" % i, "to": it.title})
        if kind == "milestoned":
            return self._simple(it, i, kind, t, actor, milestone={"title": "v1.%d" % (i % 9)})
        if kind == "committed":
            sha1 = self._commit(it, i)
            person = {"name": actor, "email": "%s@example.com" % actor, "date": iso(t)}
            return {
                "sha": sha1, "node_id": "C_fake" + sha1[:12],
                "url": "%s/repos/%s/git/commits/%s" % (API, it.repo, sha1),
                "html_url": "%s/%s/commit/%s" % (WEB, it.repo, sha1),
                "author": person, "committer": person,
                "tree": {"sha": sha(sha1), "url": "%s/repos/%s/git/trees/%s" % (API, it.repo, sha(sha1))},
                "message": "Fix %s\n\nSigned-off-by: %s" % (it.title, actor), "parents": [],
                "verification": {"verified": False, "reason": "unsigned", "signature": None,
                                 "payload": None},
                "event": "committed",
            }
        if kind == "reviewed":
            rid = self._event_id(it, i)
            return {
                "id": rid, "node_id": "PRR_fake%d" % rid, "user": user(actor),
                "body": "LGTM" if d < 0.5 else "Please add a test.",
                "commit_id": self._commit(it, i),
                "submitted_at": iso(t), "state": "approved" if d < 0.5 else "commented",
                "html_url": "%s/%s/pull/%d#pullrequestreview-%d" % (WEB, it.repo, it.number, rid),
                "pull_request_url": "%s/repos/%s/pulls/%d" % (API, it.repo, it.number),
                "author_association": "MEMBER", "_links": {}, "event": "reviewed",
                "actor": user(actor),
            }
        if kind == "subscribed" and int(d * 1000) % 4 == 0:
            newer = [k for k, where in NEWER_EVENTS if not it.is_pr or "P" in where]
            kind = newer[int(d * 7919) % len(newer)]
        # mentioned, subscribed, connected, reopened, head_ref_deleted ...
        return self._simple(it, i, kind, t, actor)

    def _line_commented(self, it, i, t, d, actor):
        """Review comments on a diff line: everything is inside "comments"."""
        sha1 = self._commit(it, i)
        comments = []
        for k in range(1 + int(d * 3)):
            cid = self._event_id(it, i) * 10 + k
            login = actor if k == 0 else LOGINS[(int(d * 1000) + k) % len(LOGINS)]
            u = "%s/repos/%s/pulls/comments/%d" % (API, it.repo, cid)
            comments.append({
                "url": u, "pull_request_review_id": 700000000 + cid, "id": cid,
                "node_id": "PRRC_fake%d" % cid,
                "diff_hunk": "@@ -10,6 +10,8 @@ def export(model):\n+    opset = 13",
                "path": "torch/onnx/utils.py", "position": 4 + k, "original_position": 4 + k,
                "commit_id": sha1, "original_commit_id": sha1, "user": user(login),
                "body": PHRASES[(int(d * 991) + k) % len(PHRASES)] + " (review line %d)" % k,
                "created_at": iso(t + 60 * k), "updated_at": iso(t + 60 * k),
                "html_url": "%s/%s/pull/%d#discussion_r%d" % (WEB, it.repo, it.number, cid),
                "pull_request_url": "%s/repos/%s/pulls/%d" % (API, it.repo, it.number),
                "author_association": "MEMBER", "_links": {},
                "start_line": None, "original_start_line": None, "start_side": None,
                "line": 12 + k, "original_line": 12 + k, "side": "RIGHT",
            })
        return {"event": "line-commented", "node_id": "PRRT_fake%d" % self._event_id(it, i),
                "comments": comments}

    def _commit_commented(self, it, i, t, d, actor):
        """Comments on a commit of the pull request: inside "comments" too."""
        sha1 = self._commit(it, i)
        comments = []
        for k in range(1 + int(d * 2)):
            cid = self._event_id(it, i) * 10 + k
            comments.append({
                "html_url": "%s/%s/commit/%s#commitcomment-%d" % (WEB, it.repo, sha1, cid),
                "url": "%s/repos/%s/comments/%d" % (API, it.repo, cid), "id": cid,
                "node_id": "CC_fake%d" % cid, "body": "Commit note %d: %s" % (
                    k, PHRASES[(int(d * 977) + k) % len(PHRASES)]),
                "path": None, "position": None, "line": None, "commit_id": sha1,
                "user": user(actor), "created_at": iso(t + 30 * k),
                "updated_at": iso(t + 30 * k), "author_association": "CONTRIBUTOR",
            })
        return {"event": "commit-commented", "node_id": "CCE_fake%d" % self._event_id(it, i),
                "commit_id": sha1, "comments": comments}

    def _cross_reference(self, it, i, t, d, actor):
        src_repo = SOURCE_REPOS[int(d * 1009) % len(SOURCE_REPOS)]
        number = 1000 + int(d * 50000)
        is_pr = d < 0.6
        state = "closed" if (d * 7) % 1 < 0.7 else "open"
        u = "%s/repos/%s/issues/%d" % (API, src_repo, number)
        html = "%s/%s/%s/%d" % (WEB, src_repo, "pull" if is_pr else "issues", number)
        src = {
            "url": u, "repository_url": "%s/repos/%s" % (API, src_repo),
            "labels_url": u + "/labels{/name}", "comments_url": u + "/comments",
            "events_url": u + "/events", "html_url": html, "id": 300000000 + number,
            "node_id": "I_src%d" % number, "number": number,
            "title": "Fix for %s" % it.title, "user": user(actor), "labels": [],
            "state": state, "locked": False, "assignee": None, "assignees": [],
            "milestone": None, "comments": 2, "created_at": iso(t - 3600),
            "updated_at": iso(t), "closed_at": iso(t) if state == "closed" else None,
            "author_association": "CONTRIBUTOR", "body": "Fixes %s#%d" % (it.repo, it.number),
            "repository": repository(src_repo),
        }
        if is_pr:
            src["pull_request"] = {
                "url": "%s/repos/%s/pulls/%d" % (API, src_repo, number), "html_url": html,
                "diff_url": html + ".diff", "patch_url": html + ".patch",
                # Most closed pull requests were merged; some were closed unmerged.
                "merged_at": iso(t) if state == "closed" and (d * 13) % 1 < 0.8 else None,
            }
        elif int(d * 100000) % 4 == 0:  # the older API's null object: an issue all the same
            src["pull_request"] = {"url": None, "html_url": None, "diff_url": None,
                                   "patch_url": None}
        return {
            "actor": user(actor), "created_at": iso(t), "updated_at": iso(t),
            "source": {"type": "issue", "issue": src}, "event": "cross-referenced",
        }

    # --- changes ---

    def change(self, repo, number, kind, arg=None):
        it = self.issue(repo, number)
        if it is None:
            raise KeyError(number)
        now = max(int(time.time()), it.updated_at() + 1)
        if kind in ("transfer", "delete"):
            it.gone = "transferred" if kind == "transfer" else "deleted"
            return it
        it.changes.append((kind, now, arg))
        return it


def digest(obj):
    """A digest of a JSON value that ignores key order and formatting."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha1(text.encode()).hexdigest()
