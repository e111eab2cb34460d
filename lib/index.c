/*
 * index.c: the archive index khcite resolves citations against.
 *
 * Documents live in pages that never move, so a kh_idoc pointer stays
 * valid as the index grows; their strings live in an arena freed at once.
 * Three open-addressing tables map keys to documents: DOC keys (built as
 * documents come, for the citing document and for documents met twice),
 * normalized numbers and normalized names (built once by kh_index_finish,
 * when every meta record has been seen).  The documents sharing a number
 * or a name lie side by side with their dates, in the order they came, so
 * a lookup costs one probe and one run of postings: at 1,000,000
 * documents, the misses of the cache are what a lookup costs, and a chain
 * through the documents themselves cost one a document.
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
	uint32_t	 dhash;
	uint8_t		 set;
	uint8_t		 law;		/* its kind or title is cited by name */
};

struct chunk {
	struct chunk	*next;
	size_t		 size;
	size_t		 used;
	char		 mem[];
};

/*
 * Open-addressing tables.  The table of DOC keys, filled as documents
 * come, holds ids and hashes: 8 bytes a slot, for it has a slot or two for
 * every document.  Those of numbers and names, built once, hold each key
 * and hash, so a probe touches nothing else, and the run of postings a to
 * a + n - 1: the documents with the key.
 */
struct dslot {
	uint32_t	 id;		/* the document's id + 1; 0: empty */
	uint32_t	 hash;
};

struct slot {
	const char	*key;		/* NULL: empty */
	uint32_t	 hash;
	uint32_t	 a;
	uint32_t	 n;
};

struct table {
	struct slot	*slot;
	kh_posting	*post;
	size_t		 cap;		/* a power of 2 */
	size_t		 n;
};

struct dtable {
	struct dslot	*slot;
	size_t		 cap;
	size_t		 n;
};

struct kh_index {
	int		 flags;
	struct entry	**page;
	size_t		 npages;
	uint32_t	 n;
	struct chunk	*arena;
	struct dtable	 docs;
	struct table	 nums, names;
	struct entry	*last;		/* the document of the last record */
	size_t		 ncatalog;	/* catalog lines */
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
		/* A big string gets a chunk of its own; the current goes on. */
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
		ix->page[ix->npages++] = kh_xcalloc(PAGE_SIZE,
		    sizeof(**ix->page));
	}
	e = entry_at(ix, ix->n);
	memset(e, 0, sizeof(*e));
	e->pub.id = ix->n++;
	e->pub.doc = arena_strndup(ix, doc, len);
	e->pub.origin = (uint8_t)origin;
	e->dhash = hash_bytes(doc, len);
	return e;
}

static size_t
table_cap(size_t want)
{
	size_t cap = 64;

	while (cap < 2 * want)
		cap *= 2;
	return cap;
}

static void
table_init(struct table *t, size_t want)
{
	t->cap = table_cap(want);
	t->slot = kh_xcalloc(t->cap, sizeof(*t->slot));
	t->post = NULL;
	t->n = 0;
}

static void
table_free(struct table *t)
{
	free(t->slot);
	free(t->post);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t
table_probe(const struct table *t, uint32_t h, const char *key)
{
	size_t i;

	for (i = h & (t->cap - 1); t->slot[i].key != NULL;
	    i = (i + 1) & (t->cap - 1))
		if (t->slot[i].hash == h && strcmp(t->slot[i].key, key) == 0)
			break;
	return i;
}

/* The slot of the document DOC, or the empty slot where it would go. */
static size_t
docs_probe(const kh_index *ix, uint32_t h, const char *doc)
{
	const struct dtable *t = &ix->docs;
	size_t i;

	for (i = h & (t->cap - 1); t->slot[i].id != 0;
	    i = (i + 1) & (t->cap - 1))
		if (t->slot[i].hash == h &&
		    strcmp(entry_at(ix, t->slot[i].id - 1)->pub.doc, doc) == 0)
			break;
	return i;
}

static void
docs_grow(kh_index *ix)
{
	struct dtable *t = &ix->docs;
	struct dslot *old = t->slot;
	size_t i, k, oldcap = t->cap;

	t->cap = table_cap(oldcap);
	t->slot = kh_xcalloc(t->cap, sizeof(*t->slot));
	for (i = 0; i < oldcap; i++) {
		if (old[i].id == 0)
			continue;
		for (k = old[i].hash & (t->cap - 1); t->slot[k].id != 0;
		    k = (k + 1) & (t->cap - 1))
			;
		t->slot[k] = old[i];
	}
	free(old);
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
	i = docs_probe(ix, h, doc);
	if (ix->docs.slot[i].id != 0)
		return ix->last = entry_at(ix, ix->docs.slot[i].id - 1);
	if (!create)
		return NULL;
	if (2 * (ix->docs.n + 1) > ix->docs.cap) {
		docs_grow(ix);
		i = docs_probe(ix, h, doc);
	}
	e = entry_new(ix, doc, len, origin);
	ix->docs.slot[i].id = e->pub.id + 1;
	ix->docs.slot[i].hash = h;
	ix->docs.n++;
	return ix->last = e;
}

kh_index *
kh_index_new(int flags)
{
	kh_index *ix;

	ix = kh_xcalloc(1, sizeof(*ix));
	ix->flags = flags;
	ix->docs.cap = table_cap(0);
	ix->docs.slot = kh_xcalloc(ix->docs.cap, sizeof(*ix->docs.slot));
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
	free(ix->docs.slot);
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
	char *nfc = NULL, *fold = NULL, *o;
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n = len, z;
	unsigned char c;

	/*
	 * Most numbers are ASCII and Đ (U+0110, đ U+0111), folded here; the
	 * rest (NFD, Ð for Đ, the dash look-alikes) is for kh_fold.
	 */
	for (i = 0; i < len; i++) {
		if (p[i] < 0x80)
			continue;
		if (p[i] == 0xc4 && i + 1 < len && (p[i + 1] == 0x90 ||
		    p[i + 1] == 0x91)) {
			i++;
			continue;
		}
		if ((nfc = kh_nfc(s, len, &n)) == NULL)
			return -1;
		fold = kh_fold(nfc, n, &n);
		p = (const unsigned char *)fold;
		break;
	}
	kh_buf_reset(out);
	kh_buf_grow(out, n);
	o = out->s;
	for (i = 0; i < n; i++) {
		if ((c = p[i]) == ' ' || c == '\t')
			continue;
		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		else if (c == 0x90 && i > 0 && p[i - 1] == 0xc4)
			c = 0x91;	/* Đ as đ */
		*o++ = (char)c;
	}
	free(nfc);
	free(fold);
	/* "01/QĐ-UBND" and "1/QĐ-UBND" are one number. */
	for (z = 0; z + 1 < (size_t)(o - out->s) && out->s[z] == '0' &&
	    out->s[z + 1] >= '0' && out->s[z + 1] <= '9'; z++)
		;
	out->len = (size_t)(o - out->s) - z;
	memmove(out->s, out->s + z, out->len);
	out->s[out->len] = '\0';
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
		if (cat >= UTF8PROC_CATEGORY_LU &&
		    cat <= UTF8PROC_CATEGORY_NO) {
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

/*
 * Whether a kind ("Luật") or a title ("LUẬT", "LUẬT THI ĐUA, KHEN
 * THƯỞNG") is of a document cited by name.  Every such kind starts with
 * B, H, L or P, which spares the fold of the others.
 */
static int
is_byname(kh_index *ix, const char *s, int whole)
{
	unsigned char c;

	while (*s == ' ' || *s == '\t')
		s++;
	c = (unsigned char)*s | 0x20;
	if (c < 0x80 && c != 'b' && c != 'h' && c != 'l' && c != 'p')
		return 0;
	kh_name_key(s, strlen(s), &ix->tmp);
	if (whole)
		return ix->tmp.len > 0 &&
		    byname_prefix(ix->tmp.s) == ix->tmp.len;
	return byname_prefix(ix->tmp.s) > 0;
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
		e->pub.numkey = NULL;
		if (kh_number_key(v, len, &ix->tmp) == 0)
			e->pub.numkey = arena_strndup(ix, ix->tmp.s,
			    ix->tmp.len);
	} else if (strcmp(name, "date") == 0) {
		if (e->set & SET_DATE)
			return;
		e->set |= SET_DATE;
		e->pub.date = kh_date_parse(v, &d) == 0 ? d : 0;
	} else if (strcmp(name, "kind") == 0) {
		if (!(e->set & SET_KIND) && is_byname(ix, v, 1))
			e->law = 1;
		set_field(ix, e, &e->pub.kind, SET_KIND, v, len);
	} else if (strcmp(name, "title") == 0) {
		if (e->set & SET_TITLE)
			return;
		e->set |= SET_TITLE;
		/* Kept for labels, and for laws: a title may be the name. */
		if (is_byname(ix, v, 0))
			e->law = 1;
		if (e->law || (ix->flags & KH_INDEX_LABELS))
			e->pub.title = arena_strndup(ix, v, len);
	} else if (strcmp(name, "subject") == 0) {
		/*
		 * Subjects are most of a document's bytes here: kept for
		 * labels, and for laws, whose subject is their name; while the
		 * kind and title are not known yet, kept to be safe.
		 */
		if ((ix->flags & KH_INDEX_LABELS) || e->law ||
		    !(e->set & (SET_KIND | SET_TITLE)))
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
catalog_line(kh_index *ix, char **line, size_t nf, const char *name,
    long lineno, kh_err *err)
{
	struct entry *e;
	kh_buf target = KH_BUF_INIT;
	kh_date d = 0;
	int status = KH_CAT_UNKNOWN, rc = -1;
	char *f[7];
	size_t i, n;

	/* Every text of the index is NFC, so the catalog's too. */
	for (i = 0; i < 7; i++)
		f[i] = i < nf ? kh_nfc(line[i], strlen(line[i]), &n) :
		    kh_xstrdup("");
	if (f[1][0] != '\0' && kh_date_parse(f[1], &d) == -1) {
		catalog_fail(err, name, lineno,
		    "bad date \"%.40s\" (YYYY-MM-DD)", f[1]);
		goto out;
	}
	if (strcmp(f[4], "in-force") == 0)
		status = KH_CAT_IN_FORCE;
	else if (strcmp(f[4], "replaced") == 0)
		status = KH_CAT_REPLACED;
	else if (strcmp(f[4], "repealed") == 0)
		status = KH_CAT_REPEALED;
	else if (f[4][0] != '\0') {
		catalog_fail(err, name, lineno, "unknown status \"%.40s\" "
		    "(in-force, replaced, repealed or empty)", f[4]);
		goto out;
	}
	if ((status == KH_CAT_REPLACED) != (f[5][0] != '\0')) {
		catalog_fail(err, name, lineno, "%s",
		    status == KH_CAT_REPLACED ? "status replaced needs the "
		    "number that replaced it" : "a replacement needs status "
		    "replaced");
		goto out;
	}
	if (f[0][0] != '\0' &&
	    kh_number_key(f[0], strlen(f[0]), &ix->tmp) == -1) {
		catalog_fail(err, name, lineno, "bad number \"%.40s\" (a "
		    "number starts with a digit)", f[0]);
		goto out;
	}
	if (f[0][0] == '\0' && f[3][0] == '\0') {
		catalog_fail(err, name, lineno, "%s",
		    "a line needs a number or a title");
		goto out;
	}
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
	ix->ncatalog++;
	e->pub.date = d;
	e->pub.status = (uint8_t)status;
	if (f[0][0] != '\0') {
		e->pub.number = arena_strndup(ix, f[0], strlen(f[0]));
		e->pub.numkey = arena_strndup(ix, ix->tmp.s, ix->tmp.len);
	}
	if (f[2][0] != '\0')
		e->pub.kind = arena_strndup(ix, f[2], strlen(f[2]));
	if (f[3][0] != '\0')
		e->pub.title = arena_strndup(ix, f[3], strlen(f[3]));
	if (f[5][0] != '\0')
		e->pub.replaced_by = arena_strndup(ix, f[5], strlen(f[5]));
	if ((e->pub.kind != NULL && is_byname(ix, e->pub.kind, 1)) ||
	    (e->pub.title != NULL && is_byname(ix, e->pub.title, 0)))
		e->law = 1;
	rc = 0;
out:
	for (i = 0; i < 7; i++)
		free(f[i]);
	return rc;
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

static void
table_grow(struct table *t)
{
	struct slot *old = t->slot;
	size_t i, k, oldcap = t->cap;

	t->cap = table_cap(oldcap);
	t->slot = kh_xcalloc(t->cap, sizeof(*t->slot));
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		for (k = old[i].hash & (t->cap - 1); t->slot[k].key != NULL;
		    k = (k + 1) & (t->cap - 1))
			;
		t->slot[k] = old[i];
	}
	free(old);
}

/*
 * The table of a key (which: 1 numbers, 2 names), its documents in runs
 * of postings, in the order they came: the keys counted (the table grows
 * with the keys, fewer than the documents), then the documents placed.
 */
static void
table_build(kh_index *ix, struct table *t, int which)
{
	struct entry *e;
	struct slot *sl;
	const char *k;
	uint32_t id, h, off = 0;
	size_t i;

	table_init(t, 0);
	for (id = 0; id < ix->n; id++) {
		e = entry_at(ix, id);
		if ((k = which == 1 ? e->pub.numkey : e->pub.namekey) == NULL)
			continue;
		h = hash_bytes(k, strlen(k));
		i = table_probe(t, h, k);
		if (t->slot[i].key == NULL) {
			if (2 * (t->n + 1) > t->cap) {
				table_grow(t);
				i = table_probe(t, h, k);
			}
			t->slot[i].key = k;
			t->slot[i].hash = h;
			t->n++;
		}
		t->slot[i].n++;
	}
	for (i = 0; i < t->cap; i++) {
		t->slot[i].a = off;
		off += t->slot[i].n;
		t->slot[i].n = 0;
	}
	t->post = kh_xreallocarray(NULL, off + 1, sizeof(*t->post));
	for (id = 0; id < ix->n; id++) {
		e = entry_at(ix, id);
		if ((k = which == 1 ? e->pub.numkey : e->pub.namekey) == NULL)
			continue;
		sl = &t->slot[table_probe(t, hash_bytes(k, strlen(k)), k)];
		t->post[sl->a + sl->n].doc = &e->pub;
		t->post[sl->a + sl->n].date = e->pub.date;
		t->post[sl->a + sl->n].catalog =
		    e->pub.origin == KH_FROM_CATALOG;
		sl->n++;
	}
}

void
kh_index_finish(kh_index *ix)
{
	struct entry *e;
	uint32_t id;

	for (id = 0; id < ix->n; id++) {
		e = entry_at(ix, id);
		if (e->law)
			e->pub.namekey = name_of(ix, &e->pub);
	}
	table_build(ix, &ix->nums, 1);
	table_build(ix, &ix->names, 2);
	ix->last = NULL;
}

const kh_idoc *
kh_index_doc(const kh_index *ix, const char *doc)
{
	size_t i;

	i = docs_probe(ix, hash_bytes(doc, strlen(doc)), doc);
	return ix->docs.slot[i].id != 0 ?
	    &entry_at(ix, ix->docs.slot[i].id - 1)->pub : NULL;
}

size_t
kh_index_count(const kh_index *ix)
{
	return ix->n;
}

size_t
kh_index_ncatalog(const kh_index *ix)
{
	return ix->ncatalog;
}

const kh_idoc *
kh_index_nth(const kh_index *ix, size_t id)
{
	return id < ix->n ? &entry_at(ix, (uint32_t)id)->pub : NULL;
}

size_t
kh_index_find(const kh_index *ix, enum kh_table t, const char *key,
    const kh_posting **out)
{
	const struct table *tab = t == KH_BY_NUMBER ? &ix->nums : &ix->names;
	size_t i;

	*out = NULL;
	if (tab->cap == 0)
		return 0;
	i = table_probe(tab, hash_bytes(key, strlen(key)), key);
	if (tab->slot[i].key == NULL)
		return 0;
	*out = tab->post + tab->slot[i].a;
	return tab->slot[i].n;
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
