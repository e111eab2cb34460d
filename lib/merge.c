/*
 * merge.c: many KHL streams into one canonical stream (khmerge(1)).
 *
 * One code path serves sorted and unsorted inputs alike, as in sort(1):
 * everything becomes sorted runs, and the runs are merged k ways.  An input
 * file found in canonical order is a run as it lies, so merging sorted files
 * reads each twice (once to check it, once to merge it) and holds one buffer
 * per file, whatever their size.  Other inputs go through a sort buffer that
 * spills sorted runs to one temporary file, unlinked as soon as it is made so
 * nothing is left behind, whatever ends the process.
 *
 * A record's place is its key: DOC (unescaped bytes), the doc record before
 * the others, LOC, the rank of its TYPE, an unknown TYPE's name, the bytes of
 * its canonical line, and last the input it came from, which decides nothing
 * in the output but makes the order total.  The last merge pass sees each
 * document's doc records before its other records, so it can choose the
 * version to keep before it writes a line, holding nothing but those doc
 * records.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "kh.h"
#include "khl.h"
#include "merge.h"

#define DEFAULT_MEM	(256ull << 20)
#define RUN_BUF		(128u << 10)	/* read buffer of a run */
#define OUT_BUF		(256u << 10)	/* written in pieces of this size */
#define ARENA_BLOCK	(1u << 20)
#define FILE_RUN_MIN	(64u << 10)	/* smaller files go to the sort buffer */
#define MAX_FANIN	512

/* The rank of each known TYPE in a document; unknown types come after. */
enum { RANK_DOC, RANK_UNKNOWN = 9 };

/* One record: a canonical line and what its key needs. */
struct rec {
	const char	*line;		/* without newline */
	size_t		 len;
	const char	*doc;		/* DOC unescaped */
	size_t		 doclen;
	size_t		 typelen;	/* TYPE is line[0 .. typelen) */
	kh_loc		 loc;
	int		 rank;
	int		 origin;	/* index of its input */
	long		 lineno;	/* in its input */
};

/* Memory for records in the sort buffer, freed all at once. */
struct arena {
	char		**block;
	size_t		  nblock, capblock;
	char		 *cur;
	size_t		  left;
	size_t		  firstsize;	/* of block[0] */
	uint64_t	  used;		/* bytes handed out */
};

enum run_kind { RUN_MEM, RUN_TEMP, RUN_FILE };

/* A sorted run: where it lies, and how to read it back. */
struct runspec {
	enum run_kind	 kind;
	off_t		 start, end;	/* RUN_TEMP: bytes of the temporary file */
	struct rec	*recs;		/* RUN_MEM */
	size_t		 nrec;
	int		 origin;	/* RUN_FILE: the input */
	struct stat	 st;		/* RUN_FILE: as checked */
};

/* A run being read. */
struct run {
	struct runspec	*spec;
	int		 fd;
	off_t		 pos;
	char		*buf;
	size_t		 cap, len, off;
	int		 eof;
	size_t		 next;		/* RUN_MEM */
	long		 lineno;	/* RUN_FILE */
	kh_buf		 canon, doc;
	struct rec	 cur;
};

struct kh_merge {
	kh_merge_opts	 o;
	char		**names;	/* of the inputs, by origin */
	size_t		 ninput;
	/* The sort buffer. */
	struct arena	 arena;
	struct rec	*recs;
	size_t		 nrec, caprec;
	int		 sorted;	/* the records came in order */
	/* Runs, and the temporary file that holds the spilled ones. */
	struct runspec	*runs;
	size_t		 nrun, caprun;
	int		 tmpfd;
	const char	*tmpdir;	/* where it is, for messages */
	off_t		 tmpend;
	kh_buf		 wbuf;		/* written to the temporary file */
	kh_buf		 last, lastdoc;	/* last record of the open spilled run */
	struct rec	 lastrec;
	long		 open_run;	/* the spilled run that may grow, or -1 */
	kh_buf		 scratch, scratch2;
	kh_merge_stats	 stats;
};

static int
bytes_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	int c;

	if ((c = memcmp(a, b, na < nb ? na : nb)) != 0)
		return c;
	return (na > nb) - (na < nb);
}

static int
long_cmp(long a, long b)
{
	return (a > b) - (a < b);
}

static int
rec_cmp(const struct rec *a, const struct rec *b)
{
	int c;

	if ((c = bytes_cmp(a->doc, a->doclen, b->doc, b->doclen)) != 0)
		return c;
	if ((a->rank == RANK_DOC) != (b->rank == RANK_DOC))
		return a->rank == RANK_DOC ? -1 : 1;
	if ((c = long_cmp(a->loc.para, b->loc.para)) != 0 ||
	    (c = long_cmp(a->loc.col, b->loc.col)) != 0 ||
	    (c = long_cmp(a->loc.end, b->loc.end)) != 0)
		return c;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->rank == RANK_UNKNOWN &&
	    (c = bytes_cmp(a->line, a->typelen, b->line, b->typelen)) != 0)
		return c;
	if ((c = bytes_cmp(a->line, a->len, b->line, b->len)) != 0)
		return c;
	return (a->origin > b->origin) - (a->origin < b->origin);
}

static int
rec_qcmp(const void *a, const void *b)
{
	return rec_cmp(a, b);
}

static int
type_rank(const char *t, size_t n)
{
	static const struct {
		const char	*name;
		size_t		 len;
	} names[] = { { "doc", 3 }, { "meta", 4 }, { "para", 4 }, { "fmt", 3 },
	    { "sec", 3 }, { "ref", 3 }, { "link", 4 }, { "citedby", 7 },
	    { "diag", 4 } };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (n == names[i].len && t[0] == names[i].name[0] &&
		    memcmp(t, names[i].name, n) == 0)
			return (int)i;
	return RANK_UNKNOWN;
}

/*
 * Fill r from a canonical line known to be well formed (checked when it
 * was first read).  DOC is unescaped into docbuf when it holds an escape.
 * Returns 0, or -1 when the line is not a record after all (an input that
 * changed while it was being merged).
 */
static int
parse_line(const char *s, size_t len, struct rec *r, kh_buf *docbuf)
{
	const char *t1, *t2, *t3, *end = s + len;
	char loc[32];
	long n;

	if ((t1 = memchr(s, '\t', len)) == NULL ||
	    (t2 = memchr(t1 + 1, '\t', (size_t)(end - t1 - 1))) == NULL)
		return -1;
	if ((t3 = memchr(t2 + 1, '\t', (size_t)(end - t2 - 1))) == NULL)
		t3 = end;
	if ((size_t)(t3 - t2 - 1) >= sizeof(loc))
		return -1;
	memcpy(loc, t2 + 1, (size_t)(t3 - t2 - 1));
	loc[t3 - t2 - 1] = '\0';
	if (t1 == s || kh_loc_parse(loc, &r->loc) == -1)
		return -1;
	r->line = s;
	r->len = len;
	r->typelen = (size_t)(t1 - s);
	r->rank = type_rank(s, r->typelen);
	r->doc = t1 + 1;
	r->doclen = (size_t)(t2 - t1 - 1);
	if (memchr(r->doc, '\\', r->doclen) != NULL) {
		kh_buf_reset(docbuf);
		kh_buf_add(docbuf, r->doc, r->doclen);
		if ((n = khl_unescape(docbuf->s, docbuf->len)) < 0)
			return -1;
		r->doc = docbuf->s;
		r->doclen = (size_t)n;
	}
	return 0;
}

/* Field i (0-based) of a canonical line, escaped as it stands. */
static int
line_field(const char *s, size_t len, size_t i, const char **f, size_t *n)
{
	const char *end = s + len, *t;

	while (i-- > 0) {
		if ((t = memchr(s, '\t', (size_t)(end - s))) == NULL)
			return -1;
		s = t + 1;
	}
	if ((t = memchr(s, '\t', (size_t)(end - s))) == NULL)
		t = end;
	*f = s;
	*n = (size_t)(t - s);
	return 0;
}

/*
 * The canonical line of a record as read, into *s and *n: the line itself
 * unless it holds a raw carriage return, which the canonical form escapes.
 */
static void
canonical(const khl_record *kr, kh_buf *b, const char **s, size_t *n)
{
	if (memchr(kr->raw, '\r', kr->rawlen) == NULL) {
		*s = kr->raw;
		*n = kr->rawlen;
		return;
	}
	kh_buf_reset(b);
	khl_format(b, kr);
	*s = b->s;
	*n = b->len - 1;
}

/* A struct rec of a record as read; valid until the next read. */
static void
rec_of(const khl_record *kr, int origin, kh_buf *b, struct rec *r)
{
	canonical(kr, b, &r->line, &r->len);
	r->typelen = kr->flen[0];
	r->rank = type_rank(KHL_TYPE(kr), r->typelen);
	r->doc = KHL_DOC(kr);
	r->doclen = kr->flen[1];
	r->loc = kr->loc;
	r->origin = origin;
	r->lineno = kr->lineno;
}

/* Copy r's bytes to storage from alloc (an arena or a kh_buf pair). */
static void
rec_copy_buf(const struct rec *r, struct rec *to, kh_buf *line, kh_buf *doc)
{
	*to = *r;
	kh_buf_reset(line);
	kh_buf_add(line, r->line, r->len);
	to->line = line->s;
	kh_buf_reset(doc);
	kh_buf_add(doc, r->doc, r->doclen);
	to->doc = doc->s;
}

static void *
arena_alloc(struct arena *a, size_t n)
{
	char *p;

	if (n > a->left) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		if (a->nblock == a->capblock) {
			a->capblock = a->capblock ? 2 * a->capblock : 16;
			a->block = kh_xreallocarray(a->block, a->capblock,
			    sizeof(*a->block));
		}
		if (a->nblock == 0)
			a->firstsize = size;
		a->block[a->nblock++] = kh_xmalloc(size);
		a->cur = a->block[a->nblock - 1];
		a->left = size;
	}
	p = a->cur;
	a->cur += n;
	a->left -= n;
	a->used += n;
	return p;
}

/*
 * Free all but the first block, which is kept for the next round unless it
 * was made for one long line.
 */
static void
arena_reset(struct arena *a)
{
	size_t i, keep;

	keep = a->nblock > 0 && a->firstsize == ARENA_BLOCK;
	for (i = keep; i < a->nblock; i++)
		free(a->block[i]);
	a->nblock = keep;
	a->cur = keep ? a->block[0] : NULL;
	a->left = keep ? ARENA_BLOCK : 0;
	a->used = 0;
}

static void
arena_free(struct arena *a)
{
	size_t i;

	for (i = 0; i < a->nblock; i++)
		free(a->block[i]);
	free(a->block);
	memset(a, 0, sizeof(*a));
}

kh_merge *
kh_merge_new(const kh_merge_opts *o)
{
	kh_merge *m;

	m = kh_xcalloc(1, sizeof(*m));
	m->o = *o;
	if (m->o.mem == 0)
		m->o.mem = DEFAULT_MEM;
	m->tmpfd = -1;
	m->open_run = -1;
	m->sorted = 1;
	return m;
}

void
kh_merge_free(kh_merge *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->ninput; i++)
		free(m->names[i]);
	free(m->names);
	for (i = 0; i < m->nrun; i++)
		if (m->runs[i].kind == RUN_MEM)
			free(m->runs[i].recs);
	free(m->runs);
	free(m->recs);
	arena_free(&m->arena);
	if (m->tmpfd != -1)
		close(m->tmpfd);
	kh_buf_free(&m->wbuf);
	kh_buf_free(&m->last);
	kh_buf_free(&m->lastdoc);
	kh_buf_free(&m->scratch);
	kh_buf_free(&m->scratch2);
	free(m);
}

void
kh_merge_stats_get(const kh_merge *m, kh_merge_stats *s)
{
	*s = m->stats;
}

static struct runspec *
add_run(kh_merge *m, enum run_kind kind)
{
	struct runspec *rs;

	if (m->nrun == m->caprun) {
		m->caprun = m->caprun ? 2 * m->caprun : 16;
		m->runs = kh_xreallocarray(m->runs, m->caprun,
		    sizeof(*m->runs));
	}
	rs = &m->runs[m->nrun++];
	memset(rs, 0, sizeof(*rs));
	rs->kind = kind;
	return rs;
}

/* The temporary file, made on first use and unlinked at once. */
static int
tmp_open(kh_merge *m, kh_err *err)
{
	const char *dir = m->o.tmpdir;
	kh_buf path = KH_BUF_INIT;

	if (m->tmpfd != -1)
		return 0;
	if (dir == NULL && ((dir = getenv("TMPDIR")) == NULL || *dir == '\0'))
		dir = "/tmp";
	m->tmpdir = dir;
	kh_buf_printf(&path, "%s/khmerge.XXXXXX", dir);
	if ((m->tmpfd = mkstemp(path.s)) == -1) {
		kh_err_set(err, "cannot create a temporary file: %s",
		    strerror(errno));
		snprintf(err->part, sizeof(err->part), "%s", dir);
		kh_buf_free(&path);
		return -1;
	}
	unlink(path.s);
	kh_buf_free(&path);
	return 0;
}

static int
tmp_flush(kh_merge *m, kh_err *err)
{
	const char *p = m->wbuf.s;
	size_t left = m->wbuf.len;
	ssize_t n;

	while (left > 0) {
		if ((n = pwrite(m->tmpfd, p, left, m->tmpend)) == -1) {
			if (errno == EINTR)
				continue;
			kh_err_set(err, "cannot write a temporary file: %s",
			    strerror(errno));
			snprintf(err->part, sizeof(err->part), "%s",
			    m->tmpdir);
			return -1;
		}
		p += n;
		left -= (size_t)n;
		m->tmpend += n;
	}
	kh_buf_reset(&m->wbuf);
	return 0;
}

static void
add_num(kh_buf *b, unsigned long v)
{
	char d[24], *p = d + sizeof(d);

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	kh_buf_add(b, p, (size_t)(d + sizeof(d) - p));
}

/* A record in a temporary run: "ORIGIN TAB LINENO TAB LINE". */
static int
tmp_put(kh_merge *m, const struct rec *r, kh_err *err)
{
	add_num(&m->wbuf, (unsigned long)r->origin);
	kh_buf_addc(&m->wbuf, '\t');
	add_num(&m->wbuf, (unsigned long)r->lineno);
	kh_buf_addc(&m->wbuf, '\t');
	kh_buf_add(&m->wbuf, r->line, r->len);
	kh_buf_addc(&m->wbuf, '\n');
	if (m->wbuf.len >= OUT_BUF)
		return tmp_flush(m, err);
	return 0;
}

/*
 * Sort the buffer and write it to the temporary file: at the end of the
 * open run when it follows that run's last record (an input already in
 * order then stays one run however large), else as a new run.
 */
static int
spill(kh_merge *m, kh_err *err)
{
	struct runspec *rs;
	size_t i;

	if (m->nrec == 0)
		return 0;
	if (tmp_open(m, err) == -1)
		return -1;
	if (!m->sorted)
		qsort(m->recs, m->nrec, sizeof(*m->recs), rec_qcmp);
	if (m->open_run != -1 && rec_cmp(&m->lastrec, &m->recs[0]) <= 0)
		rs = &m->runs[m->open_run];
	else {
		rs = add_run(m, RUN_TEMP);
		rs->start = rs->end = m->tmpend;
		m->open_run = (long)(rs - m->runs);
		m->stats.spills++;
	}
	for (i = 0; i < m->nrec; i++)
		if (tmp_put(m, &m->recs[i], err) == -1)
			return -1;
	if (tmp_flush(m, err) == -1)
		return -1;
	rs->end = m->tmpend;
	rec_copy_buf(&m->recs[m->nrec - 1], &m->lastrec, &m->last,
	    &m->lastdoc);
	m->nrec = 0;
	m->sorted = 1;
	arena_reset(&m->arena);
	return 0;
}

/* Add a record as read to the sort buffer. */
static int
buffer_add(kh_merge *m, const khl_record *kr, int origin, kh_err *err)
{
	struct rec r, *to;
	char *p;

	rec_of(kr, origin, &m->scratch, &r);
	if (m->nrec > 0 &&
	    m->arena.used + m->nrec * sizeof(struct rec) >= m->o.mem &&
	    spill(m, err) == -1)
		return -1;
	if (m->nrec == m->caprec) {
		m->caprec = m->caprec ? 2 * m->caprec : 1024;
		m->recs = kh_xreallocarray(m->recs, m->caprec,
		    sizeof(*m->recs));
	}
	to = &m->recs[m->nrec];
	*to = r;
	p = arena_alloc(&m->arena, r.len);
	memcpy(p, r.line, r.len);
	to->line = p;
	/* DOC as it stands in the line, unless it held an escape. */
	if (r.doclen <= r.len - r.typelen - 1 &&
	    memcmp(p + r.typelen + 1, r.doc, r.doclen) == 0 &&
	    p[r.typelen + 1 + r.doclen] == '\t')
		to->doc = p + r.typelen + 1;
	else {
		to->doc = arena_alloc(&m->arena, r.doclen);
		memcpy((char *)to->doc, r.doc, r.doclen);
	}
	if (m->nrec > 0 && m->sorted && rec_cmp(to - 1, to) > 0)
		m->sorted = 0;
	m->nrec++;
	return 0;
}

static int
read_error(kh_merge *m, kh_err *err, const char *name)
{
	(void)m;
	if (err->part[0] == '\0')
		snprintf(err->part, sizeof(err->part), "%s", name);
	return -1;
}

/*
 * Read a whole input into the sort buffer.  Returns 0, or -1 with err set.
 */
static int
read_all(kh_merge *m, FILE *fp, const char *name, int origin, kh_err *err)
{
	khl_reader *rd;
	khl_record *kr;
	int rc;

	rd = khl_reader_new(fp, name, m->o.max_line);
	while ((rc = khl_read(rd, &kr, err)) == 1) {
		m->stats.records++;
		if (buffer_add(m, kr, origin, err) == -1) {
			rc = -1;
			break;
		}
	}
	khl_reader_free(rd);
	return rc == -1 ? read_error(m, err, name) : 0;
}

/*
 * Check a whole input file and whether it is in canonical order: 1 when
 * it is, 0 when not (fp is then where it stopped), -1 on a malformed
 * line.
 */
static int
check_sorted(kh_merge *m, FILE *fp, const char *name, int origin,
    uint64_t *nrec, kh_err *err)
{
	khl_reader *rd;
	khl_record *kr;
	struct rec r, prev;
	kh_buf pline = KH_BUF_INIT, pdoc = KH_BUF_INIT;
	int rc, have = 0, sorted = 1;

	*nrec = 0;
	rd = khl_reader_new(fp, name, m->o.max_line);
	while ((rc = khl_read(rd, &kr, err)) == 1) {
		rec_of(kr, origin, &m->scratch, &r);
		if (have && rec_cmp(&prev, &r) > 0) {
			sorted = 0;
			break;
		}
		rec_copy_buf(&r, &prev, &pline, &pdoc);
		have = 1;
		(*nrec)++;
	}
	khl_reader_free(rd);
	kh_buf_free(&pline);
	kh_buf_free(&pdoc);
	if (rc == -1)
		return read_error(m, err, name);
	return sorted;
}

int
kh_merge_add(kh_merge *m, FILE *fp, const char *name, kh_err *err)
{
	struct runspec *rs;
	struct stat st;
	uint64_t n;
	int origin, rc;

	kh_err_clear(err);
	m->names = kh_xreallocarray(m->names, m->ninput + 1,
	    sizeof(*m->names));
	m->names[m->ninput] = kh_xstrdup(name);
	origin = (int)m->ninput++;

	/*
	 * A regular file of some size is checked first: in canonical order,
	 * it is merged where it lies; otherwise it is read again into the
	 * sort buffer.
	 */
	if (strcmp(name, "-") != 0 && fstat(fileno(fp), &st) == 0 &&
	    S_ISREG(st.st_mode) && st.st_size >= (off_t)FILE_RUN_MIN) {
		if ((rc = check_sorted(m, fp, name, origin, &n, err)) == -1)
			return -1;
		if (rc == 1) {
			rs = add_run(m, RUN_FILE);
			rs->origin = origin;
			rs->st = st;
			m->stats.records += n;
			m->stats.file_runs++;
			return 0;
		}
		if (fseeko(fp, 0, SEEK_SET) == -1) {
			kh_err_set(err, "cannot read it again: %s",
			    strerror(errno));
			return read_error(m, err, name);
		}
	}
	return read_all(m, fp, name, origin, err);
}

/* Reading runs back. */

static int
run_changed(struct run *rn, const kh_merge *m, kh_err *err)
{
	kh_err_set(err, "changed while it was being merged");
	snprintf(err->part, sizeof(err->part), "%s",
	    m->names[rn->spec->origin]);
	err->line = rn->lineno;
	return -1;
}

/* The next line of a run: 1, 0 at its end, -1 on error. */
static int
run_line(struct run *rn, const char **s, size_t *n, kh_err *err)
{
	char *nl;
	size_t want;
	ssize_t got;

	for (;;) {
		nl = memchr(rn->buf + rn->off, '\n', rn->len - rn->off);
		if (nl != NULL) {
			*s = rn->buf + rn->off;
			*n = (size_t)(nl - *s);
			rn->off += *n + 1;
			return 1;
		}
		if (rn->eof)
			return rn->len > rn->off ? -1 : 0;
		memmove(rn->buf, rn->buf + rn->off, rn->len - rn->off);
		rn->len -= rn->off;
		rn->off = 0;
		if (rn->len == rn->cap) {
			rn->cap *= 2;
			rn->buf = kh_xrealloc(rn->buf, rn->cap);
		}
		want = rn->cap - rn->len;
		if (rn->spec->kind == RUN_TEMP &&
		    (off_t)want > rn->spec->end - rn->pos)
			want = (size_t)(rn->spec->end - rn->pos);
		if (want == 0) {
			rn->eof = 1;
			continue;
		}
		got = pread(rn->fd, rn->buf + rn->len, want, rn->pos);
		if (got == -1) {
			if (errno == EINTR)
				continue;
			kh_err_set(err, "read error: %s", strerror(errno));
			return -2;
		}
		if (got == 0)
			rn->eof = 1;
		rn->pos += got;
		rn->len += (size_t)got;
	}
}

static unsigned long
get_num(const char **s, const char *end)
{
	unsigned long v = 0;

	while (*s < end && **s >= '0' && **s <= '9')
		v = v * 10 + (unsigned long)(*(*s)++ - '0');
	if (*s < end && **s == '\t')
		(*s)++;
	return v;
}

/* Advance a run to its next record: 1, 0 at its end, -1 on error. */
static int
run_next(struct run *rn, const kh_merge *m, kh_err *err)
{
	const char *s, *end;
	size_t n, i;
	int rc;

	if (rn->spec->kind == RUN_MEM) {
		if (rn->next == rn->spec->nrec)
			return 0;
		rn->cur = rn->spec->recs[rn->next++];
		return 1;
	}
	for (;;) {
		if ((rc = run_line(rn, &s, &n, err)) == 0)
			return 0;
		if (rc == -2)
			goto fail;
		if (rc == -1)
			goto bad;
		if (rn->spec->kind == RUN_TEMP) {
			end = s + n;
			rn->cur.origin = (int)get_num(&s, end);
			rn->cur.lineno = (long)get_num(&s, end);
			n = (size_t)(end - s);
			break;
		}
		rn->lineno++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (n > 0 && s[0] == '#')
			continue;
		/* A raw carriage return is written escaped (khl_format). */
		if (memchr(s, '\r', n) != NULL) {
			kh_buf_reset(&rn->canon);
			for (i = 0; i < n; i++)
				if (s[i] == '\r')
					kh_buf_add(&rn->canon, "\\r", 2);
				else
					kh_buf_addc(&rn->canon, s[i]);
			s = rn->canon.s;
			n = rn->canon.len;
		}
		rn->cur.origin = rn->spec->origin;
		rn->cur.lineno = rn->lineno;
		break;
	}
	if (parse_line(s, n, &rn->cur, &rn->doc) == -1)
		goto bad;
	return 1;
bad:
	if (rn->spec->kind == RUN_FILE)
		return run_changed(rn, m, err);
	kh_err_set(err, "a temporary file is damaged");
	snprintf(err->part, sizeof(err->part), "%s", m->tmpdir);
	return -1;
fail:
	if (rn->spec->kind == RUN_FILE) {
		snprintf(err->part, sizeof(err->part), "%s",
		    m->names[rn->spec->origin]);
		err->line = rn->lineno;
	}
	return -1;
}

static int
run_open(struct run *rn, struct runspec *spec, const kh_merge *m,
    kh_err *err)
{
	struct stat st;

	memset(rn, 0, sizeof(*rn));
	rn->spec = spec;
	rn->fd = -1;
	if (spec->kind == RUN_MEM)
		return 0;
	rn->cap = RUN_BUF;
	rn->buf = kh_xmalloc(rn->cap);
	if (spec->kind == RUN_TEMP) {
		rn->fd = m->tmpfd;
		rn->pos = spec->start;
		return 0;
	}
	snprintf(err->part, sizeof(err->part), "%s", m->names[spec->origin]);
	if ((rn->fd = open(m->names[spec->origin], O_RDONLY)) == -1) {
		kh_err_set(err, "cannot open it again: %s", strerror(errno));
		return -1;
	}
	/* The file read now must be the one checked. */
	if (fstat(rn->fd, &st) == -1 || st.st_dev != spec->st.st_dev ||
	    st.st_ino != spec->st.st_ino || st.st_size != spec->st.st_size ||
	    st.st_mtim.tv_sec != spec->st.st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != spec->st.st_mtim.tv_nsec) {
		kh_err_set(err, "changed while it was being merged");
		return -1;
	}
	err->part[0] = '\0';
	return 0;
}

static void
run_close(struct run *rn)
{
	if (rn->spec != NULL && rn->spec->kind == RUN_FILE && rn->fd != -1)
		close(rn->fd);
	free(rn->buf);
	kh_buf_free(&rn->canon);
	kh_buf_free(&rn->doc);
	rn->fd = -1;
	rn->buf = NULL;
}

/* A binary heap of runs by their current record. */
struct heap {
	struct run	**r;
	size_t		  n;
};

static void
heap_down(struct heap *h, size_t i)
{
	struct run *t;
	size_t c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= h->n)
			return;
		if (c + 1 < h->n && rec_cmp(&h->r[c + 1]->cur, &h->r[c]->cur) < 0)
			c++;
		if (rec_cmp(&h->r[c]->cur, &h->r[i]->cur) >= 0)
			return;
		t = h->r[c];
		h->r[c] = h->r[i];
		h->r[i] = t;
		i = c;
	}
}

/*
 * What the last pass does with each record, in order: choose the version
 * of each document, drop duplicates, write.
 */
struct pend {
	kh_buf		 line;
	int		 origin;
	long		 lineno;
	size_t		 shaoff, shalen;
};

struct writer {
	kh_merge	*m;
	khl_out		*out;
	kh_buf		 obuf;
	kh_buf		 doc;		/* the current document */
	int		 indoc, skip, decided;
	struct pend	*pend;		/* its doc records */
	size_t		 npend, cappend;
	int		*first;		/* by origin: index in pend, or -1 */
	unsigned char	*state;		/* by origin: 0 no doc record, 1 keep, 2 drop */
	int		*touched;
	size_t		 ntouched;
	kh_buf		 last;		/* the last line written */
	int		 havelast;
};

enum { ST_NONE, ST_KEEP, ST_DROP };

static int
w_flush(struct writer *w, kh_err *err)
{
	if (khl_out_write(w->out, w->obuf.s, w->obuf.len, err) == -1)
		return -1;
	kh_buf_reset(&w->obuf);
	return 0;
}

static int
w_line(struct writer *w, const char *s, size_t n, kh_err *err)
{
	if (w->havelast && w->last.len == n && memcmp(w->last.s, s, n) == 0)
		return 0;
	kh_buf_reset(&w->last);
	kh_buf_add(&w->last, s, n);
	w->havelast = 1;
	kh_buf_add(&w->obuf, s, n);
	kh_buf_addc(&w->obuf, '\n');
	w->m->stats.written++;
	if (w->obuf.len >= OUT_BUF)
		return w_flush(w, err);
	return 0;
}

static int
missing(const char *path)
{
	struct stat st;

	return stat(path, &st) == -1 && (errno == ENOENT || errno == ENOTDIR);
}

/* Choose the version to keep once all doc records of a document are in. */
static int
w_decide(struct writer *w, kh_err *err)
{
	struct pend *win = NULL, *p;
	size_t i;
	int differ = 0;

	w->decided = 1;
	for (i = 0; i < w->npend; i++) {
		p = &w->pend[i];
		if (p->shalen != w->pend[0].shalen ||
		    memcmp(p->line.s + p->shaoff, w->pend[0].line.s +
		    w->pend[0].shaoff, p->shalen) != 0)
			differ = 1;
		if (win == NULL || (w->m->o.keep_first ?
		    p->origin < win->origin : p->origin > win->origin))
			win = p;
	}
	for (i = 0; i < w->npend; i++) {
		p = &w->pend[i];
		w->state[p->origin] = !differ || (p->shalen == win->shalen &&
		    memcmp(p->line.s + p->shaoff, win->line.s + win->shaoff,
		    p->shalen) == 0) ? ST_KEEP : ST_DROP;
	}
	for (i = 0; i < w->npend; i++) {
		p = &w->pend[i];
		if (w->state[p->origin] == ST_KEEP &&
		    w_line(w, p->line.s, p->line.len, err) == -1)
			return -1;
	}
	return 0;
}

static void
w_newdoc(struct writer *w, const struct rec *r)
{
	size_t i;

	for (i = 0; i < w->ntouched; i++) {
		w->first[w->touched[i]] = -1;
		w->state[w->touched[i]] = ST_NONE;
	}
	w->ntouched = 0;
	w->npend = 0;
	w->decided = 0;
	w->havelast = 0;
	kh_buf_reset(&w->doc);
	kh_buf_add(&w->doc, r->doc, r->doclen);
	w->indoc = 1;
	w->skip = w->m->o.drop_missing && missing(w->doc.s);
}

static int
w_record(struct writer *w, const struct rec *r, kh_err *err)
{
	struct pend *p;
	const char *sha;
	size_t shalen;
	int f;

	if (!w->indoc || w->doc.len != r->doclen ||
	    memcmp(w->doc.s, r->doc, r->doclen) != 0) {
		if (w->indoc && !w->skip && !w->decided &&
		    w_decide(w, err) == -1)
			return -1;
		w_newdoc(w, r);
	}
	if (w->skip)
		return 0;
	if (r->rank != RANK_DOC) {
		if (!w->decided && w_decide(w, err) == -1)
			return -1;
		if (w->state[r->origin] == ST_DROP)
			return 0;
		return w_line(w, r->line, r->len, err);
	}

	/* A doc record: held until the document's version is chosen. */
	if (line_field(r->line, r->len, 5, &sha, &shalen) == -1) {
		sha = "";
		shalen = 0;
	}
	if ((f = w->first[r->origin]) != -1) {
		p = &w->pend[f];
		if (p->shalen != shalen ||
		    memcmp(p->line.s + p->shaoff, sha, shalen) != 0) {
			kh_err_set(err, "a second doc record of '%.*s' with "
			    "another SHA256 (the first at line %ld); give "
			    "each version as its own input",
			    (int)(r->doclen > 200 ? 200 : r->doclen), r->doc,
			    r->lineno < p->lineno ? r->lineno : p->lineno);
			snprintf(err->part, sizeof(err->part), "%s",
			    w->m->names[r->origin]);
			err->line = r->lineno > p->lineno ? r->lineno :
			    p->lineno;
			return -1;
		}
		if (p->line.len == r->len &&
		    memcmp(p->line.s, r->line, r->len) == 0)
			return 0;
	}
	if (w->npend == w->cappend) {
		w->cappend = w->cappend ? 2 * w->cappend : 8;
		w->pend = kh_xreallocarray(w->pend, w->cappend,
		    sizeof(*w->pend));
		memset(w->pend + w->npend, 0,
		    (w->cappend - w->npend) * sizeof(*w->pend));
	}
	p = &w->pend[w->npend];
	kh_buf_reset(&p->line);
	kh_buf_add(&p->line, r->line, r->len);
	p->origin = r->origin;
	p->lineno = r->lineno;
	p->shaoff = (size_t)(sha - r->line);
	p->shalen = shalen;
	if (f == -1) {
		w->first[r->origin] = (int)w->npend;
		w->touched[w->ntouched++] = r->origin;
	}
	w->npend++;
	return 0;
}

/* Merge runs[from .. to) into sink: the writer, or a new temporary run. */
static int
merge_runs(kh_merge *m, size_t from, size_t to, struct writer *w,
    kh_err *err)
{
	struct run *rns;
	struct heap h;
	struct runspec *out = NULL;
	size_t i, k = to - from;
	int rc = 0;

	/* The run made is added first: adding moves the array. */
	if (w == NULL) {
		if (tmp_open(m, err) == -1)
			return -1;
		out = add_run(m, RUN_TEMP);
		out->start = out->end = m->tmpend;
	}
	rns = kh_xcalloc(k, sizeof(*rns));
	h.r = kh_xcalloc(k, sizeof(*h.r));
	h.n = 0;
	for (i = 0; i < k; i++) {
		if (run_open(&rns[i], &m->runs[from + i], m, err) == -1 ||
		    (rc = run_next(&rns[i], m, err)) == -1) {
			rc = -1;
			goto done;
		}
		if (rc == 1)
			h.r[h.n++] = &rns[i];
	}
	rc = 0;
	for (i = h.n; i-- > 0;)
		heap_down(&h, i);
	while (h.n > 0) {
		struct run *top = h.r[0];

		if (w != NULL)
			rc = w_record(w, &top->cur, err);
		else
			rc = tmp_put(m, &top->cur, err);
		if (rc == -1)
			goto done;
		if ((rc = run_next(top, m, err)) == -1)
			goto done;
		if (rc == 0)
			h.r[0] = h.r[--h.n];
		heap_down(&h, 0);
		rc = 0;
	}
	if (out != NULL) {
		if ((rc = tmp_flush(m, err)) == -1)
			goto done;
		out->end = m->tmpend;
	}
done:
	for (i = 0; i < k; i++)
		run_close(&rns[i]);
	free(rns);
	free(h.r);
	return rc;
}

/* How many runs one pass merges: open files and read buffers are bounded. */
static size_t
fanin(const kh_merge *m)
{
	struct rlimit rl;
	uint64_t byfd = MAX_FANIN, bymem;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		byfd = rl.rlim_cur > 32 ? rl.rlim_cur - 16 : 2;
	bymem = m->o.mem / RUN_BUF;
	if (bymem < byfd)
		byfd = bymem;
	if (byfd > MAX_FANIN)
		byfd = MAX_FANIN;
	return byfd < 2 ? 2 : (size_t)byfd;
}

int
kh_merge_write(kh_merge *m, khl_out *out, kh_err *err)
{
	struct writer w;
	struct runspec *rs;
	size_t k, i, first;
	int rc;

	kh_err_clear(err);
	/* What is left in the sort buffer is a run in memory. */
	if (m->nrec > 0) {
		if (!m->sorted)
			qsort(m->recs, m->nrec, sizeof(*m->recs), rec_qcmp);
		rs = add_run(m, RUN_MEM);
		rs->recs = m->recs;
		rs->nrec = m->nrec;
		m->recs = NULL;
		m->nrec = m->caprec = 0;
	}
	/* Merge the oldest runs into new ones until one pass can take all. */
	k = fanin(m);
	first = 0;
	while (m->nrun - first > k) {
		if (merge_runs(m, first, first + k, NULL, err) == -1)
			return -1;
		for (i = first; i < first + k; i++)
			if (m->runs[i].kind == RUN_MEM) {
				free(m->runs[i].recs);
				m->runs[i].recs = NULL;
			}
		first += k;
		m->stats.passes++;
	}

	memset(&w, 0, sizeof(w));
	w.m = m;
	w.out = out;
	w.first = kh_xmalloc((m->ninput + 1) * sizeof(*w.first));
	for (i = 0; i <= m->ninput; i++)
		w.first[i] = -1;
	w.state = kh_xcalloc(m->ninput + 1, 1);
	w.touched = kh_xcalloc(m->ninput + 1, sizeof(*w.touched));
	kh_buf_adds(&w.obuf, KHL_HEADER);
	rc = merge_runs(m, first, m->nrun, &w, err);
	if (rc == 0 && w.indoc && !w.skip && !w.decided)
		rc = w_decide(&w, err);
	if (rc == 0)
		rc = w_flush(&w, err);
	for (i = 0; i < w.cappend; i++)
		kh_buf_free(&w.pend[i].line);
	free(w.pend);
	free(w.first);
	free(w.state);
	free(w.touched);
	kh_buf_free(&w.obuf);
	kh_buf_free(&w.doc);
	kh_buf_free(&w.last);
	arena_free(&m->arena);
	return rc;
}
