/*
 * wml_styles.c: styles.xml and numbering.xml, read once per document into
 * the small tables the paragraph reader consults, and the list counters
 * that turn a paragraph's numbering into the label Word shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kh.h"
#include "text.h"
#include "wml_int.h"

/* ST_OnOff in all its spellings; a missing w:val means on. */
int
kh_wml_onoff(const char *v)
{
	if (v == NULL)
		return 1;
	return !(strcmp(v, "0") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "off") == 0);
}

const char *
kh_wml_val(size_t n, const kh_xml_attr *a, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i].ns == KH_NS_W && strcmp(a[i].local, name) == 0)
			return a[i].value;
	return NULL;
}

static int
to_int(const char *s, int dflt)
{
	char *end;
	long v;

	if (s == NULL)
		return dflt;
	v = strtol(s, &end, 10);
	if (end == s || v < -1000000 || v > 1000000)
		return dflt;
	return (int)v;
}

/* Reading styles.xml. */
struct style_parse {
	struct wml_styles	*st;
	struct wml_style	*cur;
	int			 in_ppr, in_rpr, in_numpr;
};

static struct wml_style *
style_new(struct wml_styles *st)
{
	struct wml_style *s;

	st->v = kh_xreallocarray(st->v, st->n + 1, sizeof(*st->v));
	s = &st->v[st->n++];
	memset(s, 0, sizeof(*s));
	s->outline = -1;
	s->num_id = -1;
	s->ilvl = -1;
	s->vanish = s->bold = s->italic = -1;
	return s;
}

static void
style_start(void *ud, kh_xml *x, enum kh_ns ns, const char *local, size_t n,
    const kh_xml_attr *a)
{
	struct style_parse *sp = ud;
	struct wml_style *s = sp->cur;
	const char *v;

	if (ns != KH_NS_W)
		return;
	if (strcmp(local, "style") == 0) {
		s = sp->cur = style_new(sp->st);
		v = kh_wml_val(n, a, "type");
		s->type = v == NULL ? 'p' : v[0];
		s->id = kh_xstrdup((v = kh_wml_val(n, a, "styleId")) ? v : "");
		s->name = kh_xstrdup("");
		s->is_default = kh_wml_val(n, a, "default") != NULL &&
		    kh_wml_onoff(kh_wml_val(n, a, "default"));
		return;
	}
	if (s == NULL)
		return;
	v = kh_wml_val(n, a, "val");
	if (strcmp(local, "name") == 0 && v != NULL) {
		free(s->name);
		s->name = kh_xstrdup(v);
	} else if (strcmp(local, "basedOn") == 0 && v != NULL) {
		free(s->based_on);
		s->based_on = kh_xstrdup(v);
	} else if (strcmp(local, "pPr") == 0)
		sp->in_ppr = 1;
	else if (strcmp(local, "rPr") == 0)
		sp->in_rpr = 1;
	else if (strcmp(local, "numPr") == 0)
		sp->in_numpr = 1;
	else if (sp->in_ppr && strcmp(local, "outlineLvl") == 0)
		s->outline = to_int(v, -1);
	else if (sp->in_numpr && strcmp(local, "numId") == 0)
		s->num_id = to_int(v, -1);
	else if (sp->in_numpr && strcmp(local, "ilvl") == 0)
		s->ilvl = to_int(v, 0);
	else if (sp->in_rpr && strcmp(local, "vanish") == 0)
		s->vanish = kh_wml_onoff(v);
	else if (sp->in_rpr && strcmp(local, "b") == 0)
		s->bold = kh_wml_onoff(v);
	else if (sp->in_rpr && strcmp(local, "i") == 0)
		s->italic = kh_wml_onoff(v);
}

static void
style_end(void *ud, kh_xml *x, enum kh_ns ns, const char *local)
{
	struct style_parse *sp = ud;

	if (ns != KH_NS_W)
		return;
	if (strcmp(local, "style") == 0)
		sp->cur = NULL;
	else if (strcmp(local, "pPr") == 0)
		sp->in_ppr = 0;
	else if (strcmp(local, "rPr") == 0)
		sp->in_rpr = 0;
	else if (strcmp(local, "numPr") == 0)
		sp->in_numpr = 0;
}

int
kh_wml_styles_read(struct wml_styles *st, kh_package *pkg, const char *part,
    const kh_limits *lim, kh_err *err)
{
	static const kh_xml_handler h = { style_start, style_end, NULL };
	struct style_parse sp;

	memset(&sp, 0, sizeof(sp));
	sp.st = st;
	return kh_xml_parse_part(pkg, part, &h, &sp, lim, err);
}

const struct wml_style *
kh_wml_style(const struct wml_styles *st, const char *id, int type)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->v[i].type == type &&
		    (id != NULL ? strcmp(st->v[i].id, id) == 0 :
		    st->v[i].is_default))
			return &st->v[i];
	return NULL;
}

/*
 * A property along the basedOn chain: the first style that sets it.  The
 * chain is cut at 32 links, so a cycle cannot loop.
 */
#define CHAIN(st, s, field, dflt) do {					\
	int k_;								\
	for (k_ = 0; (s) != NULL && k_ < 32; k_++) {			\
		if ((s)->field != (dflt))				\
			return (s)->field;				\
		(s) = (s)->based_on ? kh_wml_style((st), (s)->based_on,	\
		    (s)->type) : NULL;					\
	}								\
	return (dflt);							\
} while (0)

int
kh_wml_style_outline(const struct wml_styles *st, const struct wml_style *s)
{
	CHAIN(st, s, outline, -1);
}

int
kh_wml_style_num(const struct wml_styles *st, const struct wml_style *s)
{
	CHAIN(st, s, num_id, -1);
}

int
kh_wml_style_ilvl(const struct wml_styles *st, const struct wml_style *s)
{
	CHAIN(st, s, ilvl, -1);
}

int
kh_wml_style_vanish(const struct wml_styles *st, const struct wml_style *s)
{
	CHAIN(st, s, vanish, -1);
}

int
kh_wml_style_bold(const struct wml_styles *st, const struct wml_style *s)
{
	CHAIN(st, s, bold, -1);
}

int
kh_wml_style_italic(const struct wml_styles *st, const struct wml_style *s)
{
	CHAIN(st, s, italic, -1);
}

void
kh_wml_styles_free(struct wml_styles *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		free(st->v[i].id);
		free(st->v[i].name);
		free(st->v[i].based_on);
	}
	free(st->v);
	memset(st, 0, sizeof(*st));
}

/* Reading numbering.xml. */
struct num_parse {
	struct wml_numbering	*nb;
	struct wml_abstract	*abs;
	struct wml_num		*num;
	struct wml_level	*lvl;
	int			 override_lvl;
};

static enum wml_fmt
fmt_of(const char *v)
{
	if (v == NULL || strcmp(v, "decimal") == 0)
		return FMT_DECIMAL;
	if (strcmp(v, "decimalZero") == 0)
		return FMT_DECIMAL_ZERO;
	if (strcmp(v, "upperRoman") == 0)
		return FMT_UPPER_ROMAN;
	if (strcmp(v, "lowerRoman") == 0)
		return FMT_LOWER_ROMAN;
	if (strcmp(v, "upperLetter") == 0)
		return FMT_UPPER_LETTER;
	if (strcmp(v, "lowerLetter") == 0)
		return FMT_LOWER_LETTER;
	if (strcmp(v, "bullet") == 0)
		return FMT_BULLET;
	if (strcmp(v, "none") == 0)
		return FMT_NONE;
	return FMT_DECIMAL;	/* formats of other scripts show as numbers */
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
	const char *v = kh_wml_val(n, a, "val");
	int i;

	if (ns != KH_NS_W)
		return;
	if (strcmp(local, "abstractNum") == 0) {
		nb->abs = kh_xreallocarray(nb->abs, nb->nabs + 1,
		    sizeof(*nb->abs));
		np->abs = &nb->abs[nb->nabs++];
		memset(np->abs, 0, sizeof(*np->abs));
		np->abs->id = to_int(kh_wml_val(n, a, "abstractNumId"), -1);
		for (i = 0; i < WML_LEVELS; i++)
			level_init(&np->abs->lvl[i]);
		np->num = NULL;
	} else if (strcmp(local, "num") == 0) {
		nb->num = kh_xreallocarray(nb->num, nb->nnum + 1,
		    sizeof(*nb->num));
		np->num = &nb->num[nb->nnum++];
		memset(np->num, 0, sizeof(*np->num));
		np->num->id = to_int(kh_wml_val(n, a, "numId"), -1);
		np->num->abstract = -1;
		for (i = 0; i < WML_LEVELS; i++)
			np->num->start_override[i] = -1;
		np->abs = NULL;
	} else if (strcmp(local, "lvl") == 0) {
		i = to_int(kh_wml_val(n, a, "ilvl"), -1);
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
	} else if (strcmp(local, "abstractNumId") == 0 && np->num != NULL)
		np->num->abstract = to_int(v, -1);
	else if (strcmp(local, "lvlOverride") == 0 && np->num != NULL)
		np->override_lvl = to_int(kh_wml_val(n, a, "ilvl"), -1);
	else if (strcmp(local, "startOverride") == 0 && np->num != NULL &&
	    np->override_lvl >= 0 && np->override_lvl < WML_LEVELS)
		np->num->start_override[np->override_lvl] = to_int(v, 1);
	else if (np->lvl != NULL) {
		if (strcmp(local, "start") == 0)
			np->lvl->start = to_int(v, 1);
		else if (strcmp(local, "numFmt") == 0)
			np->lvl->fmt = fmt_of(v);
		else if (strcmp(local, "lvlText") == 0) {
			snprintf(np->lvl->text, sizeof(np->lvl->text), "%s",
			    v != NULL ? v : "");
			np->lvl->has_text = 1;
		} else if (strcmp(local, "lvlRestart") == 0)
			np->lvl->restart = to_int(v, -1);
		else if (strcmp(local, "isLgl") == 0)
			np->lvl->legal = kh_wml_onoff(v);
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
format_count(const struct wml_level *l, int v, int legal, kh_buf *b)
{
	int k;

	switch (legal ? FMT_DECIMAL : l->fmt) {
	case FMT_DECIMAL_ZERO:
		kh_buf_printf(b, "%02d", v);
		break;
	case FMT_UPPER_ROMAN:
	case FMT_LOWER_ROMAN:
		roman(v, l->fmt == FMT_UPPER_ROMAN, b);
		break;
	case FMT_UPPER_LETTER:
	case FMT_LOWER_LETTER:
		/* Word repeats the letter: a..z, aa..zz, aaa.. */
		if (v <= 0) {
			kh_buf_printf(b, "%d", v);
			break;
		}
		for (k = 0; k <= (v - 1) / 26 && k < 10; k++)
			kh_buf_addc(b, (l->fmt == FMT_UPPER_LETTER ? 'A' :
			    'a') + (v - 1) % 26);
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
 * The label of a paragraph in list num_id at level ilvl, advancing the
 * counters as Word does.  Lists sharing an abstract definition share its
 * counters, unless the list restarts them with a startOverride.
 * Returns 0 and the label in b, or -1 when num_id names no list.
 */
int
kh_wml_label(struct wml_numbering *nb, int num_id, int ilvl, kh_buf *b)
{
	struct wml_num *num;
	struct wml_abstract *abs;
	const struct wml_level *l, *lk;
	struct wml_counters *c = NULL;
	const char *p;
	size_t i;
	int k, override = 0, key;

	kh_buf_reset(b);
	kh_buf_adds(b, "");
	if ((num = num_find(nb, num_id)) == NULL ||
	    (abs = abs_find(nb, num->abstract)) == NULL)
		return -1;
	if (ilvl < 0 || ilvl >= WML_LEVELS)
		ilvl = 0;
	for (k = 0; k < WML_LEVELS; k++)
		if (num->start_override[k] >= 0 || num->has_lvl[k])
			override = 1;
	key = override ? -1 - num_id : abs->id;
	for (i = 0; i < nb->ncounters; i++)
		if (nb->counters[i]->key == key) {
			c = nb->counters[i];
			break;
		}
	if (c == NULL) {
		c = kh_xcalloc(1, sizeof(*c));
		c->key = key;
		nb->counters = kh_xreallocarray(nb->counters,
		    nb->ncounters + 1, sizeof(*nb->counters));
		nb->counters[nb->ncounters++] = c;
	}
#define LEVEL(k) (num->has_lvl[k] ? &num->lvl[k] : &abs->lvl[k])
#define START(k) (num->start_override[k] >= 0 ? num->start_override[k] : \
	LEVEL(k)->start)
	l = LEVEL(ilvl);
	if (!c->started[ilvl]) {
		c->count[ilvl] = START(ilvl);
		c->started[ilvl] = 1;
	} else
		c->count[ilvl]++;
	/* Deeper levels start again unless their lvlRestart says otherwise. */
	for (k = ilvl + 1; k < WML_LEVELS; k++) {
		lk = LEVEL(k);
		if (lk->restart == -1 || (lk->restart > 0 &&
		    ilvl <= lk->restart - 1))
			c->started[k] = 0;
	}
	/* Levels above that never appeared count from their start. */
	for (k = 0; k < ilvl; k++)
		if (!c->started[k]) {
			c->count[k] = START(k);
			c->started[k] = 1;
		}
	if (l->fmt == FMT_NONE)
		return 0;
	p = l->has_text ? l->text : "";
	if (l->fmt == FMT_BULLET) {
		int32_t cp;

		/* A bullet drawn from a symbol font's private-use glyphs reads as "-". */
		if (*p == '\0')
			kh_buf_adds(b, "-");
		else {
			kh_utf8_decode(p, &cp);
			if ((cp >= 0xe000 && cp <= 0xf8ff) || cp == 0x2022 ||
			    cp == 0x25cf || cp == 0x00b7)
				kh_buf_adds(b, "-");
			else
				kh_buf_adds(b, p);
		}
		return 0;
	}
	for (; *p != '\0'; p++) {
		if (*p == '%' && p[1] >= '1' && p[1] <= '9') {
			k = p[1] - '1';
			format_count(LEVEL(k), c->count[k],
			    l->legal, b);
			p++;
		} else
			kh_buf_addc(b, *p);
	}
#undef LEVEL
#undef START
	return 0;
}
