/* Unit tests of lib/khl.c: escaping, strict reading, the atomic output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>

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

/* A stream of one endless line: "x\td\t-\taaaa..." that counts what is read. */
struct endless {
	size_t	 given;
};

static ssize_t
endless_read(void *cookie, char *buf, size_t n)
{
	struct endless *e = cookie;
	size_t i = 0;

	if (e->given == 0) {
		memcpy(buf, "x\td\t-\t", 6);
		i = 6;
	}
	memset(buf + i, 'a', n - i);
	e->given += n;
	return (ssize_t)n;
}

static long
maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Every known type one field short is refused, and accepted at its count. */
static void
min_fields(void)
{
	static const char *types[] = { "doc", "meta", "para", "sec", "ref",
	    "diag", "link", "citedby", "fmt" };
	char want[128];
	kh_buf line = KH_BUF_INIT;
	size_t i, k, min;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		min = khl_min_fields(types[i]);
		kh_buf_reset(&line);
		kh_buf_printf(&line, "%s\td\t-", types[i]);
		for (k = 3; k < min - 1; k++)
			kh_buf_adds(&line, "\tf");
		kh_buf_adds(&line, "\n");
		snprintf(want, sizeof(want), "ERR in:1: %s record has %zu "
		    "fields, needs %zu", types[i], min - 1, min);
		T_STREQ(read_all(line.s, line.len, 0), want,
		    "%s with %zu fields refused", types[i], min - 1);
		line.len--;
		kh_buf_adds(&line, "\t\n");
		T_STREQ(read_all(line.s, line.len, 0), line.s,
		    "%s with %zu fields read", types[i], min);
	}
	T_CHECK(khl_min_fields("widget") == 3, "an unknown type needs 3");
	kh_buf_free(&line);
}

/* The raw field of a one-record stream, unescaped, as a string. */
static const char *
field_of(const char *s, size_t len, size_t i)
{
	static char got[256];
	khl_reader *r;
	khl_record *rec;
	kh_err err;
	FILE *fp;

	fp = fmemopen((void *)s, len, "r");
	r = khl_reader_new(fp, "in", 0);
	if (khl_read(r, &rec, &err) == 1 && i < rec->nfields)
		snprintf(got, sizeof(got), "%s", rec->field[i]);
	else
		snprintf(got, sizeof(got), "ERR");
	khl_reader_free(r);
	fclose(fp);
	return got;
}

#define F(s, i)	field_of((s), sizeof(s) - 1, (i))

static void
output(void)
{
	char dir[] = "/tmp/khl-out-XXXXXX", path[256], link[256], tmp[300];
	struct stat st;
	khl_out *o;
	kh_err err;
	FILE *fp;

	if (mkdtemp(dir) == NULL) {
		T_CHECK(0, "temporary folder made");
		return;
	}
	snprintf(path, sizeof(path), "%s/index.khl", dir);
	snprintf(link, sizeof(link), "%s/link.khl", dir);

	/* A new file gets the mode of the umask; an old one keeps its own. */
	o = khl_out_open(path, &err);
	T_CHECK(o != NULL && khl_out_write(o, "a\n", 2, &err) == 0 &&
	    khl_out_close(o, 1, &err) == 0, "new file written");
	chmod(path, 0640);
	o = khl_out_open(path, &err);
	khl_out_write(o, "b\n", 2, &err);
	khl_out_close(o, 1, &err);
	T_CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640,
	    "the mode of the file replaced is kept");

	/* Through a link, the file is replaced and the link stays a link. */
	T_CHECK(symlink("index.khl", link) == 0, "link made");
	o = khl_out_open(link, &err);
	khl_out_write(o, "c\n", 2, &err);
	khl_out_close(o, 1, &err);
	fp = fopen(path, "r");
	T_CHECK(fp != NULL && fgetc(fp) == 'c', "written through the link");
	if (fp != NULL)
		fclose(fp);
	T_CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode),
	    "the link is still a link");

	/* No temporary file is left behind, failed or not. */
	o = khl_out_open(path, &err);
	khl_out_write(o, "d\n", 2, &err);
	khl_out_close(o, 0, &err);
	snprintf(tmp, sizeof(tmp), "ls -A %s | grep -qv -e index.khl -e "
	    "link.khl", dir);
	T_CHECK(system(tmp) != 0, "no temporary file left");

	/* A folder that does not exist. */
	snprintf(tmp, sizeof(tmp), "%s/no/such.khl", dir);
	T_CHECK(khl_out_open(tmp, &err) == NULL &&
	    strstr(err.msg, "No such file") != NULL,
	    "missing folder reported: %s", err.msg);

	/* A device is written as it is: /dev/full fails at the flush. */
	o = khl_out_open("/dev/full", &err);
	T_CHECK(o != NULL, "/dev/full opened");
	if (o != NULL) {
		khl_out_write(o, "e\n", 2, &err);
		T_CHECK(khl_out_close(o, 1, &err) == -1 &&
		    strcmp(err.msg, strerror(ENOSPC)) == 0,
		    "/dev/full: %s", err.msg);
	}
	T_CHECK(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode),
	    "/dev/full is still a device");

	unlink(link);
	unlink(path);
	rmdir(dir);
}

/* Whether the reader takes bytes s as a field, as kh_utf8_check judges them. */
static int
agrees(const unsigned char *seq, size_t n)
{
	char line[32];
	khl_reader *r;
	khl_record *rec;
	kh_err err;
	FILE *fp;
	int got, want;

	memcpy(line, "x\td\t-\t", 6);
	memcpy(line + 6, seq, n);
	line[6 + n] = '\n';
	fp = fmemopen(line, 7 + n, "r");
	r = khl_reader_new(fp, "in", 0);
	got = khl_read(r, &rec, &err) == 1;
	khl_reader_free(r);
	fclose(fp);
	/* A tab or newline byte would cut the field: not a UTF-8 question. */
	want = kh_utf8_check((const char *)seq, n) == n;
	return got == want;
}

/*
 * The reader's own UTF-8 automaton against kh_utf8_check: every one- and
 * two-byte string, and the three- and four-byte strings over the bytes
 * where the ranges of RFC 3629 change.
 */
static void
utf8_exhaustive(void)
{
	static const unsigned char edge[] = { 0x01, 0x41, 0x7f, 0x80, 0x8f,
	    0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec,
	    0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff };
	unsigned char s[4];
	size_t a, b, c, d, ne = sizeof(edge), bad = 0, n = 0;

	for (a = 1; a < 256; a++) {
		if (a == '\t' || a == '\n' || a == '\\')
			continue;
		s[0] = (unsigned char)a;
		n++;
		bad += !agrees(s, 1);
		for (b = 1; b < 256; b++) {
			if (b == '\t' || b == '\n' || b == '\\')
				continue;
			s[1] = (unsigned char)b;
			n++;
			bad += !agrees(s, 2);
		}
	}
	for (a = 0; a < ne; a++)
		for (b = 0; b < ne; b++)
			for (c = 0; c < ne; c++) {
				s[0] = edge[a];
				s[1] = edge[b];
				s[2] = edge[c];
				n++;
				bad += !agrees(s, 3);
				for (d = 0; d < ne; d++) {
					s[3] = edge[d];
					n++;
					bad += !agrees(s, 4);
				}
			}
	T_CHECK(bad == 0, "UTF-8 judged as kh_utf8_check does: %zu of %zu "
	    "strings differ", bad, n);
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
	T_STREQ(R("x\ta\\q\t-\n"), "ERR in:1: unknown escape \\q in field 2",
	    "unknown escape refused");
	T_STREQ(R("x\ta\t-\tend\\\n"),
	    "ERR in:1: lone backslash at the end of field 4",
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

	/* Escapes as read: adjacent, at both ends, and raw CR kept. */
	T_STREQ(F("x\td\t-\t\\\\\\t\\n\\r\\\\\n", 3), "\\\t\n\r\\",
	    "adjacent escapes read");
	T_STREQ(F("x\td\t-\t\\tmid\\n\n", 3), "\tmid\n",
	    "escapes at both ends read");
	T_STREQ(F("x\td\t-\t\t\n", 3), "", "an empty last field");
	T_STREQ(F("x\td\t-\t\tb\n", 3), "", "an empty middle field");
	T_STREQ(R("x\td\t-\ta\rb\r\r\n"), "x\td\t-\ta\\rb\\r\n",
	    "only the CR before LF is stripped; a raw CR is written escaped");
	T_STREQ(R("x\td\t-\ta\\\xe1\xba\xbf\n"),
	    "ERR in:1: unknown escape \\\xe1\xba\xbf in field 4",
	    "an unknown escape names its whole character");
	T_STREQ(R("x\td\t-\t\\\\\\\n"),
	    "ERR in:1: lone backslash at the end of field 4",
	    "an escaped backslash then a lone one");

	/* UTF-8. */
	T_STREQ(R("x\ta\xe1\xbb\t-\n"), "ERR in:1: invalid UTF-8 at byte 4",
	    "truncated sequence refused");
	T_STREQ(R("x\ta\xe0\x80\xaf\t-\n"), "ERR in:1: invalid UTF-8 at byte 4",
	    "overlong three-byte sequence refused");
	T_STREQ(R("x\ta\xf4\x90\x80\x80\t-\n"),
	    "ERR in:1: invalid UTF-8 at byte 4", "beyond U+10FFFF refused");
	T_STREQ(R("x\ta\x80\t-\n"), "ERR in:1: invalid UTF-8 at byte 4",
	    "lone continuation byte refused");
	T_STREQ(R("x\tS\xe1\xbb\x91 \xc4\x91\xf0\x9f\x98\x80\xef\xbf\xbd\t-\n"),
	    "x\tS\xe1\xbb\x91 \xc4\x91\xf0\x9f\x98\x80\xef\xbf\xbd\t-\n",
	    "two-, three- and four-byte characters read");

	/* Headers and comments. */
	T_STREQ(R("#khl 10\n"),
	    "ERR in:1: unsupported KHL version 10 (this reader knows 1)",
	    "version 10 refused");
	T_STREQ(R("# a comment\n#khl 1\nx\ta\t-\n#khl 1\n#khl 1\n"),
	    "x\ta\t-\n", "comments and repeated headers skipped");
	T_STREQ(R("x\ta\t-\n#khl 2\n"),
	    "x\ta\t-\nERR in:2: unsupported KHL version 2 (this reader knows 1)",
	    "a later header refused where it stands");
	T_STREQ(R(""), "", "an empty stream has no records");
	min_fields();
	utf8_exhaustive();

	/*
	 * An endless line stops at the limit, having read no more than the
	 * limit and one input buffer, and holding no more than that.
	 */
	{
		static struct endless e;
		cookie_io_functions_t io = { endless_read, NULL, NULL, NULL };
		khl_reader *r;
		khl_record *rec;
		long before = maxrss_kb();

		fp = fopencookie(&e, "r", io);
		r = khl_reader_new(fp, "in", 8u << 20);
		T_CHECK(khl_read(r, &rec, &err) == -1 && err.line == 1 &&
		    strcmp(err.msg, "line longer than 8388608 bytes "
		    "(--max-line)") == 0, "an endless line refused");
		T_CHECK(e.given <= (8u << 20) + (1u << 20),
		    "refused after reading %zu bytes", e.given);
		T_CHECK(maxrss_kb() - before < 24 * 1024,
		    "refused holding %ld KiB more", maxrss_kb() - before);
		khl_reader_free(r);
		fclose(fp);
	}

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
	output();
	kh_buf_free(&b);
	return t_done();
}
