/*
 * fe.h: the front end the four programs share (as libarchive_fe serves
 * tar and cpio): messages, inputs, lists of file names, the end of output.
 *
 * Messages have one shape:
 *	PROG: FILE: message
 *	PROG: FILE:LINE: message
 *	PROG: FILE:PARA:COL: LEVEL: message [rule]
 * Names and text from inputs pass through kh_safe, so no control character
 * from a document reaches the terminal.
 */
#ifndef KH_FE_H
#define KH_FE_H

#include <stdio.h>

#include "kh.h"

/* "PROG: message" */
void	kh_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
/* "PROG: message: strerror(errno)" */
void	kh_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
/* "PROG: NAME: [part:line:col: ]message" from an error of input NAME. */
void	kh_warn_err(const char *name, const kh_err *);
/* kh_warnx then exit(KH_EXIT_TROUBLE). */
void	kh_errx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/*
 * Open an input by name, "-" being standard input.  NULL with err set (the
 * system's reason) when it cannot be opened or is a directory.
 */
FILE	*kh_input_open(const char *name, kh_err *);
void	 kh_input_close(FILE *);

/*
 * Read the file names listed in path ("-": standard input), one a line, or
 * NUL-separated with nul set, appending them to *names (*n of them).
 * Returns 0, or -1 with err set.
 */
int	 kh_files_from(const char *path, int nul, char ***names, size_t *n,
	    kh_err *);

/*
 * End standard output: flush and check it, so that "tool > /dev/full"
 * fails.  Returns 0, or -1 after printing "PROG: write error: reason".
 */
int	 kh_stdout_close(void);

/* Parse a size option ("-S 64M") or exit with a usage message naming opt. */
uint64_t kh_size_arg(const char *opt, const char *arg);

#endif
