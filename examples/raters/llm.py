#!/usr/bin/env python3
"""llm.py - an external rater for issuemine that asks a language model.

    export ISSUEMINE_LLM_URL=https://api.openai.com/v1/chat/completions
    export ISSUEMINE_LLM_MODEL=gpt-4o-mini
    export ISSUEMINE_LLM_KEY=sk-...            # never on the command line: issuemine stores that
    issuemine code --sample study --rater gpt4o-mini --with 'python3 examples/raters/llm.py' -j 4

It reads the document issuemine writes on standard input (protocol format 1:
"EXTERNAL RATERS" in the man page), sends the codebook and the issue to an
OpenAI-compatible chat completions endpoint (OpenAI, Azure OpenAI's v1 API,
vLLM, llama.cpp's server, Ollama's /v1, ...), and writes the model's answer
on standard output. issuemine checks the answer as it checks a CSV row and
records anything wrong; this script only turns the model's reply into the
protocol's shape. Python 3's standard library only.

Environment:
  ISSUEMINE_LLM_URL         the chat completions URL (required)
  ISSUEMINE_LLM_MODEL       the model (required)
  ISSUEMINE_LLM_KEY         sent as "Authorization: Bearer KEY" (optional)
  ISSUEMINE_LLM_MAX_CHARS   how much of the issue to send (default 24000): the
                            body, comments and fixes are cut to fit, the
                            codebook always goes whole
  ISSUEMINE_LLM_TEMPERATURE default 0, for answers as repeatable as the model allows
  ISSUEMINE_LLM_JSON_MODE   1 (default) asks for a JSON object
                            (response_format); 0 for servers that lack it
  ISSUEMINE_LLM_TIMEOUT     seconds per request (default 100; keep it under
                            issuemine's --timeout)
  ISSUEMINE_LLM_RETRIES     attempts on 429 and 5xx answers (default 3)

A failed request exits non-zero with the reason on standard error:
issuemine records it for that issue, and a rerun asks again. What the
model said is kept whole in issuemine's rater_answers table, with the
model and token counts under "meta".

For a paper: record the model and its version, the date, the prompt (this
file, at the commit you ran), the temperature, and how many answers failed
and were retried; report agreement with "issuemine agree --against".
"""
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request

PROMPT = """You are a rater in a failure analysis of GitHub issues (a software \
engineering study). Code the issue against the codebook below: for every \
dimension choose exactly one category (by its key) and, where the category \
has sub-categories, the one that fits. If the issue must not be coded (the \
codebook's exclusion reasons say when), exclude it instead. Base your \
decision on the issue, its discussion and its fix. Judge independently.

Answer with one JSON object and nothing else:
{"codes": {"DIMENSION_KEY": {"category": "CATEGORY_KEY", "subcategory": "SUB_KEY or null", \
"confidence": 0.0-1.0}, ...}, "note": "one or two sentences: why", "exclusion": null}
or, to exclude the issue:
{"exclusion": {"reason": "REASON_KEY", "note": "why"}, "note": "why"}
"""


def env(name, default=None, required=False):
    value = os.environ.get(name, default)
    if required and not value:
        sys.exit("llm.py: set %s (see the top of examples/raters/llm.py)" % name)
    return value


def codebook(tax):
    """The taxonomy as plain text, every definition included."""
    lines = ["Codebook: %s" % (tax.get("title") or tax["name"])]
    if tax.get("description"):
        lines.append(tax["description"])
    for dim in tax["dimensions"]:
        rule = dim.get("subcategory", "absent")
        lines.append("")
        lines.append("Dimension %s (%s), sub-categories %s:" % (dim["key"], dim["name"], rule))
        if dim.get("description"):
            lines.append("  " + dim["description"])
        for cat in dim["categories"]:
            lines.append("- %s (%s): %s" % (cat["key"], cat["name"], cat.get("definition", "")))
            for sub in cat.get("subcategories") or []:
                lines.append("    - %s (%s): %s" % (sub["key"], sub["name"], sub.get("definition", "")))
    lines.append("")
    lines.append("Exclusion reasons:")
    for r in tax.get("exclusions") or []:
        lines.append("- %s (%s): %s" % (r["key"], r["name"], r.get("definition", "")))
    return "\n".join(lines)


def cut(text, budget):
    if len(text) <= budget:
        return text
    return text[:max(budget - 20, 0)] + "\n[... cut ...]"


def issue_text(doc, max_chars):
    """The issue, its discussion and its fixes, cut to max_chars (the body first)."""
    issue = doc["issue"]
    head = "Issue %s: %s\nState: %s; labels: %s; opened %s, closed %s\nURL: %s\n" % (
        issue["ref"], issue.get("title") or "", issue.get("state") or "",
        ", ".join(issue.get("labels") or []) or "none", issue.get("created_at"),
        issue.get("closed_at"), issue.get("url"))
    body = "\nBody:\n" + (issue.get("body") or "(empty)") + "\n"
    events = []
    for e in doc.get("timeline") or []:
        if e.get("body"):
            events.append("\n[%s by %s at %s]\n%s" % (e["event"], e.get("actor"), e.get("created_at"), e["body"]))
        elif e.get("event") in ("closed", "referenced") and e.get("commit_id"):
            events.append("\n[%s by commit %s]" % (e["event"], e["commit_id"][:12]))
        elif e.get("event") == "cross-referenced" and e.get("source"):
            s = e["source"]
            events.append("\n[referenced from %s#%s: %s]" % (s.get("repository"), s.get("number"), s.get("title")))
    fixes = []
    for c in ((doc.get("fixes") or {}).get("changes") or []):
        name = "%s#%s" % (c["repository"], c["number"]) if c.get("number") else "%s@%s" % (c["repository"], (c.get("sha") or "")[:12])
        fixes.append("\n[%s %s %s: %s]" % (c.get("role"), c.get("kind"), name, c.get("title")))
        for f in c.get("files") or []:
            fixes.append("  %s %s (+%s -%s)" % (f.get("status"), f.get("path"), f.get("additions"), f.get("deletions")))
            if f.get("patch"):
                fixes.append(f["patch"])
    budget = max_chars - len(head)
    body = cut(body, max(budget // 2, 2000))
    discussion = cut("".join(events), max(budget - len(body), 0) * 2 // 3)
    fix_text = cut("\n".join(fixes), max(budget - len(body) - len(discussion), 0))
    return head + body + ("\nDiscussion:" + discussion if discussion else "") + \
        ("\n\nFixes:" + fix_text if fix_text else "")


def build_request(doc):
    """The chat completions request for a document: (url, headers, JSON body)."""
    url = env("ISSUEMINE_LLM_URL", required=True)
    model = env("ISSUEMINE_LLM_MODEL", required=True)
    body = {
        "model": model,
        "temperature": float(env("ISSUEMINE_LLM_TEMPERATURE", "0")),
        "messages": [
            {"role": "system", "content": PROMPT + "\n" + codebook(doc["taxonomy"])},
            {"role": "user", "content": issue_text(doc, int(env("ISSUEMINE_LLM_MAX_CHARS", "24000")))},
        ],
    }
    if env("ISSUEMINE_LLM_JSON_MODE", "1") != "0":
        body["response_format"] = {"type": "json_object"}
    headers = {"Content-Type": "application/json", "User-Agent": "issuemine-llm-rater/1"}
    key = env("ISSUEMINE_LLM_KEY")
    if key:
        headers["Authorization"] = "Bearer " + key
    return url, headers, body


def post(url, headers, body):
    """The server's JSON answer; retries 429 and 5xx answers, honouring Retry-After."""
    data = json.dumps(body).encode()
    attempts = int(env("ISSUEMINE_LLM_RETRIES", "3"))
    timeout = float(env("ISSUEMINE_LLM_TIMEOUT", "100"))
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as e:
            if attempt == attempts or not (e.code == 429 or e.code >= 500):
                detail = e.read()[:300].decode("utf-8", "replace")
                sys.exit("llm.py: %s answered HTTP %d: %s" % (url, e.code, detail))
            wait = e.headers.get("Retry-After")
            time.sleep(min(float(wait) if wait and wait.replace(".", "", 1).isdigit() else 2 ** attempt, 60))
        except (urllib.error.URLError, TimeoutError) as e:
            if attempt == attempts:
                sys.exit("llm.py: %s: %s" % (url, getattr(e, "reason", e)))
            time.sleep(2 ** attempt)
    sys.exit("llm.py: no answer")


def answer_from(reply, model):
    """The protocol answer in a chat completion: the JSON object the model wrote."""
    try:
        content = reply["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        sys.exit("llm.py: the server's answer has no choices[0].message.content")
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", content, re.S)
    text = fenced.group(1) if fenced else content.strip()
    try:
        answer = json.loads(text)
    except ValueError:
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end < start:
            sys.exit("llm.py: the model wrote no JSON object: %r" % content[:200])
        answer = json.loads(text[start:end + 1])
    if not isinstance(answer, dict):
        sys.exit("llm.py: the model wrote %s, not a JSON object" % type(answer).__name__)
    # Members the protocol does not know would be refused: keep them under meta.
    known = {"codes", "note", "exclusion"}
    extra = {k: v for k, v in answer.items() if k not in known}
    answer = {k: v for k, v in answer.items() if k in known}
    answer["format"] = 1
    answer["meta"] = {"model": reply.get("model") or model, "usage": reply.get("usage")}
    if extra:
        answer["meta"]["extra"] = extra
    return answer


def main():
    doc = json.load(sys.stdin)
    if doc.get("format") != 1:
        sys.exit("llm.py: document format %r, expected 1" % doc.get("format"))
    url, headers, body = build_request(doc)
    json.dump(answer_from(post(url, headers, body), body["model"]), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
