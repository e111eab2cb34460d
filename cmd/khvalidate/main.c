/*
 * khvalidate: check each document of a KHL stream against the profile of
 * its type, and pass the stream on with diag records, or report the
 * findings as text, JSON Lines or SARIF.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fe.h"
#include "kh.h"
#include "khl.h"
#include "recog.h"
#include "text.h"
#include "validate.h"

enum format { F_KHL, F_TEXT, F_JSON, F_SARIF };

/* One diagnostic as reported: khvalidate's own, or one read in the stream. */
struct out {
	kh_loc		 loc;
	const char	*sev;
	const char	*rule;
	const char	*msg;
	long		 ruleidx;	/* -1 when not one of ours */
};

/* The documents met so far, so a document that comes back is caught. */
struct docset {
	char	**slot;
	size_t	  cap;
	size_t	  n;
};

static struct {
	enum format	 format;
	kh_validator	*v;
	kh_buf		 line;
	kh_buf		 foreign;	/* diag records of other tools, as KHL */
	size_t		 nforeign;
	int		 sarif_first;
	unsigned long	 docs, errors, warnings, notes;
	int		 found;		/* a document has an error */
	int		 trouble;
} run;

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: khvalidate [-s] [--draft | --final] "
	    "[-f format] [--profile file]\n"
	    "                  [-W [no-]rule] [--max-line size] "
	    "[--list-rules] [file ...]\n");
}

static uint64_t
fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* Adds s; returns 0, or -1 when it was there already. */
static int
docset_add(struct docset *d, const char *s)
{
	char **old;
	size_t i, k, oldcap;

	if (2 * (d->n + 1) > d->cap) {
		old = d->slot;
		oldcap = d->cap;
		d->cap = d->cap == 0 ? 64 : 2 * d->cap;
		d->slot = kh_xcalloc(d->cap, sizeof(*d->slot));
		for (i = 0; i < oldcap; i++) {
			if (old[i] == NULL)
				continue;
			k = fnv(old[i]) & (d->cap - 1);
			while (d->slot[k] != NULL)
				k = (k + 1) & (d->cap - 1);
			d->slot[k] = old[i];
		}
		free(old);
	}
	for (i = fnv(s) & (d->cap - 1); d->slot[i] != NULL;
	    i = (i + 1) & (d->cap - 1))
		if (strcmp(d->slot[i], s) == 0)
			return -1;
	d->slot[i] = kh_xstrdup(s);
	d->n++;
	return 0;
}

static void
docset_free(struct docset *d)
{
	size_t i;

	for (i = 0; i < d->cap; i++)
		free(d->slot[i]);
	free(d->slot);
}

static void
emit(const void *p, size_t n)
{
	fwrite(p, 1, n, stdout);
}

/* JSON string, escaped as RFC 8259 asks. */
static void
json_str(kh_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;

	kh_buf_addc(b, '"');
	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (c == '"' || c == '\\') {
			kh_buf_addc(b, '\\');
			kh_buf_addc(b, c);
		} else if (c == '\n')
			kh_buf_adds(b, "\\n");
		else if (c == '\t')
			kh_buf_adds(b, "\\t");
		else if (c == '\r')
			kh_buf_adds(b, "\\r");
		else if (c < 0x20 || c == 0x7f) {
			kh_buf_adds(b, "\\u00");
			kh_buf_addc(b, hex[c >> 4]);
			kh_buf_addc(b, hex[c & 15]);
		} else
			kh_buf_addc(b, c);
	}
	kh_buf_addc(b, '"');
}

/*
 * A document key as a URI reference: every byte but the unreserved ones
 * and "/" percent-encoded, so Vietnamese names, spaces and a colon that
 * would read as a scheme stay a relative path.
 */
static void
uri(kh_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c) != NULL)
			kh_buf_addc(b, c);
		else {
			kh_buf_addc(b, '%');
			kh_buf_addc(b, hex[c >> 4]);
			kh_buf_addc(b, hex[c & 15]);
		}
	}
}

/* Text from a document shown on a terminal: control characters escaped. */
static void
safe(kh_buf *b, const char *s)
{
	size_t n = strlen(s) * 4 + 1;
	char *tmp = kh_xmalloc(n);

	kh_buf_adds(b, kh_safe(s, tmp, n));
	free(tmp);
}

static void
sarif_begin(void)
{
	kh_buf *b = &run.line;
	kh_profile *builtin = kh_profile_builtin();
	kh_sev sev;
	size_t i;

	kh_buf_reset(b);
	kh_buf_adds(b, "{\n  \"$schema\": \"https://json.schemastore.org/"
	    "sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n"
	    "    {\n      \"tool\": {\n        \"driver\": {\n"
	    "          \"name\": \"khvalidate\",\n"
	    "          \"version\": \"" KH_VERSION "\",\n"
	    "          \"rules\": [");
	for (i = 0; i < kh_rule_count(); i++) {
		kh_buf_adds(b, i > 0 ? ",\n" : "\n");
		kh_buf_adds(b, "            { \"id\": ");
		json_str(b, kh_rule_name(i));
		kh_buf_adds(b, ", \"shortDescription\": { \"text\": ");
		json_str(b, kh_rule_summary(i));
		sev = kh_profile_sev(builtin, i, 0);
		if (sev == KH_SEV_OFF)
			kh_buf_adds(b, " }, \"defaultConfiguration\": "
			    "{ \"enabled\": false } }");
		else
			kh_buf_printf(b, " }, \"defaultConfiguration\": "
			    "{ \"level\": \"%s\" } }", kh_sev_name(sev));
	}
	kh_profile_free(builtin);
	kh_buf_adds(b, "\n          ]\n        }\n      },\n"
	    "      \"columnKind\": \"unicodeCodePoints\",\n"
	    "      \"results\": [");
	emit(b->s, b->len);
	run.sarif_first = 1;
}

static void
sarif_result(const char *doc, const struct out *o)
{
	kh_buf *b = &run.line;
	const char *level = o->sev;

	if (strcmp(level, "error") != 0 && strcmp(level, "warning") != 0 &&
	    strcmp(level, "note") != 0)
		level = "none";
	kh_buf_reset(b);
	kh_buf_adds(b, run.sarif_first ? "\n" : ",\n");
	run.sarif_first = 0;
	kh_buf_adds(b, "        {\n          \"ruleId\": ");
	json_str(b, o->rule);
	if (o->ruleidx >= 0)
		kh_buf_printf(b, ",\n          \"ruleIndex\": %ld", o->ruleidx);
	kh_buf_printf(b, ",\n          \"level\": \"%s\",\n"
	    "          \"message\": { \"text\": ", level);
	json_str(b, o->msg);
	kh_buf_adds(b, " },\n          \"locations\": [ { \"physicalLocation\": "
	    "{ \"artifactLocation\": { \"uri\": \"");
	uri(b, doc);
	kh_buf_adds(b, "\" }");
	if (o->loc.para > 0) {
		kh_buf_printf(b, ", \"region\": { \"startLine\": %ld",
		    o->loc.para);
		if (o->loc.col > 0)
			kh_buf_printf(b, ", \"startColumn\": %ld", o->loc.col);
		if (o->loc.end > 0)
			kh_buf_printf(b, ", \"endColumn\": %ld", o->loc.end);
		kh_buf_adds(b, " }");
	}
	kh_buf_adds(b, " } } ]\n        }");
	emit(b->s, b->len);
}

static void
sarif_end(void)
{
	printf("%s      ],\n      \"invocations\": [ { "
	    "\"executionSuccessful\": %s } ]\n    }\n  ]\n}\n",
	    run.sarif_first ? "" : "\n", run.trouble ? "false" : "true");
}

static void
report(const char *doc, const struct out *o)
{
	kh_buf *b = &run.line;

	if (strcmp(o->sev, "error") == 0)
		run.errors++;
	else if (strcmp(o->sev, "warning") == 0)
		run.warnings++;
	else if (strcmp(o->sev, "note") == 0)
		run.notes++;
	kh_buf_reset(b);
	switch (run.format) {
	case F_KHL:
		khl_begin(b, "diag", doc, &o->loc);
		khl_field(b, o->sev);
		khl_field(b, o->rule);
		khl_field(b, o->msg);
		khl_end(b);
		break;
	case F_TEXT:
		safe(b, doc);
		if (o->loc.para > 0)
			kh_buf_printf(b, ":%ld", o->loc.para);
		if (o->loc.col > 0)
			kh_buf_printf(b, ":%ld", o->loc.col);
		kh_buf_printf(b, ": %s: ", o->sev);
		safe(b, o->msg);
		kh_buf_adds(b, " [");
		safe(b, o->rule);
		kh_buf_adds(b, "]\n");
		break;
	case F_JSON:
		kh_buf_adds(b, "{\"file\":");
		json_str(b, doc);
		if (o->loc.para > 0)
			kh_buf_printf(b, ",\"line\":%ld", o->loc.para);
		else
			kh_buf_adds(b, ",\"line\":null");
		if (o->loc.col > 0)
			kh_buf_printf(b, ",\"column\":%ld", o->loc.col);
		else
			kh_buf_adds(b, ",\"column\":null");
		kh_buf_adds(b, ",\"severity\":");
		json_str(b, o->sev);
		kh_buf_adds(b, ",\"rule\":");
		json_str(b, o->rule);
		kh_buf_adds(b, ",\"message\":");
		json_str(b, o->msg);
		kh_buf_adds(b, "}\n");
		break;
	case F_SARIF:
		sarif_result(doc, o);
		return;
	}
	emit(b->s, b->len);
}

/*
 * Outside KHL output, the diag records of other tools (khextract's) are
 * reported with ours; they are kept as KHL lines until the document ends.
 */
static void
keep_foreign(const khl_record *r)
{
	kh_buf_add(&run.foreign, r->raw, r->rawlen);
	kh_buf_addc(&run.foreign, '\n');
	run.nforeign++;
}

static int
outcmp(const void *pa, const void *pb)
{
	const struct out *a = pa, *b = pb;
	int c;

	if ((c = kh_loc_cmp(&a->loc, &b->loc)) != 0)
		return c;
	if ((c = strcmp(a->rule, b->rule)) != 0)
		return c;
	return strcmp(a->msg, b->msg);
}

/* Splits one kept foreign diag line (a valid record) into o. */
static char *
foreign_out(char *p, struct out *o)
{
	char *f[6], *nl = strchr(p, '\n');
	int i;

	*nl = '\0';
	for (i = 0; i < 6; i++) {
		f[i] = strsep(&p, "\t");
		if (f[i] == NULL)
			f[i] = (char *)"";
		else
			khl_unescape(f[i], strlen(f[i]));
	}
	if (kh_loc_parse(f[2], &o->loc) == -1)
		o->loc.para = o->loc.col = o->loc.end = 0;
	o->sev = f[3];
	o->rule = f[4];
	o->msg = f[5];
	o->ruleidx = -1;
	return nl + 1;
}

static void
end_doc(const char *doc)
{
	const kh_diag *d;
	struct out *o;
	size_t n, i, k = 0;
	unsigned long before = run.errors;
	char *p;

	n = kh_validator_end(run.v, &d, NULL);
	o = kh_xcalloc(n + run.nforeign + 1, sizeof(*o));
	for (i = 0; i < n; i++, k++) {
		o[k].loc = d[i].loc;
		o[k].sev = kh_sev_name(d[i].sev);
		o[k].rule = kh_rule_name(d[i].rule);
		o[k].msg = d[i].msg;
		o[k].ruleidx = (long)d[i].rule;
	}
	for (p = run.foreign.s, i = 0; i < run.nforeign; i++, k++)
		p = foreign_out(p, &o[k]);
	/* Ours come sorted; with others', sort them together. */
	if (run.nforeign > 0)
		qsort(o, k, sizeof(*o), outcmp);
	for (i = 0; i < k; i++)
		report(doc, &o[i]);
	free(o);
	kh_buf_reset(&run.foreign);
	run.nforeign = 0;
	run.docs++;
	if (run.errors > before)
		run.found = 1;
}

/*
 * Trouble in an input: "FILE:LINE: message", with what came from the
 * input shown safely.
 */
static void
trouble(const kh_err *err)
{
	char buf[1024], safe[4096];

	kh_err_format(err, buf, sizeof(buf));
	kh_warnx("%s", kh_safe(buf, safe, sizeof(safe)));
	run.trouble = 1;
}

/* A document of the stream out of place (doc is its key). */
static void
misplaced(const char *name, long lineno, const char *fmt, const char *doc)
{
	kh_err err;
	char key[256];

	kh_err_clear(&err);
	/* The key comes from the input: cut to a readable length. */
	snprintf(key, sizeof(key), "%s", doc);
	if (strlen(doc) >= sizeof(key))
		memcpy(key + sizeof(key) - 4, "...", 4);
	kh_err_set(&err, fmt, key);
	snprintf(err.part, sizeof(err.part), "%s", name);
	err.line = lineno;
	trouble(&err);
}

/* Validates one input; documents end with it. */
static void
validate(const char *name, size_t max_line, struct docset *seen)
{
	khl_reader *rd;
	khl_record *r;
	kh_err err;
	FILE *fp;
	char *cur = NULL;
	int rc, hasdoc = 0, ours;
	long rule;

	kh_err_clear(&err);
	if ((fp = kh_input_open(name, &err)) == NULL) {
		kh_warn_err(name, &err);
		run.trouble = 1;
		return;
	}
	rd = khl_reader_new(fp, name, max_line);
	while ((rc = khl_read(rd, &r, &err)) == 1) {
		if (cur == NULL || strcmp(cur, KHL_DOC(r)) != 0) {
			if (cur != NULL)
				end_doc(cur);
			free(cur);
			cur = NULL;
			if (docset_add(seen, KHL_DOC(r)) == -1) {
				misplaced(name, r->lineno, "records of "
				    "document \"%s\" come back after another "
				    "document's (sort the stream with khmerge)",
				    KHL_DOC(r));
				break;
			}
			cur = kh_xstrdup(KHL_DOC(r));
			hasdoc = 0;
			kh_validator_begin(run.v, cur);
		}
		if (strcmp(KHL_TYPE(r), "doc") == 0 && hasdoc++) {
			misplaced(name, r->lineno, "a second doc record "
			    "for document \"%s\" (merge the streams with "
			    "khmerge)", cur);
			free(cur);
			cur = NULL;
			break;
		}
		/* Our own findings of an earlier run are replaced, not doubled. */
		ours = strcmp(KHL_TYPE(r), "diag") == 0 && r->nfields >= 6 &&
		    (rule = kh_rule_find(r->field[4])) != -1;
		if (run.format == F_KHL) {
			if (!ours) {
				emit(r->raw, r->rawlen);
				emit("\n", 1);
			}
		} else if (strcmp(KHL_TYPE(r), "diag") == 0 && !ours &&
		    r->nfields >= 6)
			keep_foreign(r);
		kh_validator_record(run.v, r);
	}
	if (rc == -1) {
		/* A document cut short would be judged wrongly: it is not. */
		trouble(&err);
		kh_buf_reset(&run.foreign);
		run.nforeign = 0;
	} else if (cur != NULL)
		end_doc(cur);
	free(cur);
	khl_reader_free(rd);
	kh_input_close(fp);
}

static void
list_rules(const kh_profiles *set)
{
	const kh_profile *p = kh_profiles_pick(set, NULL);
	size_t i;

	for (i = 0; i < kh_rule_count(); i++)
		printf("%s\t%s\t%s\t%s\n", kh_rule_name(i),
		    kh_sev_name(kh_profile_sev(p, i, 0)),
		    kh_sev_name(kh_profile_sev(p, i, 1)), kh_rule_summary(i));
}

/* -W RULE, -W no-RULE, -W RULE=SEVERITY */
static void
warn_opt(kh_validator *v, const char *arg)
{
	char *name = kh_xstrdup(arg), *eq;
	kh_sev sev = KH_SEV_OFF;
	long rule;
	int off = 0;

	if ((eq = strchr(name, '=')) != NULL) {
		*eq++ = '\0';
		if (kh_sev_parse(eq, &sev) == -1) {
			kh_warnx("-W %s: unknown severity (error, warning, "
			    "note or off)", arg);
			usage(stderr);
			exit(KH_EXIT_TROUBLE);
		}
	} else if (strncmp(name, "no-", 3) == 0 && kh_rule_find(name) == -1)
		off = 1;
	if ((rule = kh_rule_find(name + 3 * off)) == -1) {
		kh_warnx("-W %s: unknown rule (see khvalidate --list-rules)",
		    arg);
		usage(stderr);
		exit(KH_EXIT_TROUBLE);
	}
	if (eq != NULL)
		kh_validator_force(v, (size_t)rule, sev);
	else if (off)
		kh_validator_force(v, (size_t)rule, KH_SEV_OFF);
	else
		kh_validator_enable(v, (size_t)rule);
	free(name);
}

/* A data file (profile, vocabulary) is wrong: "FILE:LINE: message". */
static void
data_err(const kh_err *err)
{
	char buf[1024];

	kh_err_format(err, buf, sizeof(buf));
	kh_errx("%s", buf);
}

/* Today as YYYY-MM-DD: $KH_TODAY when set, so tests do not age. */
static void
today(char *buf, size_t size)
{
	const char *env = getenv("KH_TODAY");
	time_t now;
	struct tm tm;

	if (env != NULL && *env != '\0') {
		if (strlen(env) != 10 || strspn(env, "0123456789-") != 10 ||
		    env[4] != '-' || env[7] != '-')
			kh_errx("KH_TODAY: expected YYYY-MM-DD, found \"%.20s\"",
			    env);
		snprintf(buf, size, "%s", env);
		return;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(buf, size, "%Y-%m-%d", &tm);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "draft",	no_argument,		NULL, 'D' },
		{ "final",	no_argument,		NULL, 'F' },
		{ "format",	required_argument,	NULL, 'f' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "list-rules",	no_argument,		NULL, 'L' },
		{ "max-line",	required_argument,	NULL, 'M' },
		{ "profile",	required_argument,	NULL, 'p' },
		{ "summary",	no_argument,		NULL, 's' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	const char *profile = NULL, *dflt[] = { "-" };
	const char **files;
	char **wopts = NULL, day[16];
	size_t nw = 0, i, nfiles, max_line = 0;
	int ch, final = 0, summary = 0, listing = 0;
	kh_profiles *set;
	kh_profile *p;
	kh_vocab *vocab;
	struct docset seen = { NULL, 0, 0 };
	kh_buf dir = KH_BUF_INIT;
	kh_err err;

	kh_setprogname(argv[0]);
	/* getopt names the program in its messages as argv[0]. */
	argv[0] = (char *)kh_progname();
	while ((ch = getopt_long(argc, argv, "f:p:sW:", longopts, NULL)) != -1)
		switch (ch) {
		case 'D':
			final = 0;
			break;
		case 'F':
			final = 1;
			break;
		case 'f':
			if (strcmp(optarg, "khl") == 0)
				run.format = F_KHL;
			else if (strcmp(optarg, "text") == 0)
				run.format = F_TEXT;
			else if (strcmp(optarg, "json") == 0)
				run.format = F_JSON;
			else if (strcmp(optarg, "sarif") == 0)
				run.format = F_SARIF;
			else {
				kh_warnx("-f %s: unknown format (khl, text, "
				    "json or sarif)", optarg);
				usage(stderr);
				return KH_EXIT_TROUBLE;
			}
			break;
		case 'h':
			usage(stdout);
			return KH_EXIT_OK;
		case 'L':
			listing = 1;
			break;
		case 'M':
			max_line = (size_t)kh_size_arg("--max-line", optarg);
			break;
		case 'p':
			profile = optarg;
			break;
		case 's':
			summary = 1;
			break;
		case 'V':
			printf("khvalidate (khtools) %s\n", KH_VERSION);
			return KH_EXIT_OK;
		case 'W':
			wopts = kh_xreallocarray(wopts, nw + 1, sizeof(*wopts));
			wopts[nw++] = optarg;
			break;
		default:
			usage(stderr);
			return KH_EXIT_TROUBLE;
		}
	argc -= optind;
	argv += optind;

	if (profile != NULL) {
		if ((p = kh_profile_load(profile, &err)) == NULL)
			data_err(&err);
		set = kh_profiles_one(p);
	} else {
		kh_buf_printf(&dir, "%s/profiles", kh_datadir());
		if ((set = kh_profiles_load(dir.s, &err)) == NULL)
			data_err(&err);
		kh_buf_free(&dir);
	}
	if (listing) {
		list_rules(set);
		kh_profiles_free(set);
		return kh_stdout_close() == 0 ? KH_EXIT_OK : KH_EXIT_TROUBLE;
	}
	if ((vocab = kh_vocab_load(NULL, &err)) == NULL)
		data_err(&err);
	today(day, sizeof(day));
	run.v = kh_validator_new(set, vocab, day, final);
	for (i = 0; i < nw; i++)
		warn_opt(run.v, wopts[i]);
	free(wopts);

	files = argc > 0 ? (const char **)argv : dflt;
	nfiles = argc > 0 ? (size_t)argc : 1;
	if (run.format == F_KHL)
		emit(KHL_HEADER, strlen(KHL_HEADER));
	else if (run.format == F_SARIF)
		sarif_begin();
	for (i = 0; i < nfiles; i++)
		validate(files[i], max_line, &seen);
	if (run.format == F_SARIF)
		sarif_end();
	if (summary)
		fprintf(stderr, "khvalidate: %lu document%s, %lu error%s, "
		    "%lu warning%s, %lu note%s\n", run.docs,
		    run.docs == 1 ? "" : "s", run.errors,
		    run.errors == 1 ? "" : "s", run.warnings,
		    run.warnings == 1 ? "" : "s", run.notes,
		    run.notes == 1 ? "" : "s");

	docset_free(&seen);
	kh_validator_free(run.v);
	kh_vocab_free(vocab);
	kh_profiles_free(set);
	kh_buf_free(&run.line);
	kh_buf_free(&run.foreign);
	if (kh_stdout_close() == -1)
		return KH_EXIT_TROUBLE;
	if (run.trouble)
		return KH_EXIT_TROUBLE;
	return run.found ? KH_EXIT_FOUND : KH_EXIT_OK;
}
