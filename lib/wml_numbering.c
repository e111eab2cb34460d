/*
 * wml_numbering.c: numbering.xml read once per document, and the list
 * counters that turn a paragraph's numbering into the label Word shows
 * ("I.", "1.", "a)", "1.1.", "-").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kh.h"
#include "text.h"
#include "wml_int.h"

/* Reading numbering.xml. */
struct num_parse {
	struct wml_numbering	*nb;
	struct wml_abstract	*abs;
	struct wml_num		*num;
	struct wml_level	*lvl;
	int			 override_lvl;
	int			 in_rpr;
};

static enum wml_fmt
fmt_of(const char *v)
{
	static const struct {
		const char	*name;
		enum wml_fmt	 fmt;
	} fmts[] = {
		{ "decimal", FMT_DECIMAL },
		{ "decimalZero", FMT_DECIMAL_ZERO },
		{ "upperRoman", FMT_UPPER_ROMAN },
		{ "lowerRoman", FMT_LOWER_ROMAN },
		{ "upperLetter", FMT_UPPER_LETTER },
		{ "lowerLetter", FMT_LOWER_LETTER },
		{ "bullet", FMT_BULLET },
		{ "none", FMT_NONE },
	};
	size_t i;

	for (i = 0; v != NULL && i < sizeof(fmts) / sizeof(fmts[0]); i++)
		if (strcmp(v, fmts[i].name) == 0)
			return fmts[i].fmt;
	/* Formats of other scripts and words ("ordinal") show as numbers. */
	return FMT_DECIMAL;
}

/* Fonts whose glyphs are pictures drawn at private-use code points. */
static int
symbol_font(const char *f)
{
	return f != NULL && (strcasecmp(f, "Symbol") == 0 ||
	    strncasecmp(f, "Wingdings", 9) == 0 ||
	    strcasecmp(f, "Webdings") == 0 ||
	    strncasecmp(f, "ZapfDingbats", 12) == 0 ||
	    strcasecmp(f, "Zapf Dingbats") == 0);
}

static void
level_init(struct wml_level *l)
{
	memset(l, 0, sizeof(*l));
	l->start = 1;
	l->restart = -1;
}

static void
num_start(void *ud, kh_xml *x, enum kh_ns ns, const char *local, size_t n,
    const kh_xml_attr *a)
{
	struct num_parse *np = ud;
	struct wml_numbering *nb = np->nb;
	struct wml_level *l;
	const char *v = kh_wml_val(n, a, "val");
	int i;

	if (ns != KH_NS_W)
		return;
	if (strcmp(local, "abstractNum") == 0) {
		nb->abs = kh_xreallocarray(nb->abs, nb->nabs + 1,
		    sizeof(*nb->abs));
		np->abs = &nb->abs[nb->nabs++];
		memset(np->abs, 0, sizeof(*np->abs));
		np->abs->id = kh_wml_int(kh_wml_val(n, a, "abstractNumId"), -1);
		for (i = 0; i < WML_LEVELS; i++)
			level_init(&np->abs->lvl[i]);
		np->num = NULL;
	} else if (strcmp(local, "num") == 0) {
		nb->num = kh_xreallocarray(nb->num, nb->nnum + 1,
		    sizeof(*nb->num));
		np->num = &nb->num[nb->nnum++];
		memset(np->num, 0, sizeof(*np->num));
		np->num->id = kh_wml_int(kh_wml_val(n, a, "numId"), -1);
		np->num->abstract = -1;
		for (i = 0; i < WML_LEVELS; i++)
			np->num->start_override[i] = -1;
		np->abs = NULL;
	} else if (strcmp(local, "lvl") == 0) {
		i = kh_wml_int(kh_wml_val(n, a, "ilvl"), -1);
		np->lvl = NULL;
		if (i < 0 || i >= WML_LEVELS)
			return;
		if (np->abs != NULL)
			np->lvl = &np->abs->lvl[i];
		else if (np->num != NULL && np->override_lvl == i) {
			/* A whole level redefined in a num: treat as its own. */
			np->num->has_lvl[i] = 1;
			level_init(&np->num->lvl[i]);
			np->lvl = &np->num->lvl[i];
		}
	} else if (strcmp(local, "numStyleLink") == 0 && np->abs != NULL)
		snprintf(np->abs->num_style_link,
		    sizeof(np->abs->num_style_link), "%s", v ? v : "");
	else if (strcmp(local, "abstractNumId") == 0 && np->num != NULL)
		np->num->abstract = kh_wml_int(v, -1);
	else if (strcmp(local, "lvlOverride") == 0 && np->num != NULL)
		np->override_lvl = kh_wml_int(kh_wml_val(n, a, "ilvl"), -1);
	else if (strcmp(local, "startOverride") == 0 && np->num != NULL &&
	    np->override_lvl >= 0 && np->override_lvl < WML_LEVELS)
		np->num->start_override[np->override_lvl] = kh_wml_int(v, 1);
	else if ((l = np->lvl) != NULL) {
		if (strcmp(local, "start") == 0)
			l->start = kh_wml_int(v, 1);
		else if (strcmp(local, "numFmt") == 0)
			l->fmt = fmt_of(v);
		else if (strcmp(local, "lvlText") == 0)
			snprintf(l->text, sizeof(l->text), "%s", v ? v : "");
		else if (strcmp(local, "lvlRestart") == 0)
			l->restart = kh_wml_int(v, -1);
		else if (strcmp(local, "isLgl") == 0)
			l->legal = kh_wml_onoff(v);
		else if (strcmp(local, "pStyle") == 0)
			snprintf(l->pstyle, sizeof(l->pstyle), "%s", v ? v : "");
		else if (strcmp(local, "rPr") == 0)
			np->in_rpr = 1;
		else if (np->in_rpr && strcmp(local, "rFonts") == 0)
			l->symbol_font = symbol_font(kh_wml_val(n, a, "ascii")) ||
			    symbol_font(kh_wml_val(n, a, "hAnsi"));
	}
}

static void
num_end(void *ud, kh_xml *x, enum kh_ns ns, const char *local)
{
	struct num_parse *np = ud;

	if (ns != KH_NS_W)
		return;
	if (strcmp(local, "lvl") == 0)
		np->lvl = NULL;
	else if (strcmp(local, "rPr") == 0)
		np->in_rpr = 0;
	else if (strcmp(local, "lvlOverride") == 0)
		np->override_lvl = -1;
	else if (strcmp(local, "abstractNum") == 0)
		np->abs = NULL;
	else if (strcmp(local, "num") == 0)
		np->num = NULL;
}

int
kh_wml_numbering_read(struct wml_numbering *nb, kh_package *pkg,
    const char *part, const kh_limits *lim, kh_err *err)
{
	static const kh_xml_handler h = { num_start, num_end, NULL };
	struct num_parse np;

	memset(&np, 0, sizeof(np));
	np.nb = nb;
	np.override_lvl = -1;
	return kh_xml_parse_part(pkg, part, &h, &np, lim, err);
}

void
kh_wml_numbering_free(struct wml_numbering *nb)
{
	size_t i;

	for (i = 0; i < nb->ncounters; i++)
		free(nb->counters[i]);
	free(nb->counters);
	free(nb->abs);
	free(nb->num);
	memset(nb, 0, sizeof(*nb));
}

static struct wml_num *
num_find(struct wml_numbering *nb, int id)
{
	size_t i;

	for (i = 0; i < nb->nnum; i++)
		if (nb->num[i].id == id)
			return &nb->num[i];
	return NULL;
}

static struct wml_abstract *
abs_find(struct wml_numbering *nb, int id)
{
	size_t i;

	for (i = 0; i < nb->nabs; i++)
		if (nb->abs[i].id == id)
			return &nb->abs[i];
	return NULL;
}

/*
 * The definition behind a list.  An abstractNum with numStyleLink only
 * points at a numbering style, whose numPr names the num whose
 * abstractNum holds the levels; the walk is bounded so links cannot loop.
 */
static struct wml_abstract *
abs_of(struct wml_numbering *nb, const struct wml_styles *st,
    const struct wml_num *num)
{
	struct wml_abstract *abs = abs_find(nb, num->abstract);
	const struct wml_style *s;
	const struct wml_num *linked;
	int k;

	for (k = 0; abs != NULL && abs->num_style_link[0] != '\0' &&
	    k < WML_CHAIN_MAX; k++) {
		if ((s = kh_wml_style(st, abs->num_style_link, 'n')) == NULL ||
		    s->num <= 0 || (linked = num_find(nb, s->num)) == NULL)
			break;
		abs = abs_find(nb, linked->abstract);
	}
	return abs;
}

static void
roman(int v, int upper, kh_buf *b)
{
	static const int val[] = { 1000, 900, 500, 400, 100, 90, 50, 40, 10,
	    9, 5, 4, 1 };
	static const char *const up[] = { "M", "CM", "D", "CD", "C", "XC",
	    "L", "XL", "X", "IX", "V", "IV", "I" };
	static const char *const lo[] = { "m", "cm", "d", "cd", "c", "xc",
	    "l", "xl", "x", "ix", "v", "iv", "i" };
	int i;

	if (v <= 0 || v >= 4000) {
		kh_buf_printf(b, "%d", v);
		return;
	}
	for (i = 0; i < 13; i++)
		while (v >= val[i]) {
			kh_buf_adds(b, upper ? up[i] : lo[i]);
			v -= val[i];
		}
}

static void
format_count(enum wml_fmt fmt, int v, kh_buf *b)
{
	int k;

	switch (fmt) {
	case FMT_DECIMAL_ZERO:
		kh_buf_printf(b, v < 10 && v >= 0 ? "0%d" : "%d", v);
		break;
	case FMT_UPPER_ROMAN:
	case FMT_LOWER_ROMAN:
		roman(v, fmt == FMT_UPPER_ROMAN, b);
		break;
	case FMT_UPPER_LETTER:
	case FMT_LOWER_LETTER:
		/* Word repeats the letter past z: a..z, aa..zz, aaa.. */
		if (v <= 0 || v > 780) {
			kh_buf_printf(b, "%d", v);
			break;
		}
		for (k = 0; k <= (v - 1) / 26; k++)
			kh_buf_addc(b, (fmt == FMT_UPPER_LETTER ? 'A' : 'a') +
			    (v - 1) % 26);
		break;
	case FMT_NONE:
	case FMT_BULLET:
		break;
	default:
		kh_buf_printf(b, "%d", v);
		break;
	}
}

/*
 * The counters of a list.  Lists sharing an abstract definition share its
 * counters, as Word continues them, unless the list overrides a level
 * (lvlOverride), which makes it a list of its own.
 */
static struct wml_counters *
counters_of(struct wml_numbering *nb, struct wml_num *num,
    const struct wml_abstract *abs)
{
	struct wml_counters *c;
	size_t i;
	int k, key = abs - nb->abs;

	if (num->counters != NULL)
		return num->counters;
	for (k = 0; k < WML_LEVELS; k++)
		if (num->start_override[k] >= 0 || num->has_lvl[k])
			key = -1 - (int)(num - nb->num);
	for (i = 0; i < nb->ncounters; i++)
		if (nb->counters[i]->key == key)
			return num->counters = nb->counters[i];
	c = kh_xcalloc(1, sizeof(*c));
	c->key = key;
	nb->counters = kh_xreallocarray(nb->counters, nb->ncounters + 1,
	    sizeof(*nb->counters));
	nb->counters[nb->ncounters++] = c;
	return num->counters = c;
}

enum wml_label_rc
kh_wml_label(struct wml_numbering *nb, const struct wml_styles *st,
    int num_id, int ilvl, const char *pstyle, kh_buf *b, int *level)
{
	struct wml_num *num;
	struct wml_abstract *abs;
	struct wml_counters *c;
	const struct wml_level *l;
	const char *p;
	int32_t cp;
	int k;

	kh_buf_reset(b);
	kh_buf_adds(b, "");
	*level = -1;
	if ((num = num_find(nb, num_id)) == NULL)
		return WML_LABEL_NO_NUM;
	if ((abs = abs_of(nb, st, num)) == NULL)
		return WML_LABEL_NO_ABSTRACT;
#define LEVEL(k) (num->has_lvl[k] ? &num->lvl[k] : &abs->lvl[k])
#define START(k) (num->start_override[k] >= 0 ? num->start_override[k] : \
	LEVEL(k)->start)
	/* A style tied to a level of the list numbers at that level. */
	for (k = 0; ilvl < 0 && pstyle != NULL && k < WML_LEVELS; k++)
		if (strcmp(LEVEL(k)->pstyle, pstyle) == 0)
			ilvl = k;
	if (ilvl < 0 || ilvl >= WML_LEVELS)
		ilvl = 0;
	*level = ilvl;
	c = counters_of(nb, num, abs);
	l = LEVEL(ilvl);
	if (!c->started[ilvl]) {
		c->count[ilvl] = START(ilvl);
		c->started[ilvl] = 1;
	} else
		c->count[ilvl]++;
	/*
	 * Deeper levels start again, unless lvlRestart says that only a
	 * level above this one restarts them (its one-based level) or that
	 * nothing does (0).
	 */
	for (k = ilvl + 1; k < WML_LEVELS; k++) {
		int rs = LEVEL(k)->restart;

		if (rs == -1 || (rs > 0 && ilvl <= rs - 1))
			c->started[k] = 0;
	}
	/* Levels above that never appeared show their start. */
	for (k = 0; k < ilvl; k++)
		if (!c->started[k]) {
			c->count[k] = START(k);
			c->started[k] = 1;
		}
	if (l->fmt == FMT_NONE)
		return WML_LABEL_OK;
	p = l->text;
	if (l->fmt == FMT_BULLET) {
		/*
		 * A bullet drawn from a symbol font (a private-use code
		 * point, or any glyph of Symbol or Wingdings) reads as "-";
		 * a bullet that is a real character is itself.
		 */
		if (*p == '\0')
			return WML_LABEL_OK;
		if (kh_utf8_check(p, strlen(p)) != strlen(p)) {
			kh_buf_adds(b, "-");
			return WML_LABEL_OK;
		}
		kh_utf8_decode(p, &cp);
		if (l->symbol_font || (cp >= 0xe000 && cp <= 0xf8ff))
			kh_buf_adds(b, "-");
		else
			kh_buf_adds(b, p);
		return WML_LABEL_OK;
	}
	for (; *p != '\0'; p++) {
		if (*p == '%' && p[1] >= '1' && p[1] <= '9') {
			k = p[1] - '1';
			/*
			 * isLgl shows every level of this label as an
			 * Arabic number ("1.1" under "Chapter I").
			 */
			format_count(l->legal ? FMT_DECIMAL : LEVEL(k)->fmt,
			    c->count[k], b);
			p++;
		} else
			kh_buf_addc(b, *p);
	}
#undef LEVEL
#undef START
	return WML_LABEL_OK;
}
