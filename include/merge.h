/*
 * merge.h: merging KHL streams into one canonical stream (khmerge(1)).
 *
 * Every input becomes sorted runs: an input file already in canonical
 * order is its own run, read again when the runs are merged; any other
 * input is sorted in memory, spilling sorted runs to one temporary file
 * when the records held pass the memory limit.  The runs are then merged
 * k ways, in several passes when there are more runs than can be open at
 * once, and the last pass gathers each document, keeps one version of it
 * and drops duplicate lines.
 *
 * Every input is read whole and checked before anything is written, so a
 * malformed input leaves the output empty.
 */
#ifndef KH_MERGE_H
#define KH_MERGE_H

#include <stdint.h>
#include <stdio.h>

#include "kh.h"
#include "khl.h"

typedef struct kh_merge_opts {
	int		 keep_first;	/* of differing versions keep the first input's, not the last's */
	int		 drop_missing;	/* drop documents whose DOC names no existing file */
	uint64_t	 mem;		/* bytes of records sorted in memory (0: 256M) */
	const char	*tmpdir;	/* for spilled runs; NULL: $TMPDIR, else /tmp */
	size_t		 max_line;	/* longest KHL line (0: the default) */
} kh_merge_opts;

typedef struct kh_merge kh_merge;

kh_merge	*kh_merge_new(const kh_merge_opts *);
void		 kh_merge_free(kh_merge *);

/*
 * Read the input fp, called name; inputs count in the order added (the
 * "first" and "last" of keep_first).  The merge does not close fp, but
 * may open name again when it merges.  Returns 0, or -1 with err set (its
 * part the input's name and its line the line) on a malformed line, a read
 * error, or a temporary file that cannot be written: the merge is then
 * spent.
 */
int		 kh_merge_add(kh_merge *, FILE *fp, const char *name, kh_err *);

/*
 * Write the merged stream, "#khl 1" first, to out.  Returns 0, or -1 with
 * err set; what was written by then is a prefix of the stream.
 */
int		 kh_merge_write(kh_merge *, khl_out *, kh_err *);

/* What the merge did, for tests and benchmarks. */
typedef struct kh_merge_stats {
	uint64_t	 records;	/* read from the inputs */
	uint64_t	 written;	/* records written */
	unsigned	 file_runs;	/* inputs merged where they lie */
	unsigned	 spills;	/* sorted runs written to the temporary file */
	unsigned	 passes;	/* merge passes before the last */
} kh_merge_stats;

void		 kh_merge_stats_get(const kh_merge *, kh_merge_stats *);

#endif
