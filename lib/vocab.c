/*
 * vocab.c: the vocabulary of document types, abbreviations, laws known by
 * name and the words that end an issuer, read from a file users may extend
 * (khvocab(5)), so a new type or law needs no rebuild.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "recog.h"
#include "text.h"
#include "vocab.h"

#define MAXFIELDS 8

char *
kh_vocab_fold(const char *s, size_t len)
{
	char *nfc, *f, *out;
	size_t n, flen, i, o;
	int space;

	if (kh_utf8_check(s, len) != len)
		return NULL;
	if ((nfc = kh_nfc(s, len, &n)) == NULL)
		return NULL;
	f = kh_fold(nfc, n, &flen);
	free(nfc);
	out = kh_xmalloc(flen + 1);
	o = 0;
	space = 0;
	for (i = 0; i < flen; i++) {
		if (f[i] == ' ' || f[i] == '\t' || f[i] == '\n' ||
		    f[i] == '\r') {
			space = 1;
			continue;
		}
		if (space && o > 0)
			out[o++] = ' ';
		space = 0;
		out[o++] = f[i];
	}
	out[o] = '\0';
	free(f);
	return out;
}

long
kh_vocab_code_type(const struct kh_vocab *v, const char *fcode, size_t len)
{
	size_t i;

	for (i = 0; i < v->ntypes; i++)
		if (v->types[i].cfold[0] != '\0' &&
		    strlen(v->types[i].cfold) == len &&
		    memcmp(v->types[i].cfold, fcode, len) == 0)
			return (long)i;
	return -1;
}

static int
add_word(char ***list, size_t *n, char **f, size_t nf, kh_err *err)
{
	char *w;

	if (nf != 2) {
		kh_err_set(err, "%s needs one phrase", f[0]);
		return -1;
	}
	if ((w = kh_vocab_fold(f[1], strlen(f[1])))[0] == '\0') {
		free(w);
		kh_err_set(err, "empty %s phrase", f[0]);
		return -1;
	}
	*list = kh_xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = w;
	return 0;
}

/* The type named name (folded), or -1. */
static long
type_named(const kh_vocab *v, const char *fold)
{
	size_t i;

	for (i = 0; i < v->ntypes; i++)
		if (strcmp(v->types[i].fold, fold) == 0)
			return (long)i;
	return -1;
}

/* Splits line at runs of TABs, trimming spaces around each field. */
static size_t
split(char *line, char **f)
{
	size_t n = 0;
	char *p = line, *e;

	while (*p != '\0' && n < MAXFIELDS) {
		while (*p == '\t' || *p == ' ')
			p++;
		if (*p == '\0')
			break;
		f[n++] = p;
		while (*p != '\0' && *p != '\t')
			p++;
		e = p;
		while (e > f[n - 1] && e[-1] == ' ')
			e--;
		if (*p != '\0')
			p++;
		*e = '\0';
	}
	return n;
}

static int
add_type(kh_vocab *v, char **f, size_t nf, kh_err *err)
{
	struct kh_vtype *t;
	const char *kind = NULL;
	size_t i;
	int byname = 0;

	if (nf < 3) {
		kh_err_set(err, "type needs a name and a code");
		return -1;
	}
	for (i = 3; i < nf; i++) {
		if (strncmp(f[i], "kind=", 5) == 0 && f[i][5] != '\0')
			kind = f[i] + 5;
		else if (strcmp(f[i], "by-name") == 0)
			byname = 1;
		else {
			kh_err_set(err, "unknown type option \"%s\"", f[i]);
			return -1;
		}
	}
	v->types = kh_xreallocarray(v->types, v->ntypes + 1,
	    sizeof(*v->types));
	t = &v->types[v->ntypes];
	t->fold = kh_vocab_fold(f[1], strlen(f[1]));
	t->name = kh_nfc(f[1], strlen(f[1]), &i);
	if (strcmp(f[2], "-") == 0)
		t->code = kh_xstrdup("");
	else
		t->code = kh_nfc(f[2], strlen(f[2]), &i);
	t->cfold = kh_vocab_fold(t->code, strlen(t->code));
	t->kind = kind != NULL ? kh_nfc(kind, strlen(kind), &i) :
	    kh_xstrdup(t->code);
	t->byname = byname;
	v->ntypes++;
	if (t->fold[0] == '\0') {
		kh_err_set(err, "empty type name");
		return -1;
	}
	return 0;
}

static int
add_abbr(kh_vocab *v, char **f, size_t nf, kh_err *err)
{
	char *name;
	long t;

	if (nf != 3) {
		kh_err_set(err, "abbr needs an abbreviation and a type name");
		return -1;
	}
	name = kh_vocab_fold(f[2], strlen(f[2]));
	t = type_named(v, name);
	free(name);
	if (t < 0) {
		kh_err_set(err, "abbr of unknown type \"%s\"", f[2]);
		return -1;
	}
	v->abbrs = kh_xreallocarray(v->abbrs, v->nabbrs + 1,
	    sizeof(*v->abbrs));
	v->abbrs[v->nabbrs].fold = kh_vocab_fold(f[1], strlen(f[1]));
	v->abbrs[v->nabbrs].type = (size_t)t;
	v->nabbrs++;
	return 0;
}

/* A law's name starts with the name of a by-name type; the longest wins. */
static int
add_law(kh_vocab *v, char **f, size_t nf, kh_err *err)
{
	char *fold;
	size_t i, n, best = 0;
	long t = -1;

	if (nf != 2) {
		kh_err_set(err, "law needs one name");
		return -1;
	}
	fold = kh_vocab_fold(f[1], strlen(f[1]));
	for (i = 0; i < v->ntypes; i++) {
		n = strlen(v->types[i].fold);
		if (v->types[i].byname && n > best &&
		    strncmp(fold, v->types[i].fold, n) == 0 && fold[n] == ' ') {
			best = n;
			t = (long)i;
		}
	}
	if (t < 0) {
		free(fold);
		kh_err_set(err, "law \"%s\" does not start with a by-name type",
		    f[1]);
		return -1;
	}
	v->laws = kh_xreallocarray(v->laws, v->nlaws + 1, sizeof(*v->laws));
	v->laws[v->nlaws].name = kh_nfc(f[1], strlen(f[1]), &n);
	v->laws[v->nlaws].fold = fold;
	v->laws[v->nlaws].type = (size_t)t;
	v->nlaws++;
	return 0;
}

static int
parse_line(kh_vocab *v, char *line, kh_err *err)
{
	char *f[MAXFIELDS];
	size_t nf, i;

	if ((nf = split(line, f)) == 0 || f[0][0] == '#')
		return 0;
	if (nf == MAXFIELDS) {
		kh_err_set(err, "too many fields");
		return -1;
	}
	for (i = 1; i < nf; i++)
		if (kh_utf8_check(f[i], strlen(f[i])) != strlen(f[i])) {
			kh_err_set(err, "invalid UTF-8");
			return -1;
		}
	if (strcmp(f[0], "type") == 0)
		return add_type(v, f, nf, err);
	if (strcmp(f[0], "abbr") == 0)
		return add_abbr(v, f, nf, err);
	if (strcmp(f[0], "law") == 0)
		return add_law(v, f, nf, err);
	if (strcmp(f[0], "stop") == 0)
		return add_word(&v->stops, &v->nstops, f, nf, err);
	if (strcmp(f[0], "attach") == 0)
		return add_word(&v->attach, &v->nattach, f, nf, err);
	if (strcmp(f[0], "agency") == 0)
		return add_word(&v->agencies, &v->nagencies, f, nf, err);
	kh_err_set(err, "unknown keyword \"%.40s\"", f[0]);
	return -1;
}

kh_vocab *
kh_vocab_load(const char *path, kh_err *err)
{
	kh_vocab *v;
	kh_buf def = KH_BUF_INIT;
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int rc = 0;

	kh_err_clear(err);
	if (path == NULL) {
		kh_buf_printf(&def, "%s/vocab", kh_datadir());
		path = def.s;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		kh_err_set(err, "%s: %s", path, strerror(errno));
		kh_buf_free(&def);
		return NULL;
	}
	v = kh_xcalloc(1, sizeof(*v));
	while ((n = getline(&line, &cap, fp)) != -1) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (strlen(line) != (size_t)n) {
			kh_err_set(err, "NUL byte");
			rc = -1;
		} else
			rc = parse_line(v, line, err);
		if (rc == -1) {
			snprintf(err->part, sizeof(err->part), "%s", path);
			err->line = lineno;
			break;
		}
	}
	if (rc == 0 && ferror(fp)) {
		kh_err_set(err, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && v->ntypes == 0) {
		kh_err_set(err, "%s: no type names", path);
		rc = -1;
	}
	free(line);
	fclose(fp);
	kh_buf_free(&def);
	if (rc == -1) {
		kh_vocab_free(v);
		return NULL;
	}
	return v;
}

void
kh_vocab_free(kh_vocab *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->ntypes; i++) {
		free(v->types[i].name);
		free(v->types[i].fold);
		free(v->types[i].code);
		free(v->types[i].cfold);
		free(v->types[i].kind);
	}
	for (i = 0; i < v->nabbrs; i++)
		free(v->abbrs[i].fold);
	for (i = 0; i < v->nlaws; i++) {
		free(v->laws[i].name);
		free(v->laws[i].fold);
	}
	for (i = 0; i < v->nstops; i++)
		free(v->stops[i]);
	for (i = 0; i < v->nattach; i++)
		free(v->attach[i]);
	for (i = 0; i < v->nagencies; i++)
		free(v->agencies[i]);
	free(v->agencies);
	free(v->types);
	free(v->abbrs);
	free(v->laws);
	free(v->stops);
	free(v->attach);
	free(v);
}

const char *
kh_vocab_code(const kh_vocab *v, const char *name, size_t len)
{
	char *fold;
	long t;

	if ((fold = kh_vocab_fold(name, len)) == NULL)
		return NULL;
	t = type_named(v, fold);
	free(fold);
	return t < 0 ? NULL : v->types[t].code;
}

const char *
kh_vocab_name(const kh_vocab *v, const char *code)
{
	char *fold;
	size_t i;
	long t;

	for (i = 0; i < v->ntypes; i++)
		if (code[0] != '\0' && strcmp(v->types[i].code, code) == 0)
			return v->types[i].name;
	if (code[0] == '\0' ||
	    (fold = kh_vocab_fold(code, strlen(code))) == NULL)
		return NULL;
	t = kh_vocab_code_type(v, fold, strlen(fold));
	free(fold);
	return t < 0 ? NULL : v->types[t].name;
}
