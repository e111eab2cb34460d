/*
 * Unit tests of lib/package.c: packages from memory, from paths and from
 * standard input; what is not a package, named; the resolution of
 * relationship targets; every limit; the hostile packages of
 * tests/fixtures/make-pkg.sh ($FIX/pkg), each refused with its exact
 * message in bounded time and memory; and the shared corpus, which must
 * open whole.
 */
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#include "kh.h"
#include "package.h"
#include "t.h"

static char fix[4096];
static size_t counted;

static int
count(void *ud, const char *buf, size_t len, kh_err *err)
{
	counted += len;
	return 0;
}

/*
 * Open pk's result and read its main part: "" when all went well, else
 * the formatted error.
 */
static const char *
outcome(kh_package *pk, kh_err *err)
{
	static char msg[1024];

	msg[0] = '\0';
	counted = 0;
	if (pk != NULL &&
	    kh_package_read(pk, kh_package_main(pk), count, NULL, err) == 0)
		return msg;
	kh_err_format(err, msg, sizeof(msg));
	return msg;
}

static const char *
try_path(const char *path, const kh_limits *lim)
{
	kh_package *pk;
	const char *msg;
	kh_err err;

	pk = kh_package_open(path, lim, &err);
	msg = outcome(pk, &err);
	kh_package_close(pk);
	return msg;
}

static const char *
try_mem(const void *buf, size_t len, const kh_limits *lim)
{
	kh_package *pk;
	const char *msg;
	kh_err err;

	pk = kh_package_open_mem(buf, len, lim, &err);
	msg = outcome(pk, &err);
	kh_package_close(pk);
	return msg;
}

static const char *
fixture(const char *name)
{
	static char path[4096 + 64];

	snprintf(path, sizeof(path), "%s/%s", fix, name);
	return path;
}

static char *
read_file(const char *path, size_t *len)
{
	kh_buf b = KH_BUF_INIT;
	char tmp[65536];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		kh_buf_add(&b, tmp, n);
	fclose(fp);
	*len = b.len;
	return b.s;
}

/* The SHA-256 that sha256sum(1) computes, to compare with ours. */
static const char *
sha256sum(const char *path)
{
	static char sum[65];
	char cmd[4200];
	FILE *fp;

	sum[0] = '\0';
	snprintf(cmd, sizeof(cmd), "sha256sum '%s'", path);
	if ((fp = popen(cmd, "r")) != NULL) {
		if (fread(sum, 1, 64, fp) != 64)
			sum[0] = '\0';
		sum[64] = '\0';
		pclose(fp);
	}
	return sum;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long
peak_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void
test_memory(void)
{
	static const unsigned char ole2[] = {
		0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0
	};
	unsigned char eocd[22] = { 'P', 'K', 5, 6 };
	kh_limits lim;

	kh_limits_default(&lim);
	T_STREQ(try_mem("", 0, &lim), "empty file", "mem: empty");
	T_STREQ(try_mem("hello, world\n", 13, &lim),
	    "not a zip archive (plain text)", "mem: text");
	T_STREQ(try_mem("{\\rtf1\\ansi hello}", 18, &lim),
	    "not a zip archive (an RTF document)", "mem: rtf");
	T_STREQ(try_mem("\x1f\x8b\x08\0\0\0", 6, &lim),
	    "not a zip archive (unknown format)", "mem: gzip");
	T_STREQ(try_mem(ole2, sizeof(ole2), &lim),
	    "an OLE2 compound file: a legacy Word .doc or a password-protected "
	    "(encrypted) Word file, not a .docx", "mem: OLE2 magic");
	T_STREQ(try_mem("PK\3", 3, &lim),
	    "truncated or damaged zip archive: no end of central directory",
	    "mem: three bytes of a zip");
	T_STREQ(try_mem(eocd, sizeof(eocd), &lim),
	    "zip archive without a main document part (no officeDocument "
	    "relationship in _rels/.rels)", "mem: an empty zip");
	/* An end record whose directory would start past itself. */
	eocd[16] = 1;
	T_STREQ(try_mem(eocd, sizeof(eocd), &lim),
	    "truncated or damaged zip archive: no end of central directory",
	    "mem: an end record pointing past itself");
	eocd[16] = 0;
	eocd[4] = 1;
	T_STREQ(try_mem(eocd, sizeof(eocd), &lim),
	    "truncated or damaged zip archive: split across several volumes",
	    "mem: a multi-volume end record");
}

/* Damage a copy of good.docx at the central directory. */
static void
test_damaged(void)
{
	kh_limits lim;
	unsigned char *buf, *copy;
	size_t len;
	uint32_t cdoff;

	kh_limits_default(&lim);
	if ((buf = (unsigned char *)read_file(fixture("good.docx"), &len)) ==
	    NULL || len < 22) {
		T_CHECK(0, "good.docx is readable");
		return;
	}
	T_STREQ(try_mem(buf, len, &lim), "", "mem: good.docx opens from memory");
	cdoff = buf[len - 6] | buf[len - 5] << 8 | buf[len - 4] << 16 |
	    (uint32_t)buf[len - 3] << 24;
	copy = kh_xmalloc(len);

	memcpy(copy, buf, len);
	copy[cdoff] ^= 0xff;
	T_STREQ(try_mem(copy, len, &lim), "truncated or damaged zip archive: "
	    "central directory entry 1 is damaged", "mem: bad directory entry");

	memcpy(copy, buf, len);
	copy[cdoff + 42] = 1;	/* the first entry's local header offset */
	T_STREQ(try_mem(copy, len, &lim), "truncated or damaged zip archive: "
	    "local header of '[Content_Types].xml' is missing",
	    "mem: local header offset off by one");

	memcpy(copy, buf, len);
	copy[cdoff + 20] = 0xff;	/* compressed size past the directory */
	copy[cdoff + 21] = 0xff;
	copy[cdoff + 22] = 0xff;
	T_STREQ(try_mem(copy, len, &lim), "truncated or damaged zip archive: "
	    "data of '[Content_Types].xml' runs into the central directory",
	    "mem: compressed size past the data");

	memcpy(copy, buf, len);
	copy[len - 12]++;	/* one entry more than the directory holds */
	copy[len - 14]++;
	T_STREQ(try_mem(copy, len, &lim), "truncated or damaged zip archive: "
	    "central directory entry 8 is damaged",
	    "mem: entry count larger than the directory");

	memcpy(copy, buf, len);
	copy[len - 12]--;
	copy[len - 14]--;
	T_STREQ(try_mem(copy, len, &lim), "truncated or damaged zip archive: "
	    "central directory larger than its 6 entries",
	    "mem: entry count smaller than the directory");

	memcpy(copy, buf, len);
	copy[cdoff + 10] = 9;	/* the method of the first entry */
	copy[cdoff + 11] = 0;
	T_STREQ(try_mem(copy, len, &lim), "entry '[Content_Types].xml' uses "
	    "compression method 9; OPC allows only stored and deflated",
	    "mem: deflate64");
	free(copy);
	free(buf);
}

static void
test_good(void)
{
	const char *path = fixture("good.docx");
	const kh_rel *rels, *again;
	kh_package *pk;
	kh_limits lim;
	kh_err err;
	size_t n, n2, len;
	char *buf;

	kh_limits_default(&lim);
	if ((pk = kh_package_open(path, &lim, &err)) == NULL) {
		T_CHECK(0, "good.docx opens: %s", err.msg);
		return;
	}
	buf = read_file(path, &len);
	free(buf);
	T_CHECK(kh_package_size(pk) == len, "good.docx: size of the file");
	T_STREQ(kh_package_sha256(pk), sha256sum(path),
	    "good.docx: SHA-256 as sha256sum computes it");
	T_STREQ(kh_package_main(pk), "word/document.xml", "good.docx: main part");
	T_STREQ(kh_package_format(pk), "docx", "good.docx: format");
	T_CHECK(!kh_package_strict(pk), "good.docx: transitional");
	T_CHECK(kh_package_has(pk, "WORD/Styles.XML"),
	    "has: part names ignore case");
	T_CHECK(!kh_package_has(pk, "word/nothing.xml"), "has: missing part");
	T_STREQ(outcome(pk, &err), "", "good.docx: main part reads");
	T_CHECK(counted > 200000, "good.docx: main part read whole (%zu bytes)",
	    counted);
	T_CHECK(kh_package_read(pk, "word/nothing.xml", count, NULL, &err) ==
	    -1 && strcmp(err.msg, "no such part in the package") == 0 &&
	    strcmp(err.part, "word/nothing.xml") == 0,
	    "read: a missing part is named");

	T_CHECK(kh_package_rels(pk, "", &rels, &n, &err) == 0 && n == 1 &&
	    kh_rel_is(&rels[0], "officeDocument") &&
	    strcmp(rels[0].target, "word/document.xml") == 0,
	    "rels: package relationships");
	if (kh_package_rels(pk, "word/document.xml", &rels, &n, &err) == -1 ||
	    n != 8) {
		T_CHECK(0, "rels: eight relationships of the main part");
		kh_package_close(pk);
		return;
	}
	T_STREQ(rels[0].id, "rId1", "rels: id");
	T_CHECK(kh_rel_is(&rels[0], "styles") && !kh_rel_is(&rels[0], "style"),
	    "rels: type by its last segment");
	T_STREQ(rels[0].target, "word/styles.xml", "rels: relative target");
	T_STREQ(rels[1].target, "customXml/item1.xml", "rels: \"..\" target");
	T_STREQ(rels[2].target, "word/media/image 1.png",
	    "rels: absolute, percent-encoded target");
	T_STREQ(rels[3].target, "word/footnotes.xml",
	    "rels: \"./\" target of a missing part");
	T_CHECK(rels[4].external && !rels[2].external, "rels: external mode");
	T_STREQ(rels[4].target, "http://example.com/a%20b?x=1",
	    "rels: external target kept as written");
	T_STREQ(rels[5].target, "etc/passwd",
	    "rels: \"..\" never climbs out of the package");
	T_STREQ(rels[6].target, "word/media/image 1.png",
	    "rels: target in another case maps to the entry's name");
	T_STREQ(rels[7].target, "word/styles.xml",
	    "rels: \"..\" inside and a fragment");
	T_CHECK(kh_package_rels(pk, "word/document.xml", &again, &n2, &err) ==
	    0 && again == rels && n2 == n, "rels: parsed once, then cached");
	T_CHECK(kh_package_rels(pk, "word/styles.xml", &rels, &n, &err) == 0 &&
	    n == 0, "rels: a part without relationships has none");
	kh_package_close(pk);
}

static void
test_main_part(void)
{
	kh_package *pk;
	kh_limits lim;
	kh_err err;

	kh_limits_default(&lim);
	if ((pk = kh_package_open(fixture("altpath.docx"), &lim, &err)) ==
	    NULL) {
		T_CHECK(0, "altpath.docx opens: %s", err.msg);
	} else {
		T_STREQ(kh_package_main(pk), "Word Files/Main Doc.xml",
		    "altpath.docx: main part found through _rels/.rels, "
		    "percent-decoded, by its entry's name");
		T_STREQ(kh_package_format(pk), "dotm",
		    "altpath.docx: format from an encoded Override");
		kh_package_close(pk);
	}
	if ((pk = kh_package_open(fixture("strict.docx"), &lim, &err)) ==
	    NULL) {
		T_CHECK(0, "strict.docx opens: %s", err.msg);
	} else {
		T_CHECK(kh_package_strict(pk), "strict.docx: Strict");
		kh_package_close(pk);
	}
}

static const struct {
	const char	*name;
	const char	*msg;
} refused[] = {
	{ "empty.docx", "empty file" },
	{ "dir.docx", "is a directory" },
	{ "no-such.docx", "No such file or directory" },
	{ "text.docx", "not a zip archive (plain text)" },
	{ "pdf.docx", "not a zip archive (a PDF document)" },
	{ "binary.docx", "not a zip archive (unknown format)" },
	{ "ole2.docx", "an OLE2 compound file: a legacy Word .doc or a "
	    "password-protected (encrypted) Word file, not a .docx" },
	{ "truncated.docx", "truncated or damaged zip archive: no end of "
	    "central directory" },
	{ "twoend.docx", "truncated or damaged zip archive: more than one end "
	    "of central directory" },
	{ "nomain.docx", "zip archive without a main document part (no "
	    "officeDocument relationship in _rels/.rels)" },
	{ "mainmissing.docx", "zip archive without a main document part "
	    "(word/document.xml is named in _rels/.rels but missing)" },
	{ "odt.docx", "an OpenDocument text (.odt), not a .docx" },
	{ "xlsx.docx", "an Excel workbook (.xlsx), not a .docx" },
	{ "dup.docx", "duplicate entry name 'word/document.xml'" },
	{ "dupcase.docx", "entries 'word/document.xml' and 'Word/Document.xml' "
	    "differ only in case, one part name in OPC" },
	{ "encrypted.docx", "entry 'word/document.xml' is encrypted; OPC "
	    "packages are never encrypted" },
	{ "bzip2.docx", "entry 'word/document.xml' uses compression method 12; "
	    "OPC allows only stored and deflated" },
	{ "many.docx", "10001 entries, more than the limit of 10000 "
	    "(--max-entries)" },
	{ "overlap.docx", "overlapping entries (a zip bomb): entries 4 and 5 "
	    "share data" },
	{ "overlap-bomb.docx", "compressed sizes add up to more than the "
	    "archive (overlapping entries, a zip bomb)" },
	{ "lying.docx", "word/document.xml: inflates past its declared size "
	    "of 100 bytes (lying entry size)" },
	{ "crc.docx", "word/document.xml: damaged data: CRC error" },
	{ "bomb.docx", "word/document.xml: inflates more than 100 times its "
	    "compressed size (--max-ratio)" },
};

/* Every hostile fixture refused with its message, quickly, in little memory. */
static void
test_refused(void)
{
	kh_limits lim;
	double t;
	long kib;
	size_t i;

	kh_limits_default(&lim);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		t = now();
		T_STREQ(try_path(fixture(refused[i].name), &lim),
		    refused[i].msg, "%s refused", refused[i].name);
		t = now() - t;
		kib = peak_kib();
		T_CHECK(t < 2 && kib < 200 * 1024,
		    "%s refused in %.3f s, peak %ld KiB", refused[i].name, t,
		    kib);
	}
}

/* Each limit stops a read with its own message, naming its option. */
static void
test_limits(void)
{
	char good[8192], bomb[8192];
	kh_package *pk;
	kh_limits lim;
	kh_err err;
	double t;

	snprintf(good, sizeof(good), "%s", fixture("good.docx"));
	snprintf(bomb, sizeof(bomb), "%s", fixture("bomb.docx"));
	kh_limits_default(&lim);
	lim.entries = 3;
	T_STREQ(try_path(good, &lim), "7 entries, more than the limit of 3 "
	    "(--max-entries)", "limit: entries");

	kh_limits_default(&lim);
	lim.part_bytes = 1000;
	T_STREQ(try_path(good, &lim), "word/document.xml: larger than the part "
	    "limit of 1000 bytes (--max-part)", "limit: part, in bytes");
	T_CHECK(counted == 0, "limit: nothing past the part limit handed on");

	kh_limits_default(&lim);
	lim.ratio = 2;
	T_STREQ(try_path(good, &lim), "word/document.xml: inflates more than "
	    "2 times its compressed size (--max-ratio)", "limit: ratio");

	/* The total runs over every part read from one archive. */
	kh_limits_default(&lim);
	lim.total_bytes = 300000;
	if ((pk = kh_package_open(good, &lim, &err)) != NULL) {
		T_STREQ(outcome(pk, &err), "", "limit: total, first read");
		T_STREQ(outcome(pk, &err), "word/document.xml: the parts read "
		    "inflate past the total limit of 300000 bytes "
		    "(--max-total)", "limit: total, second read");
		kh_package_close(pk);
	} else
		T_CHECK(0, "good.docx opens: %s", err.msg);

	/* With the ratio out of the way, the bomb meets the other limits. */
	kh_limits_default(&lim);
	lim.ratio = 1000000;
	lim.part_bytes = 16ULL << 20;
	t = now();
	T_STREQ(try_path(bomb, &lim), "word/document.xml: larger than the part "
	    "limit of 16777216 bytes (--max-part)", "limit: part stops the bomb");
	T_CHECK(now() - t < 2, "limit: part stops the bomb quickly");
	lim.part_bytes = 1ULL << 40;
	lim.total_bytes = 8ULL << 20;
	T_STREQ(try_path(bomb, &lim), "word/document.xml: the parts read "
	    "inflate past the total limit of 8388608 bytes (--max-total)",
	    "limit: total stops the bomb");
	T_CHECK(peak_kib() < 200 * 1024, "limit: the bomb in bounded memory");
}

/* "-" is standard input, held in memory up to --max-stdin. */
static void
test_stdin(void)
{
	char good[8192];
	int saved, fd;
	kh_package *pk;
	kh_limits lim;
	kh_err err;

	snprintf(good, sizeof(good), "%s", fixture("good.docx"));
	kh_limits_default(&lim);
	saved = dup(0);
	if ((fd = open(good, O_RDONLY)) == -1 || dup2(fd, 0) == -1) {
		T_CHECK(0, "good.docx on standard input");
		return;
	}
	close(fd);
	pk = kh_package_open("-", &lim, &err);
	T_CHECK(pk != NULL && strcmp(kh_package_sha256(pk),
	    sha256sum(good)) == 0, "stdin: good.docx opens, same SHA-256");
	kh_package_close(pk);

	fd = open(good, O_RDONLY);
	dup2(fd, 0);
	close(fd);
	lim.stdin_bytes = 1000;
	T_STREQ(try_path("-", &lim), "standard input is larger than the limit "
	    "of 1000 bytes (--max-stdin)", "stdin: limit");
	dup2(saved, 0);
	close(saved);

	lim.stdin_bytes = 1 << 20;
	T_STREQ(try_path("/dev/zero", &lim), "larger than the limit of 1048576 "
	    "bytes for a pipe or device (--max-stdin)", "limit: a device is capped too");
}

/* Every .docx of the shared corpus opens and its main part reads. */
static void
test_corpus(void)
{
	static const char *dirs[] = { "corpus/real", "corpus/pandoc-docx" };
	const char *shared = getenv("SHARED");
	char pat[4096];
	kh_limits lim;
	glob_t g;
	size_t i, k;

	kh_limits_default(&lim);
	for (k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
		snprintf(pat, sizeof(pat), "%s/%s/*.docx",
		    shared != NULL ? shared : "../shared", dirs[k]);
		if (glob(pat, 0, NULL, &g) != 0) {
			printf("# skip: no %s\n", pat);
			continue;
		}
		for (i = 0; i < g.gl_pathc; i++)
			T_STREQ(try_path(g.gl_pathv[i], &lim), "",
			    "corpus: %s", strrchr(g.gl_pathv[i], '/') + 1);
		globfree(&g);
	}
}

int
main(void)
{
	const char *f = getenv("FIX");

	test_memory();
	if (f == NULL) {
		T_CHECK(0, "$FIX names the built fixtures (run through tests/run)");
		return t_done();
	}
	snprintf(fix, sizeof(fix), "%s/pkg", f);
	test_damaged();
	test_good();
	test_main_part();
	test_refused();
	test_limits();
	test_stdin();
	test_corpus();
	return t_done();
}
