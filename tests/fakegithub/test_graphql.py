"""test_graphql.py - tests of the fake GitHub's GraphQL endpoint (graphql.py).

Run with python3 -m unittest from this directory (tests/e2e/fake_graphql.sh
does). Requests go through server.Fake.api, the same path HTTP requests
take, so limits and faults apply as they do to the client.
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus as corpusmod  # noqa: E402
import graphql  # noqa: E402
import server  # noqa: E402


def make_fake(*extra):
    args = server.arg_parser().parse_args(["--seed", "11", "--issues", "120"] + list(extra))
    return server.Fake(args)


class Client:
    def __init__(self, fake):
        self.fake = fake

    def post(self, query, variables=None, auth="Bearer t", raw=None):
        body = raw if raw is not None else json.dumps({"query": query,
                                                       "variables": variables or {}}).encode()
        headers = {"Authorization": auth} if auth else {}
        reply, entry = self.fake.api("127.0.0.1", "POST", "/graphql", headers, body)
        return reply, entry

    def data(self, query, variables=None):
        reply, _ = self.post(query, variables)
        assert reply.status == 200, reply.obj
        assert "errors" not in reply.obj, reply.obj["errors"]
        return reply.obj["data"]

    def errors(self, query, variables=None):
        reply, _ = self.post(query, variables)
        assert reply.status == 200, reply.obj
        return reply.obj.get("errors") or []


ISSUES = "repo:acme/widgets is:issue sort:created-asc"


class Cost(unittest.TestCase):
    def setUp(self):
        self.c = Client(make_fake())

    def cost(self, query, variables=None):
        reply, entry = self.c.post(query, variables)
        self.assertEqual(reply.status, 200, reply.obj)
        self.assertNotIn("errors", reply.obj)
        return entry["cost"], entry["nodes"], reply.obj["data"]

    def test_documented_formula(self):
        # One request for the search, 100 (one per issue) for each connection under it:
        # 201 requests, 2 points; nodes are 100 + 100 x 100 + 100 x 20.
        cost, nodes, data = self.cost(
            "{ rateLimit { cost nodeCount } search(type: ISSUE, query: \"repo:acme/widgets\", "
            "first: 100) { nodes { ... on Issue { timelineItems(first: 100) { nodes { __typename } }"
            " labels(first: 20) { nodes { name } } } } } }")
        self.assertEqual(cost, 2)
        self.assertEqual(nodes, 12100)
        self.assertEqual(data["rateLimit"], {"cost": 2, "nodeCount": 12100})
        # 101 requests: one point.
        cost, nodes, _ = self.cost(
            "{ search(type: ISSUE, query: \"repo:acme/widgets\", first: 100) { nodes { "
            "... on Issue { timelineItems(first: 100) { totalCount } } } } }")
        self.assertEqual((cost, nodes), (1, 10100))

    def test_minimum_and_rounding(self):
        self.assertEqual(self.cost("{ rateLimit { cost } }")[0], 1)

        def aliases(n):
            return "{ %s }" % " ".join(
                "a%d: repository(owner: \"acme\", name: \"widgets\") { issue(number: 1) { "
                "timelineItems(first: 1) { totalCount } } }" % i for i in range(n))

        # Each alias is one request: 149 round to 1 point, 150 to 2.
        self.assertEqual(self.cost(aliases(149))[0], 1)
        self.assertEqual(self.cost(aliases(150))[0], 2)

    def test_points_are_charged(self):
        reply, entry = self.c.post("{ rateLimit { cost remaining limit used resetAt } }")
        rl = reply.obj["data"]["rateLimit"]
        self.assertEqual((rl["cost"], rl["limit"], rl["remaining"], rl["used"]), (1, 5000, 4999, 1))
        headers = dict(reply.headers)
        self.assertEqual(headers["x-ratelimit-resource"], "graphql")
        self.assertEqual(headers["x-ratelimit-remaining"], "4999")
        self.assertEqual(corpusmod.iso(int(headers["x-ratelimit-reset"])), rl["resetAt"])

    def test_rate_limited(self):
        fake = make_fake("--graphql-limit", "2")
        c = Client(fake)
        q = ("{ search(type: ISSUE, query: \"repo:acme/widgets\", first: 100) { nodes { "
             "... on Issue { labels(first: 5) { totalCount } timelineItems(first: 5) { totalCount }"
             " } } } }")
        reply, _ = c.post(q)
        self.assertNotIn("errors", reply.obj)
        reply, entry = c.post(q)
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.obj["errors"][0]["type"], "RATE_LIMITED")
        self.assertNotIn("data", reply.obj)
        self.assertEqual(dict(reply.headers)["x-ratelimit-remaining"], "0")

    def test_node_limit(self):
        fake = make_fake("--gql-node-limit", "5000")
        reply, entry = Client(fake).post(
            "{ search(type: ISSUE, query: \"repo:acme/widgets\", first: 100) { nodes { "
            "... on Issue { timelineItems(first: 100) { totalCount } } } } }")
        err = reply.obj["errors"][0]
        self.assertEqual(err["type"], "MAX_NODE_LIMIT_EXCEEDED")
        self.assertIn("10,100 possible nodes", err["message"])
        self.assertIn("limit of 5,000", err["message"])
        self.assertEqual(fake.buckets["graphql"].used, 0)  # refused before it ran


class Search(unittest.TestCase):
    def test_cap_and_paging(self):
        fake = server.Fake(server.arg_parser().parse_args(
            ["--seed", "2", "--issues", "1200", "--profile", "lean"]))
        c = Client(fake)
        q = ("query($q: String!, $after: String) { search(type: ISSUE, query: $q, first: 100, "
             "after: $after) { issueCount pageInfo { hasNextPage endCursor } nodes { "
             "... on Issue { number createdAt } ... on PullRequest { number createdAt } } } }")
        seen, after, pages = [], None, 0
        while True:
            s = c.data(q, {"q": "repo:acme/widgets sort:created-asc", "after": after})["search"]
            pages += 1
            seen += [(n["createdAt"], n["number"]) for n in s["nodes"]]
            if not s["pageInfo"]["hasNextPage"]:
                break
            after = s["pageInfo"]["endCursor"]
        self.assertEqual(s["issueCount"], 1200)  # every match is counted ...
        self.assertEqual(len(seen), 1000)  # ... but only 1,000 are reachable
        self.assertEqual(pages, 10)
        self.assertEqual(len(set(seen)), 1000)
        self.assertEqual(seen, sorted(seen))
        # A narrower created: window reaches the rest.
        last = seen[-1][0]
        rest = c.data(q, {"q": "repo:acme/widgets created:>%s sort:created-asc" % last})["search"]
        self.assertEqual(rest["issueCount"], 1200 - sum(1 for t, _ in seen if t <= last))
        self.assertTrue(all(n["createdAt"] > last for n in rest["nodes"]))

    def test_qualifiers(self):
        fake = make_fake()
        c = Client(fake)
        q = ("query($q: String!) { search(type: ISSUE, query: $q, first: 100) { issueCount nodes "
             "{ __typename ... on Issue { state labels(first: 10) { nodes { name } } } } } }")
        s = c.data(q, {"q": 'repo:acme/widgets is:issue is:closed label:"module: onnx"'})["search"]
        want = [it for it in fake.corpus.repo("acme/widgets")[1].values()
                if not it.is_pr and it.closed and "module: onnx" in it.all_labels()]
        self.assertEqual(s["issueCount"], len(want))
        for n in s["nodes"]:
            self.assertEqual((n["__typename"], n["state"]), ("Issue", "CLOSED"))
            self.assertIn("module: onnx", [l["name"] for l in n["labels"]["nodes"]])
        # An unknown repository is an empty search, not an error (as on GitHub).
        self.assertEqual(c.data(q, {"q": "repo:nobody/nothing"})["search"]["issueCount"], 0)
        self.assertTrue(c.errors(q, {"q": "repo:acme/widgets bogus:1"}))

    def test_deleted_issue(self):
        c = Client(make_fake("--gone", "3:410"))
        reply, entry = c.post("{ search(type: ISSUE, query: \"repo:acme/widgets sort:created-asc\", "
                              "first: 5) { nodes { ... on Issue { number } ... on PullRequest { "
                              "number } } } }")
        nodes = reply.obj["data"]["search"]["nodes"]
        self.assertIsNone(nodes[2])
        self.assertEqual(reply.obj["errors"], [{
            "type": "NOT_FOUND", "path": ["search", "nodes", 2],
            "message": "Could not resolve to an Issue with the number of 3."}])
        self.assertEqual(entry["gql"], "not-found")
        errors = c.errors("{ repository(owner: \"acme\", name: \"widgets\") { issue(number: 3) { "
                          "number } } }")
        self.assertEqual(errors[0]["type"], "NOT_FOUND")
        self.assertEqual(errors[0]["path"], ["repository", "issue"])


def rest_event_name(item):
    t = item["__typename"]
    for rest, gql in graphql._REST_TYPES.items():
        if gql == t:
            return rest
    return "_".join(w.lower() for w in __import__("re").findall("[A-Z][a-z0-9]*", t[:-5]))


class Corpus(unittest.TestCase):
    """Every issue through GraphQL is the issue REST serves."""

    ITEM = ("__typename ... on IssueComment { body author { login } } "
            "... on ClosedEvent { closer { __typename ... on Commit { oid } ... on PullRequest { "
            "mergeCommit { oid } } } } "
            "... on ReferencedEvent { commit { oid } } "
            "... on CrossReferencedEvent { source { __typename ... on Issue { number state } "
            "... on PullRequest { number prState: state } } } "
            "... on LabeledEvent { actor { __typename login } label { name } }")
    PR_ITEM = ITEM + " ... on PullRequestCommit { commit { oid } } ... on MergedEvent { commit { oid } }"

    def test_issues_and_timelines(self):
        fake = make_fake()
        c = Client(fake)
        q = ("query($n: Int!, $after: String) { repository(owner: \"acme\", name: \"widgets\") { "
             "issueOrPullRequest(number: $n) { __typename ... on Issue { number title state "
             "stateReason comments { totalCount } labels(first: 100) { nodes { name } } "
             "timelineItems(first: 100, after: $after) { totalCount pageInfo { hasNextPage "
             "endCursor } nodes { %s } } } ... on PullRequest { number title prState: state "
             "comments { totalCount } labels(first: 100) { nodes { name } } "
             "timelineItems(first: 100, after: $after) { totalCount pageInfo { hasNextPage "
             "endCursor } nodes { %s } } } } } }" % (self.ITEM, self.PR_ITEM))
        checked = 0
        for it in fake.corpus.repo("acme/widgets")[1].values():
            rest = fake.corpus.issue_json(it)
            timeline = fake.corpus.timeline(it)
            items, after = [], None
            while True:
                node = c.data(q, {"n": it.number, "after": after})["repository"]["issueOrPullRequest"]
                conn = node["timelineItems"]
                items += conn["nodes"]
                if not conn["pageInfo"]["hasNextPage"]:
                    break
                after = conn["pageInfo"]["endCursor"]
            self.assertEqual(node["number"], rest["number"])
            self.assertEqual(node["title"], rest["title"])
            self.assertEqual(node["comments"]["totalCount"], rest["comments"])
            self.assertEqual([l["name"] for l in node["labels"]["nodes"]],
                             [l["name"] for l in rest["labels"]])
            state = node.get("state") or node.get("prState")
            self.assertEqual("open" if state == "OPEN" else "closed", rest["state"])
            self.assertEqual(conn["totalCount"], len(items))
            # A pull request's timeline has a few items the REST timeline lacks.
            extra = [x for x in items if x["__typename"] in graphql.NOT_IN_REST]
            self.assertEqual(bool(extra), it.is_pr and it.number % 4 == 0 and bool(timeline))
            items = [x for x in items if x["__typename"] not in graphql.NOT_IN_REST]
            self.assertEqual([rest_event_name(x) for x in items], [e["event"] for e in timeline])
            for x, e in zip(items, timeline):
                self.check_item(x, e)
            checked += len(items)
        self.assertGreater(checked, 1000)

    def check_item(self, x, e):
        if e["event"] == "commented":
            self.assertEqual(x["body"], e["body"])
            login = e["user"]["login"]
            if login == "ghost":
                self.assertIsNone(x["author"])
            else:
                self.assertEqual(x["author"]["login"], login.replace("[bot]", ""))
        elif e["event"] == "closed":
            oid = (x["closer"] or {}).get("oid") or \
                ((x["closer"] or {}).get("mergeCommit") or {}).get("oid")
            self.assertEqual(oid, e["commit_id"])
        elif e["event"] in ("referenced", "merged", "committed"):
            self.assertEqual(x["commit"]["oid"], e.get("commit_id") or e.get("sha"))
        elif e["event"] == "cross-referenced":
            src = e["source"]["issue"]
            self.assertEqual(x["source"]["number"], src["number"])
            state = x["source"].get("state") or x["source"].get("prState")
            self.assertEqual("open" if state == "OPEN" else "closed", src["state"])
            # Not "pull_request" in src: the older API's null object is on issues too.
            self.assertEqual(x["source"]["__typename"] == "PullRequest",
                             corpusmod.is_pull_request(src))
        elif e["event"] == "labeled":
            self.assertEqual(x["label"]["name"], e["label"]["name"])
            if e["actor"]["login"].endswith("[bot]"):
                self.assertEqual(x["actor"]["__typename"], "Bot")

    def test_item_types(self):
        fake = make_fake()
        c = Client(fake)
        it = fake.corpus.issue("acme/widgets", 4)  # 350 items
        q = ("query($t: [IssueTimelineItemsItemType!]) { repository(owner: \"acme\", name: "
             "\"widgets\") { issue(number: 4) { timelineItems(first: 100, itemTypes: $t) { "
             "totalCount nodes { __typename } } } } }")
        conn = c.data(q, {"t": ["ISSUE_COMMENT"]})["repository"]["issue"]["timelineItems"]
        want = sum(1 for e in fake.corpus.timeline(it) if e["event"] == "commented")
        self.assertEqual(conn["totalCount"], want)
        self.assertEqual({n["__typename"] for n in conn["nodes"]}, {"IssueComment"})
        errors = c.errors(q, {"t": ["ISSUE_COMMENT", "NOPE"]})
        self.assertIn('Expected "NOPE" to be one of', errors[0]["message"])


class Errors(unittest.TestCase):
    def setUp(self):
        self.fake = make_fake()
        self.c = Client(self.fake)

    def first_error(self, query, variables=None):
        errors = self.c.errors(query, variables)
        self.assertTrue(errors, "no error for " + query)
        self.assertNotIn("data", self.c.post(query, variables)[0].obj)
        return errors[0]

    def test_authentication(self):
        reply, _ = self.c.post("{ rateLimit { cost } }", auth=None)
        self.assertEqual(reply.status, 401)
        self.assertIn("requires you to be authenticated", reply.obj["message"])
        args = server.arg_parser().parse_args(["--issues", "5"])
        fake = server.Fake(args)
        fake.token = "right"
        reply, entry = Client(fake).post("{ rateLimit { cost } }", auth="Bearer wrong")
        self.assertEqual((reply.status, reply.obj["message"]), (401, "Bad credentials"))

    def test_not_json_and_no_query(self):
        reply, _ = self.c.post(None, raw=b"{not json")
        self.assertEqual(reply.status, 400)
        reply, _ = self.c.post(None, raw=b'{"variables": {}}')
        self.assertIn("query attribute", reply.obj["errors"][0]["message"])

    def test_syntax(self):
        e = self.first_error("{ rateLimit { cost }")
        self.assertIn("Parse error on end of file", e["message"])
        e = self.first_error("{ rateLimit { cost } } }")
        self.assertIn("Parse error", e["message"])
        e = self.first_error('{ search(type: ISSUE, query: "unterminated) { issueCount } }')
        self.assertIn("Parse error", e["message"])

    def test_validation(self):
        cases = [
            ("{ rateLimit { price } }", "Field 'price' doesn't exist on type 'RateLimit'"),
            ("{ rateLimit }", "Field must have selections"),
            ("{ rateLimit { cost { x } } }", "Selections can't be made on scalars"),
            ("{ repository(owner: \"a\") { id } }", "missing required arguments: name"),
            ("{ rateLimit(bogus: 1) { cost } }", "doesn't accept argument 'bogus'"),
            ("{ search(type: NOPE, query: \"x\", first: 1) { issueCount } }",
             "Argument 'type' on Field 'search' has an invalid value"),
            ("query($x: Int) { rateLimit { cost } }", "Variable $x is declared by query but not used"),
            ("{ search(type: ISSUE, query: $q, first: 1) { issueCount } }",
             "Variable $q is used by query but not declared"),
            ("{ rateLimit { cost } } fragment F on RateLimit { cost }",
             "Fragment F was defined, but not used"),
            ("{ rateLimit { ...G } }", "Fragment G was used, but not defined"),
            ("{ search(type: ISSUE, query: \"x\", first: 1) { nodes { ... on Nope { id } } } }",
             "No such type Nope, so it can't be a fragment condition"),
            ("{ search(type: ISSUE, query: \"x\", first: 1) { nodes { ... on RateLimit { cost } } } }",
             "can't be spread inside SearchResultItem"),
            ("{ search(type: ISSUE, query: \"x\", first: 1) { nodes { ... on Issue { state } "
             "... on PullRequest { state } } } }",
             "conflicting types IssueState! and PullRequestState!"),
            ("{ search(type: ISSUE, query: \"x\") { nodes { __typename } } }",
             "You must provide a `first` or `last` value to properly paginate the `search`"),
            ("{ search(type: ISSUE, query: \"x\", first: 101) { issueCount } }",
             "Requesting 101 records on the `search` connection exceeds the `first` limit of 100"),
            ("query($n: Int!) { repository(owner: \"a\", name: \"b\") { issue(number: $n) { id } } }",
             "Variable $n of type Int! was provided invalid value"),
        ]
        for query, want in cases:
            with self.subTest(query=query):
                e = self.first_error(query)
                self.assertIn(want, e["message"])
        # Aliases tell them apart; a connection asked only for totalCount needs no first.
        data = self.c.data("{ search(type: ISSUE, query: \"repo:acme/widgets\", first: 3) { "
                           "nodes { ... on Issue { state comments { totalCount } } "
                           "... on PullRequest { prState: state } } } }")
        self.assertEqual(len(data["search"]["nodes"]), 3)
        self.assertEqual(self.fake.buckets["graphql"].used, 1)  # refused queries cost nothing

    def test_not_found(self):
        reply, _ = self.c.post("{ repository(owner: \"no\", name: \"such\") { id } }")
        self.assertEqual(reply.obj["data"], {"repository": None})
        self.assertEqual(reply.obj["errors"][0]["type"], "NOT_FOUND")
        pr = next(it.number for it in self.fake.corpus.repo("acme/widgets")[1].values() if it.is_pr)
        reply, _ = self.c.post("{ repository(owner: \"acme\", name: \"widgets\") { a: issue(number: "
                               "%d) { id } b: pullRequest(number: %d) { number } } }" % (pr, pr))
        self.assertEqual(reply.obj["data"]["repository"]["a"], None)
        self.assertEqual(reply.obj["data"]["repository"]["b"], {"number": pr})
        self.assertEqual(reply.obj["errors"][0]["path"], ["repository", "a"])


class Faults(unittest.TestCase):
    HEAVY = ("{ search(type: ISSUE, query: \"repo:acme/widgets\", first: 50) { nodes { ... on Issue "
             "{ timelineItems(first: 100) { nodes { __typename } } } } } }")

    def test_timeouts(self):
        fake = make_fake("--gql-timeout-nodes", "1000")
        c = Client(fake)
        first, _ = c.post(self.HEAVY)
        second, _ = c.post(self.HEAVY)
        self.assertEqual(first.status, 502)
        self.assertIn("couldn't respond to your request in time", first.obj["errors"][0]["message"])
        self.assertEqual(second.status, 200)
        self.assertIn("may be the result of a timeout", second.obj["errors"][0]["message"])
        self.assertEqual(fake.buckets["graphql"].used, 2 * 1)  # charged all the same
        small, _ = c.post(self.HEAVY.replace("first: 50", "first: 5"))
        self.assertNotIn("errors", small.obj)

    def test_partial(self):
        c = Client(make_fake("--gql-ppartial", "1"))
        reply, entry = c.post(self.HEAVY)
        nulls = [k for k, n in enumerate(reply.obj["data"]["search"]["nodes"])
                 if "timelineItems" in n and n["timelineItems"] is None]
        self.assertEqual(len(nulls), 1)
        err = reply.obj["errors"][0]
        self.assertEqual(err["type"], "SERVICE_UNAVAILABLE")
        self.assertEqual(err["path"], ["search", "nodes", nulls[0], "timelineItems"])
        self.assertEqual(entry["fault"], "gql-partial")

    def test_rest_faults_apply(self):
        c = Client(make_fake("--p502", "1"))
        reply, entry = c.post("{ rateLimit { cost } }")
        self.assertEqual((reply.status, entry["fault"]), (502, "502"))
        c = Client(make_fake("--secondary", "0:5"))
        reply, entry = c.post("{ rateLimit { cost } }")
        self.assertEqual((reply.status, reply.retry_after), (403, 5))

    def test_rate_limited_spec(self):
        fake = make_fake("--gql-rate-limited", "1:3")
        c = Client(fake)
        self.assertNotIn("errors", c.post("{ rateLimit { cost } }")[0].obj)
        reply, entry = c.post("{ rateLimit { cost } }")
        self.assertEqual(reply.obj["errors"][0]["type"], "RATE_LIMITED")
        self.assertEqual(entry["fault"], "rate-limited")
        self.assertLessEqual(entry["reset"] - entry["t"], 4)

    def test_get_is_not_graphql(self):
        reply, _ = make_fake().api("h", "GET", "/graphql", {"Authorization": "Bearer t"}, b"")
        self.assertEqual(reply.status, 404)


if __name__ == "__main__":
    unittest.main()
