/* Unit tests of lib/text.c: UTF-8 checks, NFC and the matching fold. */
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "text.h"
#include "t.h"

static char *
fold(const char *s)
{
	size_t n;

	return kh_fold(s, strlen(s), &n);
}

static void
same_fold(const char *a, const char *b)
{
	char *fa = fold(a), *fb = fold(b);

	T_STREQ(fa, fb, "fold(%s) = fold(%s)", a, b);
	free(fa);
	free(fb);
}

static void
fold_is(const char *s, const char *want)
{
	char *f = fold(s);

	T_STREQ(f, want, "fold(%s)", s);
	T_CHECK(kh_utf8_count(f, strlen(f)) == kh_utf8_count(s, strlen(s)),
	    "fold(%s) keeps the code point count", s);
	free(f);
}

int
main(void)
{
	char buf[256], *p;
	size_t n;

	/* Validation. */
	T_CHECK(kh_utf8_check("Số", 4) == 4, "valid UTF-8 accepted");
	T_CHECK(kh_utf8_check("a\xc0\xaf", 3) == 1, "overlong refused at its offset");
	T_CHECK(kh_utf8_check("ab\xed\xa0\x80", 5) == 2, "surrogate refused");
	T_CHECK(kh_utf8_check("abc\xe1\xbb", 5) == 3, "truncated sequence refused");
	T_CHECK(kh_utf8_check("a\0b", 3) == 1, "NUL refused");
	T_CHECK(kh_utf8_check("\xf4\x90\x80\x80", 4) == 0, "past U+10FFFF refused");
	T_CHECK(kh_utf8_count("Số 12", strlen("Số 12")) == 5, "code points counted");
	T_CHECK(kh_utf8_offset("Số 12", strlen("Số 12"), 2) == 4, "offset of a code point");

	/* NFC. */
	p = kh_nfc("So\xcc\x82\xcc\x81", 6, &n);	/* S o + circumflex + acute */
	T_STREQ(p, "Số", "NFD composed to NFC");
	free(p);
	p = kh_nfc("plain", 5, &n);
	T_STREQ(p, "plain", "ASCII unchanged");
	free(p);
	T_CHECK(kh_nfc("\xff", 1, &n) == NULL, "NFC refuses invalid UTF-8");

	/* The fold. */
	same_fold("hoà", "hòa");
	same_fold("Hoà", "hòa");
	same_fold("uỷ ban", "ủy ban");
	same_fold("thuý", "thúy");
	same_fold("hoè", "hòe");
	same_fold("quý", "qúy");
	fold_is("hoàn", "hoàn");
	fold_is("Hòa", "hoà");
	same_fold("CỘNG HOÀ", "cộng hòa");
	same_fold("QÐ-UBND", "qđ-ubnd");
	same_fold("12\xe2\x80\x93" "CT", "12-CT");	/* en dash */
	same_fold("12\xe2\x88\x92" "CT", "12-CT");	/* minus sign */
	same_fold("a\xc2\xa0" "b", "a b");		/* no-break space */
	fold_is("Quyết Định", "quyết định");
	fold_is("ĐẢNG", "đảng");
	fold_is("", "");
	fold_is("12/CT-UBND ngày 29/12/2021", "12/ct-ubnd ngày 29/12/2021");
	{
		char *a = fold("về"), *b = fold("vẻ");

		T_CHECK(strcmp(a, b) != 0, "different tones stay different");
		free(a);
		free(b);
	}

	/* Safe display. */
	T_STREQ(kh_safe("a\x1b[31mb", buf, sizeof(buf)), "a\\x1B[31mb", "escape shown");
	T_STREQ(kh_safe("Số\n", buf, sizeof(buf)), "Số\\x0A", "newline shown");
	T_STREQ(kh_safe("x\xff", buf, sizeof(buf)), "x\\xFF", "bad byte shown");
	T_STREQ(kh_safe("abcdef", buf, 4), "abc", "cut to fit");
	return t_done();
}
