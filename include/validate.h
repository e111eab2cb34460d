/*
 * validate.h: the rules khvalidate applies to each document of a KHL
 * stream, and the profiles (khprofile(5)) that set their severities and
 * parameters per document type.
 *
 * Ownership: profiles and validators are made and freed by their owner;
 * the diagnostics a validator returns belong to it and stay valid until
 * its next kh_validator_begin or kh_validator_free.
 */
#ifndef KH_VALIDATE_H
#define KH_VALIDATE_H

#include <stddef.h>

#include "kh.h"
#include "khl.h"
#include "recog.h"

/* Severities, in increasing order; KH_SEV_OFF switches a rule off. */
typedef enum kh_sev {
	KH_SEV_OFF = 0,
	KH_SEV_NOTE,
	KH_SEV_WARNING,
	KH_SEV_ERROR
} kh_sev;

/* "error", "warning", "note" or "off". */
const char	*kh_sev_name(kh_sev);
/* Returns 0, or -1 when s names no severity. */
int		 kh_sev_parse(const char *s, kh_sev *);

/* The rules, in a fixed order: index 0 to kh_rule_count() - 1. */
size_t		 kh_rule_count(void);
const char	*kh_rule_name(size_t);
/* One sentence saying what the rule checks, for SARIF and --help. */
const char	*kh_rule_summary(size_t);
/* The index of a rule, or -1 when name is none of them. */
long		 kh_rule_find(const char *name);

/*
 * A profile: each rule's severity in a draft and in a final document, its
 * parameter (alternatives separated by "|"), the parts a document needs,
 * and the kinds it is chosen for.
 */
typedef struct kh_profile kh_profile;

/*
 * Read the profile at path with the profiles it includes.  NULL with err
 * set (err.part the file, err.line the line) when a file cannot be read or
 * a line is wrong.
 */
kh_profile	*kh_profile_load(const char *path, kh_err *);
/* The built-in profile: every rule at its default, no required part. */
kh_profile	*kh_profile_builtin(void);
void		 kh_profile_free(kh_profile *);
/* The file name without folder and ".profile" ("KH"), or "builtin". */
const char	*kh_profile_name(const kh_profile *);
kh_sev		 kh_profile_sev(const kh_profile *, size_t rule, int final);
/* The rule's parameter, "" when it has none. */
const char	*kh_profile_param(const kh_profile *, size_t rule);
size_t		 kh_profile_nparts(const kh_profile *);
/* Required part i: its alternatives separated by "|". */
const char	*kh_profile_part(const kh_profile *, size_t i);
/* Whether the profile is chosen for documents of kind ("KH"; "CV" for a công văn). */
int		 kh_profile_has_kind(const kh_profile *, const char *kind);

/*
 * The profiles of a folder: every NAME.profile in it; "default.profile"
 * (or the built-in profile when there is none) serves the kinds no other
 * profile claims.  NULL with err set on failure, such as two profiles
 * claiming one kind.
 */
typedef struct kh_profiles kh_profiles;

kh_profiles	*kh_profiles_load(const char *dir, kh_err *);
/* A set of one profile, used for every document (--profile). */
kh_profiles	*kh_profiles_one(kh_profile *);
const kh_profile *kh_profiles_pick(const kh_profiles *, const char *kind);
void		 kh_profiles_free(kh_profiles *);

/* One finding about a document. */
typedef struct kh_diag {
	kh_loc		 loc;
	kh_sev		 sev;
	size_t		 rule;
	char		*msg;
} kh_diag;

/*
 * A validator sees the records of one document at a time, keeping only
 * what its rules need (meta, sec and ref records, and the text of the
 * paragraphs near the top and the end of the document), and judges the
 * document at its end.
 */
typedef struct kh_validator kh_validator;

/*
 * today is the date future dates are judged against, as YYYY-MM-DD; final
 * judges blanks as in a document about to be issued.  The validator uses
 * the profiles and the vocabulary without owning them.
 */
kh_validator	*kh_validator_new(const kh_profiles *, const kh_vocab *,
		    const char *today, int final);
void		 kh_validator_free(kh_validator *);
/* Set a rule's severity for the run, over every profile (-W). */
void		 kh_validator_force(kh_validator *, size_t rule, kh_sev);
/* Switch a rule back on at the severity of the profile, or of the built-in one when the profile has it off. */
void		 kh_validator_enable(kh_validator *, size_t rule);
void		 kh_validator_begin(kh_validator *, const char *doc);
void		 kh_validator_record(kh_validator *, const khl_record *);
/*
 * Judge the document: sets *diags to its findings sorted by location and
 * returns their number.  *profile gets the profile used.
 */
size_t		 kh_validator_end(kh_validator *, const kh_diag **diags,
		    const kh_profile **profile);

#endif
