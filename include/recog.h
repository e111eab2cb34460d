/*
 * recog.h: the recognizers that turn paragraphs into records: the
 * vocabulary of document types, typed list labels and the outline (sec),
 * the document's own properties (meta), and citations (ref).
 *
 * Recognizers see NFC text and write through a kh_sink, so they know
 * nothing of the document key or the output stream.
 */
#ifndef KH_RECOG_H
#define KH_RECOG_H

#include <stddef.h>

#include "kh.h"
#include "docx.h"

/* The vocabulary: type names, codes, abbreviations, issuer words (khvocab(5)). */
typedef struct kh_vocab kh_vocab;

/* path NULL: the vocab file of kh_datadir().  NULL with err set on failure. */
kh_vocab	*kh_vocab_load(const char *path, kh_err *);
void		 kh_vocab_free(kh_vocab *);
/*
 * The type code of a type name as printed ("KẾ HOẠCH", "Kế hoạch"; case and
 * tone placement folded), "" for a công văn, NULL when unknown.
 */
const char	*kh_vocab_code(const kh_vocab *, const char *name, size_t len);
/* The type name of a code ("KH" gives "Kế hoạch"), NULL when unknown. */
const char	*kh_vocab_name(const kh_vocab *, const char *code);

/*
 * A label typed by hand at the very start of text ("I. ", "1. ", "1.1. ",
 * "a) ", "A. " to "H. ", "Điều 1. ", "Chương II", "- ", "+ ", "• "): returns
 * the byte length of the label itself (0 when none) and sets *skip to where
 * the text after it begins (past the spaces, tabs and line breaks).  A
 * bullet needs text after it; "Điều 5 Luật ..." without its period is no
 * label.
 */
size_t		 kh_label_split(const char *text, size_t len, size_t *skip);

/*
 * The outline: sec records for the body's parts (I., II.: level 1), items
 * (1., 2.: level 2) and sub-items (1.1., a): level 3, one deeper under
 * 1.1.); in a decision or decree, chapters ("Chương I", level 1), articles
 * ("Điều 1", level 2), clauses (1.: level 3) and points (a): level 4).
 * NUMBER is the label without its closing punctuation.
 */
typedef struct kh_outline kh_outline;

kh_outline	*kh_outline_new(void);
void		 kh_outline_para(kh_outline *, const kh_para *,
		    const char *label, const char *text, size_t len,
		    const kh_sink *);
void		 kh_outline_free(kh_outline *);

/*
 * The document's own properties: agency, number, date, title, signature,
 * recipients (khl(5) lists the names), as meta records whose LOC is the
 * paragraph, with a column when the value is on a later line or tab-apart
 * part of it; and diag warnings lookalike-d (an Ð in the number) and
 * impossible-date.  Memory is bounded: only the first paragraphs (the
 * header) and the closing blocks are kept, never the body.
 */
typedef struct kh_meta kh_meta;

kh_meta		*kh_meta_new(const kh_vocab *);
void		 kh_meta_para(kh_meta *, const kh_para *, const char *label,
		    const char *text, size_t len);
/* Emits the meta records (and diag warnings) of the document. */
void		 kh_meta_finish(kh_meta *, const kh_sink *);
void		 kh_meta_free(kh_meta *);

/* Citations. */
typedef struct kh_citer kh_citer;

kh_citer	*kh_citer_new(const kh_vocab *, kh_err *);
void		 kh_citer_free(kh_citer *);
/*
 * Emits one ref record for every document text cites, with columns of
 * text, plus diag warnings (an impossible date) and meta attached-to for a
 * "Kèm theo ..." line.  Returns 0, or -1 with err set when a pattern hit its
 * match limit.
 */
int		 kh_cite_para(kh_citer *, const kh_para *, const char *text,
		    size_t len, const kh_sink *, kh_err *);

#endif
