/*
 * rules.h: the table of khvalidate's rules, shared by lib/profile.c, which
 * reads their severities and parameters from profiles, and lib/validate.c,
 * which applies them.  Not for the programs: they see validate.h.
 *
 * The order is the order of khvalidate(1)'s list and of the rules array of
 * its SARIF output; a new rule goes at the end of its group.
 */
#ifndef KH_RULES_H
#define KH_RULES_H

#include "validate.h"

enum {
	R_MOTTO_MISSING,
	R_MOTTO_SPELLING,
	R_MOTTO_TONE,
	R_AGENCY_MISSING,
	R_NUMBER_MISSING,
	R_NUMBER_BLANK,
	R_NUMBER_FORMAT,
	R_NUMBER_ZERO,
	R_KIND_MISMATCH,
	R_PLACE_MISSING,
	R_DATE_MISSING,
	R_DATE_BLANK,
	R_DATE_INVALID,
	R_DATE_ZERO,
	R_DATE_FUTURE,
	R_TITLE_MISSING,
	R_SUBJECT_MISSING,
	R_SUBJECT_PREFIX,
	R_CITE_DATE_INVALID,
	R_CITE_DATE_AFTER,
	R_CITE_SELF,
	R_SECTION_ORDER,
	R_ITEM_ORDER,
	R_SECTION_DUPLICATE,
	R_PART_MISSING,
	R_SIGN_AUTHORITY,
	R_SIGN_DEPUTY,
	R_SIGNER_MISSING,
	R_RECIPIENTS_MISSING,
	R_RECIPIENT_LINE,
	R_RECIPIENTS_ARCHIVE,
	R_ADDRESSEE_MISSING,
	R_NRULES
};

struct kh_rule {
	const char	*name;
	kh_sev		 sev;		/* in a draft */
	kh_sev		 final;		/* with --final */
	const char	*param;		/* alternatives separated by "|" */
	const char	*summary;
};

extern const struct kh_rule kh_rules[R_NRULES];

#endif
