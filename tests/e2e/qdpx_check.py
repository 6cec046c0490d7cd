#!/usr/bin/env python3
"""qdpx_check.py PROJECT.qdpx TAXONOMY.json CODES.csv MEMBERS.csv CORPUS.json

Checks a .qdpx file written by "issuemine codes export --format qdpx"
against the REFI-QDA Project Exchange standard (version 1.0, namespace
urn:QDA-XML:project:1.0) and against what the database holds.

The standard's rules this checks (from its Project.xsd, restated here: the
schema itself is not kept in the test data):
  - the zip holds project.qde and the internal sources it names, as
    internal://NAME paths, under sources/;
  - every element is in the project namespace, has only the children its
    type's sequence allows, in that order and number, and only the
    attributes the type declares, its required ones present;
  - GUIDs match GUIDType, booleans xsd:boolean, positions xsd:integer,
    times xsd:dateTime, typeOfVariable its enumeration;
  - a TextSource has either PlainTextContent or plainTextPath, not both;
  - selections count characters (Unicode code points) of the plain text.
And what issuemine promises: GUIDs unique and every reference resolved,
every code of every rater (CODES.csv, as "codes export" writes it) coded on
its issue, notes and exclusions as memos, excluded issues in a set, the
taxonomy as the codebook with definitions, each source holding the issue's
text (CORPUS.json) cleaned as documented. Standard library only; exits 1
with the first problem found.
"""
import csv
import json
import re
import sys
import unicodedata
import zipfile
import xml.etree.ElementTree as ET

NS = "urn:QDA-XML:project:1.0"
GUID = re.compile(r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
                  r"|^\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}$")
DATETIME = re.compile(r"^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")

# The sequences of the types the exporter uses: (child, min, max); None is unbounded.
VALUE = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")
TEXT_SOURCE = [("Description", 0, 1), ("PlainTextContent", 0, 1), ("PlainTextSelection", 0, None),
               ("Coding", 0, None), ("NoteRef", 0, None), ("VariableValue", 0, None)]
SEQUENCES = {
    "Project": [("Users", 0, 1), ("CodeBook", 0, 1), ("Variables", 0, 1), ("Cases", 0, 1),
                ("Sources", 0, 1), ("Notes", 0, 1), ("Links", 0, 1), ("Sets", 0, 1),
                ("Graphs", 0, 1), ("Description", 0, 1), ("NoteRef", 0, None)],
    "Users": [("User", 1, None)],
    "User": [],
    "CodeBook": [("Codes", 1, 1)],
    "Codes": [("Code", 1, None)],
    "Code": [("Description", 0, 1), ("NoteRef", 0, None), ("Code", 0, None)],
    "Variables": [("Variable", 1, None)],
    "Variable": [("Description", 0, 1)],
    "Sources": [("TextSource", 1, None)],
    "TextSource": TEXT_SOURCE,
    "Note": TEXT_SOURCE,
    "Notes": [("Note", 1, None)],
    "PlainTextSelection": [("Description", 0, 1), ("Coding", 0, None), ("NoteRef", 0, None)],
    "Coding": [("CodeRef", 1, 1), ("NoteRef", 0, None)],
    "VariableValue": [("VariableRef", 1, 1), (VALUE, 0, 1)],
    "Sets": [("Set", 1, None)],
    "Set": [("Description", 0, 1), ("MemberCode", 0, None), ("MemberSource", 0, None),
            ("MemberNote", 0, None)],
}
LEAVES = {"CodeRef", "NoteRef", "VariableRef", "MemberCode", "MemberSource", "MemberNote"}
TEXT_ELEMENTS = {"Description", "PlainTextContent"} | set(VALUE)

# Attributes per type: name -> (kind, required).
REF = {"targetGUID": ("guid", True)}
TRACKED = {"creatingUser": ("guid", False), "creationDateTime": ("datetime", False),
           "modifyingUser": ("guid", False), "modifiedDateTime": ("datetime", False)}
ATTRIBUTES = {
    "Project": {"name": ("string", True), "origin": ("string", False),
                "creatingUserGUID": ("guid", False), "creationDateTime": ("datetime", False),
                "modifyingUserGUID": ("guid", False), "modifiedDateTime": ("datetime", False),
                "basePath": ("string", False)},
    "User": {"guid": ("guid", True), "name": ("string", False), "id": ("string", False)},
    "Code": {"guid": ("guid", True), "name": ("string", True), "isCodable": ("boolean", True),
             "color": ("rgb", False)},
    "Variable": {"guid": ("guid", True), "name": ("string", True),
                 "typeOfVariable": ("variabletype", True)},
    "TextSource": dict(guid=("guid", True), name=("string", False), richTextPath=("string", False),
                       plainTextPath=("string", False), **TRACKED),
    "PlainTextSelection": dict(guid=("guid", True), name=("string", False),
                               startPosition=("integer", True), endPosition=("integer", True),
                               **TRACKED),
    "Coding": {"guid": ("guid", True), "creatingUser": ("guid", False),
               "creationDateTime": ("datetime", False)},
    "Set": {"guid": ("guid", True), "name": ("string", True)},
}
ATTRIBUTES["Note"] = ATTRIBUTES["TextSource"]
for leaf in LEAVES:
    ATTRIBUTES[leaf] = REF


def fail(msg):
    sys.stderr.write("qdpx_check: %s\n" % msg)
    sys.exit(1)


def local(el):
    if not el.tag.startswith("{%s}" % NS):
        fail("element %s is not in the namespace %s" % (el.tag, NS))
    return el.tag[len(NS) + 2:]


def check_attributes(el, name):
    declared = ATTRIBUTES.get(name, {})
    for attr, value in el.attrib.items():
        if attr not in declared:
            fail("%s has an attribute %s its type does not declare" % (name, attr))
        kind = declared[attr][0]
        ok = {"guid": lambda v: GUID.match(v), "datetime": lambda v: DATETIME.match(v),
              "boolean": lambda v: v in ("true", "false", "1", "0"),
              "integer": lambda v: re.match(r"^[+-]?\d+$", v),
              "rgb": lambda v: re.match(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$", v),
              "variabletype": lambda v: v in ("Text", "Boolean", "Integer", "Float", "Date",
                                              "DateTime"),
              "string": lambda v: True}[kind](value)
        if not ok:
            fail("%s/@%s: '%s' is not a valid %s" % (name, attr, value, kind))
    for attr, (_, required) in declared.items():
        if required and attr not in el.attrib:
            fail("%s lacks its required attribute %s" % (name, attr))


def check_children(el, name):
    children = [local(c) for c in el]
    if name in TEXT_ELEMENTS or name in LEAVES or name == "User":
        if children:
            fail("%s has children, it may not" % name)
        return
    if name not in SEQUENCES:
        fail("element %s is not one the exporter should write" % name)
    i = 0
    for allowed, low, high in SEQUENCES[name]:
        names = allowed if isinstance(allowed, tuple) else (allowed,)
        n = 0
        while i < len(children) and children[i] in names:
            i += 1
            n += 1
        if n < low or (high is not None and n > high):
            fail("%s holds %d %s, the schema allows %d to %s" % (name, n, "/".join(names), low,
                                                                  high or "any"))
    if i < len(children):
        fail("%s: %s is out of the schema's order (children: %s)" % (name, children[i], children))
    if el.text and el.text.strip() and name not in TEXT_ELEMENTS:
        fail("%s holds text" % name)


def walk(el, visit, parent=None):
    visit(el, parent)
    for c in el:
        walk(c, visit, el)


def main():
    qdpx, taxonomy_json, codes_csv, members_csv, corpus_json = sys.argv[1:6]
    z = zipfile.ZipFile(qdpx)
    if z.testzip() is not None:
        fail("a zip entry is corrupt")
    names = z.namelist()
    if len(names) != len(set(names)) or "project.qde" not in names:
        fail("zip entries: %s" % names[:5])
    for n in names:
        if n != "project.qde" and not re.match(r"^sources/[^/]+\.txt$", n):
            fail("zip entry %s is neither project.qde nor a source" % n)
    root = ET.fromstring(z.read("project.qde"))
    if local(root) != "Project":
        fail("the root is %s, not Project" % root.tag)

    # --- the schema's structure ---
    elements = []

    def structure(el, parent):
        name = local(el)
        check_attributes(el, name)
        check_children(el, name)
        elements.append((name, el, parent))

    walk(root, structure)

    # --- GUIDs: unique, and every reference resolved to the right kind ---
    by_guid = {}
    for name, el, _ in elements:
        g = el.get("guid")
        if g:
            if g.lower() in by_guid:
                fail("GUID %s is used twice" % g)
            by_guid[g.lower()] = (name, el)
    targets = {"CodeRef": "Code", "NoteRef": "Note", "MemberSource": "TextSource",
               "VariableRef": "Variable", "MemberCode": "Code", "MemberNote": "Note"}
    for name, el, _ in elements:
        if name in targets:
            target = by_guid.get(el.get("targetGUID").lower())
            if not target or target[0] != targets[name]:
                fail("%s points at %s, not a %s" % (name, el.get("targetGUID"), targets[name]))
        for attr in ("creatingUser", "modifyingUser"):
            if el.get(attr) and by_guid.get(el.get(attr).lower(), ("",))[0] != "User":
                fail("%s/@%s is not a User" % (name, attr))

    users = {el.get("guid"): el.get("name") for name, el, _ in elements if name == "User"}
    check_codebook(root, taxonomy_json)
    code_path = code_paths(root)
    notes = {el.get("guid"): el.find("{%s}PlainTextContent" % NS).text or ""
             for name, el, _ in elements if name == "Note"}
    for name, el, _ in elements:
        if name == "Note" and (el.get("plainTextPath") or el.find("{%s}PlainTextContent" % NS) is None):
            fail("a Note needs its PlainTextContent (and no plainTextPath)")

    # --- sources: files, text, selections in code points ---
    corpus = {"%s#%d" % (i["repository_url"].split("/repos/")[1], i["number"]): i
              for i in json.load(open(corpus_json, encoding="utf-8"))}
    members = ["%s#%s" % (m["repository"], m["number"])
               for m in csv.DictReader(open(members_csv, newline="", encoding="utf-8"))]
    sources = root.findall("{%s}Sources/{%s}TextSource" % (NS, NS))
    refs = [s.get("name").split(": ", 1)[0] for s in sources]
    if refs != members:
        fail("sources %s are not the sample's members in order %s" % (refs[:3], members[:3]))
    coded = {}
    for s in sources:
        ref = refs[sources.index(s)]
        text = check_source(z, s, ref, corpus[ref])
        for sel in s.findall("{%s}PlainTextSelection" % NS):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            if not 0 <= start <= end <= len(text):
                fail("%s: selection %d-%d outside the text's %d characters" % (ref, start, end,
                                                                                len(text)))
            if text[start:end] != text:
                fail("%s: the selection is not the whole text" % ref)
            rater = users[sel.get("creatingUser")]
            mark = coded.setdefault((ref, rater), {"codes": set(), "notes": []})
            for coding in sel.findall("{%s}Coding" % NS):
                if coding.get("creatingUser") != sel.get("creatingUser"):
                    fail("%s: a coding by another user than its selection's" % ref)
                mark["codes"].add(code_path[coding.find("{%s}CodeRef" % NS).get("targetGUID")])
            for ref_el in sel.findall("{%s}NoteRef" % NS):
                mark["notes"].append(notes[ref_el.get("targetGUID")])
        check_variables(s, ref, corpus[ref])
    check_codes(coded, codes_csv, taxonomy_json)
    check_sets(root, coded, users)
    print("qdpx_check: ok: %d sources, %d raters, %d codings, %d memos" % (
        len(sources), len(users), sum(len(m["codes"]) for m in coded.values()), len(notes)))


def cleaned(text):
    """What the exporter makes of GitHub's text: LF line ends, control characters replaced."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join("\ufffd" if ord(c) < 0x20 and c not in "\t\n" else c for c in text)


def check_source(z, s, ref, issue):
    path = s.get("plainTextPath") or ""
    if not path.startswith("internal://") or s.find("{%s}PlainTextContent" % NS) is not None:
        fail("%s: plainTextPath %s (internal:// and no PlainTextContent expected)" % (ref, path))
    raw = z.read("sources/" + path[len("internal://"):])
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        fail("%s: the source is not UTF-8: %s" % (ref, e))
    if raw.startswith(b"\xef\xbb\xbf") or "\r" in text:
        fail("%s: a byte-order mark or a CR in the source" % ref)
    if any(ord(c) < 0x20 and c not in "\t\n" for c in text):
        fail("%s: a control character in the source" % ref)
    if not text.startswith("%s: %s\n" % (ref, cleaned(issue["title"]))):
        fail("%s: the source does not start with the issue's title: %r" % (ref, text[:80]))
    for part in [issue.get("body") or "(no description)"] + [
            e["body"] for e in issue.get("timeline", []) if e.get("body")]:
        if cleaned(part).strip() not in text:
            fail("%s: the source lacks %r" % (ref, cleaned(part)[:60]))
    if s.get("name") != "%s: %s" % (ref, cleaned(issue["title"])):
        fail("%s: the source's name is %r" % (ref, s.get("name")))
    return text


def check_variables(s, ref, issue):
    values = {}
    for vv in s.findall("{%s}VariableValue" % NS):
        value = [c for c in vv if not c.tag.endswith("VariableRef")][0]
        values[value.tag.split("}")[1]] = value.text
    if values.get("IntegerValue") != str(issue["number"]) or values.get("DateTimeValue") != issue["created_at"]:
        fail("%s: variables %s" % (ref, values))


def code_paths(root):
    """Every codable code's path: "Dimension/Category[/Sub]" or "Excluded/Reason"."""
    paths = {}

    def visit(el, prefix):
        for code in el.findall("{%s}Code" % NS):
            path = prefix + [code.get("name")]
            paths[code.get("guid")] = "/".join(path)
            visit(code, path)

    visit(root.find("{%s}CodeBook/{%s}Codes" % (NS, NS)), [])
    return paths


def check_codebook(root, taxonomy_json):
    tax = json.load(open(taxonomy_json, encoding="utf-8"))
    codes = root.find("{%s}CodeBook/{%s}Codes" % (NS, NS))
    tops = codes.findall("{%s}Code" % NS)
    want = [d["name"] for d in tax["dimensions"]] + ["Excluded"]
    if [c.get("name") for c in tops] != want:
        fail("codebook groups %s, expected %s" % ([c.get("name") for c in tops], want))
    for group, dim in zip(tops, tax["dimensions"]):
        if group.get("isCodable") != "false":
            fail("dimension %s is codable" % dim["name"])
        cats = group.findall("{%s}Code" % NS)
        if [c.get("name") for c in cats] != [c["name"] for c in dim["categories"]]:
            fail("categories of %s" % dim["name"])
        for el, cat in zip(cats, dim["categories"]):
            desc = el.find("{%s}Description" % NS)
            if el.get("isCodable") != "true" or (desc.text if desc is not None else "") != cat["definition"]:
                fail("category %s: codable with its definition expected" % cat["name"])
            subs = [s.get("name") for s in el.findall("{%s}Code" % NS)]
            if subs != [s["name"] for s in cat.get("subcategories", [])]:
                fail("sub-categories of %s: %s" % (cat["name"], subs))
    reasons = [c.get("name") for c in tops[-1].findall("{%s}Code" % NS)]
    if reasons != [r["name"] for r in tax["exclusions"]]:
        fail("exclusion reasons %s" % reasons)


def check_codes(coded, codes_csv, taxonomy_json):
    tax = json.load(open(taxonomy_json, encoding="utf-8"))
    names = {}
    for d in tax["dimensions"]:
        for c in d["categories"]:
            names[(d["key"], c["key"], "")] = "%s/%s" % (d["name"], c["name"])
            for s in c.get("subcategories", []):
                names[(d["key"], c["key"], s["key"])] = "%s/%s/%s" % (d["name"], c["name"], s["name"])
    reasons = {r["key"]: r["name"] for r in tax["exclusions"]}
    want = {}
    for row in csv.DictReader(open(codes_csv, newline="", encoding="utf-8")):
        mark = want.setdefault((row["issue"], row["rater"]), {"codes": set(), "notes": []})
        if row["dimension"]:
            mark["codes"].add(names[(row["dimension"], row["category"], row["subcategory"])])
        if row["exclusion"]:
            mark["codes"].add("Excluded/" + reasons[row["exclusion"]])
            mark["exclusion"] = row["exclusion_note"]
        if row["note"]:
            mark["note"] = row["note"]
    if set(want) != set(coded):
        fail("marks %s differ from the database's %s" % (sorted(set(coded) ^ set(want))[:3], len(want)))
    for key, w in want.items():
        got = coded[key]
        if got["codes"] != w["codes"]:
            fail("%s: codes %s, the database has %s" % (key, sorted(got["codes"]), sorted(w["codes"])))
        if "note" in w and unicodedata.normalize("NFC", w["note"]) not in [
                unicodedata.normalize("NFC", n) for n in got["notes"]]:
            fail("%s: note %r is not a memo of the selection: %r" % (key, w["note"], got["notes"]))
        if "exclusion" in w and not any(n.startswith("Excluded by %s: " % key[1]) and
                                        n.endswith(w["exclusion"]) for n in got["notes"]):
            fail("%s: the exclusion's memo is missing: %r" % (key, got["notes"]))
        if len(got["notes"]) != ("note" in w) + ("exclusion" in w):
            fail("%s: %d memos" % (key, len(got["notes"])))


def check_sets(root, coded, users):
    names = {s.get("guid"): s.get("name").split(": ", 1)[0]
             for s in root.findall("{%s}Sources/{%s}TextSource" % (NS, NS))}
    got = {}
    for st in root.findall("{%s}Sets/{%s}Set" % (NS, NS)):
        got[st.get("name")] = {names[m.get("targetGUID")] for m in st.findall("{%s}MemberSource" % NS)}
    want = {}
    for (ref, rater), m in coded.items():
        if any(c.startswith("Excluded/") for c in m["codes"]):
            want.setdefault("excluded by " + rater, set()).add(ref)
    if got != want:
        fail("sets %s, expected %s" % (got, want))


main()
