/*
 * wml_styles.c: styles.xml read once per document into a table the
 * paragraph reader consults for every paragraph and run, so each style's
 * basedOn chain is resolved here, once, and looked up by binary search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kh.h"
#include "wml_int.h"

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
	return kh_xml_attr_value(n, a, KH_NS_W, name);
}

int
kh_wml_int(const char *s, int dflt)
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

int
kh_wml_toggle(int direct, int cstyle, int pstyle, int dflt)
{
	if (direct != -1)
		return direct;
	if (cstyle == -1 && pstyle == -1)
		return dflt == 1;
	return (cstyle == 1) ^ (pstyle == 1);
}

/* Reading styles.xml. */
struct style_parse {
	struct wml_styles	*st;
	struct wml_style	*cur;
	int			 in_ppr, in_rpr, in_numpr;
	int			 in_defaults;	/* w:docDefaults/w:rPrDefault */
	size_t			 depth, skip;	/* skip > 0: inside a part to ignore */
};

static struct wml_style *
style_new(struct wml_styles *st)
{
	struct wml_style *s;

	st->v = kh_xreallocarray(st->v, st->n + 1, sizeof(*st->v));
	s = &st->v[st->n++];
	memset(s, 0, sizeof(*s));
	s->set_outline = s->set_num = s->set_ilvl = -1;
	s->set_vanish = s->set_bold = s->set_italic = s->set_caps = -1;
	return s;
}

static void
style_start(void *ud, kh_xml *x, enum kh_ns ns, const char *local, size_t n,
    const kh_xml_attr *a)
{
	struct style_parse *sp = ud;
	struct wml_style *s = sp->cur;
	const char *v;
	int *bvi = NULL;

	sp->depth++;
	if (sp->skip > 0 || ns != KH_NS_W)
		return;
	/*
	 * The formatting a style had before a tracked change, and a table
	 * style's formatting of its first row, last column and so on, are
	 * not the style's own.
	 */
	if (strcmp(local, "pPrChange") == 0 || strcmp(local, "rPrChange") == 0 ||
	    strcmp(local, "tblStylePr") == 0) {
		sp->skip = sp->depth;
		return;
	}
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
	if (strcmp(local, "rPrDefault") == 0) {
		sp->in_defaults = 1;
		return;
	}
	if (s == NULL && !sp->in_defaults)
		return;
	v = kh_wml_val(n, a, "val");
	if (strcmp(local, "pPr") == 0)
		sp->in_ppr = 1;
	else if (strcmp(local, "rPr") == 0)
		sp->in_rpr = 1;
	else if (sp->in_rpr) {
		if (strcmp(local, "vanish") == 0)
			bvi = s ? &s->set_vanish : &sp->st->def_vanish;
		else if (strcmp(local, "b") == 0)
			bvi = s ? &s->set_bold : &sp->st->def_bold;
		else if (strcmp(local, "i") == 0)
			bvi = s ? &s->set_italic : &sp->st->def_italic;
		else if (strcmp(local, "caps") == 0 ||
		    strcmp(local, "smallCaps") == 0)
			bvi = s ? &s->set_caps : &sp->st->def_caps;
		if (bvi != NULL)
			*bvi = kh_wml_onoff(v);
	} else if (s == NULL)
		return;
	else if (strcmp(local, "name") == 0 && v != NULL) {
		free(s->name);
		s->name = kh_xstrdup(v);
	} else if (strcmp(local, "basedOn") == 0 && v != NULL) {
		free(s->based_on);
		s->based_on = kh_xstrdup(v);
	} else if (sp->in_ppr && strcmp(local, "numPr") == 0)
		sp->in_numpr = 1;
	else if (sp->in_ppr && strcmp(local, "outlineLvl") == 0)
		s->set_outline = kh_wml_int(v, -1);
	else if (sp->in_numpr && strcmp(local, "numId") == 0)
		s->set_num = kh_wml_int(v, -1);
	else if (sp->in_numpr && strcmp(local, "ilvl") == 0)
		s->set_ilvl = kh_wml_int(v, 0);
}

static void
style_end(void *ud, kh_xml *x, enum kh_ns ns, const char *local)
{
	struct style_parse *sp = ud;

	if (sp->skip > 0) {
		if (sp->depth-- == sp->skip)
			sp->skip = 0;
		return;
	}
	sp->depth--;
	if (ns != KH_NS_W)
		return;
	if (strcmp(local, "style") == 0)
		sp->cur = NULL;
	else if (strcmp(local, "rPrDefault") == 0)
		sp->in_defaults = 0;
	else if (strcmp(local, "pPr") == 0)
		sp->in_ppr = sp->in_numpr = 0;
	else if (strcmp(local, "rPr") == 0)
		sp->in_rpr = 0;
	else if (strcmp(local, "numPr") == 0)
		sp->in_numpr = 0;
}

static int
style_cmp(const void *a, const void *b)
{
	const struct wml_style *sa = *(const struct wml_style *const *)a;
	const struct wml_style *sb = *(const struct wml_style *const *)b;

	if (sa->type != sb->type)
		return sa->type < sb->type ? -1 : 1;
	return strcmp(sa->id, sb->id);
}

/* The lookup order, with ties in file order so the first of twins wins. */
static int
style_order(const void *a, const void *b)
{
	const struct wml_style *sa = *(const struct wml_style *const *)a;
	const struct wml_style *sb = *(const struct wml_style *const *)b;
	int c;

	if ((c = style_cmp(a, b)) != 0)
		return c;
	return sa < sb ? -1 : sa > sb;
}

const struct wml_style *
kh_wml_style(const struct wml_styles *st, const char *id, int type)
{
	struct wml_style key, *kp = &key, **found;
	size_t i;

	if (id == NULL) {
		for (i = 0; i < st->n; i++)
			if (st->v[i].type == type && st->v[i].is_default)
				return &st->v[i];
		return NULL;
	}
	if (st->n == 0)
		return NULL;
	key.type = type;
	key.id = (char *)id;
	found = bsearch(&kp, st->sorted, st->n, sizeof(*st->sorted),
	    style_cmp);
	if (found == NULL)
		return NULL;
	while (found > st->sorted && style_cmp(found - 1, &kp) == 0)
		found--;
	return *found;
}

/* Whether name is "heading N", as Word names its built-in heading styles. */
static int
heading_name(const char *name)
{
	return strncasecmp(name, "heading ", 8) == 0 &&
	    name[8] >= '1' && name[8] <= '9' && name[9] == '\0';
}

/*
 * Resolve every style's chain: each property comes from the first style
 * along basedOn that sets it.  The walk stops after WML_CHAIN_MAX links,
 * so a cycle (a basedOn b basedOn a) ends like a long chain.
 */
static void
resolve(struct wml_styles *st)
{
	const struct wml_style *b;
	struct wml_style *s;
	size_t i;
	int k;

	for (i = 0; i < st->n; i++) {
		s = &st->v[i];
		s->outline = s->num = s->ilvl = -1;
		s->vanish = s->bold = s->italic = s->caps = -1;
		for (b = s, k = 0; b != NULL && k < WML_CHAIN_MAX; k++) {
#define TAKE(f) if (s->f == -1) s->f = b->set_##f
			TAKE(outline);
			TAKE(num);
			TAKE(ilvl);
			TAKE(vanish);
			TAKE(bold);
			TAKE(italic);
			TAKE(caps);
#undef TAKE
			b = b->based_on != NULL ? kh_wml_style(st, b->based_on,
			    b->type) : NULL;
		}
		if (s->outline > 8)
			s->outline = -1;	/* 9 is "body text" */
		s->heading = heading_name(s->name) || s->outline >= 0;
	}
}

void
kh_wml_styles_init(struct wml_styles *st)
{
	memset(st, 0, sizeof(*st));
	st->def_vanish = st->def_bold = st->def_italic = st->def_caps = -1;
}

int
kh_wml_styles_read(struct wml_styles *st, kh_package *pkg, const char *part,
    const kh_limits *lim, kh_err *err)
{
	static const kh_xml_handler h = { style_start, style_end, NULL };
	struct style_parse sp;
	size_t i;

	memset(&sp, 0, sizeof(sp));
	sp.st = st;
	if (kh_xml_parse_part(pkg, part, &h, &sp, lim, err) == -1)
		return -1;
	st->sorted = kh_xreallocarray(NULL, st->n + 1, sizeof(*st->sorted));
	for (i = 0; i < st->n; i++)
		st->sorted[i] = &st->v[i];
	qsort(st->sorted, st->n, sizeof(*st->sorted), style_order);
	resolve(st);
	return 0;
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
	free(st->sorted);
	kh_wml_styles_init(st);
}
