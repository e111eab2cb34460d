/*
 * wml.c: WordprocessingML to paragraphs, as Word shows them.
 *
 * One SAX pass over each story part.  What is not shown is never copied:
 * deleted text (or inserted text with the original view), hidden runs,
 * field instructions, the branch of mc:AlternateContent not taken.  Text
 * boxes are paragraphs inside a paragraph: they are held until the
 * paragraph that anchors them ends and then emitted after it, so they
 * stand where they are anchored.  Memory is one paragraph and its text
 * boxes, however large the part.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kh.h"
#include "docx.h"
#include "package.h"
#include "text.h"
#include "xml.h"
#include "wml_int.h"

#define FIELD_MAX	32	/* nesting of complex fields followed */
#define ALT_MAX		16	/* nesting of mc:AlternateContent */
#define TABLE_MAX	32	/* nesting of tables followed */

const char *
kh_story_name(enum kh_story s)
{
	static const char *const names[] = { "body", "table", "textbox",
	    "footnote", "endnote", "comment", "header", "footer" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "body";
}

/* A paragraph being read. */
struct para {
	kh_buf		 text;
	char		*style_id;
	int		 num_id, ilvl;	/* from the paragraph itself, -1 none */
	int		 outline;
	int		 bold, italic;	/* -2 no visible run yet */
	enum kh_story	 story;
	int		 table, table_no, row, cell;
};

/* A finished text box paragraph waiting for its anchor to end. */
struct held {
	struct para	 p;
	char		*label;
	int		 list;
	int		 num_level;
};

struct reader {
	kh_package		*pkg;
	const kh_docx_opts	*opts;
	const kh_docx_cb	*cb;
	kh_err			*err;
	struct wml_styles	 styles;
	struct wml_numbering	 numbering;
	kh_buf			 label;
	long			 index;		/* paragraphs emitted */
	int			 failed;

	/* The part being read. */
	enum kh_story		 base;		/* body, footnote, ... */
	size_t			 depth;
	size_t			 skip_depth;	/* > 0: ignore until this depth ends */
	int			 del, ins;	/* inside w:del/moveFrom, w:ins/moveTo */
	int			 instr;		/* inside w:instrText */
	int			 field[FIELD_MAX];	/* 1 instruction, 2 result */
	int			 nfield;
	int			 alt_taken[ALT_MAX];
	int			 nalt;
	int			 in_run, in_rpr, in_ppr, in_numpr, in_pprrpr;
	int			 run_vanish, run_bold, run_italic;
	char			*run_style;
	int			 txbx;		/* text box nesting */
	int			 tables;	/* body table nesting */
	int			 table_no;
	int			 row[TABLE_MAX], cell[TABLE_MAX];
	struct para		 stack[4];	/* paragraph, text box paragraphs */
	int			 np;		/* paragraphs open */
	struct held		*held;
	size_t			 nheld;
	int			 in_t;		/* 1 in w:t, 2 in w:delText */
};

static int
visible(const struct reader *r)
{
	int i;

	if (r->skip_depth > 0 || r->instr)
		return 0;
	if (r->opts->original ? r->ins > 0 : r->del > 0)
		return 0;
	for (i = 0; i < r->nfield && i < FIELD_MAX; i++)
		if (r->field[i] == 1)
			return 0;
	return 1;
}

static void
fail(struct reader *r, kh_xml *x, const char *msg)
{
	if (!r->failed) {
		r->failed = 1;
		kh_xml_stop(x, "%s", msg);
	}
}

static struct para *
cur(struct reader *r)
{
	return r->np > 0 ? &r->stack[r->np - 1] : NULL;
}

static void
add_text(struct reader *r, kh_xml *x, const char *s, size_t n)
{
	struct para *p = cur(r);

	if (p == NULL || n == 0)
		return;
	if (p->text.len + n > r->opts->limits.para_bytes) {
		char msg[128];

		snprintf(msg, sizeof(msg), "paragraph longer than %llu bytes "
		    "(--max-para)",
		    (unsigned long long)r->opts->limits.para_bytes);
		fail(r, x, msg);
		return;
	}
	kh_buf_add(&p->text, s, n);
}

/* Emphasis of a visible run: direct, then its character style, then the paragraph's. */
static void
note_emphasis(struct reader *r)
{
	struct para *p = cur(r);
	const struct wml_style *cs, *ps;
	int b = r->run_bold, i = r->run_italic;

	if (p == NULL)
		return;
	cs = r->run_style ? kh_wml_style(&r->styles, r->run_style, 'c') : NULL;
	ps = kh_wml_style(&r->styles, p->style_id, 'p');
	if (b == -1 && cs != NULL)
		b = kh_wml_style_bold(&r->styles, cs);
	if (b == -1 && ps != NULL)
		b = kh_wml_style_bold(&r->styles, ps);
	if (i == -1 && cs != NULL)
		i = kh_wml_style_italic(&r->styles, cs);
	if (i == -1 && ps != NULL)
		i = kh_wml_style_italic(&r->styles, ps);
	b = b == 1;
	i = i == 1;
	p->bold = p->bold == -2 ? b : (p->bold == b ? b : -1);
	p->italic = p->italic == -2 ? i : (p->italic == i ? i : -1);
}

static int
run_hidden(struct reader *r)
{
	const struct wml_style *cs;

	if (r->run_vanish != -1)
		return r->run_vanish;
	if (r->run_style != NULL &&
	    (cs = kh_wml_style(&r->styles, r->run_style, 'c')) != NULL)
		return kh_wml_style_vanish(&r->styles, cs) == 1;
	return 0;
}

static void
para_open(struct reader *r)
{
	struct para *p;

	if (r->np == (int)(sizeof(r->stack) / sizeof(r->stack[0]))) {
		r->np++;	/* too deep to follow: counted, not read */
		return;
	}
	p = &r->stack[r->np++];
	kh_buf_reset(&p->text);
	kh_buf_adds(&p->text, "");
	free(p->style_id);
	p->style_id = NULL;
	p->num_id = p->ilvl = p->outline = -1;
	p->bold = p->italic = -2;
	p->story = r->txbx > 0 ? KH_STORY_TEXTBOX :
	    r->base == KH_STORY_BODY && r->tables > 0 ? KH_STORY_TABLE : r->base;
	p->table = r->base == KH_STORY_BODY ? r->tables : 0;
	p->table_no = p->table > 0 ? r->table_no : 0;
	p->row = r->tables > 0 && r->tables <= TABLE_MAX ?
	    r->row[r->tables - 1] : 0;
	p->cell = r->tables > 0 && r->tables <= TABLE_MAX ?
	    r->cell[r->tables - 1] : 0;
}

static int
emit(struct reader *r, struct para *p, const char *label, int list,
    int num_level)
{
	const struct wml_style *ps;
	kh_para out;
	char *nfc;
	size_t len;
	int rc;

	ps = kh_wml_style(&r->styles, p->style_id, 'p');
	memset(&out, 0, sizeof(out));
	out.index = ++r->index;
	out.story = p->story;
	out.style = ps != NULL ? ps->name : "";
	out.label = label;
	if ((nfc = kh_nfc(p->text.s, p->text.len, &len)) == NULL) {
		kh_err_set(r->err, "paragraph %ld is not valid UTF-8", out.index);
		return -1;
	}
	out.text = nfc;
	out.len = len;
	out.outline = p->outline >= 0 ? p->outline :
	    ps != NULL ? kh_wml_style_outline(&r->styles, ps) : -1;
	if (out.outline > 8)
		out.outline = -1;
	out.heading = ps != NULL && (strncasecmp(ps->name, "heading ", 8) == 0 ||
	    (kh_wml_style_outline(&r->styles, ps) >= 0 &&
	    kh_wml_style_outline(&r->styles, ps) <= 8));
	out.table = p->table;
	out.table_no = p->table_no;
	out.row = p->row;
	out.cell = p->cell;
	out.list = list;
	out.num_level = num_level;
	out.bold = p->bold == -2 ? 0 : p->bold;
	out.italic = p->italic == -2 ? 0 : p->italic;
	rc = r->cb->para(r->cb->ud, &out, r->err);
	free(nfc);
	return rc;
}

/* The label of p from its numbering, or its style's; -1 on a bad reference. */
static void
para_label(struct reader *r, struct para *p, int *list, int *level)
{
	const struct wml_style *ps;
	int num = p->num_id, ilvl = p->ilvl;
	char msg[96];
	kh_loc loc = { r->index + 1, 0, 0 };

	ps = kh_wml_style(&r->styles, p->style_id, 'p');
	if (num == -1 && ps != NULL) {
		num = kh_wml_style_num(&r->styles, ps);
		if (ilvl == -1)
			ilvl = kh_wml_style_ilvl(&r->styles, ps);
	}
	if (ilvl < 0)
		ilvl = 0;
	*list = 0;
	*level = -1;
	kh_buf_reset(&r->label);
	kh_buf_adds(&r->label, "");
	/* numId 0 takes numbering away. */
	if (num <= 0)
		return;
	if (kh_wml_label(&r->numbering, num, ilvl, &r->label) == -1) {
		snprintf(msg, sizeof(msg), "numbering %d is not defined in "
		    "numbering.xml", num);
		if (r->cb->diag != NULL)
			r->cb->diag(r->cb->ud, &loc, "warning",
			    "numbering-missing", msg);
		return;
	}
	/* A level whose text is only spaces shows no label. */
	while (r->label.len > 0 && (r->label.s[r->label.len - 1] == ' ' ||
	    r->label.s[r->label.len - 1] == '\t'))
		r->label.s[--r->label.len] = '\0';
	*list = r->label.len > 0;
	*level = ilvl;
}

static void
para_close(struct reader *r, kh_xml *x)
{
	struct para *p;
	struct held *h;
	int list, level;
	size_t i;

	if (r->np > (int)(sizeof(r->stack) / sizeof(r->stack[0]))) {
		r->np--;
		return;
	}
	if (r->np == 0)
		return;
	p = &r->stack[r->np - 1];
	para_label(r, p, &list, &level);
	if (r->np > 1) {
		/* A text box paragraph: held until its anchor ends. */
		r->held = kh_xreallocarray(r->held, r->nheld + 1,
		    sizeof(*r->held));
		h = &r->held[r->nheld++];
		memset(h, 0, sizeof(*h));
		h->p = *p;
		h->p.text.s = kh_xstrndup(p->text.s, p->text.len);
		h->p.text.cap = p->text.len + 1;
		h->p.style_id = p->style_id ? kh_xstrdup(p->style_id) : NULL;
		h->label = kh_xstrdup(r->label.s);
		h->list = list;
		h->num_level = level;
		r->np--;
		return;
	}
	if (emit(r, p, r->label.s, list, level) == -1) {
		r->failed = 1;
		kh_xml_stop(x, "%s", r->err->msg);
	}
	for (i = 0; i < r->nheld; i++) {
		h = &r->held[i];
		if (!r->failed && emit(r, &h->p, h->label, h->list,
		    h->num_level) == -1) {
			r->failed = 1;
			kh_xml_stop(x, "%s", r->err->msg);
		}
		kh_buf_free(&h->p.text);
		free(h->p.style_id);
		free(h->label);
	}
	r->nheld = 0;
	r->np--;
}

/* Whether every prefix of mc:Choice's Requires is a namespace understood here. */
static int
requires_understood(kh_xml *x, const char *req)
{
	char buf[256], *tok, *save;
	enum kh_ns ns;

	if (req == NULL)
		return 0;
	snprintf(buf, sizeof(buf), "%s", req);
	for (tok = strtok_r(buf, " \t\r\n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r\n", &save)) {
		ns = kh_xml_prefix_ns(x, tok);
		if (ns != KH_NS_WPS && ns != KH_NS_WPG && ns != KH_NS_W14 &&
		    ns != KH_NS_W15 && ns != KH_NS_V && ns != KH_NS_O &&
		    ns != KH_NS_A && ns != KH_NS_WP && ns != KH_NS_W10)
			return 0;
	}
	return 1;
}

static const char *
attr_val(size_t n, const kh_xml_attr *a, const char *name)
{
	return kh_wml_val(n, a, name);
}

static void
on_start(void *ud, kh_xml *x, enum kh_ns ns, const char *local, size_t n,
    const kh_xml_attr *a)
{
	struct reader *r = ud;
	struct para *p;
	const char *v;
	char enc[4];
	int32_t cp;

	r->depth++;
	if (r->failed || r->skip_depth > 0)
		return;
	if (ns == KH_NS_MC) {
		if (strcmp(local, "AlternateContent") == 0) {
			if (r->nalt < ALT_MAX)
				r->alt_taken[r->nalt] = 0;
			r->nalt++;
		} else if (strcmp(local, "Choice") == 0 && r->nalt > 0 &&
		    r->nalt <= ALT_MAX) {
			if (!r->alt_taken[r->nalt - 1] &&
			    requires_understood(x, kh_wml_val(n, a, "Requires") ?
			    kh_wml_val(n, a, "Requires") : NULL))
				r->alt_taken[r->nalt - 1] = 1;
			else
				r->skip_depth = r->depth;
		} else if (strcmp(local, "Fallback") == 0 && r->nalt > 0 &&
		    r->nalt <= ALT_MAX) {
			if (r->alt_taken[r->nalt - 1])
				r->skip_depth = r->depth;
			else
				r->alt_taken[r->nalt - 1] = 1;
		}
		return;
	}
	if (ns == KH_NS_V && strcmp(local, "textbox") == 0)
		return;
	if (ns != KH_NS_W)
		return;
	p = cur(r);
	switch (local[0]) {
	case 'b':
		if (strcmp(local, "b") == 0 && r->in_rpr)
			r->run_bold = kh_wml_onoff(attr_val(n, a, "val"));
		else if (strcmp(local, "br") == 0 && r->in_run && visible(r) &&
		    !run_hidden(r)) {
			v = attr_val(n, a, "type");
			if (v == NULL || strcmp(v, "textWrapping") == 0)
				add_text(r, x, "\n", 1);
		}
		return;
	case 'c':
		if (strcmp(local, "cr") == 0 && r->in_run && visible(r) &&
		    !run_hidden(r))
			add_text(r, x, "\n", 1);
		return;
	case 'd':
		if (strcmp(local, "del") == 0)
			r->del++;
		return;
	case 'e':
	case 'f':
		if (strcmp(local, "fldChar") == 0) {
			v = attr_val(n, a, "fldCharType");
			if (v == NULL)
				return;
			if (strcmp(v, "begin") == 0) {
				if (r->nfield < FIELD_MAX)
					r->field[r->nfield] = 1;
				r->nfield++;
			} else if (strcmp(v, "separate") == 0) {
				if (r->nfield > 0 && r->nfield <= FIELD_MAX)
					r->field[r->nfield - 1] = 2;
			} else if (strcmp(v, "end") == 0 && r->nfield > 0)
				r->nfield--;
		} else if (strcmp(local, "footnote") == 0 ||
		    strcmp(local, "endnote") == 0) {
			v = attr_val(n, a, "type");
			/* Separators are Word's furniture, not notes. */
			if (v != NULL && strcmp(v, "normal") != 0)
				r->skip_depth = r->depth;
		}
		return;
	case 'i':
		if (strcmp(local, "ins") == 0)
			r->ins++;
		else if (strcmp(local, "instrText") == 0 ||
		    strcmp(local, "instrtext") == 0)
			r->instr = 1;
		else if (strcmp(local, "i") == 0 && r->in_run && r->in_rpr)
			r->run_italic = kh_wml_onoff(attr_val(n, a, "val"));
		else if (strcmp(local, "ilvl") == 0 && r->in_numpr && p != NULL)
			p->ilvl = atoi(attr_val(n, a, "val") ?
			    attr_val(n, a, "val") : "0");
		return;
	case 'm':
		if (strcmp(local, "moveFrom") == 0)
			r->del++;
		else if (strcmp(local, "moveTo") == 0)
			r->ins++;
		return;
	case 'n':
		if (strcmp(local, "noBreakHyphen") == 0 && r->in_run &&
		    visible(r) && !run_hidden(r))
			add_text(r, x, "-", 1);
		else if (strcmp(local, "numPr") == 0 && r->in_ppr)
			r->in_numpr = 1;
		else if (strcmp(local, "numId") == 0 && r->in_numpr && p != NULL)
			p->num_id = atoi(attr_val(n, a, "val") ?
			    attr_val(n, a, "val") : "0");
		return;
	case 'o':
		if (strcmp(local, "outlineLvl") == 0 && r->in_ppr && p != NULL &&
		    (v = attr_val(n, a, "val")) != NULL)
			p->outline = atoi(v);
		return;
	case 'p':
		if (strcmp(local, "p") == 0)
			para_open(r);
		else if (strcmp(local, "pPr") == 0)
			r->in_ppr = 1;
		else if (strcmp(local, "pStyle") == 0 && r->in_ppr && p != NULL &&
		    (v = attr_val(n, a, "val")) != NULL) {
			free(p->style_id);
			p->style_id = kh_xstrdup(v);
		} else if (strcmp(local, "ptab") == 0 && r->in_run &&
		    visible(r) && !run_hidden(r))
			add_text(r, x, "\t", 1);
		return;
	case 'r':
		if (strcmp(local, "r") == 0) {
			r->in_run = 1;
			r->run_vanish = r->run_bold = r->run_italic = -1;
			free(r->run_style);
			r->run_style = NULL;
		} else if (strcmp(local, "rPr") == 0) {
			if (r->in_run)
				r->in_rpr = 1;
			else if (r->in_ppr)
				r->in_pprrpr = 1;
		} else if (strcmp(local, "rStyle") == 0 && r->in_rpr &&
		    (v = attr_val(n, a, "val")) != NULL) {
			free(r->run_style);
			r->run_style = kh_xstrdup(v);
		}
		return;
	case 's':
		if (strcmp(local, "sym") == 0 && r->in_run && visible(r) &&
		    !run_hidden(r) && (v = attr_val(n, a, "char")) != NULL) {
			cp = (int32_t)strtol(v, NULL, 16);
			/* Symbol fonts draw ASCII from F020..F07E. */
			if (cp >= 0xf020 && cp <= 0xf07e)
				cp -= 0xf000;
			if (cp > 0 && cp < 0x110000 &&
			    !(cp >= 0xd800 && cp <= 0xdfff))
				add_text(r, x, enc, kh_utf8_encode(cp, enc));
		}
		return;
	case 't':
		if (strcmp(local, "tab") == 0 && r->in_run && visible(r) &&
		    !run_hidden(r))
			add_text(r, x, "\t", 1);
		else if (strcmp(local, "tbl") == 0 && r->txbx == 0) {
			if (r->base == KH_STORY_BODY && r->tables == 0)
				r->table_no++;
			r->tables++;
			if (r->tables <= TABLE_MAX)
				r->row[r->tables - 1] = -1;
		} else if (strcmp(local, "tr") == 0 && r->tables > 0 &&
		    r->tables <= TABLE_MAX && r->txbx == 0) {
			r->row[r->tables - 1]++;
			r->cell[r->tables - 1] = -1;
		} else if (strcmp(local, "tc") == 0 && r->tables > 0 &&
		    r->tables <= TABLE_MAX && r->txbx == 0)
			r->cell[r->tables - 1]++;
		else if (strcmp(local, "txbxContent") == 0)
			r->txbx++;
		return;
	case 'v':
		if (strcmp(local, "vanish") == 0 && r->in_rpr)
			r->run_vanish = kh_wml_onoff(attr_val(n, a, "val"));
		return;
	default:
		return;
	}
}

static void
on_end(void *ud, kh_xml *x, enum kh_ns ns, const char *local)
{
	struct reader *r = ud;

	if (r->skip_depth > 0) {
		if (r->depth-- == r->skip_depth)
			r->skip_depth = 0;
		return;
	}
	r->depth--;
	if (r->failed)
		return;
	if (ns == KH_NS_MC) {
		if (strcmp(local, "AlternateContent") == 0 && r->nalt > 0)
			r->nalt--;
		return;
	}
	if (ns != KH_NS_W)
		return;
	if (strcmp(local, "p") == 0)
		para_close(r, x);
	else if (strcmp(local, "r") == 0)
		r->in_run = r->in_rpr = 0;
	else if (strcmp(local, "rPr") == 0)
		r->in_rpr = r->in_pprrpr = 0;
	else if (strcmp(local, "pPr") == 0)
		r->in_ppr = r->in_numpr = 0;
	else if (strcmp(local, "numPr") == 0)
		r->in_numpr = 0;
	else if (strcmp(local, "del") == 0 || strcmp(local, "moveFrom") == 0)
		r->del -= r->del > 0;
	else if (strcmp(local, "ins") == 0 || strcmp(local, "moveTo") == 0)
		r->ins -= r->ins > 0;
	else if (strcmp(local, "instrText") == 0)
		r->instr = 0;
	else if (strcmp(local, "tbl") == 0 && r->tables > 0 && r->txbx == 0)
		r->tables--;
	else if (strcmp(local, "txbxContent") == 0 && r->txbx > 0)
		r->txbx--;
}

/* Only w:t (and w:delText) hold text: r->in_t says which is open. */
static void
on_start_t(void *ud, kh_xml *x, enum kh_ns ns, const char *local, size_t n,
    const kh_xml_attr *a)
{
	struct reader *r = ud;

	on_start(ud, x, ns, local, n, a);
	if (ns == KH_NS_W && r->skip_depth == 0 && r->in_run &&
	    (strcmp(local, "t") == 0 || strcmp(local, "delText") == 0))
		r->in_t = local[0] == 't' ? 1 : 2;
}

static void
on_end_t(void *ud, kh_xml *x, enum kh_ns ns, const char *local)
{
	struct reader *r = ud;

	if (ns == KH_NS_W && (strcmp(local, "t") == 0 ||
	    strcmp(local, "delText") == 0))
		r->in_t = 0;
	on_end(ud, x, ns, local);
}

static void
on_text(void *ud, kh_xml *x, const char *s, size_t len)
{
	struct reader *r = ud;

	if (r->in_t == 0 || r->failed || !visible(r) || run_hidden(r))
		return;
	/* w:delText is shown only in the original view, inside a deletion. */
	if (r->in_t == 2 && !(r->opts->original && r->del > 0))
		return;
	add_text(r, x, s, len);
	note_emphasis(r);
}

static int
read_story(struct reader *r, const char *part, enum kh_story story)
{
	static const kh_xml_handler h = { on_start_t, on_end_t, on_text };

	r->base = story;
	r->depth = r->skip_depth = 0;
	r->del = r->ins = r->instr = r->nfield = r->nalt = 0;
	r->in_run = r->in_rpr = r->in_ppr = r->in_numpr = r->in_pprrpr = 0;
	r->txbx = r->tables = 0;
	r->np = 0;
	r->in_t = 0;
	return kh_xml_parse_part(r->pkg, part, &h, r, &r->opts->limits,
	    r->err);
}

int
kh_docx_read(kh_package *pkg, const kh_docx_opts *opts,
    const kh_docx_cb *cb, kh_err *err)
{
	static const char *const order[] = { "footnotes", "endnotes",
	    "comments", "header", "footer" };
	static const enum kh_story stories[] = { KH_STORY_FOOTNOTE,
	    KH_STORY_ENDNOTE, KH_STORY_COMMENT, KH_STORY_HEADER,
	    KH_STORY_FOOTER };
	struct reader r;
	const kh_rel *rels;
	const char *main = kh_package_main(pkg);
	size_t nrels, i, k;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.pkg = pkg;
	r.opts = opts;
	r.cb = cb;
	r.err = err;
	if (kh_package_rels(pkg, main, &rels, &nrels, err) == -1)
		return -1;
	for (i = 0; i < nrels; i++) {
		if (rels[i].external || !kh_package_has(pkg, rels[i].target))
			continue;
		if (kh_rel_is(&rels[i], "styles") && r.styles.n == 0 &&
		    kh_wml_styles_read(&r.styles, pkg, rels[i].target,
		    &opts->limits, err) == -1)
			goto done;
		if (kh_rel_is(&rels[i], "numbering") && r.numbering.nnum == 0 &&
		    kh_wml_numbering_read(&r.numbering, pkg, rels[i].target,
		    &opts->limits, err) == -1)
			goto done;
	}
	if (read_story(&r, main, KH_STORY_BODY) == -1)
		goto done;
	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (i = 0; i < nrels; i++)
			if (!rels[i].external && kh_rel_is(&rels[i], order[k]) &&
			    kh_package_has(pkg, rels[i].target) &&
			    read_story(&r, rels[i].target, stories[k]) == -1)
				goto done;
	rc = 0;
done:
	for (i = 0; i < sizeof(r.stack) / sizeof(r.stack[0]); i++) {
		kh_buf_free(&r.stack[i].text);
		free(r.stack[i].style_id);
	}
	for (i = 0; i < r.nheld; i++) {
		kh_buf_free(&r.held[i].p.text);
		free(r.held[i].p.style_id);
		free(r.held[i].label);
	}
	free(r.held);
	free(r.run_style);
	kh_buf_free(&r.label);
	kh_wml_styles_free(&r.styles);
	kh_wml_numbering_free(&r.numbering);
	return rc;
}
