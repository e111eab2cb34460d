/*
 * cite_index.h: the archive index that khcite resolves citations against
 * (lib/index.c), and the resolution itself (lib/resolve.c).
 *
 * The index holds the documents of KHL streams, from their doc and meta
 * records, and the lines of catalogs (khcatalog(5)), looked up by
 * normalized number and, for laws cited by name, by normalized name.
 * Everything it returns belongs to the index: kh_idoc pointers and their
 * strings stay valid, unchanged, until kh_index_free.
 */
#ifndef KH_CITE_INDEX_H
#define KH_CITE_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kh.h"
#include "khl.h"

/* Where a document of the index comes from. */
enum kh_origin {
	KH_FROM_INPUT,		/* the stream being linked */
	KH_FROM_INDEX,		/* an index stream (khcite -i) */
	KH_FROM_CATALOG		/* a catalog line */
};

/* What a catalog says of a document (khcatalog(5)). */
enum kh_cstatus {
	KH_CAT_UNKNOWN,		/* empty status, and every archive document */
	KH_CAT_IN_FORCE,
	KH_CAT_REPLACED,	/* replaced_by names the replacement */
	KH_CAT_REPEALED
};

/*
 * A date as a number YYYYMMDD; a part not known (a draft's "2022-01-__")
 * is 0, so 20220100 is January 2022; 0 is no date.
 */
typedef int32_t kh_date;

/* One document of the index. */
typedef struct kh_idoc {
	const char	*doc;		/* DOC; for a catalog line, TARGET */
	const char	*number;	/* the number as written, or NULL */
	const char	*numkey;	/* its kh_number_key, or NULL */
	const char	*namekey;	/* a law's kh_name_key, or NULL */
	const char	*kind;		/* meta kind, or KIND, or NULL */
	const char	*title;		/* meta title, or TITLE, or NULL */
	const char	*subject;	/* with KH_INDEX_LABELS, or of a law */
	const char	*replaced_by;	/* catalog: the replacement's number */
	const char	*docrec;	/* with KH_INDEX_DOCREC, the fields
					   of the doc record after DOC LOC */
	kh_date		 date;
	uint8_t		 origin;	/* enum kh_origin */
	uint8_t		 status;	/* enum kh_cstatus */
	uint32_t	 id;		/* 0, 1, ... in the order they came */
} kh_idoc;

typedef struct kh_index kh_index;

#define KH_INDEX_LABELS	0x01	/* keep every subject, for labels */
#define KH_INDEX_DOCREC	0x02	/* keep the doc records of index streams */

kh_index	*kh_index_new(int flags);
void		 kh_index_free(kh_index *);

/*
 * A record of a stream: doc and meta records make the document DOC and
 * give its number, date, kind, title and subject; for KH_FROM_INPUT every
 * record makes its document known, so it can be looked up as a citing
 * document.  Other records are ignored.  A meta date that is not ISO 8601
 * is taken as no date.
 */
void		 kh_index_record(kh_index *, const khl_record *, int origin);
/*
 * Read a whole KHL index stream from fp (name for messages).  Returns 0,
 * or -1 with err naming the input and the line.
 */
int		 kh_index_load(kh_index *, FILE *fp, const char *name,
		    size_t max_line, kh_err *);
/* Read a catalog (khcatalog(5)); 0, or -1 with err naming the line. */
int		 kh_catalog_load(kh_index *, FILE *fp, const char *name,
		    kh_err *);
/* Build the lookup tables; no document is added after it. */
void		 kh_index_finish(kh_index *);

/* A document by its DOC key (not catalog lines), or NULL. */
const kh_idoc	*kh_index_doc(const kh_index *, const char *doc);
/* Every document and catalog line, by id; how many are catalog lines. */
size_t		 kh_index_count(const kh_index *);
size_t		 kh_index_ncatalog(const kh_index *);
const kh_idoc	*kh_index_nth(const kh_index *, size_t id);

/*
 * The documents with a key (the tables kh_index_finish built), in the order
 * they came: returns how many, and sets *out to the first of them.
 * KH_BY_NUMBER takes a key made by kh_number_key, KH_BY_NAME one made by
 * kh_name_key.
 */
enum kh_table { KH_BY_NUMBER, KH_BY_NAME };

typedef struct kh_posting {
	const kh_idoc	*doc;
	kh_date		 date;		/* doc->date, kept here for speed */
	uint8_t		 catalog;	/* doc is a catalog line */
} kh_posting;

size_t		 kh_index_find(const kh_index *, enum kh_table,
		    const char *key, const kh_posting **out);

/*
 * Keys.  kh_number_key: the number in NFC, case folded, Ð as Đ, every dash
 * as "-", no spaces, no leading zeros ("01/QÐ- UBND" and "1/qđ-UBND" give
 * "1/qđ-ubnd"); -1 when it does not start with a digit (a blank draft
 * number, "/KH-SXD").  kh_name_key: a name in NFC, folded, with every run
 * of what is not a letter or digit as one space ("Luật Thi đua, khen
 * thưởng" gives "luật thi đua khen thưởng").  s must be valid UTF-8; the
 * key replaces the contents of out.
 */
int		 kh_number_key(const char *s, size_t len, kh_buf *out);
void		 kh_name_key(const char *s, size_t len, kh_buf *out);

/* Parse "YYYY-MM-DD" or a partial "YYYY-MM-__": 0, or -1 when not a date. */
int		 kh_date_parse(const char *, kh_date *);
/* Writes the ISO form of a date (at least 11 bytes), "" for none. */
void		 kh_date_format(kh_date, char *);

/* Backlinks: the citations of each document, when khcite --backlinks. */
typedef struct kh_citation {
	const kh_idoc	*target;
	const kh_idoc	*citing;
	kh_loc		 loc;
	const char	*number;	/* the NUMBER of the ref */
} kh_citation;

void		 kh_index_cite(kh_index *, const kh_idoc *target,
		    const kh_idoc *citing, const kh_loc *, const char *number);
/*
 * The citations of target, ordered by citing DOC, then location, then
 * number; *out valid until the next kh_index_cite.
 */
size_t		 kh_index_citedby(kh_index *, const kh_idoc *target,
		    const kh_citation **out);

/* Resolution (lib/resolve.c). */
enum kh_lstatus {
	KH_LINK_RESOLVED,
	KH_LINK_SUPERSEDED,
	KH_LINK_DATE_MISMATCH,
	KH_LINK_AMBIGUOUS,
	KH_LINK_UNRESOLVED
};

typedef struct kh_link {
	enum kh_lstatus	 status;
	const char	*number;	/* NUMBER: the ref's, or a law's own */
	const kh_idoc	*target;	/* NULL when TARGET is empty */
	kh_buf		 detail;	/* DETAIL, "" when none */
	kh_buf		 key;		/* private: reused by kh_resolve */
} kh_link;

#define KH_LINK_INIT { KH_LINK_UNRESOLVED, "", NULL, KH_BUF_INIT, KH_BUF_INIT }

/* "resolved", "superseded", "date-mismatch", "ambiguous", "unresolved" */
const char	*kh_link_status(enum kh_lstatus);

/*
 * Resolve one citation: the fields NUMBER DATE TEXT of a ref record of the
 * document citing (NULL when the index does not know it), against an
 * index that kh_index_finish has built; khcite(1) tells the rules.  The
 * link's NUMBER is number or a string of the index.
 */
void		 kh_resolve(const kh_index *, const kh_idoc *citing,
		    const char *number, const char *date, const char *text,
		    kh_link *);
void		 kh_link_free(kh_link *);

#endif
