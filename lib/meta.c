/*
 * meta.c: the document's own properties (meta records): issuing body,
 * number, place and date, type name and summary, national motto,
 * signature block, recipients.
 *
 * Decided paragraph by paragraph as they stream past, keeping only the
 * records found and a few flags, so memory does not grow with the
 * document.  Where a property is found twice the later wins for the
 * closing blocks (a signature block is at the end) and the earlier for the
 * header.  Matching is on the fold of the text, so case, tone placement,
 * Ð and dash look-alikes do not matter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kh.h"
#include "recog.h"
#include "text.h"

#define HEADER_PARAS	64	/* the header is read in the first paragraphs */
#define NAME_MAX_LEN	80

struct meta_rec {
	char	*name;
	char	*value;
	kh_loc	 loc;
};

struct kh_meta {
	const kh_vocab	*vocab;
	struct meta_rec	*v;
	size_t		 n;
	struct meta_rec	*diag;	/* name = rule, value = message */
	size_t		 ndiag;

	int		 seen_number, seen_date, seen_title, seen_motto;
	int		 want_motto2;	/* the line after the national name */
	int		 want_subject;
	int		 agency_lines;	/* header lines before "Số" */
	long		 agency_loc[2];
	char		*agency_text[2];
	int		 header_table;	/* the header is table 1 */
	int		 in_recipients;	/* after "Nơi nhận:" */
	int		 recipient_cell;
	int		 in_addressee;
	int		 sig_state;	/* 1 after the authority, 2 after the title */
	int		 sig_cell, sig_table;
	long		 paras;
};

kh_meta *
kh_meta_new(const kh_vocab *v)
{
	kh_meta *m;

	m = kh_xcalloc(1, sizeof(*m));
	m->vocab = v;
	m->recipient_cell = -1;
	return m;
}

static void
rec_free(struct meta_rec *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].name);
		free(r[i].value);
	}
	free(r);
}

void
kh_meta_free(kh_meta *m)
{
	if (m == NULL)
		return;
	rec_free(m->v, m->n);
	rec_free(m->diag, m->ndiag);
	free(m->agency_text[0]);
	free(m->agency_text[1]);
	free(m);
}

static void
add(struct meta_rec **v, size_t *n, const char *name, const char *value,
    size_t vlen, const kh_loc *loc)
{
	*v = kh_xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].name = kh_xstrdup(name);
	(*v)[*n].value = kh_xstrndup(value, vlen);
	(*v)[*n].loc = *loc;
	(*n)++;
}

static int
has(const kh_meta *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].name, name) == 0)
			return 1;
	return 0;
}

/* Drop every record of name: a later find replaces an earlier one. */
static void
drop(kh_meta *m, const char *name)
{
	size_t i, k = 0;

	for (i = 0; i < m->n; i++) {
		if (strcmp(m->v[i].name, name) == 0) {
			free(m->v[i].name);
			free(m->v[i].value);
		} else
			m->v[k++] = m->v[i];
	}
	m->n = k;
}

static void
set(kh_meta *m, const char *name, const char *value, size_t len, long para)
{
	kh_loc loc = { para, 0, 0 };

	add(&m->v, &m->n, name, value, len, &loc);
}

/* Trimmed copy bounds of s: leading and trailing spaces, tabs, newlines. */
static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && strchr(" \t\n", **s) != NULL) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && strchr(" \t\n", (*s)[*len - 1]) != NULL)
		(*len)--;
}

static int
starts(const char *fold, size_t flen, const char *word)
{
	size_t n = strlen(word);

	return flen >= n && memcmp(fold, word, n) == 0;
}

/* Whether s has capital letters and no small ones. */
static int
all_caps(const char *s, size_t len)
{
	size_t i = 0;
	int32_t cp;
	int upper = 0;

	while (i < len) {
		i += kh_utf8_decode(s + i, &cp);
		switch (utf8proc_category(cp)) {
		case UTF8PROC_CATEGORY_LL:
			return 0;
		case UTF8PROC_CATEGORY_LU:
			upper = 1;
			break;
		default:
			break;
		}
	}
	return upper;
}

/*
 * The number and symbol normalized: NFC already, Đ for Ð, every dash as
 * "-", no spaces.
 */
static char *
normalize_number(const char *s, size_t len, long para, kh_meta *m,
    size_t col0)
{
	kh_buf b = KH_BUF_INIT;
	size_t i = 0, col = col0;
	int32_t cp;
	char enc[4];

	kh_buf_adds(&b, "");
	while (i < len) {
		size_t k = kh_utf8_decode(s + i, &cp);

		col++;
		if (cp == 0x00d0) {
			char msg[128];
			kh_loc loc = { para, (long)col, (long)col + 1 };

			snprintf(msg, sizeof(msg), "look-alike letter \xc3\x90 "
			    "(U+00D0) in the symbol; Đ (U+0110) is meant");
			add(&m->diag, &m->ndiag, "lookalike-d", msg,
			    strlen(msg), &loc);
			cp = 0x0110;
		} else if (cp == 0x00f0)
			cp = 0x0111;
		else if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212)
			cp = '-';
		if (cp == ' ' || cp == '\t' || cp == 0x00a0 || cp == '\n') {
			i += k;
			continue;
		}
		kh_buf_add(&b, enc, kh_utf8_encode(cp, enc));
		i += k;
	}
	return b.s;
}

/* The type code carried by a symbol: "15/KH-SXD" KH, "04-NQ/TU" NQ, "" none. */
static void
symbol_kind(const kh_meta *m, const char *num, char *kind, size_t size)
{
	const char *slash, *p, *end;
	size_t n;

	kind[0] = '\0';
	if ((slash = strchr(num, '/')) == NULL)
		return;
	p = num;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '-' && p < slash) {
		/* Party: "04-NQ/TU". */
		p++;
		end = slash;
	} else {
		/* Administrative or normative: the segment after the last "/". */
		p = strrchr(num, '/') + 1;
		end = strchr(p, '-');
		if (end == NULL)
			return;
	}
	n = (size_t)(end - p);
	if (n == 0 || n >= size)
		return;
	memcpy(kind, p, n);
	kind[n] = '\0';
	if (kh_vocab_name(m->vocab, kind) == NULL)
		kind[0] = '\0';	/* "1032/SXD-VP": a công văn's */
}

static int
digits(const char *s, size_t n, int *v)
{
	size_t i;

	*v = 0;
	if (n == 0 || n > 4)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

static int
days_in(int m, int y)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/*
 * "Tây Ninh, ngày 10 tháng 01 năm 2022", the day or month possibly blank.
 * fold is the fold of text, code point for code point.
 */
static int
place_date(kh_meta *m, const kh_para *p, const char *text, size_t len,
    const char *fold, size_t flen)
{
	const char *ngay, *thang, *nam, *q;
	char iso[48], dd[12], mm[12];
	size_t plen;
	int d = 0, mo = 0, y, hasd, hasm;

	if ((ngay = strstr(fold, "ngày")) == NULL ||
	    (thang = strstr(ngay, "tháng")) == NULL ||
	    (nam = strstr(thang, "năm")) == NULL)
		return 0;
	/* The place: what stands before the comma before "ngày". */
	for (q = ngay; q > fold && (q[-1] == ' ' || q[-1] == '\t'); q--)
		;
	if (q == fold || q[-1] != ',')
		return 0;
	q--;
	plen = (size_t)(q - fold);
	if (plen == 0 || plen > NAME_MAX_LEN)
		return 0;
	{
		const char *a = ngay + strlen("ngày"), *b = thang, *c, *e;

		while (a < b && *a == ' ')
			a++;
		while (b > a && b[-1] == ' ')
			b--;
		hasd = digits(a, (size_t)(b - a), &d);
		if (!hasd && b != a)
			return 0;
		c = thang + strlen("tháng");
		e = nam;
		while (c < e && *c == ' ')
			c++;
		while (e > c && e[-1] == ' ')
			e--;
		hasm = digits(c, (size_t)(e - c), &mo);
		if (!hasm && e != c)
			return 0;
		c = nam + strlen("năm");
		while (*c == ' ')
			c++;
		if (!digits(c, 4, &y) || (c[4] >= '0' && c[4] <= '9'))
			return 0;
	}
	/* Byte offsets in the fold are byte offsets in the text for ASCII places only: copy by code points. */
	{
		size_t cps = kh_utf8_count(fold, plen);
		size_t off = kh_utf8_offset(text, len, cps);

		set(m, "place", text, off, p->index);
	}
	if ((hasd && (d < 1 || d > 31)) || (hasm && (mo < 1 || mo > 12)) ||
	    (hasd && hasm && d > days_in(mo, y))) {
		char msg[96];
		kh_loc loc = { p->index, 0, 0 };

		snprintf(msg, sizeof(msg), "impossible date: day %d of month "
		    "%d of %d", d, mo, y);
		add(&m->diag, &m->ndiag, "impossible-date", msg, strlen(msg),
		    &loc);
		set(m, "date", "", 0, p->index);
		return 1;
	}
	if (hasd)
		snprintf(dd, sizeof(dd), "%02d", d);
	else
		snprintf(dd, sizeof(dd), "__");
	if (hasm)
		snprintf(mm, sizeof(mm), "%02d", mo);
	else
		snprintf(mm, sizeof(mm), "__");
	snprintf(iso, sizeof(iso), "%04d-%s-%s", y, mm, dd);
	set(m, "date", iso, strlen(iso), p->index);
	return 1;
}

/* "TM.", "KT.", "TL.", "TUQ.", "Q.", and the Party's "T/M", "K/T", "T/L". */
static size_t
authority(const char *s, size_t len)
{
	static const char *const prefixes[] = { "TM.", "KT.", "TL.", "TUQ.",
	    "Q.", "T/M", "K/T", "T/L", "T.M", "K.T", "T.L" };
	size_t i, n;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (len > n && memcmp(s, prefixes[i], n) == 0 &&
		    (s[n] == ' ' || s[n] == '\t'))
			return n;
	}
	return 0;
}

/* A recipient line: the leading dash and the closing ";" or "." dropped. */
static void
recipient(kh_meta *m, const char *name, const char *s, size_t len,
    long para)
{
	trim(&s, &len);
	if (len > 0 && (s[0] == '-' || s[0] == '+' || s[0] == '*')) {
		s++;
		len--;
	} else if (len >= 3 && memcmp(s, "\xe2\x80\x93", 3) == 0) {
		s += 3;
		len -= 3;
	}
	trim(&s, &len);
	while (len > 0 && (s[len - 1] == ';' || s[len - 1] == '.' ||
	    s[len - 1] == ','))
		len--;
	trim(&s, &len);
	if (len > 0)
		set(m, name, s, len, para);
}

/* Each line of s (lines split by "\n") as a recipient. */
static void
recipients(kh_meta *m, const char *name, const char *s, size_t len,
    long para)
{
	const char *nl;

	while (len > 0) {
		nl = memchr(s, '\n', len);
		if (nl == NULL) {
			recipient(m, name, s, len, para);
			return;
		}
		recipient(m, name, s, (size_t)(nl - s), para);
		len -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
}

void
kh_meta_para(kh_meta *m, const kh_para *p, const char *label,
    const char *text, size_t len)
{
	char *fold, *whole = NULL;
	size_t flen, n, wlen;
	const char *s, *nl;
	int header;

	if (p->story != KH_STORY_BODY && p->story != KH_STORY_TABLE &&
	    p->story != KH_STORY_TEXTBOX)
		return;
	m->paras++;
	/* Labels belong to the line here ("- Như trên;", "KT. ..."). */
	if (label[0] != '\0') {
		kh_buf b = KH_BUF_INIT;

		kh_buf_adds(&b, label);
		kh_buf_addc(&b, ' ');
		kh_buf_add(&b, text, len);
		whole = b.s;
		text = whole;
		len = b.len;
	}
	s = text;
	wlen = len;
	trim(&s, &wlen);
	fold = kh_fold(s, wlen, &flen);
	header = m->paras <= HEADER_PARAS && !m->seen_title;

	if (wlen == 0) {
		/* A blank line ends a list of recipients written as paragraphs. */
		if (m->in_recipients == 2 && p->table == 0)
			m->in_recipients = 0;
		if (m->in_addressee == 2)
			m->in_addressee = 0;
		goto done;
	}

	/* Closing blocks: recipients and signature, anywhere after the title. */
	if (starts(fold, flen, "nơi nhận")) {
		const char *colon = memchr(s, ':', wlen);

		drop(m, "recipient");
		m->in_recipients = 1;
		m->recipient_cell = p->cell;
		if (colon != NULL)
			recipients(m, "recipient", colon + 1,
			    wlen - (size_t)(colon + 1 - s), p->index);
		goto done;
	}
	if (m->in_recipients) {
		if (p->table > 0 && p->cell != m->recipient_cell)
			m->in_recipients = 0;
		else if (s[0] == '-' || s[0] == '+' ||
		    starts(fold, flen, "lưu") || m->in_recipients == 1 ||
		    memchr(s, '\n', wlen) != NULL) {
			recipients(m, "recipient", s, wlen, p->index);
			m->in_recipients = 2;
			if (starts(fold, flen, "lưu"))
				m->in_recipients = 0;
			goto done;
		} else
			m->in_recipients = 0;
	}
	if (starts(fold, flen, "kính gửi")) {
		const char *colon = memchr(s, ':', wlen);

		m->in_addressee = 1;
		if (colon != NULL && colon + 1 < s + wlen) {
			recipients(m, "addressee", colon + 1,
			    wlen - (size_t)(colon + 1 - s), p->index);
			m->in_addressee = 2;
		}
		goto done;
	}
	if (m->in_addressee) {
		if (s[0] == '-' || s[0] == '+') {
			recipients(m, "addressee", s, wlen, p->index);
			m->in_addressee = 2;
			goto done;
		}
		m->in_addressee = 0;
	}
	if ((n = authority(s, wlen)) > 0 && all_caps(s, wlen)) {
		const char *rest = s + n;
		size_t rlen = wlen - n;

		drop(m, "sign-authority");
		drop(m, "sign-for");
		drop(m, "sign-title");
		drop(m, "signer");
		set(m, "sign-authority", s, n, p->index);
		trim(&rest, &rlen);
		m->sig_state = 1;
		/* "KT. GIÁM ĐỐC" and "PHÓ GIÁM ĐỐC" may share a paragraph. */
		if ((nl = memchr(rest, '\n', rlen)) != NULL) {
			const char *t = nl + 1;
			size_t tlen = rlen - (size_t)(t - rest);

			rlen = (size_t)(nl - rest);
			trim(&rest, &rlen);
			if ((nl = memchr(t, '\n', tlen)) != NULL)
				tlen = (size_t)(nl - t);
			trim(&t, &tlen);
			if (tlen > 0) {
				set(m, "sign-title", t, tlen, p->index);
				m->sig_state = 2;
			}
		}
		set(m, "sign-for", rest, rlen, p->index);
		m->sig_cell = p->cell;
		m->sig_table = p->table_no;
		goto done;
	}
	if (m->sig_state > 0 && (p->table_no != m->sig_table ||
	    p->cell != m->sig_cell))
		m->sig_state = 0;
	if (m->sig_state == 1 && all_caps(s, wlen)) {
		set(m, "sign-title", s, wlen, p->index);
		m->sig_state = 2;
		goto done;
	}
	if (m->sig_state == 2) {
		/* The signer: a name, not a note such as "(Đã ký)". */
		if (s[0] != '(' && !all_caps(s, wlen) && wlen <= NAME_MAX_LEN) {
			drop(m, "signer");
			set(m, "signer", s, wlen, p->index);
		}
		goto done;
	}
	/*
	 * A head signing alone has no authority prefix: "GIÁM ĐỐC" in the
	 * other cell of the closing table, after "Nơi nhận".
	 */
	if (m->seen_title && m->sig_state == 0 && p->table > 0 &&
	    m->recipient_cell >= 0 && p->cell != m->recipient_cell &&
	    has(m, "recipient") && all_caps(s, wlen) && wlen <= NAME_MAX_LEN) {
		drop(m, "sign-authority");
		drop(m, "sign-for");
		drop(m, "sign-title");
		drop(m, "signer");
		set(m, "sign-title", s, wlen, p->index);
		m->sig_state = 2;
		m->sig_cell = p->cell;
		m->sig_table = p->table_no;
		goto done;
	}

	if (!header)
		goto after_header;

	/* The national name and motto, or the Party's name. */
	if (starts(fold, flen, "cộng hoà xã hội chủ nghĩa việt nam") ||
	    starts(fold, flen, "đảng cộng sản việt nam")) {
		if (!m->seen_motto) {
			set(m, "motto", s, wlen, p->index);
			m->seen_motto = 1;
			m->want_motto2 = starts(fold, flen, "cộng");
		}
		goto done;
	}
	if (m->want_motto2) {
		m->want_motto2 = 0;
		if (starts(fold, flen, "độc lập")) {
			size_t i;

			for (i = 0; i < m->n; i++)
				if (strcmp(m->v[i].name, "motto") == 0) {
					kh_buf b = KH_BUF_INIT;

					kh_buf_adds(&b, m->v[i].value);
					kh_buf_addc(&b, '\n');
					kh_buf_add(&b, s, wlen);
					free(m->v[i].value);
					m->v[i].value = b.s;
				}
			goto done;
		}
	}
	/* "Số: 15/KH-SXD", "Số:   /KH-SXD", the Party's "Số 04-NQ/TU". */
	if (!m->seen_number && starts(fold, flen, "số") &&
	    (flen == 4 || fold[4] == ':' || fold[4] == ' ' || fold[4] == '\t') &&
	    memchr(s, '/', wlen) != NULL) {
		const char *q = s + strlen("Số");
		size_t qlen = wlen - strlen("Số"), col0;
		char *num, kind[16];

		while (qlen > 0 && (*q == ' ' || *q == ':' || *q == '\t')) {
			q++;
			qlen--;
		}
		col0 = kh_utf8_count(s, (size_t)(q - s)) +
		    kh_utf8_count(text, (size_t)(s - text));
		num = normalize_number(q, qlen, p->index, m, col0);
		set(m, "number", num, strlen(num), p->index);
		symbol_kind(m, num, kind, sizeof(kind));
		if (kind[0] != '\0')
			set(m, "kind", kind, strlen(kind), p->index);
		free(num);
		m->seen_number = 1;
		goto done;
	}
	if (starts(fold, flen, "v/v")) {
		set(m, "subject", s, wlen, p->index);
		goto done;
	}
	if (!m->seen_date && place_date(m, p, s, wlen, fold, flen)) {
		m->seen_date = 1;
		goto done;
	}
	/* The type name: a line that is only a known type name in capitals. */
	if (!m->seen_title && all_caps(s, wlen) &&
	    kh_vocab_code(m->vocab, s, wlen) != NULL && p->table == 0) {
		const char *code = kh_vocab_code(m->vocab, s, wlen);
		set(m, "title", s, wlen, p->index);
		/* A blank or code-less number leaves the kind to the title. */
		if (!has(m, "kind") && code[0] != '\0')
			set(m, "kind", code, strlen(code), p->index);
		m->seen_title = 1;
		m->want_subject = 1;
		goto done;
	}
	/* The issuing body: capitals in the header before the number. */
	if (!m->seen_number && !m->seen_title && all_caps(s, wlen) &&
	    (p->table == 0 || p->cell == 0) && m->agency_lines < 2 &&
	    wlen <= NAME_MAX_LEN && strcmp(s, "*") != 0) {
		m->agency_text[m->agency_lines] = kh_xstrndup(s, wlen);
		m->agency_loc[m->agency_lines] = p->index;
		m->agency_lines++;
		goto done;
	}
	goto done;

after_header:
	if (m->want_subject) {
		m->want_subject = 0;
		set(m, "subject", s, wlen, p->index);
	}
done:
	free(fold);
	free(whole);
}

/* Whether a line goes on a name: it starts with a level of territory. */
static int
continues_name(const char *s)
{
	static const char *const words[] = { "tỉnh ", "thành phố ", "huyện ",
	    "quận ", "thị xã ", "xã ", "phường ", "thị trấn " };
	size_t i, flen;
	char *f;
	int yes = 0;

	f = kh_fold(s, strlen(s), &flen);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (starts(f, flen, words[i]))
			yes = 1;
	free(f);
	return yes;
}

static int
rec_cmp(const void *a, const void *b)
{
	const struct meta_rec *x = a, *y = b;

	return kh_loc_cmp(&x->loc, &y->loc);
}

void
kh_meta_finish(kh_meta *m, const kh_sink *sink)
{
	kh_loc loc = { 0, 0, 0 };
	size_t i;

	/*
	 * "ỦY BAN NHÂN DÂN" over "TỈNH TÂY NINH" is one name on two lines,
	 * not a body under its parent.
	 */
	if (m->agency_lines == 2 && continues_name(m->agency_text[1])) {
		kh_buf b = KH_BUF_INIT;

		kh_buf_adds(&b, m->agency_text[0]);
		kh_buf_addc(&b, ' ');
		kh_buf_adds(&b, m->agency_text[1]);
		loc.para = m->agency_loc[0];
		add(&m->v, &m->n, "agency", b.s, b.len, &loc);
		kh_buf_free(&b);
	} else if (m->agency_lines == 2) {
		loc.para = m->agency_loc[0];
		add(&m->v, &m->n, "parent-agency", m->agency_text[0],
		    strlen(m->agency_text[0]), &loc);
		loc.para = m->agency_loc[1];
		add(&m->v, &m->n, "agency", m->agency_text[1],
		    strlen(m->agency_text[1]), &loc);
	} else if (m->agency_lines == 1) {
		loc.para = m->agency_loc[0];
		add(&m->v, &m->n, "agency", m->agency_text[0],
		    strlen(m->agency_text[0]), &loc);
	}
	/* In the order of the document; equal places keep their order. */
	for (i = 1; i < m->n; i++) {
		struct meta_rec t = m->v[i];
		size_t k = i;

		while (k > 0 && rec_cmp(&m->v[k - 1], &t) > 0) {
			m->v[k] = m->v[k - 1];
			k--;
		}
		m->v[k] = t;
	}
	for (i = 0; i < m->n; i++)
		KH_EMIT(sink, "meta", &m->v[i].loc, m->v[i].name,
		    m->v[i].value);
	for (i = 0; i < m->ndiag; i++)
		KH_EMIT(sink, "diag", &m->diag[i].loc, "warning",
		    m->diag[i].name, m->diag[i].value);
}
