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
#include <stdint.h>
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

	/* Most types differ in their first letter; the lookup is per line. */
	for (i = 0; i < sizeof(type_mins) / sizeof(type_mins[0]); i++)
		if (type[0] == type_mins[i].type[0] &&
		    strcmp(type, type_mins[i].type) == 0)
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

/*
 * UTF-8 (RFC 3629, no NUL) checked by a shift-based automaton: each byte's
 * row packs the next state for every state, 6 bits apiece, so a byte costs
 * one load and one shift, with no branch for mixed text such as Vietnamese
 * where branches mispredict.  Reading spends most of its time here.  Only
 * a bad line goes on to kh_utf8_check, to learn where the fault is.
 */
enum { U_OK, U_1, U_2, U_3, U_E0, U_ED, U_F0, U_F4, U_BAD };

static uint64_t utf8_row[256];

static void
utf8_rows(void)
{
	int b, st, next;

	for (b = 0; b < 256; b++) {
		utf8_row[b] = 0;
		for (st = U_OK; st <= U_BAD; st++) {
			next = U_BAD;
			switch (st) {
			case U_OK:
				if (b >= 0x01 && b <= 0x7f)
					next = U_OK;
				else if (b >= 0xc2 && b <= 0xdf)
					next = U_1;
				else if (b == 0xe0)
					next = U_E0;
				else if (b == 0xed)
					next = U_ED;
				else if (b >= 0xe1 && b <= 0xef)
					next = U_2;
				else if (b == 0xf0)
					next = U_F0;
				else if (b >= 0xf1 && b <= 0xf3)
					next = U_3;
				else if (b == 0xf4)
					next = U_F4;
				break;
			case U_1:
			case U_2:
			case U_3:
				if (b >= 0x80 && b <= 0xbf)
					next = st - 1;
				break;
			case U_E0:
				if (b >= 0xa0 && b <= 0xbf)
					next = U_1;
				break;
			case U_ED:
				if (b >= 0x80 && b <= 0x9f)
					next = U_1;
				break;
			case U_F0:
				if (b >= 0x90 && b <= 0xbf)
					next = U_2;
				break;
			case U_F4:
				if (b >= 0x80 && b <= 0x8f)
					next = U_2;
				break;
			}
			utf8_row[b] |= (uint64_t)(next * 6) << (st * 6);
		}
	}
}

static size_t
utf8_check(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;
	uint64_t st = 0;

	if (utf8_row[0] == 0)
		utf8_rows();
	while (s < end)
		st = (utf8_row[*s++] >> st) & 63;
	if (st == U_OK * 6)
		return len;
	/* The two agree; were they not, the line would still be refused. */
	st = kh_utf8_check(str, len);
	return st < len ? st : 0;
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

/*
 * Name the escape that khl_unescape refused in the field at f (as read):
 * the backslash and the whole character after it.
 */
static int
bad_escape(khl_reader *r, const char *f, size_t len, size_t fieldno,
    kh_err *err)
{
	const char *end = f + len;
	size_t n;

	for (; f < end; f++) {
		if (*f != '\\')
			continue;
		if (f + 1 == end)
			break;
		f++;
		if (strchr("\\tnr", *f) != NULL)
			continue;
		/* The line is valid UTF-8, so the character is whole. */
		n = 1;
		while (f + n < end && ((unsigned char)f[n] & 0xc0) == 0x80)
			n++;
		return fail(r, err, "unknown escape \\%.*s in field %zu",
		    (int)n, f, fieldno);
	}
	return fail(r, err, "lone backslash at the end of field %zu",
	    fieldno);
}

int
khl_read(khl_reader *r, khl_record **rec, kh_err *err)
{
	const char *s = NULL;
	size_t len = 0, nf, i, bad;
	int escapes;
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
		if ((bad = utf8_check(s, len)) != len) {
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

	/*
	 * Cut a copy of the line into fields, unescaping each in place (when
	 * the line has a backslash at all: most have none).
	 */
	kh_buf_reset(&r->copy);
	kh_buf_add(&r->copy, s, len);
	p = r->copy.s;
	end = p + len;
	escapes = memchr(s, '\\', len) != NULL;
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
		if (!escapes)
			n = tab - p;
		else if ((n = khl_unescape(p, (size_t)(tab - p))) < 0)
			return bad_escape(r, s + (p - r->copy.s),
			    (size_t)(tab - p), nf + 1, err);
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

/* The bytes a field cannot hold raw, and the letter that escapes each. */
static const char esc_letter[256] = {
	['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r'
};

void
khl_escape(kh_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + n, *run = p;
	char esc[2] = { '\\', 0 };

	kh_buf_grow(b, n);
	for (; p < end; p++) {
		if (esc_letter[*p] == 0)
			continue;
		kh_buf_add(b, run, (size_t)(p - run));
		esc[1] = esc_letter[*p];
		kh_buf_add(b, esc, 2);
		run = p + 1;
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

/*
 * The temporary files of the outputs open now, so that a signal handler
 * can remove them (khl_out_abandon).
 */
static char *volatile live_tmp[16];

static void
live_set(const char *old, char *tmp)
{
	size_t i;

	for (i = 0; i < sizeof(live_tmp) / sizeof(live_tmp[0]); i++)
		if (live_tmp[i] == old) {
			live_tmp[i] = tmp;
			return;
		}
}

void
khl_out_abandon(void)
{
	size_t i;

	for (i = 0; i < sizeof(live_tmp) / sizeof(live_tmp[0]); i++)
		if (live_tmp[i] != NULL)
			unlink(live_tmp[i]);
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
	struct stat st;
	char *real = NULL;
	mode_t mode;
	int fd;

	o = kh_xcalloc(1, sizeof(*o));
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/*
		 * A device or a pipe (/dev/stdout, /dev/full, a fifo) cannot
		 * be replaced by a rename: write to it as it is.
		 */
		if ((o->fp = fopen(path, "w")) == NULL) {
			kh_err_set(err, "%s", strerror(errno));
			free(o);
			return NULL;
		}
		return o;
	}
	/* Through a symbolic link, replace the file it names, not the link. */
	if ((real = realpath(path, NULL)) != NULL)
		path = real;
	/* Beside the target, so the rename stays on one file system. */
	if ((slash = strrchr(path, '/')) != NULL)
		kh_buf_add(&tmp, path, (size_t)(slash - path + 1));
	kh_buf_printf(&tmp, ".%s.XXXXXX", slash != NULL ? slash + 1 : path);
	if ((fd = mkstemp(tmp.s)) == -1) {
		kh_err_set(err, "cannot create a temporary file beside it: %s",
		    strerror(errno));
		goto fail;
	}
	/* The mode a new file would get, or the one of the file replaced. */
	if (real != NULL)
		mode = st.st_mode & 07777;
	else {
		mode = umask(0);
		umask(mode);
		mode = 0666 & ~mode;
	}
	(void)fchmod(fd, mode);
	if ((o->fp = fdopen(fd, "w")) == NULL) {
		kh_err_set(err, "%s", strerror(errno));
		close(fd);
		unlink(tmp.s);
		goto fail;
	}
	o->path = kh_xstrdup(path);
	o->tmp = tmp.s;
	live_set(NULL, o->tmp);
	free(real);
	return o;
fail:
	kh_buf_free(&tmp);
	free(real);
	free(o);
	return NULL;
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

	errno = 0;
	if (fflush(o->fp) != 0 || ferror(o->fp)) {
		kh_err_set(err, "%s", strerror(errno ? errno : EIO));
		rc = -1;
	}
	/*
	 * The data reach the disk before the rename makes them the file, so a
	 * crash leaves the old file or the new one, never a torn one.
	 */
	if (rc == 0 && o->tmp != NULL && ok && !o->failed &&
	    fsync(fileno(o->fp)) == -1) {
		kh_err_set(err, "%s", strerror(errno));
		rc = -1;
	}
	if (fclose(o->fp) != 0 && rc == 0) {
		kh_err_set(err, "%s", strerror(errno));
		rc = -1;
	}
	if (o->tmp != NULL) {
		if (rc == 0 && ok && !o->failed &&
		    rename(o->tmp, o->path) == -1) {
			kh_err_set(err, "cannot rename the temporary file: %s",
			    strerror(errno));
			rc = -1;
		}
		if (rc == -1 || !ok || o->failed)
			unlink(o->tmp);
		live_set(o->tmp, NULL);
	}
	free(o->path);
	free(o->tmp);
	free(o);
	return rc;
}
