/*
 * session.c - loading the sample and the issue on screen, and saving codes
 * and notes one transaction at a time (see session.h).
 */
#include "session.h"
#include "codes.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *origin(const struct tui *ui)
{
	return ui->opt->mode == TUI_RECONCILE ? "reconcile" : "label";
}

/* Reconcile: an issue is resolved when the adjudicator coded every dimension in dispute. */
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
	                    &ui->recon, err))
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
	ui->codes = xcalloc(o->tax->ndims, sizeof(*ui->codes));
	ui->codes_a = xcalloc(o->tax->ndims, sizeof(*ui->codes_a));
	ui->codes_b = xcalloc(o->tax->ndims, sizeof(*ui->codes_b));
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
}

void session_release(struct tui *ui)
{
	forget_issue(ui);
	free(ui->codes);
	free(ui->codes_a);
	free(ui->codes_b);
	label_list_release(&ui->list);
	recon_list_release(&ui->recon);
}

/* One rater's codes (one per dimension) and note on the current issue. */
static int read_codes(struct tui *ui, int64_t rater, struct tax_code *codes, char **note,
                      struct error *err)
{
	const struct tui_options *o = ui->opt;
	int64_t issue = ui->list.items[ui->current].issue_id;
	for (size_t d = 0; d < o->tax->ndims; d++) {
		int found;
		if (code_get(o->store, o->tax, o->set_id, issue, rater, &o->tax->dims[d], &codes[d],
		             &found, err))
			return -1;
		codes[d].dim = &o->tax->dims[d];
	}
	free(*note);
	*note = NULL;
	return note_get(o->store, o->set_id, issue, rater, note, err);
}

static int read_all_codes(struct tui *ui, struct error *err)
{
	const struct tui_options *o = ui->opt;
	if (read_codes(ui, o->rater_id, ui->codes, &ui->note, err))
		return -1;
	if (o->mode != TUI_RECONCILE)
		return 0;
	return read_codes(ui, o->rater_a, ui->codes_a, &ui->note_a, err) ||
	       read_codes(ui, o->rater_b, ui->codes_b, &ui->note_b, err);
}

/* The list entry of the current issue counts its coded dimensions again. */
static void recount(struct tui *ui)
{
	struct label_entry *e = &ui->list.items[ui->current];
	if (ui->opt->mode == TUI_RECONCILE) {
		for (size_t r = 0; r < ui->recon.n; r++) {
			struct recon_row *row = &ui->recon.rows[r];
			if (row->issue_id == e->issue_id && !row->exclusion)
				row->as = ui->codes[row->a.dim - ui->tax->dims];
		}
		count_resolved(ui);
		return;
	}
	e->ncoded = 0;
	for (size_t d = 0; d < ui->tax->ndims; d++)
		e->ncoded += ui->codes[d].cat != NULL;
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
	return 0;
}

static void saved_message(struct tui *ui, size_t dim)
{
	char label[512] = "(none)";
	if (ui->codes[dim].cat)
		tax_code_label(&ui->codes[dim], label, sizeof(label));
	int done = label_entry_status(&ui->list.items[ui->current]) == LABEL_DONE;
	display_status(ui, STYLE_SAVED, "saved: %s = %s%s", ui->tax->dims[dim].name, label,
	               done ? ui->opt->mode == TUI_RECONCILE
	                               ? " - issue resolved (] next unresolved)"
	                               : " - issue coded (] next uncoded)"
	                    : "");
}

int session_save_code(struct tui *ui, size_t dim, const struct tax_category *cat,
                      const struct tax_category *sub)
{
	const struct tui_options *o = ui->opt;
	struct error err;
	struct tax_code code = {&o->tax->dims[dim], cat, sub};
	int64_t issue = ui->list.items[ui->current].issue_id;
	int rc = store_begin(o->store, &err);
	if (!rc) {
		rc = cat ? code_set(o->store, o->set_id, issue, o->rater_id, &code, origin(ui),
		                    &err)
		         : code_clear(o->store, o->set_id, issue, o->rater_id, code.dim, origin(ui),
		                      &err);
		rc = rc ? (store_rollback(o->store), -1) : store_commit(o->store, &err);
	}
	struct error reread;
	if (read_all_codes(ui, &reread) && !rc) {
		err = reread;
		rc = -1;
	}
	recount(ui);
	if (rc) {
		display_status(ui, STYLE_ERROR, "not saved: %s", err.msg);
		return -1;
	}
	saved_message(ui, dim);
	return 0;
}

int session_save_note(struct tui *ui, const char *note)
{
	const struct tui_options *o = ui->opt;
	struct error err;
	int64_t issue = ui->list.items[ui->current].issue_id;
	int rc = store_begin(o->store, &err);
	if (!rc) {
		rc = note_set(o->store, o->set_id, issue, o->rater_id, note, origin(ui), &err);
		rc = rc ? (store_rollback(o->store), -1) : store_commit(o->store, &err);
	}
	struct error reread;
	if (read_all_codes(ui, &reread) && !rc) {
		err = reread;
		rc = -1;
	}
	if (rc) {
		display_status(ui, STYLE_ERROR, "note not saved: %s", err.msg);
		return -1;
	}
	display_status(ui, STYLE_SAVED, ui->note ? "saved: note" : "saved: note removed");
	return 0;
}

size_t session_unfinished(const struct tui *ui, size_t from, int dir)
{
	size_t n = ui->list.n;
	for (size_t step = 1; step < n; step++) {
		size_t i = dir > 0 ? (from + step) % n : (from + n - step) % n;
		if (label_entry_status(&ui->list.items[i]) != LABEL_DONE)
			return i;
	}
	return n;
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
	snprintf(buf, size, "%zu/%zu %s", label_list_done(&ui->list), ui->list.n,
	         ui->opt->mode == TUI_RECONCILE ? "resolved" : "coded");
}
