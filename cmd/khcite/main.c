/*
 * khcite: resolve the citations of a KHL stream against an archive and a
 * catalog, and write the stream back with a link record after each ref,
 * or the citations as a report or a Graphviz graph.
 *
 * The documents of the input are part of the archive, and a citation may
 * name a document that comes later in the input, so the input is read
 * twice: once to index it, once to resolve and write it (three times with
 * --backlinks, whose records follow the cited document).  Files are read
 * again from the disk; a pipe is copied to a temporary file while it is
 * indexed, so memory stays the index's, whatever the size of the input.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "fe.h"
#include "kh.h"
#include "khl.h"
#include "text.h"
#include "cite_index.h"

enum format { F_KHL, F_TEXT, F_DOT };

/* Marks on the documents of the index, by id. */
#define M_NODE		0x01	/* its DOT node is written */
#define M_CITEDBY	0x02	/* its citedby records are written */

/* An input, and how to read it the second time. */
struct source {
	const char	*name;
	int		 spooled;	/* copied into the spool at off */
	off_t		 off;
	unsigned long	 nrec;		/* records read well the first time */
};

/* An edge of the citation graph from the current document. */
struct edge {
	char		*to;		/* the node's id */
	char		*cited;		/* the number, when no document is */
	enum kh_lstatus	 status;
};

/* One citation of the current document, for the text report. */
struct line {
	char	*loc;
	char	*text;
};

static struct {
	enum format	 format;
	int		 backlinks;
	size_t		 max_line;
	kh_index	*ix;
	FILE		*spool;
	unsigned char	*mark;
	kh_link		 link;
	kh_buf		 out;
	const kh_idoc	*cur;		/* the document of the second pass */
	struct line	*lines;		/* text: the current document's */
	size_t		 nlines, caplines;
	size_t		 count[KH_LINK_UNRESOLVED + 1];
	struct edge	*edges;		/* dot: the current document's */
	size_t		 nedges, capedges;
	int		 found;		/* a citation did not resolve */
	int		 trouble;
} run;

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: khcite [--backlinks] [-c catalog] [-f format] "
	    "[-i index] [--max-line size]\n"
	    "              [file ...]\n");
}

/* Trouble in an input or a data file: "FILE:LINE: message", shown safely. */
static void
trouble(const kh_err *err)
{
	char buf[1024], safe[4096];

	kh_err_format(err, buf, sizeof(buf));
	kh_warnx("%s", kh_safe(buf, safe, sizeof(safe)));
	run.trouble = 1;
}

static void
flush_out(void)
{
	if (run.out.len > 0)
		fwrite(run.out.s, 1, run.out.len, stdout);
	kh_buf_reset(&run.out);
}

/* Text from a document on a terminal: control characters escaped. */
static void
safe(kh_buf *b, const char *s)
{
	size_t n = strlen(s) * 4 + 1;
	char *tmp = kh_xmalloc(n);

	kh_buf_adds(b, kh_safe(s, tmp, n));
	free(tmp);
}

/* A DOT string: quoted, with quotes, backslashes and newlines escaped. */
static void
dot_str(kh_buf *b, const char *s)
{
	kh_buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			kh_buf_addc(b, '\\');
		if (*s == '\n')
			kh_buf_adds(b, "\\n");
		else if ((unsigned char)*s >= 0x20 || *s == '\t')
			kh_buf_addc(b, *s);
	}
	kh_buf_addc(b, '"');
}

/* At most max code points of s, and "…" when cut. */
static void
add_short(kh_buf *b, const char *s, size_t max)
{
	size_t len = strlen(s), off;

	off = kh_utf8_offset(s, len, max);
	kh_buf_add(b, s, off);
	if (off < len)
		kh_buf_adds(b, "…");
}

/* "NUMBER\nsubject" for a document's DOT node. */
static void
dot_node(const kh_idoc *d)
{
	kh_buf label = KH_BUF_INIT;
	const char *about;

	if (run.mark[d->id] & M_NODE)
		return;
	run.mark[d->id] |= M_NODE;
	kh_buf_adds(&label, d->number != NULL && d->number[0] != '\0' ?
	    d->number : d->doc);
	about = d->subject != NULL && d->origin != KH_FROM_CATALOG ?
	    d->subject : d->title;
	if (about != NULL && about[0] != '\0') {
		kh_buf_addc(&label, '\n');
		add_short(&label, about, 48);
	}
	kh_buf_addc(&run.out, '\t');
	dot_str(&run.out, d->doc);
	kh_buf_adds(&run.out, " [label=");
	dot_str(&run.out, label.s);
	if (d->origin == KH_FROM_CATALOG)
		kh_buf_adds(&run.out, ", shape=note");
	kh_buf_adds(&run.out, "];\n");
	kh_buf_free(&label);
}

/* An edge from the current document, written when the document ends. */
static void
dot_edge(const char *cited)
{
	const kh_link *l = &run.link;
	struct edge *e;
	kh_buf id = KH_BUF_INIT;

	if (run.nedges == run.capedges) {
		run.capedges = run.capedges ? 2 * run.capedges : 16;
		run.edges = kh_xreallocarray(run.edges, run.capedges,
		    sizeof(*run.edges));
	}
	e = &run.edges[run.nedges++];
	e->status = l->status;
	e->cited = NULL;
	if (l->target != NULL && l->status != KH_LINK_AMBIGUOUS) {
		dot_node(l->target);
		e->to = kh_xstrdup(l->target->doc);
	} else {
		/* A node for what is cited: no one document stands for it. */
		kh_buf_printf(&id, "cited:%s", cited);
		e->to = id.s;
		e->cited = kh_xstrdup(cited);
	}
}

static int
edge_cmp(const void *pa, const void *pb)
{
	const struct edge *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->to, b->to)) != 0)
		return c;
	return (int)a->status - (int)b->status;
}

/*
 * The current document's edges, sorted, each once however often it is
 * cited; the dashed node of a cited number before its first edge.
 */
static void
dot_edges(void)
{
	struct edge *e;
	size_t i;

	if (run.nedges > 1)
		qsort(run.edges, run.nedges, sizeof(*run.edges), edge_cmp);
	for (i = 0; i < run.nedges; i++) {
		e = &run.edges[i];
		if (i > 0 && edge_cmp(e, e - 1) == 0)
			continue;
		if (e->cited != NULL && (i == 0 || strcmp(e->to, e[-1].to))) {
			kh_buf_addc(&run.out, '\t');
			dot_str(&run.out, e->to);
			kh_buf_adds(&run.out, " [label=");
			dot_str(&run.out, e->cited);
			kh_buf_adds(&run.out, ", style=dashed];\n");
		}
		kh_buf_addc(&run.out, '\t');
		dot_str(&run.out, run.cur->doc);
		kh_buf_adds(&run.out, " -> ");
		dot_str(&run.out, e->to);
		if (e->status == KH_LINK_SUPERSEDED)
			kh_buf_adds(&run.out, " [color=red, "
			    "label=\"superseded\"]");
		else if (e->status != KH_LINK_RESOLVED)
			kh_buf_printf(&run.out, " [style=dashed, label=\"%s\"]",
			    kh_link_status(e->status));
		kh_buf_adds(&run.out, ";\n");
	}
	for (i = 0; i < run.nedges; i++) {
		free(run.edges[i].to);
		free(run.edges[i].cited);
	}
	run.nedges = 0;
}

/* The text report keeps a document's lines to count them in its heading. */
static void
text_line(const char *loc, const kh_buf *b)
{
	if (run.nlines == run.caplines) {
		run.caplines = run.caplines ? 2 * run.caplines : 16;
		run.lines = kh_xreallocarray(run.lines, run.caplines,
		    sizeof(*run.lines));
	}
	run.lines[run.nlines].loc = kh_xstrdup(loc);
	run.lines[run.nlines].text = kh_xstrndup(b->s, b->len);
	run.nlines++;
}

static void
text_citation(const khl_record *r)
{
	kh_buf b = KH_BUF_INIT;
	const kh_link *l = &run.link;

	kh_buf_printf(&b, "%-13s  ", kh_link_status(l->status));
	safe(&b, r->field[4][0] != '\0' ? r->field[4] : r->field[7]);
	/* A law cited by name has its date in its text already. */
	if (r->field[4][0] != '\0' && r->field[5][0] != '\0')
		kh_buf_printf(&b, " of %s", r->field[5]);
	if (l->target != NULL) {
		kh_buf_adds(&b, " -> ");
		safe(&b, l->target->doc);
	}
	if (l->detail.len > 0) {
		kh_buf_adds(&b, " (");
		safe(&b, l->detail.s);
		kh_buf_addc(&b, ')');
	}
	text_line(KHL_LOC(r), &b);
	kh_buf_free(&b);
}

/* A document's heading: "DOC (NUMBER of DATE)". */
static void
text_heading(const kh_idoc *d)
{
	char date[16];

	safe(&run.out, d->doc);
	kh_date_format(d->date, date);
	if (d->number != NULL || date[0] != '\0') {
		kh_buf_adds(&run.out, " (");
		if (d->number != NULL)
			safe(&run.out, d->number);
		if (d->number != NULL && date[0] != '\0')
			kh_buf_adds(&run.out, " of ");
		kh_buf_adds(&run.out, date);
		kh_buf_addc(&run.out, ')');
	}
}

/* The citedby of d, as records or report lines. */
static void
citedby(const kh_idoc *d)
{
	const kh_citation *c;
	char loc[KH_LOC_MAX];
	size_t i, n;
	kh_loc whole = { 0, 0, 0 };
	kh_buf b = KH_BUF_INIT;

	if (!run.backlinks || (run.mark[d->id] & M_CITEDBY))
		return;
	run.mark[d->id] |= M_CITEDBY;
	n = kh_index_citedby(run.ix, d, &c);
	for (i = 0; i < n; i++) {
		kh_loc_format(&c[i].loc, loc);
		if (run.format == F_KHL) {
			khl_begin(&run.out, "citedby", d->doc, &whole);
			khl_field(&run.out, c[i].citing->doc);
			khl_field(&run.out, loc);
			khl_field(&run.out, c[i].number);
			khl_end(&run.out);
		} else if (run.format == F_TEXT) {
			kh_buf_reset(&b);
			kh_buf_adds(&b, "cited by ");
			safe(&b, c[i].citing->doc);
			kh_buf_printf(&b, " at %s", loc);
			text_line("", &b);
		}
	}
	kh_buf_free(&b);
}

/* The end of the current document of the second pass. */
static void
end_doc(void)
{
	size_t i, w = 0, n = 0;
	enum kh_lstatus s;

	if (run.cur == NULL)
		return;
	citedby(run.cur);
	if (run.format == F_TEXT) {
		text_heading(run.cur);
		for (s = 0; s <= KH_LINK_UNRESOLVED; s++)
			n += run.count[s];
		if (run.cur->origin != KH_FROM_INPUT)
			;	/* its citations are not in the input */
		else if (n == 0)
			kh_buf_adds(&run.out, ": no citations");
		else {
			kh_buf_printf(&run.out, ": %zu citation%s", n,
			    n == 1 ? "" : "s");
			for (s = 0; s <= KH_LINK_UNRESOLVED; s++)
				if (run.count[s] > 0)
					kh_buf_printf(&run.out, ", %zu %s",
					    run.count[s], kh_link_status(s));
		}
		kh_buf_addc(&run.out, '\n');
		for (i = 0; i < run.nlines; i++)
			if (strlen(run.lines[i].loc) > w)
				w = strlen(run.lines[i].loc);
		for (i = 0; i < run.nlines; i++) {
			if (run.lines[i].loc[0] == '\0')
				kh_buf_printf(&run.out, "  %s\n",
				    run.lines[i].text);
			else
				kh_buf_printf(&run.out, "  %-*s  %s\n", (int)w,
				    run.lines[i].loc, run.lines[i].text);
			free(run.lines[i].loc);
			free(run.lines[i].text);
		}
		run.nlines = 0;
	} else if (run.format == F_DOT)
		dot_edges();
	memset(run.count, 0, sizeof(run.count));
	run.cur = NULL;
	flush_out();
}

/*
 * The document of record r, in the second pass; -1 when the first pass did
 * not see it (the file changed in between).
 */
static int
enter_doc(const khl_record *r)
{
	if (run.cur != NULL && strcmp(run.cur->doc, KHL_DOC(r)) == 0)
		return 0;
	end_doc();
	if ((run.cur = kh_index_doc(run.ix, KHL_DOC(r))) == NULL)
		return -1;
	if (run.format == F_DOT)
		dot_node(run.cur);
	return 0;
}

static void
resolve(const khl_record *r)
{
	kh_resolve(run.ix, run.cur, r->field[4], r->field[5], r->field[7],
	    &run.link);
	if (run.link.status != KH_LINK_RESOLVED)
		run.found = 1;
}

/* The second pass over one record: the output. */
static int
write_record(const khl_record *r)
{
	const char *type = KHL_TYPE(r);
	int isref = strcmp(type, "ref") == 0;

	if (enter_doc(r) == -1)
		return -1;
	/* Links and backlinks of an earlier run are made anew, not doubled. */
	if (strcmp(type, "link") == 0 || strcmp(type, "citedby") == 0)
		return 0;
	if (run.format == F_KHL) {
		kh_buf_add(&run.out, r->raw, r->rawlen);
		kh_buf_addc(&run.out, '\n');
	}
	if (isref) {
		resolve(r);
		run.count[run.link.status]++;
		switch (run.format) {
		case F_KHL:
			kh_buf_adds(&run.out, "link\t");
			khl_escape(&run.out, KHL_DOC(r), r->flen[1]);
			kh_buf_addc(&run.out, '\t');
			kh_buf_adds(&run.out, KHL_LOC(r));
			khl_field(&run.out, kh_link_status(run.link.status));
			khl_field(&run.out, run.link.number);
			khl_field(&run.out, run.link.target != NULL ?
			    run.link.target->doc : "");
			khl_field(&run.out, run.link.detail.s);
			khl_end(&run.out);
			break;
		case F_TEXT:
			text_citation(r);
			break;
		case F_DOT:
			dot_edge(r->field[4][0] != '\0' ? r->field[4] :
			    r->field[7]);
			break;
		}
	}
	if (run.out.len >= 1 << 16)
		flush_out();
	return 0;
}

/* The pass that gathers backlinks: every resolved citation, by target. */
static int
gather_record(const khl_record *r)
{
	if (strcmp(KHL_TYPE(r), "ref") != 0)
		return 0;
	if ((run.cur == NULL || strcmp(run.cur->doc, KHL_DOC(r)) != 0) &&
	    (run.cur = kh_index_doc(run.ix, KHL_DOC(r))) == NULL)
		return -1;
	kh_resolve(run.ix, run.cur, r->field[4], r->field[5], r->field[7],
	    &run.link);
	if (run.link.status == KH_LINK_RESOLVED ||
	    run.link.status == KH_LINK_SUPERSEDED)
		kh_index_cite(run.ix, run.link.target, run.cur, &r->loc,
		    r->field[4][0] != '\0' ? r->field[4] : run.link.number);
	return 0;
}

static void
spool_open(void)
{
	const char *dir = getenv("TMPDIR");
	kh_buf path = KH_BUF_INIT;
	int fd;

	kh_buf_printf(&path, "%s/khcite.XXXXXX",
	    dir != NULL && *dir != '\0' ? dir : "/tmp");
	if ((fd = mkstemp(path.s)) == -1 ||
	    (run.spool = fdopen(fd, "w+")) == NULL)
		kh_errx("cannot make a temporary file in %s: %s",
		    dir != NULL && *dir != '\0' ? dir : "/tmp",
		    strerror(errno));
	/* Gone with the process, whatever way it ends. */
	unlink(path.s);
	kh_buf_free(&path);
}

/* The first pass over an input: index it, and spool it when a pipe. */
static void
index_input(struct source *src)
{
	khl_reader *rd;
	khl_record *r;
	struct stat st;
	kh_err err;
	FILE *fp;
	int rc;

	kh_err_clear(&err);
	if ((fp = kh_input_open(src->name, &err)) == NULL) {
		kh_warn_err(src->name, &err);
		run.trouble = 1;
		return;
	}
	if (fstat(fileno(fp), &st) == -1 || !S_ISREG(st.st_mode) ||
	    fp == stdin) {
		if (run.spool == NULL)
			spool_open();
		src->spooled = 1;
		src->off = ftello(run.spool);
	}
	rd = khl_reader_new(fp, src->name, run.max_line);
	while ((rc = khl_read(rd, &r, &err)) == 1) {
		kh_index_record(run.ix, r, KH_FROM_INPUT);
		src->nrec++;
		if (src->spooled && (fwrite(r->raw, 1, r->rawlen, run.spool) !=
		    r->rawlen || putc('\n', run.spool) == EOF))
			kh_errx("%s: cannot copy to a temporary file: %s",
			    src->name, strerror(errno));
	}
	/* The records read well are processed; the rest is trouble. */
	if (rc == -1)
		trouble(&err);
	khl_reader_free(rd);
	kh_input_close(fp);
}

/* A later pass over an input: the records read well the first time. */
static void
reread(const struct source *src, int (*fn)(const khl_record *))
{
	khl_reader *rd;
	khl_record *r;
	kh_err err;
	FILE *fp;
	unsigned long n = 0;

	kh_err_clear(&err);
	if (src->nrec == 0)
		return;
	if (src->spooled) {
		if (fflush(run.spool) == EOF ||
		    fseeko(run.spool, src->off, SEEK_SET) == -1)
			kh_errx("cannot read the temporary file back: %s",
			    strerror(errno));
		fp = run.spool;
	} else if ((fp = kh_input_open(src->name, &err)) == NULL) {
		kh_warn_err(src->name, &err);
		run.trouble = 1;
		return;
	}
	rd = khl_reader_new(fp, src->name, run.max_line);
	while (n < src->nrec && khl_read(rd, &r, &err) == 1 && fn(r) == 0)
		n++;
	if (n < src->nrec) {
		/* Only a file changed in between reads otherwise now. */
		kh_warnx("%s: changed while it was read", src->name);
		run.trouble = 1;
	}
	khl_reader_free(rd);
	if (!src->spooled)
		kh_input_close(fp);
}

static int
doc_cmp(const void *a, const void *b)
{
	const kh_idoc *const *x = a, *const *y = b;

	return strcmp((*x)->doc, (*y)->doc);
}

/*
 * Documents of the index streams that are cited, after the input: their
 * doc record then their citedby records (or their report lines), in byte
 * order of DOC, so khmerge can merge them with the index.
 */
static void
index_backlinks(void)
{
	const kh_idoc **list = NULL, *d;
	const kh_citation *c;
	kh_loc whole = { 0, 0, 0 };
	size_t i, n = 0, cap = 0;

	for (i = 0; i < kh_index_count(run.ix); i++) {
		d = kh_index_nth(run.ix, i);
		if (d->origin != KH_FROM_INDEX ||
		    kh_index_citedby(run.ix, d, &c) == 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			list = kh_xreallocarray(list, cap, sizeof(*list));
		}
		list[n++] = d;
	}
	if (n > 1)
		qsort(list, n, sizeof(*list), doc_cmp);
	for (i = 0; i < n; i++) {
		run.cur = list[i];
		if (run.format == F_KHL && list[i]->docrec != NULL) {
			khl_begin(&run.out, "doc", list[i]->doc, &whole);
			kh_buf_addc(&run.out, '\t');
			kh_buf_adds(&run.out, list[i]->docrec);
			khl_end(&run.out);
		}
		end_doc();
	}
	free(list);
}

/* An index (-i) or a catalog (-c): trouble here stops the run. */
static void
load(const char *name, int catalog, int quiet)
{
	kh_err err;
	FILE *fp;
	int rc;

	kh_err_clear(&err);
	if ((fp = kh_input_open(name, &err)) == NULL) {
		if (quiet)
			return;
		kh_warn_err(name, &err);
		exit(KH_EXIT_TROUBLE);
	}
	if (catalog)
		rc = kh_catalog_load(run.ix, fp, name, &err);
	else
		rc = kh_index_load(run.ix, fp, name, run.max_line, &err);
	kh_input_close(fp);
	if (rc == -1) {
		trouble(&err);
		exit(KH_EXIT_TROUBLE);
	}
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "backlinks",	no_argument,		NULL, 'b' },
		{ "catalog",	required_argument,	NULL, 'c' },
		{ "format",	required_argument,	NULL, 'f' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "index",	required_argument,	NULL, 'i' },
		{ "max-line",	required_argument,	NULL, 'M' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	char *dflt[] = { (char *)"-" }, **files;
	const char **indexes = NULL, **catalogs = NULL;
	size_t ni = 0, nc = 0, nfiles, i;
	struct source *src;
	kh_buf path = KH_BUF_INIT;
	int ch;

	kh_setprogname(argv[0]);
	argv[0] = (char *)kh_progname();
	while ((ch = getopt_long(argc, argv, "c:f:i:", longopts, NULL)) != -1)
		switch (ch) {
		case 'b':
			run.backlinks = 1;
			break;
		case 'c':
			catalogs = kh_xreallocarray(catalogs, nc + 1,
			    sizeof(*catalogs));
			catalogs[nc++] = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "khl") == 0)
				run.format = F_KHL;
			else if (strcmp(optarg, "text") == 0)
				run.format = F_TEXT;
			else if (strcmp(optarg, "dot") == 0)
				run.format = F_DOT;
			else {
				kh_warnx("-f %s: unknown format (khl, text or "
				    "dot)", optarg);
				usage(stderr);
				return KH_EXIT_TROUBLE;
			}
			break;
		case 'h':
			usage(stdout);
			return KH_EXIT_OK;
		case 'i':
			indexes = kh_xreallocarray(indexes, ni + 1,
			    sizeof(*indexes));
			indexes[ni++] = optarg;
			break;
		case 'M':
			run.max_line = (size_t)kh_size_arg("--max-line",
			    optarg);
			break;
		case 'V':
			printf("khcite (khtools) %s\n", KH_VERSION);
			return KH_EXIT_OK;
		default:
			usage(stderr);
			return KH_EXIT_TROUBLE;
		}
	argc -= optind;
	argv += optind;
	files = argc > 0 ? argv : dflt;
	nfiles = argc > 0 ? (size_t)argc : 1;

	run.ix = kh_index_new((run.format != F_KHL ? KH_INDEX_LABELS : 0) |
	    (run.backlinks ? KH_INDEX_DOCREC : 0));
	for (i = 0; i < ni; i++)
		load(indexes[i], 0, 0);
	if (nc == 0) {
		/* The catalog shipped, when there is one. */
		kh_buf_printf(&path, "%s/catalog.tsv", kh_datadir());
		load(path.s, 1, 1);
		kh_buf_free(&path);
	}
	for (i = 0; i < nc; i++)
		load(catalogs[i], 1, 0);
	free(indexes);
	free(catalogs);

	src = kh_xcalloc(nfiles, sizeof(*src));
	for (i = 0; i < nfiles; i++) {
		src[i].name = files[i];
		index_input(&src[i]);
	}
	kh_index_finish(run.ix);
	run.mark = kh_xcalloc(kh_index_count(run.ix) + 1, 1);
	if (run.backlinks) {
		for (i = 0; i < nfiles; i++)
			reread(&src[i], gather_record);
		run.cur = NULL;
	}

	if (run.format == F_KHL)
		kh_buf_adds(&run.out, KHL_HEADER);
	else if (run.format == F_DOT)
		kh_buf_adds(&run.out, "digraph citations {\n\trankdir=LR;\n"
		    "\tnode [shape=box];\n");
	for (i = 0; i < nfiles; i++) {
		reread(&src[i], write_record);
		/* A document ends with its input. */
		end_doc();
	}
	if (run.backlinks)
		index_backlinks();
	if (run.format == F_DOT)
		kh_buf_adds(&run.out, "}\n");
	flush_out();

	if (run.spool != NULL)
		fclose(run.spool);
	free(run.edges);
	free(run.lines);
	free(run.mark);
	free(src);
	kh_link_free(&run.link);
	kh_buf_free(&run.out);
	kh_index_free(run.ix);
	if (kh_stdout_close() == -1)
		return KH_EXIT_TROUBLE;
	if (run.trouble)
		return KH_EXIT_TROUBLE;
	return run.found ? KH_EXIT_FOUND : KH_EXIT_OK;
}
