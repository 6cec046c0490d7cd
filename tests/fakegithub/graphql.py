"""graphql.py - the fake GitHub's GraphQL API (POST /graphql), over the REST side's corpus.

Python 3 standard library only. server.py routes POST /graphql (and
/api/graphql, GitHub Enterprise's path) here through the same request loop
as REST, so its faults (502s, drops, truncation, secondary limits, latency,
clock skew) apply to GraphQL too. What this module adds is GraphQL itself:

  - a lexer and parser of executable documents (operations, variables with
    defaults, fields, arguments, aliases, inline fragments, named fragments)
    and of the SDL the served schema is written in (SCHEMA below: the part of
    GitHub's published schema a fetch uses);
  - validation as GitHub does it: unknown fields, types and arguments,
    missing required arguments, selections on leaves or none on objects,
    fragments that cannot apply, unused or undefined fragments and
    variables, fields of one response name with conflicting types, and
    variables coerced to their declared types (enum values included);
  - connections: first/last required (MISSING_PAGINATION_BOUNDARIES) and
    within 1..100 (EXCESSIVE_PAGINATION), cursors, pageInfo, totalCount;
  - GitHub's documented cost: one request per connection per parent object,
    assuming every connection returns its full first/last, divided by 100
    and rounded, at least 1 (of the types a union or interface may be, the
    one that asks for most counts); the node count (each connection's
    first/last times its parents) and the 500,000-node limit
    (MAX_NODE_LIMIT_EXCEEDED);
  - the "graphql" rate limit: points per window, x-ratelimit-* headers with
    x-ratelimit-resource: graphql, rateLimit { cost limit remaining used
    resetAt nodeCount }, and a 200 with RATE_LIMITED when a query costs more
    than is left;
  - search(type: ISSUE, query:, first:, after:) with the REST side's
    qualifiers plus sort:, the same 1,000-result cap (issueCount counts
    every match), Issue and PullRequest nodes; repository(owner, name) with
    issue, pullRequest and issueOrPullRequest(number); NOT_FOUND errors with
    their path for what does not resolve (and for --gone issues);
  - authentication required: no token, 401.

Every Issue, PullRequest and timeline item is derived from the REST objects
corpus.py renders, so both APIs serve the same data: IssueComment from
"commented", ClosedEvent (with a closer: the merged PullRequest or the
Commit of its commit_id) from "closed", CrossReferencedEvent from
"cross-referenced", ConnectedEvent (with the pull request it connects) from
"connected", PullRequestCommit from "committed", and so on. A REST Bot's
"name[bot]" is a GraphQL Bot "name"; REST's "ghost" is a null actor.

Each GraphQL request's log entry also says its operation ("op"), cost, node
count, what came of it ("gql": ok, not-found, partial, invalid, node-limit,
rate-limited, timeout), the issues whose nodes it built ("numbers") and the
review or commit threads it resolved by id ("threads").

GraphQL faults (options of server.py, and keys of /_fake/config):
  --gql-timeout-nodes N   queries of more than N possible nodes time out: a 502
                          "We couldn't respond to your request in time" or a
                          200 "Something went wrong ... result of a timeout"
                          (alternately), points charged all the same
  --gql-node-limit N      the node limit (default 500,000)
  --gql-ppartial P        with probability P an answer loses one timelineItems
                          (null, with a SERVICE_UNAVAILABLE error at its path)
  --gql-rate-limited SPEC requests answered 200 RATE_LIMITED with the window
                          exhausted for SECONDS, e.g. "5:2"
"""

import base64
import copy
import functools
import json
import math
import re

import corpus as corpusmod

DOCS = "https://docs.github.com/graphql"
NODE_LIMIT = 500000
FIRST_MAX = 100

# ---------------------------------------------------------------------------
# Errors


class GraphQLError(Exception):
    """An error of the answer's "errors" list."""

    def __init__(self, message, loc=None, type_=None, path=None, code=None):
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.type = type_
        self.path = path
        self.code = code

    def to_json(self):
        e = {"message": self.message}
        if self.type:
            e["type"] = self.type
        if self.path is not None:
            e["path"] = self.path
        if self.loc:
            e["locations"] = [{"line": self.loc[0], "column": self.loc[1]}]
        if self.code:
            e["extensions"] = {"code": self.code}
        return e


# ---------------------------------------------------------------------------
# Lexer

_PUNCT = "!$&()[]{}:=@|"
_TOKEN = re.compile(r'''
    (?P<ws>[\s,\ufeff]+|\#[^\n\r]*)
  | (?P<spread>\.\.\.)
  | (?P<block>"""(?:\\"""|[^"]|"(?!""))*""")
  | (?P<string>"(?:[^"\\\n\r]|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}))*")
  | (?P<float>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+))
  | (?P<int>-?(?:0|[1-9][0-9]*))
  | (?P<name>[_A-Za-z][_0-9A-Za-z]*)
  | (?P<punct>[!$&()\[\]{}:=@|])
''', re.X)


class Token:
    __slots__ = ("kind", "value", "line", "col")

    def __init__(self, kind, value, line, col):
        self.kind, self.value, self.line, self.col = kind, value, line, col

    def __repr__(self):
        return "%s(%r)" % (self.kind, self.value)


def _unescape(s):
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            n = s[i + 1]
            if n == "u":
                out.append(chr(int(s[i + 2:i + 6], 16)))
                i += 6
                continue
            out.append({"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _block_value(raw):
    lines = raw.replace('\\"""', '"""').splitlines()
    indent = min((len(x) - len(x.lstrip()) for x in lines[1:] if x.strip()), default=0)
    lines = [lines[0]] + [x[indent:] for x in lines[1:]]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def tokenize(text):
    tokens = []
    pos, line, line_start = 0, 1, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        col = pos - line_start + 1
        if not m:
            raise GraphQLError('Parse error on "%s" at [%d, %d]' % (text[pos], line, col),
                               (line, col))
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "ws":
            pass
        elif kind == "block":
            tokens.append(Token("string", _block_value(value[3:-3]), line, col))
        elif kind == "string":
            tokens.append(Token("string", _unescape(value[1:-1]), line, col))
        elif kind == "spread":
            tokens.append(Token("punct", "...", line, col))
        else:
            tokens.append(Token(kind, value, line, col))
        for k, ch in enumerate(value):
            if ch == "\n":
                line += 1
                line_start = pos + k + 1
        pos = m.end()
    tokens.append(Token("eof", None, line, pos - line_start + 1))
    return tokens


# ---------------------------------------------------------------------------
# Parser: executable documents and the SDL of the schema


class Field:
    def __init__(self, alias, name, args, selections, loc):
        self.alias, self.name, self.args, self.selections, self.loc = (
            alias, name, args, selections, loc)

    @property
    def key(self):
        return self.alias or self.name


class InlineFragment:
    def __init__(self, type_condition, selections, loc):
        self.type_condition, self.selections, self.loc = type_condition, selections, loc


class FragmentSpread:
    def __init__(self, name, loc):
        self.name, self.loc = name, loc


class Operation:
    def __init__(self, kind, name, variables, selections, loc):
        self.kind, self.name, self.variables, self.selections, self.loc = (
            kind, name, variables, selections, loc)


class Fragment:
    def __init__(self, name, type_condition, selections, loc):
        self.name, self.type_condition, self.selections, self.loc = (
            name, type_condition, selections, loc)


class Parser:
    def __init__(self, text):
        self.tokens = tokenize(text)
        self.i = 0

    # --- tokens ---

    def peek(self, offset=0):
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def next(self):
        t = self.peek()
        self.i += 1
        return t

    def fail(self, t=None):
        t = t or self.peek()
        what = "end of file" if t.kind == "eof" else '"%s" (%s)' % (t.value, t.kind.upper())
        raise GraphQLError("Parse error on %s at [%d, %d]" % (what, t.line, t.col),
                           (t.line, t.col))

    def at(self, value, kind="punct"):
        t = self.peek()
        return t.kind == kind and t.value == value

    def expect(self, value, kind="punct"):
        if not self.at(value, kind):
            self.fail()
        return self.next()

    def skip(self, value, kind="punct"):
        if self.at(value, kind):
            self.next()
            return True
        return False

    def name(self):
        t = self.peek()
        if t.kind != "name":
            self.fail()
        return self.next().value

    # --- executable documents ---

    def document(self):
        ops, frags = [], {}
        while self.peek().kind != "eof":
            t = self.peek()
            if self.at("{"):
                ops.append(Operation("query", None, [], self.selection_set(), (t.line, t.col)))
            elif t.kind == "name" and t.value in ("query", "mutation", "subscription"):
                ops.append(self.operation())
            elif t.kind == "name" and t.value == "fragment":
                f = self.fragment()
                if f.name in frags:
                    raise GraphQLError('Fragment name "%s" must be unique' % f.name, f.loc)
                frags[f.name] = f
            else:
                self.fail()
        return ops, frags

    def operation(self):
        t = self.next()
        name = self.name() if self.peek().kind == "name" else None
        variables = []
        if self.skip("("):
            while not self.skip(")"):
                vt = self.expect("$")
                vname = self.name()
                self.expect(":")
                vtype = self.type_ref()
                default = self.value(const=True) if self.skip("=") else None
                variables.append((vname, vtype, default, (vt.line, vt.col)))
        self.directives()
        return Operation(t.value, name, variables, self.selection_set(), (t.line, t.col))

    def fragment(self):
        t = self.next()
        name = self.name()
        if name == "on":
            self.fail()
        if self.peek().value != "on":
            self.fail()
        self.next()
        cond = self.name()
        self.directives()
        return Fragment(name, cond, self.selection_set(), (t.line, t.col))

    def directives(self):
        while self.at("@"):
            t = self.next()
            raise GraphQLError("Directive '%s' is not supported by this server" % self.name(),
                               (t.line, t.col))

    def selection_set(self):
        self.expect("{")
        out = []
        while not self.skip("}"):
            out.append(self.selection())
        if not out:
            self.fail()
        return out

    def selection(self):
        t = self.peek()
        loc = (t.line, t.col)
        if self.skip("..."):
            if self.at("on", "name"):
                self.next()
                cond = self.name()
                self.directives()
                return InlineFragment(cond, self.selection_set(), loc)
            if self.at("{") or self.at("@"):
                self.directives()
                return InlineFragment(None, self.selection_set(), loc)
            return FragmentSpread(self.name(), loc)
        name = self.name()
        alias = None
        if self.skip(":"):
            alias, name = name, self.name()
        args = {}
        if self.skip("("):
            while not self.skip(")"):
                aname = self.name()
                self.expect(":")
                if aname in args:
                    raise GraphQLError("There can be only one argument named \"%s\"" % aname,
                                       loc)
                args[aname] = self.value()
        self.directives()
        sels = self.selection_set() if self.at("{") else None
        return Field(alias, name, args, sels, loc)

    def value(self, const=False):
        t = self.next()
        if t.kind == "punct" and t.value == "$" and not const:
            return ("var", self.name())
        if t.kind == "int":
            return ("int", int(t.value))
        if t.kind == "float":
            return ("float", float(t.value))
        if t.kind == "string":
            return ("string", t.value)
        if t.kind == "name":
            if t.value in ("true", "false"):
                return ("bool", t.value == "true")
            if t.value == "null":
                return ("null", None)
            return ("enum", t.value)
        if t.kind == "punct" and t.value == "[":
            items = []
            while not self.skip("]"):
                items.append(self.value(const))
            return ("list", items)
        if t.kind == "punct" and t.value == "{":
            fields = {}
            while not self.skip("}"):
                k = self.name()
                self.expect(":")
                fields[k] = self.value(const)
            return ("object", fields)
        self.i -= 1
        self.fail()

    def type_ref(self):
        if self.skip("["):
            inner = self.type_ref()
            self.expect("]")
            t = ("list", inner)
        else:
            t = ("named", self.name())
        if self.skip("!"):
            t = ("nonnull", t)
        return t

    # --- the schema's SDL ---

    def schema(self):
        types = {}
        while self.peek().kind != "eof":
            kw = self.name()
            name = self.name()
            if kw == "scalar":
                types[name] = SchemaType("SCALAR", name)
            elif kw == "enum":
                self.expect("{")
                values = []
                while not self.skip("}"):
                    values.append(self.name())
                types[name] = SchemaType("ENUM", name, values=values)
            elif kw == "union":
                self.expect("=")
                members = [self.name()]
                while self.skip("|"):
                    members.append(self.name())
                types[name] = SchemaType("UNION", name, members=members)
            elif kw in ("type", "interface"):
                interfaces = []
                if self.at("implements", "name"):
                    self.next()
                    interfaces.append(self.name())
                    while self.skip("&"):
                        interfaces.append(self.name())
                fields = {}
                self.expect("{")
                while not self.skip("}"):
                    fname = self.name()
                    args = {}
                    if self.skip("("):
                        while not self.skip(")"):
                            aname = self.name()
                            self.expect(":")
                            args[aname] = self.type_ref()
                    self.expect(":")
                    fields[fname] = (self.type_ref(), args)
                kind = "OBJECT" if kw == "type" else "INTERFACE"
                types[name] = SchemaType(kind, name, fields=fields, interfaces=interfaces)
            else:
                self.fail()
        return types


class SchemaType:
    def __init__(self, kind, name, fields=None, interfaces=None, members=None, values=None):
        self.kind, self.name = kind, name
        self.fields = fields or {}
        self.interfaces = interfaces or []
        self.members = members or []
        self.values = values or []


def named(t):
    while t[0] != "named":
        t = t[1]
    return t[1]


def type_str(t):
    if t[0] == "named":
        return t[1]
    if t[0] == "list":
        return "[%s]" % type_str(t[1])
    return type_str(t[1]) + "!"


# ---------------------------------------------------------------------------
# The schema: the part of GitHub's published schema a fetch uses (types and
# fields as GitHub names them; descriptions and most fields left out).

_EVENT = "actor: Actor createdAt: DateTime! id: ID!"
_TIMELINE_ARGS = ("(after: String, before: String, first: Int, last: Int, since: DateTime, "
                  "skip: Int, itemTypes: [%s!])")
_PAGING = "(after: String, before: String, first: Int, last: Int)"

# name, unions ("I" issue, "P" pull request), extra fields
_ITEM_TYPES = [
    ("AddedToMergeQueueEvent", "P", ""),
    ("AddedToProjectEvent", "IP", "databaseId: Int projectColumnName: String!"),
    ("AssignedEvent", "IP", "assignee: Assignee"),
    ("AutoMergeDisabledEvent", "P", ""),
    ("AutoMergeEnabledEvent", "P", ""),
    ("AutoRebaseEnabledEvent", "P", ""),
    ("AutoSquashEnabledEvent", "P", ""),
    ("AutomaticBaseChangeFailedEvent", "P", ""),
    ("AutomaticBaseChangeSucceededEvent", "P", ""),
    ("BaseRefChangedEvent", "P", "databaseId: Int"),
    ("BaseRefDeletedEvent", "P", ""),
    ("BaseRefForcePushedEvent", "P", ""),
    ("ClosedEvent", "IP", "closer: Closer stateReason: IssueStateReason url: URI!"),
    ("CommentDeletedEvent", "IP", "databaseId: Int"),
    ("ConnectedEvent", "IP", "isCrossRepository: Boolean! source: ReferencedSubject! "
                             "subject: ReferencedSubject!"),
    ("ConvertToDraftEvent", "P", ""),
    ("ConvertedNoteToIssueEvent", "IP", "databaseId: Int"),
    ("ConvertedToDiscussionEvent", "IP", ""),
    ("CrossReferencedEvent", "IP", "isCrossRepository: Boolean! referencedAt: DateTime! "
                                   "source: ReferencedSubject! target: ReferencedSubject! "
                                   "url: URI! willCloseTarget: Boolean!"),
    ("DemilestonedEvent", "IP", "milestoneTitle: String!"),
    ("DeployedEvent", "P", "databaseId: Int"),
    ("DeploymentEnvironmentChangedEvent", "P", ""),
    ("DisconnectedEvent", "IP", "isCrossRepository: Boolean! source: ReferencedSubject! "
                                "subject: ReferencedSubject!"),
    ("HeadRefDeletedEvent", "P", "headRefName: String!"),
    ("HeadRefForcePushedEvent", "P", ""),
    ("HeadRefRestoredEvent", "P", ""),
    ("LabeledEvent", "IP", "label: Label!"),
    ("LockedEvent", "IP", "lockReason: LockReason"),
    ("MarkedAsDuplicateEvent", "IP", "canonical: IssueOrPullRequest duplicate: IssueOrPullRequest "
                                     "isCrossRepository: Boolean!"),
    ("MentionedEvent", "IP", "databaseId: Int"),
    ("MergedEvent", "P", "commit: Commit mergeRefName: String! url: URI!"),
    ("MilestonedEvent", "IP", "milestoneTitle: String!"),
    ("MovedColumnsInProjectEvent", "IP", "databaseId: Int"),
    ("ParentIssueAddedEvent", "IP", ""),
    ("ParentIssueRemovedEvent", "IP", ""),
    ("PinnedEvent", "IP", ""),
    ("ReadyForReviewEvent", "P", ""),
    ("ReferencedEvent", "IP", "commit: Commit commitRepository: Repository! "
                              "isCrossRepository: Boolean! isDirectReference: Boolean! "
                              "subject: ReferencedSubject!"),
    ("RemovedFromMergeQueueEvent", "P", ""),
    ("RemovedFromProjectEvent", "IP", "databaseId: Int"),
    ("RenamedTitleEvent", "IP", "currentTitle: String! previousTitle: String!"),
    ("ReopenedEvent", "IP", "stateReason: IssueStateReason"),
    ("ReviewDismissedEvent", "P", "databaseId: Int"),
    ("ReviewRequestRemovedEvent", "P", ""),
    ("ReviewRequestedEvent", "P", ""),
    ("SubIssueAddedEvent", "IP", ""),
    ("SubIssueRemovedEvent", "IP", ""),
    ("SubscribedEvent", "IP", ""),
    ("TransferredEvent", "IP", "fromRepository: Repository"),
    ("UnassignedEvent", "IP", "assignee: Assignee"),
    ("UnlabeledEvent", "IP", "label: Label!"),
    ("UnlockedEvent", "IP", ""),
    ("UnmarkedAsDuplicateEvent", "IP", "canonical: IssueOrPullRequest "
                                       "duplicate: IssueOrPullRequest isCrossRepository: Boolean!"),
    ("UnpinnedEvent", "IP", ""),
    ("UnsubscribedEvent", "IP", ""),
    ("UserBlockedEvent", "IP", ""),
    # Added in 2024 and 2025 (projects v2, issue types, sub-issues, blocking, issue fields).
    ("AddedToProjectV2Event", "IP", ""),
    ("RemovedFromProjectV2Event", "IP", ""),
    ("ProjectV2ItemStatusChangedEvent", "IP", "previousStatus: String status: String"),
    ("ConvertedFromDraftEvent", "I", ""),
    ("IssueTypeAddedEvent", "I", ""),
    ("IssueTypeChangedEvent", "I", ""),
    ("IssueTypeRemovedEvent", "I", ""),
    ("BlockedByAddedEvent", "I", ""),
    ("BlockedByRemovedEvent", "I", ""),
    ("BlockingAddedEvent", "I", ""),
    ("BlockingRemovedEvent", "I", ""),
    ("IssueFieldChangedEvent", "I", ""),
]

# The types of a timeline that are not events with an actor.
_OTHER_ITEMS = [
    ("IssueComment", "IP", "author: Actor body: String! createdAt: DateTime! databaseId: Int "
                           "fullDatabaseId: BigInt id: ID! updatedAt: DateTime! url: URI!"),
    ("PullRequestCommit", "P", "commit: Commit! id: ID! url: URI!"),
    ("PullRequestCommitCommentThread", "P", "commit: Commit! comments%s: "
                                            "CommitCommentConnection! id: ID! path: String"
     % _PAGING),
    ("PullRequestReview", "P", "author: Actor body: String! commit: Commit createdAt: DateTime! "
                               "databaseId: Int fullDatabaseId: BigInt id: ID! "
                               "state: PullRequestReviewState! submittedAt: DateTime url: URI!"),
    ("PullRequestReviewThread", "P", "comments%s: PullRequestReviewCommentConnection! id: ID! "
                                     "isResolved: Boolean! path: String!" % _PAGING),
    ("PullRequestRevisionMarker", "P", "createdAt: DateTime!"),
]


def _enum_name(typename):
    """IssueComment -> ISSUE_COMMENT, PullRequestCommit -> PULL_REQUEST_COMMIT."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", typename).upper()


def _schema_text():
    parts = ["""
scalar String scalar Int scalar Float scalar Boolean scalar ID
scalar DateTime scalar URI scalar GitObjectID scalar BigInt scalar HTML scalar GitTimestamp
enum SearchType { DISCUSSION ISSUE ISSUE_ADVANCED REPOSITORY USER }
enum IssueState { CLOSED OPEN }
enum PullRequestState { CLOSED MERGED OPEN }
enum IssueStateReason { COMPLETED DUPLICATE NOT_PLANNED REOPENED }
enum PullRequestReviewState { APPROVED CHANGES_REQUESTED COMMENTED DISMISSED PENDING }
enum LockReason { OFF_TOPIC RESOLVED SPAM TOO_HEATED }
interface Node { id: ID! }
interface Actor { login: String! url: URI! }
type Query {
  rateLimit(dryRun: Boolean): RateLimit
  search(type: SearchType!, query: String!, first: Int, after: String, last: Int,
         before: String): SearchResultItemConnection!
  repository(owner: String!, name: String!, followRenames: Boolean): Repository
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  __type(name: String!): __Type
}
type __Type { name: String kind: String possibleTypes: [__Type!] fields: [__Field!] }
type __Field { name: String! }
type RateLimit { cost: Int! limit: Int! nodeCount: Int! remaining: Int! resetAt: DateTime!
  used: Int! }
type PageInfo { endCursor: String hasNextPage: Boolean! hasPreviousPage: Boolean!
  startCursor: String }
interface RepositoryOwner { login: String! url: URI! }
type User implements Actor & Node & RepositoryOwner { databaseId: Int id: ID! login: String!
  name: String url: URI! }
type Bot implements Actor & Node { databaseId: Int id: ID! login: String! url: URI! }
type Organization implements Actor & Node & RepositoryOwner { databaseId: Int id: ID!
  login: String! url: URI! }
type Mannequin implements Actor & Node { databaseId: Int id: ID! login: String! url: URI! }
type Repository implements Node {
  databaseId: Int id: ID! name: String! nameWithOwner: String! url: URI! owner: RepositoryOwner!
  issue(number: Int!): Issue
  pullRequest(number: Int!): PullRequest
  issueOrPullRequest(number: Int!): IssueOrPullRequest
}
type Label implements Node { color: String! description: String id: ID! isDefault: Boolean!
  name: String! }
type LabelConnection { nodes: [Label] pageInfo: PageInfo! totalCount: Int! }
type IssueCommentConnection { nodes: [IssueComment] pageInfo: PageInfo! totalCount: Int! }
type GitActor { date: GitTimestamp email: String name: String }
type PullRequestReviewComment implements Node { author: Actor body: String! commit: Commit
  createdAt: DateTime! databaseId: Int id: ID! path: String! }
type PullRequestReviewCommentConnection { nodes: [PullRequestReviewComment] pageInfo: PageInfo!
  totalCount: Int! }
type CommitComment implements Node { author: Actor body: String! commit: Commit
  createdAt: DateTime! databaseId: Int id: ID! path: String }
type CommitCommentConnection { nodes: [CommitComment] pageInfo: PageInfo! totalCount: Int! }
type Commit implements Node { author: GitActor committer: GitActor committedDate: DateTime!
  id: ID! message: String! oid: GitObjectID! repository: Repository! url: URI! }
type ProjectV2 implements Node { id: ID! number: Int! title: String! url: URI! }
union Closer = Commit | ProjectV2 | PullRequest
union ReferencedSubject = Issue | PullRequest
union IssueOrPullRequest = Issue | PullRequest
union Assignee = Bot | Mannequin | Organization | User
union SearchResultItem = Issue | PullRequest | Repository | User | Organization
type SearchResultItemEdge { cursor: String! node: SearchResultItem }
type SearchResultItemConnection { codeCount: Int! discussionCount: Int!
  edges: [SearchResultItemEdge] issueCount: Int! nodes: [SearchResultItem] pageInfo: PageInfo!
  repositoryCount: Int! userCount: Int! wikiCount: Int! }
"""]
    common = ("author: Actor body: String! closed: Boolean! closedAt: DateTime "
              "comments%s: IssueCommentConnection! createdAt: DateTime! databaseId: Int "
              "fullDatabaseId: BigInt id: ID! labels%s: LabelConnection number: Int! "
              "repository: Repository! title: String! updatedAt: DateTime! url: URI!"
              % (_PAGING, _PAGING))
    parts.append("type Issue implements Node { %s state: IssueState! stateReason: IssueStateReason "
                 "timelineItems%s: IssueTimelineItemsConnection! }"
                 % (common, _TIMELINE_ARGS % "IssueTimelineItemsItemType"))
    parts.append("type PullRequest implements Node { %s state: PullRequestState! merged: Boolean! "
                 "mergedAt: DateTime mergeCommit: Commit "
                 "timelineItems%s: PullRequestTimelineItemsConnection! }"
                 % (common, _TIMELINE_ARGS % "PullRequestTimelineItemsItemType"))
    issue_items, pr_items = [], []
    for name, where, extra in _ITEM_TYPES:
        parts.append("type %s implements Node { %s %s }" % (name, _EVENT, extra))
        if "I" in where:
            issue_items.append(name)
        if "P" in where:
            pr_items.append(name)
    for name, where, fields in _OTHER_ITEMS:
        node = " implements Node" if "id: ID!" in fields else ""  # a revision marker is none
        parts.append("type %s%s { %s }" % (name, node, fields))
        if "I" in where:
            issue_items.append(name)
        if "P" in where:
            pr_items.append(name)
    for union, members in (("IssueTimelineItems", issue_items),
                           ("PullRequestTimelineItems", pr_items)):
        members = sorted(members)
        parts.append("union %s = %s" % (union, " | ".join(members)))
        parts.append("enum %sItemType { %s }" % (union, " ".join(_enum_name(m) for m in members)))
        parts.append("type %sConnection { filteredCount: Int! nodes: [%s] pageCount: Int! "
                     "pageInfo: PageInfo! totalCount: Int! updatedAt: DateTime! }"
                     % (union, union))
    return "\n".join(parts)


SCHEMA = Parser(_schema_text()).schema()


def introspect(name):
    """__type(name:) as a GraphQL client sees it: the name, kind, a union's member
    types and an object's fields (enough of introspection for a client to learn
    which timeline item types this server has)."""
    t = SCHEMA.get(name)
    if t is None:
        return None
    out = {"__typename": "__Type", "name": t.name, "kind": t.kind, "possibleTypes": None,
           "fields": None}
    if t.kind in ("UNION", "INTERFACE"):
        out["possibleTypes"] = [introspect(n) for n in sorted(possible_types(name))]
    if t.kind in ("OBJECT", "INTERFACE"):
        out["fields"] = [{"__typename": "__Field", "name": f} for f in sorted(t.fields)]
    return out


@functools.lru_cache(maxsize=None)
def possible_types(tname):
    t = SCHEMA[tname]
    if t.kind == "OBJECT":
        return {tname}
    if t.kind == "UNION":
        return set(t.members)
    return {n for n, x in SCHEMA.items() if x.kind == "OBJECT" and tname in x.interfaces}


def field_def(tname, fname):
    if fname == "__typename":
        return (("nonnull", ("named", "String")), {})
    t = SCHEMA.get(tname)
    if t is None or t.kind == "UNION":
        return None
    return t.fields.get(fname)


def is_connection(tname):
    return tname.endswith("Connection")


# ---------------------------------------------------------------------------
# Validation


class Document:
    """A parsed and validated request: the operation, its fragments and variable values."""

    def __init__(self, text, variables, operation_name=None):
        ops, self.fragments = Parser(text).document()
        self.op = self._pick(ops, operation_name)
        self.errors = []
        self.var_uses = []
        self._check_fragments()
        self.used_vars = set()
        self._validate_set(self.op.selections, "Query", [self._op_label()])
        for f in self.fragments.values():
            if f.name in self.used_fragments:
                self._validate_set(f.selections, f.type_condition, ["fragment " + f.name])
        self._check_variables()
        self._check_overlaps([("Query", self.op.selections)])
        if self.errors:
            return
        # None: the caller coerces its variables itself (a document kept for its text).
        self.variables = {} if variables is None else self._coerce_variables(variables)

    def _op_label(self):
        return "%s %s" % (self.op.kind, self.op.name) if self.op.name else self.op.kind

    @staticmethod
    def _pick(ops, name):
        if not ops:
            raise GraphQLError("No operations in query document")
        if name:
            for op in ops:
                if op.name == name:
                    return op
            raise GraphQLError('No operation named "%s"' % name)
        if len(ops) > 1:
            raise GraphQLError("An operation name is required")
        if ops[0].kind != "query":
            raise GraphQLError("Schema is not configured for %ss" % ops[0].kind, ops[0].loc)
        return ops[0]

    def error(self, message, loc, path, code):
        self.errors.append(GraphQLError(message, loc, path=path, code=code))

    # --- fragments ---

    def _spreads(self, selections, out):
        for s in selections:
            if isinstance(s, FragmentSpread):
                out.append(s)
            elif s.selections:
                self._spreads(s.selections, out)
        return out

    def _check_fragments(self):
        used, todo = set(), [s for s in self._spreads(self.op.selections, [])]
        while todo:
            s = todo.pop()
            if s.name not in self.fragments:
                raise GraphQLError("Fragment %s was used, but not defined" % s.name, s.loc,
                                   code="useAndDefineFragment")
            if s.name not in used:
                used.add(s.name)
                todo.extend(self._spreads(self.fragments[s.name].selections, []))
        for name, f in self.fragments.items():
            if name not in used:
                raise GraphQLError("Fragment %s was defined, but not used" % name, f.loc,
                                   code="useAndDefineFragment")
            self._check_cycle(name, [name])
        self.used_fragments = used

    def _check_cycle(self, name, chain):
        for s in self._spreads(self.fragments[name].selections, []):
            if s.name in chain:
                raise GraphQLError("Fragment %s contains an infinite loop" % chain[0], s.loc,
                                   code="infiniteLoop")
            self._check_cycle(s.name, chain + [s.name])

    # --- fields, arguments, fragments' types ---

    def _validate_set(self, selections, tname, path):
        for s in selections:
            if isinstance(s, Field):
                self._validate_field(s, tname, path)
            elif isinstance(s, InlineFragment):
                cond = s.type_condition or tname
                if self._condition_ok(cond, tname, s.loc, path, "Fragment on"):
                    self._validate_set(s.selections, cond, path + ["... on " + cond])
            else:
                f = self.fragments[s.name]
                self._condition_ok(f.type_condition, tname, s.loc, path,
                                   "Fragment %s on" % s.name)

    def _condition_ok(self, cond, parent, loc, path, what):
        if cond not in SCHEMA or SCHEMA[cond].kind in ("SCALAR", "ENUM"):
            self.error("No such type %s, so it can't be a fragment condition" % cond, loc, path,
                       "undefinedType")
            return False
        if not possible_types(cond) & possible_types(parent):
            self.error("%s %s can't be spread inside %s" % (what, cond, parent), loc, path,
                       "cannotSpreadFragment")
            return False
        return True

    def _validate_field(self, f, tname, path):
        fd = field_def(tname, f.name)
        here = path + [f.key]
        if fd is None:
            self.error("Field '%s' doesn't exist on type '%s'" % (f.name, tname), f.loc, here,
                       "undefinedField")
            return
        ftype, argdefs = fd
        for aname, value in f.args.items():
            if aname not in argdefs:
                self.error("Field '%s' doesn't accept argument '%s'" % (f.name, aname), f.loc,
                           here, "argumentNotAccepted")
            else:
                self._check_literal(value, argdefs[aname], f, aname, here)
        missing = [a for a, t in argdefs.items() if t[0] == "nonnull" and a not in f.args]
        if missing:
            self.error("Field '%s' is missing required arguments: %s" % (f.name, ", ".join(missing)),
                       f.loc, here, "missingRequiredArguments")
        inner = named(ftype)
        leaf = SCHEMA[inner].kind in ("SCALAR", "ENUM")
        if leaf and f.selections:
            self.error("Selections can't be made on scalars (field '%s' returns %s but has "
                       "selections)" % (f.name, type_str(ftype)), f.loc, here,
                       "selectionMismatch")
        elif not leaf and not f.selections:
            self.error("Field must have selections (field '%s' returns %s but has no "
                       "selections. Did you mean '%s { ... }'?)" % (f.name, type_str(ftype),
                                                                    f.name),
                       f.loc, here, "selectionMismatch")
        elif f.selections:
            self._validate_set(f.selections, inner, here)

    def _check_literal(self, value, atype, f, aname, path):
        kind = value[0]
        if kind == "var":
            self.used_vars.add(value[1])
            self.var_uses.append((value[1], atype, f, aname))
            return
        base = atype[1] if atype[0] == "nonnull" else atype
        if kind == "null":
            if atype[0] == "nonnull":
                self._bad_arg(f, aname, value, path)
            return
        if base[0] == "list":
            items = value[1] if kind == "list" else [value]
            for v in items:
                self._check_literal(v, base[1], f, aname, path)
            return
        t = SCHEMA[base[1]]
        ok = {"Int": kind == "int", "Float": kind in ("int", "float"),
              "Boolean": kind == "bool", "String": kind == "string",
              "ID": kind in ("string", "int")}.get(t.name, kind == "string")
        if t.kind == "ENUM":
            ok = kind == "enum" and value[1] in t.values
        if not ok:
            self._bad_arg(f, aname, value, path)

    def _bad_arg(self, f, aname, value, path):
        self.error("Argument '%s' on Field '%s' has an invalid value (%s). Expected type '%s'."
                   % (aname, f.name, _literal_text(value), type_str(field_def_arg(f, aname))),
                   f.loc, path, "argumentLiteralsIncompatible")

    # --- variables ---

    def _check_variables(self):
        declared = {v[0]: v for v in self.op.variables}
        for name, atype, f, aname in self.var_uses:
            if name not in declared:
                self.error("Variable $%s is used by %s but not declared" % (name, self._op_label()),
                           f.loc, None, "variableNotDefined")
                continue
            vtype = declared[name][1]
            if not _type_fits(vtype, declared[name][2], atype):
                self.error("Type mismatch on variable $%s and argument %s (%s / %s)"
                           % (name, aname, type_str(vtype), type_str(atype)), f.loc, None,
                           "variableMismatch")
        for name, vtype, default, loc in self.op.variables:
            if named(vtype) not in SCHEMA:
                self.error("%s isn't a defined input type (on $%s)" % (type_str(vtype), name), loc,
                           None, "variableRequiresValidType")
            elif name not in self.used_vars:
                self.error("Variable $%s is declared by %s but not used" % (name, self._op_label()),
                           loc, None, "variableNotUsed")

    def _coerce_variables(self, given):
        out = {}
        for name, vtype, default, loc in self.op.variables:
            if name in given:
                value = given[name]
            elif default is not None:
                value = literal_value(default, {})
            else:
                value = None
            out[name] = coerce(value, vtype, "Variable $%s of type %s" % (name, type_str(vtype)),
                               loc)
        return out

    # --- overlapping fields ---

    def _collect_typed(self, selections, tname, out):
        """Every field of a selection set with the type it is asked on, through all fragments."""
        for s in selections:
            if isinstance(s, Field):
                out.setdefault(s.key, []).append((tname, s))
            elif isinstance(s, InlineFragment):
                self._collect_typed(s.selections, s.type_condition or tname, out)
            else:
                frag = self.fragments[s.name]
                self._collect_typed(frag.selections, frag.type_condition, out)
        return out

    def _check_overlaps(self, sets):
        """Fields of one response name must not have different leaf types (IssueState vs
        PullRequestState), even on different object types: GitHub refuses that."""
        fields = {}
        for tname, selections in sets:
            self._collect_typed(selections, tname, fields)
        for key, found in fields.items():
            typed = []
            for parent, f in found:
                fd = field_def(parent, f.name)
                if fd:
                    typed.append((f, fd[0]))
            leaves = {}
            for f, t in typed:
                if SCHEMA[named(t)].kind in ("SCALAR", "ENUM"):
                    leaves.setdefault(named(t), type_str(t))
            if len(leaves) > 1:
                a, b = sorted(leaves.values())[:2]
                raise GraphQLError("Field '%s' has a field conflict: conflicting types %s and %s. "
                                   "Use different aliases on the fields to fetch both if this was "
                                   "intentional." % (key, a, b), found[0][1].loc,
                                   code="fieldConflict")
            subs = [(named(t), f.selections) for f, t in typed if f.selections]
            if subs:
                self._check_overlaps(subs)


def field_def_arg(f, aname):
    for t in SCHEMA.values():
        fd = t.fields.get(f.name)
        if fd and aname in fd[1]:
            return fd[1][aname]
    return ("named", "String")


def _literal_text(value):
    kind, v = value
    if kind == "string":
        return json.dumps(v)
    if kind == "list":
        return "[%s]" % ", ".join(_literal_text(x) for x in v)
    if kind == "null":
        return "null"
    if kind == "bool":
        return "true" if v else "false"
    return str(v)


def _type_fits(vtype, default, atype):
    """May a variable of type vtype be used where atype is expected?"""
    if atype[0] == "nonnull":
        if vtype[0] != "nonnull" and default is None:
            return False
        atype = atype[1]
    if vtype[0] == "nonnull":
        vtype = vtype[1]
    if atype[0] == "list":
        return vtype[0] == "list" and _type_fits(vtype[1], None, atype[1])
    return vtype[0] == "named" and vtype[1] == atype[1]


def coerce(value, t, what, loc):
    """A variable's JSON value as type t, or a GraphQLError."""
    if t[0] == "nonnull":
        if value is None:
            raise GraphQLError("%s was provided invalid value (Expected value to not be null)"
                               % what, loc, code="variableMismatch")
        return coerce(value, t[1], what, loc)
    if value is None:
        return None
    if t[0] == "list":
        items = value if isinstance(value, list) else [value]
        return [coerce(v, t[1], what, loc) for v in items]
    st = SCHEMA[t[1]]
    bad = GraphQLError("%s was provided invalid value (Could not coerce value %s to %s)"
                       % (what, json.dumps(value), t[1]), loc, code="variableMismatch")
    if st.kind == "ENUM":
        if not isinstance(value, str) or value not in st.values:
            raise GraphQLError("%s was provided invalid value (Expected \"%s\" to be one of: %s)"
                               % (what, value, ", ".join(st.values)), loc, code="variableMismatch")
        return value
    if st.name == "Int":
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2 ** 31 - 1:
            raise bad
        return value
    if st.name == "Boolean":
        if not isinstance(value, bool):
            raise bad
        return value
    if st.name == "Float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad
        return value
    if not isinstance(value, str):
        if st.name == "ID" and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise bad
    return value


def literal_value(value, variables):
    kind, v = value
    if kind == "var":
        return variables.get(v)
    if kind == "list":
        return [literal_value(x, variables) for x in v]
    if kind == "object":
        return {k: literal_value(x, variables) for k, x in v.items()}
    return v


# ---------------------------------------------------------------------------
# Cost and node count


class Limits:
    """The requests (for the cost) and possible nodes of a query, and its pagination errors.

    Where a selection can be of several types (a union, an interface: search results,
    timeline items), what the fragments of one type ask for is counted for each type
    and the most any type asks for is taken, as graphql-ruby (GitHub's server) counts
    the complexity of abstract types."""

    def __init__(self, doc):
        self.doc = doc
        self.requests, self.nodes = self._walk(doc.op.selections, "Query", 1, [])

    def cost(self):
        return max(1, int(math.floor(self.requests / 100.0 + 0.5)))

    def _fields(self, selections, tname, out):
        """The fields of selections that apply to an object of type tname."""
        for s in selections:
            if isinstance(s, Field):
                out.append(s)
            elif isinstance(s, InlineFragment):
                if s.type_condition is None or tname in possible_types(s.type_condition):
                    self._fields(s.selections, tname, out)
            else:
                f = self.doc.fragments[s.name]
                if tname in possible_types(f.type_condition):
                    self._fields(f.selections, tname, out)
        return out

    def _walk(self, selections, tname, parents, path):
        # What a selection asks for grows with its parents: counted once per set and type.
        memo = self.__dict__.setdefault("_memo", {})
        key = (id(selections), tname)
        if key not in memo:
            best = (0, 0)
            for t in sorted(possible_types(tname)):
                requests = nodes = 0
                for f in self._fields(selections, t, []):
                    r, n = self._field(f, t, 1, path)
                    requests += r
                    nodes += n
                best = max(best, (requests, nodes))
            memo[key] = best
        return memo[key][0] * parents, memo[key][1] * parents

    def _field(self, f, tname, parents, path):
        fd = field_def(tname, f.name)
        if fd is None or not f.selections:
            return 0, 0
        inner = named(fd[0])
        here = path + [f.key]
        if not is_connection(inner):
            return self._walk(f.selections, inner, parents, here)
        n = self._page_size(f, inner, here)
        requests, nodes = self._walk(f.selections, inner, parents * n, here)
        return parents + requests, parents * n + nodes

    def _arg(self, f, name):
        v = f.args.get(name)
        return literal_value(v, self.doc.variables) if v is not None else None

    def _page_size(self, f, conn, path):
        first, last = self._arg(f, "first"), self._arg(f, "last")
        asked = self.doc._collect_typed(f.selections, conn, {})
        lists = "nodes" in asked or "edges" in asked or any(
            f2.name in ("nodes", "edges") for found in asked.values() for _, f2 in found)
        if first is None and last is None:
            if lists:
                raise GraphQLError("You must provide a `first` or `last` value to properly "
                                   "paginate the `%s` connection." % f.name, f.loc,
                                   "MISSING_PAGINATION_BOUNDARIES", path)
            return 0
        for arg, v in (("first", first), ("last", last)):
            if v is None:
                continue
            if v < 0:
                raise GraphQLError("`%s` on the `%s` connection cannot be less than zero."
                                   % (arg, f.name), f.loc, "INVALID_PAGINATION", path)
            if v > FIRST_MAX:
                raise GraphQLError("Requesting %d records on the `%s` connection exceeds the "
                                   "`%s` limit of %d records." % (v, f.name, arg, FIRST_MAX),
                                   f.loc, "EXCESSIVE_PAGINATION", path)
        return max(first or 0, last or 0)


# ---------------------------------------------------------------------------
# Execution


class Executor:
    """Runs a validated document against the root object."""

    def __init__(self, doc, root):
        self.doc = doc
        self.root = root
        self.errors = []
        self.collected = {}  # (type, selection sets) -> fields: the same for every object

    def run(self):
        return self.object(self.root, "Query", (self.doc.op.selections,), None)

    def collect(self, tname, selection_sets, out=None):
        out = {} if out is None else out
        for selections in selection_sets:
            for s in selections:
                if isinstance(s, Field):
                    out.setdefault(s.key, []).append(s)
                elif isinstance(s, InlineFragment):
                    if s.type_condition is None or tname in possible_types(s.type_condition):
                        self.collect(tname, [s.selections], out)
                else:
                    frag = self.doc.fragments[s.name]
                    if tname in possible_types(frag.type_condition):
                        self.collect(tname, [frag.selections], out)
        return out

    def plan(self, tname, selection_sets):
        """What to resolve on an object of type tname: (key, field name, type, args,
        sub-selections, leaf, field), the same for every object of that type under those
        selections (a tuple, whose identity keys the plans of the objects below)."""
        memo = (tname, id(selection_sets))
        plan = self.collected.get(memo)
        if plan is None:
            plan = []
            for key, fields in self.collect(tname, selection_sets).items():
                f = fields[0]
                ftype = field_def(tname, f.name)[0]
                args = {k: literal_value(v, self.doc.variables) for k, v in f.args.items()}
                subs = tuple(x.selections for x in fields if x.selections)
                base = ftype[1] if ftype[0] == "nonnull" else ftype
                leaf = base[0] == "named" and SCHEMA[base[1]].kind in ("SCALAR", "ENUM")
                plan.append((key, f.name, ftype, args, subs, leaf, f))
            self.collected[memo] = (selection_sets, plan)  # keeps the tuple alive: its id is ours
        else:
            plan = plan[1]
        return plan

    @staticmethod
    def path_of(path):
        """A path kept as nested (parent, key) pairs, as the list an error carries."""
        out = []
        while path is not None:
            path, key = path
            out.append(key)
        return out[::-1]

    def object(self, obj, tname, selection_sets, path):
        out = {}
        for key, name, ftype, args, subs, leaf, f in self.plan(tname, selection_sets):
            if name == "__typename":
                out[key] = tname
                continue
            try:
                value = obj.get(name)
                if callable(value):
                    value = value(args)
            except GraphQLError as e:
                e.path = self.path_of((path, key))
                e.loc = e.loc or f.loc
                self.errors.append(e)
                value = None
            out[key] = value if leaf else self.complete(value, ftype, subs, (path, key))
        return out

    def complete(self, value, ftype, subs, path):
        if ftype[0] == "nonnull":
            ftype = ftype[1]
        if value is None:
            return None
        if isinstance(value, Unresolvable):
            self.errors.append(GraphQLError(value.message, type_="NOT_FOUND",
                                            path=self.path_of(path)))
            return None
        if ftype[0] == "list":
            return [self.complete(v, ftype[1], subs, (path, i)) for i, v in enumerate(value)]
        t = SCHEMA[ftype[1]]
        if t.kind in ("SCALAR", "ENUM"):
            return value
        runtime = value.get("__typename", t.name)
        return self.object(value, runtime, subs, path)


# ---------------------------------------------------------------------------
# The corpus as GraphQL objects


def cursor_for(prefix, offset):
    return base64.b64encode(("%s:%d" % (prefix, offset)).encode()).decode()


def offset_of(prefix, cursor, field):
    if cursor is None:
        return 0
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        kind, _, n = text.rpartition(":")
        if kind == prefix and n.isdigit():
            return int(n)
    except (ValueError, UnicodeDecodeError):
        pass
    raise GraphQLError("`%s` does not appear to be a valid cursor." % cursor, type_="INVALID_CURSOR_ARGUMENTS")


def connection(items, args, prefix, build=None):
    """A connection over a Python list: first/after (and last/before) with cursors; build, if
    given, makes the nodes of the items returned (so a long list costs only its page)."""
    start = offset_of(prefix, args.get("after"), "after")
    end = len(items)
    if args.get("before") is not None:
        end = min(end, offset_of(prefix, args.get("before"), "before"))
    window = list(range(start, max(start, end)))
    if args.get("first") is not None:
        window = window[:args["first"]]
    if args.get("last") is not None:
        window = window[-args["last"]:] if args["last"] else []
    nodes = [build(items[i]) if build else items[i] for i in window]
    return {
        "totalCount": len(items),
        "nodes": nodes,
        "edges": lambda a: [{"cursor": cursor_for(prefix, i + 1), "node": n}
                            for i, n in zip(window, nodes)],
        "pageInfo": {
            "hasNextPage": bool(window) and window[-1] + 1 < end,
            "hasPreviousPage": bool(window) and window[0] > 0,
            "startCursor": cursor_for(prefix, window[0] + 1) if window else None,
            "endCursor": cursor_for(prefix, window[-1] + 1) if window else None,
        },
    }


def actor(user):
    """A REST user as a GraphQL Actor: ghost is null, "name[bot]" a Bot "name"."""
    if not user or user.get("login") in (None, "ghost"):
        return None
    login = user["login"]
    if user.get("type") == "Bot" or login.endswith("[bot]"):
        return {"__typename": "Bot", "login": login[:-5] if login.endswith("[bot]") else login,
                "url": corpusmod.WEB + "/apps/" + login, "databaseId": user.get("id"),
                "id": "BOT_" + str(user.get("id"))}
    return {"__typename": "User", "login": login, "url": user.get("html_url"),
            "databaseId": user.get("id"), "id": user.get("node_id"), "name": None}


def repo_ref(full_name):
    owner, name = full_name.split("/", 1)
    r = corpusmod.repository(full_name)
    return {"__typename": "Repository", "nameWithOwner": full_name, "name": name,
            "id": r["node_id"], "databaseId": r["id"], "url": r["html_url"],
            "owner": {"__typename": "User", "login": owner}}


def subject(issue):
    """A REST issue object (a cross-reference source) as an Issue or PullRequest reference."""
    pr = issue.get("pull_request") if corpusmod.is_pull_request(issue) else None
    state = issue.get("state", "open").upper()
    if pr and state == "CLOSED" and pr.get("merged_at"):
        state = "MERGED"
    full = (issue.get("repository") or {}).get("full_name") or \
        issue["repository_url"].split("/repos/", 1)[1]
    return {"__typename": "PullRequest" if pr else "Issue", "number": issue["number"],
            "title": issue.get("title", ""), "url": issue.get("html_url"), "state": state,
            "mergedAt": pr.get("merged_at") if pr else None, "repository": repo_ref(full),
            "id": issue.get("node_id")}


def _label(l):
    return {"__typename": "Label", "id": l.get("node_id"), "name": l["name"],
            "color": l.get("color", "ededed"), "description": l.get("description"),
            "isDefault": bool(l.get("default"))}


def _commit(sha1, repo, **extra):
    c = {"__typename": "Commit", "oid": sha1, "id": "C_" + sha1[:16],
         "url": "%s/%s/commit/%s" % (corpusmod.WEB, repo, sha1), "repository": repo_ref(repo)}
    c.update(extra)
    return c


def _commit_repo(ev, default):
    """The repository of a REST event's commit_url (a fork, maybe), or default."""
    url = ev.get("commit_url") or ""
    if "/repos/" in url:
        parts = url.split("/repos/", 1)[1].split("/")
        if len(parts) >= 2:
            return parts[0] + "/" + parts[1]
    return default


def _closer(ev, it, fx):
    """What closed an issue with a commit_id: the merged pull request the commit came
    from (as REST's /commits/SHA/pulls tells), else the commit."""
    sha1 = ev.get("commit_id")
    if not sha1:
        return None
    repo = _commit_repo(ev, it.repo)
    pr = fx.closer(repo, sha1, ev) if fx else None
    if pr is not None:
        number, title, merged_at = pr
        return {"__typename": "PullRequest", "number": number,
                "url": "%s/%s/pull/%d" % (corpusmod.WEB, repo, number), "state": "MERGED",
                "mergeCommit": _commit(sha1, repo), "repository": repo_ref(repo),
                "title": title, "mergedAt": merged_at}
    return _commit(sha1, repo)


def _connected_pr(ev, it):
    """The pull request a REST "connected" event (which does not say) links."""
    n, merged = corpusmod.connected_pull(ev)
    return {"__typename": "PullRequest", "number": n, "title": "Fix for #%d" % it.number,
            "url": "%s/%s/pull/%d" % (corpusmod.WEB, it.repo, n),
            "state": "MERGED" if merged else "OPEN",
            "mergedAt": ev.get("created_at") if merged else None,
            "repository": repo_ref(it.repo), "id": "PR_connected%d" % n}


def _git_actor(p):
    return {"name": p.get("name"), "email": p.get("email"), "date": p.get("date")}


# What GraphQL's pull request timelines have and REST's do not (a client drops them).
NOT_IN_REST = ("PullRequestRevisionMarker", "BaseRefChangedEvent")

_REST_TYPES = {
    "_revision_marker": "PullRequestRevisionMarker", "_base_ref_changed": "BaseRefChangedEvent",
    "commented": "IssueComment", "cross-referenced": "CrossReferencedEvent",
    "committed": "PullRequestCommit", "reviewed": "PullRequestReview",
    "line-commented": "PullRequestReviewThread", "commit-commented":
    "PullRequestCommitCommentThread", "renamed": "RenamedTitleEvent",
}


def graphql_type(event):
    """The GraphQL type of a REST timeline event name."""
    if event in _REST_TYPES:
        return _REST_TYPES[event]
    return "".join(w.capitalize() for w in event.split("_")) + "Event"


def item(ev, it, fx=None):
    """A REST timeline event of issue it as the GraphQL timeline item; fx (fixes.py's
    Fixes) says which pull request a closing commit came from."""
    kind = ev["event"]
    t = graphql_type(kind)
    node = {"__typename": t, "id": ev.get("node_id") or "E_x%s" % corpusmod.sha(json.dumps(ev))[:12]}
    if t not in SCHEMA:
        raise ValueError("no GraphQL type for REST event %r" % kind)
    fields = SCHEMA[t].fields
    if "actor" in fields:
        node["actor"] = actor(ev.get("actor"))
    if "createdAt" in fields:
        node["createdAt"] = ev.get("created_at")
    if "databaseId" in fields:
        node["databaseId"] = ev.get("id")
    if "fullDatabaseId" in fields:
        node["fullDatabaseId"] = str(ev["id"]) if ev.get("id") is not None else None
    fill = _FILL.get(t)
    if fill:
        fill(node, ev, it, fx)
    return node


def _fill_comment(node, ev, it, fx):
    node.update(author=actor(ev.get("user")), body=ev.get("body", ""),
                updatedAt=ev.get("updated_at"), url=ev.get("html_url"))


def _fill_closed(node, ev, it, fx):
    node.update(closer=_closer(ev, it, fx), stateReason=(ev.get("state_reason") or "").upper() or None,
                url="%s/%s/issues/%d#event-%s" % (corpusmod.WEB, it.repo, it.number, ev.get("id")))


def _fill_referenced(node, ev, it, fx):
    sha1 = ev.get("commit_id")
    where = _commit_repo(ev, it.repo)
    node.update(commit=_commit(sha1, where) if sha1 else None, commitRepository=repo_ref(where),
                isCrossRepository=where.lower() != it.repo.lower(), isDirectReference=True,
                subject=None)


def _fill_cross(node, ev, it, fx):
    src = ev["source"]["issue"]
    node.update(source=subject(src), referencedAt=ev.get("created_at"),
                isCrossRepository=subject(src)["repository"]["nameWithOwner"].lower() != it.repo.lower(),
                willCloseTarget=False, url=src.get("html_url"), target=None)


def _self_subject(it):
    return {"__typename": "PullRequest" if it.is_pr else "Issue", "number": it.number,
            "title": it.title, "url": "%s/%s/%s/%d" % (corpusmod.WEB, it.repo,
                                                      "pull" if it.is_pr else "issues", it.number),
            "state": "CLOSED" if it.closed else "OPEN", "mergedAt": None,
            "repository": repo_ref(it.repo)}


def _fill_connected(node, ev, it, fx):
    node.update(isCrossRepository=False, source=_self_subject(it), subject=_connected_pr(ev, it))


def _fill_label(node, ev, it, fx):
    l = ev.get("label") or {}
    node["label"] = _label({"name": l.get("name"), "color": l.get("color"),
                            "node_id": "LA_" + corpusmod.sha(it.repo + str(l.get("name")))[:10]})


def _fill_assigned(node, ev, it, fx):
    node["assignee"] = actor(ev.get("assignee"))


def _fill_renamed(node, ev, it, fx):
    r = ev.get("rename") or {}
    node.update(previousTitle=r.get("from", ""), currentTitle=r.get("to", ""))


def _fill_milestone(node, ev, it, fx):
    node["milestoneTitle"] = (ev.get("milestone") or {}).get("title", "")


def _fill_reopened(node, ev, it, fx):
    node["stateReason"] = "REOPENED"


def _fill_merged(node, ev, it, fx):
    sha1 = ev.get("commit_id")
    node.update(commit=_commit(sha1, it.repo) if sha1 else None, mergeRefName="main",
                url="%s/%s/pull/%d#event-%s" % (corpusmod.WEB, it.repo, it.number, ev.get("id")))


def _fill_committed(node, ev, it, fx):
    node.update(commit=_commit(ev["sha"], it.repo, message=ev.get("message", ""),
                               author=_git_actor(ev.get("author") or {}),
                               committer=_git_actor(ev.get("committer") or {}),
                               committedDate=(ev.get("committer") or {}).get("date")),
                url=ev.get("html_url"), id=ev.get("node_id"))


def _fill_reviewed(node, ev, it, fx):
    sha1 = ev.get("commit_id")
    node.update(author=actor(ev.get("user")), body=ev.get("body", ""),
                state=(ev.get("state") or "commented").upper(), submittedAt=ev.get("submitted_at"),
                createdAt=ev.get("submitted_at"), url=ev.get("html_url"),
                commit=_commit(sha1, it.repo) if sha1 else None)


def _fill_head_ref(node, ev, it, fx):
    node["headRefName"] = "fix-%d" % it.number


def _thread_comments(ev, it, typename):
    """REST's "comments" of a line-commented or commit-commented event, as GraphQL nodes."""
    return [{"__typename": typename, "id": c.get("node_id"), "databaseId": c.get("id"),
             "author": actor(c.get("user")), "body": c.get("body", ""),
             "createdAt": c.get("created_at"), "path": c.get("path"),
             "commit": _commit(c["commit_id"], it.repo) if c.get("commit_id") else None}
            for c in ev.get("comments", [])]


def _fill_review_thread(node, ev, it, fx):
    comments = _thread_comments(ev, it, "PullRequestReviewComment")
    node.update(isResolved=False, path=(ev.get("comments") or [{}])[0].get("path") or "",
                comments=lambda a: connection(comments, a, "thread:%s" % node["id"]))


def _fill_commit_thread(node, ev, it, fx):
    comments = _thread_comments(ev, it, "CommitComment")
    node.update(commit=_commit(ev["commit_id"], it.repo), path=None,
                comments=lambda a: connection(comments, a, "thread:%s" % node["id"]))


_FILL = {
    "IssueComment": _fill_comment, "ClosedEvent": _fill_closed,
    "ReferencedEvent": _fill_referenced, "CrossReferencedEvent": _fill_cross,
    "ConnectedEvent": _fill_connected, "DisconnectedEvent": _fill_connected,
    "LabeledEvent": _fill_label, "UnlabeledEvent": _fill_label,
    "AssignedEvent": _fill_assigned, "UnassignedEvent": _fill_assigned,
    "RenamedTitleEvent": _fill_renamed, "MilestonedEvent": _fill_milestone,
    "DemilestonedEvent": _fill_milestone, "ReopenedEvent": _fill_reopened,
    "MergedEvent": _fill_merged, "PullRequestCommit": _fill_committed,
    "PullRequestReview": _fill_reviewed, "HeadRefDeletedEvent": _fill_head_ref,
    "PullRequestReviewThread": _fill_review_thread,
    "PullRequestCommitCommentThread": _fill_commit_thread,
}


class Served:
    """The objects of one request: the corpus seen through GraphQL."""

    def __init__(self, fake, rest, state):
        self.fake = fake
        self.rest = rest
        self.corpus = fake.corpus
        self.state = state  # the rate limit as rateLimit reports it
        self.numbers = []   # the issues whose nodes this request built (for the log)
        self.threads = 0    # the threads it resolved by id

    def root(self):
        return {"rateLimit": lambda a: self.state, "search": self.search,
                "repository": self.repository, "node": lambda a: self.node(a["id"]),
                "nodes": lambda a: [self.node(i, raise_=False) for i in a["ids"]],
                "__type": lambda a: introspect(a["name"])}

    # --- nodes by id: the review and commit threads of timelines ---

    def node(self, node_id, raise_=True):
        m = re.match(r"^(PRRT|CCE)_fake(\d+)$", node_id or "")
        found = None
        if m:
            eid = int(m.group(2))
            number = (eid - 2000000000) // 10000
            for repo, issues in self.corpus.repos.values():
                it = issues.get(number)
                if it is None or it.gone:
                    continue
                for ev in self.corpus.timeline(it):
                    if ev.get("node_id") == node_id:
                        found = item(ev, it, self.fake.fixes)
                        self.threads += 1
                        break
                if found:
                    break
        if found is None and raise_:
            raise GraphQLError("Could not resolve to a node with the global id of '%s'"
                               % node_id, type_="NOT_FOUND")
        return found

    # --- search ---

    def search(self, args):
        if args["type"] != "ISSUE":
            return connection([], args, "cursor")
        words, sort = [], None
        for tok in args["query"].split():
            if tok.lower().startswith("sort:"):
                sort = tok[5:].lower()
            else:
                words.append(tok)
        try:
            query = self.rest.Query(" ".join(words))
        except self.rest.BadQuery as e:
            raise GraphQLError("Invalid search query: %s" % e)
        entry = self.corpus.repo(query.repo) if query.repo else None
        items = [it for it in query.candidates(self.corpus, entry[0])
                 if not it.gone and query.matches(it)] if entry else []
        items.sort(key=self._sort_key(sort), reverse=not (sort or "").endswith("-asc"))
        reachable = items[:self.fake.search_cap]
        conn = connection(reachable, args, "cursor", self.issue_node)
        conn["issueCount"] = len(items)
        for k in ("codeCount", "discussionCount", "repositoryCount", "userCount", "wikiCount"):
            conn[k] = 0
        return conn

    @staticmethod
    def _sort_key(sort):
        field = (sort or "").rsplit("-", 1)[0]
        if field == "created":
            return lambda it: (it.created, it.number)
        if field == "updated":
            return lambda it: (it.updated_at(), it.number)
        if field == "comments":
            return lambda it: (it.comment_count(), it.number)
        return lambda it: it.number  # best match, as the REST side

    # --- repository ---

    def repository(self, args):
        full = "%s/%s" % (args["owner"], args["name"])
        entry = self.corpus.repo(full)
        if not entry:
            raise GraphQLError("Could not resolve to a Repository with the name '%s'." % full,
                               type_="NOT_FOUND")
        r = repo_ref(entry[0])
        r["issue"] = lambda a: self.by_number(entry[0], a["number"], "Issue")
        r["pullRequest"] = lambda a: self.by_number(entry[0], a["number"], "PullRequest")
        r["issueOrPullRequest"] = lambda a: self.by_number(entry[0], a["number"], None)
        return r

    def by_number(self, repo, number, want):
        it = self.corpus.issue(repo, number)
        kind = None if it is None else ("PullRequest" if it.is_pr else "Issue")
        if it is None or number in self.fake.gone or it.gone == "deleted" or \
                (want and kind != want):
            raise GraphQLError("Could not resolve to %s with the number of %d."
                               % ({"Issue": "an Issue", "PullRequest": "a PullRequest"}
                                  .get(want, "an issue or pull request"), number),
                               type_="NOT_FOUND")
        if it.gone == "transferred":
            # GitHub follows a transferred issue to where it lives now, as REST's 301 does.
            return self.issue_node(it, *self.fake.moved_to(it))
        return self.issue_node(it)

    # --- issues ---

    def issue_node(self, it, repo=None, number=None):
        self.numbers.append(it.number)
        if it.number in self.fake.gone:
            return Unresolvable("Could not resolve to an Issue with the number of %d." % it.number)
        rest = self.corpus.issue_json(it, repo, number)
        pr = rest.get("pull_request") if it.is_pr else None  # not the older API's null one
        node = {
            "__typename": "PullRequest" if pr else "Issue", "id": rest["node_id"],
            "databaseId": rest["id"], "fullDatabaseId": str(rest["id"]),
            "number": rest["number"], "title": rest["title"], "body": rest["body"] or "",
            "url": rest["html_url"], "createdAt": rest["created_at"],
            "updatedAt": rest["updated_at"], "closedAt": rest["closed_at"],
            "closed": rest["state"] == "closed", "author": actor(rest["user"]),
            "repository": repo_ref(repo or it.repo),
            "comments": lambda a: connection([None] * rest["comments"], a, "comments"),
            "labels": lambda a: connection([_label(l) for l in rest["labels"]], a, "labels"),
            "timelineItems": lambda a: self.timeline(it, a),
        }
        if pr:
            merged = bool(pr.get("merged_at"))
            node.update(state="MERGED" if merged else rest["state"].upper(), merged=merged,
                        mergedAt=pr.get("merged_at"), mergeCommit=None)
        else:
            node.update(state=rest["state"].upper(),
                        stateReason=(rest.get("state_reason") or "").upper() or None)
        return node

    def timeline(self, it, args):
        events = self.corpus.timeline(it)
        if it.is_pr and it.number % 4 == 0 and events:
            # What GraphQL has and the REST timeline lacks: a client must drop it.
            events = list(events)
            events.insert(len(events) // 2, {"event": "_revision_marker",
                                             "created_at": events[0].get("created_at")})
            if it.number % 8 == 0:
                events.insert(1, {"event": "_base_ref_changed", "id": it.number,
                                  "created_at": events[0].get("created_at"),
                                  "actor": events[0].get("actor")})
        types = args.get("itemTypes")
        if types is not None:
            wanted = set(types)
            events = [ev for ev in events if _enum_name(graphql_type(ev["event"])) in wanted]
        fx = self.fake.fixes
        conn = connection(events, args, "timeline:%d" % it.number, lambda ev: item(ev, it, fx))
        conn.update(filteredCount=len(events), pageCount=len(conn["nodes"]),
                    updatedAt=corpusmod.iso(it.updated_at()))
        return conn


class Unresolvable:
    """A search result whose issue was deleted after GitHub indexed it: null and NOT_FOUND."""

    def __init__(self, message):
        self.message = message


# ---------------------------------------------------------------------------
# The endpoint


class Endpoint:
    """POST /graphql of one fake server: limits, faults, and the answer."""

    def __init__(self, fake, args, rest):
        self.fake = fake
        self.rest = rest  # server.py: Reply, Query, BadQuery, parse_spec
        self.timeout_nodes = args.gql_timeout_nodes
        self.node_limit = args.gql_node_limit
        self.ppartial = args.gql_ppartial
        self.rate_limited = {}
        self.timeouts = 0
        self.documents = {}
        if args.gql_rate_limited:
            self.config({"gql_rate_limited": args.gql_rate_limited})

    def config(self, req):
        for k, v in req.items():
            if k == "gql_timeout_nodes":
                self.timeout_nodes = int(v)
            elif k == "gql_node_limit":
                self.node_limit = int(v)
            elif k == "gql_ppartial":
                self.ppartial = float(v)
            elif k == "gql_rate_limited":
                self.rate_limited = self.rest.parse_spec(v)
            elif k == "graphql_limit":
                self.fake.buckets["graphql"].limit = int(v)

    def answer(self, body, auth, index, now, draw, info):
        """The Reply to a GraphQL request; info (the log entry) gets what happened."""
        info["kind"] = "graphql"
        if auth == "none":
            return self.rest.Reply(401, {"message": "This endpoint requires you to be authenticated.",
                                      "documentation_url": DOCS + "/guides/forming-calls-with-graphql"
                                                           "#authenticating-with-graphql"})
        try:
            req = json.loads(body.decode("utf-8") if body else "")
        except (ValueError, UnicodeDecodeError):
            return self.rest.Reply(400, {"message": "Problems parsing JSON",
                                      "documentation_url": DOCS})
        if not isinstance(req, dict) or not isinstance(req.get("query"), str):
            return self.rest.Reply(200, {"errors": [{"message": "A query attribute must be "
                                                             "specified and must be a string."}]})
        variables = req.get("variables") or {}
        if isinstance(variables, str):
            try:
                variables = json.loads(variables)
            except ValueError:
                variables = None
        if not isinstance(variables, dict):
            return self.rest.Reply(200, {"errors": [{"message": "Variables are invalid JSON."}]})
        return self._run(req["query"], variables, req.get("operationName"), index, now, draw,
                         info)

    def _document(self, text, variables, op_name):
        """The request's Document: a client sends the same texts again and again, so each
        is parsed and validated once; only its variables are coerced every time."""
        key = (text, op_name)
        doc = self.documents.get(key)
        if doc is None:
            doc = Document(text, None, op_name)
            if len(self.documents) > 256:
                self.documents.clear()
            self.documents[key] = doc
        if doc.errors:
            return doc
        doc = copy.copy(doc)
        doc.variables = doc._coerce_variables(variables or {})
        return doc

    def _run(self, text, variables, op_name, index, now, draw, info):
        bucket = self.fake.buckets["graphql"]
        try:
            doc = self._document(text, variables, op_name)
            if doc.errors:
                info["gql"] = "invalid"
                return self.rest.Reply(200, {"errors": [e.to_json() for e in doc.errors]})
            limits = Limits(doc)
        except GraphQLError as e:
            info["gql"] = "invalid"
            return self.rest.Reply(200, {"errors": [e.to_json()]})
        cost = limits.cost()
        info.update(op=doc.op.name, cost=cost, nodes=limits.nodes)
        if limits.nodes > self.node_limit:
            info["gql"] = "node-limit"
            return self.rest.Reply(200, {"errors": [{
                "type": "MAX_NODE_LIMIT_EXCEEDED",
                "message": "This query requests up to %s possible nodes which exceeds the "
                           "maximum limit of %s." % (format(limits.nodes, ","),
                                                     format(self.node_limit, ","))}]})
        if index in self.rate_limited:
            bucket.used = bucket.limit
            bucket.reset = int(math.ceil(now + (self.rate_limited[index] or 2)))
        if bucket.limit - bucket.used < cost:
            info["gql"] = "rate-limited"
            r = self.rest.Reply(200, {"errors": [{
                "type": "RATE_LIMITED",
                "message": "API rate limit already exceeded for user ID 1."}]})
            r.fault = "rate-limited" if index in self.rate_limited else None
            return r
        bucket.used += cost
        if self.timeout_nodes and limits.nodes > self.timeout_nodes:
            return self._timeout(info)
        state = {"cost": cost, "limit": bucket.limit, "remaining": bucket.limit - bucket.used,
                 "used": bucket.used, "resetAt": corpusmod.iso(bucket.reset),
                 "nodeCount": limits.nodes}
        return self._execute(doc, state, draw, info)

    def _timeout(self, info):
        self.timeouts += 1
        info["gql"] = "timeout"
        if self.timeouts % 2:
            r = self.rest.Reply(502, {"data": None, "errors": [{
                "message": "We couldn't respond to your request in time. Sorry about that. Please "
                           "try resubmitting your request and contact us if the problem persists."}]})
        else:
            r = self.rest.Reply(200, {"data": None, "errors": [{
                "message": "Something went wrong while executing your query. This may be the "
                           "result of a timeout, or it could be a GitHub bug. Please include "
                           "`0000:FAKE:TIMEOUT` when reporting this issue."}]})
        r.fault = "gql-timeout"
        return r

    def _execute(self, doc, state, draw, info):
        served = Served(self.fake, self.rest, state)
        ex = Executor(doc, served.root())
        data = ex.run()
        info.update(numbers=served.numbers, threads=served.threads)
        errors = [e.to_json() for e in ex.errors]
        fault = None
        if draw < self.ppartial and self._drop_timeline(data, errors, draw):
            fault = "gql-partial"
        if not errors:
            info["gql"] = "ok"
        else:
            info["gql"] = "not-found" if all(e.get("type") == "NOT_FOUND" for e in errors) \
                else "partial"
        body = {"data": data}
        if errors:
            body["errors"] = errors
        r = self.rest.Reply(200, body)
        r.fault = fault
        return r

    @staticmethod
    def _drop_timeline(data, errors, draw):
        """Partial data: one timelineItems of the answer is null, with an error at its path."""
        paths = []

        def walk(v, path):
            if isinstance(v, dict):
                for k, x in v.items():
                    if k == "timelineItems" and x is not None:
                        paths.append(path + [k])
                    else:
                        walk(x, path + [k])
            elif isinstance(v, list):
                for i, x in enumerate(v):
                    walk(x, path + [i])

        walk(data, [])
        if not paths:
            return False
        path = paths[int(draw * 7919) % len(paths)]
        holder = data
        for k in path[:-1]:
            holder = holder[k]
        holder[path[-1]] = None
        errors.append({"type": "SERVICE_UNAVAILABLE", "path": path,
                       "message": "The timeline could not be loaded. Please try again."})
        return True
