/* khextract: not yet written; prints its usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"

int
main(int argc, char *argv[])
{
	kh_setprogname(argv[0]);
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		printf("usage: khextract [file ...]\n");
		return KH_EXIT_OK;
	}
	fprintf(stderr, "usage: khextract [file ...]\n");
	return KH_EXIT_TROUBLE;
}
