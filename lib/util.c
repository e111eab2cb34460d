/*
 * util.c: errors, memory, buffers, limits, locations, the data folder.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kh.h"

#ifndef KH_DATADIR
#define KH_DATADIR "/usr/local/share/khtools"
#endif

static const char *progname = "kh";

void
kh_setprogname(const char *argv0)
{
	const char *p;

	if (argv0 == NULL)
		return;
	p = strrchr(argv0, '/');
	progname = p != NULL ? p + 1 : argv0;
}

const char *
kh_progname(void)
{
	return progname;
}

static void
nomem(void)
{
	/* Nothing can be promised once memory is gone; say so and stop. */
	fprintf(stderr, "%s: out of memory\n", progname);
	exit(KH_EXIT_TROUBLE);
}

void *
kh_xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		nomem();
	return p;
}

void *
kh_xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		nomem();
	return p;
}

void *
kh_xrealloc(void *old, size_t n)
{
	void *p;

	if ((p = realloc(old, n == 0 ? 1 : n)) == NULL)
		nomem();
	return p;
}

void *
kh_xreallocarray(void *old, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		nomem();
	return kh_xrealloc(old, n * size);
}

char *
kh_xstrdup(const char *s)
{
	return kh_xstrndup(s, strlen(s));
}

char *
kh_xstrndup(const char *s, size_t n)
{
	char *p;

	p = kh_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
kh_err_clear(kh_err *e)
{
	if (e == NULL)
		return;
	e->msg[0] = '\0';
	e->part[0] = '\0';
	e->line = e->col = 0;
}

void
kh_err_vset(kh_err *e, const char *fmt, va_list ap)
{
	if (e == NULL)
		return;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

void
kh_err_set(kh_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kh_err_vset(e, fmt, ap);
	va_end(ap);
}

void
kh_err_format(const kh_err *e, char *buf, size_t size)
{
	kh_buf b = KH_BUF_INIT;

	if (e->part[0] != '\0') {
		kh_buf_adds(&b, e->part);
		if (e->line > 0) {
			kh_buf_printf(&b, ":%ld", e->line);
			if (e->col > 0)
				kh_buf_printf(&b, ":%ld", e->col);
		}
		kh_buf_adds(&b, ": ");
	} else if (e->line > 0) {
		kh_buf_printf(&b, "%ld", e->line);
		if (e->col > 0)
			kh_buf_printf(&b, ":%ld", e->col);
		kh_buf_adds(&b, ": ");
	}
	kh_buf_adds(&b, e->msg);
	snprintf(buf, size, "%s", b.s);
	kh_buf_free(&b);
}

void
kh_buf_grow(kh_buf *b, size_t more)
{
	size_t need;

	if (more > SIZE_MAX - b->len - 1)
		nomem();
	need = b->len + more + 1;
	if (need <= b->cap)
		return;
	/* Doubling keeps appends amortized linear. */
	if (b->cap > SIZE_MAX / 2)
		b->cap = need;
	else
		b->cap = b->cap * 2 > need ? b->cap * 2 : need;
	if (b->cap < 64)
		b->cap = 64;
	b->s = kh_xrealloc(b->s, b->cap);
	b->s[b->len] = '\0';
}

void
kh_buf_add(kh_buf *b, const void *p, size_t n)
{
	kh_buf_grow(b, n);
	if (n > 0)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
kh_buf_adds(kh_buf *b, const char *s)
{
	kh_buf_add(b, s, strlen(s));
}

void
kh_buf_addc(kh_buf *b, int c)
{
	kh_buf_grow(b, 1);
	b->s[b->len++] = (char)c;
	b->s[b->len] = '\0';
}

void
kh_buf_printf(kh_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	kh_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
kh_buf_reset(kh_buf *b)
{
	b->len = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
}

void
kh_buf_free(kh_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void
kh_limits_default(kh_limits *l)
{
	l->part_bytes = 512ULL << 20;
	l->total_bytes = 1ULL << 30;
	l->entries = 10000;
	l->ratio = 100;
	l->stdin_bytes = 256ULL << 20;
	l->xml_depth = 256;
	l->para_bytes = 1ULL << 20;
	l->line_bytes = 8ULL << 20;
}

int
kh_parse_size(const char *s, uint64_t *out, kh_err *err)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (*s < '0' || *s > '9') {
		kh_err_set(err, "%s: not a size", s);
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE) {
		kh_err_set(err, "%s: too large", s);
		return -1;
	}
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		end++;
		break;
	case 'm': case 'M':
		shift = 20;
		end++;
		break;
	case 'g': case 'G':
		shift = 30;
		end++;
		break;
	default:
		kh_err_set(err, "%s: not a size (use a number with K, M or G)", s);
		return -1;
	}
	if (*end != '\0') {
		kh_err_set(err, "%s: not a size (use a number with K, M or G)", s);
		return -1;
	}
	if (shift > 0 && v > (UINT64_MAX >> shift)) {
		kh_err_set(err, "%s: too large", s);
		return -1;
	}
	*out = (uint64_t)v << shift;
	return 0;
}

static int
parse_long(const char **pp, long *out)
{
	const char *p = *pp;
	long v = 0;

	if (*p < '1' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		if (v > (LONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	*pp = p;
	*out = v;
	return 0;
}

int
kh_loc_parse(const char *s, kh_loc *loc)
{
	loc->para = loc->col = loc->end = 0;
	if (s[0] == '-' && s[1] == '\0')
		return 0;
	if (parse_long(&s, &loc->para) == -1)
		return -1;
	if (*s == '\0')
		return 0;
	if (*s++ != ':' || parse_long(&s, &loc->col) == -1)
		return -1;
	if (*s == '\0')
		return 0;
	if (*s++ != '-' || parse_long(&s, &loc->end) == -1)
		return -1;
	return *s == '\0' && loc->end > loc->col ? 0 : -1;
}

void
kh_loc_format(const kh_loc *loc, char *buf)
{
	if (loc == NULL || loc->para <= 0)
		snprintf(buf, KH_LOC_MAX, "-");
	else if (loc->col <= 0)
		snprintf(buf, KH_LOC_MAX, "%ld", loc->para);
	else if (loc->end <= 0)
		snprintf(buf, KH_LOC_MAX, "%ld:%ld", loc->para, loc->col);
	else
		snprintf(buf, KH_LOC_MAX, "%ld:%ld-%ld", loc->para, loc->col,
		    loc->end);
}

static int
cmp_long(long a, long b)
{
	return a < b ? -1 : a > b;
}

int
kh_loc_cmp(const kh_loc *a, const kh_loc *b)
{
	int c;

	if ((c = cmp_long(a->para, b->para)) != 0)
		return c;
	if ((c = cmp_long(a->col, b->col)) != 0)
		return c;
	return cmp_long(a->end, b->end);
}

static int
isdir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *
kh_datadir(void)
{
	static char dir[PATH_MAX + 64];
	static int done;
	char exe[PATH_MAX], try[PATH_MAX + 64];
	const char *env;
	ssize_t n;
	char *slash;

	if (done)
		return dir;
	done = 1;
	if ((env = getenv("KH_DATADIR")) != NULL && *env != '\0') {
		snprintf(dir, sizeof(dir), "%s", env);
		return dir;
	}
	/* Relative to the program, so an installed tree can be moved whole. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(try, sizeof(try), "%s/../share/khtools", exe);
			if (isdir(try)) {
				snprintf(dir, sizeof(dir), "%s", try);
				return dir;
			}
			snprintf(try, sizeof(try), "%s/../data", exe);
			if (isdir(try)) {
				snprintf(dir, sizeof(dir), "%s", try);
				return dir;
			}
		}
	}
	snprintf(dir, sizeof(dir), "%s", KH_DATADIR);
	return dir;
}
