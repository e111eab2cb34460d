/*
 * Unit tests of lib/merge.c: what the merge does underneath, seen through
 * its statistics (the golden cases in tests/cases/khmerge check the bytes).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kh.h"
#include "khl.h"
#include "merge.h"
#include "t.h"

static char dir[] = "/tmp/merge-test-XXXXXX";

/* A stream of n documents of k para records each, in order or reversed. */
static char *
stream(const char *name, int n, int k, int reversed)
{
	static char path[256];
	FILE *fp;
	int d, p, i;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	fputs("#khl 1\n", fp);
	for (i = 0; i < n; i++) {
		d = reversed ? n - i : i + 1;
		fprintf(fp, "doc\tdoc-%05d.docx\t-\tdocx\t1\t%08x\n", d, d);
		for (p = 1; p <= k; p++)
			fprintf(fp, "para\tdoc-%05d.docx\t%d\tbody\tNormal\t\t"
			    "đoạn văn số %d của văn bản %d\n", d, p, p, d);
	}
	fclose(fp);
	return path;
}

/* Merge the files with mem bytes of sort buffer; the stats, output in out. */
static int
merge(uint64_t mem, const char *out, kh_merge_stats *st, int nfiles, ...)
{
	kh_merge_opts o;
	kh_merge *m;
	khl_out *ko;
	kh_err err;
	va_list ap;
	FILE *fp;
	int i, rc = 0;

	memset(&o, 0, sizeof(o));
	o.mem = mem;
	o.tmpdir = dir;
	m = kh_merge_new(&o);
	va_start(ap, nfiles);
	for (i = 0; i < nfiles; i++) {
		const char *path = va_arg(ap, const char *);

		fp = fopen(path, "r");
		if (kh_merge_add(m, fp, path, &err) == -1)
			rc = -1;
		fclose(fp);
	}
	va_end(ap);
	ko = khl_out_open(out, &err);
	if (rc == 0 && kh_merge_write(m, ko, &err) == -1)
		rc = -1;
	if (khl_out_close(ko, rc == 0, &err) == -1)
		rc = -1;
	kh_merge_stats_get(m, st);
	kh_merge_free(m);
	return rc;
}

static int
same(const char *a, const char *b)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "cmp -s %s %s", a, b);
	return system(cmd) == 0;
}

int
main(void)
{
	kh_merge_stats st;
	char sorted[256], reversed[256], out[256], out2[256];

	if (mkdtemp(dir) == NULL)
		return 1;
	kh_setprogname("merge");
	snprintf(sorted, sizeof(sorted), "%s", stream("sorted.khl", 400, 40, 0));
	snprintf(reversed, sizeof(reversed), "%s",
	    stream("reversed.khl", 400, 40, 1));
	snprintf(out, sizeof(out), "%s/out.khl", dir);
	snprintf(out2, sizeof(out2), "%s/out2.khl", dir);

	T_CHECK(merge(0, out, &st, 1, sorted) == 0, "a sorted file merged");
	T_CHECK(st.file_runs == 1 && st.spills == 0 && st.passes == 0,
	    "a sorted file is merged where it lies (runs %u, spills %u)",
	    st.file_runs, st.spills);
	T_CHECK(st.records == 16400 && st.written == 16400,
	    "every record read and written (%llu, %llu)",
	    (unsigned long long)st.records, (unsigned long long)st.written);
	T_CHECK(same(out, sorted), "a canonical file is its own merge");

	T_CHECK(merge(0, out2, &st, 1, reversed) == 0 && st.file_runs == 0 &&
	    st.spills == 0, "a file out of order is sorted in memory");
	T_CHECK(same(out, out2), "and gives the same bytes");

	T_CHECK(merge(1 << 20, out2, &st, 1, reversed) == 0 &&
	    st.spills > 1 && st.passes == 0,
	    "a small buffer spills runs (%u) merged in one pass", st.spills);
	T_CHECK(same(out, out2), "and gives the same bytes");

	T_CHECK(merge(4 << 10, out2, &st, 1, reversed) == 0 &&
	    st.passes > 0, "a tiny buffer merges in passes (%u)", st.passes);
	T_CHECK(same(out, out2), "and gives the same bytes");

	/* Read through a pipe, sorted input grows one spilled run. */
	{
		char cmd[600];
		kh_merge_opts o;
		kh_merge *m;
		khl_out *ko;
		kh_err err;
		FILE *fp;

		snprintf(cmd, sizeof(cmd), "cat %s", sorted);
		fp = popen(cmd, "r");
		memset(&o, 0, sizeof(o));
		o.mem = 32 << 10;
		o.tmpdir = dir;
		m = kh_merge_new(&o);
		T_CHECK(kh_merge_add(m, fp, "pipe", &err) == 0, "pipe read");
		pclose(fp);
		ko = khl_out_open(out2, &err);
		T_CHECK(kh_merge_write(m, ko, &err) == 0 &&
		    khl_out_close(ko, 1, &err) == 0, "pipe merged");
		kh_merge_stats_get(m, &st);
		T_CHECK(st.spills == 1 && st.file_runs == 0,
		    "sorted input on a pipe is one growing run (%u)", st.spills);
		T_CHECK(same(out, out2), "and gives the same bytes");
		kh_merge_free(m);
	}

	T_CHECK(merge(0, out2, &st, 3, sorted, reversed, sorted) == 0 &&
	    st.written == 16400, "duplicates of three inputs written once");
	T_CHECK(same(out, out2), "and gives the same bytes");

	snprintf(out2, sizeof(out2), "rm -rf %s", dir);
	return system(out2) == 0 ? t_done() : 1;
}
