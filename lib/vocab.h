/*
 * vocab.h: the insides of the vocabulary (khvocab(5)), shared by
 * lib/vocab.c, which reads it, and lib/cite.c, which builds its patterns
 * from it, and a hook for the tests of the citer.  Not for the programs:
 * they see only recog.h.
 *
 * Every string is NFC; the fold fields are kh_fold of it with runs of
 * white space made one space, as the recognizers compare them.
 */
#ifndef KH_VOCAB_H
#define KH_VOCAB_H

#include <stddef.h>

struct kh_vtype {
	char	*name;		/* "Kế hoạch" */
	char	*fold;		/* "kế hoạch" */
	char	*code;		/* "KH"; "" when its symbols carry no type code */
	char	*cfold;		/* "kh" */
	char	*kind;		/* the ref KIND when a symbol gives no known code */
	int	 byname;	/* cited by name without a number (Luật) */
};

/* An abbreviation standing for a type name in a citation ("NĐ"). */
struct kh_vabbr {
	char	*fold;
	size_t	 type;
};

/* A law or code known by name ("Luật Thi đua, khen thưởng"). */
struct kh_vlaw {
	char	*name;
	char	*fold;
	size_t	 type;
};

struct kh_vocab {
	struct kh_vtype	*types;
	size_t		 ntypes;
	struct kh_vabbr	*abbrs;
	size_t		 nabbrs;
	struct kh_vlaw	*laws;
	size_t		 nlaws;
	char		**stops;	/* folded words ending an issuer or a name */
	size_t		 nstops;
	char		**attach;	/* folded words opening an appendix line */
	size_t		 nattach;
	char		**agencies;	/* folded issuer names read whole */
	size_t		 nagencies;
};

/*
 * kh_fold of valid UTF-8 s after NFC, with white space runs made one space
 * and trimmed.  NULL when s is not valid UTF-8.
 */
char	*kh_vocab_fold(const char *s, size_t len);
/* The type whose folded code is fcode (folded, from a symbol), or -1. */
long	 kh_vocab_code_type(const struct kh_vocab *, const char *fcode,
	    size_t len);

/*
 * Sets the pcre2 match limit of the citer (tests use a tiny one to see a
 * hit reported as an error).
 */
struct kh_citer;
void	 kh_citer_set_limit(struct kh_citer *, unsigned int);

#endif
