/*
 * profile.c: the rules' table and the profiles that tune it
 * (khprofile(5)): line-oriented files, one per document type, read once
 * per run.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "rules.h"
#include "validate.h"

/*
 * The defaults hold when no profile says otherwise; data/profiles/default
 * spells them out for the people who adapt them.
 */
const struct kh_rule kh_rules[R_NRULES] = {
	{ "motto-missing", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the Quốc hiệu and Tiêu ngữ are present" },
	{ "motto-spelling", KH_SEV_ERROR, KH_SEV_ERROR,
	  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập - Tự do - Hạnh phúc",
	  "the Quốc hiệu and Tiêu ngữ are spelled as prescribed" },
	{ "motto-tone", KH_SEV_WARNING, KH_SEV_WARNING, "",
	  "the Quốc hiệu and Tiêu ngữ place tone marks as prescribed" },
	{ "agency-missing", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the issuing body is named" },
	{ "number-missing", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the document has a Số, ký hiệu" },
	{ "number-blank", KH_SEV_NOTE, KH_SEV_ERROR, "",
	  "the number of the Số, ký hiệu is filled in" },
	{ "number-format", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the Số, ký hiệu has the shape of an administrative, normative or Party symbol" },
	{ "number-zero", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "a number below 10 is written with a leading zero" },
	{ "kind-mismatch", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the type code of the symbol matches the type name" },
	{ "place-missing", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the place of issue is given" },
	{ "date-missing", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the date of issue is given" },
	{ "date-blank", KH_SEV_NOTE, KH_SEV_ERROR, "",
	  "the date of issue is filled in" },
	{ "date-invalid", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the date of issue is a real date" },
	{ "date-zero", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "a day below 10 and the months 1 and 2 are written with a leading zero" },
	{ "date-future", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the date of issue is not in the future" },
	{ "title-missing", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the type name is given" },
	{ "subject-missing", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the trích yếu is given" },
	{ "subject-prefix", KH_SEV_OFF, KH_SEV_OFF, "V/v",
	  "the trích yếu starts as the type prescribes" },
	{ "cite-date-invalid", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "every cited date is a real date" },
	{ "cite-date-after", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "no cited document is dated after the document" },
	{ "cite-self", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the document does not cite itself" },
	{ "section-order", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the parts are numbered in sequence from I" },
	{ "item-order", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the items of each part are numbered in sequence from 1" },
	{ "section-duplicate", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "no part or item number is used twice" },
	{ "part-missing", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the parts the profile requires are present" },
	{ "sign-authority", KH_SEV_ERROR, KH_SEV_ERROR, "TM.|KT.|TL.|TUQ.|Q.",
	  "the authority of the signature is one of those prescribed" },
	{ "sign-deputy", KH_SEV_ERROR, KH_SEV_ERROR, "PHÓ|THỨ TRƯỞNG",
	  "after KT. and the head's title comes a deputy's title" },
	{ "signer-missing", KH_SEV_WARNING, KH_SEV_ERROR, "",
	  "the signer's name is given" },
	{ "recipients-missing", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "the document has a Nơi nhận" },
	{ "recipient-line", KH_SEV_ERROR, KH_SEV_ERROR, "",
	  "each line of the Nơi nhận names one recipient" },
	{ "recipients-archive", KH_SEV_ERROR, KH_SEV_ERROR, "Lưu: VT",
	  "the last line of the Nơi nhận is \"Lưu: VT, ...\"" },
	{ "addressee-missing", KH_SEV_OFF, KH_SEV_OFF, "",
	  "the document has a Kính gửi" },
};

/* Includes deeper than this are a cycle or a mistake. */
#define MAX_DEPTH 8

struct kh_profile {
	char	*name;
	kh_sev	 sev[R_NRULES];
	kh_sev	 final[R_NRULES];
	char	*param[R_NRULES];	/* NULL: the table's */
	char	**parts;
	size_t	 nparts;
	char	**kinds;
	size_t	 nkinds;
};

struct kh_profiles {
	kh_profile	**p;
	size_t		  n;
	kh_profile	 *fallback;	/* one of p, or owned when built in */
	int		  own_fallback;
};

static const char *sevnames[] = { "off", "note", "warning", "error" };

const char *
kh_sev_name(kh_sev s)
{
	return sevnames[s];
}

int
kh_sev_parse(const char *s, kh_sev *out)
{
	size_t i;

	for (i = 0; i < sizeof(sevnames) / sizeof(sevnames[0]); i++)
		if (strcmp(s, sevnames[i]) == 0) {
			*out = (kh_sev)i;
			return 0;
		}
	return -1;
}

size_t
kh_rule_count(void)
{
	return R_NRULES;
}

const char *
kh_rule_name(size_t i)
{
	return kh_rules[i].name;
}

const char *
kh_rule_summary(size_t i)
{
	return kh_rules[i].summary;
}

long
kh_rule_find(const char *name)
{
	size_t i;

	for (i = 0; i < R_NRULES; i++)
		if (strcmp(kh_rules[i].name, name) == 0)
			return (long)i;
	return -1;
}

kh_profile *
kh_profile_builtin(void)
{
	kh_profile *p;
	size_t i;

	p = kh_xcalloc(1, sizeof(*p));
	p->name = kh_xstrdup("builtin");
	for (i = 0; i < R_NRULES; i++) {
		p->sev[i] = kh_rules[i].sev;
		p->final[i] = kh_rules[i].final;
	}
	return p;
}

void
kh_profile_free(kh_profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	free(p->name);
	for (i = 0; i < R_NRULES; i++)
		free(p->param[i]);
	for (i = 0; i < p->nparts; i++)
		free(p->parts[i]);
	free(p->parts);
	for (i = 0; i < p->nkinds; i++)
		free(p->kinds[i]);
	free(p->kinds);
	free(p);
}

const char *
kh_profile_name(const kh_profile *p)
{
	return p->name;
}

kh_sev
kh_profile_sev(const kh_profile *p, size_t rule, int final)
{
	return final ? p->final[rule] : p->sev[rule];
}

const char *
kh_profile_param(const kh_profile *p, size_t rule)
{
	return p->param[rule] != NULL ? p->param[rule] : kh_rules[rule].param;
}

size_t
kh_profile_nparts(const kh_profile *p)
{
	return p->nparts;
}

const char *
kh_profile_part(const kh_profile *p, size_t i)
{
	return p->parts[i];
}

int
kh_profile_has_kind(const kh_profile *p, const char *kind)
{
	size_t i;

	for (i = 0; i < p->nkinds; i++)
		if (strcmp(p->kinds[i], kind) == 0)
			return 1;
	return 0;
}

/* The next word of *pp (space or TAB separated), NUL-terminated in place. */
static char *
word(char **pp)
{
	char *p = *pp, *w;

	p += strspn(p, " \t");
	if (*p == '\0')
		return NULL;
	w = p;
	p += strcspn(p, " \t");
	if (*p != '\0')
		*p++ = '\0';
	*pp = p;
	return w;
}

/* The rest of the line without the spaces around it, or NULL when empty. */
static char *
rest(char *p)
{
	size_t n;

	p += strspn(p, " \t");
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		p[--n] = '\0';
	return n > 0 ? p : NULL;
}

static void
push(char ***list, size_t *n, const char *s)
{
	*list = kh_xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = kh_xstrdup(s);
}

static int load(kh_profile *, const char *, int, int, kh_err *);

/*
 * include NAME: NAME.profile beside the including file, else in the
 * profiles of kh_datadir(), so a department's own profile can build on the
 * installed ones.
 */
static int
include(kh_profile *p, const char *from, const char *name, int depth,
    kh_err *err)
{
	kh_buf path = KH_BUF_INIT;
	const char *slash;
	FILE *fp;
	int rc;

	if (strchr(name, '/') != NULL || name[0] == '.') {
		kh_err_set(err, "include %s: a profile name, not a path", name);
		return -1;
	}
	slash = strrchr(from, '/');
	if (slash != NULL)
		kh_buf_add(&path, from, (size_t)(slash - from + 1));
	kh_buf_printf(&path, "%s.profile", name);
	if ((fp = fopen(path.s, "r")) == NULL) {
		kh_buf_reset(&path);
		kh_buf_printf(&path, "%s/profiles/%s.profile", kh_datadir(),
		    name);
		fp = fopen(path.s, "r");
	}
	if (fp == NULL) {
		kh_err_set(err, "include %s: no such profile", name);
		kh_buf_free(&path);
		return -1;
	}
	fclose(fp);
	rc = load(p, path.s, depth + 1, 0, err);
	kh_buf_free(&path);
	return rc;
}

static int
line_rule(kh_profile *p, char *s, kh_err *err)
{
	char *name, *sev, *param;
	kh_sev v, f;
	long r;

	if ((name = word(&s)) == NULL || (sev = word(&s)) == NULL) {
		kh_err_set(err, "expected \"rule NAME SEVERITY\"");
		return -1;
	}
	if ((r = kh_rule_find(name)) == -1) {
		kh_err_set(err, "unknown rule \"%s\"", name);
		return -1;
	}
	if (kh_sev_parse(sev, &v) == -1) {
		kh_err_set(err, "unknown severity \"%s\" (error, warning, "
		    "note or off)", sev);
		return -1;
	}
	f = v;
	s += strspn(s, " \t");
	if (strncmp(s, "final=", 6) == 0) {
		sev = word(&s) + 6;
		if (kh_sev_parse(sev, &f) == -1) {
			kh_err_set(err, "unknown severity \"%s\" (error, "
			    "warning, note or off)", sev);
			return -1;
		}
	}
	p->sev[r] = v;
	p->final[r] = f;
	if ((param = rest(s)) != NULL) {
		free(p->param[r]);
		p->param[r] = kh_xstrdup(param);
	}
	return 0;
}

static int
line(kh_profile *p, const char *path, char *s, int depth, int top,
    kh_err *err)
{
	char *key, *w;

	if ((key = word(&s)) == NULL || key[0] == '#')
		return 0;
	if (strcmp(key, "rule") == 0)
		return line_rule(p, s, err);
	if (strcmp(key, "require-part") == 0) {
		if ((w = rest(s)) == NULL) {
			kh_err_set(err, "expected \"require-part TEXT\"");
			return -1;
		}
		push(&p->parts, &p->nparts, w);
		return 0;
	}
	if (strcmp(key, "kind") == 0) {
		if ((w = word(&s)) == NULL) {
			kh_err_set(err, "expected \"kind CODE ...\"");
			return -1;
		}
		/* Kinds say which documents a file is for, not what it includes. */
		for (; w != NULL; w = word(&s))
			if (top)
				push(&p->kinds, &p->nkinds, w);
		return 0;
	}
	if (strcmp(key, "include") == 0) {
		if ((w = word(&s)) == NULL || word(&s) != NULL) {
			kh_err_set(err, "expected \"include NAME\"");
			return -1;
		}
		if (depth >= MAX_DEPTH) {
			kh_err_set(err, "includes nest deeper than %d "
			    "(a cycle?)", MAX_DEPTH);
			return -1;
		}
		return include(p, path, w, depth, err);
	}
	kh_err_set(err, "unknown directive \"%s\"", key);
	return -1;
}

static int
load(kh_profile *p, const char *path, int depth, int top, kh_err *err)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	FILE *fp;
	int rc = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		kh_err_set(err, "%s", strerror(errno));
		snprintf(err->part, sizeof(err->part), "%s", path);
		return -1;
	}
	while ((n = getline(&buf, &cap, fp)) != -1) {
		lineno++;
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		if (strlen(buf) != (size_t)n) {
			kh_err_set(err, "NUL byte in a line");
			rc = -1;
		} else
			rc = line(p, path, buf, depth, top, err);
		if (rc == -1) {
			/* An error of an included file keeps its own place. */
			if (err->part[0] == '\0') {
				snprintf(err->part, sizeof(err->part), "%s",
				    path);
				err->line = lineno;
			}
			break;
		}
	}
	if (rc == 0 && ferror(fp)) {
		kh_err_set(err, "%s", strerror(errno));
		snprintf(err->part, sizeof(err->part), "%s", path);
		rc = -1;
	}
	free(buf);
	fclose(fp);
	return rc;
}

kh_profile *
kh_profile_load(const char *path, kh_err *err)
{
	kh_profile *p;
	const char *base, *dot;

	kh_err_clear(err);
	p = kh_profile_builtin();
	free(p->name);
	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	dot = strrchr(base, '.');
	if (dot != NULL && strcmp(dot, ".profile") == 0)
		p->name = kh_xstrndup(base, (size_t)(dot - base));
	else
		p->name = kh_xstrdup(base);
	if (load(p, path, 0, 1, err) == -1) {
		kh_profile_free(p);
		return NULL;
	}
	return p;
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

kh_profiles *
kh_profiles_one(kh_profile *p)
{
	kh_profiles *set;

	set = kh_xcalloc(1, sizeof(*set));
	set->p = kh_xmalloc(sizeof(*set->p));
	set->p[0] = p;
	set->n = 1;
	set->fallback = p;
	return set;
}

kh_profiles *
kh_profiles_load(const char *dir, kh_err *err)
{
	kh_profiles *set;
	char **names = NULL;
	size_t nnames = 0, i, j, k, len;
	kh_buf path = KH_BUF_INIT;
	struct dirent *de;
	DIR *d;

	kh_err_clear(err);
	if ((d = opendir(dir)) == NULL) {
		kh_err_set(err, "%s", strerror(errno));
		snprintf(err->part, sizeof(err->part), "%s", dir);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > 8 && de->d_name[0] != '.' &&
		    strcmp(de->d_name + len - 8, ".profile") == 0)
			push(&names, &nnames, de->d_name);
	}
	closedir(d);
	/* Sorted, so messages and choices do not depend on the file system. */
	qsort(names, nnames, sizeof(*names), namecmp);
	set = kh_xcalloc(1, sizeof(*set));
	set->p = kh_xcalloc(nnames + 1, sizeof(*set->p));
	for (i = 0; i < nnames; i++) {
		kh_buf_reset(&path);
		kh_buf_printf(&path, "%s/%s", dir, names[i]);
		if ((set->p[set->n] = kh_profile_load(path.s, err)) == NULL)
			goto fail;
		set->n++;
		if (strcmp(names[i], "default.profile") == 0)
			set->fallback = set->p[set->n - 1];
	}
	for (i = 0; i < set->n; i++)
		for (k = 0; k < set->p[i]->nkinds; k++)
			for (j = 0; j < i; j++)
				if (kh_profile_has_kind(set->p[j],
				    set->p[i]->kinds[k])) {
					kh_err_set(err, "kind %s is claimed "
					    "by profiles %s and %s",
					    set->p[i]->kinds[k],
					    set->p[j]->name, set->p[i]->name);
					snprintf(err->part, sizeof(err->part),
					    "%s", dir);
					goto fail;
				}
	if (set->fallback == NULL) {
		set->fallback = kh_profile_builtin();
		set->own_fallback = 1;
	}
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	kh_buf_free(&path);
	return set;
fail:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	kh_buf_free(&path);
	kh_profiles_free(set);
	return NULL;
}

const kh_profile *
kh_profiles_pick(const kh_profiles *set, const char *kind)
{
	size_t i;

	if (kind != NULL)
		for (i = 0; i < set->n; i++)
			if (kh_profile_has_kind(set->p[i], kind))
				return set->p[i];
	return set->fallback;
}

void
kh_profiles_free(kh_profiles *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		kh_profile_free(set->p[i]);
	if (set->own_fallback)
		kh_profile_free(set->fallback);
	free(set->p);
	free(set);
}
