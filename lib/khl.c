/*
 * khl.c: reading and writing KHL 1 (khl(5)).
 *
 * The reader keeps its own input buffer and finds line ends with memchr,
 * so a line longer than the limit is refused after reading at most the
 * limit, not the whole line; fields are cut and unescaped in one reused
 * copy of the line, so reading allocates nothing per line once warm.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kh.h"
#include "khl.h"
#include "text.h"

#define INBUF	(256u << 10)

struct khl_reader {
	FILE		*fp;
	char		*name;
	size_t		 max_line;
	char		*in;		/* input buffer */
	size_t		 inlen, inpos;
	int		 eof;
	int		 spent;		/* an error was returned */
	kh_buf		 line;		/* a line that crossed the input buffer */
	kh_buf		 copy;		/* the line cut into fields */
	char		**field;
	size_t		*flen;
	size_t		 fcap;
	long		 lineno;
	khl_record	 rec;
};

struct type_min {
	const char	*type;
	size_t		 min;
};

/* Fields each known record kind needs, TYPE DOC LOC included (khl(5)). */
static const struct type_min type_mins[] = {
	{ "citedby", 5 },
	{ "diag", 6 },
	{ "doc", 6 },
	{ "fmt", 4 },
	{ "link", 7 },
	{ "meta", 5 },
	{ "para", 7 },
	{ "ref", 8 },
	{ "sec", 6 },
};

size_t
khl_min_fields(const char *type)
{
	size_t i;

	for (i = 0; i < sizeof(type_mins) / sizeof(type_mins[0]); i++)
		if (strcmp(type, type_mins[i].type) == 0)
			return type_mins[i].min;
	return 3;
}

khl_reader *
khl_reader_new(FILE *fp, const char *name, size_t max_line)
{
	khl_reader *r;
	kh_limits l;

	r = kh_xcalloc(1, sizeof(*r));
	r->fp = fp;
	r->name = kh_xstrdup(name);
	if (max_line == 0) {
		kh_limits_default(&l);
		max_line = l.line_bytes;
	}
	r->max_line = max_line;
	r->in = kh_xmalloc(INBUF);
	return r;
}

const char *
khl_reader_name(const khl_reader *r)
{
	return r->name;
}

void
khl_reader_free(khl_reader *r)
{
	if (r == NULL)
		return;
	free(r->name);
	free(r->in);
	kh_buf_free(&r->line);
	kh_buf_free(&r->copy);
	free(r->field);
	free(r->flen);
	free(r);
}

static int
fail(khl_reader *r, kh_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(khl_reader *r, kh_err *err, const char *fmt, ...)
{
	va_list ap;

	kh_err_clear(err);
	va_start(ap, fmt);
	kh_err_vset(err, fmt, ap);
	va_end(ap);
	if (err != NULL) {
		snprintf(err->part, sizeof(err->part), "%s", r->name);
		err->line = r->lineno;
	}
	r->spent = 1;
	return -1;
}

/*
 * The next line, without its newline, into *s and *len: 1, 0 at the end,
 * -1 on error.
 */
static int
next_line(khl_reader *r, const char **s, size_t *len, kh_err *err)
{
	char *nl;
	size_t avail, n;

	kh_buf_reset(&r->line);
	for (;;) {
		avail = r->inlen - r->inpos;
		nl = avail > 0 ? memchr(r->in + r->inpos, '\n', avail) : NULL;
		if (nl != NULL) {
			n = (size_t)(nl - (r->in + r->inpos));
			r->lineno++;
			if (r->line.len + n > r->max_line)
				return fail(r, err, "line longer than %zu bytes "
				    "(--max-line)", r->max_line);
			if (r->line.len == 0) {
				/* The common case: the line is whole in the buffer. */
				*s = r->in + r->inpos;
				*len = n;
			} else {
				kh_buf_add(&r->line, r->in + r->inpos, n);
				*s = r->line.s;
				*len = r->line.len;
			}
			r->inpos += n + 1;
			return 1;
		}
		if (r->line.len + avail > r->max_line) {
			r->lineno++;
			return fail(r, err, "line longer than %zu bytes "
			    "(--max-line)", r->max_line);
		}
		kh_buf_add(&r->line, r->in + r->inpos, avail);
		r->inpos = r->inlen = 0;
		if (r->eof)
			break;
		n = fread(r->in, 1, INBUF, r->fp);
		if (n == 0) {
			if (ferror(r->fp))
				return fail(r, err, "read error: %s",
				    strerror(errno));
			r->eof = 1;
		}
		r->inlen = n;
	}
	if (r->line.len > 0) {
		r->lineno++;
		return fail(r, err, "last line has no newline (truncated "
		    "input?)");
	}
	return 0;
}

/* Whether s is a lower-case word: [a-z][a-z0-9-]*. */
static int
is_type(const char *s)
{
	if (*s < 'a' || *s > 'z')
		return 0;
	for (s++; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return 0;
	return 1;
}

long
khl_unescape(char *s, size_t len)
{
	char *o, *end = s + len, *bs;

	if ((bs = memchr(s, '\\', len)) == NULL)
		return (long)len;
	o = bs;
	for (s = bs; s < end; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		if (++s == end)
			return -1;
		switch (*s) {
		case '\\':
			*o++ = '\\';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		default:
			return -1;
		}
	}
	*o = '\0';
	return (long)(o - (end - len));
}

/* A "#khl N" line: refuse a major version this reader does not know. */
static int
check_header(khl_reader *r, const char *s, size_t len, kh_err *err)
{
	long major = 0;
	size_t i = 5;

	if (len < 5 || memcmp(s, "#khl ", 5) != 0)
		return 0;
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		if (major < 100000)
			major = major * 10 + (s[i] - '0');
		i++;
	}
	if (i == 5)
		return 0;
	if (major > KHL_MAJOR)
		return fail(r, err, "unsupported KHL version %ld (this reader "
		    "knows %d)", major, KHL_MAJOR);
	return 0;
}

int
khl_read(khl_reader *r, khl_record **rec, kh_err *err)
{
	const char *s = NULL;
	size_t len = 0, nf, i, bad;
	char *p, *tab, *end;
	long n;
	int rc;

	if (r->spent)
		return fail(r, err, "read after an error");
	for (;;) {
		if ((rc = next_line(r, &s, &len, err)) <= 0)
			return rc;
		if (len > 0 && s[len - 1] == '\r')
			len--;
		if ((bad = kh_utf8_check(s, len)) != len) {
			if (s[bad] == '\0')
				return fail(r, err, "NUL byte at byte %zu",
				    bad + 1);
			return fail(r, err, "invalid UTF-8 at byte %zu",
			    bad + 1);
		}
		if (len > 0 && s[0] == '#') {
			if (check_header(r, s, len, err) == -1)
				return -1;
			continue;
		}
		break;
	}

	/* Cut a copy of the line into fields, unescaping each in place. */
	kh_buf_reset(&r->copy);
	kh_buf_add(&r->copy, s, len);
	p = r->copy.s;
	end = p + len;
	for (nf = 0;; nf++) {
		if (nf == r->fcap) {
			r->fcap = r->fcap ? r->fcap * 2 : 16;
			r->field = kh_xreallocarray(r->field, r->fcap,
			    sizeof(*r->field));
			r->flen = kh_xreallocarray(r->flen, r->fcap,
			    sizeof(*r->flen));
		}
		tab = memchr(p, '\t', (size_t)(end - p));
		if (tab == NULL)
			tab = end;
		*tab = '\0';
		if ((n = khl_unescape(p, (size_t)(tab - p))) < 0)
			return fail(r, err, "unknown escape in field %zu",
			    nf + 1);
		r->field[nf] = p;
		r->flen[nf] = (size_t)n;
		if (tab == end) {
			nf++;
			break;
		}
		p = tab + 1;
	}
	if (nf < 3)
		return fail(r, err, "record has %zu field%s, needs at least 3 "
		    "(TYPE DOC LOC)", nf, nf == 1 ? "" : "s");
	if (!is_type(r->field[0]))
		return fail(r, err, "bad record type '%.40s'", r->field[0]);
	if ((i = khl_min_fields(r->field[0])) > nf)
		return fail(r, err, "%s record has %zu fields, needs %zu",
		    r->field[0], nf, i);
	if (r->field[1][0] == '\0')
		return fail(r, err, "empty document key");
	if (kh_loc_parse(r->field[2], &r->rec.loc) == -1)
		return fail(r, err, "bad location '%.40s'", r->field[2]);
	r->rec.raw = s;
	r->rec.rawlen = len;
	r->rec.nfields = nf;
	r->rec.field = r->field;
	r->rec.flen = r->flen;
	r->rec.lineno = r->lineno;
	*rec = &r->rec;
	return 1;
}

void
khl_escape(kh_buf *b, const char *s, size_t n)
{
	const char *end = s + n, *run = s;

	kh_buf_grow(b, n);
	for (; s < end; s++) {
		const char *esc;

		switch (*s) {
		case '\\':
			esc = "\\\\";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		default:
			continue;
		}
		kh_buf_add(b, run, (size_t)(s - run));
		kh_buf_add(b, esc, 2);
		run = s + 1;
	}
	kh_buf_add(b, run, (size_t)(end - run));
}

void
khl_begin(kh_buf *b, const char *type, const char *doc, const kh_loc *loc)
{
	char l[KH_LOC_MAX];

	kh_buf_adds(b, type);
	kh_buf_addc(b, '\t');
	khl_escape(b, doc, strlen(doc));
	kh_buf_addc(b, '\t');
	kh_loc_format(loc, l);
	kh_buf_adds(b, l);
}

void
khl_field(kh_buf *b, const char *s)
{
	khl_fieldn(b, s, strlen(s));
}

void
khl_fieldn(kh_buf *b, const char *s, size_t n)
{
	kh_buf_addc(b, '\t');
	khl_escape(b, s, n);
}

void
khl_end(kh_buf *b)
{
	kh_buf_addc(b, '\n');
}

void
khl_format(kh_buf *b, const khl_record *r)
{
	size_t i;

	for (i = 0; i < r->nfields; i++) {
		if (i > 0)
			kh_buf_addc(b, '\t');
		khl_escape(b, r->field[i], r->flen[i]);
	}
	kh_buf_addc(b, '\n');
}

struct khl_out {
	FILE	*fp;
	char	*path;		/* the file to replace; NULL for stdout */
	char	*tmp;		/* the temporary file beside it */
	int	 failed;
};

khl_out *
khl_out_stdout(void)
{
	khl_out *o;

	o = kh_xcalloc(1, sizeof(*o));
	o->fp = stdout;
	return o;
}

khl_out *
khl_out_open(const char *path, kh_err *err)
{
	khl_out *o;
	const char *slash;
	kh_buf tmp = KH_BUF_INIT;
	mode_t mask;
	int fd;

	/* Beside the target, so the rename stays on one file system. */
	if ((slash = strrchr(path, '/')) != NULL)
		kh_buf_add(&tmp, path, (size_t)(slash - path + 1));
	kh_buf_printf(&tmp, ".%s.XXXXXX", slash != NULL ? slash + 1 : path);
	if ((fd = mkstemp(tmp.s)) == -1) {
		kh_err_set(err, "cannot create a temporary file beside it: %s",
		    strerror(errno));
		kh_buf_free(&tmp);
		return NULL;
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	o = kh_xcalloc(1, sizeof(*o));
	if ((o->fp = fdopen(fd, "w")) == NULL) {
		kh_err_set(err, "%s", strerror(errno));
		close(fd);
		unlink(tmp.s);
		kh_buf_free(&tmp);
		free(o);
		return NULL;
	}
	o->path = kh_xstrdup(path);
	o->tmp = tmp.s;
	return o;
}

FILE *
khl_out_fp(khl_out *o)
{
	return o->fp;
}

int
khl_out_write(khl_out *o, const void *p, size_t n, kh_err *err)
{
	if (n > 0 && fwrite(p, 1, n, o->fp) != n) {
		o->failed = 1;
		kh_err_set(err, "%s", strerror(errno));
		return -1;
	}
	return 0;
}

int
khl_out_close(khl_out *o, int ok, kh_err *err)
{
	int rc = 0;

	if (fflush(o->fp) != 0 || ferror(o->fp)) {
		kh_err_set(err, "%s", strerror(errno ? errno : EIO));
		rc = -1;
	}
	if (fclose(o->fp) != 0 && rc == 0) {
		kh_err_set(err, "%s", strerror(errno));
		rc = -1;
	}
	if (o->tmp != NULL) {
		if (rc == 0 && ok && !o->failed) {
			if (rename(o->tmp, o->path) == -1) {
				kh_err_set(err, "cannot rename the temporary "
				    "file: %s", strerror(errno));
				rc = -1;
			}
		}
		if (rc == -1 || !ok || o->failed)
			unlink(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	free(o);
	return rc;
}
