/*
 * cite.c: citations of other documents, as ref records (khvocab(5) tells
 * the forms).
 *
 * Patterns are built at run time from the vocabulary and matched with pcre2
 * on the kh_fold of the paragraph, whose code point i stands for code point
 * i of the text, so a match gives columns of the text directly.  Case is
 * folded away there, so where case matters (a law's capital, a symbol's
 * segment after a stray space) the text itself is looked at.
 *
 * One unanchored pattern finds where a type name, an abbreviation or a law's
 * name starts; everything after it is read with anchored patterns and loops
 * of bounded length, and the scan goes on past what was read, so the work is
 * linear in the paragraph's length.  pcre2 is given a window of the text,
 * never the rest of it: without JIT it checks the UTF-8 of all it is given
 * at every call, which over the whole rest would be quadratic.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>

#include "kh.h"
#include "recog.h"
#include "text.h"
#include "vocab.h"

/*
 * Valgrind cannot follow JIT-compiled code and reports its every read as
 * uninitialised; under it the interpreter does the same work, slower.
 */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND()	RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND()	0
#endif

/*
 * The patterns here have no nested unbounded repeats, so these limits are
 * hit only by a vocabulary gone wrong; a hit is an error, never "no match".
 */
#define MATCH_LIMIT	1000000
#define DEPTH_LIMIT	10000

#define ISSUER_WORDS	16	/* words of an issuer read at most */
#define NAME_WORDS	12	/* words of a law's name found by rule */
#define WORD_MAX	40	/* code points of a word in a name */
#define PAREN_MAX	40	/* code points of "(Khóa XII)" after an issuer */
#define FIXED_WIN	512	/* code points the fixed patterns can span, and more */
#define SCAN_WIN	4096	/* the first window of the scan */

enum {
	P_SCAN,		/* where a type name or law starts */
	P_AT,		/* the same, anchored */
	P_NUM,		/* [số] SYMBOL after a type name */
	P_BARE,		/* [số] SYMBOL further in a list */
	P_SYM,		/* SYMBOL alone */
	P_DATE,		/* [,] ngày DATE */
	P_YEAR,		/* năm YYYY after a law's name */
	P_OF,		/* [,] của, before the issuer */
	P_SEP,		/* ", ", " và ": between the items of a list */
	P_OWN,		/* "Số:" opening the document's own number line */
	P_ATTACH,	/* "(Kèm theo" opening an appendix line */
	NPAT
};

/* Spaces inside a symbol ("12 / CT-UBND") and its segments. */
#define SP	"[ ]{0,2}"
#define SEG	"\\p{L}[\\p{L}\\p{M}\\p{N}]{0,19}"
#define SYM \
	"(?<sym>(?<n>[0-9]{1,6})" \
	"(?:" SP "/" SP "(?<y>[0-9]{4})" SP "/" "|" SP "/" \
	"|" SP "-" SP "(?<p>" SEG ")" SP "/)" \
	SP "(?<c>" SEG ")(?:" SP "-" SP SEG "){0,6})(?![\\p{L}\\p{N}])"
#define NOTWORD	"(?![\\p{L}\\p{N}])"

static const char *const fixed[NPAT] = {
	[P_NUM] = "(?:\\s{1,4}số" NOTWORD "\\.?(?:[ ]{0,3}:)?)?\\s{0,4}" SYM,
	[P_BARE] = "(?:số" NOTWORD "\\.?(?:[ ]{0,3}:)?\\s{0,4})?" SYM,
	[P_SYM] = SYM,
	[P_DATE] = "[ ]{0,4},?\\s{0,4}ngày\\s{0,4}"
	    "(?:(?<d>[0-9]{1,2})[ ]{0,2}(?<s>[/.\\-])[ ]{0,2}(?<m>[0-9]{1,2})"
	    "[ ]{0,2}\\k<s>[ ]{0,2}(?<y>[0-9]{4})"
	    "|(?<d2>[0-9]{1,2})\\s{1,4}tháng\\s{1,4}(?<m2>[0-9]{1,2})"
	    "\\s{1,4}năm\\s{1,4}(?<y2>[0-9]{4}))" NOTWORD,
	[P_YEAR] = "\\s{1,4}năm\\s{1,4}[0-9]{4}" NOTWORD,
	[P_OF] = "[ ]{0,4},?\\s{0,4}của\\s{1,4}",
	[P_SEP] = "\\s{0,4}(?:,\\s{0,4}(?:(?:và|hoặc)\\s{1,4})?"
	    "|\\s{1,4}(?:và|hoặc)\\s{1,4})",
	[P_OWN] = "\\s{0,8}số\\s{0,4}:",
};

/*
 * The levels of local government.  Written in small letters after a body's
 * name ("UBND tỉnh", "Ủy ban nhân dân thành phố") a level is followed only
 * by the place's name, every word of which is capitalized, so a small word
 * after it begins the rest of the sentence.  "Trung ương" is no such level:
 * the names after it ("Trung ương Hội Nông dân") are a body's, written with
 * small letters after their first word.
 */
static const char *const levels[] = {
	"tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường",
	"thị trấn",
};
#define NLEVELS	(sizeof(levels) / sizeof(levels[0]))

/* One document cited, while its list is read. */
struct item {
	size_t			 start, end;	/* TEXT: code points [start, end) */
	const struct kh_vtype	*type;
	const char		*kind;		/* from the symbol; NULL: the type's */
	int			 bare;		/* a number carrying the type before */
	kh_buf			 number;
	char			 date[32];	/* ISO, or "" */
	int			 dated;		/* a date was written, possible or not */
	int			 dbad;
	size_t			 dstart, dend;	/* the date as written */
	size_t			 istart, iend;	/* the issuer; empty when equal */
	size_t			 after;		/* where the item's words end */
};

struct kh_citer {
	const kh_vocab		*v;
	pcre2_code		*re[NPAT];
	size_t			 win[NPAT];	/* more than a match can span */
	pcre2_match_data	*md;
	pcre2_match_context	*mc;
	kh_err			*err;

	/* The paragraph: text, its fold, and the code point maps of both. */
	const char		*text;
	char			*fold;
	size_t			 flen;
	size_t			 n;		/* code points */
	int32_t			*ocp, *fcp;
	size_t			*obyte, *fbyte;	/* byte offset of each code point */
	size_t			*fcol;		/* code point of each fold byte */
	size_t			 ncap, fcap;

	char			*khoa, *term;	/* folded "khóa", "nhiệm kỳ" */
	char			*levels[NLEVELS];	/* folded, of levels[] */

	struct item		*items;
	size_t			 nitems, icap;
	kh_buf			 tbuf, ibuf, mbuf;
};

static void
add_escaped(kh_buf *b, const char *s, int commas)
{
	for (; *s != '\0'; s++) {
		if (*s == ' ')
			kh_buf_adds(b, "\\s{1,4}");
		else if (commas && *s == ',' && s[1] == ' ') {
			/* A comma of a law's name may be left out. */
			kh_buf_adds(b, "\\s{0,3},?\\s{1,4}");
			s++;
		} else if ((unsigned char)*s < 0x80 &&
		    !(*s >= 'a' && *s <= 'z') && !(*s >= '0' && *s <= '9')) {
			kh_buf_addc(b, '\\');
			kh_buf_addc(b, *s);
		} else
			kh_buf_addc(b, *s);
	}
}

struct alt {
	const char	*fold;
	char		 mark;
	size_t		 index;
};

/* Longer first, so "thông tư liên tịch" wins over "thông tư". */
static int
alt_cmp(const void *a, const void *b)
{
	const struct alt *x = a, *y = b;
	size_t lx = strlen(x->fold), ly = strlen(y->fold);

	if (lx != ly)
		return lx < ly ? 1 : -1;
	if (x->mark != y->mark)
		return x->mark < y->mark ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * The alternation of every law, type name and abbreviation, with marks.
 * Returns the byte length of the longest.
 */
static size_t
build_scan(const kh_vocab *v, kh_buf *b)
{
	struct alt *a;
	size_t i, n = 0, longest;

	a = kh_xreallocarray(NULL, v->nlaws + v->ntypes + v->nabbrs + 1,
	    sizeof(*a));
	for (i = 0; i < v->nlaws; i++)
		a[n++] = (struct alt){ v->laws[i].fold, 'l', i };
	for (i = 0; i < v->ntypes; i++)
		a[n++] = (struct alt){ v->types[i].fold, 't', i };
	for (i = 0; i < v->nabbrs; i++)
		a[n++] = (struct alt){ v->abbrs[i].fold, 'a', i };
	qsort(a, n, sizeof(*a), alt_cmp);
	kh_buf_adds(b, "(?<![\\p{L}\\p{N}\\-])(?:");
	for (i = 0; i < n; i++) {
		if (i > 0)
			kh_buf_addc(b, '|');
		add_escaped(b, a[i].fold, a[i].mark == 'l');
		kh_buf_printf(b, "(*MARK:%c%zu)", a[i].mark, a[i].index);
	}
	kh_buf_adds(b, ")" NOTWORD);
	longest = n > 0 ? strlen(a[0].fold) : 0;
	free(a);
	return longest;
}

/* Returns the byte length of the longest phrase. */
static size_t
build_attach(const kh_vocab *v, kh_buf *b)
{
	size_t i, longest = 0;

	if (v->nattach == 0) {
		kh_buf_adds(b, "(?!)");
		return 0;
	}
	kh_buf_adds(b, "[\\s(\\[]{0,4}(?:");
	for (i = 0; i < v->nattach; i++) {
		if (i > 0)
			kh_buf_addc(b, '|');
		add_escaped(b, v->attach[i], 0);
		if (strlen(v->attach[i]) > longest)
			longest = strlen(v->attach[i]);
	}
	kh_buf_adds(b, ")\\s{1,4}");
	return longest;
}

static pcre2_code *
compile(const char *pat, int anchored, kh_err *err)
{
	pcre2_code *re;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	int rc;

	re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_UCP |
	    (anchored ? PCRE2_ANCHORED : 0), &rc, &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(rc, msg, sizeof(msg));
		kh_err_set(err, "citation pattern: %s at offset %zu",
		    (char *)msg, (size_t)off);
		return NULL;
	}
	/* Without JIT (an unsupported machine) the interpreter serves. */
	if (!UNDER_VALGRIND())
		(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

kh_citer *
kh_citer_new(const kh_vocab *v, kh_err *err)
{
	kh_citer *c;
	kh_buf b = KH_BUF_INIT;
	size_t j;
	int i;

	c = kh_xcalloc(1, sizeof(*c));
	c->v = v;
	for (i = 0; i < NPAT; i++) {
		/*
		 * A space of a name matches up to four, a comma's up to
		 * eight; a byte is at most a code point.
		 */
		kh_buf_reset(&b);
		if (i == P_SCAN || i == P_AT)
			c->win[i] = 8 * build_scan(v, &b) + 16;
		else if (i == P_ATTACH)
			c->win[i] = 8 * build_attach(v, &b) + 16;
		else {
			kh_buf_adds(&b, fixed[i]);
			c->win[i] = FIXED_WIN;
		}
		if ((c->re[i] = compile(b.s, i != P_SCAN, err)) == NULL) {
			kh_buf_free(&b);
			kh_citer_free(c);
			return NULL;
		}
	}
	kh_buf_free(&b);
	c->khoa = kh_vocab_fold("khóa", strlen("khóa"));
	c->term = kh_vocab_fold("nhiệm kỳ", strlen("nhiệm kỳ"));
	for (j = 0; j < NLEVELS; j++)
		c->levels[j] = kh_vocab_fold(levels[j], strlen(levels[j]));
	c->md = pcre2_match_data_create(32, NULL);
	c->mc = pcre2_match_context_create(NULL);
	if (c->md == NULL || c->mc == NULL) {
		kh_err_set(err, "cannot allocate pcre2 match data");
		kh_citer_free(c);
		return NULL;
	}
	pcre2_set_match_limit(c->mc, MATCH_LIMIT);
	pcre2_set_depth_limit(c->mc, DEPTH_LIMIT);
	return c;
}

void
kh_citer_set_limit(kh_citer *c, unsigned int limit)
{
	pcre2_set_match_limit(c->mc, limit);
	pcre2_set_depth_limit(c->mc, limit);
}

void
kh_citer_free(kh_citer *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < NPAT; i++)
		pcre2_code_free(c->re[i]);
	pcre2_match_data_free(c->md);
	pcre2_match_context_free(c->mc);
	free(c->khoa);
	free(c->term);
	for (i = 0; i < NLEVELS; i++)
		free(c->levels[i]);
	free(c->fold);
	free(c->ocp);
	free(c->fcp);
	free(c->obyte);
	free(c->fbyte);
	free(c->fcol);
	for (i = 0; i < c->icap; i++)
		kh_buf_free(&c->items[i].number);
	free(c->items);
	kh_buf_free(&c->tbuf);
	kh_buf_free(&c->ibuf);
	kh_buf_free(&c->mbuf);
	free(c);
}

/* Reads the paragraph into the code point maps. */
static int
prepare(kh_citer *c, const char *text, size_t len, kh_err *err)
{
	size_t i, j, k, n;

	if (kh_utf8_check(text, len) != len) {
		kh_err_set(err, "paragraph text is not valid UTF-8");
		return -1;
	}
	free(c->fold);
	c->fold = kh_fold(text, len, &c->flen);
	c->text = text;
	n = kh_utf8_count(text, len);
	if (n + 1 > c->ncap) {
		c->ncap = n + 1;
		c->ocp = kh_xreallocarray(c->ocp, c->ncap, sizeof(*c->ocp));
		c->fcp = kh_xreallocarray(c->fcp, c->ncap, sizeof(*c->fcp));
		c->obyte = kh_xreallocarray(c->obyte, c->ncap,
		    sizeof(*c->obyte));
		c->fbyte = kh_xreallocarray(c->fbyte, c->ncap,
		    sizeof(*c->fbyte));
	}
	if (c->flen + 1 > c->fcap) {
		c->fcap = c->flen + 1;
		c->fcol = kh_xreallocarray(c->fcol, c->fcap, sizeof(*c->fcol));
	}
	i = j = 0;
	for (k = 0; k < n && j < c->flen; k++) {
		c->obyte[k] = i;
		c->fbyte[k] = j;
		c->fcol[j] = k;
		i += kh_utf8_decode(text + i, &c->ocp[k]);
		j += kh_utf8_decode(c->fold + j, &c->fcp[k]);
	}
	if (k != n || j != c->flen) {
		/* kh_fold promises one code point for one. */
		kh_err_set(err, "the fold of a paragraph changed its length");
		return -1;
	}
	c->obyte[n] = len;
	c->fbyte[n] = c->flen;
	c->fcol[c->flen] = n;
	c->ocp[n] = c->fcp[n] = 0;
	c->n = n;
	return 0;
}

/*
 * Matches pattern p at code point at, the subject ending at code point
 * end, or sooner for an anchored pattern, which cannot span its window.
 * Returns 1, 0 for no match, or -1 with c->err set.
 */
static int
match(kh_citer *c, int p, size_t at, size_t end)
{
	PCRE2_UCHAR msg[256];
	int rc;

	if (p != P_SCAN && end - at > c->win[p])
		end = at + c->win[p];
	rc = pcre2_match(c->re[p], (PCRE2_SPTR)c->fold, c->fbyte[end],
	    c->fbyte[at], 0, c->md, c->mc);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
		kh_err_set(c->err, "citation pattern hit its match limit "
		    "at column %zu", at + 1);
	else {
		pcre2_get_error_message(rc, msg, sizeof(msg));
		kh_err_set(c->err, "citation pattern at column %zu: %s",
		    at + 1, (char *)msg);
	}
	return -1;
}

/* Code points where the last match started and ended. */
static size_t
mstart(kh_citer *c)
{
	return c->fcol[pcre2_get_ovector_pointer(c->md)[0]];
}

static size_t
mend(kh_citer *c)
{
	return c->fcol[pcre2_get_ovector_pointer(c->md)[1]];
}

/* The code points of named group g of the last match of p; 0 when unset. */
static int
group(kh_citer *c, int p, const char *g, size_t *s, size_t *e)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
	int i;

	if ((i = pcre2_substring_number_from_name(c->re[p],
	    (PCRE2_SPTR)g)) < 0 || ov[2 * i] == PCRE2_UNSET)
		return 0;
	*s = c->fcol[ov[2 * i]];
	*e = c->fcol[ov[2 * i + 1]];
	return 1;
}

static int
is_upper(int32_t cp)
{
	utf8proc_category_t k = utf8proc_category(cp);

	return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LT;
}

static int
is_letter(int32_t cp)
{
	utf8proc_category_t k = utf8proc_category(cp);

	return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
	    k == UTF8PROC_CATEGORY_MN;
}

static int
is_alnum(int32_t cp)
{
	return is_letter(cp) || (cp >= '0' && cp <= '9');
}

static int
is_space(int32_t cp)
{
	return cp == ' ' || cp == '\n';
}

/* The end of the word at k: letters and digits, "TP.HCM", "Rịa-Vũng". */
static size_t
word_end(const kh_citer *c, size_t k)
{
	while (k < c->n) {
		if (is_alnum(c->fcp[k]))
			k++;
		else if ((c->fcp[k] == '.' || c->fcp[k] == '-') &&
		    k + 1 < c->n && is_alnum(c->fcp[k + 1]))
			k++;
		else
			break;
	}
	return k;
}

/* "Giao", "Về": a capital then small letters, a name's word, not a stop. */
static int
title_case(const kh_citer *c, size_t k, size_t e)
{
	if (!is_upper(c->ocp[k]))
		return 0;
	for (k++; k < e; k++)
		if (utf8proc_category(c->ocp[k]) == UTF8PROC_CATEGORY_LL)
			return 1;
	return 0;
}

/*
 * The end of folded phrase ph when it stands at code point k as whole
 * words (a space in ph standing for any run of spaces), else 0.
 */
static size_t
phrase_at(const kh_citer *c, size_t k, const char *ph)
{
	const char *f = c->fold;
	size_t b = c->fbyte[k], end = c->flen;

	while (*ph != '\0') {
		if (*ph == ' ') {
			if (b >= end || (f[b] != ' ' && f[b] != '\n'))
				return 0;
			while (b < end && (f[b] == ' ' || f[b] == '\n'))
				b++;
			ph++;
			continue;
		}
		if (b >= end || f[b] != *ph)
			return 0;
		b++;
		ph++;
	}
	k = c->fcol[b];
	if (k < c->n && is_alnum(c->fcp[k]))
		return 0;
	return k;
}

/* A stop word of the vocabulary at k, unless written as a name's word. */
static int
stop_at(const kh_citer *c, size_t k)
{
	size_t i, e;

	for (i = 0; i < c->v->nstops; i++)
		if ((e = phrase_at(c, k, c->v->stops[i])) > 0)
			return !title_case(c, k, word_end(c, k));
	return 0;
}

static int
and_at(const kh_citer *c, size_t k)
{
	return phrase_at(c, k, "và") > 0 || phrase_at(c, k, "hoặc") > 0;
}

static size_t
skip_space(const kh_citer *c, size_t k)
{
	while (k < c->n && is_space(c->fcp[k]))
		k++;
	return k;
}

/*
 * Where a segment after a separator with a stray space ("12 / CT", "CT -
 * UBND") is not in capitals, the symbol ends before that separator: " -
 * Về việc" is not part of it.  Returns that end, or 0 when all is well.
 */
static size_t
spaced_cut(const kh_citer *c, size_t s, size_t e)
{
	size_t k, j, cut;

	for (k = s; k < e; k++) {
		if (c->fcp[k] != '/' && c->fcp[k] != '-')
			continue;
		if (!(k > s && c->fcp[k - 1] == ' ') && c->fcp[k + 1] != ' ')
			continue;
		for (j = skip_space(c, k + 1); j < e && is_alnum(c->fcp[j]);
		    j++)
			if (utf8proc_category(c->ocp[j]) ==
			    UTF8PROC_CATEGORY_LL)
				break;
		if (j < e && is_alnum(c->fcp[j])) {
			cut = k;
			while (cut > s && c->fcp[cut - 1] == ' ')
				cut--;
			return cut;
		}
	}
	return 0;
}

/*
 * The symbol of the last match of p into it: checked, its code looked up,
 * normalized.  Returns 1, 0 when it does not hold up, -1 on error.
 */
static int
take_symbol(kh_citer *c, int p, struct item *it, size_t *endp)
{
	size_t s, e, cs, ce, cut, k;
	long t;
	char enc[4];
	int r;

	if (!group(c, p, "sym", &s, &e))
		return 0;
	while ((cut = spaced_cut(c, s, e)) != 0) {
		if ((r = match(c, P_SYM, s, cut)) != 1)
			return r;
		p = P_SYM;
		(void)group(c, p, "sym", &s, &e);
	}
	if (group(c, p, "p", &cs, &ce) || group(c, p, "c", &cs, &ce)) {
		t = kh_vocab_code_type(c->v, c->fold + c->fbyte[cs],
		    c->fbyte[ce] - c->fbyte[cs]);
		it->kind = t >= 0 ? c->v->types[t].code : NULL;
	}
	/* NFC already; Đ for Ð, "-" for every dash, no spaces. */
	kh_buf_reset(&it->number);
	for (k = s; k < e; k++) {
		if (c->fcp[k] == ' ')
			continue;
		if (c->fcp[k] == '-')
			kh_buf_addc(&it->number, '-');
		else if (c->ocp[k] == 0x00d0 || c->ocp[k] == 0x00f0)
			kh_buf_add(&it->number, enc, kh_utf8_encode(
			    c->ocp[k] == 0x00d0 ? 0x0110 : 0x0111, enc));
		else
			kh_buf_add(&it->number, c->text + c->obyte[k],
			    c->obyte[k + 1] - c->obyte[k]);
	}
	*endp = e;
	return 1;
}

static int
num(const kh_citer *c, size_t s, size_t e)
{
	int v = 0;

	for (; s < e; s++)
		v = v * 10 + (c->fcp[s] - '0');
	return v;
}

/* A date at code point at; *endp past it.  1, 0 or -1. */
static int
take_date(kh_citer *c, struct item *it, size_t at, size_t *endp)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	size_t ds, de, ms, me, ys, ye;
	int r, d, m, y;

	if ((r = match(c, P_DATE, at, c->n)) != 1)
		return r;
	*endp = mend(c);
	if (!group(c, P_DATE, "d", &ds, &de)) {
		(void)group(c, P_DATE, "d2", &ds, &de);
		(void)group(c, P_DATE, "m2", &ms, &me);
		(void)group(c, P_DATE, "y2", &ys, &ye);
	} else {
		(void)group(c, P_DATE, "m", &ms, &me);
		(void)group(c, P_DATE, "y", &ys, &ye);
	}
	d = num(c, ds, de);
	m = num(c, ms, me);
	y = num(c, ys, ye);
	it->dated = 1;
	it->dstart = ds;
	it->dend = ye;
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || y < 1000 ||
	    (m == 2 && d == 29 &&
	    !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))) {
		it->dbad = 1;
		it->date[0] = '\0';
	} else
		snprintf(it->date, sizeof(it->date), "%04d-%02d-%02d", y, m, d);
	return 1;
}

/* A known agency at k: its end, else 0.  The longest wins. */
static size_t
agency_at(const kh_citer *c, size_t k)
{
	size_t i, e, best = 0;

	for (i = 0; i < c->v->nagencies; i++)
		if ((e = phrase_at(c, k, c->v->agencies[i])) > best)
			best = e;
	return best;
}

/*
 * A note in parentheses after an issuer, "(Khóa XII)", "(khóa XIII)",
 * belongs to it; "(sau đây gọi là ...)" does not.  Returns the issuer's
 * end, past the note when it belongs.
 */
static size_t
paren_end(const kh_citer *c, size_t j, size_t end)
{
	size_t e, k = skip_space(c, j + 1);

	if (k >= c->n || !(is_upper(c->ocp[k]) ||
	    phrase_at(c, k, c->khoa) > 0 || phrase_at(c, k, c->term) > 0))
		return end;
	for (e = k; e < c->n && e < j + PAREN_MAX; e++)
		if (c->fcp[e] == ')' || c->fcp[e] == '(' ||
		    c->fcp[e] == ';' || c->fcp[e] == '\n')
			break;
	return e < c->n && c->fcp[e] == ')' ? e + 1 : end;
}

/* A level written in small letters at k: its end, else 0. */
static size_t
level_at(const kh_citer *c, size_t k)
{
	size_t i, e;

	if (!is_letter(c->ocp[k]) || is_upper(c->ocp[k]))
		return 0;
	for (i = 0; i < NLEVELS; i++)
		if ((e = phrase_at(c, k, c->levels[i])) > 0)
			return e;
	return 0;
}

/*
 * "của Chủ tịch UBND tỉnh": the issuer runs from a capital to a stop word,
 * punctuation, a symbol, or the next citation; "(Khóa XII)" right after it
 * belongs to it, and so does "và" before a capitalized name ("Bộ Chính trị
 * và Ban Bí thư").  After a level ("UBND tỉnh còn chậm") a word in small
 * letters ends it too, unless it opens a note ("khóa IX", "nhiệm kỳ
 * 2021-2026") or a listed agency.  1 (found or not), or -1.
 */
static int
take_issuer(kh_citer *c, struct item *it, size_t at)
{
	size_t k, j, e, start, end;
	int r, words = 0, placed = 0;

	if ((r = match(c, P_OF, at, c->n)) != 1)
		return r;
	start = end = k = mend(c);
	while (words < ISSUER_WORDS) {
		j = skip_space(c, k);
		if (j >= c->n)
			break;
		if (c->fcp[j] == '(' && words > 0) {
			end = paren_end(c, j, end);
			break;
		}
		if (c->fcp[j] == '-' && words > 0 && j > k &&
		    is_space(c->fcp[j + 1])) {
			/* "Hội đồng Thi đua - Khen thưởng" */
			e = skip_space(c, j + 1);
			if (e < c->n && is_upper(c->ocp[e])) {
				k = e;
				continue;
			}
			break;
		}
		if (!is_alnum(c->fcp[j]) || (words > 0 && j == k))
			break;
		if ((e = agency_at(c, j)) > 0) {
			words++;
			end = k = e;
			continue;
		}
		if (words == 0 && !is_upper(c->ocp[j]))
			break;
		if (stop_at(c, j))
			break;
		if (and_at(c, j)) {
			e = skip_space(c, word_end(c, j));
			if (e >= c->n || e == word_end(c, j) ||
			    !is_upper(c->ocp[e]) || stop_at(c, e))
				break;
			if ((r = match(c, P_AT, e, c->n)) != 0) {
				if (r < 0)
					return -1;
				break;
			}
			/* The next body's name is its own, levels and all. */
			k = word_end(c, j);
			placed = 0;
			continue;
		}
		if (words > 0 && (e = level_at(c, j)) > 0) {
			words++;
			end = k = e;
			placed = 1;
			continue;
		}
		if (placed && is_letter(c->ocp[j]) && !is_upper(c->ocp[j])) {
			if ((e = phrase_at(c, j, c->khoa)) == 0 &&
			    (e = phrase_at(c, j, c->term)) == 0)
				break;
			words++;
			end = k = e;
			continue;
		}
		e = word_end(c, j);
		if (e - j > WORD_MAX || (e < c->n && c->fcp[e] == '/'))
			break;
		words++;
		end = k = e;
		/* "UBND TP. Hồ Chí Minh" */
		if (e + 2 < c->n && c->fcp[e] == '.' && e - j <= 3 &&
		    is_upper(c->ocp[j]) && c->fcp[e + 1] == ' ' &&
		    is_upper(c->ocp[e + 2]))
			k = e + 1;
	}
	it->istart = start;
	it->iend = end;
	return 1;
}

/*
 * A law's name found by rule after its type word, which ends at k: words
 * from a capital up to a stop word, "và", punctuation, a digit, or
 * NAME_WORDS words.  Returns the end and sets *words.
 */
static size_t
law_name(const kh_citer *c, size_t k, int *words)
{
	size_t j, e, end = k;

	*words = 0;
	while (*words < NAME_WORDS) {
		if (k >= c->n || !is_space(c->fcp[k]))
			break;
		j = skip_space(c, k);
		if (j >= c->n || !is_letter(c->fcp[j]))
			break;
		if (*words == 0 && !is_upper(c->ocp[j]))
			break;
		if (stop_at(c, j) || and_at(c, j))
			break;
		for (e = j; e < c->n && is_letter(c->fcp[e]); e++)
			;
		if (e - j > WORD_MAX || (e < c->n && is_alnum(c->fcp[e])))
			break;
		(*words)++;
		end = k = e;
	}
	return end;
}

/* What may follow any item: a date, an issuer, a date after the issuer. */
static int
item_tail(kh_citer *c, struct item *it)
{
	size_t e;
	int r;

	if ((r = take_date(c, it, it->end, &e)) < 0)
		return -1;
	if (r == 1)
		it->end = e;
	it->after = it->end;
	if (take_issuer(c, it, it->end) < 0)
		return -1;
	if (it->iend > it->istart) {
		it->after = it->iend;
		/* "... của UBND tỉnh ngày 12/3/2021": the date, not the span. */
		if (!it->dated) {
			if ((r = take_date(c, it, it->iend, &e)) < 0)
				return -1;
			if (r == 1)
				it->after = e;
		}
	}
	if (it->kind == NULL)
		it->kind = it->type->kind;
	return 1;
}

/*
 * A law cited by name: the name (known, or by rule), then "năm 2013",
 * "số 06/2022/QH15", the date and issuer as for any citation.
 */
static int
by_name(kh_citer *c, struct item *it, size_t k, int known)
{
	size_t e;
	int r, words = known, year = 0;

	if (!known)
		k = law_name(c, k, &words);
	if ((r = match(c, P_YEAR, k, c->n)) < 0)
		return -1;
	if (r == 1) {
		k = mend(c);
		year = 1;
	}
	if ((r = match(c, P_NUM, k, c->n)) < 0)
		return -1;
	if (r == 1) {
		if ((r = take_symbol(c, P_NUM, it, &e)) < 0)
			return -1;
		if (r == 1)
			k = e;
	}
	if (words == 0 && !year && r != 1)
		return 0;
	it->end = k;
	return item_tail(c, it);
}

/*
 * One item of a list at code point pos: a type name (or abbreviation, or
 * law) and what follows, or with carried set a bare number taking the
 * type of the item before.  1, 0 or -1.
 */
static int
parse_item(kh_citer *c, size_t pos, const struct kh_vtype *carried,
    struct item *it)
{
	const kh_vocab *v = c->v;
	const char *mark;
	size_t me, e, idx;
	int r;

	it->start = pos;
	it->kind = NULL;
	it->bare = carried != NULL;
	it->date[0] = '\0';
	it->dated = it->dbad = 0;
	it->istart = it->iend = 0;
	kh_buf_reset(&it->number);
	if (carried != NULL) {
		if ((r = match(c, P_BARE, pos, c->n)) != 1)
			return r;
		it->type = carried;
		if ((r = take_symbol(c, P_BARE, it, &it->end)) != 1)
			return r;
		return item_tail(c, it);
	}
	if ((r = match(c, P_AT, pos, c->n)) != 1)
		return r;
	me = mend(c);
	mark = (const char *)pcre2_get_mark(c->md);
	if (mark == NULL)
		return 0;
	idx = strtoul(mark + 1, NULL, 10);
	switch (mark[0]) {
	case 'l':
		it->type = &v->types[v->laws[idx].type];
		/* "pháp luật đất đai" is no citation of Luật Đất đai. */
		if (!is_upper(c->ocp[pos]))
			return 0;
		return by_name(c, it, me, 1);
	case 'a':
		it->type = &v->types[v->abbrs[idx].type];
		break;
	default:
		it->type = &v->types[idx];
		break;
	}
	if ((r = match(c, P_NUM, me, c->n)) < 0)
		return -1;
	if (r == 1 && (r = take_symbol(c, P_NUM, it, &e)) < 0)
		return -1;
	if (r == 1) {
		it->end = e;
		return item_tail(c, it);
	}
	if (mark[0] == 't' && it->type->byname && is_upper(c->ocp[pos]))
		return by_name(c, it, me, 0);
	return 0;
}

static struct item *
next_item(kh_citer *c)
{
	if (c->nitems == c->icap) {
		c->items = kh_xreallocarray(c->items, c->icap + 8,
		    sizeof(*c->items));
		memset(c->items + c->icap, 0, 8 * sizeof(*c->items));
		c->icap += 8;
	}
	return &c->items[c->nitems];
}

/*
 * The items of a list starting at pos, sharing the issuer written after
 * the last; *endp gets where the list's words end.  1, 0 or -1.
 */
static int
parse_list(kh_citer *c, size_t pos, size_t *endp)
{
	const struct kh_vtype *carried = NULL;
	struct item *it;
	size_t i, j, k, q;
	int r;

	c->nitems = 0;
	for (;;) {
		it = next_item(c);
		if ((r = parse_item(c, pos, carried, it)) < 0)
			return -1;
		if (r == 0)
			break;
		c->nitems++;
		*endp = it->after;
		if (it->iend > it->istart)
			break;
		if ((r = match(c, P_SEP, it->end, c->n)) < 0)
			return -1;
		if (r == 0)
			break;
		q = mend(c);
		/* The next item names its type, or carries this one's. */
		if ((r = match(c, P_AT, q, c->n)) < 0)
			return -1;
		carried = r == 1 ? NULL : it->type;
		pos = q;
	}
	if (c->nitems == 0)
		return 0;
	/*
	 * A law, a code, an ordinance or the constitution (a type cited by
	 * name) is the legislature's: "Luật Thi đua, khen thưởng, Nghị định
	 * số 91/2017/NĐ-CP của Chính phủ" gives the decree's issuer to the
	 * decree alone.
	 */
	it = &c->items[c->nitems - 1];
	for (i = 0; i + 1 < c->nitems; i++)
		if (c->items[i].iend == c->items[i].istart &&
		    !c->items[i].type->byname) {
			c->items[i].istart = it->istart;
			c->items[i].iend = it->iend;
		}
	/*
	 * "các Quyết định số 01/QĐ-UBND và 02/QĐ-UBND ngày 08/01/2022": the
	 * date after bare numbers sharing a type name is theirs all.
	 */
	for (i = 0; i < c->nitems; i = j) {
		for (j = i + 1; j < c->nitems && c->items[j].bare; j++)
			;
		if (j - i > 1 && c->items[j - 1].date[0] != '\0')
			for (k = i; k < j - 1; k++)
				if (!c->items[k].dated)
					memcpy(c->items[k].date,
					    c->items[j - 1].date,
					    sizeof(c->items[k].date));
	}
	return 1;
}

static const char *
span(kh_citer *c, kh_buf *b, size_t s, size_t e)
{
	kh_buf_reset(b);
	kh_buf_add(b, c->text + c->obyte[s], c->obyte[e] - c->obyte[s]);
	return b->s;
}

static void
emit(kh_citer *c, const kh_para *para, const struct item *it, int attached,
    const kh_sink *sink)
{
	kh_loc loc;
	const char *number = it->number.s != NULL ? it->number.s : "";

	loc.para = para->index;
	if (attached) {
		if (number[0] != '\0') {
			loc.col = loc.end = 0;
			KH_EMIT(sink, "meta", &loc, "attached-to", number);
		}
	} else {
		loc.col = (long)it->start + 1;
		loc.end = (long)it->end + 1;
		KH_EMIT(sink, "ref", &loc, it->kind, number, it->date,
		    span(c, &c->ibuf, it->istart, it->iend),
		    span(c, &c->tbuf, it->start, it->end));
	}
	if (it->dbad) {
		loc.col = (long)it->dstart + 1;
		loc.end = (long)it->dend + 1;
		kh_buf_reset(&c->mbuf);
		kh_buf_printf(&c->mbuf, "impossible date %s in a citation",
		    span(c, &c->tbuf, it->dstart, it->dend));
		KH_EMIT(sink, "diag", &loc, "warning", "impossible-date",
		    c->mbuf.s);
	}
}

int
kh_cite_para(kh_citer *c, const kh_para *para, const char *text, size_t len,
    const kh_sink *sink, kh_err *err)
{
	size_t pos, ms, end = 0, attach = SIZE_MAX, i, w, wend;
	int r;

	c->err = err;
	if (prepare(c, text, len, err) < 0)
		return -1;
	/* The document's own "Số: 15/KH-SXD" cites nothing. */
	if ((r = match(c, P_OWN, 0, c->n)) != 0)
		return r < 0 ? -1 : 0;
	if ((r = match(c, P_ATTACH, 0, c->n)) < 0)
		return -1;
	if (r == 1)
		attach = mend(c);
	pos = 0;
	w = SCAN_WIN;
	while (pos < c->n) {
		wend = c->n - pos > w ? pos + w : c->n;
		if ((r = match(c, P_SCAN, pos, wend)) < 0)
			return -1;
		/*
		 * A match is sure when it and the character after it lie
		 * inside the window, so every earlier start was seen whole
		 * too; else the window grows, and leaves behind only what
		 * it has seen whole.
		 */
		if (r == 0 || (wend < c->n &&
		    mstart(c) + c->win[P_SCAN] >= wend)) {
			if (wend == c->n)
				break;
			if (r == 0 && wend - pos > c->win[P_SCAN])
				pos = wend - c->win[P_SCAN];
			w *= 2;
			continue;
		}
		w = SCAN_WIN;
		ms = mstart(c);
		pos = mend(c);
		if ((r = parse_list(c, ms, &end)) < 0)
			return -1;
		if (r == 0)
			continue;
		for (i = 0; i < c->nitems; i++)
			emit(c, para, &c->items[i], ms == attach, sink);
		pos = end;
	}
	return 0;
}
