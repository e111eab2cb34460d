/* Unit tests of lib/khl.c: escaping, strict reading, the atomic output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kh.h"
#include "khl.h"
#include "text.h"
#include "t.h"

/* Read all of s; returns the records as canonical lines, or "ERR line: msg". */
static char *
read_all(const char *s, size_t len, size_t max_line)
{
	static kh_buf out;
	khl_reader *r;
	khl_record *rec;
	kh_err err;
	FILE *fp;
	int rc;

	kh_buf_reset(&out);
	kh_buf_adds(&out, "");
	fp = fmemopen((void *)s, len, "r");
	r = khl_reader_new(fp, "in", max_line);
	while ((rc = khl_read(r, &rec, &err)) == 1)
		khl_format(&out, rec);
	if (rc == -1)
		kh_buf_printf(&out, "ERR %s:%ld: %s", err.part, err.line,
		    err.msg);
	khl_reader_free(r);
	fclose(fp);
	return out.s;
}

#define R(s)	read_all((s), sizeof(s) - 1, 0)

static void
roundtrip(const char *field)
{
	kh_buf b = KH_BUF_INIT;
	khl_reader *r;
	khl_record *rec;
	kh_err err;
	FILE *fp;
	kh_loc loc = { 3, 0, 0 };
	char name[256];

	khl_begin(&b, "para", "d.docx", &loc);
	khl_field(&b, "body");
	khl_field(&b, "");
	khl_field(&b, "");
	khl_field(&b, field);
	khl_end(&b);
	fp = fmemopen(b.s, b.len, "r");
	r = khl_reader_new(fp, "rt", 0);
	T_CHECK(khl_read(r, &rec, &err) == 1 && rec->nfields == 7 &&
	    strcmp(rec->field[6], field) == 0 &&
	    rec->flen[6] == strlen(field), "round trip of \"%s\"", kh_safe(field, name, sizeof(name)));
	khl_reader_free(r);
	fclose(fp);
	kh_buf_free(&b);
}

int
main(void)
{
	kh_buf b = KH_BUF_INIT;
	char *big, path[] = "/tmp/khl-test-XXXXXX", *p;
	FILE *fp;
	khl_out *o;
	kh_err err;
	size_t n;

	roundtrip("plain");
	roundtrip("back\\slash");
	roundtrip("tab\there");
	roundtrip("new\nline");
	roundtrip("carriage\rreturn");
	roundtrip("\\\\\t\t\n\r\\");
	roundtrip("\\");
	roundtrip("trailing\\t-not-an-escape\\");
	roundtrip("");
	roundtrip("Số: 12/CT-UBND");

	khl_escape(&b, "a\\b\tc\nd\re", 9);
	T_STREQ(b.s, "a\\\\b\\tc\\nd\\re", "the four escapes");

	T_STREQ(R("#khl 1\ndoc\ta\t-\tdocx\t1\tff\n"),
	    "doc\ta\t-\tdocx\t1\tff\n", "header and a doc record");
	T_STREQ(R("doc\ta\t-\tdocx\t1\tff\r\n"), "doc\ta\t-\tdocx\t1\tff\n",
	    "CRLF accepted");
	T_STREQ(R("x\ta\t-\n#khl 1\ny\tb\t7:1-2\textra\n"),
	    "x\ta\t-\ny\tb\t7:1-2\textra\n",
	    "header anywhere; unknown types and extra fields kept");
	T_STREQ(R("#khl 2\nx\ta\t-\n"),
	    "ERR in:1: unsupported KHL version 2 (this reader knows 1)",
	    "a higher major version refused");
	T_STREQ(R("x\ta\t-\nx\ta\0b\t-\n"), "x\ta\t-\nERR in:2: NUL byte at byte 4",
	    "NUL byte refused with its line");
	T_STREQ(R("x\ta\xff\t-\n"), "ERR in:1: invalid UTF-8 at byte 4",
	    "invalid UTF-8 refused");
	T_STREQ(R("x\ta\xc0\xaf\t-\n"), "ERR in:1: invalid UTF-8 at byte 4",
	    "overlong UTF-8 refused");
	T_STREQ(R("x\ta\xed\xa0\x80\t-\n"), "ERR in:1: invalid UTF-8 at byte 4",
	    "surrogate refused");
	T_STREQ(R("x\ta\\q\t-\n"), "ERR in:1: unknown escape in field 2",
	    "unknown escape refused");
	T_STREQ(R("x\ta\t-\tend\\\n"), "ERR in:1: unknown escape in field 4",
	    "trailing backslash refused");
	T_STREQ(R("ref\ta\t1\tCT\t12/CT\t\t\n"),
	    "ERR in:1: ref record has 7 fields, needs 8", "too few fields for ref");
	T_STREQ(R("x\ta\n"),
	    "ERR in:1: record has 2 fields, needs at least 3 (TYPE DOC LOC)",
	    "too few common fields");
	T_STREQ(R("\n"),
	    "ERR in:1: record has 1 field, needs at least 3 (TYPE DOC LOC)",
	    "an empty line is malformed");
	T_STREQ(R("x\ta\t1:0\n"), "ERR in:1: bad location '1:0'", "bad LOC");
	T_STREQ(R("x\ta\t3:5-5\n"), "ERR in:1: bad location '3:5-5'",
	    "empty span refused");
	T_STREQ(R("Doc\ta\t-\n"), "ERR in:1: bad record type 'Doc'",
	    "upper-case type refused");
	T_STREQ(R("x\t\t-\n"), "ERR in:1: empty document key", "empty DOC refused");
	T_STREQ(R("x\ta\t-\ny\tb\t-"),
	    "x\ta\t-\nERR in:2: last line has no newline (truncated input?)",
	    "a cut last line refused");
	T_STREQ(R("x\ta\t12:3-40\n"), "x\ta\t12:3-40\n", "span kept");

	/* Long lines: a 1 MiB line is read; a 50 MB one stops at the limit. */
	n = 50u << 20;
	big = malloc(n + 16);
	memcpy(big, "x\td\t-\t", 6);
	memset(big + 6, 'a', n - 7);
	big[n - 1] = '\n';
	p = read_all(big, n, 8u << 20);
	T_STREQ(p, "ERR in:1: line longer than 8388608 bytes (--max-line)",
	    "a 50 MB line refused at the limit");
	memset(big + 6, 'a', (1u << 20));
	big[6 + (1u << 20)] = '\n';
	p = read_all(big, 7 + (1u << 20), 8u << 20);
	T_CHECK(strlen(p) == 7 + (1u << 20), "a 1 MiB line read whole");
	free(big);

	/* -o: the old file stays whole until a successful close. */
	T_CHECK(mkstemp(path) != -1, "temporary file made");
	fp = fopen(path, "w");
	fputs("old\n", fp);
	fclose(fp);
	o = khl_out_open(path, &err);
	khl_out_write(o, "new\n", 4, &err);
	fp = fopen(path, "r");
	T_CHECK(fgetc(fp) == 'o', "old content kept while writing");
	fclose(fp);
	T_CHECK(khl_out_close(o, 0, &err) == 0, "close without commit");
	fp = fopen(path, "r");
	T_CHECK(fgetc(fp) == 'o', "old content kept after a failed run");
	fclose(fp);
	o = khl_out_open(path, &err);
	khl_out_write(o, "new\n", 4, &err);
	T_CHECK(khl_out_close(o, 1, &err) == 0, "close with commit");
	fp = fopen(path, "r");
	T_CHECK(fgetc(fp) == 'n', "new content after success");
	fclose(fp);
	unlink(path);
	kh_buf_free(&b);
	return t_done();
}
