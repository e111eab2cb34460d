/*
 * fe.c: the front end the four programs share: messages, inputs, lists of
 * file names, the end of standard output.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kh.h"
#include "fe.h"
#include "text.h"

/* Long enough for a path and a message; longer ones are cut, not lost whole. */
#define SAFE_MAX 4096

static void
vwarn_common(const char *fmt, va_list ap, const char *reason)
{
	fprintf(stderr, "%s: ", kh_progname());
	vfprintf(stderr, fmt, ap);
	if (reason != NULL)
		fprintf(stderr, ": %s", reason);
	fputc('\n', stderr);
}

void
kh_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_common(fmt, ap, NULL);
	va_end(ap);
}

void
kh_warn(const char *fmt, ...)
{
	const char *reason = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vwarn_common(fmt, ap, reason);
	va_end(ap);
}

void
kh_errx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_common(fmt, ap, NULL);
	va_end(ap);
	exit(KH_EXIT_TROUBLE);
}

void
kh_warn_err(const char *name, const kh_err *e)
{
	char where[SAFE_MAX], safe_name[SAFE_MAX], msg[SAFE_MAX];

	/* Names and messages may hold text of a hostile document. */
	kh_err_format(e, where, sizeof(where));
	kh_safe(name, safe_name, sizeof(safe_name));
	kh_safe(where, msg, sizeof(msg));
	fprintf(stderr, "%s: %s: %s\n", kh_progname(), safe_name, msg);
}

FILE *
kh_input_open(const char *name, kh_err *err)
{
	struct stat st;
	FILE *fp;

	if (strcmp(name, "-") == 0)
		return stdin;
	if ((fp = fopen(name, "r")) == NULL) {
		kh_err_set(err, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		kh_err_set(err, "is a directory");
		return NULL;
	}
	return fp;
}

void
kh_input_close(FILE *fp)
{
	if (fp != NULL && fp != stdin)
		fclose(fp);
}

int
kh_files_from(const char *path, int nul, char ***names, size_t *n,
    kh_err *err)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if ((fp = kh_input_open(path, err)) == NULL)
		return -1;
	while ((len = getdelim(&line, &cap, nul ? '\0' : '\n', fp)) != -1) {
		if (len > 0 && line[len - 1] == (nul ? '\0' : '\n'))
			len--;
		if (len == 0)
			continue;
		*names = kh_xreallocarray(*names, *n + 1, sizeof(**names));
		(*names)[(*n)++] = kh_xstrndup(line, (size_t)len);
	}
	free(line);
	if (ferror(fp)) {
		kh_err_set(err, "read error: %s", strerror(errno));
		kh_input_close(fp);
		return -1;
	}
	kh_input_close(fp);
	return 0;
}

int
kh_stdout_close(void)
{
	int failed;

	failed = fflush(stdout) != 0 || ferror(stdout);
	if (fclose(stdout) != 0)
		failed = 1;
	if (failed) {
		kh_warnx("write error: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

uint64_t
kh_size_arg(const char *opt, const char *arg)
{
	kh_err err;
	uint64_t v;

	kh_err_clear(&err);
	if (kh_parse_size(arg, &v, &err) == -1)
		kh_errx("%s: %s", opt, err.msg);
	return v;
}
