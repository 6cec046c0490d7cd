#!/usr/bin/env python3
"""keyword.py - a rule-based external rater for issuemine: a baseline.

    issuemine code --sample study --rater keywords --with 'python3 examples/raters/keyword.py'

It reads the document issuemine writes on standard input (protocol format 1:
"EXTERNAL RATERS" in the man page) and writes one answer on standard output.
Python 3's standard library only; no network; the same document always gets
the same answer.

How it decides, per dimension of the taxonomy in the document:

  * every category gets a score: how often its keywords (regular
    expressions, ignoring case) occur in the issue's title, body, labels,
    comments and, when fixes were fetched, their titles and changed paths;
  * the category with the highest score wins (ties go to the taxonomy's
    order); a sub-category is chosen the same way among the winner's, and
    only when one of its keywords occurs (or the dimension requires one);
  * with no keyword at all it falls back to FALLBACK (or the dimension's
    first category), with confidence 0.1;
  * confidence is best / (best + second best + 1): 3 hits against none is
    0.75, a tie is below 0.5.

An issue whose labels say it is not a failure (EXCLUDE_LABELS) is excluded
with the taxonomy's first exclusion reason. The note says which keywords
decided, so a reconciler can see why.

RULES holds keywords for the ONNX converter taxonomy (onnx-converters, the
reference study's). For a category it has no rules for (another taxonomy),
the words of the category's key, name and aliases are its keywords, so it
runs on any codebook, crudely. Edit RULES to make it yours: it is the
baseline a language model or a trained classifier should beat.
"""
import json
import re
import sys

RULES = {
    "symptom": {
        "crash": [r"\berror\b", r"exception", r"traceback", r"segfault", r"crash", r"\bfail",
                  r"runtimeerror", r"assert", r"not supported", r"unsupported"],
        "wrong-model": [r"wrong (output|result|value)", r"incorrect", r"mismatch", r"differen",
                        r"accuracy", r"not (the )?same", r"\bnan\b"],
        "bad-performance": [r"\bslow", r"performance", r"out of memory", r"latency", r"speed"],
        "build-failure": [r"\binstall", r"\bbuild", r"compil", r"\bpip\b", r"modulenotfound",
                          r"importerror"],
        "hang": [r"\bhang", r"freez", r"\bstuck\b", r"deadlock", r"never (returns|finishes)"],
    },
    "location": {
        "load-model": [r"\bload", r"saved ?model", r"checkpoint", r"\.pb\b", r"from_pretrained"],
        "node-conversion": [r"symbolic", r"\bop(erator)?s?\b", r"opset", r"convert(ing)? (the )?node",
                            r"aten::", r"handler", r"onnx_op"],
        "optimization": [r"optimi[sz]", r"constant fold", r"\bpass(es)?\b", r"fusion", r"graph rewrite"],
        "export": [r"\bexport", r"serializ", r"protobuf", r"\.onnx\b", r"save"],
        "validation": [r"checker", r"validat", r"onnx\.checker", r"shape inference"],
    },
    "cause": {
        "incompatibility": [r"opset", r"version", r"not supported", r"unsupported", r"compatib",
                            r"onnxruntime", r"\bort\b"],
        "type-problem": [r"\bdtype", r"\btype\b", r"int64", r"float16", r"\bbool\b", r"cast"],
        "shape-problem": [r"\bshape", r"dimension", r"\brank\b", r"broadcast", r"reshape"],
        "api-misuse": [r"\bapi\b", r"argument", r"parameter", r"keyword"],
        "incorrect-numerical-computation": [r"precision", r"overflow", r"numer", r"round"],
        "misconfiguration": [r"config", r"\bflag\b", r"environment", r"setting"],
        "algorithmic-error": [r"\btrac(e|ing)\b", r"algorithm", r"\blogic\b"],
        "typo": [r"\btypo\b", r"misspell"],
        "documentation": [r"\bdocs?\b", r"documentation", r"docstring"],
        "testing": [r"\btests?\b", r"unit ?test"],
        "concurrency": [r"thread", r"race", r"concurren", r"parallel"],
        "incorrect-exception-handling": [r"exception handling", r"\bexcept\b", r"swallow"],
        "incorrect-assignment": [r"assign", r"wrong variable", r"initiali[sz]"],
    },
}

SUB_RULES = {
    ("cause", "incompatibility"): {
        "external": [r"onnxruntime", r"\bort\b", r"tensorflow", r"third.party", r"numpy"],
        "internal": [r"opset", r"symbolic", r"internal"],
        "resource": [r"memory", r"\bgpu\b", r"cuda", r"resource"],
    },
    ("cause", "type-problem"): {
        "tensor": [r"tensor"],
        "node": [r"\bnode\b", r"\bop\b"],
        "conventional": [r"int64", r"float", r"\bbool\b", r"string"],
    },
    ("cause", "algorithmic-error"): {
        "incorrect-tracing": [r"\btrac(e|ing)\b", r"jit"],
        "incorrect-optimization": [r"optimi[sz]", r"fold"],
    },
}

FALLBACK = {"symptom": "crash", "location": "not-distinguishable", "cause": "others"}

EXCLUDE_LABELS = [r"^question$", r"^feature", r"enhancement", r"^duplicate$", r"^invalid$"]


def text_of(doc):
    """The text the rules look at, in one lower-case string."""
    issue = doc["issue"]
    parts = [issue.get("title") or "", issue.get("body") or ""]
    parts += issue.get("labels") or []
    for event in doc.get("timeline") or []:
        if event.get("body"):
            parts.append(event["body"])
    fixes = doc.get("fixes") or {}
    for change in fixes.get("changes") or []:
        parts.append(change.get("title") or "")
        parts += [f.get("path") or "" for f in change.get("files") or []]
    return "\n".join(parts).lower()


def own_words(category):
    """Keywords of a category without rules: the words of its key, name and aliases."""
    words = set(re.split(r"[^a-z0-9]+", category["key"].lower()))
    for name in [category.get("name") or ""] + (category.get("aliases") or []):
        words |= set(re.split(r"[^a-z0-9]+", name.lower()))
    return [r"\b" + re.escape(w) for w in sorted(words) if len(w) > 2]


def score(patterns, text):
    hits = {}
    for p in patterns:
        n = len(re.findall(p, text))
        if n:
            hits[p] = n
    return sum(hits.values()), hits


def pick(candidates, rules, text):
    """(best category, its hits, confidence) among candidates (taxonomy order)."""
    scored = []
    for c in candidates:
        total, hits = score(rules.get(c["key"]) or own_words(c), text)
        scored.append((total, c, hits))
    ranked = sorted(scored, key=lambda s: -s[0])  # stable: ties keep taxonomy order
    best, second = ranked[0][0], ranked[1][0] if len(ranked) > 1 else 0
    if best == 0:
        return None, {}, 0.1
    return ranked[0][1], ranked[0][2], round(best / (best + second + 1), 2)


def code_dimension(dim, text):
    cats = dim["categories"]
    cat, hits, confidence = pick(cats, RULES.get(dim["key"], {}), text)
    if cat is None:
        key = FALLBACK.get(dim["key"])
        cat = next((c for c in cats if c["key"] == key), cats[0])
    code = {"category": cat["key"], "confidence": confidence}
    why = "%s: %s" % (dim["key"], cat["key"])
    if hits:
        why += " (" + ", ".join("'%s' x%d" % (p.replace("\\b", ""), n)
                                for p, n in sorted(hits.items())) + ")"
    else:
        why += " (no keyword; fallback)"
    subs = cat.get("subcategories") or []
    if subs and dim.get("subcategory") != "absent":
        sub, sub_hits, _ = pick(subs, SUB_RULES.get((dim["key"], cat["key"]), {}), text)
        if sub is None and dim.get("subcategory") == "required":
            sub = subs[0]
        if sub is not None:
            code["subcategory"] = sub["key"]
            why += "; %s" % sub["key"]
    return code, why


def answer(doc):
    labels = [l.lower() for l in doc["issue"].get("labels") or []]
    reasons = doc["taxonomy"].get("exclusions") or []
    for pattern in EXCLUDE_LABELS:
        hit = next((l for l in labels if re.search(pattern, l)), None)
        if hit and reasons:
            return {"exclusion": {"reason": reasons[0]["key"], "note": "labelled '%s'" % hit},
                    "note": "keyword rater: excluded for the label '%s'" % hit}
    text = text_of(doc)
    codes, whys = {}, []
    for dim in doc["taxonomy"]["dimensions"]:
        codes[dim["key"]], why = code_dimension(dim, text)
        whys.append(why)
    return {"format": 1, "codes": codes, "note": "keyword rater: " + "; ".join(whys),
            "meta": {"rater": "examples/raters/keyword.py"}}


def main():
    doc = json.load(sys.stdin)
    if doc.get("format") != 1:
        sys.exit("keyword.py: document format %r, expected 1" % doc.get("format"))
    json.dump(answer(doc), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
