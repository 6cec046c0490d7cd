/*
 * qdpx.c - a coded sample as a REFI-QDA project (see qdpx.h): the
 * project.qde XML and the zip around it (libzip).
 */
#include "qdpx.h"
#include "timeutil.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* --- XML --- */

/*
 * Text as XML character data or an attribute value: made valid first
 * (qda_clean_text), markup escaped, the two non-characters XML forbids
 * replaced, and in attributes line ends and tabs kept as references.
 */
static void add_escaped(struct strbuf *sb, const char *text, int attribute)
{
	struct strbuf clean = STRBUF_INIT;
	qda_clean_text(&clean, text);
	const char *s = clean.buf ? clean.buf : "";
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];
		if (c == '&')
			strbuf_adds(sb, "&amp;");
		else if (c == '<')
			strbuf_adds(sb, "&lt;");
		else if (c == '>')
			strbuf_adds(sb, "&gt;");
		else if (c == '"' && attribute)
			strbuf_adds(sb, "&quot;");
		else if (c == '\n' && attribute)
			strbuf_adds(sb, "&#10;");
		else if (c == '\t' && attribute)
			strbuf_adds(sb, "&#9;");
		else if ((unsigned char)c == 0xEF && (unsigned char)s[i + 1] == 0xBF &&
		         ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF)) {
			strbuf_adds(sb, "\xEF\xBF\xBD"); /* U+FFFE, U+FFFF */
			i += 2;
		} else
			strbuf_addch(sb, c);
	}
	strbuf_release(&clean);
}

static void indent(struct strbuf *sb, int depth)
{
	for (int i = 0; i < depth; i++)
		strbuf_adds(sb, "  ");
}

/* name="value" (value escaped); nothing when value is NULL. */
static void attr(struct strbuf *sb, const char *name, const char *value)
{
	if (!value)
		return;
	strbuf_addf(sb, " %s=\"", name);
	add_escaped(sb, value, 1);
	strbuf_addch(sb, '"');
}

/* <Name>text</Name> on a line of its own; nothing when text is NULL or empty. */
static void text_element(struct strbuf *sb, int depth, const char *name, const char *text)
{
	if (!text || !*text)
		return;
	indent(sb, depth);
	strbuf_addf(sb, "<%s>", name);
	add_escaped(sb, text, 0);
	strbuf_addf(sb, "</%s>\n", name);
}

/* The GUID of the name made of parts, joined by line feeds (which no name holds). */
static const char *guid_of(char buf[QDA_GUID_LEN], const char *kind, const char *a, const char *b,
                           const char *c, const char *d)
{
	struct strbuf name = STRBUF_INIT;
	strbuf_addf(&name, "issuemine\n%s", kind);
	const char *parts[] = {a, b, c, d};
	for (size_t i = 0; i < 4 && parts[i]; i++)
		strbuf_addf(&name, "\n%s", parts[i]);
	qda_guid(name.buf, buf);
	strbuf_release(&name);
	return buf;
}

static const char *rater_guid(char buf[QDA_GUID_LEN], const char *rater)
{
	return guid_of(buf, "rater", rater, NULL, NULL, NULL);
}

static const char *code_guid(char buf[QDA_GUID_LEN], const struct qda_project *p,
                             const struct tax_code *c)
{
	if (c->sub)
		return guid_of(buf, "code", p->tax->name, c->dim->key, c->cat->key, c->sub->key);
	return guid_of(buf, "code", p->tax->name, c->dim->key, c->cat->key, NULL);
}

static const char *reason_guid(char buf[QDA_GUID_LEN], const struct qda_project *p,
                               const struct tax_reason *r)
{
	return guid_of(buf, "excluded", p->tax->name, r ? r->key : NULL, NULL, NULL);
}

static void add_users(struct strbuf *sb, const struct qda_project *p)
{
	if (!p->nraters)
		return;
	strbuf_adds(sb, "  <Users>\n");
	for (size_t i = 0; i < p->nraters; i++) {
		char g[QDA_GUID_LEN];
		strbuf_adds(sb, "    <User");
		attr(sb, "guid", rater_guid(g, p->raters[i]));
		attr(sb, "name", p->raters[i]);
		strbuf_adds(sb, "/>\n");
	}
	strbuf_adds(sb, "  </Users>\n");
}

static void add_code_open(struct strbuf *sb, int depth, const char *guid, const char *name,
                          int codable, const char *description, int has_children)
{
	indent(sb, depth);
	strbuf_adds(sb, "<Code");
	attr(sb, "guid", guid);
	attr(sb, "name", name);
	attr(sb, "isCodable", codable ? "true" : "false");
	if (!has_children && !(description && *description)) {
		strbuf_adds(sb, "/>\n");
		return;
	}
	strbuf_adds(sb, ">\n");
	text_element(sb, depth + 1, "Description", description);
}

static void add_code_close(struct strbuf *sb, int depth, const char *description, int has_children)
{
	if (!has_children && !(description && *description))
		return;
	indent(sb, depth);
	strbuf_adds(sb, "</Code>\n");
}

static void add_category(struct strbuf *sb, const struct qda_project *p,
                         const struct tax_dimension *d, const struct tax_category *cat)
{
	char g[QDA_GUID_LEN];
	struct tax_code c = {d, cat, NULL};
	add_code_open(sb, 4, code_guid(g, p, &c), cat->name, 1, cat->definition, cat->nsubs > 0);
	for (size_t s = 0; s < cat->nsubs; s++) {
		c.sub = &cat->subs[s];
		add_code_open(sb, 5, code_guid(g, p, &c), c.sub->name, 1, c.sub->definition, 0);
		add_code_close(sb, 5, c.sub->definition, 0);
	}
	add_code_close(sb, 4, cat->definition, cat->nsubs > 0);
}

static void add_codebook(struct strbuf *sb, const struct qda_project *p)
{
	strbuf_adds(sb, "  <CodeBook>\n    <Codes>\n");
	char g[QDA_GUID_LEN];
	for (size_t i = 0; i < p->tax->ndims; i++) {
		const struct tax_dimension *d = &p->tax->dims[i];
		add_code_open(sb, 3, guid_of(g, "code", p->tax->name, d->key, NULL, NULL), d->name,
		              0, d->description, d->ncats > 0);
		for (size_t c = 0; c < d->ncats; c++)
			add_category(sb, p, d, &d->cats[c]);
		add_code_close(sb, 3, d->description, d->ncats > 0);
	}
	const char *what = "Issues a rater excluded from coding, by reason: they are in no table "
	                   "and no agreement of issuemine.";
	add_code_open(sb, 3, reason_guid(g, p, NULL), "Excluded", 0, what, p->tax->nreasons > 0);
	for (size_t r = 0; r < p->tax->nreasons; r++) {
		const struct tax_reason *reason = &p->tax->reasons[r];
		add_code_open(sb, 4, reason_guid(g, p, reason), reason->name, 1, reason->definition,
		              0);
		add_code_close(sb, 4, reason->definition, 0);
	}
	add_code_close(sb, 3, what, p->tax->nreasons > 0);
	strbuf_adds(sb, "    </Codes>\n  </CodeBook>\n");
}

/* The per-source variables: name and REFI-QDA type. */
static const char *const variables[][2] = {
        {"repository", "Text"}, {"number", "Integer"}, {"url", "Text"}, {"created", "DateTime"}};
#define NVARIABLES (sizeof(variables) / sizeof(variables[0]))

static void add_variables(struct strbuf *sb)
{
	strbuf_adds(sb, "  <Variables>\n");
	for (size_t i = 0; i < NVARIABLES; i++) {
		char g[QDA_GUID_LEN];
		strbuf_adds(sb, "    <Variable");
		attr(sb, "guid", guid_of(g, "variable", variables[i][0], NULL, NULL, NULL));
		attr(sb, "name", variables[i][0]);
		attr(sb, "typeOfVariable", variables[i][1]);
		strbuf_adds(sb, "/>\n");
	}
	strbuf_adds(sb, "  </Variables>\n");
}

static void add_variable_value(struct strbuf *sb, size_t v, const char *value)
{
	if (!value)
		return;
	char g[QDA_GUID_LEN];
	strbuf_adds(sb, "      <VariableValue>\n        <VariableRef");
	attr(sb, "targetGUID", guid_of(g, "variable", variables[v][0], NULL, NULL, NULL));
	strbuf_adds(sb, "/>\n");
	static const char *const elements[] = {"TextValue", "IntegerValue", "TextValue",
	                                       "DateTimeValue"};
	text_element(sb, 4, elements[v], value);
	strbuf_adds(sb, "      </VariableValue>\n");
}

static const char *note_guid(char buf[QDA_GUID_LEN], const struct qda_project *p,
                             const struct qda_source *src, const char *rater, int exclusion)
{
	return guid_of(buf, exclusion ? "exclusion-note" : "note", p->sample, src->ref, rater,
	               NULL);
}

static void add_coding(struct strbuf *sb, const char *guid, const char *user, const char *at,
                       const char *target)
{
	strbuf_adds(sb, "        <Coding");
	attr(sb, "guid", guid);
	attr(sb, "creatingUser", user);
	attr(sb, "creationDateTime", at);
	strbuf_adds(sb, ">\n          <CodeRef");
	attr(sb, "targetGUID", target);
	strbuf_adds(sb, "/>\n        </Coding>\n");
}

/* One rater's say on one issue: a selection of the whole text with the codings. */
static void add_selection(struct strbuf *sb, const struct qda_project *p,
                          const struct qda_source *src, const struct qda_mark *m)
{
	const char *rater = p->raters[m->rater];
	char g[QDA_GUID_LEN], user[QDA_GUID_LEN], target[QDA_GUID_LEN];
	char end[32], *name = xstrfmt("%s: %s", rater, src->ref);
	rater_guid(user, rater);
	snprintf(end, sizeof(end), "%zu", src->length);
	strbuf_adds(sb, "      <PlainTextSelection");
	attr(sb, "guid", guid_of(g, "selection", p->sample, src->ref, rater, NULL));
	attr(sb, "name", name);
	attr(sb, "startPosition", "0");
	attr(sb, "endPosition", end);
	attr(sb, "creatingUser", user);
	attr(sb, "creationDateTime", m->first_at);
	strbuf_adds(sb, ">\n");
	free(name);
	for (size_t c = 0; c < m->ncodes; c++) {
		const struct qda_code *qc = &m->codes[c];
		guid_of(g, "coding", p->sample, src->ref, rater, qc->code.dim->key);
		add_coding(sb, g, user, qc->at, code_guid(target, p, &qc->code));
	}
	if (m->reason) {
		guid_of(g, "exclusion-coding", p->sample, src->ref, rater, NULL);
		add_coding(sb, g, user, m->excluded_at, reason_guid(target, p, m->reason));
	}
	if (m->note) {
		strbuf_adds(sb, "        <NoteRef");
		attr(sb, "targetGUID", note_guid(g, p, src, rater, 0));
		strbuf_adds(sb, "/>\n");
	}
	if (m->excluded_at) {
		strbuf_adds(sb, "        <NoteRef");
		attr(sb, "targetGUID", note_guid(g, p, src, rater, 1));
		strbuf_adds(sb, "/>\n");
	}
	strbuf_adds(sb, "      </PlainTextSelection>\n");
}

/* "sources/GUID.txt" inside the zip, internal://GUID.txt in the XML (caller frees). */
static char *source_file(const struct qda_source *src)
{
	char g[QDA_GUID_LEN];
	return xstrfmt("%s.txt", guid_of(g, "issue", src->ref, NULL, NULL, NULL));
}

static void add_sources(struct strbuf *sb, const struct qda_project *p)
{
	if (!p->nsources)
		return;
	strbuf_adds(sb, "  <Sources>\n");
	for (size_t i = 0; i < p->nsources; i++) {
		const struct qda_source *src = &p->sources[i];
		char g[QDA_GUID_LEN], number[32], *file = source_file(src);
		char *path = xstrfmt("internal://%s", file);
		char *name = xstrfmt("%s: %s", src->ref, src->title ? src->title : "");
		strbuf_adds(sb, "    <TextSource");
		attr(sb, "guid", guid_of(g, "issue", src->ref, NULL, NULL, NULL));
		attr(sb, "name", name);
		attr(sb, "plainTextPath", path);
		attr(sb, "creationDateTime", src->created_at);
		strbuf_adds(sb, ">\n");
		for (size_t m = 0; m < src->nmarks; m++)
			add_selection(sb, p, src, &src->marks[m]);
		snprintf(number, sizeof(number), "%lld", (long long)src->number);
		const char *values[NVARIABLES] = {src->repo, number, src->url, src->created_at};
		for (size_t v = 0; v < NVARIABLES; v++)
			add_variable_value(sb, v, values[v]);
		strbuf_adds(sb, "    </TextSource>\n");
		free(name);
		free(path);
		free(file);
	}
	strbuf_adds(sb, "  </Sources>\n");
}

static void add_note(struct strbuf *sb, const char *guid, const char *name, const char *user,
                     const char *at, const char *text)
{
	strbuf_adds(sb, "    <Note");
	attr(sb, "guid", guid);
	attr(sb, "name", name);
	attr(sb, "creatingUser", user);
	attr(sb, "creationDateTime", at);
	strbuf_adds(sb, ">\n");
	indent(sb, 3);
	strbuf_adds(sb, "<PlainTextContent>");
	add_escaped(sb, text, 0);
	strbuf_adds(sb, "</PlainTextContent>\n    </Note>\n");
}

/* The memos: every rater's note, and every exclusion with its reason and free text. */
static void add_notes(struct strbuf *sb, const struct qda_project *p)
{
	struct strbuf notes = STRBUF_INIT;
	for (size_t i = 0; i < p->nsources; i++) {
		const struct qda_source *src = &p->sources[i];
		for (size_t m = 0; m < src->nmarks; m++) {
			const struct qda_mark *mk = &src->marks[m];
			const char *rater = p->raters[mk->rater];
			char g[QDA_GUID_LEN], user[QDA_GUID_LEN];
			rater_guid(user, rater);
			if (mk->note) {
				char *name = xstrfmt("%s's note on %s", rater, src->ref);
				add_note(&notes, note_guid(g, p, src, rater, 0), name, user,
				         mk->noted_at, mk->note);
				free(name);
			}
			if (mk->excluded_at) {
				char *name = xstrfmt("%s excluded %s", rater, src->ref);
				char *text = xstrfmt(
				        "Excluded by %s: %s%s%s", rater,
				        mk->reason ? mk->reason->name : "another reason",
				        mk->detail ? "\n\n" : "", mk->detail ? mk->detail : "");
				add_note(&notes, note_guid(g, p, src, rater, 1), name, user,
				         mk->excluded_at, text);
				free(text);
				free(name);
			}
		}
	}
	if (notes.len)
		strbuf_addf(sb, "  <Notes>\n%s  </Notes>\n", notes.buf);
	strbuf_release(&notes);
}

/* Per rater who excluded anything, the set of the excluded sources. */
static void add_sets(struct strbuf *sb, const struct qda_project *p)
{
	struct strbuf sets = STRBUF_INIT;
	for (size_t r = 0; r < p->nraters; r++) {
		struct strbuf members = STRBUF_INIT;
		for (size_t i = 0; i < p->nsources; i++)
			for (size_t m = 0; m < p->sources[i].nmarks; m++) {
				const struct qda_mark *mk = &p->sources[i].marks[m];
				if (mk->rater != r || !mk->excluded_at)
					continue;
				char g[QDA_GUID_LEN];
				strbuf_adds(&members, "      <MemberSource");
				attr(&members, "targetGUID",
				     guid_of(g, "issue", p->sources[i].ref, NULL, NULL, NULL));
				strbuf_adds(&members, "/>\n");
			}
		if (members.len) {
			char g[QDA_GUID_LEN], *name = xstrfmt("excluded by %s", p->raters[r]);
			strbuf_adds(&sets, "    <Set");
			attr(&sets, "guid",
			     guid_of(g, "set", p->sample, "excluded", p->raters[r], NULL));
			attr(&sets, "name", name);
			strbuf_adds(&sets, ">\n");
			text_element(&sets, 3, "Description",
			             "The issues this rater excluded from coding (see the Excluded "
			             "codes and the memos for why).");
			strbuf_add(&sets, members.buf, members.len);
			strbuf_adds(&sets, "    </Set>\n");
			free(name);
		}
		strbuf_release(&members);
	}
	if (sets.len)
		strbuf_addf(sb, "  <Sets>\n%s  </Sets>\n", sets.buf);
	strbuf_release(&sets);
}

void qdpx_project_xml(struct strbuf *sb, const struct qda_project *p)
{
	char *origin = xstrfmt("issuemine %s", ISSUEMINE_VERSION);
	strbuf_adds(sb, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project");
	attr(sb, "xmlns", "urn:QDA-XML:project:1.0");
	attr(sb, "name", p->sample);
	attr(sb, "origin", origin);
	attr(sb, "creationDateTime", p->created_at);
	attr(sb, "modifiedDateTime", p->modified_at);
	strbuf_adds(sb, ">\n");
	free(origin);
	add_users(sb, p);
	add_codebook(sb, p);
	add_variables(sb);
	add_sources(sb, p);
	add_notes(sb, p);
	add_sets(sb, p);
	char *description =
	        xstrfmt("Sample %s of issuemine, coded against taxonomy %s%s%s.", p->sample,
	                p->tax->name, p->origin ? ": " : "", p->origin ? p->origin : "");
	text_element(sb, 1, "Description", description);
	free(description);
	strbuf_adds(sb, "</Project>\n");
}

/* --- the zip --- */

static int zip_fail(zip_t *z, const char *path, struct error *err)
{
	error_set(err, "%s: %s", path, zip_strerror(z));
	zip_discard(z);
	return -1;
}

/* Adds data (taken over) as entry name, dated mtime. */
static int add_entry(zip_t *z, const char *name, char *data, size_t len, time_t mtime,
                     const char *path, struct error *err)
{
	zip_source_t *src = zip_source_buffer(z, data, len, 1);
	if (!src) {
		free(data);
		return zip_fail(z, path, err);
	}
	zip_int64_t index = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
	if (index < 0) {
		zip_source_free(src);
		return zip_fail(z, path, err);
	}
	if (zip_file_set_mtime(z, (zip_uint64_t)index, mtime, 0) < 0)
		return zip_fail(z, path, err);
	return 0;
}

int qdpx_write(const struct qda_project *p, const char *path, struct error *err)
{
	int code = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
	if (!z) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, code);
		error_set(err, "%s: %s", path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return -1;
	}
	time_t mtime = 0;
	if (!p->modified_at || time_parse_iso(p->modified_at, &mtime))
		mtime = 315532800; /* 1980-01-01, the first time a zip entry can hold */
	struct strbuf xml = STRBUF_INIT;
	qdpx_project_xml(&xml, p);
	size_t len;
	char *data = strbuf_detach(&xml, &len);
	if (add_entry(z, "project.qde", data, len, mtime, path, err))
		return -1;
	for (size_t i = 0; i < p->nsources; i++) {
		char *file = source_file(&p->sources[i]);
		char *name = xstrfmt("sources/%s", file);
		int rc = add_entry(z, name, xstrdup(p->sources[i].text), strlen(p->sources[i].text),
		                   mtime, path, err);
		free(name);
		free(file);
		if (rc)
			return -1;
	}
	if (zip_close(z) < 0)
		return zip_fail(z, path, err);
	return 0;
}
