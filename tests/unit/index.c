/* Unit tests of the archive index: keys, dates, lookups, backlinks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "khl.h"
#include "cite_index.h"
#include "t.h"

static void
number_key(const char *in, const char *want)
{
	kh_buf b = KH_BUF_INIT;
	int rc;

	rc = kh_number_key(in, strlen(in), &b);
	if (want == NULL)
		T_CHECK(rc == -1, "number key of \"%s\" refused", in);
	else
		T_STREQ(rc == 0 ? b.s : NULL, want, "number key of \"%s\"", in);
	kh_buf_free(&b);
}

static void
name_key(const char *in, const char *want)
{
	kh_buf b = KH_BUF_INIT;

	kh_name_key(in, strlen(in), &b);
	T_STREQ(b.s, want, "name key of \"%s\"", in);
	kh_buf_free(&b);
}

static void
date(const char *in, kh_date want)
{
	kh_date d;
	char back[16];
	int rc;

	rc = kh_date_parse(in, &d);
	if (want == -1) {
		T_CHECK(rc == -1, "date \"%s\" refused", in);
		return;
	}
	T_CHECK(rc == 0 && d == want, "date \"%s\" is %d", in, (int)want);
	kh_date_format(d, back);
	T_STREQ(back, in, "date %d written back", (int)want);
}

/* A KHL stream, read into the index as an index stream. */
static void
load(kh_index *ix, const char *text)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	kh_err err;

	T_CHECK(kh_index_load(ix, fp, "t.khl", 0, &err) == 0, "index loads");
	fclose(fp);
}

int
main(void)
{
	kh_index *ix;
	const kh_idoc *a, *b;
	const kh_posting *p;
	const kh_citation *c;
	kh_loc loc = { 9, 8, 45 };
	size_t n;
	kh_buf key = KH_BUF_INIT;

	number_key("12/CT-UBND", "12/ct-ubnd");
	number_key("01/QĐ-UBND", "1/qđ-ubnd");
	number_key("01/Q\xc3\x90-UBND", "1/qđ-ubnd");		/* Ð U+00D0 */
	number_key("1/QĐ\xe2\x80\x93UBND", "1/qđ-ubnd");	/* en dash */
	number_key("01 / QĐ - UBND", "1/qđ-ubnd");
	number_key("0/QĐ-UBND", "0/qđ-ubnd");
	number_key("04-NQ/TU", "4-nq/tu");
	number_key("91/2017/NĐ-CP", "91/2017/nđ-cp");
	number_key("/KH-SXD", NULL);
	number_key("", NULL);

	name_key("Luật Thi đua, khen thưởng", "luật thi đua khen thưởng");
	name_key("LUẬT THI ĐUA - KHEN THƯỞNG", "luật thi đua khen thưởng");
	/* NFD, and the tone of "hòa" placed either way. */
	name_key("Lua\xcc\xa3\xcc\x82t  Ho\xc3\xa0 gia\xcc\x89i",
	    "luật hoà giải");
	name_key("Luật Hòa giải", "luật hoà giải");
	name_key(" (Luật) ", "luật");

	date("2021-12-29", 20211229);
	date("2022-01-__", 20220100);
	date("2022-__-__", 20220000);
	date("2022-13-01", -1);
	date("2022-__-05", -1);
	date("29/12/2021", -1);
	date("2022-1-5", -1);

	ix = kh_index_new(KH_INDEX_DOCREC);
	load(ix, "#khl 1\n"
	    "doc\ta.docx\t-\tdocx\t10\tab\n"
	    "meta\ta.docx\t3\tnumber\t01/QĐ-UBND\n"
	    "meta\ta.docx\t6\tdate\t2021-01-05\n"
	    "doc\tb.docx\t-\tdocx\t11\tcd\n"
	    "meta\tb.docx\t3\tnumber\t1/QÐ-UBND\n"
	    "meta\tb.docx\t6\tdate\tnot a date\n"
	    "para\tb.docx\t9\tbody\t\t\ttext\n"
	    "doc\tl.docx\t-\tdocx\t12\tef\n"
	    "meta\tl.docx\t7\ttitle\tLUẬT\n"
	    "meta\tl.docx\t8\tsubject\tThi đua, khen thưởng\n");
	kh_index_finish(ix);
	T_CHECK(kh_index_count(ix) == 3, "three documents");
	a = kh_index_doc(ix, "a.docx");
	b = kh_index_doc(ix, "b.docx");
	T_CHECK(a != NULL && a->date == 20210105, "a's date");
	T_CHECK(b != NULL && b->date == 0, "a bad date is no date");
	T_STREQ(b != NULL ? b->docrec : NULL, "docx\t11\tcd",
	    "doc record kept");
	kh_number_key("01/QĐ-UBND", strlen("01/QĐ-UBND"), &key);
	n = kh_index_find(ix, KH_BY_NUMBER, key.s, &p);
	T_CHECK(n == 2 && p[0].doc == a && p[1].doc == b,
	    "a and b have the number, in the order they came");
	T_CHECK(n == 2 && p[0].date == 20210105 && !p[0].catalog,
	    "a posting has the date");
	n = kh_index_find(ix, KH_BY_NAME, "luật thi đua khen thưởng", &p);
	T_CHECK(n == 1 && p[0].doc == kh_index_doc(ix, "l.docx"),
	    "a law by its name");
	T_CHECK(kh_index_find(ix, KH_BY_NUMBER, "2/qđ-ubnd", &p) == 0 &&
	    p == NULL, "an unknown number");

	kh_index_cite(ix, a, b, &loc, "01/QĐ-UBND");
	loc.para = 3;
	kh_index_cite(ix, a, b, &loc, "01/QĐ-UBND");
	kh_index_cite(ix, b, a, &loc, "1/QĐ-UBND");
	n = kh_index_citedby(ix, a, &c);
	T_CHECK(n == 2 && c[0].loc.para == 3 && c[1].loc.para == 9 &&
	    c[0].citing == b, "a is cited twice by b, in order of location");
	n = kh_index_citedby(ix, kh_index_doc(ix, "l.docx"), &c);
	T_CHECK(n == 0, "the law is not cited");
	kh_buf_free(&key);
	kh_index_free(ix);
	return t_done();
}
