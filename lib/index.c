/*
 * index.c: the archive index khcite resolves citations against.
 *
 * Documents live in pages that never move, so a kh_idoc pointer stays
 * valid as the index grows; their strings live in an arena freed at once.
 * Three open-addressing tables map keys to documents: DOC keys (built as
 * documents come, for the citing document and for documents met twice),
 * normalized numbers and normalized names (built once by kh_index_finish,
 * when every meta record has been seen).  Documents sharing a number or a
 * name are chained by id, in the order they came, so a lookup costs one
 * probe and a walk along the few documents that share the key.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kh.h"
#include "khl.h"
#include "text.h"
#include "cite_index.h"

#define PAGE_BITS	12
#define PAGE_SIZE	(1u << PAGE_BITS)
#define ARENA_CHUNK	(1u << 20)
#define NONE		UINT32_MAX

/* Which fields the present origin has set (so input overrides an index). */
#define SET_NUMBER	0x01
#define SET_DATE	0x02
#define SET_KIND	0x04
#define SET_TITLE	0x08
#define SET_SUBJECT	0x10

struct entry {
	kh_idoc		 pub;
	const char	*numkey;	/* kh_number_key of the number, or NULL */
	const char	*namekey;	/* kh_name_key of a law's name, or NULL */
	uint32_t	 next_num;	/* the next document with this number */
	uint32_t	 next_name;
	uint32_t	 dhash;
	uint8_t		 set;
};

struct chunk {
	struct chunk	*next;
	size_t		 size;
	size_t		 used;
	char		 mem[];
};

/* An open-addressing table of document ids (+1, 0 is empty), with hashes. */
struct table {
	uint32_t	*slot;
	uint32_t	*hash;
	size_t		 cap;		/* a power of 2 */
	size_t		 n;
};

struct kh_index {
	int		 flags;
	struct entry	**page;
	size_t		 npages;
	uint32_t	 n;
	struct chunk	*arena;
	struct table	 docs, nums, names;
	struct entry	*last;		/* the document of the last record */
	kh_citation	*cites;
	size_t		 ncites, capcites;
	int		 sorted;
	kh_buf		 tmp;
};

/* The folded kinds whose documents are cited by name (khvocab(5)). */
static const char *const byname_kinds[] = {
	"bộ luật", "hiến pháp", "luật", "pháp lệnh"
};

static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	/* Fold the high bits in: the table uses the low ones. */
	return (uint32_t)(h ^ (h >> 32));
}

static char *
arena_alloc(kh_index *ix, size_t n)
{
	struct chunk *c = ix->arena;
	size_t size;

	if (c == NULL || c->size - c->used < n) {
		/* A big string gets a chunk of its own; the current one goes on. */
		size = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
		c = kh_xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		if (n > ARENA_CHUNK / 4 && ix->arena != NULL) {
			c->next = ix->arena->next;
			ix->arena->next = c;
		} else {
			c->next = ix->arena;
			ix->arena = c;
		}
	}
	c->used += n;
	return c->mem + c->used - n;
}

static const char *
arena_strndup(kh_index *ix, const char *s, size_t n)
{
	char *p = arena_alloc(ix, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static struct entry *
entry_at(const kh_index *ix, uint32_t id)
{
	return &ix->page[id >> PAGE_BITS][id & (PAGE_SIZE - 1)];
}

static struct entry *
entry_new(kh_index *ix, const char *doc, size_t len, int origin)
{
	struct entry *e;

	if (ix->n == NONE - 1)
		kh_xmalloc(SIZE_MAX);	/* out of ids: as out of memory */
	if ((ix->n >> PAGE_BITS) == ix->npages) {
		ix->page = kh_xreallocarray(ix->page, ix->npages + 1,
		    sizeof(*ix->page));
		ix->page[ix->npages++] = kh_xcalloc(PAGE_SIZE, sizeof(**ix->page));
	}
	e = entry_at(ix, ix->n);
	memset(e, 0, sizeof(*e));
	e->pub.id = ix->n++;
	e->pub.doc = arena_strndup(ix, doc, len);
	e->pub.origin = (uint8_t)origin;
	e->next_num = e->next_name = NONE;
	e->dhash = hash_bytes(doc, len);
	return e;
}

static void
table_init(struct table *t, size_t want)
{
	size_t cap = 64;

	while (cap < 2 * want)
		cap *= 2;
	free(t->slot);
	free(t->hash);
	t->slot = kh_xcalloc(cap, sizeof(*t->slot));
	t->hash = kh_xcalloc(cap, sizeof(*t->hash));
	t->cap = cap;
	t->n = 0;
}

static void
table_free(struct table *t)
{
	free(t->slot);
	free(t->hash);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t
table_probe(const kh_index *ix, const struct table *t, uint32_t h,
    const char *key, int which)
{
	size_t i;
	const struct entry *e;
	const char *k;

	for (i = h & (t->cap - 1); t->slot[i] != 0; i = (i + 1) & (t->cap - 1)) {
		if (t->hash[i] != h)
			continue;
		e = entry_at(ix, t->slot[i] - 1);
		k = which == 0 ? e->pub.doc : which == 1 ? e->numkey :
		    e->namekey;
		if (strcmp(k, key) == 0)
			return i;
	}
	return i;
}

static void
docs_grow(kh_index *ix)
{
	struct table old = ix->docs;
	size_t i, k;

	ix->docs.slot = NULL;
	ix->docs.hash = NULL;
	table_init(&ix->docs, old.cap);
	for (i = 0; i < old.cap; i++) {
		if (old.slot[i] == 0)
			continue;
		for (k = old.hash[i] & (ix->docs.cap - 1); ix->docs.slot[k] != 0;
		    k = (k + 1) & (ix->docs.cap - 1))
			;
		ix->docs.slot[k] = old.slot[i];
		ix->docs.hash[k] = old.hash[i];
	}
	ix->docs.n = old.n;
	table_free(&old);
}

/* The document DOC, made when create is set and it is not known. */
static struct entry *
doc_get(kh_index *ix, const char *doc, int create, int origin)
{
	uint32_t h;
	size_t i, len;
	struct entry *e;

	if (ix->last != NULL && strcmp(ix->last->pub.doc, doc) == 0)
		return ix->last;
	len = strlen(doc);
	h = hash_bytes(doc, len);
	i = table_probe(ix, &ix->docs, h, doc, 0);
	if (ix->docs.slot[i] != 0)
		return ix->last = entry_at(ix, ix->docs.slot[i] - 1);
	if (!create)
		return NULL;
	if (2 * (ix->docs.n + 1) > ix->docs.cap) {
		docs_grow(ix);
		i = table_probe(ix, &ix->docs, h, doc, 0);
	}
	e = entry_new(ix, doc, len, origin);
	ix->docs.slot[i] = e->pub.id + 1;
	ix->docs.hash[i] = h;
	ix->docs.n++;
	return ix->last = e;
}

kh_index *
kh_index_new(int flags)
{
	kh_index *ix;

	ix = kh_xcalloc(1, sizeof(*ix));
	ix->flags = flags;
	table_init(&ix->docs, 0);
	return ix;
}

void
kh_index_free(kh_index *ix)
{
	struct chunk *c, *next;
	size_t i;

	if (ix == NULL)
		return;
	for (i = 0; i < ix->npages; i++)
		free(ix->page[i]);
	free(ix->page);
	for (c = ix->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	table_free(&ix->docs);
	table_free(&ix->nums);
	table_free(&ix->names);
	free(ix->cites);
	kh_buf_free(&ix->tmp);
	free(ix);
}

int
kh_date_parse(const char *s, kh_date *out)
{
	int y = 0, m = 0, d = 0, i;

	*out = 0;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		y = y * 10 + (s[i] - '0');
	}
	if (s[5] == '_' && s[6] == '_')
		m = 0;
	else if (s[5] >= '0' && s[5] <= '9' && s[6] >= '0' && s[6] <= '9')
		m = (s[5] - '0') * 10 + (s[6] - '0');
	else
		return -1;
	if (s[8] == '_' && s[9] == '_')
		d = 0;
	else if (s[8] >= '0' && s[8] <= '9' && s[9] >= '0' && s[9] <= '9')
		d = (s[8] - '0') * 10 + (s[9] - '0');
	else
		return -1;
	/* A day without its month says nothing a reader could use. */
	if (y == 0 || m > 12 || d > 31 || (m == 0 && d != 0) ||
	    (s[5] != '_' && m == 0) || (s[8] != '_' && d == 0))
		return -1;
	*out = y * 10000 + m * 100 + d;
	return 0;
}

void
kh_date_format(kh_date d, char *buf)
{
	int y = d / 10000, m = d / 100 % 100, day = d % 100;

	if (d <= 0) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, 11, "%04d-", y % 10000);
	if (m == 0)
		memcpy(buf + 5, "__", 2);
	else {
		buf[5] = (char)('0' + m / 10);
		buf[6] = (char)('0' + m % 10);
	}
	buf[7] = '-';
	if (day == 0)
		memcpy(buf + 8, "__", 2);
	else {
		buf[8] = (char)('0' + day / 10);
		buf[9] = (char)('0' + day % 10);
	}
	buf[10] = '\0';
}

int
kh_number_key(const char *s, size_t len, kh_buf *out)
{
	char *nfc = NULL, *fold = NULL;
	const char *p = s;
	size_t i, n = len, z;
	int ascii = 1;

	kh_buf_reset(out);
	kh_buf_add(out, "", 0);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80) {
			ascii = 0;
			break;
		}
	if (!ascii) {
		/* NFD input, Ð for Đ and the dash look-alikes: kh_fold's job. */
		if ((nfc = kh_nfc(s, len, &n)) == NULL)
			return -1;
		p = fold = kh_fold(nfc, n, &n);
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == ' ' || c == '\t')
			continue;
		kh_buf_addc(out, c >= 'A' && c <= 'Z' ? c | 0x20 : c);
	}
	free(nfc);
	free(fold);
	/* "01/QĐ-UBND" and "1/QĐ-UBND" are one number. */
	for (z = 0; z + 1 < out->len && out->s[z] == '0' &&
	    out->s[z + 1] >= '0' && out->s[z + 1] <= '9'; z++)
		;
	if (z > 0) {
		memmove(out->s, out->s + z, out->len - z + 1);
		out->len -= z;
	}
	return out->len > 0 && out->s[0] >= '0' && out->s[0] <= '9' ? 0 : -1;
}

void
kh_name_key(const char *s, size_t len, kh_buf *out)
{
	char *nfc, *fold;
	size_t n, i, k;
	int32_t cp;
	int space = 0;
	utf8proc_category_t cat;

	kh_buf_reset(out);
	kh_buf_add(out, "", 0);
	if ((nfc = kh_nfc(s, len, &n)) == NULL)
		return;
	fold = kh_fold(nfc, n, &n);
	for (i = 0; i < n; i += k) {
		k = kh_utf8_decode(fold + i, &cp);
		cat = utf8proc_category(cp);
		if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO)) {
			if (space && out->len > 0)
				kh_buf_addc(out, ' ');
			space = 0;
			kh_buf_add(out, fold + i, k);
		} else
			space = 1;
	}
	free(nfc);
	free(fold);
}

/* Whether the name key k starts with a kind cited by name; its length. */
static size_t
byname_prefix(const char *k)
{
	size_t i, n;

	for (i = 0; i < sizeof(byname_kinds) / sizeof(byname_kinds[0]); i++) {
		n = strlen(byname_kinds[i]);
		if (strncmp(k, byname_kinds[i], n) == 0 &&
		    (k[n] == '\0' || k[n] == ' '))
			return n;
	}
	return 0;
}

/* Whether a document of this kind and title may be cited by name. */
static int
is_byname(kh_index *ix, const char *kind, const char *title)
{
	if (kind != NULL) {
		kh_name_key(kind, strlen(kind), &ix->tmp);
		if (byname_prefix(ix->tmp.s) == ix->tmp.len && ix->tmp.len > 0)
			return 1;
	}
	if (title != NULL) {
		kh_name_key(title, strlen(title), &ix->tmp);
		if (byname_prefix(ix->tmp.s) > 0)
			return 1;
	}
	return 0;
}

static void
set_field(kh_index *ix, struct entry *e, const char **f, int bit,
    const char *v, size_t len)
{
	if (e->set & bit)
		return;
	e->set |= bit;
	*f = arena_strndup(ix, v, len);
}

static void
meta(kh_index *ix, struct entry *e, const char *name, const char *v,
    size_t len)
{
	kh_date d;

	if (strcmp(name, "number") == 0) {
		if (e->set & SET_NUMBER)
			return;
		set_field(ix, e, &e->pub.number, SET_NUMBER, v, len);
		e->numkey = NULL;
		if (kh_number_key(v, len, &ix->tmp) == 0)
			e->numkey = arena_strndup(ix, ix->tmp.s, ix->tmp.len);
	} else if (strcmp(name, "date") == 0) {
		if (e->set & SET_DATE)
			return;
		e->set |= SET_DATE;
		e->pub.date = kh_date_parse(v, &d) == 0 ? d : 0;
	} else if (strcmp(name, "kind") == 0)
		set_field(ix, e, &e->pub.kind, SET_KIND, v, len);
	else if (strcmp(name, "title") == 0)
		set_field(ix, e, &e->pub.title, SET_TITLE, v, len);
	else if (strcmp(name, "subject") == 0) {
		/*
		 * Subjects are most of a document's bytes here: kept for
		 * labels, and for laws, whose subject is their name; while the
		 * kind and title are not known yet, kept to be safe.
		 */
		if ((ix->flags & KH_INDEX_LABELS) ||
		    (e->pub.kind == NULL && e->pub.title == NULL) ||
		    is_byname(ix, e->pub.kind, e->pub.title))
			set_field(ix, e, &e->pub.subject, SET_SUBJECT, v, len);
	}
}

void
kh_index_record(kh_index *ix, const khl_record *r, int origin)
{
	const char *type = KHL_TYPE(r);
	struct entry *e;
	kh_buf b = KH_BUF_INIT;
	size_t i;

	if (origin != KH_FROM_INPUT && strcmp(type, "doc") != 0 &&
	    strcmp(type, "meta") != 0)
		return;
	e = doc_get(ix, KHL_DOC(r), 1, origin);
	if (origin == KH_FROM_INPUT && e->pub.origin != KH_FROM_INPUT) {
		/* A document of the input is as the input has it now. */
		e->pub.origin = KH_FROM_INPUT;
		e->set = 0;
	}
	if (type[0] == 'm' && strcmp(type, "meta") == 0)
		meta(ix, e, r->field[3], r->field[4], r->flen[4]);
	else if (type[0] == 'd' && strcmp(type, "doc") == 0 &&
	    (ix->flags & KH_INDEX_DOCREC) && e->pub.docrec == NULL) {
		for (i = 3; i < r->nfields; i++) {
			if (i > 3)
				kh_buf_addc(&b, '\t');
			khl_escape(&b, r->field[i], r->flen[i]);
		}
		e->pub.docrec = arena_strndup(ix, b.s, b.len);
		kh_buf_free(&b);
	}
}

int
kh_index_load(kh_index *ix, FILE *fp, const char *name, size_t max_line,
    kh_err *err)
{
	khl_reader *rd;
	khl_record *r;
	int rc;

	rd = khl_reader_new(fp, name, max_line);
	while ((rc = khl_read(rd, &r, err)) == 1)
		kh_index_record(ix, r, KH_FROM_INDEX);
	khl_reader_free(rd);
	return rc;
}

/* Splits a catalog line at its TABs: the number of fields, at most max. */
static size_t
split_tabs(char *s, char **f, size_t max)
{
	size_t n = 0;
	char *tab;

	for (;;) {
		if (n == max)
			return max + 1;
		f[n++] = s;
		if ((tab = strchr(s, '\t')) == NULL)
			return n;
		*tab = '\0';
		s = tab + 1;
	}
}

static int
catalog_fail(kh_err *err, const char *name, long lineno, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
catalog_fail(kh_err *err, const char *name, long lineno, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kh_err_vset(err, fmt, ap);
	va_end(ap);
	if (err != NULL) {
		snprintf(err->part, sizeof(err->part), "%s", name);
		err->line = lineno;
	}
	return -1;
}

/* One line of a catalog, cut into its fields; 0, or -1 with err set. */
static int
catalog_line(kh_index *ix, char **f, size_t nf, const char *name,
    long lineno, kh_err *err)
{
	struct entry *e;
	const char **dst[6];
	kh_buf target = KH_BUF_INIT;
	kh_date d = 0;
	int status = KH_CAT_UNKNOWN;
	char *nfc;
	size_t i, n;

	for (i = nf; i < 7; i++)
		f[i] = (char *)"";
	if (f[1][0] != '\0' && kh_date_parse(f[1], &d) == -1)
		return catalog_fail(err, name, lineno,
		    "bad date \"%.40s\" (YYYY-MM-DD)", f[1]);
	if (strcmp(f[4], "in-force") == 0)
		status = KH_CAT_IN_FORCE;
	else if (strcmp(f[4], "replaced") == 0)
		status = KH_CAT_REPLACED;
	else if (strcmp(f[4], "repealed") == 0)
		status = KH_CAT_REPEALED;
	else if (f[4][0] != '\0')
		return catalog_fail(err, name, lineno, "unknown status "
		    "\"%.40s\" (in-force, replaced, repealed or empty)", f[4]);
	if ((status == KH_CAT_REPLACED) != (f[5][0] != '\0'))
		return catalog_fail(err, name, lineno, "%s",
		    status == KH_CAT_REPLACED ? "status replaced needs the "
		    "number that replaced it" : "a replacement needs status "
		    "replaced");
	if (f[0][0] != '\0' && kh_number_key(f[0], strlen(f[0]), &ix->tmp) == -1)
		return catalog_fail(err, name, lineno, "bad number \"%.40s\" "
		    "(a number starts with a digit)", f[0]);
	if (f[0][0] == '\0' && f[3][0] == '\0')
		return catalog_fail(err, name, lineno, "%s",
		    "a line needs a number or a title");
	/*
	 * TARGET: the URL, else the number (or title) and the date, which
	 * together name one document even where a number repeats.
	 */
	if (f[6][0] != '\0')
		kh_buf_adds(&target, f[6]);
	else {
		kh_buf_printf(&target, "catalog:%s", f[0][0] != '\0' ? f[0] :
		    f[3]);
		if (f[1][0] != '\0')
			kh_buf_printf(&target, ":%s", f[1]);
	}
	e = entry_new(ix, target.s, target.len, KH_FROM_CATALOG);
	kh_buf_free(&target);
	e->pub.date = d;
	e->pub.status = (uint8_t)status;
	/* The fields kept, by column; NFC as every text of the index. */
	dst[0] = &e->pub.number;
	dst[1] = dst[4] = NULL;
	dst[2] = &e->pub.kind;
	dst[3] = &e->pub.title;
	dst[5] = &e->pub.replaced_by;
	for (i = 0; i < 6; i++) {
		if (dst[i] == NULL || f[i][0] == '\0')
			continue;
		if ((nfc = kh_nfc(f[i], strlen(f[i]), &n)) == NULL)
			continue;
		*dst[i] = arena_strndup(ix, nfc, n);
		free(nfc);
	}
	if (e->pub.number != NULL &&
	    kh_number_key(e->pub.number, strlen(e->pub.number), &ix->tmp) == 0)
		e->numkey = arena_strndup(ix, ix->tmp.s, ix->tmp.len);
	return 0;
}

int
kh_catalog_load(kh_index *ix, FILE *fp, const char *name, kh_err *err)
{
	char *line = NULL, *f[8];
	size_t cap = 0, nf, bad;
	ssize_t len;
	long lineno = 0;
	int rc = 0;

	while (rc == 0 && (len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if ((bad = kh_utf8_check(line, (size_t)len)) != (size_t)len) {
			rc = catalog_fail(err, name, lineno, "%s",
			    line[bad] == '\0' ? "NUL byte" : "invalid UTF-8");
			break;
		}
		if (len == 0 || line[0] == '#')
			continue;
		nf = split_tabs(line, f, 7);
		if (nf > 7)
			rc = catalog_fail(err, name, lineno, "more than 7 "
			    "fields (NUMBER DATE KIND TITLE STATUS REPLACED-BY "
			    "URL)");
		else if (nf < 4)
			rc = catalog_fail(err, name, lineno, "%zu field%s, "
			    "needs at least 4 (NUMBER DATE KIND TITLE)", nf,
			    nf == 1 ? "" : "s");
		else
			rc = catalog_line(ix, f, nf, name, lineno, err);
	}
	if (rc == 0 && ferror(fp))
		rc = catalog_fail(err, name, lineno, "read error: %s",
		    strerror(errno));
	free(line);
	return rc;
}

/*
 * The name a document of a kind cited by name is cited by: its title when
 * that holds the name ("LUẬT THI ĐUA, KHEN THƯỞNG"), else the kind or title
 * followed by the subject ("LUẬT" and "Thi đua, khen thưởng").
 */
static const char *
name_of(kh_index *ix, const kh_idoc *d)
{
	kh_buf base = KH_BUF_INIT, subj = KH_BUF_INIT;
	const char *key = NULL;

	if (d->title != NULL) {
		kh_name_key(d->title, strlen(d->title), &base);
		if (byname_prefix(base.s) == 0)
			kh_buf_reset(&base);
	}
	if ((base.s == NULL || base.len == 0) && d->kind != NULL)
		kh_name_key(d->kind, strlen(d->kind), &base);
	if (base.s == NULL || byname_prefix(base.s) == 0)
		goto out;
	if (byname_prefix(base.s) == base.len && d->subject != NULL) {
		kh_name_key(d->subject, strlen(d->subject), &subj);
		/* A subject that is the whole name already stands alone. */
		if (byname_prefix(subj.s) == 0) {
			kh_buf_addc(&base, ' ');
			kh_buf_add(&base, subj.s, subj.len);
		} else {
			kh_buf_reset(&base);
			kh_buf_add(&base, subj.s, subj.len);
		}
	}
	if (byname_prefix(base.s) < base.len)
		key = arena_strndup(ix, base.s, base.len);
out:
	kh_buf_free(&base);
	kh_buf_free(&subj);
	return key;
}

/* Chains the documents with a key, in the order they came. */
static void
table_build(kh_index *ix, struct table *t, int which)
{
	struct entry *e, *head;
	const char *k;
	uint32_t id, h, *next;
	size_t n = 0, i;

	for (id = 0; id < ix->n; id++) {
		e = entry_at(ix, id);
		if ((which == 1 ? e->numkey : e->namekey) != NULL)
			n++;
	}
	table_init(t, n);
	for (id = ix->n; id-- > 0;) {
		e = entry_at(ix, id);
		k = which == 1 ? e->numkey : e->namekey;
		if (k == NULL)
			continue;
		h = hash_bytes(k, strlen(k));
		i = table_probe(ix, t, h, k, which);
		next = which == 1 ? &e->next_num : &e->next_name;
		if (t->slot[i] != 0) {
			head = entry_at(ix, t->slot[i] - 1);
			*next = head->pub.id;
		} else {
			t->hash[i] = h;
			t->n++;
		}
		t->slot[i] = id + 1;
	}
}

void
kh_index_finish(kh_index *ix)
{
	struct entry *e;
	uint32_t id;

	for (id = 0; id < ix->n; id++) {
		e = entry_at(ix, id);
		if (is_byname(ix, e->pub.kind, e->pub.title))
			e->namekey = name_of(ix, &e->pub);
	}
	table_build(ix, &ix->nums, 1);
	table_build(ix, &ix->names, 2);
	ix->last = NULL;
}

const kh_idoc *
kh_index_doc(const kh_index *ix, const char *doc)
{
	size_t i;

	i = table_probe(ix, &ix->docs, hash_bytes(doc, strlen(doc)), doc, 0);
	return ix->docs.slot[i] != 0 ?
	    &entry_at(ix, ix->docs.slot[i] - 1)->pub : NULL;
}

size_t
kh_index_count(const kh_index *ix)
{
	return ix->n;
}

const kh_idoc *
kh_index_nth(const kh_index *ix, size_t id)
{
	return id < ix->n ? &entry_at(ix, (uint32_t)id)->pub : NULL;
}

const kh_idoc *
kh_index_first(const kh_index *ix, enum kh_table t, const char *key,
    uint32_t *it)
{
	const struct table *tab = t == KH_BY_NUMBER ? &ix->nums : &ix->names;
	size_t i;

	*it = NONE;
	if (tab->cap == 0)
		return NULL;
	i = table_probe(ix, tab, hash_bytes(key, strlen(key)), key,
	    t == KH_BY_NUMBER ? 1 : 2);
	if (tab->slot[i] == 0)
		return NULL;
	*it = tab->slot[i] - 1;
	return &entry_at(ix, *it)->pub;
}

const kh_idoc *
kh_index_next(const kh_index *ix, enum kh_table t, uint32_t *it)
{
	const struct entry *e;

	if (*it == NONE)
		return NULL;
	e = entry_at(ix, *it);
	*it = t == KH_BY_NUMBER ? e->next_num : e->next_name;
	return *it == NONE ? NULL : &entry_at(ix, *it)->pub;
}

void
kh_index_cite(kh_index *ix, const kh_idoc *target, const kh_idoc *citing,
    const kh_loc *loc, const char *number)
{
	kh_citation *c;

	if (ix->ncites == ix->capcites) {
		ix->capcites = ix->capcites ? 2 * ix->capcites : 1024;
		ix->cites = kh_xreallocarray(ix->cites, ix->capcites,
		    sizeof(*ix->cites));
	}
	c = &ix->cites[ix->ncites++];
	c->target = target;
	c->citing = citing;
	c->loc = *loc;
	c->number = arena_strndup(ix, number, strlen(number));
	ix->sorted = 0;
}

static int
cite_cmp(const void *pa, const void *pb)
{
	const kh_citation *a = pa, *b = pb;
	int c;

	if (a->target->id != b->target->id)
		return a->target->id < b->target->id ? -1 : 1;
	if ((c = strcmp(a->citing->doc, b->citing->doc)) != 0)
		return c;
	if ((c = kh_loc_cmp(&a->loc, &b->loc)) != 0)
		return c;
	return strcmp(a->number, b->number);
}

size_t
kh_index_citedby(kh_index *ix, const kh_idoc *target, const kh_citation **out)
{
	size_t lo = 0, hi, n;

	*out = NULL;
	if (ix->ncites == 0)
		return 0;
	if (!ix->sorted)
		qsort(ix->cites, ix->ncites, sizeof(*ix->cites), cite_cmp);
	ix->sorted = 1;
	/* The first citation of target, by bisection. */
	hi = ix->ncites;
	while (lo < hi) {
		n = lo + (hi - lo) / 2;
		if (ix->cites[n].target->id < target->id)
			lo = n + 1;
		else
			hi = n;
	}
	for (n = lo; n < ix->ncites && ix->cites[n].target == target; n++)
		;
	*out = ix->cites + lo;
	return n - lo;
}
