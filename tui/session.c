/*
 * session.c - loading the sample and the issue on screen, saving codes,
 * notes and exclusions one transaction at a time, undoing them, and picking
 * up changes made elsewhere (see session.h).
 */
#include "session.h"
#include "codes.h"
#include "tax_suggest.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *origin(const struct tui *ui)
{
	return ui->opt->mode == TUI_RECONCILE ? "reconcile" : "label";
}

/* Reconcile: an issue is resolved when the adjudicator settled every row in dispute. */
static void count_resolved(struct tui *ui)
{
	for (size_t i = 0; i < ui->list.n; i++)
		ui->list.items[i].ncoded = ui->list.items[i].ntarget = 0;
	size_t at = 0;
	for (size_t r = 0; r < ui->recon.n; r++) {
		const struct recon_row *row = &ui->recon.rows[r];
		if (at >= ui->list.n || ui->list.items[at].issue_id != row->issue_id)
			at = label_list_find(&ui->list, row->issue_id);
		if (at >= ui->list.n)
			continue;
		ui->list.items[at].ntarget++;
		ui->list.items[at].ncoded += recon_row_resolved(row);
	}
}

static int read_data_version(struct tui *ui, int64_t *version, struct error *err)
{
	struct store *s = ui->opt->store;
	sqlite3_stmt *st = store_stmt(s, "PRAGMA data_version", err);
	return st ? store_step_int64(s, st, version, NULL, err) : -1;
}

static int load_reconcile(struct tui *ui, struct error *err)
{
	const struct tui_options *o = ui->opt;
	long copied;
	if (store_begin(o->store, err))
		return -1;
	if (recon_copy_agreed(o->store, o->tax, o->set_id, o->rater_a, o->rater_b, o->rater_id,
	                      &copied, err)) {
		store_rollback(o->store);
		return -1;
	}
	if (store_commit(o->store, err) ||
	    recon_list_load(o->store, o->tax, o->set_id, o->rater_a, o->rater_b, o->rater_id,
	                    &ui->recon, err) ||
	    label_list_refresh(o->store, o->set_id, o->rater_id, &ui->list, err))
		return -1;
	int64_t *ids;
	size_t n = recon_list_issues(&ui->recon, &ids);
	label_list_keep(&ui->list, ids, n);
	free(ids);
	count_resolved(ui);
	return 0;
}

int session_load(struct tui *ui, struct error *err)
{
	const struct tui_options *o = ui->opt;
	ui->tax = o->tax;
	if (label_list_load(o->store, o->set_id, o->rater_id, o->tax, &ui->list, err))
		return -1;
	if (o->mode == TUI_RECONCILE && load_reconcile(ui, err))
		return -1;
	if (!ui->list.n)
		return error_set(err,
		                 o->mode == TUI_RECONCILE
		                         ? "sample '%s': the raters disagree on no issue"
		                         : "sample '%s' has no issues",
		                 o->set_name);
	if (read_data_version(ui, &ui->data_version, err))
		return -1;
	ui->codes = xcalloc(o->tax->ndims, sizeof(*ui->codes));
	ui->codes_a = xcalloc(o->tax->ndims, sizeof(*ui->codes_a));
	ui->codes_b = xcalloc(o->tax->ndims, sizeof(*ui->codes_b));
	ui->conf_a = xcalloc(o->tax->ndims, sizeof(*ui->conf_a));
	ui->conf_b = xcalloc(o->tax->ndims, sizeof(*ui->conf_b));
	/* Suggestions help a rater code; an adjudicator settles what two raters said. */
	if (o->mode == TUI_LABEL && o->tax->nrules)
		ui->suggest = xcalloc(o->tax->ndims, sizeof(*ui->suggest));
	list_rebuild(ui);
	return 0;
}

static void forget_issue(struct tui *ui)
{
	label_issue_free(ui->issue);
	ui->issue = NULL;
	free(ui->note);
	free(ui->note_a);
	free(ui->note_b);
	ui->note = ui->note_a = ui->note_b = NULL;
	exclusion_release(&ui->exclusion);
	exclusion_release(&ui->exclusion_a);
	exclusion_release(&ui->exclusion_b);
}

static void free_undo(struct undo_entry *e)
{
	free(e->text_before);
	free(e->text_after);
	e->text_before = e->text_after = NULL;
}

void session_release(struct tui *ui)
{
	forget_issue(ui);
	free(ui->codes);
	free(ui->codes_a);
	free(ui->codes_b);
	free(ui->conf_a);
	free(ui->conf_b);
	free(ui->suggest);
	for (size_t i = 0; i < ui->nundo; i++)
		free_undo(&ui->undo[i]);
	free(ui->undo);
	free(ui->shown);
	label_list_release(&ui->list);
	recon_list_release(&ui->recon);
}

static int64_t current_issue(const struct tui *ui)
{
	return ui->list.items[ui->current].issue_id;
}

/* One rater's codes (one per dimension), note and exclusion on the current issue. */
static int read_codes(struct tui *ui, int64_t rater, struct tax_code *codes, char **note,
                      struct exclusion *x, struct error *err)
{
	const struct tui_options *o = ui->opt;
	int64_t issue = current_issue(ui);
	for (size_t d = 0; d < o->tax->ndims; d++) {
		int found;
		if (code_get(o->store, o->tax, o->set_id, issue, rater, &o->tax->dims[d], &codes[d],
		             &found, err))
			return -1;
		codes[d].dim = &o->tax->dims[d];
	}
	free(*note);
	*note = NULL;
	exclusion_release(x);
	return note_get(o->store, o->set_id, issue, rater, note, err) ||
	       exclusion_get(o->store, o->tax, o->set_id, issue, rater, x, err);
}

/* A rater's confidence in each code on the current issue (an external rater's answers). */
static int read_confidence(struct tui *ui, int64_t rater, double *conf, struct error *err)
{
	const struct tui_options *o = ui->opt;
	for (size_t d = 0; d < o->tax->ndims; d++)
		if (code_confidence_get(o->store, o->set_id, current_issue(ui), rater,
		                        o->tax->dims[d].id, &conf[d], err))
			return -1;
	return 0;
}

static int read_all_codes(struct tui *ui, struct error *err)
{
	const struct tui_options *o = ui->opt;
	if (read_codes(ui, o->rater_id, ui->codes, &ui->note, &ui->exclusion, err))
		return -1;
	if (o->mode != TUI_RECONCILE)
		return 0;
	return read_codes(ui, o->rater_a, ui->codes_a, &ui->note_a, &ui->exclusion_a, err) ||
	       read_codes(ui, o->rater_b, ui->codes_b, &ui->note_b, &ui->exclusion_b, err) ||
	       read_confidence(ui, o->rater_a, ui->conf_a, err) ||
	       read_confidence(ui, o->rater_b, ui->conf_b, err);
}

/* The list entry of the current issue takes the codes read; reconcile rows too. */
static void recount(struct tui *ui)
{
	struct label_entry *e = &ui->list.items[ui->current];
	label_entry_set(&ui->list, ui->current, ui->codes, ui->exclusion.reason);
	if (ui->opt->mode != TUI_RECONCILE)
		return;
	for (size_t r = 0; r < ui->recon.n; r++) {
		struct recon_row *row = &ui->recon.rows[r];
		if (row->issue_id != e->issue_id)
			continue;
		if (row->exclusion) {
			row->xas = ui->exclusion.reason;
			row->as_coded = e->ncoded > 0;
		} else {
			row->as = ui->codes[row->a.dim - ui->tax->dims];
		}
	}
	count_resolved(ui);
}

/* What the rules suggest for the current issue, per dimension (GitHub's data only). */
static void read_suggestions(struct tui *ui)
{
	if (!ui->suggest)
		return;
	struct suggest_files files;
	struct error err;
	if (suggest_files_read(ui->opt->store, ui->issue->id, &files, &err)) {
		memset(ui->suggest, 0, ui->tax->ndims * sizeof(*ui->suggest));
		display_status(ui, STYLE_ERROR, "cannot read the fixes' files: %s", err.msg);
		return;
	}
	for (size_t d = 0; d < ui->tax->ndims; d++)
		suggest_dimension(ui->tax, &ui->tax->dims[d], &files, &ui->suggest[d]);
	suggest_files_release(&files);
}

int session_open(struct tui *ui, size_t index)
{
	struct error err;
	forget_issue(ui);
	ui->current = index;
	if (label_issue_load(ui->opt->store, ui->list.items[index].issue_id, &ui->issue, &err) ||
	    read_all_codes(ui, &err)) {
		forget_issue(ui);
		size_t n = ui->opt->tax->ndims;
		memset(ui->codes, 0,
		       n * sizeof(*ui->codes)); /* show nothing rather than stale codes */
		memset(ui->codes_a, 0, n * sizeof(*ui->codes_a));
		memset(ui->codes_b, 0, n * sizeof(*ui->codes_b));
		display_status(ui, STYLE_ERROR, "cannot show the issue: %s", err.msg);
		return -1;
	}
	recount(ui);
	read_suggestions(ui);
	return 0;
}

/* --- changes: what is stored before and after each, for undo --- */

/* What a change writes: a code (cat NULL clears it), the note, or the exclusion. */
struct target {
	enum undo_kind kind;
	size_t dim;
	const struct tax_category *cat, *sub;
	const struct tax_reason *reason; /* NULL: no exclusion */
	const char *text;                /* the note, or the exclusion's free text */
	const char *how;                 /* code_log's origin; NULL: the UI's (label, reconcile) */
};

static int texts_equal(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* What is stored now for e's kind on e's issue, into the before (0) or after (1) side of e. */
static int read_state(struct tui *ui, struct undo_entry *e, int after, struct error *err)
{
	const struct tui_options *o = ui->opt;
	struct tax_code *code = after ? &e->after : &e->before;
	char **text = after ? &e->text_after : &e->text_before;
	free(*text);
	*text = NULL;
	if (e->kind == UNDO_CODE) {
		int found;
		return code_get(o->store, o->tax, o->set_id, e->issue_id, o->rater_id,
		                &o->tax->dims[e->dim], code, &found, err);
	}
	if (e->kind == UNDO_NOTE)
		return note_get(o->store, o->set_id, e->issue_id, o->rater_id, text, err);
	struct exclusion x;
	if (exclusion_get(o->store, o->tax, o->set_id, e->issue_id, o->rater_id, &x, err))
		return -1;
	*(after ? &e->reason_after : &e->reason_before) = x.reason;
	*text = x.detail;
	return 0;
}

static int state_changed(const struct undo_entry *e)
{
	if (e->kind == UNDO_CODE)
		return e->before.cat != e->after.cat || e->before.sub != e->after.sub;
	if (e->kind == UNDO_EXCLUSION && e->reason_before != e->reason_after)
		return 1;
	return !texts_equal(e->text_before, e->text_after);
}

static int write_target(struct tui *ui, int64_t issue, const struct target *t, const char *how,
                        struct error *err)
{
	const struct tui_options *o = ui->opt;
	struct store *s = o->store;
	if (t->kind == UNDO_CODE) {
		struct tax_code code = {&o->tax->dims[t->dim], t->cat, t->sub};
		return t->cat ? code_set(s, o->set_id, issue, o->rater_id, &code, how, err)
		              : code_clear(s, o->set_id, issue, o->rater_id, code.dim, how, err);
	}
	if (t->kind == UNDO_NOTE)
		return note_set(s, o->set_id, issue, o->rater_id, t->text, how, err);
	return t->reason ? exclusion_set(s, o->set_id, issue, o->rater_id, t->reason, t->text, how,
	                                 err)
	                 : exclusion_clear(s, o->set_id, issue, o->rater_id, how, err);
}

static void push_undo(struct tui *ui, struct undo_entry *e)
{
	xgrow((void **)&ui->undo, &ui->undo_alloc, ui->nundo + 1, sizeof(*ui->undo));
	ui->undo[ui->nundo++] = *e;
}

/*
 * Makes the n changes on the current issue in one transaction, each
 * recorded for undo (as one group) when it changed what was stored. Then
 * reads the codes back. Returns 0, or -1 with err set (nothing written).
 */
static int change(struct tui *ui, const struct target *targets, size_t n, struct error *err)
{
	struct undo_entry *done = xcalloc(n + 1, sizeof(*done));
	int64_t issue = current_issue(ui);
	unsigned group = ui->undo_group + 1;
	int rc = store_begin(ui->opt->store, err);
	for (size_t i = 0; !rc && i < n; i++) {
		struct undo_entry *e = &done[i];
		e->kind = targets[i].kind;
		e->dim = targets[i].dim;
		e->issue_id = issue;
		e->group = group;
		const char *how = targets[i].how ? targets[i].how : origin(ui);
		rc = read_state(ui, e, 0, err) || write_target(ui, issue, &targets[i], how, err) ||
		     read_state(ui, e, 1, err);
	}
	if (!rc)
		rc = store_commit(ui->opt->store, err);
	else
		store_rollback(ui->opt->store);
	for (size_t i = 0; i < n; i++) {
		if (!rc && state_changed(&done[i]))
			push_undo(ui, &done[i]);
		else
			free_undo(&done[i]);
	}
	if (!rc)
		ui->undo_group = group;
	free(done);
	struct error reread;
	if (read_all_codes(ui, &reread) && !rc) {
		*err = reread;
		rc = -1;
	}
	recount(ui);
	reader_refresh(ui, &ui->reader_view);
	list_rebuild(ui); /* the code columns' widths, and what the filter shows */
	return rc;
}

static void saved_message(struct tui *ui, size_t dim)
{
	char label[512] = "(none)";
	if (ui->codes[dim].cat)
		tax_code_label(&ui->codes[dim], label, sizeof(label));
	const struct label_entry *e = &ui->list.items[ui->current];
	int done = label_entry_status(e) == LABEL_DONE;
	display_status(ui, STYLE_SAVED, "saved: %s = %s%s", ui->tax->dims[dim].name, label,
	               e->excluded ? " - the issue is excluded (x includes it again)"
	               : done      ? ui->opt->mode == TUI_RECONCILE
	                                     ? " - issue resolved (] next unresolved)"
	                                     : " - issue coded (] next uncoded)"
	                           : "");
}

int session_save_code(struct tui *ui, size_t dim, const struct tax_category *cat,
                      const struct tax_category *sub)
{
	struct error err;
	struct target t = {UNDO_CODE, dim, cat, cat ? sub : NULL, NULL, NULL};
	if (change(ui, &t, 1, &err)) {
		display_status(ui, STYLE_ERROR, "not saved: %s", err.msg);
		return -1;
	}
	saved_message(ui, dim);
	return 0;
}

int session_accept_suggestions(struct tui *ui, int dim)
{
	size_t ndims = ui->tax->ndims, n = 0, coded = 0;
	struct target *t = xcalloc(ndims + 1, sizeof(*t));
	struct strbuf what = STRBUF_INIT;
	for (size_t d = 0; d < ndims; d++) {
		const struct suggestion *sg = &ui->suggest[d];
		if ((dim >= 0 && (size_t)dim != d) || sg->state != SUGGEST_SUGGESTED)
			continue;
		if (dim < 0 && ui->codes[d].cat) {
			coded++; /* s never overwrites a code: '=' in the dimension's list does */
			continue;
		}
		t[n++] = (struct target){UNDO_CODE, d, sg->cat, sg->sub, NULL, NULL, "suggestion"};
		struct tax_code code = {sg->dim, sg->cat, sg->sub};
		char label[512];
		tax_code_label(&code, label, sizeof(label));
		strbuf_addf(&what, "%s%s = %s", what.len ? ", " : "", sg->dim->name, label);
	}
	int rc = 0;
	struct error err;
	if (!n)
		display_status(
		        ui, STYLE_NORMAL,
		        coded ? "nothing to accept: the dimensions with a suggestion are "
		                "coded (1-9 then = takes the suggestion)"
		              : "nothing to accept: the rules suggest nothing for this issue");
	else if ((rc = change(ui, t, n, &err)))
		display_status(ui, STYLE_ERROR, "not saved: %s", err.msg);
	else
		display_status(ui, STYLE_SAVED, "saved as suggested: %s%s", what.buf,
		               label_entry_status(&ui->list.items[ui->current]) == LABEL_DONE
		                       ? " - issue coded (] next uncoded)"
		                       : "");
	strbuf_release(&what);
	free(t);
	return rc;
}

int session_save_note(struct tui *ui, const char *note)
{
	struct error err;
	struct target t = {UNDO_NOTE, 0, NULL, NULL, NULL, note};
	if (change(ui, &t, 1, &err)) {
		display_status(ui, STYLE_ERROR, "note not saved: %s", err.msg);
		return -1;
	}
	display_status(ui, STYLE_SAVED, ui->note ? "saved: note" : "saved: note removed");
	return 0;
}

int session_save_exclusion(struct tui *ui, const struct tax_reason *reason, const char *detail)
{
	struct error err;
	struct target t = {UNDO_EXCLUSION, 0, NULL, NULL, reason, detail};
	if (change(ui, &t, 1, &err)) {
		display_status(ui, STYLE_ERROR, "not saved: %s", err.msg);
		return -1;
	}
	if (ui->exclusion.reason)
		display_status(ui, STYLE_SAVED, "saved: excluded: %s%s", ui->exclusion.reason->name,
		               ui->exclusion.detail ? " (with a note)" : "");
	else
		display_status(ui, STYLE_SAVED, "saved: included again (its codes count)");
	return 0;
}

int session_take_decision(struct tui *ui, int which)
{
	const struct exclusion *x = which == 'A' ? &ui->exclusion_a : &ui->exclusion_b;
	const struct tax_code *codes = which == 'A' ? ui->codes_a : ui->codes_b;
	struct target *t = xcalloc(ui->tax->ndims + 1, sizeof(*t));
	size_t n = 0;
	t[n++] = (struct target){UNDO_EXCLUSION, 0, NULL, NULL, x->reason, x->detail};
	for (size_t d = 0; !x->reason && d < ui->tax->ndims; d++)
		if (!ui->codes[d].cat && codes[d].cat)
			t[n++] = (struct target){UNDO_CODE,    d,    codes[d].cat,
			                         codes[d].sub, NULL, NULL};
	struct error err;
	int rc = change(ui, t, n, &err);
	free(t);
	const char *name = which == 'A' ? ui->opt->name_a : ui->opt->name_b;
	if (rc)
		display_status(ui, STYLE_ERROR, "not saved: %s", err.msg);
	else if (x->reason)
		display_status(ui, STYLE_SAVED, "saved: excluded as %s did: %s", name,
		               x->reason->name);
	else
		display_status(ui, STYLE_SAVED, "saved: included as %s did, with %s's codes", name,
		               name);
	return rc;
}

/* --- undo --- */

static void describe_side(const struct undo_entry *e, int after, char *buf, size_t size)
{
	const struct tax_code *c = after ? &e->after : &e->before;
	const char *text = after ? e->text_after : e->text_before;
	const struct tax_reason *r = after ? e->reason_after : e->reason_before;
	if (e->kind == UNDO_CODE && c->cat)
		tax_code_label(c, buf, size);
	else if (e->kind == UNDO_NOTE && text)
		snprintf(buf, size, "a note");
	else if (e->kind == UNDO_EXCLUSION && r)
		snprintf(buf, size, "excluded: %s%s", r->name, text ? " with a note" : "");
	else
		snprintf(buf, size, e->kind == UNDO_EXCLUSION ? "included" : "(none)");
}

/* "Cause: Incompatibility/External -> Incompatibility" of the undone entry e. */
static void describe_undo(const struct tui *ui, const struct undo_entry *e, char *buf, size_t size)
{
	char from[300], to[300];
	describe_side(e, 1, from, sizeof(from));
	describe_side(e, 0, to, sizeof(to));
	const char *what = e->kind == UNDO_CODE   ? ui->tax->dims[e->dim].name
	                   : e->kind == UNDO_NOTE ? "note"
	                                          : "exclusion";
	snprintf(buf, size, "%s: %s \u2192 %s", what, from, to);
}

/* Checks that each entry of the group [first, last) is still what is stored, and writes it back. */
static int undo_group(struct tui *ui, size_t first, size_t last, struct error *err)
{
	if (store_begin(ui->opt->store, err))
		return -1;
	int rc = 0;
	for (size_t i = last; !rc && i-- > first;) {
		struct undo_entry *e = &ui->undo[i], now = *e;
		now.text_before = now.text_after = NULL;
		rc = read_state(ui, &now, 1, err);
		if (!rc && (e->kind == UNDO_CODE
		                    ? now.after.cat != e->after.cat || now.after.sub != e->after.sub
		                    : now.reason_after != e->reason_after ||
		                              !texts_equal(now.text_after, e->text_after)))
			rc = error_set(err,
			               "it was changed elsewhere since (another window, 'code' or "
			               "'codes import'); left as it is");
		free_undo(&now);
		struct target t = {e->kind,       e->dim,           e->before.cat,
		                   e->before.sub, e->reason_before, e->text_before};
		if (!rc)
			rc = write_target(ui, e->issue_id, &t, "undo", err);
	}
	if (!rc)
		return store_commit(ui->opt->store, err);
	store_rollback(ui->opt->store);
	return -1;
}

int session_undo(struct tui *ui)
{
	if (!ui->nundo) {
		display_status(ui, STYLE_NORMAL, "nothing to undo: no change since the UI opened");
		return 0;
	}
	size_t last = ui->nundo, first = last - 1;
	while (first > 0 && ui->undo[first - 1].group == ui->undo[last - 1].group)
		first--;
	char what[700];
	describe_undo(ui, &ui->undo[first], what, sizeof(what));
	struct error err;
	int64_t issue = ui->undo[first].issue_id;
	int rc = undo_group(ui, first, last, &err);
	for (size_t i = first; i < last; i++)
		free_undo(&ui->undo[i]);
	ui->nundo = first;
	/* The issue undone on becomes the one in the reader; the screen stays as it was. */
	size_t index = label_list_find(&ui->list, issue);
	if (index < ui->list.n) {
		int same = index == ui->current && ui->issue;
		if (!session_open(ui, index)) {
			if (same)
				reader_refresh(ui, &ui->reader_view);
			else
				reader_set_issue(ui, &ui->reader_view);
		}
		list_rebuild(ui);
		list_select(ui, index);
	}
	if (rc) {
		display_status(ui, STYLE_ERROR, "not undone: %s: %s", what, err.msg);
		return -1;
	}
	size_t left = 0;
	for (size_t i = 0; i < ui->nundo; i++)
		left += i == 0 || ui->undo[i].group != ui->undo[i - 1].group;
	char more[64] = "nothing more to undo";
	if (left)
		snprintf(more, sizeof(more), "%zu more to undo", left);
	display_status(ui, STYLE_SAVED, "undone: %s%s (%s)", what,
	               last - first > 1 ? " and more" : "", more);
	return 0;
}

/* --- changes made elsewhere --- */

static int codes_differ(const struct tax_code *a, const struct tax_code *b, size_t n)
{
	for (size_t d = 0; d < n; d++)
		if (a[d].cat != b[d].cat || a[d].sub != b[d].sub)
			return 1;
	return 0;
}

void session_poll(struct tui *ui)
{
	struct error err;
	int64_t version;
	if (read_data_version(ui, &version, &err) || version == ui->data_version)
		return;
	ui->data_version = version;
	const struct tui_options *o = ui->opt;
	if (label_list_refresh(o->store, o->set_id, o->rater_id, &ui->list, &err)) {
		display_status(ui, STYLE_ERROR, "cannot read the codes again: %s", err.msg);
		return;
	}
	if (o->mode == TUI_RECONCILE)
		count_resolved(ui);
	if (ui->issue) {
		size_t n = ui->tax->ndims;
		struct tax_code *before = xmalloc((n + 1) * sizeof(*before));
		memcpy(before, ui->codes, n * sizeof(*before));
		const struct tax_reason *reason = ui->exclusion.reason;
		char *note = ui->note ? xstrdup(ui->note) : NULL;
		if (read_all_codes(ui, &err))
			display_status(ui, STYLE_ERROR, "cannot read the codes again: %s", err.msg);
		else if (codes_differ(before, ui->codes, n) || reason != ui->exclusion.reason ||
		         !texts_equal(note, ui->note))
			display_status(ui, STYLE_NORMAL,
			               "codes of this issue changed elsewhere: shown "
			               "as they are now");
		recount(ui);
		reader_refresh(ui, &ui->reader_view);
		free(before);
		free(note);
	}
	list_rebuild(ui);
}

/* --- walking the list --- */

/* The row at rows' distance step from row in dir, wrapping or not; n when out of range. */
static size_t row_at(size_t row, size_t n, size_t step, int dir, int wrap)
{
	if (wrap)
		return dir > 0 ? (row + step) % n : (row + n - step % n) % n;
	if (dir > 0)
		return row + step < n ? row + step : n;
	return step <= row ? row - step : n;
}

/* Walks from list index from in the shown order (or the whole list); the first match of to_do. */
static size_t walk(const struct tui *ui, size_t from, int dir, int to_do, int wrap)
{
	size_t row = list_row_of(ui, from), n = ui->nshown;
	int shown = row < n;
	if (!shown) {
		row = from;
		n = ui->list.n;
	}
	for (size_t step = 1; step < n || (!wrap && step <= n); step++) {
		size_t r = row_at(row, n, step, dir, wrap);
		if (r >= n)
			break;
		size_t i = shown ? ui->shown[r] : r;
		if (!to_do || label_entry_to_do(&ui->list.items[i]))
			return i;
	}
	return ui->list.n;
}

size_t session_unfinished(const struct tui *ui, size_t from, int dir)
{
	return walk(ui, from, dir, 1, 1);
}

size_t session_step(const struct tui *ui, size_t from, int dir)
{
	return walk(ui, from, dir, 0, 0);
}

int session_check_idle(struct tui *ui)
{
	sqlite3 *db = ui->opt->store->db;
	int busy = 0;
	for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st)) {
		if (sqlite3_stmt_busy(st)) {
			sqlite3_reset(st);
			busy++;
		}
	}
	int in_transaction = !sqlite3_get_autocommit(db);
	if (in_transaction)
		store_rollback(ui->opt->store);
	if (!busy && !in_transaction)
		return 0;
	display_status(ui, STYLE_ERROR, "internal error: %d statement%s%s left open", busy,
	               busy == 1 ? "" : "s", in_transaction ? " and a transaction" : "");
	return -1;
}

void session_progress(const struct tui *ui, char *buf, size_t size)
{
	if (ui->opt->mode == TUI_RECONCILE) {
		/* An issue the adjudicator excluded is settled, whatever its codes. */
		snprintf(buf, size, "%zu/%zu resolved",
		         label_list_done(&ui->list) + label_list_excluded(&ui->list), ui->list.n);
		return;
	}
	size_t excluded = label_list_excluded(&ui->list);
	if (!excluded)
		snprintf(buf, size, "%zu/%zu coded", label_list_done(&ui->list), ui->list.n);
	else
		snprintf(buf, size, "%zu/%zu coded, %zu excluded", label_list_done(&ui->list),
		         ui->list.n - excluded, excluded);
}
