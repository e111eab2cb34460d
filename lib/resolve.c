/*
 * resolve.c: which document a citation means.
 *
 * The identity of a Vietnamese document is its number with its year: an
 * administrative number restarts every year, a normative one carries its
 * year, a Party number repeats across terms.  So the documents with the
 * cited number are looked at in rounds, each kept only when the one before
 * found nothing: the same date; the same year (a date-mismatch); no year
 * known.  A citation that gives neither date nor year is read as a reader
 * reads it: a document cannot cite one issued after it, and means, of two
 * laws of one name, the one in force when it was written.
 *
 * The archive is looked at first; the catalog only for what the archive
 * does not resolve.  A catalog line also says when a document was
 * replaced, which turns a resolved citation written after the replacement
 * into a superseded one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "text.h"
#include "cite_index.h"

#define SHOW	8		/* candidates named in a DETAIL */

/* Documents picked by a round: how many, and the first SHOW of them. */
struct pick {
	size_t		 n;
	const kh_idoc	*d[SHOW];
};

/* What the citation says, and when its document was written. */
struct query {
	enum kh_table	 table;
	const char	*key;
	kh_date		 cited;		/* full or partial, or 0 */
	int		 year;		/* the cited year, or 0 */
	kh_date		 written_max;	/* the citing document's latest day */
	int		 catalog;	/* catalog lines, not the archive */
};

struct result {
	enum kh_lstatus	 status;
	struct pick	 pick;		/* the candidates of the status */
	struct pick	 other;		/* unresolved: those of other years */
	int		 later;		/* unresolved: all others came later */
};

static const char *const status_names[] = {
	"resolved", "superseded", "date-mismatch", "ambiguous", "unresolved"
};

const char *
kh_link_status(enum kh_lstatus s)
{
	return status_names[s];
}

void
kh_link_free(kh_link *l)
{
	kh_buf_free(&l->detail);
	kh_buf_free(&l->key);
}

static void
pick_add(struct pick *p, const kh_idoc *d)
{
	if (p->n < SHOW)
		p->d[p->n] = d;
	p->n++;
}

/* The earliest and the latest day a date, maybe partial, can be. */
static kh_date
date_min(kh_date d)
{
	if (d == 0)
		return 0;
	if (d % 10000 == 0)
		return d + 101;
	return d % 100 == 0 ? d + 1 : d;
}

static kh_date
date_max(kh_date d)
{
	if (d == 0)
		return 0;
	if (d % 10000 == 0)
		return d + 1231;
	return d % 100 == 0 ? d + 31 : d;
}

static int
is_full(kh_date d)
{
	return d != 0 && d % 100 != 0;
}

/* The year a normative number carries ("91/2017/NĐ-CP"), or 0. */
static int
number_year(const char *key)
{
	const char *p = key;
	int y = 0, i;

	while (*p >= '0' && *p <= '9')
		p++;
	if (p == key || *p++ != '/')
		return 0;
	for (i = 0; i < 4; i++, p++) {
		if (*p < '0' || *p > '9')
			return 0;
		y = y * 10 + (*p - '0');
	}
	return *p == '/' && y >= 1900 ? y : 0;
}

static int
doc_year(const kh_idoc *d)
{
	if (d->date != 0)
		return d->date / 10000;
	return d->numkey != NULL ? number_year(d->numkey) : 0;
}

/*
 * The catalog line that speaks of d: d itself, or a line with its number
 * (or its name) whose date does not contradict d's.
 */
static const kh_idoc *
catalog_twin(const kh_index *ix, const kh_idoc *d)
{
	const kh_posting *p;
	const kh_idoc *c;
	size_t n, i;

	if (d->origin == KH_FROM_CATALOG)
		return d;
	if (kh_index_ncatalog(ix) == 0)
		return NULL;
	if (d->numkey != NULL)
		n = kh_index_find(ix, KH_BY_NUMBER, d->numkey, &p);
	else if (d->namekey != NULL)
		n = kh_index_find(ix, KH_BY_NAME, d->namekey, &p);
	else
		return NULL;
	for (i = 0; i < n; i++) {
		if (!p[i].catalog)
			continue;
		c = p[i].doc;
		if (d->date == 0 || c->date == 0 || (is_full(d->date) &&
		    is_full(c->date) ? d->date == c->date :
		    date_min(d->date) <= date_max(c->date) &&
		    date_min(c->date) <= date_max(d->date)))
			return c;
	}
	return NULL;
}

/* When the replacement of a catalog line was issued, 0 when not known. */
static kh_date
replaced_on(const kh_index *ix, const kh_idoc *c)
{
	kh_buf key = KH_BUF_INIT;
	const kh_posting *p;
	kh_date d = 0;
	size_t n = 0, i;

	if (c->replaced_by != NULL &&
	    kh_number_key(c->replaced_by, strlen(c->replaced_by), &key) == 0)
		n = kh_index_find(ix, KH_BY_NUMBER, key.s, &p);
	for (i = 0; i < n; i++)
		if (p[i].catalog && p[i].date != 0) {
			d = p[i].date;
			break;
		}
	kh_buf_free(&key);
	return d;
}

/*
 * Whether d was no longer in force when the citing document was written
 * (ever, when that is not known): the latest day it can have been written
 * is on or after the replacement.
 */
static int
gone_when_written(const kh_index *ix, const kh_idoc *d, kh_date written_max,
    kh_date *on)
{
	const kh_idoc *c;

	*on = 0;
	if ((c = catalog_twin(ix, d)) == NULL)
		return 0;
	if (c->status == KH_CAT_REPEALED)
		return 1;
	if (c->status != KH_CAT_REPLACED)
		return 0;
	*on = replaced_on(ix, c);
	return written_max == 0 || *on == 0 || written_max >= date_min(*on);
}

/* Whether d was issued after the citing document can have been written. */
static int
later(const struct query *q, const kh_idoc *d)
{
	return q->written_max != 0 && d->date != 0 &&
	    date_min(d->date) > q->written_max;
}

/*
 * Of the candidates, keep those the citing document can mean: not issued
 * after it, and, of several, those in force when it was written.  A rule
 * that would keep none keeps all.  Returns how many were not issued after
 * the citing document.
 */
static size_t
narrow(const kh_index *ix, const struct query *q, struct pick *p,
    const kh_idoc **all, size_t n)
{
	const kh_idoc **keep;
	size_t i, k = 0, m = 0, before;
	kh_date on;

	memset(p, 0, sizeof(*p));
	if (n == 1) {
		pick_add(p, all[0]);
		return !later(q, all[0]);
	}
	keep = kh_xreallocarray(NULL, n, sizeof(*keep));
	for (i = 0; i < n; i++)
		if (!later(q, all[i]))
			keep[k++] = all[i];
	if ((before = k) == 0) {
		memcpy(keep, all, n * sizeof(*keep));
		k = n;
	}
	if (k > 1) {
		for (i = 0; i < k; i++)
			if (!gone_when_written(ix, keep[i], q->written_max,
			    &on))
				keep[m++] = keep[i];
		/* Compacted in place: when none is left, the rule is undone. */
		if (m == 0)
			for (i = 0; i < n; i++)
				if (!later(q, all[i]) || before == 0)
					keep[m++] = all[i];
		k = m;
	}
	for (i = 0; i < k; i++)
		pick_add(p, keep[i]);
	free(keep);
	return before;
}

/* The candidates of one tier (archive or catalog), in rounds. */
static void
match(const kh_index *ix, const struct query *q, struct result *r)
{
	enum { SAME, YEAR, UNDATED, OTHER };
	const kh_idoc *d, *stack[32], **cand = stack, **list;
	const kh_posting *p;
	unsigned char cls_stack[32], *cls = cls_stack;
	size_t n = 0, cap = 32, i, k, np, count[OTHER + 1] = { 0 };
	int y, cy = q->year, c;

	memset(r, 0, sizeof(*r));
	r->status = KH_LINK_UNRESOLVED;
	np = kh_index_find(ix, q->table, q->key, &p);
	for (i = 0; i < np; i++) {
		if (p[i].catalog != q->catalog)
			continue;
		if (n == cap) {
			/* Few documents share a number: the stack is usual. */
			cap *= 2;
			if (cand == stack) {
				cand = kh_xreallocarray(NULL, cap,
				    sizeof(*cand));
				cls = kh_xmalloc(cap);
				memcpy(cand, stack, sizeof(stack));
				memcpy(cls, cls_stack, sizeof(cls_stack));
			} else {
				cand = kh_xreallocarray(cand, cap,
				    sizeof(*cand));
				cls = kh_xrealloc(cls, cap);
			}
		}
		/* The posting's date spares a visit to the document. */
		d = p[i].doc;
		y = p[i].date != 0 ? p[i].date / 10000 : doc_year(d);
		if (is_full(q->cited) && (p[i].date == q->cited ||
		    (p[i].date == 0 && y == cy)))
			c = SAME;
		else if (cy == 0 || y == cy)
			c = YEAR;		/* no year cited: every year */
		else if (y == 0)
			c = UNDATED;
		else
			c = OTHER;
		cand[n] = d;
		cls[n++] = (unsigned char)c;
		count[c]++;
	}
	/* The first round that has documents; OTHER only names them. */
	if (count[SAME] > 0)
		c = SAME;
	else if (count[YEAR] > 0)
		c = YEAR;
	else if (count[UNDATED] > 0)
		c = UNDATED;
	else
		c = OTHER;
	/* The documents of that round, in place. */
	list = cand;
	for (i = k = 0; i < n; i++)
		if (cls[i] == c)
			list[k++] = cand[i];
	if (c == OTHER) {
		for (i = 0; i < k; i++)
			pick_add(&r->other, list[i]);
	} else if (c == SAME && k == 1) {
		/* The common case: the one document of that date. */
		pick_add(&r->pick, list[0]);
		r->status = KH_LINK_RESOLVED;
	} else if (c == SAME) {
		narrow(ix, q, &r->pick, list, k);
		r->status = r->pick.n == 1 ? KH_LINK_RESOLVED :
		    KH_LINK_AMBIGUOUS;
	} else if (c == YEAR && !is_full(q->cited)) {
		/* No date cited: the year, or nothing, is all it says. */
		if (narrow(ix, q, &r->pick, list, k) == 0 && cy == 0) {
			r->other = r->pick;
			r->later = 1;
			memset(&r->pick, 0, sizeof(r->pick));
		} else
			r->status = r->pick.n == 1 ? KH_LINK_RESOLVED :
			    KH_LINK_AMBIGUOUS;
	} else if (k > 0) {
		narrow(ix, q, &r->pick, list, k);
		r->status = r->pick.n == 1 ? KH_LINK_DATE_MISMATCH :
		    KH_LINK_AMBIGUOUS;
	}
	if (cand != stack) {
		free(cand);
		free(cls);
	}
}

static int
rank(enum kh_lstatus s)
{
	switch (s) {
	case KH_LINK_RESOLVED:
		return 0;
	case KH_LINK_DATE_MISMATCH:
		return 1;
	case KH_LINK_AMBIGUOUS:
		return 2;
	default:
		return 3;
	}
}

/* "DOC (DATE), DOC (DATE)" and how many more. */
static void
list(kh_buf *b, const struct pick *p)
{
	char date[16];
	size_t i;

	for (i = 0; i < p->n && i < SHOW; i++) {
		if (i > 0)
			kh_buf_adds(b, ", ");
		kh_date_format(p->d[i]->date, date);
		kh_buf_printf(b, "%s (%s)", p->d[i]->doc,
		    date[0] != '\0' ? date : "no date");
	}
	if (p->n > SHOW)
		kh_buf_printf(b, " and %zu more", p->n - SHOW);
}

/*
 * The name of a law in the TEXT of its citation, cut where the name ends
 * ("ngày 15 tháng 6 năm 2022", "số 06/2022/QH15", "năm 2013"); *year gets
 * a year written as "năm YYYY".
 */
static void
law_name(const char *text, kh_buf *key, int *year)
{
	char *p, *w, *next;
	size_t i;

	*year = 0;
	kh_name_key(text, strlen(text), key);
	for (p = key->s; p != NULL && *p != '\0'; p = next) {
		next = strchr(p, ' ');
		if (next == NULL)
			break;
		next++;
		w = next;
		if (*w < '0' || *w > '9')
			continue;
		if (strncmp(p, "năm ", strlen("năm ")) == 0) {
			for (i = 0; w[i] >= '0' && w[i] <= '9'; i++)
				;
			if (i == 4 && (w[4] == '\0' || w[4] == ' '))
				*year = atoi(w);
		} else if (strncmp(p, "ngày ", strlen("ngày ")) != 0 &&
		    strncmp(p, "số ", strlen("số ")) != 0)
			continue;
		/* The name ends before this word. */
		if (p > key->s)
			p--;
		*p = '\0';
		key->len = (size_t)(p - key->s);
		return;
	}
}

void
kh_resolve(const kh_index *ix, const kh_idoc *citing, const char *number,
    const char *date, const char *text, kh_link *l)
{
	kh_buf *key = &l->key;
	struct query q;
	struct result a, c, *r;
	char d1[16], d2[16];
	kh_date on;

	memset(&q, 0, sizeof(q));
	kh_buf_reset(&l->detail);
	kh_buf_add(&l->detail, "", 0);
	l->status = KH_LINK_UNRESOLVED;
	l->number = number;
	l->target = NULL;
	if (date[0] != '\0' && kh_date_parse(date, &q.cited) == -1)
		q.cited = 0;
	q.year = q.cited / 10000;
	if (citing != NULL)
		q.written_max = date_max(citing->date);
	if (number[0] != '\0') {
		if (kh_number_key(number, strlen(number), key) == -1) {
			kh_buf_adds(&l->detail, "the number is blank");
			return;
		}
		q.table = KH_BY_NUMBER;
		if (q.year == 0)
			q.year = number_year(key->s);
	} else {
		q.table = KH_BY_NAME;
		law_name(text, key, &q.year);
		if (q.cited != 0)
			q.year = q.cited / 10000;
		if (key->len == 0) {
			kh_buf_adds(&l->detail, "no number and no name");
			return;
		}
	}
	q.key = key->s;

	match(ix, &q, &a);
	r = &a;
	if (a.status != KH_LINK_RESOLVED) {
		q.catalog = 1;
		match(ix, &q, &c);
		if (rank(c.status) < rank(a.status))
			r = &c;
		else if (a.status == KH_LINK_UNRESOLVED &&
		    a.other.n == 0 && c.other.n > 0)
			r = &c;
	}
	l->status = r->status;
	switch (r->status) {
	case KH_LINK_RESOLVED:
		l->target = r->pick.d[0];
		if (gone_when_written(ix, l->target, q.written_max, &on)) {
			l->status = KH_LINK_SUPERSEDED;
			kh_date_format(on, d1);
			if (catalog_twin(ix, l->target)->status ==
			    KH_CAT_REPEALED)
				kh_buf_adds(&l->detail, "repealed");
			else
				kh_buf_printf(&l->detail, "replaced by %s%s%s",
				    catalog_twin(ix, l->target)->replaced_by,
				    on != 0 ? " of " : "", d1);
		}
		break;
	case KH_LINK_DATE_MISMATCH:
		l->target = r->pick.d[0];
		kh_date_format(l->target->date, d2);
		if (q.cited != 0)
			kh_date_format(q.cited, d1);
		else
			snprintf(d1, sizeof(d1), "%d", q.year);
		kh_buf_printf(&l->detail, "cited %s, %s %s", d1,
		    l->target->origin == KH_FROM_CATALOG ? "catalog" :
		    "archive", d2[0] != '\0' ? d2 : "no date");
		break;
	case KH_LINK_AMBIGUOUS:
		kh_buf_adds(&l->detail, "candidates: ");
		list(&l->detail, &r->pick);
		break;
	default:
		if (r->other.n == 0)
			break;
		kh_buf_adds(&l->detail, r->later ? "only later documents "
		    "have this number: " : "other documents have this "
		    "number: ");
		list(&l->detail, &r->other);
		break;
	}
	/* A law cited by name is known by its number once found. */
	if (number[0] == '\0' && l->target != NULL && l->target->number != NULL)
		l->number = l->target->number;
}
