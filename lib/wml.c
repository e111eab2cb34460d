/*
 * wml.c: WordprocessingML to paragraphs, as Word shows them.
 *
 * One SAX pass over each story part, in constant memory: what is not
 * shown is never copied (deleted text, or inserted text in the original
 * view; hidden runs; field instructions; the mc:AlternateContent branch
 * not taken; continuation cells of vertical merges), and a paragraph's
 * text is kept only until the paragraph ends.
 *
 * Choices where Word's display has no single text form:
 *  - w:br and w:cr are "\n".  A page or column break (w:br w:type="page"
 *    or "column") is a "\n" between the text before and after it, and
 *    nothing at the start or end of a paragraph: Word shows the text on
 *    either side apart, and a break alone in a paragraph shows no text.
 *  - Without xml:space="preserve", spaces, tabs and newlines at the start
 *    and end of a w:t are dropped, as Word drops them; a newline inside a
 *    w:t is a space either way (a line break is w:br, not a newline).
 *  - A text box's paragraphs stand where the box is anchored: they are
 *    held until the paragraph that anchors them ends and are emitted
 *    right after it (a box inside a box after its own anchor paragraph).
 *  - A paragraph whose mark is deleted (w:pPr/w:rPr/w:del; inserted, in
 *    the original view) or hidden (w:vanish, the style separator) is
 *    joined to the next paragraph, which gives the joined paragraph its
 *    properties, as Word joins them.  A paragraph cannot join across a
 *    table, a cell or a text box: there it stands alone.
 *  - A dropped capital (w:framePr w:dropCap) is read with the paragraph
 *    it begins.
 *  - Text in capitals (w:caps, w:smallCaps) is upper case, and a symbol
 *    font's glyphs (w:sym, or private-use characters in a Symbol or
 *    Wingdings run) are the Unicode characters they draw.
 *  - Footnote and comment reference marks, page numbers and field
 *    instructions are not text.  Math (m:t) is its characters in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "kh.h"
#include "docx.h"
#include "package.h"
#include "text.h"
#include "xml.h"
#include "wml_int.h"

#define LEVELS_MAX	8	/* paragraphs open at once: one, and its boxes */
#define FIELD_MAX	32	/* nesting of complex fields followed */
#define ALT_MAX		32	/* nesting of mc:AlternateContent */
#define TABLE_MAX	32	/* nesting of tables followed */
#define IGN_MAX		16	/* mc:Ignorable declarations in scope */
#define DIAG_MAX	100	/* diags about one document */

const char *
kh_story_name(enum kh_story s)
{
	static const char *const names[] = { "body", "table", "textbox",
	    "footnote", "endnote", "comment", "header", "footer" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] :
	    "body";
}

/* A paragraph being read, or finished and waiting to be emitted. */
struct para {
	kh_buf			 text;
	const struct wml_style	*style;
	int			 num_id, ilvl;	/* its own numPr, -1 none */
	int			 outline;	/* its own outlineLvl, -1 none */
	int			 bold, italic;	/* -2: no visible run yet */
	int			 mark_del, mark_ins;
	int			 mark_vanish;	/* direct, -1 unsaid */
	int			 drop_cap;	/* a dropped capital, read with the next */
	int			 pending_break;	/* a page break waits for text */
	enum kh_story		 story;
	int			 table, table_no, row, cell;
};

/* The run being read at one paragraph level. */
struct run {
	int			 open, in_rpr, resolved;
	int			 vanish, bold, italic, caps;	/* direct, -1 unsaid */
	int			 font;		/* 'S'ymbol, 'W'ingdings, 0 other */
	const struct wml_style	*cstyle;
	int			 hidden, b, i, upper;		/* resolved */
};

/* One level of open paragraphs: level 0 is the story's, 1.. text boxes. */
struct level {
	struct para	 p;
	struct run	 run;
	int		 in_ppr, in_numpr, in_mark;	/* pPr, numPr, pPr/rPr */
	size_t		 held_mark;	/* its boxes' paragraphs start here */
	struct para	 carry;		/* a paragraph whose mark is gone */
	int		 has_carry;
	size_t		 carry_mark;
};

struct table {
	int	 row, col, cell;
	int	 in_trpr;
	size_t	 tr_depth, tc_depth;
};

struct ignorable {
	char	*uri;
	size_t	 depth;
};

struct reader {
	kh_package		*pkg;
	const kh_docx_opts	*opts;
	const kh_docx_cb	*cb;
	kh_err			*err;
	struct wml_styles	 styles;
	const struct wml_style	*def_pstyle, *def_cstyle;
	struct wml_numbering	 numbering;
	kh_buf			 label;
	kh_buf			 said;		/* diags said once: "key\n"... */
	int			 nsaid;
	long			 index;		/* paragraphs emitted */
	int			 failed;

	/* The part being read. */
	const char		*part;
	enum kh_story		 base;
	size_t			 depth;
	size_t			 skip;		/* > 0: ignore until this depth ends */
	int			 del, ins;	/* inside w:del/moveFrom, w:ins/moveTo */
	int			 field[FIELD_MAX];	/* 1 instruction, 2 result */
	int			 nfield, ninstr;
	int			 alt_taken[ALT_MAX];
	int			 nalt;
	struct ignorable	 ign[IGN_MAX];
	int			 nign;
	int			 txbx;		/* text box nesting */
	struct table		 tbl[TABLE_MAX];
	int			 ntbl;		/* tables open */
	int			 body_tables;	/* of them outside text boxes */
	int			 table_no;
	struct level		 lv[LEVELS_MAX];
	int			 np;		/* paragraphs open, maybe > LEVELS_MAX */
	struct para		*held;
	size_t			 nheld, cheld;
	int			 in_t;		/* 1 w:t, 2 w:delText, 3 m:t */
	int			 t_preserve, t_lead;
	kh_buf			 t_ws;		/* trailing blanks of a w:t, pending */
	kh_buf			 form;		/* run text in capitals or mapped */
};

static void
diag(struct reader *r, long para, const char *severity, const char *rule,
    const char *key, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/*
 * Tell the user, once per document for each key (a diag repeated for
 * every paragraph of a list would drown the one that matters).
 */
static void
diag(struct reader *r, long para, const char *severity, const char *rule,
    const char *key, const char *fmt, ...)
{
	kh_loc loc = { para, 0, 0 };
	char msg[256], k[160];
	va_list ap;

	if (r->cb->diag == NULL || r->nsaid > DIAG_MAX)
		return;
	snprintf(k, sizeof(k), "\n%s %s\n", rule, key);
	if (r->said.s != NULL && strstr(r->said.s, k) != NULL)
		return;
	kh_buf_adds(&r->said, k);
	if (++r->nsaid > DIAG_MAX) {
		snprintf(msg, sizeof(msg), "more than %d notes about this "
		    "document: the rest are left out", DIAG_MAX);
		r->cb->diag(r->cb->ud, &loc, "note", "diag-limit", msg);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->cb->diag(r->cb->ud, &loc, severity, rule, msg);
}

static void
fail(struct reader *r, kh_xml *x, const char *msg)
{
	if (!r->failed) {
		r->failed = 1;
		kh_xml_stop(x, "%s", msg);
	}
}

static struct level *
cur_level(struct reader *r)
{
	return r->np > 0 && r->np <= LEVELS_MAX ? &r->lv[r->np - 1] : NULL;
}

static struct para *
cur(struct reader *r)
{
	struct level *lv = cur_level(r);

	return lv != NULL ? &lv->p : NULL;
}

/* Whether what is read now is shown (before run properties). */
static int
visible(const struct reader *r)
{
	if (r->skip > 0 || r->ninstr > 0 || r->nfield > FIELD_MAX)
		return 0;
	return r->opts->original ? r->ins == 0 : r->del == 0;
}

static void
run_resolve(struct reader *r, struct level *lv)
{
	struct run *rn = &lv->run;
	const struct wml_style *cs = rn->cstyle, *ps = lv->p.style;
	const struct wml_styles *st = &r->styles;

	if (rn->resolved)
		return;
	rn->hidden = kh_wml_toggle(rn->vanish, cs ? cs->vanish : -1,
	    ps ? ps->vanish : -1, st->def_vanish);
	rn->b = kh_wml_toggle(rn->bold, cs ? cs->bold : -1,
	    ps ? ps->bold : -1, st->def_bold);
	rn->i = kh_wml_toggle(rn->italic, cs ? cs->italic : -1,
	    ps ? ps->italic : -1, st->def_italic);
	rn->upper = kh_wml_toggle(rn->caps, cs ? cs->caps : -1,
	    ps ? ps->caps : -1, st->def_caps);
	rn->resolved = 1;
}

/* Whether run content (text, tab, break, symbol) is shown now. */
static int
run_shows(struct reader *r)
{
	struct level *lv = cur_level(r);

	if (lv == NULL || !lv->run.open || !visible(r))
		return 0;
	run_resolve(r, lv);
	return !lv->run.hidden;
}

static int
para_add(struct reader *r, kh_xml *x, struct para *p, const char *s,
    size_t n)
{
	char msg[128];

	if (p->text.len + n > r->opts->limits.para_bytes) {
		snprintf(msg, sizeof(msg), "paragraph longer than %llu bytes "
		    "(--max-para)",
		    (unsigned long long)r->opts->limits.para_bytes);
		fail(r, x, msg);
		return -1;
	}
	kh_buf_add(&p->text, s, n);
	return 0;
}

static void
add_text(struct reader *r, kh_xml *x, const char *s, size_t n)
{
	struct para *p = cur(r);

	if (p == NULL || n == 0 || r->failed)
		return;
	if (p->pending_break) {
		p->pending_break = 0;
		if (para_add(r, x, p, "\n", 1) == -1)
			return;
	}
	para_add(r, x, p, s, n);
}

static int
blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
emphasis_join(int have, int v)
{
	return have == -2 ? v : have == v ? v : -1;
}

/* Emphasis counts for text that shows ink, not for spaces. */
static void
note_emphasis(struct reader *r, const char *s, size_t n)
{
	struct level *lv = cur_level(r);
	size_t i;

	if (lv == NULL)
		return;
	/* Blanks and no-break spaces (C2 A0) show no ink. */
	for (i = 0; i < n; )
		if (blank((unsigned char)s[i]))
			i++;
		else if ((unsigned char)s[i] == 0xc2 && i + 1 < n &&
		    (unsigned char)s[i + 1] == 0xa0)
			i += 2;
		else
			break;
	if (i >= n)
		return;
	run_resolve(r, lv);
	lv->p.bold = emphasis_join(lv->p.bold, lv->run.b);
	lv->p.italic = emphasis_join(lv->p.italic, lv->run.i);
}

static int32_t	font_glyph(int, int32_t);

/*
 * Text of a run as it shows: capitals for w:caps and w:smallCaps, and a
 * symbol font's private-use glyphs as the characters they draw.
 */
static const char *
run_form(struct reader *r, const char *s, size_t *n)
{
	struct level *lv = cur_level(r);
	size_t i, len;
	int32_t cp, g;
	char enc[4];

	if (lv == NULL || (!lv->run.upper && lv->run.font == 0) ||
	    kh_utf8_check(s, *n) != *n)
		return s;
	kh_buf_reset(&r->form);
	for (i = 0; i < *n; i += len) {
		len = kh_utf8_decode(s + i, &cp);
		if (lv->run.font != 0 && cp >= 0xf020 && cp <= 0xf0ff &&
		    (g = font_glyph(lv->run.font, cp - 0xf000)) != 0)
			cp = g;
		if (lv->run.upper)
			cp = utf8proc_toupper(cp);
		kh_buf_add(&r->form, enc, kh_utf8_encode(cp, enc));
	}
	*n = r->form.len;
	return r->form.s;
}

/* Adds s with each newline as a space: in a w:t it is not a line break. */
static void
add_spaced(struct reader *r, kh_xml *x, const char *s, size_t n)
{
	const char *nl;

	while (n > 0 && !r->failed) {
		if ((nl = memchr(s, '\n', n)) == NULL) {
			add_text(r, x, s, n);
			return;
		}
		add_text(r, x, s, nl - s);
		add_text(r, x, " ", 1);
		n -= nl - s + 1;
		s = nl + 1;
	}
}

/* Text of a w:t, w:delText or m:t, with xml:space as Word applies it. */
static void
add_t(struct reader *r, kh_xml *x, const char *s, size_t n, int emphasis)
{
	size_t i, start;

	if (emphasis)
		note_emphasis(r, s, n);
	if (r->t_preserve) {
		add_spaced(r, x, s, n);
		return;
	}
	for (i = 0; i < n && !r->failed; ) {
		if (blank((unsigned char)s[i])) {
			/* Held until text follows: trailing blanks are dropped. */
			if (!r->t_lead)
				kh_buf_addc(&r->t_ws, s[i]);
			if (r->t_ws.len > r->opts->limits.para_bytes) {
				add_text(r, x, r->t_ws.s, r->t_ws.len);
				return;
			}
			i++;
			continue;
		}
		if (r->t_ws.len > 0) {
			add_spaced(r, x, r->t_ws.s, r->t_ws.len);
			kh_buf_reset(&r->t_ws);
		}
		r->t_lead = 0;
		for (start = i; i < n && !blank((unsigned char)s[i]); i++)
			;
		add_text(r, x, s + start, i - start);
	}
}

/*
 * The Symbol font's glyphs at 0x20..0xFF as Unicode characters (Adobe's
 * Symbol encoding, with Windows' euro at 0xA0); 0 where there is none.
 */
static const unsigned short symbol_map[224] = {
	0x0020, 0x0021, 0x2200, 0x0023, 0x2203, 0x0025, 0x0026, 0x220B,
	0x0028, 0x0029, 0x2217, 0x002B, 0x002C, 0x2212, 0x002E, 0x002F,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
	0x2245, 0x0391, 0x0392, 0x03A7, 0x0394, 0x0395, 0x03A6, 0x0393,
	0x0397, 0x0399, 0x03D1, 0x039A, 0x039B, 0x039C, 0x039D, 0x039F,
	0x03A0, 0x0398, 0x03A1, 0x03A3, 0x03A4, 0x03A5, 0x03C2, 0x03A9,
	0x039E, 0x03A8, 0x0396, 0x005B, 0x2234, 0x005D, 0x22A5, 0x005F,
	0x203E, 0x03B1, 0x03B2, 0x03C7, 0x03B4, 0x03B5, 0x03C6, 0x03B3,
	0x03B7, 0x03B9, 0x03D5, 0x03BA, 0x03BB, 0x03BC, 0x03BD, 0x03BF,
	0x03C0, 0x03B8, 0x03C1, 0x03C3, 0x03C4, 0x03C5, 0x03D6, 0x03C9,
	0x03BE, 0x03C8, 0x03B6, 0x007B, 0x007C, 0x007D, 0x223C, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x20AC, 0x03D2, 0x2032, 0x2264, 0x2044, 0x221E, 0x0192, 0x2663,
	0x2666, 0x2665, 0x2660, 0x2194, 0x2190, 0x2191, 0x2192, 0x2193,
	0x00B0, 0x00B1, 0x2033, 0x2265, 0x00D7, 0x221D, 0x2202, 0x2022,
	0x00F7, 0x2260, 0x2261, 0x2248, 0x2026, 0x23D0, 0x23AF, 0x21B5,
	0x2135, 0x2111, 0x211C, 0x2118, 0x2297, 0x2295, 0x2205, 0x2229,
	0x222A, 0x2283, 0x2287, 0x2284, 0x2282, 0x2286, 0x2208, 0x2209,
	0x2220, 0x2207, 0x00AE, 0x00A9, 0x2122, 0x220F, 0x221A, 0x22C5,
	0x00AC, 0x2227, 0x2228, 0x21D4, 0x21D0, 0x21D1, 0x21D2, 0x21D3,
	0x25CA, 0x27E8, 0x00AE, 0x00A9, 0x2122, 0x2211, 0x239B, 0x239C,
	0x239D, 0x23A1, 0x23A2, 0x23A3, 0x23A7, 0x23A8, 0x23A9, 0x23AA,
	0, 0x27E9, 0x222B, 0x2320, 0x23AE, 0x2321, 0x239E, 0x239F,
	0x23A0, 0x23A4, 0x23A5, 0x23A6, 0x23AB, 0x23AC, 0x23AD, 0,
};

/* The Wingdings glyphs documents use as marks: bullets, boxes, ticks. */
static const struct {
	unsigned char	 code;
	unsigned short	 cp;
} wingdings_map[] = {
	{ 0x20, 0x0020 }, { 0x6C, 0x25CF }, { 0x6D, 0x274D }, { 0x6E, 0x25A0 },
	{ 0x6F, 0x25A1 }, { 0x71, 0x2751 }, { 0x72, 0x2752 }, { 0x75, 0x25C6 },
	{ 0x76, 0x2756 }, { 0x77, 0x2B25 }, { 0xA1, 0x25CB }, { 0xA7, 0x25AA },
	{ 0xA8, 0x25FB }, { 0xD8, 0x27A2 }, { 0xE8, 0x2794 }, { 0xFB, 0x2717 },
	{ 0xFC, 0x2713 }, { 0xFD, 0x2612 }, { 0xFE, 0x2611 },
};

/* The Unicode character of glyph code (0x20..0xFF) of a symbol font, or 0. */
static int32_t
font_glyph(int font, int32_t code)
{
	size_t i;

	if (code < 0x20 || code > 0xff)
		return 0;
	if (font == 'S')
		return symbol_map[code - 0x20];
	if (font == 'W')
		for (i = 0; i < sizeof(wingdings_map) / sizeof(wingdings_map[0]);
		    i++)
			if (wingdings_map[i].code == code)
				return wingdings_map[i].cp;
	return 0;
}

/*
 * The character a w:sym shows.  Symbol fonts put their glyphs at
 * U+F020..U+F0FF (or at 0x20..0xFF): Symbol's are mapped through its
 * encoding and the common Wingdings marks to their Unicode look-alikes;
 * any other glyph keeps its code point, and the user is told.
 */
static int32_t
sym_char(struct reader *r, const char *font, int32_t cp)
{
	int32_t code = cp >= 0xf000 && cp <= 0xf0ff ? cp - 0xf000 : cp, g;
	int kind;
	char key[80];

	if (code > 0xff || (cp < 0xf000 && cp > 0xff))
		return cp;	/* a real character in any font */
	kind = font == NULL ? 0 : strcasecmp(font, "Symbol") == 0 ? 'S' :
	    strncasecmp(font, "Wingdings", 9) == 0 ? 'W' : 0;
	if (kind == 0) {
		if (cp < 0xf000)
			return cp;	/* plain Latin-1 in an ordinary font */
		snprintf(key, sizeof(key), "%s", font ? font : "");
		diag(r, r->index + 1, "note", "sym-font-unknown", key,
		    "symbol U+%04X of font '%s' is kept as it is: its glyph is "
		    "not known", (unsigned)cp, font ? font : "");
		return cp;
	}
	if ((g = font_glyph(kind, code)) != 0)
		return g;
	snprintf(key, sizeof(key), "%s %X", font, (unsigned)code);
	diag(r, r->index + 1, "note", "sym-unmapped", key,
	    "symbol %02X of font %s has no Unicode equivalent here: kept "
	    "as U+%04X", (unsigned)code, font, (unsigned)(0xf000 + code));
	return 0xf000 + code;
}

static void
para_init(struct reader *r, struct para *p)
{
	kh_buf_reset(&p->text);
	kh_buf_adds(&p->text, "");
	p->style = r->def_pstyle;
	p->num_id = p->ilvl = p->outline = -1;
	p->bold = p->italic = -2;
	p->mark_del = p->mark_ins = 0;
	p->mark_vanish = -1;
	p->pending_break = p->drop_cap = 0;
	p->table = p->table_no = p->row = p->cell = 0;
	if (r->txbx > 0)
		p->story = KH_STORY_TEXTBOX;
	else if (r->base == KH_STORY_BODY && r->body_tables > 0) {
		p->story = KH_STORY_TABLE;
		p->table = r->body_tables;
		p->table_no = r->table_no;
		if (r->ntbl <= TABLE_MAX) {
			p->row = r->tbl[r->ntbl - 1].row;
			p->cell = r->tbl[r->ntbl - 1].cell;
		}
	} else
		p->story = r->base;
}

/* Copies p's fields into a fresh paragraph that owns its own text. */
static void
para_copy(struct para *to, const struct para *p)
{
	*to = *p;
	memset(&to->text, 0, sizeof(to->text));
	kh_buf_add(&to->text, p->text.s, p->text.len);
}

/* The label of p, from its own numbering or its style's. */
static void
para_label(struct reader *r, const struct para *p, long index, int *list,
    int *level)
{
	const struct wml_style *ps = p->style;
	enum wml_label_rc rc;
	int num = p->num_id, ilvl = p->ilvl;
	char key[32];

	*list = 0;
	*level = -1;
	kh_buf_reset(&r->label);
	kh_buf_adds(&r->label, "");
	if (num == -1 && ps != NULL) {
		num = ps->num;
		if (ilvl == -1)
			ilvl = ps->ilvl;
	} else if (ilvl == -1 && ps != NULL && ps->num == num)
		ilvl = ps->ilvl;
	/* numId 0 takes numbering away, even the style's. */
	if (num <= 0)
		return;
	rc = kh_wml_label(&r->numbering, &r->styles, num, ilvl,
	    ps != NULL ? ps->id : NULL, &r->label, level);
	if (rc != WML_LABEL_OK) {
		snprintf(key, sizeof(key), "%d", num);
		diag(r, index, "warning", "numbering-missing", key,
		    "list %d %s: the paragraph is shown without its label", num,
		    rc == WML_LABEL_NO_NUM ? "is not defined in numbering.xml" :
		    "names an abstract numbering that numbering.xml does not "
		    "define");
		return;
	}
	/* The suffix (tab or space) is not part of the label. */
	while (r->label.len > 0 && (r->label.s[r->label.len - 1] == ' ' ||
	    r->label.s[r->label.len - 1] == '\t'))
		r->label.s[--r->label.len] = '\0';
	*list = r->label.len > 0;
}

static int
emit(struct reader *r, kh_xml *x, const struct para *p)
{
	const struct wml_style *ps = p->style;
	kh_para out;
	char *nfc, msg[sizeof(r->err->msg)];
	size_t len;
	int rc;

	memset(&out, 0, sizeof(out));
	out.index = ++r->index;
	para_label(r, p, out.index, &out.list, &out.num_level);
	out.label = r->label.s;
	out.story = p->story;
	out.style = ps != NULL ? ps->name : "";
	/* libxml2 lets no bad UTF-8 through; a sym or a bug could. */
	if ((nfc = kh_nfc(p->text.s, p->text.len, &len)) == NULL) {
		snprintf(msg, sizeof(msg), "paragraph %ld is not valid UTF-8",
		    out.index);
		fail(r, x, msg);
		return -1;
	}
	out.text = nfc;
	out.len = len;
	out.outline = p->outline >= 0 && p->outline <= 8 ? p->outline :
	    p->outline > 8 ? -1 : ps != NULL ? ps->outline : -1;
	out.heading = (ps != NULL && ps->heading) || out.outline >= 0;
	out.table = p->table;
	out.table_no = p->table_no;
	out.row = p->row;
	out.cell = p->cell;
	out.bold = p->bold == -2 ? 0 : p->bold;
	out.italic = p->italic == -2 ? 0 : p->italic;
	kh_err_clear(r->err);
	rc = r->cb->para(r->cb->ud, &out, r->err);
	free(nfc);
	if (rc == -1) {
		/* The caller's message, with the part and line of the parse. */
		snprintf(msg, sizeof(msg), "%s", r->err->msg[0] != '\0' ?
		    r->err->msg : "stopped by the caller");
		fail(r, x, msg);
		return -1;
	}
	return 0;
}

static void
held_free(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->nheld; i++)
		kh_buf_free(&r->held[i].text);
	r->nheld = 0;
}

/*
 * A paragraph of level L is finished: the story's paragraphs are emitted
 * with the text box paragraphs held since they began; a text box's
 * paragraph is held at mark, before the paragraphs of its own boxes.
 */
static void
finish(struct reader *r, kh_xml *x, int L, const struct para *p, size_t mark)
{
	size_t i;

	if (L == 0) {
		if (emit(r, x, p) == 0)
			for (i = 0; i < r->nheld && !r->failed; i++)
				emit(r, x, &r->held[i]);
		held_free(r);
		return;
	}
	if (r->nheld == r->cheld) {
		r->cheld = r->cheld ? r->cheld * 2 : 8;
		r->held = kh_xreallocarray(r->held, r->cheld,
		    sizeof(*r->held));
	}
	if (mark > r->nheld)
		mark = r->nheld;
	memmove(&r->held[mark + 1], &r->held[mark],
	    (r->nheld - mark) * sizeof(*r->held));
	para_copy(&r->held[mark], p);
	r->nheld++;
}

/* A paragraph waiting to be joined to the next stands alone after all. */
static void
flush_carry(struct reader *r, kh_xml *x, int L)
{
	struct level *lv;

	if (L < 0 || L >= LEVELS_MAX || !(lv = &r->lv[L])->has_carry)
		return;
	lv->has_carry = 0;
	finish(r, x, L, &lv->carry, lv->carry_mark);
}

static void
para_open(struct reader *r, kh_xml *x)
{
	struct level *lv;
	int L = r->np++;

	if (L >= LEVELS_MAX) {
		diag(r, r->index + 1, "warning", "textbox-too-deep", "",
		    "text boxes nested deeper than %d are not read",
		    LEVELS_MAX - 1);
		return;
	}
	lv = &r->lv[L];
	para_init(r, &lv->p);
	memset(&lv->run, 0, sizeof(lv->run));
	lv->in_ppr = lv->in_numpr = lv->in_mark = 0;
	lv->held_mark = r->nheld;
	if (lv->has_carry) {
		/* The joined paragraph begins with the one before. */
		lv->has_carry = 0;
		para_add(r, x, &lv->p, lv->carry.text.s, lv->carry.text.len);
		lv->p.bold = lv->carry.bold;
		lv->p.italic = lv->carry.italic;
		lv->p.pending_break = lv->carry.pending_break;
		lv->held_mark = lv->carry_mark;
	}
}

static void
para_close(struct reader *r, kh_xml *x)
{
	struct level *lv;
	struct para *p;
	int L = r->np - 1, gone;

	if (r->np == 0)
		return;
	r->np--;
	if (L >= LEVELS_MAX)
		return;
	lv = &r->lv[L];
	p = &lv->p;
	gone = p->drop_cap || (r->opts->original ? p->mark_ins : p->mark_del) ||
	    kh_wml_toggle(p->mark_vanish, -1,
	    p->style ? p->style->vanish : -1, r->styles.def_vanish);
	if (gone) {
		/*
		 * Joined to the next paragraph at this level, if one comes:
		 * the carry takes the text, the level the carry's old buffer.
		 */
		kh_buf spare = lv->carry.text;

		lv->carry = *p;
		p->text = spare;
		lv->has_carry = 1;
		lv->carry_mark = lv->held_mark;
		return;
	}
	finish(r, x, L, p, lv->held_mark);
}

/* Whether every prefix of an mc:Choice's Requires is understood here. */
static int
requires_understood(kh_xml *x, const char *req)
{
	char buf[256], *tok, *save;
	enum kh_ns ns;

	if (req == NULL || strlen(req) >= sizeof(buf))
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

/* Records the namespaces an mc:Ignorable attribute names. */
static void
note_ignorable(struct reader *r, kh_xml *x, size_t n, const kh_xml_attr *a)
{
	char buf[512], *tok, *save;
	const char *uri;
	size_t i;

	for (i = 0; i < n; i++) {
		if (a[i].ns != KH_NS_MC || strcmp(a[i].local, "Ignorable") != 0)
			continue;
		snprintf(buf, sizeof(buf), "%s", a[i].value);
		for (tok = strtok_r(buf, " \t\r\n", &save); tok != NULL &&
		    r->nign < IGN_MAX; tok = strtok_r(NULL, " \t\r\n", &save)) {
			if ((uri = kh_xml_prefix_uri(x, tok)) == NULL)
				continue;
			r->ign[r->nign].uri = kh_xstrdup(uri);
			r->ign[r->nign].depth = r->depth;
			r->nign++;
		}
	}
}

/*
 * An element of a namespace not understood here, which the document
 * says may be ignored: per Markup Compatibility, with all it holds.
 */
static int
ignorable(struct reader *r, kh_xml *x)
{
	const char *uri = kh_xml_uri(x);
	int i;

	for (i = 0; i < r->nign; i++)
		if (strcmp(r->ign[i].uri, uri) == 0)
			return 1;
	return 0;
}

static void
skip_element(struct reader *r)
{
	r->skip = r->depth;
}

static void
start_mc(struct reader *r, kh_xml *x, const char *local, size_t n,
    const kh_xml_attr *a)
{
	int k = r->nalt - 1;

	if (strcmp(local, "AlternateContent") == 0) {
		if (r->nalt < ALT_MAX)
			r->alt_taken[r->nalt] = 0;
		else
			skip_element(r);	/* too deep to choose well */
		r->nalt++;
	} else if (strcmp(local, "Choice") == 0 && k >= 0 && k < ALT_MAX) {
		/* The first Choice whose requirements are all met, else Fallback. */
		if (!r->alt_taken[k] &&
		    requires_understood(x, kh_xml_attr_value(n, a, KH_NS_NONE,
		    "Requires")))
			r->alt_taken[k] = 1;
		else
			skip_element(r);
	} else if (strcmp(local, "Fallback") == 0 && k >= 0 && k < ALT_MAX) {
		if (r->alt_taken[k])
			skip_element(r);
		else
			r->alt_taken[k] = 1;
	}
}

static void
start_table(struct reader *r, kh_xml *x)
{
	struct table *t;

	flush_carry(r, x, r->np);
	if (r->txbx == 0 && r->base == KH_STORY_BODY &&
	    r->body_tables++ == 0)
		r->table_no++;
	if (r->ntbl++ < TABLE_MAX) {
		t = &r->tbl[r->ntbl - 1];
		memset(t, 0, sizeof(*t));
		t->row = -1;
	}
}

static struct table *
cur_table(struct reader *r)
{
	return r->ntbl > 0 && r->ntbl <= TABLE_MAX ? &r->tbl[r->ntbl - 1] :
	    NULL;
}

/* A row or cell that a tracked change or a merge keeps from showing. */
static void
skip_row(struct reader *r, struct table *t)
{
	t->row--;
	r->skip = t->tr_depth;
}

static void
skip_cell(struct reader *r, struct table *t)
{
	r->skip = t->tc_depth;
}

/* Elements of w: that matter inside a table's structure. */
static int
start_table_part(struct reader *r, kh_xml *x, const char *local, size_t n,
    const kh_xml_attr *a)
{
	struct table *t = cur_table(r);
	const char *v = kh_wml_val(n, a, "val");
	int k;

	if (strcmp(local, "tbl") == 0) {
		start_table(r, x);
		return 1;
	}
	if (t == NULL)
		return 0;
	if (strcmp(local, "tr") == 0) {
		t->row++;
		t->col = 0;
		t->in_trpr = 0;
		t->tr_depth = r->depth;
	} else if (strcmp(local, "trPr") == 0)
		t->in_trpr = 1;
	else if (strcmp(local, "gridBefore") == 0)
		t->col = (k = kh_wml_int(v, 0)) > 0 && k < 1000 ? k : 0;
	else if (strcmp(local, "tc") == 0) {
		t->cell = t->col++;
		t->tc_depth = r->depth;
	} else if (strcmp(local, "gridSpan") == 0)
		t->col += (k = kh_wml_int(v, 1)) > 1 && k < 1000 ? k - 1 : 0;
	else if ((strcmp(local, "vMerge") == 0 && (v == NULL ||
	    strcmp(v, "restart") != 0)) ||
	    (strcmp(local, "hMerge") == 0 && (v == NULL ||
	    strcmp(v, "restart") != 0)))
		skip_cell(r, t);	/* the merged cell's text is in its first */
	else if (strcmp(local, "cellDel") == 0 && !r->opts->original)
		skip_cell(r, t);
	else if (strcmp(local, "cellIns") == 0 && r->opts->original)
		skip_cell(r, t);
	else
		return 0;
	return 1;
}

/* Inside w:trPr a w:del or w:ins is the whole row's. */
static int
row_change(struct reader *r, const char *local)
{
	struct table *t = cur_table(r);

	if (t == NULL || !t->in_trpr)
		return 0;
	if ((strcmp(local, "del") == 0 && !r->opts->original) ||
	    (strcmp(local, "ins") == 0 && r->opts->original)) {
		skip_row(r, t);
		return 1;
	}
	return strcmp(local, "del") == 0 || strcmp(local, "ins") == 0;
}

/* Run content: text, tabs, breaks, symbols. */
static int
start_run_part(struct reader *r, kh_xml *x, const char *local, size_t n,
    const kh_xml_attr *a)
{
	struct para *p = cur(r);
	const char *v;
	char enc[4], *end;
	unsigned long u;
	int32_t cp;

	if (strcmp(local, "t") == 0 || strcmp(local, "delText") == 0) {
		r->in_t = local[0] == 't' ? 1 : 2;
		v = kh_xml_attr_value(n, a, KH_NS_XML, "space");
		r->t_preserve = v != NULL && strcmp(v, "preserve") == 0;
		r->t_lead = 1;
		kh_buf_reset(&r->t_ws);
		return 1;
	}
	if (strcmp(local, "tab") == 0 || strcmp(local, "ptab") == 0) {
		if (run_shows(r))
			add_text(r, x, "\t", 1);
	} else if (strcmp(local, "br") == 0 || strcmp(local, "cr") == 0) {
		if (!run_shows(r) || p == NULL)
			return 1;
		v = local[0] == 'b' ? kh_wml_val(n, a, "type") : NULL;
		if (v != NULL && (strcmp(v, "page") == 0 ||
		    strcmp(v, "column") == 0))
			p->pending_break = p->text.len > 0;
		else
			add_text(r, x, "\n", 1);
	} else if (strcmp(local, "noBreakHyphen") == 0) {
		if (run_shows(r)) {
			add_text(r, x, "-", 1);
			note_emphasis(r, "-", 1);
		}
	} else if (strcmp(local, "sym") == 0) {
		if (!run_shows(r) || (v = kh_wml_val(n, a, "char")) == NULL)
			return 1;
		u = strtoul(v, &end, 16);
		if (end == v || *end != '\0' || u == 0 || u > 0x10ffff)
			return 1;
		cp = sym_char(r, kh_wml_val(n, a, "font"), (int32_t)u);
		if (cp > 0 && cp < 0x110000 && !(cp >= 0xd800 && cp <= 0xdfff)) {
			add_text(r, x, enc, kh_utf8_encode(cp, enc));
			note_emphasis(r, "x", 1);
		}
	} else if (strcmp(local, "rt") == 0)
		skip_element(r);	/* a ruby's reading aid, not the text */
	else
		return 0;
	return 1;
}

/* Properties of the paragraph (pPr) and of its mark (pPr/rPr). */
static int
start_ppr_part(struct reader *r, struct level *lv, const char *local,
    size_t n, const kh_xml_attr *a)
{
	struct para *p = &lv->p;
	const struct wml_style *s;
	const char *v = kh_wml_val(n, a, "val");

	if (lv->in_mark) {
		if (strcmp(local, "del") == 0 || strcmp(local, "moveFrom") == 0)
			p->mark_del = 1;
		else if (strcmp(local, "ins") == 0 ||
		    strcmp(local, "moveTo") == 0)
			p->mark_ins = 1;
		else if (strcmp(local, "vanish") == 0)
			p->mark_vanish = kh_wml_onoff(v);
		else if (strcmp(local, "rPrChange") == 0)
			skip_element(r);
		return 1;
	}
	if (strcmp(local, "rPr") == 0)
		lv->in_mark = 1;
	else if (strcmp(local, "pStyle") == 0 && v != NULL) {
		/* A style that is not defined is Normal, as in Word. */
		if ((s = kh_wml_style(&r->styles, v, 'p')) != NULL)
			p->style = s;
	} else if (strcmp(local, "numPr") == 0)
		lv->in_numpr = 1;
	else if (strcmp(local, "numId") == 0 && lv->in_numpr)
		p->num_id = kh_wml_int(v, 0);
	else if (strcmp(local, "ilvl") == 0 && lv->in_numpr)
		p->ilvl = kh_wml_int(v, 0);
	else if (strcmp(local, "outlineLvl") == 0)
		p->outline = kh_wml_int(v, -1);
	else if (strcmp(local, "framePr") == 0) {
		v = kh_wml_val(n, a, "dropCap");
		p->drop_cap = v != NULL && (strcmp(v, "drop") == 0 ||
		    strcmp(v, "margin") == 0);
	} else if (strcmp(local, "pPrChange") == 0) {
		/*
		 * The properties before a tracked change: shown only in the
		 * original view, where they replace the paragraph's.
		 */
		if (!r->opts->original)
			skip_element(r);
		else {
			p->style = r->def_pstyle;
			p->num_id = p->ilvl = p->outline = -1;
		}
	} else if (strcmp(local, "sectPr") == 0)
		skip_element(r);
	return 1;
}

static int
start_rpr_part(struct reader *r, struct run *rn, const char *local,
    size_t n, const kh_xml_attr *a)
{
	const char *v = kh_wml_val(n, a, "val");

	if (strcmp(local, "b") == 0)
		rn->bold = kh_wml_onoff(v);
	else if (strcmp(local, "i") == 0)
		rn->italic = kh_wml_onoff(v);
	else if (strcmp(local, "vanish") == 0)
		rn->vanish = kh_wml_onoff(v);
	else if (strcmp(local, "caps") == 0 || strcmp(local, "smallCaps") == 0)
		rn->caps = kh_wml_onoff(v);
	else if (strcmp(local, "rFonts") == 0) {
		v = kh_wml_val(n, a, "ascii");
		if (v == NULL)
			v = kh_wml_val(n, a, "hAnsi");
		rn->font = v == NULL ? 0 : strcasecmp(v, "Symbol") == 0 ? 'S' :
		    strncasecmp(v, "Wingdings", 9) == 0 ? 'W' : 0;
	} else if (strcmp(local, "rStyle") == 0 && v != NULL)
		rn->cstyle = kh_wml_style(&r->styles, v, 'c');
	else if (strcmp(local, "rPrChange") == 0) {
		if (!r->opts->original)
			skip_element(r);
		else {
			rn->bold = rn->italic = rn->vanish = rn->caps = -1;
			rn->font = 0;
			rn->cstyle = r->def_cstyle;
		}
	}
	return 1;
}

static void
on_start(void *ud, kh_xml *x, enum kh_ns ns, const char *local, size_t n,
    const kh_xml_attr *a)
{
	struct reader *r = ud;
	struct level *lv;
	const char *v;

	r->depth++;
	if (r->failed || r->skip > 0)
		return;
	if (n > 0)
		note_ignorable(r, x, n, a);
	if (ns == KH_NS_MC) {
		start_mc(r, x, local, n, a);
		return;
	}
	if (ns == KH_NS_M) {
		if (strcmp(local, "t") == 0) {
			r->in_t = 3;
			r->t_preserve = 1;
		}
		return;
	}
	if (ns == KH_NS_OTHER) {
		if (ignorable(r, x))
			skip_element(r);
		return;
	}
	if (ns != KH_NS_W)
		return;
	lv = cur_level(r);
	if (lv != NULL && lv->run.in_rpr) {
		start_rpr_part(r, &lv->run, local, n, a);
		return;
	}
	if (lv != NULL && lv->in_ppr) {
		start_ppr_part(r, lv, local, n, a);
		return;
	}
	if (row_change(r, local))
		return;
	if (lv != NULL && lv->run.open && start_run_part(r, x, local, n, a))
		return;
	if (start_table_part(r, x, local, n, a))
		return;
	if (strcmp(local, "p") == 0)
		para_open(r, x);
	else if (strcmp(local, "pPr") == 0 && lv != NULL)
		lv->in_ppr = 1;
	else if (strcmp(local, "r") == 0 && lv != NULL) {
		memset(&lv->run, 0, sizeof(lv->run));
		lv->run.open = 1;
		lv->run.vanish = lv->run.bold = lv->run.italic = -1;
		lv->run.caps = -1;
		lv->run.cstyle = r->def_cstyle;
	} else if (strcmp(local, "rPr") == 0 && lv != NULL && lv->run.open) {
		lv->run.in_rpr = 1;
		lv->run.resolved = 0;
	} else if (strcmp(local, "del") == 0 || strcmp(local, "moveFrom") == 0)
		r->del++;
	else if (strcmp(local, "ins") == 0 || strcmp(local, "moveTo") == 0)
		r->ins++;
	else if (strcmp(local, "fldChar") == 0) {
		if ((v = kh_wml_val(n, a, "fldCharType")) == NULL)
			return;
		if (strcmp(v, "begin") == 0) {
			if (r->nfield < FIELD_MAX) {
				r->field[r->nfield] = 1;
				r->ninstr++;
			} else
				diag(r, r->index + 1, "warning", "field-too-deep",
				    "", "fields nested deeper than %d: their "
				    "text is left out", FIELD_MAX);
			r->nfield++;
		} else if (strcmp(v, "separate") == 0) {
			if (r->nfield > 0 && r->nfield <= FIELD_MAX &&
			    r->field[r->nfield - 1] == 1) {
				r->field[r->nfield - 1] = 2;
				r->ninstr--;
			}
		} else if (strcmp(v, "end") == 0 && r->nfield > 0) {
			if (r->nfield <= FIELD_MAX &&
			    r->field[r->nfield - 1] == 1)
				r->ninstr--;
			r->nfield--;
		}
	} else if (strcmp(local, "txbxContent") == 0)
		r->txbx++;
	else if (strcmp(local, "footnote") == 0 ||
	    strcmp(local, "endnote") == 0) {
		v = kh_wml_val(n, a, "type");
		/* Separators are Word's furniture, not notes. */
		if (v != NULL && strcmp(v, "normal") != 0)
			skip_element(r);
	} else if (strcmp(local, "altChunk") == 0)
		diag(r, r->index + 1, "warning", "altchunk-skipped", "",
		    "a part imported whole (w:altChunk) is not read; Word "
		    "shows its content here");
	else if (strcmp(local, "tblPrChange") == 0 ||
	    strcmp(local, "trPrChange") == 0 ||
	    strcmp(local, "tcPrChange") == 0 ||
	    strcmp(local, "tblGridChange") == 0 ||
	    strcmp(local, "sectPrChange") == 0 ||
	    strcmp(local, "numberingChange") == 0)
		skip_element(r);
}

static void
on_end(void *ud, kh_xml *x, enum kh_ns ns, const char *local)
{
	struct reader *r = ud;
	struct level *lv;
	struct table *t;

	if (r->skip > 0) {
		if (r->depth-- == r->skip)
			r->skip = 0;
		return;
	}
	r->depth--;
	while (r->nign > 0 && r->ign[r->nign - 1].depth > r->depth) {
		free(r->ign[r->nign - 1].uri);
		r->nign--;
	}
	if (r->failed)
		return;
	if (r->depth == 0) {
		/* The end of the story part: nothing more can join. */
		flush_carry(r, x, 0);
		return;
	}
	if (ns == KH_NS_MC) {
		if (strcmp(local, "AlternateContent") == 0 && r->nalt > 0)
			r->nalt--;
		return;
	}
	if (ns == KH_NS_M) {
		if (strcmp(local, "t") == 0)
			r->in_t = 0;
		return;
	}
	if (ns != KH_NS_W)
		return;
	lv = cur_level(r);
	if ((t = cur_table(r)) != NULL && t->in_trpr &&
	    strcmp(local, "trPr") != 0)
		return;		/* a row's w:del or w:ins counted nothing */
	if (strcmp(local, "t") == 0 || strcmp(local, "delText") == 0) {
		r->in_t = 0;	/* its trailing blanks are dropped */
		kh_buf_reset(&r->t_ws);
	} else if (strcmp(local, "p") == 0)
		para_close(r, x);
	else if (strcmp(local, "r") == 0 && lv != NULL)
		lv->run.open = lv->run.in_rpr = 0;
	else if (strcmp(local, "rPr") == 0 && lv != NULL) {
		if (lv->run.in_rpr)
			lv->run.in_rpr = 0;
		else
			lv->in_mark = 0;
	} else if (strcmp(local, "pPr") == 0 && lv != NULL)
		lv->in_ppr = lv->in_numpr = lv->in_mark = 0;
	else if (strcmp(local, "numPr") == 0 && lv != NULL)
		lv->in_numpr = 0;
	else if (strcmp(local, "del") == 0 || strcmp(local, "moveFrom") == 0)
		r->del -= r->del > 0;
	else if (strcmp(local, "ins") == 0 || strcmp(local, "moveTo") == 0)
		r->ins -= r->ins > 0;
	else if (strcmp(local, "tc") == 0)
		flush_carry(r, x, r->np);
	else if (strcmp(local, "tbl") == 0 && r->ntbl > 0) {
		flush_carry(r, x, r->np);
		if (r->txbx == 0 && r->base == KH_STORY_BODY &&
		    r->body_tables > 0)
			r->body_tables--;
		r->ntbl--;
	} else if (strcmp(local, "trPr") == 0 && (t = cur_table(r)) != NULL)
		t->in_trpr = 0;
	else if (strcmp(local, "txbxContent") == 0 && r->txbx > 0) {
		flush_carry(r, x, r->np);
		r->txbx--;
	} else if (strcmp(local, "footnote") == 0 ||
	    strcmp(local, "endnote") == 0 || strcmp(local, "comment") == 0)
		flush_carry(r, x, 0);
}

static void
on_text(void *ud, kh_xml *x, const char *s, size_t len)
{
	struct reader *r = ud;

	if (r->in_t == 0 || r->failed)
		return;
	if (r->in_t == 3) {
		/* Math has no w:r around its text. */
		if (visible(r))
			add_t(r, x, s, len, 0);
		return;
	}
	if (!run_shows(r))
		return;
	/* w:delText is text only in the original view. */
	if (r->in_t == 2 && !r->opts->original)
		return;
	s = run_form(r, s, &len);
	add_t(r, x, s, len, 1);
}

static void
story_reset(struct reader *r, const char *part, enum kh_story story)
{
	int i;

	r->part = part;
	r->base = story;
	r->depth = r->skip = 0;
	r->del = r->ins = r->nfield = r->ninstr = r->nalt = 0;
	r->txbx = r->ntbl = r->body_tables = 0;
	r->np = 0;
	r->in_t = 0;
	for (i = 0; i < r->nign; i++)
		free(r->ign[i].uri);
	r->nign = 0;
	for (i = 0; i < LEVELS_MAX; i++)
		r->lv[i].has_carry = 0;
	held_free(r);
}

static int
read_story(struct reader *r, const char *part, enum kh_story story)
{
	static const kh_xml_handler h = { on_start, on_end, on_text };
	int rc;

	story_reset(r, part, story);
	rc = kh_xml_parse_part(r->pkg, part, &h, r, &r->opts->limits, r->err);
	story_reset(r, NULL, story);
	return rc;
}

/* Whether part was read already (a header named by two relationships). */
static int
seen(const kh_rel *rels, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (!rels[k].external && strcmp(rels[k].target,
		    rels[i].target) == 0 && strcmp(rels[k].type,
		    rels[i].type) == 0)
			return 1;
	return 0;
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
	int rc = -1, have_styles = 0, have_numbering = 0;

	memset(&r, 0, sizeof(r));
	r.pkg = pkg;
	r.opts = opts;
	r.cb = cb;
	r.err = err;
	kh_wml_styles_init(&r.styles);
	if (kh_package_rels(pkg, main, &rels, &nrels, err) == -1)
		goto done;
	for (i = 0; i < nrels; i++) {
		if (rels[i].external || !kh_package_has(pkg, rels[i].target))
			continue;
		if (kh_rel_is(&rels[i], "styles") && !have_styles++ &&
		    kh_wml_styles_read(&r.styles, pkg, rels[i].target,
		    &opts->limits, err) == -1)
			goto done;
		if (kh_rel_is(&rels[i], "numbering") && !have_numbering++ &&
		    kh_wml_numbering_read(&r.numbering, pkg, rels[i].target,
		    &opts->limits, err) == -1)
			goto done;
	}
	r.def_pstyle = kh_wml_style(&r.styles, NULL, 'p');
	r.def_cstyle = kh_wml_style(&r.styles, NULL, 'c');
	if (read_story(&r, main, KH_STORY_BODY) == -1)
		goto done;
	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (i = 0; i < nrels; i++)
			if (!rels[i].external && kh_rel_is(&rels[i], order[k]) &&
			    !seen(rels, i) &&
			    kh_package_has(pkg, rels[i].target) &&
			    read_story(&r, rels[i].target, stories[k]) == -1)
				goto done;
	rc = 0;
done:
	for (i = 0; i < LEVELS_MAX; i++) {
		kh_buf_free(&r.lv[i].p.text);
		kh_buf_free(&r.lv[i].carry.text);
	}
	held_free(&r);
	free(r.held);
	kh_buf_free(&r.label);
	kh_buf_free(&r.said);
	kh_buf_free(&r.t_ws);
	kh_buf_free(&r.form);
	kh_wml_styles_free(&r.styles);
	kh_wml_numbering_free(&r.numbering);
	return rc;
}
