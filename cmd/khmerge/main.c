/*
 * khmerge: merge KHL streams into one canonical stream: documents in byte
 * order of their key, each document's records in a fixed order, one version
 * of each document, no line twice.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fe.h"
#include "kh.h"
#include "khl.h"
#include "merge.h"
#include "text.h"

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: khmerge [-0] [-o file] [--keep first|last] "
	    "[--drop-missing] [-S size]\n"
	    "               [-T dir] [--files-from file] [--max-line size] "
	    "[file ...]\n");
}

/* Interrupted: the file named by -o stays as it was, and no temporary is left. */
static void
on_signal(int sig)
{
	khl_out_abandon();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* "PROG: FILE:LINE: message", what came from an input shown safely. */
static void
trouble(const char *name, const kh_err *err)
{
	char buf[1024], safe[4096];

	if (err->part[0] == '\0' && name != NULL) {
		kh_warn_err(name, err);
		return;
	}
	kh_err_format(err, buf, sizeof(buf));
	kh_warnx("%s", kh_safe(buf, safe, sizeof(safe)));
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "drop-missing", no_argument,		NULL, 'd' },
		{ "files-from",	required_argument,	NULL, 'F' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "keep",	required_argument,	NULL, 'k' },
		{ "max-line",	required_argument,	NULL, 'M' },
		{ "null",	no_argument,		NULL, '0' },
		{ "output",	required_argument,	NULL, 'o' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM };
	kh_merge_opts o;
	kh_merge *m;
	khl_out *out;
	kh_err err;
	const char *outpath = NULL, **lists = NULL;
	char **files = NULL;
	size_t nlists = 0, nfiles = 0, i;
	FILE *fp;
	int ch, nul = 0, fatal = 0, status = KH_EXIT_OK;

	kh_setprogname(argv[0]);
	argv[0] = (char *)kh_progname();
	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "0o:S:T:", longopts, NULL)) != -1)
		switch (ch) {
		case '0':
			nul = 1;
			break;
		case 'd':
			o.drop_missing = 1;
			break;
		case 'F':
			lists = kh_xreallocarray(lists, nlists + 1,
			    sizeof(*lists));
			lists[nlists++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return KH_EXIT_OK;
		case 'k':
			if (strcmp(optarg, "first") == 0)
				o.keep_first = 1;
			else if (strcmp(optarg, "last") == 0)
				o.keep_first = 0;
			else {
				kh_warnx("--keep %s: expected first or last",
				    optarg);
				usage(stderr);
				return KH_EXIT_TROUBLE;
			}
			break;
		case 'M':
			o.max_line = (size_t)kh_size_arg("--max-line", optarg);
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'S':
			o.mem = kh_size_arg("-S", optarg);
			break;
		case 'T':
			o.tmpdir = optarg;
			break;
		case 'V':
			printf("khmerge (khtools) %s\n", KH_VERSION);
			return KH_EXIT_OK;
		default:
			usage(stderr);
			return KH_EXIT_TROUBLE;
		}

	/* The names of the lists come first, then the operands. */
	for (i = 0; i < nlists && status == KH_EXIT_OK; i++) {
		kh_err_clear(&err);
		if (kh_files_from(lists[i], nul, &files, &nfiles, &err) == -1) {
			kh_warn_err(lists[i], &err);
			status = KH_EXIT_TROUBLE;
		}
	}
	free(lists);
	for (; optind < argc; optind++) {
		files = kh_xreallocarray(files, nfiles + 1, sizeof(*files));
		files[nfiles++] = kh_xstrdup(argv[optind]);
	}
	if (nfiles == 0 && nlists == 0) {
		files = kh_xmalloc(sizeof(*files));
		files[nfiles++] = kh_xstrdup("-");
	}

	/*
	 * Every input is read before a line is written, so a malformed one
	 * stops the run with nothing written; an unreadable one is reported
	 * and the others merged, but -o FILE is then left as it was.
	 */
	m = kh_merge_new(&o);
	for (i = 0; i < nfiles && !fatal; i++) {
		kh_err_clear(&err);
		if ((fp = kh_input_open(files[i], &err)) == NULL) {
			kh_warn_err(files[i], &err);
			status = KH_EXIT_TROUBLE;
			continue;
		}
		if (kh_merge_add(m, fp, files[i], &err) == -1) {
			trouble(files[i], &err);
			fatal = 1;
		}
		kh_input_close(fp);
	}
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	if (fatal) {
		kh_merge_free(m);
		return KH_EXIT_TROUBLE;
	}

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (signal(sigs[i], on_signal) == SIG_IGN)
			signal(sigs[i], SIG_IGN);	/* as nohup left it */
	out = outpath != NULL ? khl_out_open(outpath, &err) : khl_out_stdout();
	if (out == NULL) {
		kh_warn_err(outpath, &err);
		kh_merge_free(m);
		return KH_EXIT_TROUBLE;
	}
	if (kh_merge_write(m, out, &err) == -1) {
		trouble(outpath != NULL ? outpath : "write error", &err);
		khl_out_close(out, 0, &err);
		kh_merge_free(m);
		return KH_EXIT_TROUBLE;
	}
	kh_merge_free(m);
	if (khl_out_close(out, status == KH_EXIT_OK, &err) == -1) {
		kh_warn_err(outpath != NULL ? outpath : "write error", &err);
		return KH_EXIT_TROUBLE;
	}
	return status;
}
