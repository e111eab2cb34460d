/*
 * Unit tests of lib/cite.c and lib/vocab.c: every phrasing of the table
 * tests/cite/table.tsv checked record by record and field by field, the
 * reference plan of ../shared when it is there, the vocabulary's reader and
 * its errors, and the match limit reported as an error.
 *
 * The table (its first lines say the format): "in TEXT" is a paragraph,
 * followed by exactly the "ref", "meta" and "diag" records it gives, in
 * order; "no TEXT" is a paragraph that gives nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kh.h"
#include "recog.h"
#include "text.h"
#include "t.h"
#include "../../lib/vocab.h"

#define MAXREC	64
#define MAXF	8

struct rec {
	char	 type[16];
	kh_loc	 loc;
	size_t	 n;
	char	*f[MAXF];
};

static struct rec recs[MAXREC];
static size_t nrecs;
static size_t expected_refs, found_refs, got_refs;

static void
collect(void *ud, const char *type, const kh_loc *loc, size_t n,
    const char *const *f)
{
	struct rec *r;
	size_t i;

	if (nrecs == MAXREC)
		return;
	r = &recs[nrecs++];
	snprintf(r->type, sizeof(r->type), "%s", type);
	r->loc = *loc;
	r->n = n < MAXF ? n : MAXF;
	for (i = 0; i < r->n; i++)
		r->f[i] = kh_xstrdup(f[i]);
}

static void
clear(void)
{
	size_t i, j;

	for (i = 0; i < nrecs; i++)
		for (j = 0; j < recs[i].n; j++)
			free(recs[i].f[j]);
	nrecs = 0;
}

static const kh_sink sink = { collect, NULL };

/* \uXXXX, \n, \t and \\ of the table, as UTF-8. */
static char *
unescape(const char *s)
{
	kh_buf b = KH_BUF_INIT;
	char enc[4];
	long cp;

	kh_buf_adds(&b, "");
	for (; *s != '\0'; s++) {
		if (*s != '\\' || s[1] == '\0') {
			kh_buf_addc(&b, *s);
			continue;
		}
		s++;
		if (*s == 'u' && strlen(s) >= 5) {
			char hex[5];

			memcpy(hex, s + 1, 4);
			hex[4] = '\0';
			cp = strtol(hex, NULL, 16);
			kh_buf_add(&b, enc, kh_utf8_encode((int32_t)cp, enc));
			s += 4;
		} else if (*s == 'n')
			kh_buf_addc(&b, '\n');
		else if (*s == 't')
			kh_buf_addc(&b, '\t');
		else
			kh_buf_addc(&b, *s);
	}
	return b.s;
}

/* Splits a table line at TABs, in place; empty fields count. */
static size_t
fields(char *line, char **f, size_t max)
{
	size_t n = 0;

	f[n++] = line;
	while (n < max && (line = strchr(line, '\t')) != NULL) {
		*line++ = '\0';
		f[n++] = line;
	}
	return n;
}

/* The text of code points [s, e) of t, into buf. */
static const char *
cols(const char *t, long s, long e, kh_buf *buf)
{
	size_t len = strlen(t), a, b;

	kh_buf_reset(buf);
	kh_buf_adds(buf, "");
	if (s < 1 || e < s)
		return buf->s;
	a = kh_utf8_offset(t, len, (size_t)s - 1);
	b = kh_utf8_offset(t, len, (size_t)e - 1);
	kh_buf_add(buf, t + a, b - a);
	return buf->s;
}

/* The code point where needle first occurs in t at or after code point from. */
static long
find_col(const char *t, const char *needle, long from)
{
	size_t len = strlen(t), off = kh_utf8_offset(t, len, (size_t)from);
	const char *p = strstr(t + off, needle);

	return p == NULL ? -1 : (long)kh_utf8_count(t, (size_t)(p - t));
}

struct want {
	char	 type[16];
	char	*f[6];
	size_t	 n;
};

static int
same_ref(const struct rec *r, const struct want *w, const char *text,
    long from, kh_buf *why)
{
	static const char *const names[] = { "KIND", "NUMBER", "DATE",
	    "ISSUER", "TEXT" };
	kh_buf tmp = KH_BUF_INIT;
	size_t i;
	long at;
	int ok = 1;

	kh_buf_reset(why);
	for (i = 0; i < 5 && ok; i++) {
		if (i >= r->n || strcmp(r->f[i], w->f[i]) != 0) {
			kh_buf_printf(why, "%s: got \"%s\", want \"%s\"",
			    names[i], i < r->n ? r->f[i] : "(none)", w->f[i]);
			ok = 0;
		}
	}
	if (ok && strcmp(cols(text, r->loc.col, r->loc.end, &tmp),
	    w->f[4]) != 0) {
		kh_buf_printf(why, "span %ld-%ld reads \"%s\"", r->loc.col,
		    r->loc.end, tmp.s);
		ok = 0;
	}
	if (ok && (at = find_col(text, w->f[4], from)) != r->loc.col - 1) {
		kh_buf_printf(why, "span starts at %ld, want %ld",
		    r->loc.col, at + 1);
		ok = 0;
	}
	kh_buf_free(&tmp);
	return ok;
}

/* Runs one case of the table and checks what it gave. */
static void
run_case(kh_citer *c, long line, const char *raw, struct want *w, size_t nw)
{
	kh_para para;
	kh_err err;
	kh_buf why = KH_BUF_INIT;
	char *in, *text;
	size_t len, i, g;
	long from = 0;
	int ok;

	in = unescape(raw);
	/* The reader hands over NFC text; so does the table, through this. */
	text = kh_nfc(in, strlen(in), &len);
	memset(&para, 0, sizeof(para));
	para.index = line;
	clear();
	if (kh_cite_para(c, &para, text, len, &sink, &err) == -1) {
		T_CHECK(0, "table:%ld: %s: %s", line, raw, err.msg);
		goto done;
	}
	for (g = 0; g < nrecs; g++)
		if (strcmp(recs[g].type, "ref") == 0)
			got_refs++;
	for (i = 0; i < nw; i++) {
		if (strcmp(w[i].type, "ref") == 0)
			expected_refs++;
		if (i >= nrecs) {
			T_CHECK(0, "table:%ld: %s %zu of \"%s\": missing", line,
			    w[i].type, i + 1, raw);
			continue;
		}
		if (strcmp(recs[i].type, w[i].type) != 0) {
			T_CHECK(0, "table:%ld: record %zu of \"%s\": got %s, "
			    "want %s", line, i + 1, raw, recs[i].type,
			    w[i].type);
			continue;
		}
		if (strcmp(w[i].type, "ref") == 0) {
			ok = same_ref(&recs[i], &w[i], text, from, &why);
			if (ok) {
				found_refs++;
				from = recs[i].loc.end - 1;
			}
			T_CHECK(ok, "table:%ld: ref %s of \"%s\"%s%s", line,
			    w[i].f[1][0] != '\0' ? w[i].f[1] : w[i].f[4], raw,
			    ok ? "" : ": ", ok ? "" : why.s);
		} else if (strcmp(w[i].type, "meta") == 0) {
			T_CHECK(recs[i].n == 2 &&
			    strcmp(recs[i].f[0], w[i].f[0]) == 0 &&
			    strcmp(recs[i].f[1], w[i].f[1]) == 0 &&
			    recs[i].loc.para == line && recs[i].loc.col == 0,
			    "table:%ld: meta %s %s of \"%s\"", line, w[i].f[0],
			    w[i].f[1], raw);
		} else {
			T_CHECK(recs[i].n == 3 &&
			    strcmp(recs[i].f[0], "warning") == 0 &&
			    strcmp(recs[i].f[1], w[i].f[0]) == 0 &&
			    recs[i].loc.col > 0,
			    "table:%ld: diag %s of \"%s\"", line, w[i].f[0],
			    raw);
		}
	}
	if (nw == 0)
		T_CHECK(nrecs == 0, "table:%ld: nothing cited in \"%s\"%s%s",
		    line, raw, nrecs > 0 ? ": got " : "",
		    nrecs > 0 ? recs[0].f[recs[0].n - 1] : "");
	else
		T_CHECK(nrecs == nw, "table:%ld: %zu records from \"%s\", "
		    "want %zu", line, nrecs, raw, nw);
done:
	kh_buf_free(&why);
	free(in);
	free(text);
}

static void
free_wants(struct want *w, size_t *nw)
{
	size_t i, j;

	for (i = 0; i < *nw; i++)
		for (j = 0; j < w[i].n; j++)
			free(w[i].f[j]);
	*nw = 0;
}

static void
run_table(kh_citer *c, const char *path)
{
	FILE *fp;
	struct want w[MAXREC];
	char *line = NULL, *f[8], *in = NULL;
	size_t cap = 0, nf, nw = 0, i, cases = 0, negatives = 0;
	long lineno = 0, inline_no = 0;
	ssize_t n;

	if ((fp = fopen(path, "r")) == NULL) {
		T_CHECK(0, "open %s", path);
		return;
	}
	for (;;) {
		n = getline(&line, &cap, fp);
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == -1 || (n > 0 && line[0] != '#' &&
		    (strncmp(line, "in\t", 3) == 0 ||
		    strncmp(line, "no\t", 3) == 0))) {
			if (in != NULL)
				run_case(c, inline_no, in, w, nw);
			free(in);
			in = NULL;
			free_wants(w, &nw);
			if (n == -1)
				break;
		}
		if (n == 0 || line[0] == '#')
			continue;
		nf = fields(line, f, 8);
		if (strcmp(f[0], "in") == 0 || strcmp(f[0], "no") == 0) {
			if (nf != 2) {
				T_CHECK(0, "table:%ld: one TEXT field", lineno);
				continue;
			}
			in = kh_xstrdup(f[1]);
			inline_no = lineno;
			cases++;
			if (f[0][0] == 'n')
				negatives++;
			/* "no" takes no records after it. */
			continue;
		}
		if (in == NULL || nw == MAXREC ||
		    !((strcmp(f[0], "ref") == 0 && nf == 6) ||
		    (strcmp(f[0], "meta") == 0 && nf == 3) ||
		    (strcmp(f[0], "diag") == 0 && nf == 2))) {
			T_CHECK(0, "table:%ld: malformed line", lineno);
			continue;
		}
		snprintf(w[nw].type, sizeof(w[nw].type), "%s", f[0]);
		w[nw].n = nf - 1;
		for (i = 1; i < nf; i++) {
			char *u = unescape(f[i]);
			size_t len;

			w[nw].f[i - 1] = kh_nfc(u, strlen(u), &len);
			free(u);
		}
		nw++;
	}
	free(line);
	fclose(fp);
	T_CHECK(cases - negatives >= 150, "table has %zu positive phrasings",
	    cases - negatives);
	T_CHECK(negatives >= 50, "table has %zu negatives", negatives);
}

/*
 * The reference plan, one paragraph a line: exactly its 13 numbered
 * citations and the law it cites by name.
 */
static void
run_seed(kh_citer *c)
{
	static const char *const want[][5] = {
		{ "CT", "12/CT-UBND", "2021-12-29", "Chủ tịch UBND tỉnh",
		    "Chỉ thị số 12/CT-UBND ngày 29/12/2021" },
		{ "CT", "34-CT/TW", "2014-04-07", "Bộ",
		    "Chỉ thị số 34-CT/TW ngày 07/4/2014" },
		{ "Luật", "", "", "", "Luật Thi đua khen thưởng" },
		{ "QĐ", "01/QĐ-UBND", "2022-01-08", "UBND tỉnh",
		    "Quyết định số 01/QĐ-UBND ngày 08/01/2022" },
		{ "QĐ", "02/QĐ-UBND", "2022-01-08", "UBND tỉnh",
		    "Quyết định số 02/QĐ-UBND ngày 08/01/2022" },
		{ "CT", "04/CT-UBND", "2021-01-11", "Chủ tịch UBND tỉnh",
		    "Chỉ thị số 04/CT-UBND ngày 11/01/2021" },
		{ "KH", "3689/KH-UBND", "2021-10-22", "UBND tỉnh",
		    "Kế hoạch số 3689/KH-UBND ngày 22/10/2021" },
		{ "CT", "05-CT/TW", "2016-05-15", "Bộ Chính trị (Khóa XII)",
		    "Chỉ thị số 05-CT/TW ngày 15/5/2016" },
		{ "NQ", "04-NQ/TU", "2021-12-12", "Ban Chấp hành Đảng bộ tỉnh",
		    "Nghị quyết số 04-NQ/TU ngày 12/12/2021" },
		{ "KH", "310/KH-UBND", "2021-02-10", "UBND tỉnh",
		    "Kế hoạch 310/KH-UBND ngày 10/02/2021" },
		{ "NQ", "04-NQ/TW", "2016-10-30", "BCH Trung ương Đảng",
		    "Nghị quyết số 04-NQ/TW ngày 30/10/2016" },
		{ "NQ", "18-NQ/TW", "", "BCH Trung ương Đảng",
		    "Nghị quyết số 18-NQ/TW" },
		{ "NQ", "19-NQ/TW", "", "BCH Trung ương Đảng",
		    "Nghị quyết số 19-NQ/TW" },
		{ "QĐ", "08-QĐ/TW", "2018-10-25", "BCH Trung ương Đảng",
		    "Quy định số 08-QĐ/TW ngày 25/10/2018" },
	};
	const size_t nwant = sizeof(want) / sizeof(want[0]);
	struct rec all[MAXREC];
	kh_buf path = KH_BUF_INIT, tmp = KH_BUF_INIT;
	const char *shared = getenv("SHARED");
	FILE *fp;
	kh_para para;
	kh_err err;
	char *line = NULL, *texts[MAXREC];
	size_t cap = 0, nall = 0, i, j, numbered = 0;
	ssize_t n;
	long index = 0;

	kh_buf_printf(&path, "%s/seeds/000_0aa874c50ecccc5d.txt",
	    shared != NULL ? shared : "../shared");
	if ((fp = fopen(path.s, "r")) == NULL) {
		printf("# skip: %s is absent\n", path.s);
		kh_buf_free(&path);
		return;
	}
	while ((n = getline(&line, &cap, fp)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0)
			continue;
		memset(&para, 0, sizeof(para));
		para.index = ++index;
		clear();
		if (kh_cite_para(c, &para, line, (size_t)n, &sink, &err) ==
		    -1) {
			T_CHECK(0, "seed paragraph %ld: %s", index, err.msg);
			continue;
		}
		for (i = 0; i < nrecs && nall < MAXREC; i++) {
			texts[nall] = kh_xstrdup(line);
			all[nall] = recs[i];
			recs[i].n = 0;	/* now owned by all[] */
			nall++;
		}
	}
	free(line);
	fclose(fp);
	T_CHECK(nall == nwant, "seed: %zu records, want %zu", nall, nwant);
	for (i = 0; i < nall && i < nwant; i++) {
		int ok = strcmp(all[i].type, "ref") == 0 && all[i].n == 5;

		for (j = 0; ok && j < 5; j++)
			ok = strcmp(all[i].f[j], want[i][j]) == 0;
		ok = ok && strcmp(cols(texts[i], all[i].loc.col,
		    all[i].loc.end, &tmp), want[i][4]) == 0;
		if (ok && want[i][1][0] != '\0')
			numbered++;
		T_CHECK(ok, "seed: %s %s %s \"%s\" [%s]", want[i][0],
		    want[i][1], want[i][2], want[i][3], want[i][4]);
	}
	T_CHECK(numbered == 13, "seed: %zu numbered citations, want 13",
	    numbered);
	for (i = 0; i < nall; i++) {
		for (j = 0; j < all[i].n; j++)
			free(all[i].f[j]);
		free(texts[i]);
	}
	kh_buf_free(&path);
	kh_buf_free(&tmp);
}

/* A vocabulary written to a temporary file. */
static kh_vocab *
vocab_of(const char *content, kh_err *err)
{
	char path[] = "/tmp/khvocab.XXXXXX";
	kh_vocab *v;
	int fd;

	if ((fd = mkstemp(path)) == -1)
		return NULL;
	if (write(fd, content, strlen(content)) != (ssize_t)strlen(content)) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	v = kh_vocab_load(path, err);
	unlink(path);
	return v;
}

static void
bad_vocab(const char *content, long line, const char *msg)
{
	kh_vocab *v;
	kh_err err;

	v = vocab_of(content, &err);
	T_CHECK(v == NULL && err.line == line && strstr(err.msg, msg) != NULL,
	    "bad vocabulary refused at line %ld: %s (got \"%s\")", line, msg,
	    v == NULL ? err.msg : "accepted");
	kh_vocab_free(v);
}

static void
test_vocab(const kh_vocab *v)
{
	kh_vocab *u;
	kh_citer *c;
	kh_err err;
	kh_para para;
	const char *s;

	T_STREQ(kh_vocab_code(v, "KẾ HOẠCH", strlen("KẾ HOẠCH")), "KH",
	    "code of KẾ HOẠCH");
	T_STREQ(kh_vocab_code(v, "Kế hoạch", strlen("Kế hoạch")), "KH",
	    "code of Kế hoạch");
	T_STREQ(kh_vocab_code(v, "CÔNG VĂN", strlen("CÔNG VĂN")), "",
	    "a công văn has no code");
	T_STREQ(kh_vocab_code(v, "QUYẾT  ĐỊNH", strlen("QUYẾT  ĐỊNH")), "QĐ",
	    "code of QUYẾT  ĐỊNH (two spaces)");
	T_STREQ(kh_vocab_code(v, "GIẤY UỶ QUYỀN", strlen("GIẤY UỶ QUYỀN")),
	    "GUQ", "code of GIẤY UỶ QUYỀN (old tone placement)");
	T_STREQ(kh_vocab_code(v, "QUY ĐỊNH", strlen("QUY ĐỊNH")), "QyĐ",
	    "code of QUY ĐỊNH as Decree 30 writes it");
	T_STREQ(kh_vocab_code(v, "TỜ TRÌNH", strlen("TỜ TRÌNH")), "TTr",
	    "code of TỜ TRÌNH");
	T_CHECK(kh_vocab_code(v, "BẢN TIN", strlen("BẢN TIN")) == NULL,
	    "no code for an unknown name");
	T_STREQ(kh_vocab_name(v, "KH"), "Kế hoạch", "name of KH");
	T_STREQ(kh_vocab_name(v, "QÐ"), "Quyết định",
	    "name of QÐ (look-alike Ð)");
	T_STREQ(kh_vocab_name(v, "CTr"), "Chương trình", "name of CTr");
	T_CHECK(kh_vocab_name(v, "ZZ") == NULL, "no name for an unknown code");
	T_CHECK(kh_vocab_name(v, "") == NULL, "no name for the empty code");

	bad_vocab("type\tKế hoạch\tKH\nbogus\tx\n", 2, "unknown keyword");
	bad_vocab("type\tKế hoạch\n", 1, "needs a name and a code");
	bad_vocab("type\tKế hoạch\tKH\tloud\n", 1, "unknown type option");
	bad_vocab("type\tKế hoạch\tKH\nabbr\tXX\tBản tin\n", 2,
	    "unknown type");
	bad_vocab("type\tKế hoạch\tKH\nlaw\tLuật Đất đai\n", 2,
	    "by-name type");
	bad_vocab("# only\n\ntype\tK\xe1\tKH\n", 3, "invalid UTF-8");
	bad_vocab("stop\n", 1, "needs one phrase");
	bad_vocab("type\tKế hoạch\tKH\nstop\t  \n", 2, "needs one phrase");
	bad_vocab("type\tA\tB\tC\tD\tE\tF\tG\tH\n", 1, "too many fields");
	u = vocab_of("# nothing\n", &err);
	T_CHECK(u == NULL && strstr(err.msg, "no type names") != NULL,
	    "a vocabulary without types is refused");
	kh_vocab_free(u);
	u = kh_vocab_load("/nonexistent/vocab", &err);
	T_CHECK(u == NULL && strstr(err.msg, "/nonexistent/vocab") != NULL,
	    "a missing vocabulary is an error naming it");

	/* A type added to the file is recognized with no rebuild. */
	u = vocab_of("type\tQuyết nghị\tQN\r\n  type  \tCông văn\t-\t"
	    "kind=CV\n", &err);
	T_CHECK(u != NULL, "a small vocabulary loads%s%s", u ? "" : ": ",
	    u ? "" : err.msg);
	if (u == NULL)
		return;
	c = kh_citer_new(u, &err);
	T_CHECK(c != NULL, "a citer from a small vocabulary");
	if (c != NULL) {
		memset(&para, 0, sizeof(para));
		para.index = 1;
		clear();
		s = "theo Quyết nghị số 5/QN-ABC và Công văn số 7/ABC";
		T_CHECK(kh_cite_para(c, &para, s, strlen(s), &sink, &err) == 0 &&
		    nrecs == 2 && strcmp(recs[0].f[0], "QN") == 0 &&
		    strcmp(recs[1].f[0], "CV") == 0,
		    "a type added to the vocabulary is recognized");
		clear();
		s = "theo Nghị định số 30/2020/NĐ-CP";
		T_CHECK(kh_cite_para(c, &para, s, strlen(s), &sink, &err) == 0 &&
		    nrecs == 0, "a type left out of the vocabulary is not");
		kh_citer_free(c);
	}
	kh_vocab_free(u);
}

static void
test_limits(const kh_vocab *v)
{
	kh_citer *c;
	kh_err err;
	kh_para para;
	const char *s = "Căn cứ Chỉ thị số 12/CT-UBND ngày 29/12/2021";
	int rc;

	memset(&para, 0, sizeof(para));
	para.index = 1;
	if ((c = kh_citer_new(v, &err)) == NULL) {
		T_CHECK(0, "citer: %s", err.msg);
		return;
	}
	kh_citer_set_limit(c, 1);
	clear();
	rc = kh_cite_para(c, &para, s, strlen(s), &sink, &err);
	T_CHECK(rc == -1 && strstr(err.msg, "match limit") != NULL,
	    "a hit of the match limit is an error, not \"no match\" (%s)",
	    rc == -1 ? err.msg : "returned 0");
	kh_citer_free(c);

	c = kh_citer_new(v, &err);
	clear();
	rc = kh_cite_para(c, &para, "Ch\xe1\xbb", 5, &sink, &err);
	T_CHECK(rc == -1 && strstr(err.msg, "UTF-8") != NULL,
	    "invalid UTF-8 is an error");
	clear();
	rc = kh_cite_para(c, &para, "", 0, &sink, &err);
	T_CHECK(rc == 0 && nrecs == 0, "an empty paragraph cites nothing");
	kh_citer_free(c);
}

int
main(void)
{
	kh_vocab *v;
	kh_citer *c;
	kh_err err;
	kh_buf path = KH_BUF_INIT;
	const char *top = getenv("KH_TOP");

	if ((v = kh_vocab_load(NULL, &err)) == NULL) {
		T_CHECK(0, "vocabulary: %s:%ld: %s", err.part, err.line,
		    err.msg);
		return t_done();
	}
	if ((c = kh_citer_new(v, &err)) == NULL) {
		T_CHECK(0, "citer: %s", err.msg);
		return t_done();
	}
	kh_buf_printf(&path, "%s/tests/cite/table.tsv",
	    top != NULL ? top : ".");
	run_table(c, path.s);
	printf("# recall %zu/%zu = %.3f, precision %zu/%zu = %.3f\n",
	    found_refs, expected_refs,
	    expected_refs ? (double)found_refs / expected_refs : 0.0,
	    found_refs, got_refs,
	    got_refs ? (double)found_refs / got_refs : 0.0);
	run_seed(c);
	test_vocab(v);
	test_limits(v);
	clear();
	kh_citer_free(c);
	kh_vocab_free(v);
	kh_buf_free(&path);
	return t_done();
}
