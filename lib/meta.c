/*
 * meta.c: the document's own properties (meta records): issuing body,
 * number and symbol, place and date, type name and summary, national
 * motto, addressees, signature block and recipients (khl(5) lists them).
 *
 * Two windows of paragraphs are kept, never the body: the first HEAD_MAX
 * paragraphs, where the header is, and each closing block, caught from its
 * "Nơi nhận:" line or the signer's authority line ("KT. GIÁM ĐỐC") on, with
 * the few short paragraphs just before it.  The header is read at the end,
 * a closing block when it closes; so however long the document, a few
 * hundred short paragraphs at most are held.  Reading a window whole, not
 * line by line as it streams, lets a line be judged by its neighbours: two
 * capital lines are one name or a body under its parent, a line is the
 * signer's name because it ends the signature's cell.
 *
 * Matching is on the fold of the text (text.h), so case, tone placement,
 * Ð and dash look-alikes do not matter; values are written as printed,
 * trimmed of the spaces around them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kh.h"
#include "recog.h"
#include "text.h"

#define HEAD_MAX	64	/* paragraphs read for the header */
#define RING_MAX	16	/* recent paragraphs, the context of a closing block */
#define CLOSE_MAX	128	/* paragraphs kept from a closing block on */
#define KEEP_BYTES	2048	/* of a kept paragraph's text */
#define LONG_BYTES	600	/* a line this long is body text */
#define ITEMS_MAX	256	/* recipients or addressees kept */
#define AGENCY_LINES	4	/* lines of the issuing bodies */
#define LINE_CP		100	/* longest header or signature line, code points */
#define SUBJECT_CP	300	/* longest line of a trích yếu */
#define NAME_CP		40	/* longest signer's name */

/* A paragraph kept for later. */
struct kept {
	long		 index;
	enum kh_story	 story;
	int		 table_no, row, cell, bold;
	int		 islong;	/* it has a line of body text */
	char		*label;
	char		*text;		/* at most KEEP_BYTES of it */
	size_t		 len;
};

/*
 * A piece of a kept paragraph: a line, or a part of a line between tabs
 * (a table flattened to text keeps its columns apart with tabs).
 */
struct seg {
	const struct kept *k;
	size_t		 off, len;	/* the piece in k->text, trimmed */
	int		 line, part;
	const char	*label;		/* the paragraph's, on its first piece */
	size_t		 boff;		/* a typed bullet and its spaces */
	char		*fold;
	size_t		 flen;
	size_t		 ncp;
	int		 caps;		/* capitals and no small letters */
	int		 deco;		/* no letter or digit: "*", "-----" */
};

struct segs {
	struct seg	*v;
	size_t		 n;
};

struct rec {
	char		*name;		/* the rule, for a diag */
	char		*value;		/* the message, for a diag */
	kh_loc		 loc;
};

struct recs {
	struct rec	*v;
	size_t		 n;
};

struct kh_meta {
	const kh_vocab	*vocab;
	struct kept	 head[HEAD_MAX];
	size_t		 nhead;
	struct kept	 ring[RING_MAX];
	size_t		 ring0, nring;
	struct kept	*close;
	size_t		 nclose;
	int		 capturing;	/* a closing block is being kept */
	int		 captured;	/* one was */
	struct recs	 head_recs, rcpt, sig, diags;
};

/* Records. */

static void
recs_add(struct recs *r, const char *name, const char *value, size_t vlen,
    const kh_loc *loc)
{
	r->v = kh_xreallocarray(r->v, r->n + 1, sizeof(*r->v));
	r->v[r->n].name = kh_xstrdup(name);
	r->v[r->n].value = kh_xstrndup(value, vlen);
	r->v[r->n].loc = *loc;
	r->n++;
}

static void
recs_clear(struct recs *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].value);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

/* Moves every record of from to the end of to. */
static void
recs_move(struct recs *to, struct recs *from)
{
	if (from->n == 0)
		return;
	to->v = kh_xreallocarray(to->v, to->n + from->n, sizeof(*to->v));
	memcpy(to->v + to->n, from->v, from->n * sizeof(*from->v));
	to->n += from->n;
	free(from->v);
	from->v = NULL;
	from->n = 0;
}

/* Kept paragraphs. */

static void
kept_clear(struct kept *k)
{
	free(k->label);
	free(k->text);
	memset(k, 0, sizeof(*k));
}

/* Whether text has a line longer than LONG_BYTES. */
static int
has_long_line(const char *text, size_t len)
{
	const char *nl;

	while (len > LONG_BYTES) {
		if ((nl = memchr(text, '\n', len)) == NULL)
			return 1;
		if ((size_t)(nl - text) > LONG_BYTES)
			return 1;
		len -= (size_t)(nl - text) + 1;
		text = nl + 1;
	}
	return 0;
}

static void
kept_set(struct kept *k, const kh_para *p, const char *label,
    const char *text, size_t len)
{
	kept_clear(k);
	k->index = p->index;
	k->story = p->story;
	k->table_no = p->table_no;
	k->row = p->row;
	k->cell = p->cell;
	k->bold = p->bold;
	k->islong = has_long_line(text, len);
	if (len > KEEP_BYTES) {
		/* Cut on a character, never inside one. */
		len = KEEP_BYTES;
		while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	k->label = kh_xstrdup(label);
	k->text = kh_xstrndup(text, len);
	k->len = len;
}

static void
kept_copy(struct kept *to, const struct kept *from)
{
	kept_clear(to);
	*to = *from;
	to->label = kh_xstrdup(from->label);
	to->text = kh_xstrndup(from->text, from->len);
}

/* Small helpers on text. */

static int
is_space_at(const char *s, size_t len, size_t i, size_t *n)
{
	*n = 1;
	if (i >= len)
		return 0;
	if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')
		return 1;
	if (i + 1 < len && (unsigned char)s[i] == 0xc2 &&
	    (unsigned char)s[i + 1] == 0xa0) {
		*n = 2;
		return 1;
	}
	return 0;
}

/*
 * Trims [*off, *off + *len) of s: spaces, no-break spaces and, with stars,
 * the asterisks that text converted from Markdown leaves around a line.
 */
static void
trim(const char *s, size_t *off, size_t *len, int stars)
{
	size_t n;

	for (;;) {
		if (*len > 0 && is_space_at(s, *off + *len, *off, &n)) {
			*off += n;
			*len -= n;
		} else if (*len > 0 && stars && s[*off] == '*') {
			(*off)++;
			(*len)--;
		} else
			break;
	}
	for (;;) {
		if (*len > 0 && (s[*off + *len - 1] == ' ' ||
		    s[*off + *len - 1] == '\t' || s[*off + *len - 1] == '\r' ||
		    (stars && s[*off + *len - 1] == '*')))
			(*len)--;
		else if (*len > 1 && (unsigned char)s[*off + *len - 1] == 0xa0 &&
		    (unsigned char)s[*off + *len - 2] == 0xc2)
			*len -= 2;
		else
			break;
	}
}

static utf8proc_category_t
category_at(const char *s, size_t len, size_t i)
{
	int32_t cp;

	if (i >= len)
		return UTF8PROC_CATEGORY_CN;
	kh_utf8_decode(s + i, &cp);
	return utf8proc_category(cp);
}

static int
is_letter_cat(utf8proc_category_t c)
{
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

/* Whether the folded word (a literal, folded here) starts fold. */
static int
fold_starts(const char *fold, size_t flen, const char *word)
{
	char *w;
	size_t wlen;
	int yes;

	w = kh_fold(word, strlen(word), &wlen);
	yes = flen >= wlen && memcmp(fold, w, wlen) == 0 &&
	    !is_letter_cat(category_at(fold, flen, wlen));
	free(w);
	return yes;
}

static int
seg_starts(const struct seg *s, const char *word)
{
	return fold_starts(s->fold, s->flen, word);
}

static int
seg_starts_any(const struct seg *s, const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (seg_starts(s, words[i]))
			return 1;
	return 0;
}

static const char *
seg_text(const struct seg *s)
{
	return s->k->text + s->off;
}

static int
seg_ends(const struct seg *s, const char *chars)
{
	return s->len > 0 && strchr(chars, seg_text(s)[s->len - 1]) != NULL;
}

/* Whether the piece starts with a small letter (a line going on). */
static int
seg_lower(const struct seg *s)
{
	return s->len > 0 &&
	    category_at(seg_text(s), s->len, 0) == UTF8PROC_CATEGORY_LL;
}

/* Its paragraph's label, or a bullet typed at its start. */
static int
seg_marked(const struct seg *s)
{
	return s->label[0] != '\0' || s->boff > 0;
}

/*
 * The record location of a piece: its paragraph, with the column where the
 * piece starts when it is not the paragraph's first.
 */
static void
seg_loc(const struct seg *s, kh_loc *loc)
{
	loc->para = s->k->index;
	loc->col = s->line == 0 && s->part == 0 ? 0 :
	    (long)kh_utf8_count(s->k->text, s->off) + 1;
	loc->end = 0;
}

/* The letters of fold only: "Độc lập – Tự do" and "Độc lập - Tự do" agree. */
static char *
letters_of(const char *s, size_t len)
{
	kh_buf b = KH_BUF_INIT;
	size_t i = 0, n;
	int32_t cp;

	kh_buf_adds(&b, "");
	while (i < len) {
		n = kh_utf8_decode(s + i, &cp);
		if (is_letter_cat(utf8proc_category(cp)))
			kh_buf_add(&b, s + i, n);
		i += n;
	}
	return b.s;
}

/* Whether the letters of the piece start with those of the phrase. */
static int
seg_letters_start(const struct seg *s, const char *phrase)
{
	char *f, *a, *b;
	size_t flen;
	int yes;

	f = kh_fold(phrase, strlen(phrase), &flen);
	a = letters_of(s->fold, s->flen);
	b = letters_of(f, flen);
	yes = b[0] != '\0' && strncmp(a, b, strlen(b)) == 0;
	free(f);
	free(a);
	free(b);
	return yes;
}

/* Pieces. */

static void
segs_add(struct segs *S, const struct kept *k, size_t off, size_t len,
    int line, int part, int stars)
{
	struct seg *s;
	size_t i, n, skip;
	int32_t cp;
	int letters = 0, small = 0, alnum = 0;
	utf8proc_category_t c;

	trim(k->text, &off, &len, stars);
	S->v = kh_xreallocarray(S->v, S->n + 1, sizeof(*S->v));
	s = &S->v[S->n++];
	memset(s, 0, sizeof(*s));
	s->k = k;
	s->off = off;
	s->len = len;
	s->line = line;
	s->part = part;
	s->label = line == 0 && part == 0 ? k->label : "";
	if (s->label[0] == '\0' && kh_label_split(k->text + off, len, &skip) >
	    0 && (k->text[off] == '-' || k->text[off] == '+' ||
	    k->text[off] == '*' || (unsigned char)k->text[off] >= 0xc2) &&
	    (unsigned char)k->text[off] != 0xc4)
		s->boff = skip;		/* a bullet, not "a)" or "Điều 1." */
	s->fold = kh_fold(k->text + off, len, &s->flen);
	s->ncp = kh_utf8_count(k->text + off, len);
	for (i = 0; i < len; i += n) {
		n = kh_utf8_decode(k->text + off + i, &cp);
		c = utf8proc_category(cp);
		if (is_letter_cat(c)) {
			letters++;
			alnum = 1;
			if (c == UTF8PROC_CATEGORY_LL)
				small = 1;
		} else if (c == UTF8PROC_CATEGORY_ND)
			alnum = 1;
	}
	s->caps = letters >= 2 && !small;
	s->deco = len > 0 && !alnum;
}

/*
 * Cuts each kept paragraph into pieces: lines at line breaks, parts at
 * runs of tabs.  A line with no text makes one empty piece.
 */
static void
segs_build(struct segs *S, const struct kept *const *ks, size_t nk,
    int stars)
{
	const struct kept *k;
	size_t i, a, e, b, c, before;
	int line, part;

	S->v = NULL;
	S->n = 0;
	for (i = 0; i < nk; i++) {
		k = ks[i];
		for (a = 0, line = 0; a <= k->len; a = e + 1, line++) {
			for (e = a; e < k->len && k->text[e] != '\n'; e++)
				continue;
			before = S->n;
			for (b = a, part = 0; b < e; b = c, part++) {
				for (c = b; c < e && k->text[c] != '\t'; c++)
					continue;
				if (c > b)
					segs_add(S, k, b, c - b, line, part,
					    stars);
				if (S->n > before && S->v[S->n - 1].len == 0)
					S->n--, free(S->v[S->n].fold);
				while (c < e && k->text[c] == '\t')
					c++;
			}
			if (S->n == before)
				segs_add(S, k, a, 0, line, 0, stars);
			if (e >= k->len)
				break;
		}
	}
}

static void
segs_free(struct segs *S)
{
	size_t i;

	for (i = 0; i < S->n; i++)
		free(S->v[i].fold);
	free(S->v);
}

/* The same box: table cell, text box, or column of a line split by tabs. */
static int
same_box(const struct seg *a, const struct seg *b)
{
	if (a->k->story != b->k->story)
		return 0;
	if (a->k->story == KH_STORY_TABLE)
		return a->k->table_no == b->k->table_no &&
		    a->k->row == b->k->row && a->k->cell == b->k->cell;
	return (a->part > 0) == (b->part > 0);
}

/* The header. */

/* A mark of secrecy, urgency or drafting, not a name. */
static int
is_mark(const struct seg *s)
{
	static const char *const marks[] = { "mật", "tối mật", "tuyệt mật",
	    "khẩn", "thượng khẩn", "hỏa tốc", "dự thảo", "bản chính",
	    "bản sao" };
	size_t i;
	char *f;
	size_t flen;

	if (s->len > 0 && (seg_text(s)[0] == '(' || seg_text(s)[0] == '['))
		return 1;
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		f = kh_fold(marks[i], strlen(marks[i]), &flen);
		if (s->flen >= flen && memcmp(s->fold, f, flen) == 0 &&
		    (s->flen == flen || s->fold[flen] == ' ')) {
			free(f);
			return 1;
		}
		free(f);
	}
	return 0;
}

/* "TỈNH TÂY NINH" under "ỦY BAN NHÂN DÂN" goes on with its name. */
static int
continues_name(const struct seg *s)
{
	static const char *const words[] = { "tỉnh", "thành phố", "huyện",
	    "quận", "thị xã", "xã", "phường", "thị trấn", "tp.", "và",
	    "trung ương" };
	size_t i, n, wlen;
	char *w, *uy;
	int yes = 0;

	for (i = 0; !yes && i < sizeof(words) / sizeof(words[0]); i++) {
		w = kh_fold(words[i], strlen(words[i]), &wlen);
		if (s->flen > wlen && memcmp(s->fold, w, wlen) == 0 &&
		    s->fold[wlen] == ' ') {
			/* "TỈNH ỦY", "HUYỆN ỦY" are bodies of their own. */
			uy = kh_fold("ủy", strlen("ủy"), &n);
			yes = !(s->flen >= wlen + 1 + n &&
			    memcmp(s->fold + wlen + 1, uy, n) == 0);
			free(uy);
		}
		free(w);
	}
	return yes;
}

static void
join_segs(kh_buf *b, const struct segs *S, const size_t *idx, size_t a,
    size_t e)
{
	size_t i;

	for (i = a; i < e; i++) {
		if (i > a)
			kh_buf_addc(b, ' ');
		kh_buf_add(b, seg_text(&S->v[idx[i]]), S->v[idx[i]].len);
	}
}

/*
 * The issuing body and its parent from the capital lines before the
 * number.  The issuer is printed bold and its parent not (Decree 30), which
 * settles it when the runs say so; otherwise a line starting with a level
 * of territory goes on with the name above it.
 */
static void
read_agency(struct recs *out, const struct segs *S, const size_t *idx,
    size_t n)
{
	kh_buf b = KH_BUF_INIT;
	size_t i, k, nb = 0;
	int known = 1;
	kh_loc loc;

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		if (S->v[idx[i]].k->bold < 0)
			known = 0;
		else if (S->v[idx[i]].k->bold == 1)
			nb++;
	}
	if (known && nb > 0 && nb < n && S->v[idx[n - 1]].k->bold == 1) {
		for (k = n; k > 0 && S->v[idx[k - 1]].k->bold == 1; k--)
			continue;
	} else
		for (k = n - 1; k > 0 && continues_name(&S->v[idx[k]]); k--)
			continue;
	if (k > 0) {
		join_segs(&b, S, idx, 0, k);
		seg_loc(&S->v[idx[0]], &loc);
		recs_add(out, "parent-agency", b.s, b.len, &loc);
		kh_buf_reset(&b);
	}
	join_segs(&b, S, idx, k, n);
	seg_loc(&S->v[idx[k]], &loc);
	recs_add(out, "agency", b.s, b.len, &loc);
	kh_buf_free(&b);
}

static int
is_dash(int32_t cp)
{
	return (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 ||
	    cp == 0xfe58 || cp == 0xfe63 || cp == 0xff0d;
}

static int
is_blank_mark(int32_t cp)
{
	return cp == '.' || cp == '_' || cp == 0x2026;
}

/*
 * The symbol after "Số:" normalized (NFC already; Đ for the look-alike Ð,
 * every dash "-", no spaces, the dots or blanks of a draft number left
 * out), into b.  Look-alikes are reported to diags.  Returns 0, or -1 when
 * what follows "Số" is no symbol ("Số lượng").
 */
static int
read_symbol(const struct seg *s, kh_buf *b, struct recs *diags)
{
	const char *t = seg_text(s);
	size_t i, n, flen, cps, start, k, sp;
	char *f, enc[4], msg[160];
	int32_t cp, next, prev = 0;
	kh_loc loc;
	struct { size_t col; int32_t cp; } look[8];
	size_t nlook = 0;

	f = kh_fold("số", strlen("số"), &flen);
	n = memcmp(s->fold, f, flen) == 0 ? flen : 0;
	free(f);
	if (n == 0)
		return -1;
	/* Fold and text agree code point for code point. */
	cps = kh_utf8_count(s->fold, n);
	i = kh_utf8_offset(t, s->len, cps);
	while (i < s->len && (t[i] == ' ' || t[i] == ':' ||
	    is_space_at(t, s->len, i, &sp)))
		i += is_space_at(t, s->len, i, &sp) ? sp : 1;
	if (i == kh_utf8_offset(t, s->len, cps))
		return -1;	/* "Sốt", or "Số" with nothing after it */
	kh_buf_reset(b);
	kh_buf_adds(b, "");
	start = i;
	while (i < s->len) {
		n = kh_utf8_decode(t + i, &cp);
		if (cp == ' ' || cp == 0xa0) {
			/* Spaces inside a symbol go only around "/" and "-". */
			for (k = i + n; k < s->len &&
			    is_space_at(t, s->len, k, &sp); k += sp)
				continue;
			next = 0;
			if (k < s->len)
				kh_utf8_decode(t + k, &next);
			if (prev == '/' || prev == '-' || next == '/' ||
			    next == '-' || is_dash(next)) {
				i = k;
				continue;
			}
			break;
		}
		if (cp == 0x00d0 || cp == 0x00f0) {
			if (nlook < sizeof(look) / sizeof(look[0])) {
				look[nlook].col = kh_utf8_count(s->k->text,
				    s->off + i) + 1;
				look[nlook++].cp = cp;
			}
			cp = cp == 0x00d0 ? 0x0110 : 0x0111;
		} else if (is_dash(cp))
			cp = '-';
		if (!(is_letter_cat(utf8proc_category(cp)) ||
		    (cp >= '0' && cp <= '9') || cp == '/' || cp == '-' ||
		    is_blank_mark(cp)))
			break;
		/* The dots or blanks of a draft's number are not kept. */
		if (!(is_blank_mark(cp) && b->len == 0))
			kh_buf_add(b, enc, kh_utf8_encode(cp, enc));
		prev = cp;
		i += n;
	}
	while (b->len > 0 && strchr(".-_", b->s[b->len - 1]) != NULL)
		b->s[--b->len] = '\0';
	if (strchr(b->s, '/') == NULL || i == start)
		return -1;
	for (k = 0; k < nlook; k++) {
		loc.para = s->k->index;
		loc.col = (long)look[k].col;
		loc.end = loc.col + 1;
		snprintf(msg, sizeof(msg), "look-alike letter %s (U+%04X) "
		    "in the number \"%s\", read as %s (U+%04X)",
		    look[k].cp == 0xd0 ? "\xc3\x90" : "\xc3\xb0",
		    (unsigned)look[k].cp, b->s,
		    look[k].cp == 0xd0 ? "\xc4\x90" : "\xc4\x91",
		    look[k].cp == 0xd0 ? 0x110u : 0x111u);
		recs_add(diags, "lookalike-d", msg, strlen(msg), &loc);
	}
	return 0;
}

/*
 * The type code a symbol carries: "15/KH-SXD" KH, "91/2017/NĐ-CP" NĐ,
 * "04-NQ/TU" NQ; "" when the symbol has none the vocabulary knows (a công
 * văn's "12/UBND-VX").
 */
static void
symbol_code(const kh_vocab *v, const char *num, char *code, size_t size)
{
	const char *p = num, *end;
	size_t n;

	code[0] = '\0';
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '-') {
		p++;
		end = strchr(p, '/');
	} else if (*p == '/') {
		p++;
		if (strlen(p) > 5 && strspn(p, "0123456789") == 4 && p[4] == '/')
			p += 5;
		end = p + strcspn(p, "-/");
	} else
		return;
	if (end == NULL || (n = (size_t)(end - p)) == 0 || n >= size)
		return;
	memcpy(code, p, n);
	code[n] = '\0';
	if (v == NULL || kh_vocab_name(v, code) == NULL)
		code[0] = '\0';
}

static int
days_in(int m, int y)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && (y < 0 || (y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* Skips the blanks of a draft: spaces, dots, underscores, ellipses. */
static size_t
skip_blanks(const char *f, size_t len, size_t i)
{
	int32_t cp;

	while (i < len) {
		size_t n = kh_utf8_decode(f + i, &cp);

		if (cp != ' ' && cp != '\t' && !is_blank_mark(cp))
			break;
		i += n;
	}
	return i;
}

/* Digits at f[i]: their value, or -1 for none; *n gets their count. */
static int
number_at(const char *f, size_t len, size_t *i, size_t *n)
{
	int v = 0;

	*n = 0;
	while (*i < len && f[*i] >= '0' && f[*i] <= '9' && *n < 6) {
		v = v * 10 + (f[*i] - '0');
		(*i)++;
		(*n)++;
	}
	return *n > 0 ? v : -1;
}

/* Whether fold has word at i. */
static int
word_at(const char *f, size_t len, size_t i, const char *word)
{
	char *w;
	size_t wlen;
	int yes;

	w = kh_fold(word, strlen(word), &wlen);
	yes = len - i >= wlen && memcmp(f + i, w, wlen) == 0 &&
	    !is_letter_cat(category_at(f, len, i + wlen));
	free(w);
	return yes;
}

/*
 * "Tây Ninh, ngày 10 tháng 01 năm 2022": the place (bytes of text before
 * the comma), the date as ISO with "__" for the parts a draft leaves blank
 * (or "" when impossible), and the span of the date.  The line must end
 * with the year, so "(Kèm theo ... ngày 05 tháng 3 năm 2020 của Chính phủ)"
 * is no date line.  Returns 0, or -1 when the piece is not one.
 */
static int
read_date(const struct seg *s, size_t *place, char *iso, size_t isosize,
    size_t *from, size_t *to)
{
	const char *f = s->fold;
	size_t len = s->flen, i, at, n, dn, mn, yn, pcp;
	int d, mo, y;

	for (at = 0; at < len; at++)
		if ((at == 0 || f[at - 1] == ' ' || f[at - 1] == ',') &&
		    word_at(f, len, at, "ngày"))
			break;
	if (at >= len)
		return -1;
	i = skip_blanks(f, len, at + strlen("ngày"));
	d = number_at(f, len, &i, &dn);
	i = skip_blanks(f, len, i);
	if (!word_at(f, len, i, "tháng"))
		return -1;
	i = skip_blanks(f, len, i + strlen("tháng"));
	mo = number_at(f, len, &i, &mn);
	i = skip_blanks(f, len, i);
	if (!word_at(f, len, i, "năm"))
		return -1;
	i = skip_blanks(f, len, i + strlen("năm"));
	y = number_at(f, len, &i, &yn);
	*to = i;
	while (i < len && strchr(" .,;)", f[i]) != NULL)
		i++;
	if (i < len || dn > 2 || mn > 2 || (yn != 0 && yn != 4))
		return -1;
	/* The place: before "ngày", without its comma. */
	for (n = at; n > 0 && (f[n - 1] == ' ' || f[n - 1] == ','); n--)
		continue;
	pcp = kh_utf8_count(f, n);
	if (n == 0 || pcp > 60 || memchr(f, '/', n) != NULL)
		return -1;
	*place = kh_utf8_offset(seg_text(s), s->len, pcp);
	*from = at;
	if ((d == 0 || d > 31) || mo == 0 || mo > 12 || (yn == 4 && y < 1000) ||
	    (d > 0 && mo > 0 && d > days_in(mo, yn == 4 ? y : -1))) {
		iso[0] = '\0';
		return 0;
	}
	snprintf(iso, isosize, "____-__-__");
	if (y >= 0 && isosize > 10) {
		iso[0] = (char)('0' + y / 1000 % 10);
		iso[1] = (char)('0' + y / 100 % 10);
		iso[2] = (char)('0' + y / 10 % 10);
		iso[3] = (char)('0' + y % 10);
	}
	if (mo > 0 && isosize > 10) {
		iso[5] = (char)('0' + mo / 10);
		iso[6] = (char)('0' + mo % 10);
	}
	if (d > 0 && isosize > 10) {
		iso[8] = (char)('0' + d / 10);
		iso[9] = (char)('0' + d % 10);
	}
	return 0;
}

/* Body text that follows the header: it ends a trích yếu. */
static const char *const openers[] = { "căn cứ", "thực hiện", "theo",
    "kính gửi", "xét", "trên cơ sở", "nhằm", "để", "ngày", "hôm nay",
    "sau khi", "thi hành" };
#define NOPENERS	(sizeof(openers) / sizeof(openers[0]))

static int
seg_ok(const struct seg *s)
{
	return s->len > 0 && !s->deco;
}

/*
 * The trích yếu: the line after the type name and the lines that go on
 * with it.  A line goes on when it continues the sentence (a small letter)
 * or is bold like the first while the first is bold; it never does when
 * it opens the body ("Căn cứ", "Thực hiện") or is the authority line in
 * capitals of a decision.
 */
static void
read_subject(struct recs *out, const struct segs *S, size_t title)
{
	const struct seg *first = NULL, *s, *prev;
	kh_buf b = KH_BUF_INIT;
	size_t i, empties = 0, lines = 0;
	kh_loc loc;

	for (i = title + 1; i < S->n; i++) {
		s = &S->v[i];
		if (s->len == 0 && empties++ < 2)
			continue;
		if (!seg_ok(s) || s->ncp > SUBJECT_CP || seg_marked(s) ||
		    seg_starts(s, "căn cứ") || seg_starts(s, "kính gửi") ||
		    seg_ends(s, ";:") || (s->caps && !seg_starts(s, "về")))
			return;
		first = s;
		break;
	}
	if (first == NULL)
		return;
	kh_buf_add(&b, seg_text(first), first->len);
	prev = first;
	for (i = (size_t)(first - S->v) + 1; i < S->n && ++lines < 4; i++) {
		s = &S->v[i];
		if (!seg_ok(s) || s->ncp > SUBJECT_CP || seg_marked(s) ||
		    seg_starts_any(s, openers, NOPENERS) || s->caps ||
		    s->k->story != first->k->story)
			break;
		if (s->k != prev->k && !seg_lower(s) && !(first->k->bold == 1 &&
		    s->k->bold == 1 && !seg_ends(prev, ".;:")))
			break;
		kh_buf_addc(&b, ' ');
		kh_buf_add(&b, seg_text(s), s->len);
		prev = s;
	}
	seg_loc(first, &loc);
	recs_add(out, "subject", b.s, b.len, &loc);
	kh_buf_free(&b);
}

/* Adds the text of s after its bullet as an item, or to the last one. */
static void
add_item(struct recs *out, const char *name, const struct seg *s,
    size_t skip, int join)
{
	const char *t = seg_text(s) + skip;
	size_t len = s->len - skip, off = 0;
	kh_buf b = KH_BUF_INIT;
	kh_loc loc;

	trim(t, &off, &len, 0);
	if (len == 0)
		return;
	if (join && out->n > 0 && strcmp(out->v[out->n - 1].name, name) == 0) {
		kh_buf_adds(&b, out->v[out->n - 1].value);
		kh_buf_addc(&b, ' ');
		kh_buf_add(&b, t + off, len);
		free(out->v[out->n - 1].value);
		out->v[out->n - 1].value = b.s;
		return;
	}
	if (out->n >= ITEMS_MAX)
		return;
	seg_loc(s, &loc);
	recs_add(out, name, t + off, len, &loc);
}

/*
 * An item of a list of recipients or addressees is written without the
 * ";", "," or "." that closes its line (khl(5)): it names a body, the
 * punctuation belongs to the list.
 */
static void
strip_closing(struct recs *r, size_t from)
{
	char *v;
	size_t n;

	for (; from < r->n; from++) {
		v = r->v[from].value;
		n = strlen(v);
		while (n > 0 && strchr(";,. \t", v[n - 1]) != NULL)
			n--;
		v[n] = '\0';
	}
}

/*
 * "Kính gửi:" and the addressees: on its line, and on the lines after it
 * that are list items, or that go on a list whose items end with ";" or ",".
 */
static void
read_addressees(struct recs *out, const struct segs *S, size_t at)
{
	const struct seg *s = &S->v[at], *prev = NULL;
	size_t i, n, skip, flen, first = out->n;
	char *f;
	int items = 0;

	f = kh_fold("kính gửi", strlen("kính gửi"), &flen);
	n = kh_utf8_offset(seg_text(s), s->len, kh_utf8_count(f, flen));
	free(f);
	while (n < s->len && (seg_text(s)[n] == ':' || seg_text(s)[n] == ' '))
		n++;
	if (n < s->len) {
		skip = n;
		if (kh_label_split(seg_text(s) + n, s->len - n, &skip) > 0)
			skip += n;
		else
			skip = n;
		add_item(out, "addressee", s, skip, 0);
		items++;
		prev = s;
	}
	for (i = at + 1; i < S->n && items < ITEMS_MAX; i++) {
		s = &S->v[i];
		if (s->len == 0)
			continue;
		if (!seg_ok(s) || s->ncp > SUBJECT_CP || s->caps)
			break;
		if (seg_marked(s)) {
			add_item(out, "addressee", s, s->boff, 0);
		} else if (prev != NULL && seg_lower(s) &&
		    !seg_ends(prev, ".;")) {
			add_item(out, "addressee", s, 0, 1);
		} else if ((prev == NULL && seg_ends(s, ";,.")) ||
		    (prev != NULL && seg_ends(prev, ";,") &&
		    !seg_starts_any(s, openers, NOPENERS))) {
			add_item(out, "addressee", s, 0, 0);
		} else
			break;
		items++;
		prev = s;
	}
	strip_closing(out, first);
}

static int
has_subject(const struct recs *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].name, "subject") == 0)
			return 1;
	return 0;
}

static void
read_head(kh_meta *m)
{
	const struct kept *ks[HEAD_MAX];
	const struct seg *s, *motto[2] = { NULL, NULL }, *party = NULL;
	struct segs S;
	kh_buf b = KH_BUF_INIT;
	size_t i, k, end, agency[AGENCY_LINES], nagency = 0, place = 0;
	size_t from, to;
	long title = -1, number = -1, vv = -1, date = -1, dear = -1;
	char iso[16], code[32], msg[200];
	const char *tcode = NULL;
	kh_loc loc;

	for (i = 0; i < m->nhead; i++)
		ks[i] = &m->head[i];
	segs_build(&S, ks, m->nhead, 1);

	/* The type name: a line in capitals that is only a known one. */
	for (i = 0; title < 0 && i < S.n; i++) {
		s = &S.v[i];
		if (seg_ok(s) && s->caps && s->ncp <= 40 && m->vocab != NULL &&
		    (tcode = kh_vocab_code(m->vocab, seg_text(s), s->len)) !=
		    NULL)
			title = (long)i;
	}
	/* Without one, the header ends where the body begins. */
	for (end = 0; end < S.n; end++) {
		s = &S.v[end];
		if (title >= 0 ? (long)end == title : (seg_starts(s, "kính gửi") ||
		    (s->label[0] != '\0' && s->line == 0) ||
		    (s->ncp > 200 && s->k->story == KH_STORY_BODY)))
			break;
	}
	for (i = 0; i < S.n; i++)
		if (seg_starts(&S.v[i], "kính gửi")) {
			dear = (long)i;
			break;
		}

	for (i = 0; i < end; i++) {
		s = &S.v[i];
		if (!seg_ok(s))
			continue;
		if (motto[0] == NULL && seg_letters_start(s,
		    "cộng hòa xã hội chủ nghĩa việt nam"))
			motto[0] = s;
		else if (motto[1] == NULL && seg_letters_start(s,
		    "độc lập tự do hạnh phúc"))
			motto[1] = s;
		else if (party == NULL && seg_letters_start(s,
		    "đảng cộng sản việt nam"))
			party = s;
		else if (number < 0 && seg_starts(s, "số") &&
		    read_symbol(s, &b, &m->diags) == 0) {
			number = (long)i;
			seg_loc(s, &loc);
			recs_add(&m->head_recs, "number", b.s, b.len, &loc);
		} else if (vv < 0 && (seg_starts(s, "v/v") ||
		    seg_starts(s, "v.v")))
			vv = (long)i;
		else if (date < 0 && read_date(s, &place, iso, sizeof(iso),
		    &from, &to) == 0)
			date = (long)i;
		else if (s->caps && !is_mark(s) && s->ncp <= LINE_CP &&
		    nagency < AGENCY_LINES && number < 0 && (vv < 0 ||
		    !same_box(s, &S.v[vv])))
			agency[nagency++] = i;
	}
	/* Nothing of the body of the motto's cell is an issuing body. */
	for (i = k = 0; i < nagency; i++) {
		s = &S.v[agency[i]];
		if ((motto[0] != NULL && s->k->story == KH_STORY_TABLE &&
		    same_box(s, motto[0])) || (party != NULL &&
		    s->k->story == KH_STORY_TABLE && same_box(s, party)))
			continue;
		agency[k++] = agency[i];
	}
	nagency = k;
	/* Without a number, motto or date it is no header at all. */
	if (number >= 0 || motto[0] != NULL || motto[1] != NULL ||
	    party != NULL || date >= 0)
		read_agency(&m->head_recs, &S, agency, nagency);

	kh_buf_reset(&b);
	if (motto[0] != NULL || motto[1] != NULL) {
		s = motto[0] != NULL ? motto[0] : motto[1];
		kh_buf_add(&b, seg_text(s), s->len);
		if (motto[0] != NULL && motto[1] != NULL) {
			kh_buf_addc(&b, '\n');
			kh_buf_add(&b, seg_text(motto[1]), motto[1]->len);
		}
		seg_loc(s, &loc);
		recs_add(&m->head_recs, "motto", b.s, b.len, &loc);
	} else if (party != NULL) {
		seg_loc(party, &loc);
		recs_add(&m->head_recs, "motto", seg_text(party), party->len,
		    &loc);
	}

	if (date >= 0) {
		s = &S.v[date];
		seg_loc(s, &loc);
		recs_add(&m->head_recs, "place", seg_text(s), place, &loc);
		recs_add(&m->head_recs, "date", iso, strlen(iso), &loc);
		if (iso[0] == '\0') {
			kh_loc span = loc;
			size_t a = kh_utf8_count(s->fold, from),
			    e = kh_utf8_count(s->fold, to);
			size_t base = kh_utf8_count(s->k->text, s->off);

			span.col = (long)(base + a) + 1;
			span.end = (long)(base + e) + 1;
			snprintf(msg, sizeof(msg), "impossible date \"%.*s\" in "
			    "the place and date line",
			    (int)(kh_utf8_offset(seg_text(s), s->len, e) -
			    kh_utf8_offset(seg_text(s), s->len, a)),
			    seg_text(s) + kh_utf8_offset(seg_text(s), s->len,
			    a));
			recs_add(&m->diags, "impossible-date", msg,
			    strlen(msg), &span);
		}
	}

	/*
	 * The kind: the type code of the symbol, else the title's (a công
	 * văn's title gives ""), else "" for a symbol with no type code.
	 */
	if (number >= 0) {
		for (i = 0; i < m->head_recs.n; i++)
			if (strcmp(m->head_recs.v[i].name, "number") == 0)
				break;
		symbol_code(m->vocab, m->head_recs.v[i].value, code,
		    sizeof(code));
		loc = m->head_recs.v[i].loc;
		if (code[0] == '\0' && tcode != NULL) {
			snprintf(code, sizeof(code), "%s", tcode);
			seg_loc(&S.v[title], &loc);
		}
		recs_add(&m->head_recs, "kind", code, strlen(code), &loc);
	} else if (title >= 0) {
		seg_loc(&S.v[title], &loc);
		recs_add(&m->head_recs, "kind", tcode, strlen(tcode), &loc);
	}

	if (title >= 0) {
		s = &S.v[title];
		seg_loc(s, &loc);
		recs_add(&m->head_recs, "title", seg_text(s), s->len, &loc);
		read_subject(&m->head_recs, &S, (size_t)title);
	}
	/* A công văn's trích yếu is the "V/v" line under its number. */
	if (vv >= 0 && (title < 0 || !has_subject(&m->head_recs))) {
		s = &S.v[vv];
		kh_buf_reset(&b);
		kh_buf_add(&b, seg_text(s), s->len);
		for (i = (size_t)vv + 1; i < end && i < (size_t)vv + 3; i++) {
			const struct seg *c = &S.v[i];

			if (!seg_ok(c) || c->caps || !same_box(c, s) ||
			    (c->k == s->k ? 0 : !seg_lower(c)) ||
			    seg_starts(c, "số") || read_date(c, &place, iso,
			    sizeof(iso), &from, &to) == 0)
				break;
			kh_buf_addc(&b, ' ');
			kh_buf_add(&b, seg_text(c), c->len);
		}
		seg_loc(s, &loc);
		recs_add(&m->head_recs, "subject", b.s, b.len, &loc);
	}
	if (dear >= 0)
		read_addressees(&m->head_recs, &S, (size_t)dear);
	kh_buf_free(&b);
	segs_free(&S);
}

/* The closing blocks. */

/*
 * "Nơi nhận:" (or "Nơi nhận" alone on its line), in folded text; not the
 * heading "Nơi nhận văn bản" of a register's column.
 */
static int
fold_recipients_line(const char *fold, size_t len)
{
	char *f;
	size_t flen, i;
	int yes;

	f = kh_fold("nơi nhận", strlen("nơi nhận"), &flen);
	yes = len >= flen && memcmp(fold, f, flen) == 0;
	free(f);
	if (!yes)
		return 0;
	for (i = flen; i < len && fold[i] == ' '; i++)
		continue;
	return i == len || fold[i] == ':';
}

static int
is_recipients_line(const struct seg *s)
{
	return fold_recipients_line(s->fold, s->flen);
}

/*
 * The authority before the title of who signs: TM. (on behalf of a body),
 * KT. (a deputy for the head), TL., TUQ., Q., and the Party's T/M, K/T,
 * T/L.  Returns the length of the prefix as printed (the record keeps it
 * so), when capitals follow it, else 0.
 */
static size_t
authority(const char *t, size_t len)
{
	static const char *const prefixes[] = { "TUQ.", "T/M.", "K/T.",
	    "T/L.", "T.M.", "K.T.", "T.L.", "T/M", "K/T", "T/L", "TM.",
	    "KT.", "TL.", "Q.", "TUQ", "TM", "KT", "TL" };
	size_t i, n, k, sp, letters = 0, small = 0, cps = 0;
	int32_t cp;
	utf8proc_category_t c;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (len <= n || memcmp(t, prefixes[i], n) != 0)
			continue;
		/* "KT.GIÁM ĐỐC" lacks its space; "KT GIÁM ĐỐC" its period. */
		if (!is_space_at(t, len, n, &sp) && t[n - 1] != '.')
			continue;
		for (k = n; k < len; k += sp) {
			sp = kh_utf8_decode(t + k, &cp);
			c = utf8proc_category(cp);
			if (is_letter_cat(c)) {
				letters++;
				if (c == UTF8PROC_CATEGORY_LL)
					small++;
			} else if (c == UTF8PROC_CATEGORY_ND)
				return 0;
			cps++;
		}
		return letters >= 2 && small == 0 && cps <= LINE_CP ? n : 0;
	}
	return 0;
}

static size_t
seg_authority(const struct seg *s)
{
	return authority(seg_text(s), s->len);
}

/* "(Đã ký)", "[Chữ ký số]": what stands where the signature goes. */
static int
is_placeholder(const struct seg *s)
{
	return s->len > 0 && (seg_text(s)[0] == '(' || seg_text(s)[0] == '[' ||
	    seg_starts(s, "đã ký") || seg_starts(s, "ký bởi"));
}

/* A person's name: two to six words, each with a capital first. */
static int
name_like(const struct seg *s)
{
	const char *t = seg_text(s);
	size_t i, n, words = 0;
	int32_t cp;
	int start = 1;
	utf8proc_category_t c;

	/* Decree 30 prints the name in small letters, the titles in capitals. */
	if (!seg_ok(s) || s->ncp > NAME_CP || seg_marked(s) || s->caps)
		return 0;
	for (i = 0; i < s->len; i += n) {
		n = kh_utf8_decode(t + i, &cp);
		c = utf8proc_category(cp);
		if (cp == ' ') {
			start = 1;
			continue;
		}
		if (start) {
			if (c != UTF8PROC_CATEGORY_LU)
				return 0;
			words++;
			start = 0;
		} else if (!is_letter_cat(c) && cp != '.' && cp != '-' &&
		    cp != '\'')
			return 0;
	}
	return words >= 2 && words <= 6;
}

/*
 * A line fit to be the title of who signs: short capitals, words only
 * ("GIÁM ĐỐC", not "TÊN CƠ QUAN/ĐƠN VỊ" or "QUYỀN HẠN, CHỨC VỤ" of a
 * template).
 */
static int
title_like(const struct seg *s)
{
	size_t i;

	if (!seg_ok(s) || !s->caps || s->ncp > 60 || seg_marked(s) ||
	    is_recipients_line(s) || is_mark(s))
		return 0;
	for (i = 0; i < s->len; i++)
		if (strchr(",:;/()[]0123456789", seg_text(s)[i]) != NULL)
			return 0;
	return 1;
}

/*
 * Nơi nhận: one recipient a line after it, in its table cell, or in the
 * paragraphs after it while they are list items or go on a list.  A line
 * that starts with a small letter goes on the recipient above it ("- Các
 * bộ, cơ quan ngang bộ," / "cơ quan thuộc Chính phủ;").  Marks in used the
 * pieces it takes.
 */
static void
read_recipients(struct recs *out, const struct segs *S, size_t at,
    char *used)
{
	const struct seg *nn = &S->v[at], *s, *prev = NULL;
	size_t i, n, flen, empties = 0;
	char *f;
	int table = nn->k->story == KH_STORY_TABLE;

	/* Text on the line of "Nơi nhận:" itself. */
	f = kh_fold("nơi nhận", strlen("nơi nhận"), &flen);
	n = kh_utf8_offset(seg_text(nn), nn->len, kh_utf8_count(f, flen));
	free(f);
	while (n < nn->len && (seg_text(nn)[n] == ':' ||
	    seg_text(nn)[n] == ' '))
		n++;
	if (n < nn->len) {
		size_t skip;

		if (kh_label_split(seg_text(nn) + n, nn->len - n, &skip) == 0)
			skip = 0;
		add_item(out, "recipient", nn, n + skip, 0);
		prev = nn;
	}
	for (i = at + 1; i < S->n; i++) {
		s = &S->v[i];
		if (table ? s->k->story != KH_STORY_TABLE ||
		    s->k->table_no != nn->k->table_no :
		    s->k->story == KH_STORY_TABLE)
			break;
		if (!same_box(s, nn))
			continue;
		if (!seg_ok(s)) {
			if (!table && s->len == 0 && ++empties > 2)
				break;
			continue;
		}
		if (is_recipients_line(s) || seg_authority(s) > 0)
			break;
		if (seg_marked(s))
			add_item(out, "recipient", s, s->boff, 0);
		else if (prev != NULL && seg_lower(s) && !seg_ends(prev, "."))
			add_item(out, "recipient", s, 0, 1);
		else if (table || (!s->caps && s->ncp <= SUBJECT_CP &&
		    (prev != NULL ? seg_ends(prev, ";,") : seg_ends(s, ";,."))))
			add_item(out, "recipient", s, 0, 0);
		else
			break;
		used[i] = 1;
		prev = s;
	}
	strip_closing(out, 0);
}

/*
 * The signature: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" / "" / "Trần Văn Mẫu".
 * sign-authority is the prefix as printed (the innermost of "TM. ỦY BAN
 * NHÂN DÂN" / "KT. CHỦ TỊCH"), sign-for the title after it, sign-title the
 * title of who signs, and signer the name, in a table the last name in the
 * signature's cell (the seal and "(Đã ký)" come before it).
 */
static void
read_signature(struct recs *out, const struct segs *S, long nn,
    const char *used, int fallback)
{
	const struct seg *a = NULL, *t = NULL, *s, *name = NULL, *r;
	size_t i, j, n = 0;
	long start = -1;
	kh_loc loc;

	for (i = 0; start < 0 && i < S->n; i++)
		if (!used[i] && (long)i != nn && seg_authority(&S->v[i]) > 0)
			start = (long)i;
	/*
	 * No authority: the head signs in person, "GIÁM ĐỐC" in the other
	 * cell of the Nơi nhận's table, or just after or above the block.
	 */
	r = nn >= 0 ? &S->v[nn] : NULL;
	for (i = (size_t)nn + 1, j = 0; r != NULL && start < 0 && i < S->n &&
	    j < 12; i++) {
		s = &S->v[i];
		if (r->k->story == KH_STORY_TABLE && (s->k->story !=
		    KH_STORY_TABLE || s->k->table_no != r->k->table_no))
			break;
		if (used[i] || s->len == 0)
			continue;
		if (title_like(s))
			start = (long)i;
		j++;
	}
	for (i = (size_t)nn, j = 0; r != NULL && start < 0 && i > 0 && j < 6;
	    i--) {
		s = &S->v[i - 1];
		if (r->k->story == KH_STORY_TABLE && (s->k->story !=
		    KH_STORY_TABLE || s->k->table_no != r->k->table_no))
			break;
		if (title_like(s))
			start = (long)i - 1;
		else if (s->len > 0 && !is_placeholder(s) && !name_like(s))
			break;
		else if (s->len > 0)
			j++;
	}
	if (start < 0 && nn < 0 && fallback) {
		/* No anchor: the last capitals followed by a name. */
		for (i = S->n; start < 0 && i > 0; i--) {
			s = &S->v[i - 1];
			if (s->k->islong)
				break;
			if (!title_like(s))
				continue;
			for (j = i; j < S->n && j < i + 6; j++)
				if (same_box(&S->v[j], s) && name_like(&S->v[j]))
					start = (long)i - 1;
		}
	}
	if (start < 0)
		return;
	s = &S->v[start];
	if ((n = seg_authority(s)) > 0) {
		a = s;
		/* "TM. ỦY BAN NHÂN DÂN" then "KT. CHỦ TỊCH": the inner one. */
		for (i = (size_t)start + 1; i < S->n; i++) {
			if (!same_box(&S->v[i], a) || S->v[i].len == 0)
				continue;
			if (seg_authority(&S->v[i]) == 0)
				break;
			a = &S->v[i];
		}
		n = seg_authority(a);
		for (i = (size_t)(a - S->v) + 1; i < S->n; i++)
			if (same_box(&S->v[i], a) && S->v[i].len > 0)
				break;
		if (i < S->n && title_like(&S->v[i]) &&
		    seg_authority(&S->v[i]) == 0)
			t = &S->v[i];
	} else
		t = s;
	/* The name. */
	s = t != NULL ? t : a;
	for (i = (size_t)(s - S->v) + 1, j = 0; i < S->n; i++) {
		const struct seg *c = &S->v[i];

		if (s->k->story == KH_STORY_TABLE && (c->k->story !=
		    KH_STORY_TABLE || c->k->table_no != s->k->table_no))
			break;
		if (!same_box(c, s) || c->len == 0 || is_placeholder(c))
			continue;
		if (is_recipients_line(c) || seg_authority(c) > 0 ||
		    used[i])
			break;
		if (s->k->story == KH_STORY_TABLE) {
			if (name_like(c))
				name = c;
		} else {
			if (name_like(c))
				name = c;
			break;
		}
		if (++j > 12)
			break;
	}

	if (a != NULL) {
		size_t off = 0, len = a->len - n;
		const char *rest = seg_text(a) + n;

		seg_loc(a, &loc);
		recs_add(out, "sign-authority", seg_text(a), n, &loc);
		trim(rest, &off, &len, 0);
		if (t == NULL && n == 2 && seg_text(a)[0] == 'Q')
			/* "Q. GIÁM ĐỐC": the acting head signs as the head. */
			recs_add(out, "sign-title", rest + off, len, &loc);
		else
			recs_add(out, "sign-for", rest + off, len, &loc);
		if (t != NULL) {
			seg_loc(t, &loc);
			recs_add(out, "sign-title", seg_text(t), t->len, &loc);
		}
	} else {
		/* The head signs alone: no authority record (khl(5)). */
		seg_loc(t, &loc);
		recs_add(out, "sign-title", seg_text(t), t->len, &loc);
	}
	if (name != NULL) {
		seg_loc(name, &loc);
		recs_add(out, "signer", seg_text(name), name->len, &loc);
	}
}

/*
 * Reads a closing block.  What it finds replaces what an earlier block
 * gave: the signature and Nơi nhận of a document come at its end.
 */
static void
read_closing(kh_meta *m, const struct kept *const *ks, size_t nk,
    int fallback)
{
	struct segs S;
	struct recs rcpt = { NULL, 0 }, sig = { NULL, 0 };
	long nn = -1;
	size_t i;
	char *used;

	segs_build(&S, ks, nk, 1);
	used = kh_xcalloc(S.n + 1, 1);
	for (i = 0; i < S.n; i++)
		if (is_recipients_line(&S.v[i]))
			nn = (long)i;
	if (nn >= 0) {
		used[nn] = 1;
		read_recipients(&rcpt, &S, (size_t)nn, used);
		recs_clear(&m->rcpt);
		recs_move(&m->rcpt, &rcpt);
	}
	read_signature(&sig, &S, nn, used, fallback);
	if (sig.n > 0) {
		recs_clear(&m->sig);
		recs_move(&m->sig, &sig);
	}
	free(used);
	segs_free(&S);
}

static void
close_block(kh_meta *m)
{
	const struct kept **ks;
	size_t i;

	ks = kh_xreallocarray(NULL, m->nclose + 1, sizeof(*ks));
	for (i = 0; i < m->nclose; i++)
		ks[i] = &m->close[i];
	read_closing(m, ks, m->nclose, 0);
	free(ks);
	for (i = 0; i < m->nclose; i++)
		kept_clear(&m->close[i]);
	m->nclose = 0;
	m->capturing = 0;
	m->captured = 1;
}

/*
 * Whether a paragraph opens a closing block: a line "Nơi nhận:" or an
 * authority line.  Only the start of each line is looked at, so this costs
 * little on the body.
 */
static int
opens_closing(const char *text, size_t len)
{
	const char *p = text, *e = text + len, *nl;
	size_t n, off, flen;
	char *f;
	int yes = 0, lines = 0;

	for (; !yes && p < e && lines < 64; p = nl + 1, lines++) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		n = (size_t)(nl - p);
		off = 0;
		trim(p, &off, &n, 1);
		if (n == 0 || n > 4 * LINE_CP)
			continue;
		if (p[off] == 'N' || p[off] == 'n') {
			f = kh_fold(p + off, n, &flen);
			yes = fold_recipients_line(f, flen);
			free(f);
		} else if (strchr("TKQ", p[off]) != NULL)
			yes = authority(p + off, n) > 0;
	}
	return yes;
}

/* The interface. */

kh_meta *
kh_meta_new(const kh_vocab *v)
{
	kh_meta *m;

	m = kh_xcalloc(1, sizeof(*m));
	m->vocab = v;
	return m;
}

void
kh_meta_free(kh_meta *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < HEAD_MAX; i++)
		kept_clear(&m->head[i]);
	for (i = 0; i < RING_MAX; i++)
		kept_clear(&m->ring[i]);
	if (m->close != NULL)
		for (i = 0; i < CLOSE_MAX; i++)
			kept_clear(&m->close[i]);
	free(m->close);
	recs_clear(&m->head_recs);
	recs_clear(&m->rcpt);
	recs_clear(&m->sig);
	recs_clear(&m->diags);
	free(m);
}

void
kh_meta_para(kh_meta *m, const kh_para *p, const char *label,
    const char *text, size_t len)
{
	struct kept *k;
	size_t i, first;
	int opens;

	/* Notes, comments, headers and footers come after the body. */
	if (p->story != KH_STORY_BODY && p->story != KH_STORY_TABLE &&
	    p->story != KH_STORY_TEXTBOX)
		return;
	if (m->nhead < HEAD_MAX)
		kept_set(&m->head[m->nhead++], p, label, text, len);
	opens = opens_closing(text, len);
	if (m->capturing) {
		/* Body text again: the closing block was not the last one. */
		if ((p->story == KH_STORY_BODY && has_long_line(text, len)) ||
		    m->nclose == CLOSE_MAX)
			close_block(m);
		else
			kept_set(&m->close[m->nclose++], p, label, text, len);
	}
	if (!m->capturing && opens) {
		if (m->close == NULL)
			m->close = kh_xcalloc(CLOSE_MAX, sizeof(*m->close));
		/* The short paragraphs just before it belong with it. */
		for (first = m->nring; first > 0; first--)
			if (m->ring[(m->ring0 + first - 1) % RING_MAX].islong)
				break;
		for (i = first; i < m->nring; i++)
			kept_copy(&m->close[m->nclose++],
			    &m->ring[(m->ring0 + i) % RING_MAX]);
		kept_set(&m->close[m->nclose++], p, label, text, len);
		m->capturing = 1;
	}
	if (m->nring < RING_MAX)
		k = &m->ring[m->nring++];
	else {
		k = &m->ring[m->ring0];
		m->ring0 = (m->ring0 + 1) % RING_MAX;
	}
	kept_set(k, p, label, text, len);
}

static int
rec_cmp(const struct rec *a, const struct rec *b)
{
	return kh_loc_cmp(&a->loc, &b->loc);
}

/* Sorts by place, keeping the order of records at the same place. */
static void
recs_sort(struct recs *r)
{
	struct rec t;
	size_t i, k;

	for (i = 1; i < r->n; i++) {
		t = r->v[i];
		for (k = i; k > 0 && rec_cmp(&r->v[k - 1], &t) > 0; k--)
			r->v[k] = r->v[k - 1];
		r->v[k] = t;
	}
}

void
kh_meta_finish(kh_meta *m, const kh_sink *sink)
{
	const struct kept *ks[RING_MAX];
	struct recs all = { NULL, 0 };
	size_t i;

	read_head(m);
	if (m->capturing)
		close_block(m);
	else if (!m->captured) {
		/* No Nơi nhận and no authority line: the end may still sign. */
		for (i = 0; i < m->nring; i++)
			ks[i] = &m->ring[(m->ring0 + i) % RING_MAX];
		read_closing(m, ks, m->nring, 1);
	}
	recs_move(&all, &m->head_recs);
	recs_move(&all, &m->rcpt);
	recs_move(&all, &m->sig);
	recs_sort(&all);
	for (i = 0; i < all.n; i++)
		KH_EMIT(sink, "meta", &all.v[i].loc, all.v[i].name,
		    all.v[i].value);
	recs_sort(&m->diags);
	for (i = 0; i < m->diags.n; i++)
		KH_EMIT(sink, "diag", &m->diags.v[i].loc, "warning",
		    m->diags.v[i].name, m->diags.v[i].value);
	recs_clear(&all);
	recs_clear(&m->diags);
}
