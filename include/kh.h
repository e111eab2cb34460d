/*
 * kh.h: what every part of khtools shares: exit statuses, error reports,
 * memory helpers, growable buffers, limits and record locations.
 *
 * Ownership: functions named kh_x* never return NULL; they print
 * "PROG: out of memory" and exit with KH_EXIT_TROUBLE, so callers do not
 * test for it.  Everything else in lib/ reports bad input through a kh_err
 * and never prints or exits.
 */
#ifndef KH_H
#define KH_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KH_VERSION "0.1.0"

/* Exit statuses of every tool, as grep and diff use them. */
enum kh_exit {
	KH_EXIT_OK = 0,		/* all well */
	KH_EXIT_FOUND = 1,	/* the tool found what it looks for */
	KH_EXIT_TROUBLE = 2	/* usage, unreadable input, malformed KHL, failed write */
};

/*
 * An error found in an input.  The message is lower-case with no trailing
 * period; part, line and col say where, when known (empty or 0 otherwise).
 */
typedef struct kh_err {
	char	msg[512];
	char	part[256];	/* package part, such as "word/document.xml" */
	long	line;		/* line in that part or stream, 1-based */
	long	col;
} kh_err;

void	kh_err_clear(kh_err *);
void	kh_err_set(kh_err *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	kh_err_vset(kh_err *, const char *, va_list);
/* "part:line:col: msg" with the parts that are known, into buf. */
void	kh_err_format(const kh_err *, char *, size_t);

void	*kh_xmalloc(size_t);
void	*kh_xcalloc(size_t, size_t);
void	*kh_xrealloc(void *, size_t);
void	*kh_xreallocarray(void *, size_t, size_t);
char	*kh_xstrdup(const char *);
char	*kh_xstrndup(const char *, size_t);

/* A growable byte string, always NUL-terminated when s is not NULL. */
typedef struct kh_buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
} kh_buf;

#define KH_BUF_INIT { NULL, 0, 0 }

void	kh_buf_grow(kh_buf *, size_t);
void	kh_buf_add(kh_buf *, const void *, size_t);
void	kh_buf_adds(kh_buf *, const char *);
void	kh_buf_addc(kh_buf *, int);
void	kh_buf_printf(kh_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	kh_buf_reset(kh_buf *);
void	kh_buf_free(kh_buf *);

/*
 * Limits that protect the tools from hostile input.  Each has a default
 * (kh_limits_default) and a command-line flag; a hit is an error naming the
 * limit, never a truncated result.
 */
typedef struct kh_limits {
	uint64_t part_bytes;	/* inflated bytes of one package part */
	uint64_t total_bytes;	/* inflated bytes of all parts read from one archive */
	uint64_t entries;	/* entries in one archive */
	uint64_t ratio;		/* largest inflated:compressed ratio of a part past its first 100 KiB */
	uint64_t stdin_bytes;	/* an archive read from standard input */
	uint64_t xml_depth;	/* element nesting */
	uint64_t para_bytes;	/* text of one paragraph, in bytes */
	uint64_t line_bytes;	/* one KHL line */
} kh_limits;

void	kh_limits_default(kh_limits *);
/*
 * Parse a size such as "64M", "2G", "100000" into *out.  Returns 0, or -1
 * with a message in err.
 */
int	kh_parse_size(const char *, uint64_t *, kh_err *);

/*
 * A record location: LOC "-" is para 0; "P" has col 0; "P:C" has end 0.
 * Columns count Unicode code points of the paragraph's TEXT field, from 1,
 * end exclusive.
 */
typedef struct kh_loc {
	long	para;
	long	col;
	long	end;
} kh_loc;

/* Returns 0, or -1 when s is not a LOC. */
int	kh_loc_parse(const char *, kh_loc *);
/* Writes the LOC form of loc into buf (at least KH_LOC_MAX bytes). */
#define KH_LOC_MAX 64
void	kh_loc_format(const kh_loc *, char *);
int	kh_loc_cmp(const kh_loc *, const kh_loc *);

/*
 * Where recognizers put the records they make, so they need not know the
 * document key or the output stream.  fields are the ones after TYPE DOC
 * LOC, unescaped.
 */
typedef struct kh_sink {
	void	(*emit)(void *, const char *, const kh_loc *, size_t,
		    const char *const *);
	void	*ud;
} kh_sink;

#define KH_EMIT(sink, type, loc, ...) do {				\
	const char *kh_f_[] = { __VA_ARGS__ };				\
	(sink)->emit((sink)->ud, (type), (loc),				\
	    sizeof(kh_f_) / sizeof(kh_f_[0]), kh_f_);			\
} while (0)

/*
 * The folder of data files (vocabulary, profiles): $KH_DATADIR, else
 * ../share/khtools beside the running program, else ../data beside it (the
 * build tree), else the compiled-in KH_DATADIR.  Never NULL.
 */
const char *kh_datadir(void);

/* Program name for messages, set once by main. */
void	kh_setprogname(const char *);
const char *kh_progname(void);

#endif
