/*
 * outline.c: list labels typed by hand, and the outline of parts and items
 * (sec records).
 *
 * Plans number their parts "I.", "II.", their items "1.", "2." restarting
 * in each part, and their sub-items "1.1." or "a)".  Whether Word numbered
 * a paragraph or its author typed the label, the label is read the same
 * way here, so the outline does not depend on how the document was made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "recog.h"

struct kh_outline {
	int	dummy;	/* the outline needs no memory between paragraphs */
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Length of a Roman numeral I..XXXIX at s, or 0. */
static size_t
roman_len(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && i < 8 && (s[i] == 'I' || s[i] == 'V' ||
	    s[i] == 'X' || s[i] == 'L'))
		i++;
	return i;
}

/*
 * The kind of label s[0..len) is: 'R' Roman, 'N' number, 'M' multi-level
 * number ("1.1."), 'A' letter, 'B' bullet, 0 none.
 */
static int
label_kind(const char *s, size_t len)
{
	size_t i, dots = 0;

	if (len == 0)
		return 0;
	if (len == 1 && strchr("-+*", s[0]) != NULL)
		return 'B';
	if ((len == 3 && (memcmp(s, "\xe2\x80\x93", 3) == 0 ||
	    memcmp(s, "\xe2\x80\x94", 3) == 0 ||
	    memcmp(s, "\xe2\x80\xa2", 3) == 0)) ||
	    (len == 2 && memcmp(s, "\xc2\xb7", 2) == 0))
		return 'B';
	if (roman_len(s, len) == len - 1 && (s[len - 1] == '.' ||
	    s[len - 1] == ')'))
		return 'R';
	if (s[0] >= '0' && s[0] <= '9') {
		for (i = 0; i < len; i++) {
			if (s[i] == '.')
				dots++;
			else if (!(s[i] >= '0' && s[i] <= '9') &&
			    !(s[i] == ')' && i == len - 1))
				return 0;
		}
		if (s[len - 1] != '.' && s[len - 1] != ')' && dots == 0)
			return 0;
		if (dots >= 2 || (dots == 1 && s[len - 1] != '.' &&
		    s[len - 1] != ')'))
			return 'M';
		return 'N';
	}
	/* "a)" and "đ)"; Vietnamese lists skip no letter but đ is two bytes. */
	if (((len == 2 && s[0] >= 'a' && s[0] <= 'z') ||
	    (len == 3 && (unsigned char)s[0] == 0xc4 &&
	    (unsigned char)s[1] == 0x91)) && s[len - 1] == ')')
		return 'A';
	return 0;
}

size_t
kh_label_split(const char *text, size_t len, size_t *skip)
{
	size_t n = 0, k;

	*skip = 0;
	/* The label is the first word, ended by a space or a tab. */
	while (n < len && n < 16 && !is_space(text[n]))
		n++;
	if (n == 0 || n >= len || n == 16 || label_kind(text, n) == 0)
		return 0;
	for (k = n; k < len && is_space(text[k]); k++)
		;
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

void
kh_outline_para(kh_outline *o, const kh_para *p, const char *label,
    const char *text, size_t len, const kh_sink *sink)
{
	char number[32], level[2];
	size_t n = strlen(label), i;
	kh_loc loc = { p->index, 0, 0 };
	char *heading;
	int kind;

	/* The outline is the body's: not tables, text boxes or notes. */
	if (p->story != KH_STORY_BODY || n == 0)
		return;
	if ((kind = label_kind(label, n)) == 0 || kind == 'B')
		return;
	/* The number without the punctuation that closes it. */
	if (n >= sizeof(number))
		return;
	memcpy(number, label, n);
	number[n] = '\0';
	while (n > 0 && (number[n - 1] == '.' || number[n - 1] == ')'))
		number[--n] = '\0';
	level[0] = kind == 'R' ? '1' : kind == 'N' ? '2' : '3';
	level[1] = '\0';
	/* The heading is the text, without surrounding spaces. */
	while (len > 0 && is_space(*text)) {
		text++;
		len--;
	}
	while (len > 0 && (is_space(text[len - 1]) || text[len - 1] == '\n'))
		len--;
	heading = kh_xstrndup(text, len);
	for (i = 0; i < len; i++)
		if (heading[i] == '\n')
			heading[i] = ' ';
	KH_EMIT(sink, "sec", &loc, level, number, heading);
	free(heading);
}
