/* Unit tests of lib/fe.c: inputs and lists of file names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kh.h"
#include "fe.h"
#include "t.h"

/* The names listed in the bytes s, joined by "|". */
static const char *
names_of(const char *s, size_t len, int nul)
{
	static char out[600];
	char path[] = "/tmp/fe-test-XXXXXX";
	char **names = NULL;
	size_t n = 0, i;
	kh_err err;
	int fd;

	fd = mkstemp(path);
	if (write(fd, s, len) != (ssize_t)len)
		len = 0;
	close(fd);
	out[0] = '\0';
	if (kh_files_from(path, nul, &names, &n, &err) == -1)
		snprintf(out, sizeof(out), "ERR %s", err.msg);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, "|");
		strcat(out, names[i]);
		free(names[i]);
	}
	free(names);
	unlink(path);
	return out;
}

#define N(s, nul)	names_of((s), sizeof(s) - 1, (nul))

int
main(void)
{
	kh_err err;

	kh_setprogname("fe");
	T_STREQ(N("a.docx\nb c.docx\n\nd.docx", 0), "a.docx|b c.docx|d.docx",
	    "lines, an empty one skipped, the last without newline");
	T_STREQ(N("a\nb\0c d\0", 1), "a\nb|c d", "NUL-separated names keep newlines");
	T_STREQ(N("", 0), "", "an empty list");
	T_CHECK(kh_input_open("/", &err) == NULL &&
	    strcmp(err.msg, "is a directory") == 0, "a directory refused");
	T_CHECK(kh_input_open("/no/such/file", &err) == NULL &&
	    strcmp(err.msg, "No such file or directory") == 0,
	    "a missing file reported");
	T_CHECK(kh_input_open("-", &err) == stdin, "\"-\" is standard input");
	T_CHECK(kh_files_from("/", 0, &(char **){ NULL }, &(size_t){ 0 },
	    &err) == -1 && strcmp(err.msg, "is a directory") == 0,
	    "a directory as a list refused");
	return t_done();
}
