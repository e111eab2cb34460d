/*
 * feed.h: paragraphs made in C fed to the recognizers as khextract feeds
 * them (Word's label, else the label typed by hand split off the text),
 * and the records they write, one line each: "TYPE|LOC|FIELD|...", a
 * newline in a field shown as "\n".  Shared by tests/unit/outline.c and
 * tests/unit/meta.c.
 */
#ifndef FEED_H
#define FEED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "recog.h"
#include "text.h"

/*
 * One paragraph.  where: "b" body, "tN.R.C" table N row R cell C, "x" text
 * box, "f" footnote, "h" page header; then "*" for bold runs or "~" for
 * mixed ones (plain otherwise).  label: Word's list label, or NULL.
 */
struct tpara {
	const char	*where;
	const char	*label;
	const char	*text;
};

#define NPARAS(a)	(sizeof(a) / sizeof((a)[0]))

struct feed_out {
	kh_buf		 lines;
	const char	*types;		/* record types kept, space-separated */
};

static void
feed_emit(void *ud, const char *type, const kh_loc *loc, size_t n,
    const char *const *f)
{
	struct feed_out *o = ud;
	char lb[KH_LOC_MAX], want[32];
	const char *p;
	size_t i;

	snprintf(want, sizeof(want), " %s ", type);
	{
		char all[128];

		snprintf(all, sizeof(all), " %s ", o->types);
		if (strstr(all, want) == NULL)
			return;
	}
	kh_loc_format(loc, lb);
	kh_buf_printf(&o->lines, "%s|%s", type, lb);
	for (i = 0; i < n; i++) {
		kh_buf_addc(&o->lines, '|');
		for (p = f[i]; *p != '\0'; p++)
			if (*p == '\n')
				kh_buf_adds(&o->lines, "\\n");
			else if (*p == '\t')
				kh_buf_adds(&o->lines, "\\t");
			else
				kh_buf_addc(&o->lines, *p);
	}
	kh_buf_addc(&o->lines, '\n');
}

static void
feed_where(kh_para *p, const char *w)
{
	char *end;

	p->story = KH_STORY_BODY;
	p->table = p->table_no = p->row = p->cell = 0;
	p->bold = 0;
	switch (*w) {
	case 't':
		p->story = KH_STORY_TABLE;
		p->table = 1;
		p->table_no = (int)strtol(w + 1, &end, 10);
		p->row = (int)strtol(end + 1, &end, 10);
		p->cell = (int)strtol(end + 1, &end, 10);
		w = end;
		break;
	case 'x':
		p->story = KH_STORY_TEXTBOX;
		w++;
		break;
	case 'f':
		p->story = KH_STORY_FOOTNOTE;
		w++;
		break;
	case 'h':
		p->story = KH_STORY_HEADER;
		w++;
		break;
	default:
		w++;
		break;
	}
	if (*w == '*')
		p->bold = 1;
	else if (*w == '~')
		p->bold = -1;
}

/*
 * Feeds n paragraphs to a new outline and a new meta and returns the lines
 * of the records of the given types (the caller frees them).
 */
static char *
feed(const kh_vocab *v, const struct tpara *ps, size_t n, const char *types)
{
	struct feed_out o = { KH_BUF_INIT, types };
	kh_sink sink = { feed_emit, &o };
	kh_outline *ol = kh_outline_new();
	kh_meta *m = kh_meta_new(v);
	size_t i, skip, lablen, len;
	char *text, *label;
	kh_para p;

	kh_buf_adds(&o.lines, "");
	for (i = 0; i < n; i++) {
		memset(&p, 0, sizeof(p));
		feed_where(&p, ps[i].where);
		p.index = (long)i + 1;
		p.style = "";
		p.outline = -1;
		p.num_level = -1;
		text = kh_nfc(ps[i].text, strlen(ps[i].text), &len);
		p.text = text;
		p.len = len;
		p.label = ps[i].label != NULL ? ps[i].label : "";
		p.list = ps[i].label != NULL;
		if (p.label[0] != '\0') {
			label = kh_xstrdup(p.label);
			skip = 0;
		} else {
			lablen = kh_label_split(text, len, &skip);
			label = kh_xstrndup(text, lablen);
		}
		kh_outline_para(ol, &p, label, text + skip, len - skip, &sink);
		kh_meta_para(m, &p, label, text + skip, len - skip);
		free(label);
		free(text);
	}
	kh_meta_finish(m, &sink);
	kh_meta_free(m);
	kh_outline_free(ol);
	return o.lines.s;
}

/* Lines joined with "\n", each ended by it, as feed returns them. */
static char *
feed_lines(const char *const *lines, size_t n)
{
	kh_buf b = KH_BUF_INIT;
	size_t i;

	kh_buf_adds(&b, "");
	for (i = 0; i < n; i++) {
		kh_buf_adds(&b, lines[i]);
		kh_buf_addc(&b, '\n');
	}
	return b.s;
}

/* Compares what the paragraphs give with the lines expected. */
#define FEED_CHECK(v, paras, types, want, ...) do {			\
	char *g_ = feed((v), (paras), NPARAS(paras), (types));		\
	char *w_ = feed_lines((want), NPARAS(want));			\
	T_STREQ(g_, w_, __VA_ARGS__);					\
	free(g_);							\
	free(w_);							\
} while (0)

/*
 * The reference plan of ../shared as body paragraphs, one a line, or NULL
 * when ../shared is not there.  *n gets their count.
 */
static struct tpara *
feed_seed(size_t *n)
{
	const char *shared = getenv("SHARED");
	char path[1024], *line = NULL;
	struct tpara *ps = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;

	*n = 0;
	snprintf(path, sizeof(path), "%s/seeds/000_0aa874c50ecccc5d.txt",
	    shared != NULL ? shared : "../shared");
	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	while ((len = getline(&line, &cap, fp)) != -1) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		ps = kh_xreallocarray(ps, *n + 1, sizeof(*ps));
		ps[*n].where = "b";
		ps[*n].label = NULL;
		ps[*n].text = kh_xstrdup(line);
		(*n)++;
	}
	free(line);
	fclose(fp);
	return ps;
}

static void
feed_seed_free(struct tpara *ps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free((char *)ps[i].text);
	free(ps);
}

#endif
