/*
 * validate.c: khvalidate's rules (Decree 30/2020/NĐ-CP and the conventions
 * of plans) applied to one document of a KHL stream at a time.
 *
 * Records are kept only as far as the rules need them: meta, sec and ref
 * records whole, and the text of the short paragraphs near the top and the
 * end of the document (the printed date, the signature block), never the
 * body.  The profile is chosen at the end, from the kind meta that
 * khextract writes last.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kh.h"
#include "khl.h"
#include "recog.h"
#include "rules.h"
#include "text.h"
#include "validate.h"

/*
 * Paragraphs whose text is kept: the first HEAD_KEEP and the last
 * TAIL_KEEP of the body (with its tables and text boxes), if not longer
 * than TEXT_KEEP bytes.  The header and the closing blocks fit in them.
 */
#define HEAD_KEEP	64
#define TAIL_KEEP	64
#define TEXT_KEEP	512

/* Found text quoted in a message is cut after this many code points. */
#define QUOTE_MAX	60

struct meta {
	char	*name;
	char	*value;
	kh_loc	 loc;
};

struct ref {
	kh_loc	 loc;
	char	*number;
	char	*date;
};

struct sec {
	kh_loc	 loc;
	int	 level;
	char	*number;
	char	*heading;	/* parts only */
};

struct ptext {
	long	 para;
	char	*text;		/* NULL when too long to keep */
};

/* A date as printed or as ISO: a part left blank is -1. */
struct date {
	int	y, m, d;
};

struct kh_validator {
	const kh_profiles	*profiles;
	const kh_vocab		*vocab;
	struct date		 today;
	int			 final;
	int			 forced[R_NRULES];	/* 1 force, 2 enable */
	kh_sev			 force[R_NRULES];

	const kh_profile	*prof;
	struct meta		*metas;
	size_t			 nmetas;
	struct ref		*refs;
	size_t			 nrefs;
	struct sec		*secs;
	size_t			 nsecs;
	struct ptext		 head[HEAD_KEEP];
	size_t			 nhead;
	struct ptext		 tail[TAIL_KEEP];
	size_t			 ntail;		/* all seen: the ring wraps */
	kh_diag			*diags;
	size_t			 ndiags;
	kh_buf			 msg;
};

/* Text helpers. */

/*
 * The matching form of s: NFC, kh_fold, and every run of characters that
 * are neither letters nor digits made one space (or removed, with
 * nospace), trimmed.  The caller frees it.
 */
static char *
norm(const char *s, int nospace)
{
	char *nfc, *fold, enc[4];
	size_t n, i = 0, len;
	kh_buf out = KH_BUF_INIT;
	int32_t cp;
	int sp = 0, cat;

	if ((nfc = kh_nfc(s, strlen(s), &n)) == NULL)
		return kh_xstrdup("");
	fold = kh_fold(nfc, n, &len);
	free(nfc);
	kh_buf_adds(&out, "");
	while (i < len) {
		i += kh_utf8_decode(fold + i, &cp);
		cat = utf8proc_category(cp);
		if ((cat >= UTF8PROC_CATEGORY_LU &&
		    cat <= UTF8PROC_CATEGORY_LO) ||
		    (cat >= UTF8PROC_CATEGORY_MN &&
		    cat <= UTF8PROC_CATEGORY_ME) ||
		    cat == UTF8PROC_CATEGORY_ND ||
		    (nospace && cp != ' ' && cp != '\t' && cp != '\n')) {
			if (sp && out.len > 0 && !nospace)
				kh_buf_addc(&out, ' ');
			sp = 0;
			kh_buf_add(&out, enc, kh_utf8_encode(cp, enc));
		} else
			sp = 1;
	}
	free(fold);
	return out.s;
}

/* Whether the matching form of s starts with that of prefix, at a word's end. */
static int
starts(const char *s, const char *prefix, int nospace)
{
	char *a = norm(s, nospace), *b = norm(prefix, nospace);
	size_t n = strlen(b);
	int r;

	r = b[0] != '\0' && strncmp(a, b, n) == 0 &&
	    (nospace || a[n] == '\0' || a[n] == ' ');
	free(a);
	free(b);
	return r;
}

/* Whether s starts with one of the alternatives of alts ("A|B"). */
static int
starts_any(const char *s, const char *alts, int nospace)
{
	char *copy = kh_xstrdup(alts), *p = copy, *alt;
	int r = 0;

	while (!r && (alt = strsep(&p, "|")) != NULL)
		r = starts(s, alt, nospace);
	free(copy);
	return r;
}

/* s without the spaces around it, into a new string. */
static char *
trim(const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r'))
		len--;
	return kh_xstrndup(s, len);
}

/*
 * Append s to b in double quotes, one line, cut after QUOTE_MAX code
 * points, so that a message stays a line however long the text.
 */
static void
quote(kh_buf *b, const char *s)
{
	size_t i = 0, n = 0, len = strlen(s), k;
	int32_t cp;

	kh_buf_addc(b, '"');
	while (i < len && n < QUOTE_MAX) {
		if ((unsigned char)s[i] < 0x20) {
			kh_buf_adds(b, s[i] == '\n' ? " / " : " ");
			i++;
		} else {
			k = kh_utf8_decode(s + i, &cp);
			kh_buf_add(b, s + i, k);
			i += k;
		}
		n++;
	}
	if (i < len)
		kh_buf_adds(b, "...");
	kh_buf_addc(b, '"');
}

/*
 * The text with tone marks removed, after canonical decomposition: two
 * spellings equal in it and in the fold differ only in where the tone
 * marks stand ("HOÀ" and "HÒA").
 */
static char *
untoned(const char *s)
{
	utf8proc_uint8_t *d = NULL;
	utf8proc_ssize_t n;
	kh_buf out = KH_BUF_INIT;
	size_t i = 0;
	int32_t cp;
	char enc[4];

	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)
	    strlen(s), &d, UTF8PROC_DECOMPOSE | UTF8PROC_STABLE);
	kh_buf_adds(&out, "");
	if (n < 0)
		return out.s;
	while (i < (size_t)n) {
		i += kh_utf8_decode((char *)d + i, &cp);
		if (cp == 0x300 || cp == 0x301 || cp == 0x303 ||
		    cp == 0x309 || cp == 0x323)
			continue;
		kh_buf_add(&out, enc, kh_utf8_encode(cp, enc));
	}
	free(d);
	return out.s;
}

static int
tone_variant(const char *found, const char *want)
{
	char *a, *b;
	size_t la, lb;
	int r;

	a = kh_fold(found, strlen(found), &la);
	b = kh_fold(want, strlen(want), &lb);
	r = la == lb && memcmp(a, b, la) == 0;
	free(a);
	free(b);
	if (!r)
		return 0;
	a = untoned(found);
	b = untoned(want);
	r = strcmp(a, b) == 0;
	free(a);
	free(b);
	return r;
}

/* Dates. */

static int
days_in(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* n digits of s, or -1 for "__…" (blank), or -2 when neither. */
static int
date_part(const char *s, int n)
{
	int i, v = 0, blank = 1, digits = 1;

	for (i = 0; i < n; i++) {
		if (s[i] != '_')
			blank = 0;
		if (s[i] < '0' || s[i] > '9')
			digits = 0;
		else
			v = v * 10 + (s[i] - '0');
	}
	return digits ? v : blank ? -1 : -2;
}

/* Returns 0, or -1 when s is not YYYY-MM-DD (parts possibly "__"). */
static int
date_parse(const char *s, struct date *d)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	d->y = date_part(s, 4);
	d->m = date_part(s + 5, 2);
	d->d = date_part(s + 8, 2);
	return d->y == -2 || d->m == -2 || d->d == -2 ? -1 : 0;
}

static int
date_blank(const struct date *d)
{
	return d->y < 0 || d->m < 0 || d->d < 0;
}

/* Whether the known parts make a date that exists. */
static int
date_real(const struct date *d)
{
	if (d->m == 0 || d->m > 12 || d->d == 0 || d->y == 0)
		return 0;
	if (d->d > 0 && d->m > 0 && d->y > 0 && d->d > days_in(d->y, d->m))
		return 0;
	return d->d <= 31;
}

/*
 * The earliest and latest days a date with blanks may stand for, as
 * yyyymmdd numbers, for comparisons that hold whatever fills the blanks.
 */
static long
date_lo(const struct date *d)
{
	return (d->y < 0 ? 0 : d->y) * 10000L + (d->m < 0 ? 1 : d->m) * 100 +
	    (d->d < 0 ? 1 : d->d);
}

static long
date_hi(const struct date *d)
{
	if (d->y < 0)
		return 99991231L;
	return d->y * 10000L + (d->m < 0 ? 12 : d->m) * 100 +
	    (d->d < 0 ? (d->m < 0 ? 31 : days_in(d->y, d->m)) : d->d);
}

/* Records. */

static const struct meta *
meta(const kh_validator *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->nmetas; i++)
		if (strcmp(v->metas[i].name, name) == 0)
			return &v->metas[i];
	return NULL;
}

/* The meta, or NULL when it is missing or blank. */
static const struct meta *
filled(const kh_validator *v, const char *name)
{
	const struct meta *m = meta(v, name);
	const char *p;

	if (m == NULL)
		return NULL;
	for (p = m->value; *p == ' ' || *p == '\t' || *p == '\n'; p++)
		continue;
	return *p == '\0' ? NULL : m;
}

static const char *
text_of(const kh_validator *v, long para)
{
	size_t i, n;

	for (i = 0; i < v->nhead; i++)
		if (v->head[i].para == para)
			return v->head[i].text;
	n = v->ntail < TAIL_KEEP ? v->ntail : TAIL_KEEP;
	for (i = 0; i < n; i++)
		if (v->tail[i].para == para)
			return v->tail[i].text;
	return NULL;
}

/* The kept paragraph after para with some text, or NULL. */
static const struct ptext *
text_after(const kh_validator *v, long para)
{
	const struct ptext *best = NULL, *t;
	size_t i, n;

	n = v->ntail < TAIL_KEEP ? v->ntail : TAIL_KEEP;
	for (i = 0; i < v->nhead + n; i++) {
		t = i < v->nhead ? &v->head[i] : &v->tail[i - v->nhead];
		if (t->para > para && t->text != NULL && t->text[0] != '\0' &&
		    (best == NULL || t->para < best->para))
			best = t;
	}
	return best;
}

static void
clear_doc(kh_validator *v)
{
	size_t i, n;

	for (i = 0; i < v->nmetas; i++) {
		free(v->metas[i].name);
		free(v->metas[i].value);
	}
	v->nmetas = 0;
	for (i = 0; i < v->nrefs; i++) {
		free(v->refs[i].number);
		free(v->refs[i].date);
	}
	v->nrefs = 0;
	for (i = 0; i < v->nsecs; i++) {
		free(v->secs[i].number);
		free(v->secs[i].heading);
	}
	v->nsecs = 0;
	for (i = 0; i < v->nhead; i++)
		free(v->head[i].text);
	v->nhead = 0;
	n = v->ntail < TAIL_KEEP ? v->ntail : TAIL_KEEP;
	for (i = 0; i < n; i++)
		free(v->tail[i].text);
	v->ntail = 0;
	for (i = 0; i < v->ndiags; i++)
		free(v->diags[i].msg);
	v->ndiags = 0;
	v->prof = NULL;
}

kh_validator *
kh_validator_new(const kh_profiles *profiles, const kh_vocab *vocab,
    const char *today, int final)
{
	kh_validator *v;

	v = kh_xcalloc(1, sizeof(*v));
	v->profiles = profiles;
	v->vocab = vocab;
	v->final = final;
	if (today == NULL || date_parse(today, &v->today) == -1 ||
	    date_blank(&v->today))
		v->today.y = 9999, v->today.m = 12, v->today.d = 31;
	return v;
}

void
kh_validator_free(kh_validator *v)
{
	if (v == NULL)
		return;
	clear_doc(v);
	free(v->metas);
	free(v->refs);
	free(v->secs);
	free(v->diags);
	kh_buf_free(&v->msg);
	free(v);
}

void
kh_validator_force(kh_validator *v, size_t rule, kh_sev sev)
{
	v->forced[rule] = 1;
	v->force[rule] = sev;
}

void
kh_validator_enable(kh_validator *v, size_t rule)
{
	v->forced[rule] = 2;
}

void
kh_validator_begin(kh_validator *v, const char *doc)
{
	(void)doc;
	clear_doc(v);
}

static void
keep_text(struct ptext *t, long para, const char *text, size_t len)
{
	t->para = para;
	t->text = len <= TEXT_KEEP ? kh_xstrndup(text, len) : NULL;
}

void
kh_validator_record(kh_validator *v, const khl_record *r)
{
	const char *type = KHL_TYPE(r), *story;
	struct ptext *t;

	if (strcmp(type, "meta") == 0 && r->nfields >= 5) {
		v->metas = kh_xreallocarray(v->metas, v->nmetas + 1,
		    sizeof(*v->metas));
		v->metas[v->nmetas].name = kh_xstrdup(r->field[3]);
		v->metas[v->nmetas].value = kh_xstrdup(r->field[4]);
		v->metas[v->nmetas++].loc = r->loc;
	} else if (strcmp(type, "ref") == 0 && r->nfields >= 8) {
		v->refs = kh_xreallocarray(v->refs, v->nrefs + 1,
		    sizeof(*v->refs));
		v->refs[v->nrefs].loc = r->loc;
		v->refs[v->nrefs].number = kh_xstrdup(r->field[4]);
		v->refs[v->nrefs++].date = kh_xstrdup(r->field[5]);
	} else if (strcmp(type, "sec") == 0 && r->nfields >= 6) {
		v->secs = kh_xreallocarray(v->secs, v->nsecs + 1,
		    sizeof(*v->secs));
		v->secs[v->nsecs].loc = r->loc;
		v->secs[v->nsecs].level = atoi(r->field[3]);
		v->secs[v->nsecs].number = kh_xstrdup(r->field[4]);
		v->secs[v->nsecs++].heading =
		    atoi(r->field[3]) == 1 ? kh_xstrdup(r->field[5]) : NULL;
	} else if (strcmp(type, "para") == 0 && r->nfields >= 7) {
		/* Notes, comments, headers and footers hold no header block. */
		story = r->field[3];
		if (strcmp(story, "body") != 0 && strcmp(story, "table") != 0 &&
		    strcmp(story, "textbox") != 0)
			return;
		if (v->nhead < HEAD_KEEP) {
			keep_text(&v->head[v->nhead++], r->loc.para,
			    r->field[6], r->flen[6]);
			return;
		}
		t = &v->tail[v->ntail++ % TAIL_KEEP];
		if (v->ntail > TAIL_KEEP)
			free(t->text);
		keep_text(t, r->loc.para, r->field[6], r->flen[6]);
	}
}

/* Findings. */

static kh_sev
severity(const kh_validator *v, size_t rule)
{
	kh_sev s;

	if (v->forced[rule] == 1)
		return v->force[rule];
	s = kh_profile_sev(v->prof, rule, v->final);
	if (v->forced[rule] == 2 && s == KH_SEV_OFF) {
		s = v->final ? kh_rules[rule].final : kh_rules[rule].sev;
		if (s == KH_SEV_OFF)
			s = KH_SEV_WARNING;
	}
	return s;
}

static int
on(const kh_validator *v, size_t rule)
{
	return severity(v, rule) != KH_SEV_OFF;
}

static const kh_loc noloc = { 0, 0, 0 };

/*
 * Report a finding; the message is built from a format whose %Q takes a
 * string to quote (quote()) and whose other conversions are printf's
 * %s, %d and %ld.
 */
static void
report(kh_validator *v, size_t rule, const kh_loc *loc, const char *fmt,
    ...)
{
	kh_buf *b = &v->msg;
	va_list ap;
	kh_diag *d;
	const char *p;

	if (!on(v, rule))
		return;
	kh_buf_reset(b);
	kh_buf_adds(b, "");
	va_start(ap, fmt);
	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			kh_buf_addc(b, *p);
			continue;
		}
		switch (*++p) {
		case 'Q':
			quote(b, va_arg(ap, const char *));
			break;
		case 's':
			kh_buf_adds(b, va_arg(ap, const char *));
			break;
		case 'd':
			kh_buf_printf(b, "%d", va_arg(ap, int));
			break;
		case 'l':
			p++;
			kh_buf_printf(b, "%ld", va_arg(ap, long));
			break;
		default:
			kh_buf_addc(b, *p);
			break;
		}
	}
	va_end(ap);
	v->diags = kh_xreallocarray(v->diags, v->ndiags + 1,
	    sizeof(*v->diags));
	d = &v->diags[v->ndiags++];
	d->loc = loc != NULL ? *loc : noloc;
	d->sev = severity(v, rule);
	d->rule = rule;
	d->msg = kh_xstrdup(b->s);
}

/*
 * The alternatives "A|B|C" as "A, B or C", each in double quotes when
 * quoted; the caller frees it.
 */
static char *
alts_text(const char *alts, int quoted)
{
	kh_buf b = KH_BUF_INIT;
	const char *p, *bar;

	kh_buf_adds(&b, "");
	for (p = alts; ; p = bar + 1) {
		bar = strchr(p, '|');
		if (quoted)
			kh_buf_addc(&b, '"');
		kh_buf_add(&b, p, bar != NULL ? (size_t)(bar - p) : strlen(p));
		if (quoted)
			kh_buf_addc(&b, '"');
		if (bar == NULL)
			break;
		kh_buf_adds(&b, strchr(bar + 1, '|') != NULL ? ", " : " or ");
	}
	return b.s;
}

/* The Quốc hiệu and Tiêu ngữ. */

static void
check_motto_line(kh_validator *v, const kh_loc *loc, const char *found,
    const char *want)
{
	if (strcmp(found, want) == 0)
		return;
	if (tone_variant(found, want))
		report(v, R_MOTTO_TONE, loc, "expected %Q, found %Q with the "
		    "tone mark placed otherwise", want, found);
	else
		report(v, R_MOTTO_SPELLING, loc, "expected %Q, found %Q",
		    want, found);
}

static void
check_motto(kh_validator *v)
{
	const struct meta *m = filled(v, "motto");
	const char *want = kh_profile_param(v->prof, R_MOTTO_SPELLING);
	char *w1, *w2, *f1, *f2, *nl;
	const char *bar;

	if (m == NULL) {
		report(v, R_MOTTO_MISSING, NULL, "expected the Quốc hiệu and "
		    "Tiêu ngữ, found none");
		return;
	}
	if ((bar = strchr(want, '|')) == NULL) {
		w1 = kh_xstrdup(want);
		w2 = NULL;
	} else {
		w1 = kh_xstrndup(want, (size_t)(bar - want));
		w2 = kh_xstrdup(bar + 1);
	}
	/* The two lines, or one line holding both. */
	if ((nl = strchr(m->value, '\n')) != NULL) {
		f1 = trim(m->value, (size_t)(nl - m->value));
		f2 = trim(nl + 1, strlen(nl + 1));
	} else if (w2 != NULL && strncmp(m->value, w1, strlen(w1)) == 0 &&
	    m->value[strlen(w1)] != '\0') {
		f1 = kh_xstrdup(w1);
		f2 = trim(m->value + strlen(w1), strlen(m->value + strlen(w1)));
	} else {
		f1 = trim(m->value, strlen(m->value));
		f2 = NULL;
	}
	if ((nl = strchr(f2 != NULL ? f2 : "", '\n')) != NULL)
		*nl = '\0';
	check_motto_line(v, &m->loc, f1, w1);
	if (w2 != NULL) {
		if (f2 == NULL || f2[0] == '\0')
			report(v, R_MOTTO_SPELLING, &m->loc, "expected %Q "
			    "under the Quốc hiệu, found nothing", w2);
		else
			check_motto_line(v, &m->loc, f2, w2);
	}
	free(w1);
	free(w2);
	free(f1);
	free(f2);
}

/* The number and symbol. */

struct symbol {
	int	 blank;		/* the number is left blank */
	long	 number;
	size_t	 ndigits;
	char	 code[32];	/* the first code after the number (or year) */
	int	 party;		/* N-CODE/ISSUER */
};

/* Length of a code (letters, digits, Đ, đ) at s. */
static size_t
seg(const char *s)
{
	size_t n = 0;

	for (;;) {
		if ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' &&
		    s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9'))
			n++;
		else if ((unsigned char)s[n] == 0xc4 &&
		    ((unsigned char)s[n + 1] == 0x90 ||
		    (unsigned char)s[n + 1] == 0x91))
			n += 2;
		else
			return n;
	}
}

/* Codes joined by "-" to the end of s. */
static int
seglist(const char *s)
{
	size_t n;

	for (;;) {
		if ((n = seg(s)) == 0)
			return 0;
		s += n;
		if (*s == '\0')
			return 1;
		if (*s++ != '-')
			return 0;
	}
}

/*
 * The three shapes of a symbol: administrative "15/KH-SXD" (a công văn's
 * "12/UBND-VX" has no type code), normative "91/2017/NĐ-CP", Party
 * "04-NQ/TU".  The number may be blank in a draft ("/KH-SXD", "…/KH-SXD").
 * Returns 0, or -1 when s has none of the shapes.
 */
static int
symbol_parse(const char *s, struct symbol *sym)
{
	size_t n;

	memset(sym, 0, sizeof(*sym));
	for (n = 0; s[n] >= '0' && s[n] <= '9'; n++) {
		if (sym->number < 100000000)
			sym->number = sym->number * 10 + (s[n] - '0');
	}
	sym->ndigits = n;
	if (n == 0) {
		sym->blank = 1;
		for (;;) {
			if (s[n] == '.' || s[n] == '_' || s[n] == ' ')
				n++;
			else if (strncmp(s + n, "\xe2\x80\xa6", 3) == 0)
				n += 3;
			else
				break;
		}
	}
	s += n;
	if (*s == '-') {
		sym->party = 1;
		s++;
		if ((n = seg(s)) == 0 || n >= sizeof(sym->code) || s[n] != '/')
			return -1;
		memcpy(sym->code, s, n);
		return seglist(s + n + 1) ? 0 : -1;
	}
	if (*s++ != '/')
		return -1;
	if (seg(s) == 4 && s[0] >= '0' && s[0] <= '9' && s[4] == '/')
		s += 5;
	if ((n = seg(s)) < sizeof(sym->code))
		memcpy(sym->code, s, n);
	return seglist(s) ? 0 : -1;
}

/* The type code the symbol carries, "" when none (a công văn). */
static const char *
symbol_code(const kh_validator *v, const struct symbol *sym)
{
	return v->vocab != NULL && kh_vocab_name(v->vocab, sym->code) != NULL ?
	    sym->code : "";
}

static void
check_number(kh_validator *v)
{
	const struct meta *m = filled(v, "number"), *t;
	struct symbol sym;
	const char *tcode, *scode;
	kh_buf want = KH_BUF_INIT;

	if (m == NULL) {
		report(v, R_NUMBER_MISSING, NULL, "expected a Số, ký hiệu "
		    "such as \"15/KH-SXD\", found none");
		return;
	}
	if (symbol_parse(m->value, &sym) == -1) {
		report(v, R_NUMBER_FORMAT, &m->loc, "expected a symbol shaped "
		    "as \"15/KH-SXD\", \"91/2017/NĐ-CP\" or \"04-NQ/TU\", "
		    "found %Q", m->value);
		return;
	}
	if (sym.blank)
		report(v, R_NUMBER_BLANK, &m->loc, "the number of %Q is "
		    "still blank", m->value);
	else if (sym.number < 10 && sym.ndigits == 1) {
		kh_buf_printf(&want, "0%s", m->value);
		report(v, R_NUMBER_ZERO, &m->loc, "expected %Q, found %Q",
		    want.s, m->value);
		kh_buf_free(&want);
	}
	if ((t = filled(v, "title")) == NULL || v->vocab == NULL ||
	    (tcode = kh_vocab_code(v->vocab, t->value, strlen(t->value))) ==
	    NULL)
		return;
	scode = symbol_code(v, &sym);
	if (strcmp(tcode, scode) == 0)
		return;
	if (tcode[0] == '\0')
		report(v, R_KIND_MISMATCH, &m->loc, "expected no type code "
		    "under the title %Q, found %s in %Q", t->value, scode,
		    m->value);
	else if (scode[0] == '\0')
		report(v, R_KIND_MISMATCH, &m->loc, "expected the type code "
		    "%s under the title %Q, found none in %Q", tcode,
		    t->value, m->value);
	else
		report(v, R_KIND_MISMATCH, &m->loc, "expected the type code "
		    "%s under the title %Q, found %s in %Q", tcode, t->value,
		    scode, m->value);
}

/* Place and date. */

/*
 * Find word (folded) in fold from byte off; returns its byte offset or
 * -1.  Words must stand alone, so "năm" does not match inside another.
 */
static long
find_word(const char *fold, size_t off, const char *word)
{
	const char *p = fold + off;
	size_t n = strlen(word);

	while ((p = strstr(p, word)) != NULL) {
		if ((p == fold || p[-1] == ' ' || p[-1] == ',') &&
		    (p[n] == ' ' || p[n] == '\0'))
			return (long)(p - fold);
		p += n;
	}
	return -1;
}

/*
 * The day or month printed after word: its digits' byte offset and length
 * in fold (length 0 when blank).  Returns -1 when the word is not there.
 */
static long
printed_part(const char *fold, size_t from, const char *word, size_t *len)
{
	long at;
	size_t i;

	if ((at = find_word(fold, from, word)) == -1)
		return -1;
	i = (size_t)at + strlen(word);
	while (fold[i] == ' ')
		i++;
	*len = strspn(fold + i, "0123456789");
	return (long)i;
}

static void
check_zero(kh_validator *v, const char *fold, long at, size_t len,
    long para, const char *what)
{
	char want[8], found[8];
	kh_loc loc;

	if (len != 1 || fold[at] == '0')
		return;
	loc.para = para;
	loc.col = (long)kh_utf8_count(fold, (size_t)at) + 1;
	loc.end = loc.col + 1;
	snprintf(found, sizeof(found), "%c", fold[at]);
	snprintf(want, sizeof(want), "0%c", fold[at]);
	report(v, R_DATE_ZERO, &loc, "expected the %s as %Q, found %Q", what,
	    want, found);
}

/*
 * Leading zeros can be judged only on the date as printed ("ngày 5 tháng
 * 1 năm 2022"), which the ISO date meta no longer shows: it is read from
 * the kept text of the paragraph the date meta points to.
 */
static void
check_printed_date(kh_validator *v, const struct meta *m)
{
	const char *text = text_of(v, m->loc.para);
	char *nfc, *fold, *wd, *wm;
	size_t n, len, dlen, mlen;
	long d, mo;

	if (text == NULL || (nfc = kh_nfc(text, strlen(text), &n)) == NULL)
		return;
	fold = kh_fold(nfc, n, &len);
	free(nfc);
	wd = norm("ngày", 0);
	wm = norm("tháng", 0);
	if ((d = printed_part(fold, 0, wd, &dlen)) != -1 &&
	    (mo = printed_part(fold, (size_t)d, wm, &mlen)) != -1) {
		check_zero(v, fold, d, dlen, m->loc.para, "day");
		if (mlen == 1 && (fold[mo] == '1' || fold[mo] == '2') &&
		    (fold[mo + 1] < '0' || fold[mo + 1] > '9'))
			check_zero(v, fold, mo, mlen, m->loc.para, "month");
	}
	free(wd);
	free(wm);
	free(fold);
}

static void
check_date(kh_validator *v, struct date *own)
{
	const struct meta *m = filled(v, "date");
	char today[16];

	own->y = own->m = own->d = -2;
	if (filled(v, "place") == NULL)
		report(v, R_PLACE_MISSING, NULL, "expected the place of issue "
		    "before the date, found none");
	if (m == NULL) {
		report(v, R_DATE_MISSING, NULL, "expected the date of issue, "
		    "found none");
		return;
	}
	if (date_parse(m->value, own) == -1) {
		own->y = -2;
		report(v, R_DATE_INVALID, &m->loc, "expected a date as "
		    "YYYY-MM-DD, found %Q", m->value);
		return;
	}
	if (date_blank(own))
		report(v, R_DATE_BLANK, &m->loc, "the %s of %Q is still blank",
		    own->d < 0 && own->m >= 0 && own->y >= 0 ? "day" : "date",
		    m->value);
	if (!date_real(own)) {
		report(v, R_DATE_INVALID, &m->loc, "expected a real date, "
		    "found %Q", m->value);
		own->y = -2;
		return;
	}
	if (date_lo(own) > date_lo(&v->today)) {
		snprintf(today, sizeof(today), "%04d-%02d-%02d", v->today.y,
		    v->today.m, v->today.d);
		report(v, R_DATE_FUTURE, &m->loc, "expected a date not after "
		    "today, %s, found %Q", today, m->value);
	}
	check_printed_date(v, m);
}

/* Title and trích yếu. */

static void
check_title(kh_validator *v)
{
	const char *want = kh_profile_param(v->prof, R_TITLE_MISSING);
	const char *pre = kh_profile_param(v->prof, R_SUBJECT_PREFIX);
	const struct meta *s;
	char *a;

	if (filled(v, "title") == NULL) {
		if (want[0] != '\0')
			report(v, R_TITLE_MISSING, NULL, "expected the type "
			    "name %Q, found none", want);
		else
			report(v, R_TITLE_MISSING, NULL, "expected the type "
			    "name, found none");
	}
	if ((s = filled(v, "subject")) == NULL) {
		report(v, R_SUBJECT_MISSING, NULL, "expected the trích yếu, "
		    "found none");
		return;
	}
	if (pre[0] != '\0' && on(v, R_SUBJECT_PREFIX) &&
	    !starts_any(s->value, pre, 1)) {
		a = alts_text(pre, 1);
		report(v, R_SUBJECT_PREFIX, &s->loc, "expected the trích yếu "
		    "to start with %s, found %Q", a, s->value);
		free(a);
	}
}

/* Citations. */

/* The year of a symbol that holds one ("91/2017/NĐ-CP"), or -1. */
static int
symbol_year(const char *s)
{
	const char *slash = strchr(s, '/');

	if (slash == NULL || seg(slash + 1) != 4 || slash[5] != '/')
		return -1;
	return date_part(slash + 1, 4) >= 0 ? date_part(slash + 1, 4) : -1;
}

static void
check_refs(kh_validator *v, const struct date *own)
{
	const struct meta *num = filled(v, "number"), *dm = filled(v, "date");
	struct date d, limit;
	struct symbol sym;
	const struct ref *r;
	char when[16];
	size_t i;
	int selfnum, ry, oy;

	/* Not after the document, or not after today when it has no date. */
	if (own->y != -2)
		limit = *own;
	else
		limit = v->today;
	snprintf(when, sizeof(when), "%04d-%02d-%02d", v->today.y, v->today.m,
	    v->today.d);
	selfnum = num != NULL && symbol_parse(num->value, &sym) == 0 &&
	    !sym.blank;
	for (i = 0; i < v->nrefs; i++) {
		r = &v->refs[i];
		ry = -1;
		if (r->date[0] != '\0') {
			if (date_parse(r->date, &d) == -1 || date_blank(&d) ||
			    !date_real(&d)) {
				report(v, R_CITE_DATE_INVALID, &r->loc,
				    "expected a real date for %Q, found %Q",
				    r->number[0] != '\0' ? r->number :
				    "the cited document", r->date);
				continue;
			}
			ry = d.y;
			if (date_lo(&d) > date_hi(&limit)) {
				if (own->y != -2)
					report(v, R_CITE_DATE_AFTER, &r->loc,
					    "expected a cited date not after "
					    "the document's, %Q, found %Q",
					    dm->value, r->date);
				else
					report(v, R_CITE_DATE_AFTER, &r->loc,
					    "expected a cited date not after "
					    "today, %s, found %Q", when,
					    r->date);
			}
		}
		if (!selfnum || strcmp(r->number, num->value) != 0)
			continue;
		/* A number restarts every year: the year tells them apart. */
		if (ry == -1)
			ry = symbol_year(r->number);
		oy = own->y > 0 ? own->y : symbol_year(num->value);
		if (ry != -1 && ry == oy)
			report(v, R_CITE_SELF, &r->loc, "expected citations of "
			    "other documents, found the document's own number "
			    "%Q of %d", r->number, ry);
	}
}

/* The outline. */

static int
roman_value(const char *s, size_t n)
{
	static const char *const r[] = { "", "I", "II", "III", "IV", "V",
	    "VI", "VII", "VIII", "IX" };
	static const char *const x[] = { "", "X", "XX", "XXX", "XL", "L",
	    "LX", "LXX", "LXXX", "XC" };
	char buf[16];
	int val;

	/* Below 100 is plenty for parts; check by writing back. */
	for (val = 1; val < 100; val++) {
		snprintf(buf, sizeof(buf), "%s%s", x[val / 10], r[val % 10]);
		if (strlen(buf) == n && strncmp(buf, s, n) == 0)
			return val;
	}
	return -1;
}

static void
roman(char *buf, size_t size, int val, int isroman)
{
	static const char *const r[] = { "", "I", "II", "III", "IV", "V",
	    "VI", "VII", "VIII", "IX" };
	static const char *const x[] = { "", "X", "XX", "XXX", "XL", "L",
	    "LX", "LXX", "LXXX", "XC" };

	if (isroman && val > 0 && val < 100)
		snprintf(buf, size, "%s%s", x[val / 10], r[val % 10]);
	else
		snprintf(buf, size, "%d", val);
}

/*
 * The value of a part or item number ("II", "IV.", "3", "Điều 3"), -1
 * when it has none; *isroman says whether it was written in Roman
 * numerals.
 */
static int
sec_value(const char *s, int *isroman)
{
	size_t n = strlen(s), k;
	int val = 0;

	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ')' ||
	    s[n - 1] == ' '))
		n--;
	*isroman = 0;
	if (n > 0 && strspn(s, "IVXLC") >= n) {
		*isroman = 1;
		return roman_value(s, n);
	}
	/* "3" or "Điều 3", not "1.2.3", which is a sub-item. */
	for (k = n; k > 0 && s[k - 1] >= '0' && s[k - 1] <= '9'; k--)
		continue;
	if (k == n || n - k > 6 || (k > 0 && s[k - 1] != ' '))
		return -1;
	for (; k < n; k++)
		val = val * 10 + (s[k] - '0');
	return val;
}

/* "III is missing", "III and IV are missing", "III to VI are missing" */
static void
missing_text(char *buf, size_t size, int from, int to, int isroman)
{
	char a[16], b[16];

	roman(a, sizeof(a), from, isroman);
	roman(b, sizeof(b), to, isroman);
	if (from == to)
		snprintf(buf, size, "%s is missing", a);
	else
		snprintf(buf, size, "%s %s %s are missing", a,
		    to == from + 1 ? "and" : "to", b);
}

struct seen {
	int	*val;
	long	*para;
	size_t	 n;
};

static long
seen_at(const struct seen *s, int val)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->val[i] == val)
			return s->para[i];
	return -1;
}

static void
seen_add(struct seen *s, int val, long para)
{
	s->val = kh_xreallocarray(s->val, s->n + 1, sizeof(*s->val));
	s->para = kh_xreallocarray(s->para, s->n + 1, sizeof(*s->para));
	s->val[s->n] = val;
	s->para[s->n++] = para;
}

static void
check_outline(kh_validator *v)
{
	struct seen parts = { NULL, NULL, 0 }, items = { NULL, NULL, 0 };
	const struct sec *s;
	char a[16], b[16], part[48], miss[64];
	int val, prev = 0, item = 0, rom, prom = 1;
	long first;
	size_t i;

	part[0] = '\0';
	for (i = 0; i < v->nsecs; i++) {
		s = &v->secs[i];
		if ((s->level != 1 && s->level != 2) ||
		    (val = sec_value(s->number, &rom)) <= 0)
			continue;
		roman(a, sizeof(a), val, rom);
		if (s->level == 1) {
			if ((first = seen_at(&parts, val)) != -1)
				report(v, R_SECTION_DUPLICATE, &s->loc,
				    "expected each part once, found part %s "
				    "again (first in paragraph %ld)", a, first);
			else if (prev == 0 && val != 1) {
				roman(b, sizeof(b), 1, rom);
				report(v, R_SECTION_ORDER, &s->loc, "expected "
				    "the first part to be %s, found %s", b, a);
			} else if (prev != 0 && val > prev + 1) {
				roman(b, sizeof(b), prev, prom);
				missing_text(miss, sizeof(miss), prev + 1,
				    val - 1, rom);
				report(v, R_SECTION_ORDER, &s->loc, "part %s "
				    "is followed by %s: %s", b, a, miss);
			} else if (prev != 0 && val < prev) {
				roman(b, sizeof(b), prev, prom);
				report(v, R_SECTION_ORDER, &s->loc, "part %s "
				    "is followed by %s: expected %s after "
				    "%s", b, a, (roman(miss, sizeof(miss),
				    prev + 1, prom), miss), b);
			}
			if (seen_at(&parts, val) == -1)
				seen_add(&parts, val, s->loc.para);
			prev = val;
			prom = rom;
			snprintf(part, sizeof(part), " in part %s", a);
			item = 0;
			items.n = 0;
			continue;
		}
		if ((first = seen_at(&items, val)) != -1)
			report(v, R_SECTION_DUPLICATE, &s->loc, "expected each "
			    "item once%s, found item %d again (first in "
			    "paragraph %ld)", part, val, first);
		else if (item == 0 && val != 1)
			report(v, R_ITEM_ORDER, &s->loc, "expected the items%s "
			    "to start at 1, found %d", part, val);
		else if (item != 0 && val > item + 1) {
			missing_text(miss, sizeof(miss), item + 1, val - 1, 0);
			report(v, R_ITEM_ORDER, &s->loc, "item %d is followed "
			    "by %d%s: %s", item, val, part, miss);
		} else if (item != 0 && val < item)
			report(v, R_ITEM_ORDER, &s->loc, "item %d is followed "
			    "by %d%s: expected %d", item, val, part, item + 1);
		if (seen_at(&items, val) == -1)
			seen_add(&items, val, s->loc.para);
		item = val;
	}
	free(parts.val);
	free(parts.para);
	free(items.val);
	free(items.para);
}

static void
check_parts(kh_validator *v)
{
	const char *alts;
	size_t i, k;
	char *a;
	int found;

	for (i = 0; i < kh_profile_nparts(v->prof); i++) {
		alts = kh_profile_part(v->prof, i);
		found = 0;
		for (k = 0; !found && k < v->nsecs; k++)
			found = v->secs[k].level == 1 &&
			    starts_any(v->secs[k].heading, alts, 0);
		if (found)
			continue;
		a = alts_text(alts, 1);
		report(v, R_PART_MISSING, NULL, "expected a part %s, found "
		    "none", a);
		free(a);
	}
}

/* The signature. */

/* Where the lines of the signature block are read from. */
struct cursor {
	long		 para;
	const char	*text;		/* NULL when it is not kept */
	const char	*pos;		/* the next line, or NULL at the end */
};

/*
 * The next line with some text, from the current paragraph or the kept
 * paragraphs after it; *loc gets where it starts.  NULL at the end.
 */
static char *
next_line(const kh_validator *v, struct cursor *c, kh_loc *loc)
{
	const struct ptext *next;
	const char *nl;
	char *line;

	for (;;) {
		while (c->pos != NULL) {
			nl = strchr(c->pos, '\n');
			line = trim(c->pos, nl != NULL ? (size_t)(nl - c->pos) :
			    strlen(c->pos));
			loc->para = c->para;
			loc->col = (long)kh_utf8_count(c->text,
			    (size_t)(c->pos - c->text)) + 1;
			loc->end = 0;
			c->pos = nl != NULL ? nl + 1 : NULL;
			if (line[0] != '\0')
				return line;
			free(line);
		}
		if ((next = text_after(v, c->para)) == NULL)
			return NULL;
		c->para = next->para;
		c->text = c->pos = next->text;
	}
}

/*
 * The head's title after "KT." (on its line, or on the next one) and the
 * line after it, which should be the deputy's title.  Returns the deputy's
 * line (NULL when there is none) and sets *head (NULL when the text of the
 * block was not kept or has no "KT.").
 */
static char *
deputy_line(const kh_validator *v, long para, char **head, kh_loc *loc)
{
	struct cursor c;
	const char *p, *nl;
	kh_loc hloc;

	*head = NULL;
	if ((c.text = text_of(v, para)) == NULL)
		return NULL;
	c.para = para;
	for (p = c.text; p != NULL; p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		p += strspn(p, " \t");
		if (strncmp(p, "KT.", 3) == 0)
			break;
	}
	if (p == NULL)
		return NULL;
	c.pos = p + 3;
	/* The rest of the KT. line, so that "KT." alone takes the next. */
	*head = next_line(v, &c, &hloc);
	if (*head == NULL)
		return NULL;
	return next_line(v, &c, loc);
}

static void
check_signature(kh_validator *v)
{
	const struct meta *a = filled(v, "sign-authority");
	const struct meta *t = filled(v, "sign-title");
	const char *allowed = kh_profile_param(v->prof, R_SIGN_AUTHORITY);
	const char *deputy = kh_profile_param(v->prof, R_SIGN_DEPUTY);
	char *copy, *p, *alt, *head, *line, *list, *fh, *fl;
	const kh_loc *where;
	kh_loc loc;
	int ok = 0;

	if (a != NULL && allowed[0] != '\0') {
		copy = kh_xstrdup(allowed);
		for (p = copy; !ok && (alt = strsep(&p, "|")) != NULL; )
			ok = strcmp(alt, a->value) == 0;
		free(copy);
		if (!ok) {
			list = alts_text(allowed, 0);
			report(v, R_SIGN_AUTHORITY, &a->loc, "expected one of "
			    "%s, found %Q", list, a->value);
			free(list);
		}
	}
	if (a != NULL && strcmp(a->value, "KT.") == 0 && deputy[0] != '\0' &&
	    on(v, R_SIGN_DEPUTY)) {
		list = alts_text(deputy, 1);
		if ((line = deputy_line(v, a->loc.para, &head, &loc)) != NULL) {
			fh = norm(head, 0);
			fl = norm(line, 0);
			if (strcmp(fh, fl) == 0)
				report(v, R_SIGN_DEPUTY, &loc, "expected a "
				    "deputy's title starting %s after KT. "
				    "%Q, found %Q again", list, head, line);
			else if (!starts_any(line, deputy, 0))
				report(v, R_SIGN_DEPUTY, &loc, "expected a "
				    "deputy's title starting %s after KT. "
				    "%Q, found %Q", list, head, line);
			free(fh);
			free(fl);
			free(line);
		} else if (head != NULL)
			report(v, R_SIGN_DEPUTY, &a->loc, "expected a deputy's "
			    "title starting %s after KT. %Q, found "
			    "nothing",
			    list, head);
		else if (t != NULL && !starts_any(t->value, deputy, 0))
			/* Without the text, the meta must do. */
			report(v, R_SIGN_DEPUTY, &t->loc, "expected a deputy's "
			    "title starting %s after KT., found %Q", list,
			    t->value);
		free(head);
		free(list);
	}
	if (filled(v, "signer") == NULL) {
		where = t != NULL ? &t->loc : a != NULL ? &a->loc : NULL;
		report(v, R_SIGNER_MISSING, where, "expected the signer's "
		    "name, found none");
	}
}

/* Nơi nhận and Kính gửi. */

/* Whether s holds a letter or a digit. */
static int
named(const char *s, size_t len)
{
	size_t i = 0;
	int32_t cp;
	int cat;

	while (i < len) {
		i += kh_utf8_decode(s + i, &cp);
		cat = utf8proc_category(cp);
		if ((cat >= UTF8PROC_CATEGORY_LU &&
		    cat <= UTF8PROC_CATEGORY_LO) || cat == UTF8PROC_CATEGORY_ND)
			return 1;
	}
	return 0;
}

static void
check_recipients(kh_validator *v)
{
	const struct meta *m, *last = NULL;
	const char *arch = kh_profile_param(v->prof, R_RECIPIENTS_ARCHIVE);
	const char *p, *semi;
	char *a;
	size_t i;
	int n;

	if (on(v, R_ADDRESSEE_MISSING) && filled(v, "addressee") == NULL)
		report(v, R_ADDRESSEE_MISSING, NULL, "expected a \"Kính gửi:\" "
		    "line, found none");
	for (i = 0; i < v->nmetas; i++) {
		m = &v->metas[i];
		if (strcmp(m->name, "recipient") != 0)
			continue;
		last = m;
		/* "- A; B;" names two: the pieces between semicolons that hold text. */
		n = 0;
		for (p = m->value; p != NULL; p = semi != NULL ? semi + 1 :
		    NULL) {
			semi = strchr(p, ';');
			if (named(p, semi != NULL ? (size_t)(semi - p) :
			    strlen(p)))
				n++;
		}
		if (n > 1)
			report(v, R_RECIPIENT_LINE, &m->loc, "expected one "
			    "recipient a line, found %d in %Q", n, m->value);
	}
	if (last == NULL) {
		report(v, R_RECIPIENTS_MISSING, NULL, "expected a \"Nơi "
		    "nhận:\" block, found none");
		return;
	}
	p = last->value + strspn(last->value, "-+ \t");
	if (arch[0] != '\0' && !starts_any(p, arch, 1)) {
		a = alts_text(arch, 1);
		report(v, R_RECIPIENTS_ARCHIVE, &last->loc, "expected the last "
		    "line of the Nơi nhận to start with %s, found %Q", a,
		    last->value);
		free(a);
	}
}

/* The kind of the document, which picks its profile. */
static const char *
kind_of(const kh_validator *v)
{
	const struct meta *m;
	const char *code;
	struct symbol sym;

	if ((m = meta(v, "kind")) != NULL)
		return m->value[0] != '\0' ? m->value : "CV";
	if ((m = filled(v, "title")) != NULL && v->vocab != NULL &&
	    (code = kh_vocab_code(v->vocab, m->value, strlen(m->value))) !=
	    NULL)
		return code[0] != '\0' ? code : "CV";
	if ((m = filled(v, "number")) != NULL &&
	    symbol_parse(m->value, &sym) == 0 && !sym.party)
		return symbol_code(v, &sym)[0] != '\0' ? symbol_code(v, &sym) :
		    "CV";
	return NULL;
}

static int
diagcmp(const void *pa, const void *pb)
{
	const kh_diag *a = pa, *b = pb;
	int c;

	if ((c = kh_loc_cmp(&a->loc, &b->loc)) != 0)
		return c;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return strcmp(a->msg, b->msg);
}

size_t
kh_validator_end(kh_validator *v, const kh_diag **diags,
    const kh_profile **profile)
{
	struct date own;

	v->prof = kh_profiles_pick(v->profiles, kind_of(v));
	check_motto(v);
	if (filled(v, "agency") == NULL)
		report(v, R_AGENCY_MISSING, NULL, "expected the issuing body, "
		    "found none");
	check_number(v);
	check_date(v, &own);
	check_title(v);
	check_refs(v, &own);
	check_outline(v);
	check_parts(v);
	check_signature(v);
	check_recipients(v);
	if (v->ndiags > 1)
		qsort(v->diags, v->ndiags, sizeof(*v->diags), diagcmp);
	*diags = v->diags;
	if (profile != NULL)
		*profile = v->prof;
	return v->ndiags;
}
