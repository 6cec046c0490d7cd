/*
 * reconcile.c - the reconcile panel: for each dimension, the two raters'
 * codes side by side with the adjudicator's, below the issue reader.
 *
 * Blind coding ends here by design, and the panel says so in its title.
 * Choosing works as in the coding panel (panel.c), whose pickers offer two
 * more keys here: 'A' and 'B' take the first or second rater's code. The
 * row under the dimensions is each one's decision on exclusion ('x'). An
 * external rater's code shows the confidence its answer gave it.
 */
#include "display.h"
#include "session.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

void reconcile_code_text(const struct tax_code *c, double conf, char *buf, size_t size)
{
	if (c->cat)
		recon_code_label(c, conf, buf, size);
	else
		snprintf(buf, size, "(none)");
}

static int same_code(const struct tax_code *a, const struct tax_code *b)
{
	return a->cat == b->cat && a->sub == b->sub;
}

/* "excluded: Not a failure", "included" for a rater who coded, or "(none)". */
static void decision_text(const struct tui *ui, const struct exclusion *x,
                          const struct tax_code *codes, char *buf, size_t size)
{
	int coded = 0;
	for (size_t d = 0; d < ui->tax->ndims; d++)
		coded |= codes[d].cat != NULL;
	if (x->reason)
		snprintf(buf, size, "excluded: %s", x->reason->name);
	else
		snprintf(buf, size, "%s", coded ? "included" : "(none)");
}

static int name_width(const struct taxonomy *t)
{
	int w = 9; /* "dimension" */
	for (size_t d = 0; d < t->ndims; d++) {
		int n = text_width(t->dims[d].name, strlen(t->dims[d].name));
		w = n > w ? n : w;
	}
	return w > 16 ? 16 : w;
}

/* Row cells: key, dimension, first rater, second rater, adjudicator. */
static void draw_cells(int y, int w, int name_w, const char *key, const char *name,
                       const char *const cells[3], const enum screen_style styles[3])
{
	int col_w = (w - 5 - name_w) / 3;
	screen_style(STYLE_KEY);
	screen_str(y, 1, 1, key);
	screen_style(STYLE_NORMAL);
	screen_str(y, 3, name_w, name);
	for (int i = 0; i < 3; i++) {
		screen_style(styles[i]);
		screen_str(y, 5 + name_w + i * col_w, col_w - 1, cells[i]);
	}
}

static void reconcile_draw(struct tui *ui, struct view *v)
{
	if (ui->pick.picker.open) {
		panel_pick_draw(ui, v);
		return;
	}
	const struct tui_options *o = ui->opt;
	char title[400];
	snprintf(title, sizeof(title),
	         "%s decides - blindness ends here: both raters' codes are shown", o->rater);
	display_rule(v->y, v->x, v->w, title, NULL);
	int name_w = name_width(ui->tax);
	const char *heads[3] = {o->name_a, o->name_b, o->rater};
	const enum screen_style head_styles[3] = {STYLE_HEADING, STYLE_HEADING, STYLE_HEADING};
	if (v->h > 1)
		draw_cells(v->y + 1, v->w, name_w, "", "dimension", heads, head_styles);
	for (size_t d = 0; d < ui->tax->ndims && (int)d + 2 < v->h; d++) {
		char a[512], b[512], as[512], key[2] = {d < 9 ? (char)('1' + d) : ' ', 0};
		reconcile_code_text(&ui->codes_a[d], ui->conf_a[d], a, sizeof(a));
		reconcile_code_text(&ui->codes_b[d], ui->conf_b[d], b, sizeof(b));
		reconcile_code_text(&ui->codes[d], -1, as, sizeof(as));
		int differ = !same_code(&ui->codes_a[d], &ui->codes_b[d]);
		enum screen_style cs = differ ? STYLE_DIFFER : STYLE_NORMAL;
		const char *cells[3] = {a, b, as};
		const enum screen_style styles[3] = {cs, cs,
		                                     ui->codes[d].cat ? STYLE_SAVED : STYLE_DIM};
		draw_cells(v->y + 2 + (int)d, v->w, name_w, key, ui->tax->dims[d].name, cells,
		           styles);
		if (differ)
			screen_str(v->y + 2 + (int)d, 0, 1, "*");
	}
	int ex_y = v->y + 2 + (int)ui->tax->ndims;
	if (ex_y < v->y + v->h) {
		char a[300], b[300], as[300];
		decision_text(ui, &ui->exclusion_a, ui->codes_a, a, sizeof(a));
		decision_text(ui, &ui->exclusion_b, ui->codes_b, b, sizeof(b));
		decision_text(ui, &ui->exclusion, ui->codes, as, sizeof(as));
		int differ = ui->exclusion_a.reason != ui->exclusion_b.reason;
		enum screen_style cs = differ ? STYLE_DIFFER : STYLE_NORMAL;
		const char *cells[3] = {a, b, as};
		const enum screen_style styles[3] = {
		        cs, cs, ui->exclusion.reason ? STYLE_SAVED : STYLE_DIM};
		draw_cells(ex_y, v->w, name_w, "x", "exclusion", cells, styles);
		if (differ)
			screen_str(ex_y, 0, 1, "*");
	}
	int note_y = ex_y + 1;
	if (note_y < v->y + v->h) {
		screen_style(STYLE_KEY);
		screen_str(note_y, 1, 1, "e");
		screen_style(STYLE_NORMAL);
		screen_str(note_y, 3, name_w, "note");
		char note[1024];
		if (ui->note)
			panel_note_line(ui->note, note, sizeof(note));
		screen_style(ui->note ? STYLE_NORMAL : STYLE_DIM);
		screen_str(note_y, 5 + name_w, v->w - 5 - name_w, ui->note ? note : "(none)");
	}
}

static int reconcile_height(struct tui *ui, struct view *v, int avail)
{
	if (ui->pick.picker.open)
		return panel_pick_height(ui, v->w, avail);
	int want = (int)ui->tax->ndims + 4;
	return want < avail ? want : avail;
}

const struct view_ops reconcile_ops = {
        .name = "reconcile",
        .draw = reconcile_draw,
        .key = panel_key,
        .height = reconcile_height,
        .hints = "1-9/x decide (A/B: a rater's)  e note  u undo  h/l ]/[ issues  ? help  q quit",
};
