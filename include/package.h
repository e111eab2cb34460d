/*
 * package.h: an OPC package (the zip of a .docx) opened with every size
 * counted and every limit enforced.
 *
 * A package is read from a path, from standard input ("-", held in memory
 * up to limits->stdin_bytes because zip needs random access) or from a
 * memory buffer.  Opening checks that the bytes are a consistent zip with a
 * main document part, and names what they are when they are not: an OLE2
 * compound file (a legacy .doc or a password-protected Word file), an empty
 * file, a plain file, a truncated or inconsistent zip, a zip without a main
 * part.
 */
#ifndef KH_PACKAGE_H
#define KH_PACKAGE_H

#include <stddef.h>
#include <stdint.h>

#include "kh.h"

typedef struct kh_package kh_package;

/* NULL with err set when the file is not a readable package. */
kh_package	*kh_package_open(const char *path, const kh_limits *, kh_err *);
/* buf must stay valid until kh_package_close. */
kh_package	*kh_package_open_mem(const void *buf, size_t len,
		    const kh_limits *, kh_err *);
void		 kh_package_close(kh_package *);

/* Size in bytes and SHA-256 (64 lower-case hex digits) of the file as given. */
uint64_t	 kh_package_size(const kh_package *);
const char	*kh_package_sha256(const kh_package *);
/* "docx", "docm", "dotx" or "dotm", from the main part's content type. */
const char	*kh_package_format(const kh_package *);
/* The main document part's name, such as "word/document.xml". */
const char	*kh_package_main(const kh_package *);
/* Whether the main part uses the Strict OOXML namespaces. */
int		 kh_package_strict(const kh_package *);

/* A relationship of a part, its target resolved to a part name. */
typedef struct kh_rel {
	const char	*id;
	const char	*type;		/* the whole type URI */
	const char	*target;	/* part name without leading "/", or the URI when external */
	int		 external;
} kh_rel;

/*
 * Whether rel's type ends in "/" name, such as "styles", "numbering",
 * "footnotes", "endnotes", "comments", "header", "footer",
 * "officeDocument": transitional and Strict URIs alike.
 */
int		 kh_rel_is(const kh_rel *, const char *name);

/*
 * The relationships of part (from its _rels/NAME.rels; none when that part
 * is missing).  *rels belongs to the package and stays valid until close.
 * Returns 0, or -1 with err set.
 */
int		 kh_package_rels(kh_package *, const char *part,
		    const kh_rel **rels, size_t *n, kh_err *);

/* Whether the package holds part. */
int		 kh_package_has(kh_package *, const char *part);

/*
 * Streams part through chunk in pieces, counting the inflated bytes itself:
 * more than the entry declares, more than limits->part_bytes, more than the
 * archive's remaining total, or a ratio beyond limits->ratio stops the read
 * with an error naming the limit.  chunk returns 0 to go on or -1 to stop
 * (leaving its own message in err).  Returns 0 or -1 with err set (err->part
 * names the part).
 */
typedef int	(*kh_chunk_fn)(void *ud, const char *buf, size_t len, kh_err *);
int		 kh_package_read(kh_package *, const char *part, kh_chunk_fn,
		    void *ud, kh_err *);

#endif
