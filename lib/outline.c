/*
 * outline.c: list labels typed by hand, and the outline of parts and items
 * (sec records).
 *
 * Plans number their parts "I.", "II.", their items "1.", "2." restarting
 * in each part, and their sub-items "1.1." or "a)".  Decisions and decrees
 * number their articles "Điều 1.", grouped in chapters "Chương I", with
 * clauses "1." and points "a)" inside an article.  Whether Word numbered a
 * paragraph or its author typed the label, the label is read the same way
 * here, so the outline does not depend on how the document was made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "recog.h"
#include "text.h"

/* What a label is. */
enum kind {
	K_NONE,
	K_BULLET,	/* "-", "+", "•" */
	K_ROMAN,	/* "II." */
	K_NUMBER,	/* "3." */
	K_DOTTED,	/* "1.2." or "1.2" */
	K_LETTER,	/* "b)" */
	K_UPPER,	/* "B." */
	K_ARTICLE,	/* "Điều 3." */
	K_CHAPTER	/* "Chương II" */
};

struct kh_outline {
	int	article;	/* inside an article: clauses go a level down */
	int	numlevel;	/* level of the last numbered item */
};

/* Where words of the text end: a space, a tab, a line break or the end. */
static int
is_ws(const char *s, size_t len, size_t i)
{
	return i >= len || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    (i + 1 < len && (unsigned char)s[i] == 0xc2 &&
	    (unsigned char)s[i + 1] == 0xa0);
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Whether the code point at s[i] is a letter (ASCII or any UTF-8 one). */
static int
is_letter_at(const char *s, size_t len, size_t i)
{
	unsigned char c;

	if (i >= len)
		return 0;
	c = (unsigned char)s[i];
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	/* Vietnamese letters beyond ASCII: Latin-1, Latin Extended, ạ...ỹ. */
	return c == 0xc3 || c == 0xc4 || c == 0xc5 || c == 0xc6 || c == 0xe1;
}

/*
 * The value of the Roman numeral s[0..n) written with I, V and X only (1 to
 * 39), or 0.  L, C, D and M stand alone as letters far more often than as
 * part numbers.
 */
static int
roman_value(const char *s, size_t n)
{
	static const char *const ones[] = { "", "I", "II", "III", "IV", "V",
	    "VI", "VII", "VIII", "IX" };
	static const char *const tens[] = { "", "X", "XX", "XXX" };
	char buf[16];
	int v;

	for (v = 1; v < 40; v++) {
		snprintf(buf, sizeof(buf), "%s%s", tens[v / 10], ones[v % 10]);
		if (strlen(buf) == n && memcmp(buf, s, n) == 0)
			return v;
	}
	return 0;
}

/* Bullets, as UTF-8: the characters that open an unnumbered list item. */
static const char *const bullets[] = {
	"-", "+", "*", "\xe2\x80\xa2" /* • */, "\xe2\x80\x93" /* – */,
	"\xe2\x80\x94" /* — */, "\xe2\x88\x92" /* − */, "\xc2\xb7" /* · */,
	"\xe2\x97\x8f" /* ● */, "\xe2\x97\x8b" /* ○ */, "\xe2\x96\xa0" /* ■ */,
	"\xe2\x96\xa1" /* □ */, "\xe2\x96\xaa" /* ▪ */, "\xe2\x97\xa6" /* ◦ */,
	"\xe2\x9e\xa2" /* ➢ */, "\xe2\x96\xba" /* ► */, "\xe2\x9d\x96" /* ❖ */,
	"\xe2\x9c\x93" /* ✓ */, "\xe2\x81\x83" /* ⁃ */
};

/* Length of the bullet at s, or 0. */
static size_t
bullet_len(const char *s, size_t len)
{
	size_t i, n;

	for (i = 0; i < sizeof(bullets) / sizeof(bullets[0]); i++) {
		n = strlen(bullets[i]);
		if (len >= n && memcmp(s, bullets[i], n) == 0)
			return n;
	}
	/* Symbol and Wingdings glyphs Word maps to the private use area. */
	if (len >= 3 && (unsigned char)s[0] == 0xef &&
	    ((unsigned char)s[1] == 0x80 || (unsigned char)s[1] == 0x81 ||
	    (unsigned char)s[1] == 0x82 || (unsigned char)s[1] == 0x83))
		return 3;
	return 0;
}

/*
 * A word label: "Điều 3." (the period or colon required, so that "Điều 5
 * Luật ..." citing an article is not taken for one) or "Chương II".
 * Returns its length and sets *kind, or 0.
 */
static size_t
word_label(const char *s, size_t len, enum kind *kind)
{
	static const struct {
		const char	*word;
		enum kind	 kind;
	} words[] = {
		{ "\xc4\x90i\xe1\xbb\x81u", K_ARTICLE },	/* Điều */
		{ "\xc4\x90I\xe1\xbb\x80U", K_ARTICLE },	/* ĐIỀU */
		{ "Ch\xc6\xb0\xc6\xa1ng", K_CHAPTER },		/* Chương */
		{ "CH\xc6\xaf\xc6\xa0NG", K_CHAPTER },		/* CHƯƠNG */
	};
	size_t i, n, k, d;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i].word);
		if (len <= n + 1 || memcmp(s, words[i].word, n) != 0 ||
		    s[n] != ' ')
			continue;
		k = n + 1;
		for (d = k; d < len && d - k < 3 && is_digit(s[d]); d++)
			continue;
		if (d == k && words[i].kind == K_CHAPTER) {
			while (d < len && d - k < 8 && (s[d] == 'I' ||
			    s[d] == 'V' || s[d] == 'X'))
				d++;
			if (d > k && !roman_value(s + k, d - k))
				d = k;
		}
		if (d == k)
			return 0;
		if (d < len && (s[d] == '.' || s[d] == ':'))
			d++;
		else if (words[i].kind == K_ARTICLE)
			return 0;
		if (!is_ws(s, len, d))
			return 0;
		*kind = words[i].kind;
		return d;
	}
	return 0;
}

/*
 * The label at the start of s, its length and kind; 0 when there is none.
 * After the label must come white space or the end; a period or a
 * parenthesis may also be followed straight by a letter ("I.MỤC ĐÍCH").
 */
static size_t
label_at(const char *s, size_t len, enum kind *kind)
{
	size_t i, n, comps;
	int closed;

	*kind = K_NONE;
	if (len == 0)
		return 0;
	if ((n = word_label(s, len, kind)) > 0)
		return n;
	/* Roman part numbers. */
	for (i = 0; i < len && i < 8 && (s[i] == 'I' || s[i] == 'V' ||
	    s[i] == 'X'); i++)
		continue;
	if (i > 0 && i < len && (s[i] == '.' || s[i] == ')') &&
	    roman_value(s, i) && (is_ws(s, len, i + 1) ||
	    is_letter_at(s, len, i + 1))) {
		*kind = K_ROMAN;
		return i + 1;
	}
	/*
	 * Numbers: "3." "3)" "3/" or dotted "1.2." "1.2"; the components
	 * after the first have one or two digits and no leading zero, so that
	 * "1.500 người" is not a label.
	 */
	if (is_digit(s[0])) {
		for (i = 0; i < len && i < 3 && is_digit(s[i]); i++)
			continue;
		comps = 1;
		while (i + 1 < len && s[i] == '.' && s[i + 1] >= '1' &&
		    s[i + 1] <= '9') {
			n = i + 1;
			while (n < len && n - i <= 2 && is_digit(s[n]))
				n++;
			if (n - i > 2 && n < len && is_digit(s[n]))
				return 0;	/* "1.500" */
			i = n;
			comps++;
		}
		if (i < len && is_digit(s[i]))
			return 0;
		closed = i < len && (s[i] == '.' || s[i] == ')' ||
		    s[i] == '/');
		if (closed && is_ws(s, len, i + 1)) {
			*kind = comps > 1 ? K_DOTTED : K_NUMBER;
			return i + 1;
		}
		if (closed && s[i] != '/' && is_letter_at(s, len, i + 1)) {
			*kind = comps > 1 ? K_DOTTED : K_NUMBER;
			return i + 1;
		}
		if (!closed && comps > 1 && i < len && is_ws(s, len, i)) {
			*kind = K_DOTTED;
			return i;
		}
		return 0;
	}
	/*
	 * Letters: "a)", "đ)", "b.", "c/"; and "A." to "H." for sections
	 * above the parts.  Other capitals start words: "Q. GIÁM ĐỐC" is
	 * signed by the acting head.
	 */
	n = 0;
	if (s[0] >= 'a' && s[0] <= 'z')
		n = 1, *kind = K_LETTER;
	else if (s[0] >= 'A' && s[0] <= 'H')
		n = 1, *kind = K_UPPER;
	else if (len >= 2 && (unsigned char)s[0] == 0xc4 &&
	    (unsigned char)s[1] == 0x91)
		n = 2, *kind = K_LETTER;		/* đ */
	if (n > 0) {
		if (n < len && (s[n] == ')' || s[n] == '.' || s[n] == '/') &&
		    n + 1 < len && is_ws(s, len, n + 1))
			return n + 1;
		*kind = K_NONE;
		return 0;
	}
	/*
	 * Bullets need text after them: a lone "*" under the issuing body is
	 * an ornament, not a list item.  "-Đảm bảo" typed without its space
	 * is still an item, "-5%" is not.
	 */
	if ((n = bullet_len(s, len)) > 0) {
		for (i = n; i < len && is_ws(s, len, i) && s[i] != '\n'; i++)
			if ((unsigned char)s[i] == 0xc2)
				i++;
		if (i >= len || s[i] == '\n')
			return 0;
		if (i == n && !(n == 1 && (s[0] == '-' || s[0] == '+') &&
		    is_letter_at(s, len, n)) && !(n == 3 &&
		    (unsigned char)s[0] == 0xe2 && is_letter_at(s, len, n)))
			return 0;
		*kind = K_BULLET;
		return n;
	}
	return 0;
}

size_t
kh_label_split(const char *text, size_t len, size_t *skip)
{
	enum kind kind;
	size_t n, k;

	*skip = 0;
	if ((n = label_at(text, len, &kind)) == 0)
		return 0;
	/* Past the spaces, tabs and line breaks that part label and text. */
	for (k = n; k < len && is_ws(text, len, k); k++)
		if ((unsigned char)text[k] == 0xc2)
			k++;
	*skip = k;
	return n;
}

kh_outline *
kh_outline_new(void)
{
	return kh_xcalloc(1, sizeof(kh_outline));
}

void
kh_outline_free(kh_outline *o)
{
	free(o);
}

/* The kind of a whole label, as Word shows it or as it was typed. */
static enum kind
label_kind(const char *label, size_t n)
{
	enum kind kind;
	size_t k;

	while (n > 0 && (label[n - 1] == ' ' || label[n - 1] == '\t'))
		n--;
	/* A label alone has nothing after it: look at it with a space. */
	if (n == 0 || n > 32)
		return K_NONE;
	{
		char buf[40];

		memcpy(buf, label, n);
		buf[n] = ' ';
		buf[n + 1] = 'x';
		k = label_at(buf, n + 2, &kind);
	}
	/* Word's bare "1" or "a" (a level without punctuation) counts too. */
	if (k == 0) {
		size_t i;

		for (i = 0; i < n && is_digit(label[i]); i++)
			continue;
		if (i == n && n <= 3)
			return K_NUMBER;
		return K_NONE;
	}
	return k == n ? kind : K_NONE;
}

void
kh_outline_para(kh_outline *o, const kh_para *p, const char *label,
    const char *text, size_t len, const kh_sink *sink)
{
	char number[40], level[16];
	size_t n = strlen(label), i;
	kh_loc loc = { p->index, 0, 0 };
	enum kind kind;
	char *heading;
	int lv = 0, comps;

	/* The outline is the body's: not tables, text boxes or notes. */
	if (p->story != KH_STORY_BODY || p->table > 0 || n == 0)
		return;
	switch ((kind = label_kind(label, n))) {
	case K_CHAPTER:
	case K_ROMAN:
		lv = 1;
		o->article = 0;
		o->numlevel = 1;
		break;
	case K_ARTICLE:
		lv = 2;
		o->article = 1;
		o->numlevel = 2;
		break;
	case K_NUMBER:
	case K_DOTTED:
		for (comps = 1, i = 0; i + 1 < n; i++)
			if (label[i] == '.' && is_digit(label[i + 1]))
				comps++;
		lv = comps + 1 + o->article;
		o->numlevel = lv;
		break;
	case K_LETTER:
		lv = o->article ? 4 : 3;
		if (o->numlevel + 1 > lv)
			lv = o->numlevel + 1;
		break;
	default:
		return;		/* bullets and capital letters make no section */
	}
	/* The number is the label without the punctuation that closes it. */
	while (n > 0 && strchr(".):/ \t", label[n - 1]) != NULL)
		n--;
	if (n >= sizeof(number))
		return;
	memcpy(number, label, n);
	number[n] = '\0';
	snprintf(level, sizeof(level), "%d", lv);
	/* The heading is the text, on one line, without surrounding spaces. */
	while (len > 0 && is_ws(text, len, 0) && text[0] != '\xc2') {
		text++;
		len--;
	}
	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' ||
	    text[len - 1] == '\n'))
		len--;
	heading = kh_xstrndup(text, len);
	for (i = 0; i < len; i++)
		if (heading[i] == '\n' || heading[i] == '\t')
			heading[i] = ' ';
	KH_EMIT(sink, "sec", &loc, level, number, heading);
	free(heading);
}
