/*
 * docx.h: WordprocessingML to paragraphs.
 *
 * kh_docx_read streams the main part, then footnotes, endnotes, comments,
 * headers and footers, and hands each paragraph to the caller as Word shows
 * it with all tracked changes accepted (or, with original set, as it was
 * before them): fields show their result, hidden text is dropped, one
 * branch of each mc:AlternateContent is read, text boxes stand where they
 * are anchored, and each list paragraph carries the label Word displays.
 */
#ifndef KH_DOCX_H
#define KH_DOCX_H

#include <stddef.h>

#include "kh.h"
#include "package.h"

enum kh_story {
	KH_STORY_BODY,
	KH_STORY_TABLE,
	KH_STORY_TEXTBOX,
	KH_STORY_FOOTNOTE,
	KH_STORY_ENDNOTE,
	KH_STORY_COMMENT,
	KH_STORY_HEADER,
	KH_STORY_FOOTER
};

/* "body", "table", ... as KHL writes them. */
const char	*kh_story_name(enum kh_story);

/*
 * One paragraph.  The strings belong to the reader and are valid during the
 * callback only.
 */
typedef struct kh_para {
	long		 index;		/* P: 1-based over the whole document */
	enum kh_story	 story;
	const char	*style;		/* the paragraph style's name ("Heading 1"), "" for none */
	const char	*label;		/* the list label Word shows ("I.", "1.", "a)", "-"), "" for none */
	const char	*text;		/* NFC UTF-8: TAB for w:tab, "\n" for w:br and w:cr */
	size_t		 len;		/* of text, in bytes */
	int		 outline;	/* outline level 0..8 from the style or paragraph, -1 none */
	int		 heading;	/* a style named "heading N" (any case), or an outline level */
	int		 table;		/* body table nesting: 0 outside tables */
	int		 table_no;	/* 1-based number of the outermost body table, 0 outside */
	/*
	 * 0-based row and cell in the innermost body table.  cell is the
	 * grid column where the cell starts (w:gridBefore and w:gridSpan
	 * counted), so cells of one column share it across rows; deleted
	 * rows and merged-away cells are not counted or shown.
	 */
	int		 row, cell;
	int		 list;		/* the label came from Word's numbering */
	int		 num_level;	/* ilvl of that numbering, -1 none */
	/* Emphasis shared by all visible runs: 1 yes, 0 no, -1 mixed. */
	int		 bold, italic;
} kh_para;

typedef struct kh_docx_opts {
	kh_limits	 limits;
	int		 original;	/* show text before tracked changes */
} kh_docx_opts;

typedef struct kh_docx_cb {
	/* Return 0 to go on, -1 to stop the read (leaving a message in err). */
	int	(*para)(void *ud, const kh_para *, kh_err *);
	/*
	 * What the reader met that the user should know (severity, rule,
	 * message), once per document for each thing: numbering-missing,
	 * sym-font-unknown, sym-unmapped, altchunk-skipped, textbox-too-deep,
	 * field-too-deep, diag-limit.
	 */
	void	(*diag)(void *ud, const kh_loc *, const char *severity,
		    const char *rule, const char *message);
	void	*ud;
} kh_docx_cb;

/* Returns 0, or -1 with err set (the part and line in err). */
int	kh_docx_read(kh_package *, const kh_docx_opts *, const kh_docx_cb *,
	    kh_err *);

#endif
