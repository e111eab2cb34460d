/*
 * text.c: UTF-8, NFC and the matching fold.
 *
 * Normalization is utf8proc's; this file only adds what Vietnamese text
 * needs on top of it: a fold that makes "hoà" and "hòa" (tone mark on
 * another vowel of the same word), Ð and Đ, and the many dashes and spaces
 * compare equal, while keeping one code point for one code point so that a
 * match found in the fold has the same columns in the original.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kh.h"
#include "text.h"

/* Length of the valid UTF-8 sequence (not NUL) at s, or 0. */
static size_t
seq_len(const unsigned char *s, size_t len)
{
	size_t n, k;
	uint32_t cp, min;

	if (s[0] < 0x80)
		return s[0] != 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 1;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 2;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 3;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (len <= n)
		return 0;
	for (k = 1; k <= n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n + 1;
}

size_t
kh_utf8_check(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	while (i < len) {
		/* ASCII runs are the common case. */
		if (s[i] < 0x80 && s[i] != 0) {
			i++;
			continue;
		}
		if ((n = seq_len(s + i, len - i)) == 0)
			return i;
		i += n;
	}
	return len;
}

size_t
kh_utf8_decode(const char *str, int32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xe0) {
		*cp = ((s[0] & 0x1f) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] < 0xf0) {
		*cp = ((s[0] & 0x0f) << 12) | ((s[1] & 0x3f) << 6) |
		    (s[2] & 0x3f);
		return 3;
	}
	*cp = ((s[0] & 0x07) << 18) | ((s[1] & 0x3f) << 12) |
	    ((s[2] & 0x3f) << 6) | (s[3] & 0x3f);
	return 4;
}

size_t
kh_utf8_encode(int32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = 0xc0 | (cp >> 6);
		o[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = 0xe0 | (cp >> 12);
		o[1] = 0x80 | ((cp >> 6) & 0x3f);
		o[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	o[0] = 0xf0 | (cp >> 18);
	o[1] = 0x80 | ((cp >> 12) & 0x3f);
	o[2] = 0x80 | ((cp >> 6) & 0x3f);
	o[3] = 0x80 | (cp & 0x3f);
	return 4;
}

size_t
kh_utf8_count(const char *s, size_t len)
{
	size_t i, n = 0;

	/* Count the bytes that start a code point. */
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

size_t
kh_utf8_offset(const char *s, size_t len, size_t cp)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (cp == 0)
				return i;
			cp--;
		}
	}
	return len;
}

char *
kh_nfc(const char *s, size_t len, size_t *outlen)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n;
	size_t i;

	if (kh_utf8_check(s, len) != len)
		return NULL;
	/*
	 * Text without a combining mark is already NFC when every character
	 * is below U+0300, a precomposed letter of Latin Extended Additional
	 * (the Vietnamese letters), or common punctuation: none of these is a
	 * singleton or composes with what follows it.  Most text is so, and
	 * skips utf8proc.
	 */
	for (i = 0; i < len;) {
		int32_t cp;

		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		i += kh_utf8_decode(s + i, &cp);
		if (cp < 0x300 || (cp >= 0x1e00 && cp <= 0x1eff) ||
		    (cp >= 0x2010 && cp <= 0x2027) ||
		    (cp >= 0x2030 && cp <= 0x205e))
			continue;
		break;
	}
	if (i == len) {
		*outlen = len;
		return kh_xstrndup(s, len);
	}
	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
	    &dst, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0) {
		if (n == UTF8PROC_ERROR_NOMEM) {
			/* Keep the promise of kh_x*: exhaustion is not bad input. */
			kh_xmalloc(SIZE_MAX);
		}
		return NULL;
	}
	*outlen = (size_t)n;
	return (char *)dst;
}

/*
 * Vietnamese vowels: the 12 letters that can carry a tone, each with the 6
 * tones (none, grave, acute, hook above, tilde, dot below), as lower-case
 * code points.  Built once from utf8proc's composition, so no table of
 * precomposed letters is written by hand.
 */
static const int32_t vowel_base[12] = {
	'a', 0x0103, 0x00e2, 'e', 0x00ea, 'i', 'o', 0x00f4, 0x01a1, 'u',
	0x01b0, 'y'
};
static const int32_t tone_mark[6] = { 0, 0x0300, 0x0301, 0x0309, 0x0303,
    0x0323 };

struct vowel {
	int32_t	cp;
	int	base;	/* index into vowel_base */
	int	tone;	/* index into tone_mark */
};

static struct vowel vowels[72];
static int32_t toned[12][6];
static int nvowels;

static int
vowel_cmp(const void *a, const void *b)
{
	const struct vowel *x = a, *y = b;

	return (x->cp > y->cp) - (x->cp < y->cp);
}

static void
vowels_init(void)
{
	utf8proc_int32_t buf[2];
	int b, t;

	if (nvowels > 0)
		return;
	for (b = 0; b < 12; b++) {
		for (t = 0; t < 6; t++) {
			buf[0] = vowel_base[b];
			buf[1] = tone_mark[t];
			if (t > 0 && utf8proc_normalize_utf32(buf, 2,
			    UTF8PROC_STABLE | UTF8PROC_COMPOSE) != 1)
				buf[0] = -1;	/* cannot happen in Unicode */
			toned[b][t] = buf[0];
			vowels[nvowels].cp = buf[0];
			vowels[nvowels].base = b;
			vowels[nvowels].tone = t;
			nvowels++;
		}
	}
	qsort(vowels, nvowels, sizeof(vowels[0]), vowel_cmp);
}

static const struct vowel *
vowel_find(int32_t cp)
{
	struct vowel key;

	key.cp = cp;
	return bsearch(&key, vowels, nvowels, sizeof(vowels[0]), vowel_cmp);
}

static int32_t
fold_char(int32_t cp)
{
	if (cp == 0x00d0 || cp == 0x00f0)	/* Ð ð, look-alikes of Đ đ */
		return 0x0111;
	if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212)
		return '-';
	if (cp == 0x00a0 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f ||
	    cp == 0x205f || cp == 0x3000)
		return ' ';
	return utf8proc_tolower(cp);
}

/*
 * Old and new spelling differ only where a word ends in "oa", "oe" or "uy":
 * "hòa"/"hoà", "hòe"/"hoè", "thúy"/"thuý", "ủy"/"uỷ".  Fold both to the tone
 * on the second vowel and leave every other word as written, so the fold of
 * most text still reads as the text.
 */
static void
fold_tone(int32_t *w, size_t n)
{
	const struct vowel *first, *second;
	int b1, b2;

	if (n < 2)
		return;
	if ((first = vowel_find(w[n - 2])) == NULL ||
	    (second = vowel_find(w[n - 1])) == NULL)
		return;
	if (first->tone == 0 || second->tone != 0)
		return;
	b1 = first->base;
	b2 = second->base;
	if (!((vowel_base[b1] == 'o' && (vowel_base[b2] == 'a' ||
	    vowel_base[b2] == 'e')) ||
	    (vowel_base[b1] == 'u' && vowel_base[b2] == 'y')))
		return;
	w[n - 1] = toned[b2][first->tone];
	w[n - 2] = toned[b1][0];
}

static void
flush_word(int32_t *word, size_t *n, kh_buf *out)
{
	char enc[4];
	size_t k;

	if (*n == 0)
		return;
	fold_tone(word, *n);
	for (k = 0; k < *n; k++) {
		if (word[k] < 0x80)
			kh_buf_addc(out, (int)word[k]);
		else
			kh_buf_add(out, enc, kh_utf8_encode(word[k], enc));
	}
	*n = 0;
}

char *
kh_fold(const char *s, size_t len, size_t *outlen)
{
	kh_buf out = KH_BUF_INIT;
	int32_t word[64], cp;
	size_t i = 0, n = 0;
	char enc[4];

	vowels_init();
	kh_buf_grow(&out, len);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
			/* ASCII that is not a letter ends a word as it is. */
			flush_word(word, &n, &out);
			kh_buf_addc(&out, c);
			i++;
			continue;
		}
		if (c < 0x80) {
			if (n == sizeof(word) / sizeof(word[0]))
				flush_word(word, &n, &out);
			word[n++] = c | 0x20;
			i++;
			continue;
		}
		i += kh_utf8_decode(s + i, &cp);
		cp = fold_char(cp);
		if (utf8proc_category(cp) >= UTF8PROC_CATEGORY_LU &&
		    utf8proc_category(cp) <= UTF8PROC_CATEGORY_LO) {
			/* A word longer than any Vietnamese one is cut, harmlessly. */
			if (n == sizeof(word) / sizeof(word[0]))
				flush_word(word, &n, &out);
			word[n++] = cp;
		} else {
			flush_word(word, &n, &out);
			kh_buf_add(&out, enc, kh_utf8_encode(cp, enc));
		}
	}
	flush_word(word, &n, &out);
	*outlen = out.len;
	return out.s;
}

char *
kh_safe(const char *str, char *out, size_t outsize)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, o = 0, len = strlen(str), n;
	char tmp[8];
	int32_t cp;

	if (outsize == 0)
		return out;
	while (i < len) {
		if ((n = seq_len(s + i, len - i)) == 0) {
			/* A byte that is not UTF-8 is shown, not guessed at. */
			snprintf(tmp, sizeof(tmp), "\\x%02X", s[i]);
			n = 1;
		} else {
			kh_utf8_decode(str + i, &cp);
			if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
				snprintf(tmp, sizeof(tmp), "\\x%02X", cp);
			else {
				memcpy(tmp, str + i, n);
				tmp[n] = '\0';
			}
		}
		if (o + strlen(tmp) >= outsize)
			break;
		memcpy(out + o, tmp, strlen(tmp));
		o += strlen(tmp);
		i += n;
	}
	out[o] = '\0';
	return out;
}
