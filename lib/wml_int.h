/*
 * wml_int.h: what the WordprocessingML reader's files share: the style
 * table (wml_styles.c), the numbering definitions and list counters
 * (wml_numbering.c), read once per document and consulted by wml.c.
 */
#ifndef KH_WML_INT_H
#define KH_WML_INT_H

#include "kh.h"
#include "package.h"
#include "xml.h"

#define WML_LEVELS	9	/* list levels 0..8 */
#define WML_CHAIN_MAX	32	/* basedOn links followed: a cycle cannot loop */

/*
 * A style.  The set_ fields hold what the style itself says (-1 where it
 * says nothing); the other fields what it ends up with through its basedOn
 * chain, resolved once after reading.
 */
struct wml_style {
	char	*id;
	char	*name;
	char	*based_on;
	int	 type;		/* 'p'aragraph, 'c'haracter, 't'able, 'n'umbering */
	int	 is_default;
	int	 set_outline, set_num, set_ilvl;
	int	 set_vanish, set_bold, set_italic, set_caps;
	int	 outline;	/* outlineLvl 0..8, -1 none (9 is body text) */
	int	 num, ilvl;	/* numbering through the style, -1 none */
	int	 vanish, bold, italic, caps;	/* -1 not said in the chain */
	int	 heading;	/* named "heading N" or with an outline level */
};

struct wml_styles {
	struct wml_style	 *v;
	size_t			  n;
	struct wml_style	**sorted;	/* by type, then id, for lookups */
	/* Run properties of w:docDefaults, -1 when not given. */
	int			  def_vanish, def_bold, def_italic, def_caps;
};

/* ST_OnOff in all its spellings; a missing w:val means on. */
int	kh_wml_onoff(const char *);
/* The w:NAME attribute among a, or NULL. */
const char *kh_wml_val(size_t, const kh_xml_attr *, const char *);
/* An integer attribute, dflt when missing or not a number. */
int	kh_wml_int(const char *, int dflt);

void	kh_wml_styles_init(struct wml_styles *);
int	kh_wml_styles_read(struct wml_styles *, kh_package *, const char *,
	    const kh_limits *, kh_err *);
/* The style of that type with id, or the type's default when id is NULL. */
const struct wml_style *kh_wml_style(const struct wml_styles *,
	    const char *id, int type);
/*
 * A toggle property (bold, italic, hidden, capitals) of a run from its direct value,
 * its character style's and its paragraph style's (each -1 when unsaid):
 * direct formatting is absolute, styles toggle (ECMA-376 17.7.3), the
 * document defaults apply when nothing says.
 */
int	kh_wml_toggle(int direct, int cstyle, int pstyle, int dflt);
void	kh_wml_styles_free(struct wml_styles *);

enum wml_fmt {
	FMT_DECIMAL, FMT_DECIMAL_ZERO, FMT_UPPER_ROMAN, FMT_LOWER_ROMAN,
	FMT_UPPER_LETTER, FMT_LOWER_LETTER, FMT_BULLET, FMT_NONE
};

struct wml_level {
	int		 start;
	enum wml_fmt	 fmt;
	char		 text[64];	/* lvlText, "%1." */
	int		 restart;	/* lvlRestart, -1 when absent */
	int		 legal;		/* isLgl */
	int		 symbol_font;	/* the label's font is a symbol font */
	char		 pstyle[64];	/* the paragraph style tied to this level */
};

struct wml_abstract {
	int			 id;
	struct wml_level	 lvl[WML_LEVELS];
	char			 num_style_link[64];	/* levels defined elsewhere */
};

struct wml_num {
	int			 id;
	int			 abstract;
	int			 start_override[WML_LEVELS];	/* -1 none */
	int			 has_lvl[WML_LEVELS];	/* a level redefined */
	struct wml_level	 lvl[WML_LEVELS];
	struct wml_counters	*counters;
};

struct wml_counters {
	int	key;
	int	count[WML_LEVELS];
	int	started[WML_LEVELS];
};

struct wml_numbering {
	struct wml_abstract	*abs;
	size_t			 nabs;
	struct wml_num		*num;
	size_t			 nnum;
	struct wml_counters	**counters;
	size_t			 ncounters;
};

int	kh_wml_numbering_read(struct wml_numbering *, kh_package *,
	    const char *, const kh_limits *, kh_err *);

/* What kh_wml_label found. */
enum wml_label_rc {
	WML_LABEL_OK,
	WML_LABEL_NO_NUM,	/* numId names no w:num */
	WML_LABEL_NO_ABSTRACT	/* the w:num names no w:abstractNum */
};

/*
 * The label Word shows for a paragraph of list num_id at level ilvl (-1:
 * the level tied to the paragraph's style pstyle, else 0), advancing the
 * counters; into b, "" for a level with no label.  *level gets the level
 * used.
 */
enum wml_label_rc kh_wml_label(struct wml_numbering *,
	    const struct wml_styles *, int num_id, int ilvl,
	    const char *pstyle, kh_buf *b, int *level);
void	kh_wml_numbering_free(struct wml_numbering *);

#endif
