/*
 * khextract: read .docx files and write KHL: each document's properties,
 * paragraphs, outline and citations.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "khl.h"
#include "fe.h"
#include "package.h"
#include "docx.h"
#include "recog.h"

/*
 * A document's records are held until it has been read whole, so a
 * document that fails half way leaves nothing in the stream: in memory up
 * to SPOOL_MEM, in a temporary file past it, so memory stays flat however
 * large the document.
 */
#define SPOOL_MEM	(4u << 20)

struct spool {
	kh_buf	 mem;
	FILE	*file;
};

struct extract {
	const char	*doc;		/* the document key: the name as given */
	struct spool	 spool;
	kh_buf		 line;
	kh_sink		 sink;
	kh_outline	*outline;
	kh_meta		*meta;
	kh_citer	*citer;
	int		 no_text;
	int		 spool_failed;
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: khextract [-0] [--no-text] [--original] [-o file] [-T file]\n"
	    "                 [--vocab file] [--max-part size] [--max-total size]\n"
	    "                 [--max-entries n] [--max-ratio n] [--max-stdin size]\n"
	    "                 [--max-depth n] [--max-para size] [file ...]\n");
}

static void
spool_add(struct extract *x, const char *s, size_t n)
{
	if (x->spool.file == NULL && x->spool.mem.len + n > SPOOL_MEM) {
		if ((x->spool.file = tmpfile()) == NULL ||
		    fwrite(x->spool.mem.s, 1, x->spool.mem.len,
		    x->spool.file) != x->spool.mem.len) {
			x->spool_failed = 1;
			return;
		}
		kh_buf_reset(&x->spool.mem);
	}
	if (x->spool.file != NULL) {
		if (fwrite(s, 1, n, x->spool.file) != n)
			x->spool_failed = 1;
	} else
		kh_buf_add(&x->spool.mem, s, n);
}

/* Copy the spooled records to the output; -1 on a failed write. */
static int
spool_flush(struct extract *x, khl_out *out, kh_err *err)
{
	char buf[65536];
	size_t n;

	if (x->spool.file == NULL)
		return khl_out_write(out, x->spool.mem.s, x->spool.mem.len, err);
	rewind(x->spool.file);
	while ((n = fread(buf, 1, sizeof(buf), x->spool.file)) > 0)
		if (khl_out_write(out, buf, n, err) == -1)
			return -1;
	if (ferror(x->spool.file)) {
		kh_err_set(err, "temporary file: read error");
		return -1;
	}
	return 0;
}

static void
spool_reset(struct extract *x)
{
	kh_buf_reset(&x->spool.mem);
	if (x->spool.file != NULL)
		fclose(x->spool.file);
	x->spool.file = NULL;
	x->spool_failed = 0;
}

static void
emit(void *ud, const char *type, const kh_loc *loc, size_t n,
    const char *const *fields)
{
	struct extract *x = ud;
	size_t i;

	kh_buf_reset(&x->line);
	khl_begin(&x->line, type, x->doc, loc);
	for (i = 0; i < n; i++)
		khl_field(&x->line, fields[i] != NULL ? fields[i] : "");
	khl_end(&x->line);
	spool_add(x, x->line.s, x->line.len);
}

static int
on_para(void *ud, const kh_para *p, kh_err *err)
{
	struct extract *x = ud;
	const char *text = p->text;
	size_t len = p->len, skip, lablen;
	char *label;
	kh_loc loc = { p->index, 0, 0 };

	/* A label typed by hand is split off as Word's own would be. */
	if (p->label[0] != '\0')
		label = kh_xstrdup(p->label);
	else {
		lablen = kh_label_split(text, len, &skip);
		label = kh_xstrndup(text, lablen);
		text += skip;
		len -= skip;
	}
	if (!x->no_text) {
		char *t = kh_xstrndup(text, len);

		KH_EMIT(&x->sink, "para", &loc, kh_story_name(p->story),
		    p->style, label, t);
		free(t);
	}
	kh_outline_para(x->outline, p, label, text, len, &x->sink);
	kh_meta_para(x->meta, p, label, text, len);
	free(label);
	return kh_cite_para(x->citer, p, text, len, &x->sink, err);
}

static void
on_diag(void *ud, const kh_loc *loc, const char *severity, const char *rule,
    const char *message)
{
	struct extract *x = ud;

	KH_EMIT(&x->sink, "diag", loc, severity, rule, message);
}

/* Extract one input; returns 0, or -1 after saying why. */
static int
extract(struct extract *x, const char *name, const kh_docx_opts *opts,
    const kh_vocab *vocab, khl_out *out)
{
	kh_package *pkg;
	kh_docx_cb cb = { on_para, on_diag, x };
	kh_err err;
	char size[32];
	int rc = -1;

	kh_err_clear(&err);
	if ((pkg = kh_package_open(name, &opts->limits, &err)) == NULL) {
		kh_warn_err(name, &err);
		return -1;
	}
	x->doc = name;
	x->outline = kh_outline_new();
	x->meta = kh_meta_new(vocab);
	snprintf(size, sizeof(size), "%llu",
	    (unsigned long long)kh_package_size(pkg));
	KH_EMIT(&x->sink, "doc", NULL, kh_package_format(pkg), size,
	    kh_package_sha256(pkg));
	if (kh_docx_read(pkg, opts, &cb, &err) == -1) {
		kh_warn_err(name, &err);
		goto done;
	}
	kh_meta_finish(x->meta, &x->sink);
	if (x->spool_failed) {
		kh_warn("%s: temporary file", name);
		goto done;
	}
	if (spool_flush(x, out, &err) == -1) {
		kh_warn_err("write error", &err);
		exit(KH_EXIT_TROUBLE);
	}
	rc = 0;
done:
	spool_reset(x);
	kh_outline_free(x->outline);
	kh_meta_free(x->meta);
	kh_package_close(pkg);
	return rc;
}

enum {
	OPT_NO_TEXT = 256, OPT_ORIGINAL, OPT_VOCAB, OPT_MAX_PART,
	OPT_MAX_TOTAL, OPT_MAX_ENTRIES, OPT_MAX_RATIO, OPT_MAX_STDIN,
	OPT_MAX_DEPTH, OPT_MAX_PARA, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{ "null",	 no_argument,		NULL, '0' },
	{ "output",	 required_argument,	NULL, 'o' },
	{ "files-from",	 required_argument,	NULL, 'T' },
	{ "no-text",	 no_argument,		NULL, OPT_NO_TEXT },
	{ "original",	 no_argument,		NULL, OPT_ORIGINAL },
	{ "vocab",	 required_argument,	NULL, OPT_VOCAB },
	{ "max-part",	 required_argument,	NULL, OPT_MAX_PART },
	{ "max-total",	 required_argument,	NULL, OPT_MAX_TOTAL },
	{ "max-entries", required_argument,	NULL, OPT_MAX_ENTRIES },
	{ "max-ratio",	 required_argument,	NULL, OPT_MAX_RATIO },
	{ "max-stdin",	 required_argument,	NULL, OPT_MAX_STDIN },
	{ "max-depth",	 required_argument,	NULL, OPT_MAX_DEPTH },
	{ "max-para",	 required_argument,	NULL, OPT_MAX_PARA },
	{ "help",	 no_argument,		NULL, OPT_HELP },
	{ "version",	 no_argument,		NULL, OPT_VERSION },
	{ NULL,		 0,			NULL, 0 }
};

int
main(int argc, char *argv[])
{
	struct extract x;
	kh_docx_opts opts;
	kh_vocab *vocab;
	khl_out *out;
	kh_err err;
	const char *outpath = NULL, *vocabpath = NULL;
	const char **lists = NULL;
	char **names = NULL;
	size_t nnames = 0, nlists = 0, i;
	int ch, nul = 0, status = KH_EXIT_OK;

	kh_setprogname(argv[0]);
	memset(&x, 0, sizeof(x));
	memset(&opts, 0, sizeof(opts));
	kh_limits_default(&opts.limits);
	while ((ch = getopt_long(argc, argv, "0o:T:", longopts, NULL)) != -1) {
		switch (ch) {
		case '0':
			nul = 1;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'T':
			lists = kh_xreallocarray(lists, nlists + 1,
			    sizeof(*lists));
			lists[nlists++] = optarg;
			break;
		case OPT_NO_TEXT:
			x.no_text = 1;
			break;
		case OPT_ORIGINAL:
			opts.original = 1;
			break;
		case OPT_VOCAB:
			vocabpath = optarg;
			break;
		case OPT_MAX_PART:
			opts.limits.part_bytes = kh_size_arg("--max-part", optarg);
			break;
		case OPT_MAX_TOTAL:
			opts.limits.total_bytes = kh_size_arg("--max-total", optarg);
			break;
		case OPT_MAX_ENTRIES:
			opts.limits.entries = kh_size_arg("--max-entries", optarg);
			break;
		case OPT_MAX_RATIO:
			opts.limits.ratio = kh_size_arg("--max-ratio", optarg);
			break;
		case OPT_MAX_STDIN:
			opts.limits.stdin_bytes = kh_size_arg("--max-stdin", optarg);
			break;
		case OPT_MAX_DEPTH:
			opts.limits.xml_depth = kh_size_arg("--max-depth", optarg);
			break;
		case OPT_MAX_PARA:
			opts.limits.para_bytes = kh_size_arg("--max-para", optarg);
			break;
		case OPT_HELP:
			usage(stdout);
			return kh_stdout_close() == 0 ? KH_EXIT_OK : KH_EXIT_TROUBLE;
		case OPT_VERSION:
			printf("khextract (khtools) %s\n", KH_VERSION);
			return kh_stdout_close() == 0 ? KH_EXIT_OK : KH_EXIT_TROUBLE;
		default:
			usage(stderr);
			return KH_EXIT_TROUBLE;
		}
	}
	argc -= optind;
	argv += optind;

	kh_err_clear(&err);
	for (i = 0; i < nlists; i++)
		if (kh_files_from(lists[i], nul, &names, &nnames, &err) == -1)
			kh_errx("%s: %s", lists[i], err.msg);
	for (i = 0; i < (size_t)argc; i++) {
		names = kh_xreallocarray(names, nnames + 1, sizeof(*names));
		names[nnames++] = kh_xstrdup(argv[i]);
	}
	if (nnames == 0 && nlists == 0) {
		names = kh_xmalloc(sizeof(*names));
		names[nnames++] = kh_xstrdup("-");
	}

	if ((vocab = kh_vocab_load(vocabpath, &err)) == NULL)
		kh_errx("%s", err.msg);
	if ((x.citer = kh_citer_new(vocab, &err)) == NULL)
		kh_errx("%s", err.msg);
	out = outpath != NULL ? khl_out_open(outpath, &err) : khl_out_stdout();
	if (out == NULL)
		kh_errx("%s: %s", outpath, err.msg);
	x.sink.emit = emit;
	x.sink.ud = &x;

	if (khl_out_write(out, KHL_HEADER, strlen(KHL_HEADER), &err) == -1) {
		kh_warn_err("write error", &err);
		khl_out_close(out, 0, &err);
		return KH_EXIT_TROUBLE;
	}
	for (i = 0; i < nnames; i++) {
		if (extract(&x, names[i], &opts, vocab, out) == -1)
			status = KH_EXIT_TROUBLE;
		free(names[i]);
	}
	free(names);
	free(lists);
	kh_buf_free(&x.line);
	kh_buf_free(&x.spool.mem);
	kh_citer_free(x.citer);
	kh_vocab_free(vocab);
	if (khl_out_close(out, 1, &err) == -1) {
		kh_warn_err(outpath != NULL ? outpath : "write error", &err);
		return KH_EXIT_TROUBLE;
	}
	return status;
}
