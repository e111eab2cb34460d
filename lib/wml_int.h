/*
 * wml_int.h: what the WordprocessingML reader's files share: the style
 * and numbering tables, and the list counters.
 */
#ifndef KH_WML_INT_H
#define KH_WML_INT_H

#include "kh.h"
#include "package.h"
#include "xml.h"

#define WML_LEVELS 9

struct wml_style {
	char	*id;
	char	*name;
	char	*based_on;
	int	 type;		/* 'p'aragraph, 'c'haracter, 't'able, 'n'umbering */
	int	 is_default;
	/* -1 where the style does not say, so basedOn decides. */
	int	 outline;
	int	 num_id;
	int	 ilvl;
	int	 vanish;
	int	 bold;
	int	 italic;
};

struct wml_styles {
	struct wml_style	*v;
	size_t			 n;
};

enum wml_fmt {
	FMT_DECIMAL, FMT_DECIMAL_ZERO, FMT_UPPER_ROMAN, FMT_LOWER_ROMAN,
	FMT_UPPER_LETTER, FMT_LOWER_LETTER, FMT_BULLET, FMT_NONE
};

struct wml_level {
	int		 start;
	enum wml_fmt	 fmt;
	char		 text[64];	/* lvlText, "%1." */
	int		 has_text;
	int		 restart;	/* lvlRestart, -1 when absent */
	int		 legal;		/* isLgl */
};

struct wml_abstract {
	int			 id;
	struct wml_level	 lvl[WML_LEVELS];
};

struct wml_num {
	int			 id;
	int			 abstract;
	int			 start_override[WML_LEVELS];	/* -1 none */
	int			 has_lvl[WML_LEVELS];
	struct wml_level	 lvl[WML_LEVELS];
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

int	kh_wml_onoff(const char *);
const char *kh_wml_val(size_t, const kh_xml_attr *, const char *);

int	kh_wml_styles_read(struct wml_styles *, kh_package *, const char *,
	    const kh_limits *, kh_err *);
const struct wml_style *kh_wml_style(const struct wml_styles *, const char *,
	    int);
int	kh_wml_style_outline(const struct wml_styles *, const struct wml_style *);
int	kh_wml_style_num(const struct wml_styles *, const struct wml_style *);
int	kh_wml_style_ilvl(const struct wml_styles *, const struct wml_style *);
int	kh_wml_style_vanish(const struct wml_styles *, const struct wml_style *);
int	kh_wml_style_bold(const struct wml_styles *, const struct wml_style *);
int	kh_wml_style_italic(const struct wml_styles *, const struct wml_style *);
void	kh_wml_styles_free(struct wml_styles *);

int	kh_wml_numbering_read(struct wml_numbering *, kh_package *,
	    const char *, const kh_limits *, kh_err *);
int	kh_wml_label(struct wml_numbering *, int, int, kh_buf *);
void	kh_wml_numbering_free(struct wml_numbering *);

#endif
