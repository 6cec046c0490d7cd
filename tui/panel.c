/*
 * panel.c - the coding panel: each dimension with the rater's code so far,
 * the note, and the pickers that set them.
 *
 * A code takes at most three keys: the dimension's key ('1', '2', ...), the
 * category's key (a letter shown next to its name), and, when the category
 * has sub-categories, the sub-category's key ('0' for none when the
 * dimension allows it). Each choice is saved at once (session.c). When the
 * dimension's sub-categories are optional the category alone is saved as
 * soon as it is chosen, so Escape at the sub-category step keeps it.
 *
 * When the taxonomy has rules for a dimension (tax_rules.h), its row shows
 * what they suggest from the files the issue's fixes changed, and why; 's'
 * accepts the suggestions of every dimension not coded yet, '=' in a
 * dimension's list takes its suggestion even over a code. A code taken so is
 * logged with origin "suggestion". Suggestions come from GitHub's data and
 * the codebook only, never from another rater's codes.
 *
 * 'x' opens the exclusion reasons (a letter excludes the issue at once; then
 * a line of free text may follow, Enter keeps it, Esc leaves none); '0'
 * includes the issue again. 'e' edits the note in the status line (C-o
 * starts a new line), 'E' in $VISUAL or $EDITOR.
 *
 * The reconcile panel (reconcile.c) draws the three raters side by side but
 * uses these pickers too, with two more entries: 'A' and 'B' take the first
 * or second rater's code (or decision on exclusion) as it is.
 */
#include "display.h"
#include "editor.h"
#include "session.h"
#include "text.h"
#include "xalloc.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

enum {
	PICK_NONE = -1,      /* no code, or no sub-category */
	PICK_A = -2,         /* the first rater's code (reconcile) */
	PICK_B = -3,         /* the second rater's code (reconcile) */
	PICK_SUGGESTED = -4, /* what the taxonomy's rules suggest */
};

/* The suggestion for dimension d, or NULL when there is none to take. */
static const struct suggestion *suggested(const struct tui *ui, size_t d)
{
	if (!ui->suggest || !ui->issue || ui->suggest[d].state != SUGGEST_SUGGESTED)
		return NULL;
	return &ui->suggest[d];
}

static int is_suggested(const struct tax_code *code, const struct suggestion *sg)
{
	return sg && code->cat == sg->cat && code->sub == sg->sub;
}

int panel_dimension_key(const struct tui *ui, int key)
{
	if (key < '1' || key > '9')
		return -1;
	size_t d = (size_t)(key - '1');
	return d < ui->tax->ndims ? (int)d : -1;
}

static int has_subs(const struct tax_dimension *dim, const struct tax_category *c)
{
	return c->nsubs && dim->sub_rule != TAX_SUB_ABSENT;
}

static void add_rater_entry(struct tui *ui, int key, const char *rater, const struct tax_code *c,
                            double conf, int value)
{
	if (!c->cat)
		return;
	char label[512], text[700];
	reconcile_code_text(c, conf, label, sizeof(label));
	snprintf(text, sizeof(text), "%s's code: %s", rater, label);
	const struct tax_category *shown = c->sub ? c->sub : c->cat;
	const struct tax_code *mine = &ui->codes[c->dim - ui->tax->dims];
	picker_add(&ui->pick.picker, key, text, shown->definition, 0,
	           mine->cat == c->cat && mine->sub == c->sub, value);
}

void panel_pick_dimension(struct tui *ui, size_t d)
{
	const struct tax_dimension *dim = &ui->tax->dims[d];
	const struct tax_code *cur = &ui->codes[d];
	struct picker *p = &ui->pick.picker;
	char title[300];
	snprintf(title, sizeof(title), "%s: pick a category", dim->name);
	picker_reset(p, title);
	ui->pick.kind = PICK_CODE;
	ui->pick.dim = d;
	ui->pick.cat = NULL;
	if (ui->opt->mode == TUI_RECONCILE) {
		add_rater_entry(ui, 'A', ui->opt->name_a, &ui->codes_a[d], ui->conf_a[d], PICK_A);
		add_rater_entry(ui, 'B', ui->opt->name_b, &ui->codes_b[d], ui->conf_b[d], PICK_B);
	}
	const struct suggestion *sg = suggested(ui, d);
	if (sg) {
		struct tax_code code = {dim, sg->cat, sg->sub};
		char label[512], text[600];
		tax_code_label(&code, label, sizeof(label));
		snprintf(text, sizeof(text), "suggested: %s", label);
		picker_add(p, '=', text, sg->why, 0, is_suggested(cur, sg), PICK_SUGGESTED);
	}
	for (size_t i = 0; i < dim->ncats; i++) {
		const struct tax_category *c = &dim->cats[i];
		picker_add(p, picker_letter(i), c->name, c->definition, has_subs(dim, c),
		           cur->cat == c, (int)i);
	}
	picker_add(p, '0', "no code (clear)", NULL, 0, 0, PICK_NONE);
}

static void pick_subcategory(struct tui *ui, const struct tax_category *c)
{
	const struct tax_dimension *dim = &ui->tax->dims[ui->pick.dim];
	const struct tax_code *cur = &ui->codes[ui->pick.dim];
	struct picker *p = &ui->pick.picker;
	char title[300];
	snprintf(title, sizeof(title), "%s > %s: pick a sub-category", dim->name, c->name);
	picker_reset(p, title);
	ui->pick.cat = c;
	for (size_t i = 0; i < c->nsubs; i++)
		picker_add(p, picker_letter(i), c->subs[i].name, c->subs[i].definition, 0,
		           cur->cat == c && cur->sub == &c->subs[i], (int)i);
	if (dim->sub_rule == TAX_SUB_OPTIONAL)
		picker_add(p, '0', "no sub-category", NULL, 0, 0, PICK_NONE);
}

static void chose_category(struct tui *ui, int value)
{
	size_t d = ui->pick.dim;
	const struct tax_dimension *dim = &ui->tax->dims[d];
	const struct tax_code *rater = value == PICK_A ? &ui->codes_a[d] : &ui->codes_b[d];
	if (value == PICK_A || value == PICK_B) {
		picker_close(&ui->pick.picker);
		session_save_code(ui, d, rater->cat, rater->sub);
		return;
	}
	if (value == PICK_NONE) {
		picker_close(&ui->pick.picker);
		session_save_code(ui, d, NULL, NULL);
		return;
	}
	if (value == PICK_SUGGESTED) {
		picker_close(&ui->pick.picker);
		session_accept_suggestions(ui, (int)d);
		return;
	}
	const struct tax_category *c = &dim->cats[value];
	if (!has_subs(dim, c)) {
		picker_close(&ui->pick.picker);
		session_save_code(ui, d, c, NULL);
		return;
	}
	/* Keep a sub-category already chosen under c until the rater picks again. */
	if (dim->sub_rule == TAX_SUB_OPTIONAL && ui->codes[d].cat != c &&
	    session_save_code(ui, d, c, NULL)) {
		picker_close(&ui->pick.picker);
		return;
	}
	pick_subcategory(ui, c);
}

static void chose_subcategory(struct tui *ui, int value)
{
	const struct tax_category *c = ui->pick.cat;
	picker_close(&ui->pick.picker);
	session_save_code(ui, ui->pick.dim, c, value == PICK_NONE ? NULL : &c->subs[value]);
}

static void cancelled(struct tui *ui)
{
	const struct tax_dimension *dim = &ui->tax->dims[ui->pick.dim];
	if (ui->pick.cat && ui->codes[ui->pick.dim].cat != ui->pick.cat)
		display_status(ui, STYLE_ERROR, "not saved: %s needs a sub-category of %s",
		               dim->name, ui->pick.cat->name);
	picker_close(&ui->pick.picker);
}

/* --- exclusion --- */

static void add_decision_entry(struct tui *ui, int key, const char *rater,
                               const struct exclusion *x, const struct tax_code *codes, int value)
{
	int coded = 0;
	for (size_t d = 0; d < ui->tax->ndims; d++)
		coded |= codes[d].cat != NULL;
	if (!x->reason && !coded)
		return; /* the rater decided nothing on the issue */
	char text[400];
	if (x->reason)
		snprintf(text, sizeof(text), "%s's decision: excluded: %s", rater, x->reason->name);
	else
		snprintf(text, sizeof(text), "%s's decision: included (with %s's codes)", rater,
		         rater);
	picker_add(&ui->pick.picker, key, text, x->reason ? x->reason->definition : NULL, 0,
	           ui->exclusion.reason == x->reason && (x->reason || !ui->exclusion.reason),
	           value);
}

void panel_pick_exclusion(struct tui *ui)
{
	struct picker *p = &ui->pick.picker;
	picker_reset(p, "Exclude the issue: pick a reason");
	ui->pick.kind = PICK_EXCLUSION;
	if (ui->opt->mode == TUI_RECONCILE) {
		add_decision_entry(ui, 'A', ui->opt->name_a, &ui->exclusion_a, ui->codes_a, PICK_A);
		add_decision_entry(ui, 'B', ui->opt->name_b, &ui->exclusion_b, ui->codes_b, PICK_B);
	}
	for (size_t i = 0; i < ui->tax->nreasons; i++)
		picker_add(p, picker_letter(i), ui->tax->reasons[i].name,
		           ui->tax->reasons[i].definition, 0,
		           ui->exclusion.reason == &ui->tax->reasons[i], (int)i);
	picker_add(p, '0', "not excluded (include it again)", NULL, 0, 0, PICK_NONE);
}

static void detail_done(struct tui *ui, const char *text)
{
	if (ui->exclusion.reason)
		session_save_exclusion(ui, ui->exclusion.reason, text);
}

static void chose_exclusion(struct tui *ui, int value)
{
	picker_close(&ui->pick.picker);
	if (value == PICK_A || value == PICK_B) {
		session_take_decision(ui, value == PICK_A ? 'A' : 'B');
		return;
	}
	if (value == PICK_NONE && !ui->exclusion.reason) {
		display_status(ui, STYLE_NORMAL, "the issue is not excluded: nothing to change");
		return;
	}
	if (value == PICK_NONE) {
		session_save_exclusion(ui, NULL, NULL);
		return;
	}
	const struct tax_reason *reason = &ui->tax->reasons[value];
	const char *detail = ui->exclusion.reason ? ui->exclusion.detail : NULL;
	char *kept = detail ? xstrdup(detail) : NULL;
	if (!session_save_exclusion(ui, reason, kept)) {
		display_prompt(ui, "Why excluded (optional, Enter keeps it): ", kept ? kept : "",
		               detail_done);
		ui->prompt.multiline = 1;
		ui->prompt.cancel_message = "excluded, with the note it had";
	}
	free(kept);
}

int panel_pick_key(struct tui *ui, int key)
{
	struct picker *p = &ui->pick.picker;
	if (!p->open || key == '?' || key == SCREEN_KEY(KEY_RESIZE))
		return 0;
	size_t chosen;
	enum picker_result r = display_picker_key(ui, key, &chosen);
	if (r == PICKER_CHOSEN) {
		int value = p->entries[chosen].value;
		if (ui->pick.kind == PICK_EXCLUSION)
			chose_exclusion(ui, value);
		else if (ui->pick.cat)
			chose_subcategory(ui, value);
		else
			chose_category(ui, value);
	} else if (r == PICKER_CANCELLED) {
		if (ui->pick.kind == PICK_EXCLUSION)
			picker_close(p);
		else
			cancelled(ui);
	}
	return 1;
}

int panel_pick_height(struct tui *ui, int width, int avail)
{
	return picker_height(&ui->pick.picker, width, avail);
}

void panel_pick_draw(struct tui *ui, struct view *v)
{
	picker_draw(&ui->pick.picker, v->y, v->x, v->h, v->w);
}

static void note_done(struct tui *ui, const char *text)
{
	session_save_note(ui, text);
}

void panel_edit_note(struct tui *ui)
{
	display_prompt(ui, "Note: ", ui->note ? ui->note : "", note_done);
	ui->prompt.multiline = 1;
}

void panel_edit_note_in_editor(struct tui *ui)
{
	const struct label_issue *is = ui->issue;
	char *about = xstrfmt("# Do not change or remove the line above: everything below it is "
	                      "ignored.\n# The note of %s on %s#%lld (sample %s): any number of "
	                      "lines. Save and quit to keep it;\n# an empty note removes it.\n",
	                      ui->opt->rater, is->repo, (long long)is->number, ui->opt->set_name);
	char *text;
	struct error err;
	display_pause(ui);
	int rc = editor_edit(ui->note, about, screen_is_headless(), &text, &err);
	display_resume(ui);
	free(about);
	if (rc < 0)
		display_status(ui, STYLE_ERROR, "note not saved: %s", err.msg);
	else if (rc > 0)
		display_status(ui, STYLE_NORMAL, "the editor is ':': the note stays as it was");
	else if ((!ui->note && !*text) || (ui->note && !strcmp(ui->note, text)))
		display_status(ui, STYLE_NORMAL, "note unchanged");
	else
		session_save_note(ui, text);
	free(text);
}

void panel_note_line(const char *note, char *buf, size_t size)
{
	size_t first = strcspn(note, "\n"), more = 0;
	for (const char *p = note + first; *p; p++)
		more += *p == '\n' && p[1];
	if (more)
		snprintf(buf, size, "%.*s (+%zu more line%s)", (int)first, note, more,
		         more == 1 ? "" : "s");
	else
		snprintf(buf, size, "%.*s", (int)first, note);
}

/* The widest dimension name, for aligning the codes. */
static int name_width(const struct taxonomy *t)
{
	int w = 8; /* "Excluded" */
	for (size_t d = 0; d < t->ndims; d++) {
		int n = text_width(t->dims[d].name, strlen(t->dims[d].name));
		w = n > w ? n : w;
	}
	return w;
}

/* Draws a row of the panel; returns the column after its value. */
static int draw_row(int y, int x, int w, int key, const char *name, int name_w, const char *value)
{
	char k[2] = {(char)key, 0};
	screen_style(STYLE_KEY);
	screen_str(y, x + 1, 1, k);
	screen_style(STYLE_NORMAL);
	screen_str(y, x + 3, name_w, name);
	screen_style(value ? STYLE_NORMAL : STYLE_DIM);
	return x + 5 + name_w +
	       screen_str(y, x + 5 + name_w, w - 5 - name_w, value ? value : "(none)");
}

/* After a dimension's code: what the rules suggest and why, or why they suggest nothing. */
static void draw_suggestion(struct tui *ui, size_t d, int y, int at, int end)
{
	const struct suggestion *sg = ui->suggest && ui->issue ? &ui->suggest[d] : NULL;
	/* Without fix data nothing is said here: the fix view says how to fetch it. */
	if (!sg || sg->state == SUGGEST_NO_RULES || sg->state == SUGGEST_NO_DATA || end - at < 8)
		return;
	/* Short, for a row of 80 columns: the whole sentence is in the picker ('=' entry). */
	char text[1200], label[512], evidence[600];
	snprintf(evidence, sizeof(evidence), "%ld/%ld files: %s", sg->matched, sg->files,
	         sg->globs);
	if (sg->state == SUGGEST_NO_FILES)
		snprintf(text, sizeof(text), "(no suggestion: no changed files)");
	else if (sg->state == SUGGEST_NO_MATCH)
		snprintf(text, sizeof(text), "(no suggestion: no rule matches its %ld files)",
		         sg->files);
	else if (is_suggested(&ui->codes[d], sg))
		snprintf(text, sizeof(text), "as suggested (%s)", evidence);
	else {
		struct tax_code code = {sg->dim, sg->cat, sg->sub};
		tax_code_label(&code, label, sizeof(label));
		snprintf(text, sizeof(text), "%s %s (%s)",
		         ui->codes[d].cat ? "suggested:" : "s:", label, evidence);
	}
	screen_style(STYLE_DIM);
	screen_str(y, at + 3, end - at - 3, text);
}

static void panel_draw(struct tui *ui, struct view *v)
{
	if (ui->pick.picker.open) {
		panel_pick_draw(ui, v);
		return;
	}
	char title[300], position[64];
	snprintf(title, sizeof(title), "Codes of %s", ui->opt->rater);
	display_describe_position(ui, position, sizeof(position));
	display_rule(v->y, v->x, v->w, title, position);
	int name_w = name_width(ui->tax);
	for (size_t d = 0; d < ui->tax->ndims && (int)d + 1 < v->h; d++) {
		char label[512];
		if (ui->codes[d].cat)
			tax_code_label(&ui->codes[d], label, sizeof(label));
		int at = draw_row(v->y + 1 + (int)d, v->x, v->w, d < 9 ? '1' + (int)d : ' ',
		                  ui->tax->dims[d].name, name_w, ui->codes[d].cat ? label : NULL);
		draw_suggestion(ui, d, v->y + 1 + (int)d, at, v->x + v->w - 1);
	}
	char note[1024], excluded[1024];
	if (ui->note)
		panel_note_line(ui->note, note, sizeof(note));
	if ((int)ui->tax->ndims + 1 < v->h)
		draw_row(v->y + 1 + (int)ui->tax->ndims, v->x, v->w, 'e', "Note", name_w,
		         ui->note ? note : NULL);
	if (ui->exclusion.reason) {
		char detail[900] = "";
		if (ui->exclusion.detail)
			panel_note_line(ui->exclusion.detail, detail, sizeof(detail));
		snprintf(excluded, sizeof(excluded), "%s%s%s", ui->exclusion.reason->name,
		         *detail ? ": " : "", detail);
	}
	if ((int)ui->tax->ndims + 2 < v->h)
		draw_row(v->y + 2 + (int)ui->tax->ndims, v->x, v->w, 'x', "Excluded", name_w,
		         ui->exclusion.reason ? excluded : NULL);
}

int panel_key(struct tui *ui, struct view *v, int key)
{
	if (panel_pick_key(ui, key))
		return 1;
	if (ui->pick.picker.open)
		return 0;
	int d = panel_dimension_key(ui, key);
	if (d >= 0) {
		panel_pick_dimension(ui, (size_t)d);
		return 1;
	}
	if (key == 'e') {
		panel_edit_note(ui);
		return 1;
	}
	if (key == 'E') {
		panel_edit_note_in_editor(ui);
		return 1;
	}
	if (key == 'x') {
		panel_pick_exclusion(ui);
		return 1;
	}
	if (key == 's' && ui->suggest) {
		session_accept_suggestions(ui, -1);
		return 1;
	}
	return 0;
}

static int panel_height(struct tui *ui, struct view *v, int avail)
{
	if (ui->pick.picker.open)
		return panel_pick_height(ui, v->w, avail);
	int want = (int)ui->tax->ndims + 3;
	return want < avail ? want : avail;
}

const struct view_ops panel_ops = {
        .name = "panel",
        .draw = panel_draw,
        .key = panel_key,
        .height = panel_height,
        .hints = "1-9 code  x exclude  e/E note  f fixes  u undo  h/l ]/[ issues  Tab list  "
                 "? help  q quit",
};
