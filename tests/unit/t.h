/*
 * t.h: the smallest test helper.  Each check prints "ok - NAME" or
 * "not ok - NAME: why"; tests/run counts the lines.  main returns t_done().
 */
#ifndef T_H
#define T_H

#include <stdio.h>
#include <string.h>

static int t_failures;

#define T_CHECK(cond, ...) do {						\
	if (cond) {							\
		printf("ok - ");					\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	} else {							\
		t_failures++;						\
		printf("not ok - ");					\
		printf(__VA_ARGS__);					\
		printf(" (%s:%d: %s)\n", __FILE__, __LINE__, #cond);	\
	}								\
} while (0)

/* Compare two strings, showing both when they differ. */
#define T_STREQ(got, want, ...) do {					\
	const char *t_g_ = (got), *t_w_ = (want);			\
	if (t_g_ != NULL && strcmp(t_g_, t_w_) == 0) {			\
		printf("ok - ");					\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	} else {							\
		t_failures++;						\
		printf("not ok - ");					\
		printf(__VA_ARGS__);					\
		printf(": got \"%s\", want \"%s\" (%s:%d)\n",		\
		    t_g_ ? t_g_ : "(null)", t_w_, __FILE__, __LINE__);	\
	}								\
} while (0)

static inline int
t_done(void)
{
	return 0;	/* failures are counted from the lines */
}

#endif
