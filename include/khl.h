/*
 * khl.h: reading and writing KHL 1, the line format between the tools
 * (khl(5)).
 *
 * Reading is strict: a line that is not UTF-8, holds a NUL byte or an
 * unknown escape, is longer than the limit, or has fewer than the three
 * common fields (or fewer than its known TYPE needs) is an error naming the
 * input and the line number.  Records of unknown TYPE and extra trailing
 * fields are kept.
 */
#ifndef KHL_H
#define KHL_H

#include <stdio.h>

#include "kh.h"

#define KHL_MAJOR 1
#define KHL_HEADER "#khl 1\n"

/*
 * One record as read.  Everything it points to belongs to the reader and
 * stays valid until the next khl_read or khl_close.
 */
typedef struct khl_record {
	const char	*raw;		/* the line as read, without \r\n or \n */
	size_t		 rawlen;
	size_t		 nfields;	/* at least 3 */
	char		**field;	/* unescaped, NUL-terminated */
	size_t		*flen;		/* their lengths in bytes */
	long		 lineno;	/* 1-based line number in its input */
	kh_loc		 loc;		/* field[2] parsed */
} khl_record;

#define KHL_TYPE(r)	((r)->field[0])
#define KHL_DOC(r)	((r)->field[1])
#define KHL_LOC(r)	((r)->field[2])

typedef struct khl_reader khl_reader;

/*
 * Read from fp, calling the input name (for messages) name; max_line is the
 * longest line accepted, in bytes (0: the default of kh_limits_default).
 * The reader does not close fp.
 */
khl_reader	*khl_reader_new(FILE *fp, const char *name, size_t max_line);
/*
 * The next record: returns 1 and sets *rec, 0 at end of input, -1 on a
 * malformed line or a read error (err says which, with line set to the
 * line number; the reader is then spent).  Comment lines and the
 * "#khl N" header are skipped; a header with a higher major version is an
 * error.
 */
int		 khl_read(khl_reader *, khl_record **, kh_err *);
const char	*khl_reader_name(const khl_reader *);
void		 khl_reader_free(khl_reader *);

/*
 * The smallest field count of a known TYPE (doc 6, meta 5, para 7, sec 6,
 * ref 8, diag 6, link 7, ...), or 3 for an unknown one.
 */
size_t		 khl_min_fields(const char *type);

/* Appending a record to a buffer: khl_begin, khl_field..., khl_end. */
void	khl_escape(kh_buf *, const char *, size_t);
void	khl_begin(kh_buf *, const char *type, const char *doc,
	    const kh_loc *);
void	khl_field(kh_buf *, const char *);
void	khl_fieldn(kh_buf *, const char *, size_t);
void	khl_end(kh_buf *);
/* The record written back exactly as the canonical line, with '\n'. */
void	khl_format(kh_buf *, const khl_record *);

/*
 * Unescape one field in place; returns its new length, or -1 on an unknown
 * escape or a trailing backslash.
 */
long	khl_unescape(char *, size_t);

/*
 * Output that fails loudly: khl_out wraps stdout or a FILE opened by
 * khl_out_open, which for "-o FILE" writes to a temporary file beside FILE
 * and renames it over FILE only on khl_out_close with success, so an
 * interrupted or failed run leaves the old file whole.
 */
typedef struct khl_out khl_out;

khl_out	*khl_out_stdout(void);
/* NULL with err set when the temporary file cannot be made. */
khl_out	*khl_out_open(const char *path, kh_err *);
FILE	*khl_out_fp(khl_out *);
/* Write len bytes; -1 (err set) on a failed write. */
int	 khl_out_write(khl_out *, const void *, size_t, kh_err *);
/*
 * Flush and close.  ok == 0 discards a temporary file.  Returns 0, or -1
 * (err set) when the flush, close or rename failed.
 */
int	 khl_out_close(khl_out *, int ok, kh_err *);
/*
 * Remove the temporary files of the outputs not yet closed, leaving their
 * targets as they were: for a handler of SIGINT or SIGTERM (it only calls
 * unlink, so is async-signal-safe).
 */
void	 khl_out_abandon(void);

#endif
