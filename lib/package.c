/*
 * package.c: an OPC package opened with every size counted.
 *
 * The whole file is read into memory once, whatever it comes from: the
 * SHA-256 of the doc record and the zip reader then see the very same
 * bytes (a mapping would let a file truncated under us kill the program
 * with SIGBUS, and a pipe cannot be mapped at all), and with the bytes at
 * hand the central directory is checked here before libzip trusts it.
 * A .docx is small; standard input and pipes are capped by --max-stdin.
 *
 * What libzip 1.7.3 does not do is done here: it neither enforces an
 * entry's declared size nor notices entries that share data (the "better
 * zip bomb"), so the directory is walked here and every inflated byte is
 * counted.  libzip reads the bytes through a source of our own so that the
 * compressed bytes it consumes can be counted too, for the ratio limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sha2.h>
#include <zip.h>

#include "kh.h"
#include "package.h"
#include "xml.h"

#define CHUNK		(64u << 10)	/* bytes handed to a reader at once */
#define RATIO_GRACE	(100u << 10)	/* inflated bytes before the ratio counts */
#define NAME_MAX_MSG	200		/* bytes of an entry name in a message */

/* Zip record signatures and fixed sizes (APPNOTE.TXT). */
#define SIG_LOCAL	0x04034b50
#define SIG_CENTRAL	0x02014b50
#define SIG_EOCD	0x06054b50
#define SIG_EOCD64	0x06064b50
#define SIG_EOCD64LOC	0x07064b50
#define LEN_LOCAL	30
#define LEN_CENTRAL	46
#define LEN_EOCD	22
#define LEN_EOCD64	56
#define LEN_EOCD64LOC	20
/* The tail of the file where libzip looks for the end record. */
#define LEN_TAIL	(65535 + LEN_EOCD + LEN_EOCD64LOC)

struct relset {
	char	*part;
	kh_rel	*rels;
	size_t	 n;
};

/* An entry as the central directory describes it. */
struct entry {
	const char	*name;		/* in the directory, not terminated */
	uint32_t	 nlen;
	uint32_t	 method;
	uint32_t	 index;		/* in the directory */
	uint64_t	 csize;
	uint64_t	 start, end;	/* local header to end of data */
};

/* Entry names sorted without case, for lookups in O(log n). */
struct byname {
	const char	*name;		/* as libzip gives it, UTF-8 */
	zip_uint64_t	 index;
};

struct kh_package {
	const unsigned char	*data;
	size_t			 size;
	unsigned char		*owned;		/* data when read by us */
	zip_t			*za;
	struct byname		*names;
	size_t			 nnames;
	zip_error_t		 srcerr;	/* our source's error */
	uint64_t		 pos;		/* our source's offset */
	uint64_t		 fed;		/* bytes our source gave libzip */
	kh_limits		 lim;
	uint64_t		 total;		/* inflated from every part */
	char			 sha[SHA256_DIGEST_STRING_LENGTH];
	char			*main;
	const char		*format;
	int			 strict;
	struct relset		*sets;
	size_t			 nsets;
};

static const unsigned char ole2_magic[8] = {
	0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1
};

static uint32_t
le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static uint64_t
le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/*
 * Messages are lower-case: libzip's reasons start with a capital unless
 * they start with an acronym ("CRC error").  The system's reasons are
 * left as strerror gives them, as err(3) and the front end print them.
 */
static void
set_reason(kh_err *err, const char *prefix, const char *reason)
{
	char r[256];

	snprintf(r, sizeof(r), "%s", reason);
	if (r[0] >= 'A' && r[0] <= 'Z' && !(r[1] >= 'A' && r[1] <= 'Z'))
		r[0] = (char)(r[0] - 'A' + 'a');
	kh_err_set(err, "%s%s", prefix, r);
}

static void
set_part(kh_err *err, const char *part)
{
	snprintf(err->part, sizeof(err->part), "%s", part);
}

/* What the bytes are when they are not a zip. */
static void
sniff(const unsigned char *p, size_t n, kh_err *err)
{
	size_t i;

	if (n >= 8 && memcmp(p, ole2_magic, 8) == 0) {
		kh_err_set(err, "an OLE2 compound file: a legacy Word .doc or a "
		    "password-protected (encrypted) Word file, not a .docx");
		return;
	}
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0) {
		kh_err_set(err, "not a zip archive (a PDF document)");
		return;
	}
	if (n >= 5 && memcmp(p, "{\\rtf", 5) == 0) {
		kh_err_set(err, "not a zip archive (an RTF document)");
		return;
	}
	/* Text, whatever its encoding, has no control characters. */
	for (i = 0; i < n && i < 4096; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r' && p[i] != '\f') || p[i] == 0x7f) {
			kh_err_set(err, "not a zip archive (unknown format)");
			return;
		}
	kh_err_set(err, "not a zip archive (plain text)");
}

/* Entry names come from the archive: cut them short in messages. */
static int
mlen(uint32_t nlen)
{
	return (int)(nlen > NAME_MAX_MSG ? NAME_MAX_MSG : nlen);
}

/* OPC part names compare without case. */
static int
name_cmp(const struct entry *x, const struct entry *y)
{
	int c;

	c = strncasecmp(x->name, y->name, x->nlen < y->nlen ? x->nlen : y->nlen);
	if (c != 0)
		return c;
	return (x->nlen > y->nlen) - (x->nlen < y->nlen);
}

/* Orders for qsort, ties broken by directory order so messages are stable. */
static int
by_name(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c;

	if ((c = name_cmp(x, y)) != 0)
		return c;
	return (x->index > y->index) - (x->index < y->index);
}

static int
by_start(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->start != y->start)
		return (x->start > y->start) - (x->start < y->start);
	return (x->index > y->index) - (x->index < y->index);
}

/*
 * The end of central directory record.  libzip looks for it in the last
 * LEN_TAIL bytes and may settle on any candidate there; so that it reads
 * the directory checked here, a second plausible candidate is refused.
 */
static int
find_end(const kh_package *pk, uint64_t *entries, uint64_t *cdoff,
    uint64_t *cdsize, uint64_t *cdlimit, kh_err *err)
{
	const unsigned char *d = pk->data, *e;
	size_t at, low, found = 0, seen = 0;

	if (pk->size < LEN_EOCD) {
		kh_err_set(err, "truncated or damaged zip archive: no end of "
		    "central directory");
		return -1;
	}
	low = pk->size > LEN_TAIL ? pk->size - LEN_TAIL : 0;
	for (at = pk->size - LEN_EOCD + 1; at-- > low;) {
		uint64_t off, size;

		e = d + at;
		if (le32(e) != SIG_EOCD ||
		    at + LEN_EOCD + le16(e + 20) > pk->size)
			continue;
		off = le32(e + 16);
		size = le32(e + 12);
		/* Zip64 puts all ones here and the real values elsewhere. */
		if (off != 0xffffffff && size != 0xffffffff &&
		    (off > at || size > at - off))
			continue;
		if (seen++ == 0)
			found = at;
	}
	if (seen == 0) {
		kh_err_set(err, "truncated or damaged zip archive: no end of "
		    "central directory");
		return -1;
	}
	if (seen > 1) {
		kh_err_set(err, "truncated or damaged zip archive: more than "
		    "one end of central directory");
		return -1;
	}
	e = d + found;
	if (le16(e + 4) != 0 || le16(e + 6) != 0 ||
	    le16(e + 8) != le16(e + 10)) {
		kh_err_set(err, "truncated or damaged zip archive: split "
		    "across several volumes");
		return -1;
	}
	*entries = le16(e + 10);
	*cdsize = le32(e + 12);
	*cdoff = le32(e + 16);
	*cdlimit = found;
	/* As libzip does, a zip64 locator right before it takes over. */
	if (found >= LEN_EOCD64LOC &&
	    le32(e - LEN_EOCD64LOC) == SIG_EOCD64LOC) {
		uint64_t z = le64(e - LEN_EOCD64LOC + 8);

		if (z > found - LEN_EOCD64LOC ||
		    found - LEN_EOCD64LOC - z < LEN_EOCD64 ||
		    le32(d + z) != SIG_EOCD64) {
			kh_err_set(err, "truncated or damaged zip archive: bad "
			    "zip64 end of central directory");
			return -1;
		}
		*entries = le64(d + z + 32);
		*cdsize = le64(d + z + 40);
		*cdoff = le64(d + z + 48);
		*cdlimit = z;
	}
	if (*cdoff > *cdlimit || *cdsize > *cdlimit - *cdoff) {
		kh_err_set(err, "truncated or damaged zip archive: central "
		    "directory past the end of the file");
		return -1;
	}
	return 0;
}

/*
 * Walk the central directory: count entries, refuse encryption and
 * methods other than stored and deflated, and refuse duplicate names and
 * entries whose data overlap.  libzip's ZIP_CHECKCONS is not used: it
 * also refuses local headers whose times differ from the directory's,
 * which real files have (pandoc's alternate_document_path.docx), while
 * what matters for safety is checked here and then compared with what
 * libzip read (check_libzip).
 */
static int
check_directory(const kh_package *pk, struct entry **ents, size_t *nents,
    kh_err *err)
{
	const unsigned char *d = pk->data, *p, *end;
	uint64_t entries, cdoff, cdsize, cdlimit, sum = 0;
	struct entry *e, *tab;
	size_t i, n;

	if (find_end(pk, &entries, &cdoff, &cdsize, &cdlimit, err) == -1)
		return -1;
	if (entries > pk->lim.entries) {
		kh_err_set(err, "%llu entries, more than the limit of %llu "
		    "(--max-entries)", (unsigned long long)entries,
		    (unsigned long long)pk->lim.entries);
		return -1;
	}
	/* The table is sized by the limit and the bytes at hand, never by the count alone. */
	if (entries > cdsize / LEN_CENTRAL) {
		kh_err_set(err, "truncated or damaged zip archive: central "
		    "directory too small for its %llu entries",
		    (unsigned long long)entries);
		return -1;
	}
	tab = kh_xcalloc((size_t)entries + 1, sizeof(*tab));
	p = d + cdoff;
	end = p + cdsize;
	for (n = 0; n < entries; n++) {
		uint64_t usize, csize, off, data;
		uint32_t flags, nlen, xlen, clen;
		const unsigned char *x, *xend;

		e = &tab[n];
		if ((size_t)(end - p) < LEN_CENTRAL || le32(p) != SIG_CENTRAL) {
			kh_err_set(err, "truncated or damaged zip archive: "
			    "central directory entry %zu is damaged", n + 1);
			goto fail;
		}
		flags = le16(p + 8);
		e->method = le16(p + 10);
		csize = le32(p + 20);
		usize = le32(p + 24);
		nlen = le16(p + 28);
		xlen = le16(p + 30);
		clen = le16(p + 32);
		off = le32(p + 42);
		if ((size_t)(end - p) < LEN_CENTRAL + (size_t)nlen + xlen + clen) {
			kh_err_set(err, "truncated or damaged zip archive: "
			    "central directory entry %zu is damaged", n + 1);
			goto fail;
		}
		e->name = (const char *)p + LEN_CENTRAL;
		e->nlen = nlen;
		e->index = (uint32_t)n;
		/* Zip64 sizes and offset live in extra field 1, in this order. */
		for (x = p + LEN_CENTRAL + nlen, xend = x + xlen;
		    xend - x >= 4; x += 4 + le16(x + 2)) {
			const unsigned char *f = x + 4;
			size_t flen = le16(x + 2);

			if (flen > (size_t)(xend - f))
				break;
			if (le16(x) != 0x0001)
				continue;
			if (usize == 0xffffffff && flen >= 8) {
				f += 8;
				flen -= 8;
			}
			if (csize == 0xffffffff && flen >= 8) {
				csize = le64(f);
				f += 8;
				flen -= 8;
			}
			if (off == 0xffffffff && flen >= 8)
				off = le64(f);
		}
		e->csize = csize;
		if (flags & 1) {
			kh_err_set(err, "entry '%.*s' is encrypted; OPC "
			    "packages are never encrypted", mlen(nlen), e->name);
			goto fail;
		}
		if (e->method != 0 && e->method != 8) {
			kh_err_set(err, "entry '%.*s' uses compression method "
			    "%u; OPC allows only stored and deflated",
			    mlen(nlen), e->name, e->method);
			goto fail;
		}
		if (off > cdoff || cdoff - off < LEN_LOCAL ||
		    le32(d + off) != SIG_LOCAL) {
			kh_err_set(err, "truncated or damaged zip archive: "
			    "local header of '%.*s' is missing", mlen(nlen),
			    e->name);
			goto fail;
		}
		/* libzip finds the data past the local name and extra field. */
		data = off + LEN_LOCAL + le16(d + off + 26) + le16(d + off + 28);
		if (data > cdoff || csize > cdoff - data) {
			kh_err_set(err, "truncated or damaged zip archive: data "
			    "of '%.*s' runs into the central directory",
			    mlen(nlen), e->name);
			goto fail;
		}
		e->start = off;
		e->end = data + csize;
		/* Cheap first: shared data makes the sizes add up past the file. */
		if ((sum += csize) > pk->size) {
			kh_err_set(err, "compressed sizes add up to more than "
			    "the archive (overlapping entries, a zip bomb)");
			goto fail;
		}
		p += LEN_CENTRAL + nlen + xlen + clen;
	}
	if (p != end) {
		kh_err_set(err, "truncated or damaged zip archive: central "
		    "directory larger than its %llu entries",
		    (unsigned long long)entries);
		goto fail;
	}
	*ents = tab;
	*nents = n;
	/* Work on a copy: libzip's order is compared later. */
	tab = kh_xreallocarray(NULL, n + 1, sizeof(*tab));
	memcpy(tab, *ents, n * sizeof(*tab));
	qsort(tab, n, sizeof(*tab), by_name);
	for (i = 1; i < n; i++) {
		if (name_cmp(&tab[i - 1], &tab[i]) != 0)
			continue;
		if (memcmp(tab[i - 1].name, tab[i].name, tab[i].nlen) == 0)
			kh_err_set(err, "duplicate entry name '%.*s'",
			    mlen(tab[i].nlen), tab[i].name);
		else
			kh_err_set(err, "entries '%.*s' and '%.*s' differ only "
			    "in case, one part name in OPC",
			    mlen(tab[i - 1].nlen), tab[i - 1].name,
			    mlen(tab[i].nlen), tab[i].name);
		goto fail_copy;
	}
	/* Sorted by start, any overlap shows between neighbours. */
	qsort(tab, n, sizeof(*tab), by_start);
	for (i = 1; i < n; i++)
		if (tab[i].start < tab[i - 1].end) {
			kh_err_set(err, "overlapping entries (a zip bomb): "
			    "entries %u and %u share data",
			    tab[i - 1].index + 1, tab[i].index + 1);
			goto fail_copy;
		}
	free(tab);
	return 0;
fail_copy:
	free(tab);
	free(*ents);
	*ents = NULL;
	return -1;
fail:
	free(tab);
	return -1;
}

/*
 * libzip reads the bytes through this source: a buffer source would do,
 * but this one counts the bytes libzip consumes, which kh_package_read
 * needs to measure a part's compression ratio as it inflates.
 */
static zip_int64_t
source(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	kh_package *pk = ud;
	zip_stat_t *st;
	zip_int64_t off;
	uint64_t n;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		pk->pos = 0;
		return 0;
	case ZIP_SOURCE_READ:
		n = pk->size - pk->pos;
		if (n > len)
			n = len;
		memcpy(data, pk->data + pk->pos, (size_t)n);
		pk->pos += n;
		pk->fed += n;
		return (zip_int64_t)n;
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT:
		st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &pk->srcerr);
		if (st == NULL)
			return -1;
		zip_stat_init(st);
		st->size = pk->size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof(*st);
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&pk->srcerr, data, len);
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_SEEK:
		off = zip_source_seek_compute_offset(pk->pos, pk->size, data,
		    len, &pk->srcerr);
		if (off < 0)
			return -1;
		pk->pos = (uint64_t)off;
		return 0;
	case ZIP_SOURCE_TELL:
		return (zip_int64_t)pk->pos;
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_SEEKABLE;
	default:
		zip_error_set(&pk->srcerr, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* Whether libzip read the directory checked here, entry by entry. */
static int
check_libzip(kh_package *pk, const struct entry *ents, size_t n,
    kh_err *err)
{
	zip_stat_t st;
	size_t i;

	if (zip_get_num_entries(pk->za, 0) != (zip_int64_t)n)
		goto differ;
	for (i = 0; i < n; i++) {
		if (zip_stat_index(pk->za, i, ZIP_FL_ENC_RAW, &st) == -1 ||
		    strlen(st.name) != ents[i].nlen ||
		    memcmp(st.name, ents[i].name, ents[i].nlen) != 0 ||
		    st.comp_size != ents[i].csize ||
		    st.comp_method != ents[i].method)
			goto differ;
	}
	return 0;
differ:
	kh_err_set(err, "truncated or damaged zip archive: central directory "
	    "read two ways");
	return -1;
}

/*
 * Whether got inflated bytes from in compressed ones exceed ratio.  in
 * counts what libzip consumed so far, so a bomb is caught within its
 * first megabyte rather than after ratio times its whole compressed size.
 */
static int
over_ratio(uint64_t got, uint64_t in, uint64_t ratio)
{
	if (in == 0 || (ratio != 0 && in > UINT64_MAX / ratio))
		return 0;
	return got > in * ratio;
}

static int
byname_cmp(const void *a, const void *b)
{
	const struct byname *x = a, *y = b;

	return strcasecmp(x->name, y->name);
}

/*
 * The index of names.  zip_name_locate without case walks every entry,
 * which a .rels part of a million targets would turn into a denial of
 * service; the names are those zip_name_locate would compare, and no two
 * are alike without case (check_directory saw to that).
 */
static void
index_names(kh_package *pk)
{
	zip_int64_t n = zip_get_num_entries(pk->za, 0);
	const char *name;
	zip_int64_t i;

	pk->names = kh_xreallocarray(NULL, (size_t)n + 1, sizeof(*pk->names));
	for (i = 0; i < n; i++)
		if ((name = zip_get_name(pk->za, (zip_uint64_t)i, 0)) != NULL) {
			pk->names[pk->nnames].name = name;
			pk->names[pk->nnames++].index = (zip_uint64_t)i;
		}
	qsort(pk->names, pk->nnames, sizeof(*pk->names), byname_cmp);
}

/* The entry of a part; OPC part names ignore case. */
static zip_int64_t
locate(kh_package *pk, const char *part)
{
	struct byname key, *hit;

	key.name = part;
	hit = bsearch(&key, pk->names, pk->nnames, sizeof(*pk->names),
	    byname_cmp);
	return hit != NULL ? (zip_int64_t)hit->index : -1;
}

int
kh_package_has(kh_package *pk, const char *part)
{
	return locate(pk, part) >= 0;
}

int
kh_package_read(kh_package *pk, const char *part, kh_chunk_fn chunk,
    void *ud, kh_err *err)
{
	zip_int64_t idx, n;
	zip_stat_t st;
	zip_file_t *zf;
	uint64_t got = 0, in = 0, fed;
	char *buf;
	int rc = -1;

	if ((idx = locate(pk, part)) < 0 ||
	    zip_stat_index(pk->za, (zip_uint64_t)idx, 0, &st) == -1) {
		kh_err_set(err, "no such part in the package");
		set_part(err, part);
		return -1;
	}
	if ((zf = zip_fopen_index(pk->za, (zip_uint64_t)idx, 0)) == NULL) {
		set_reason(err, "cannot read the part: ",
		    zip_error_strerror(zip_get_error(pk->za)));
		set_part(err, part);
		return -1;
	}
	buf = kh_xmalloc(CHUNK);
	for (;;) {
		fed = pk->fed;
		n = zip_fread(zf, buf, CHUNK);
		in += pk->fed - fed;
		if (n < 0) {
			set_reason(err, "damaged data: ",
			    zip_error_strerror(zip_file_get_error(zf)));
			break;
		}
		if (n == 0) {
			if (got < st.size)
				kh_err_set(err, "inflates to %llu bytes, short "
				    "of its declared %llu (damaged archive)",
				    (unsigned long long)got,
				    (unsigned long long)st.size);
			else
				rc = 0;
			break;
		}
		got += (uint64_t)n;
		pk->total += (uint64_t)n;
		/* Sizes are counted, never trusted; bytes past a limit are never handed on. */
		if (got > st.size) {
			kh_err_set(err, "inflates past its declared size of "
			    "%llu bytes (lying entry size)",
			    (unsigned long long)st.size);
			break;
		}
		if (got > pk->lim.part_bytes) {
			kh_err_set(err, "larger than the part limit of %llu "
			    "bytes (--max-part)",
			    (unsigned long long)pk->lim.part_bytes);
			break;
		}
		if (pk->total > pk->lim.total_bytes) {
			kh_err_set(err, "the parts read inflate past the total "
			    "limit of %llu bytes (--max-total)",
			    (unsigned long long)pk->lim.total_bytes);
			break;
		}
		if (got > RATIO_GRACE && over_ratio(got, in, pk->lim.ratio)) {
			kh_err_set(err, "inflates more than %llu times its "
			    "compressed size (--max-ratio)",
			    (unsigned long long)pk->lim.ratio);
			break;
		}
		if (chunk(ud, buf, (size_t)n, err) == -1) {
			free(buf);
			zip_fclose(zf);
			if (err->part[0] == '\0')
				set_part(err, part);
			return -1;
		}
	}
	free(buf);
	zip_fclose(zf);
	if (rc == -1)
		set_part(err, part);
	return rc;
}

/* Relationships collected from a .rels part. */
struct relparse {
	kh_package	*pk;
	const char	*source;	/* the part they belong to */
	kh_rel		*rels;
	size_t		 n, cap;
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undo percent-encoding in place; "%00" stays as it is. */
static void
pct_decode(char *s)
{
	char *o = s;
	int h, l;

	for (; *s != '\0'; s++) {
		if (s[0] == '%' && (h = hexval((unsigned char)s[1])) >= 0 &&
		    (l = hexval((unsigned char)s[2])) >= 0 && h + l > 0) {
			*o++ = (char)(h << 4 | l);
			s += 2;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

/*
 * The part name a relative reference stands for, seen from the folder of
 * source (RFC 3986 resolution as OPC asks): a leading "/" starts from the
 * package root, "." and ".." segments are folded, and ".." never climbs
 * out of the package.  A fragment or query is no part of a part name.
 */
static char *
resolve(const char *source, const char *target, int decode)
{
	kh_buf b = KH_BUF_INIT;
	const char *slash;
	char *path, *seg, *save, *out;
	size_t len = 0;

	if (target[0] == '/')
		target++;
	else if ((slash = strrchr(source, '/')) != NULL)
		kh_buf_add(&b, source, (size_t)(slash - source + 1));
	kh_buf_add(&b, target, strcspn(target, "#?"));
	path = b.s != NULL ? b.s : kh_xstrdup("");
	if (decode)
		pct_decode(path);
	out = kh_xmalloc(strlen(path) + 1);
	out[0] = '\0';
	for (seg = strtok_r(path, "/", &save); seg != NULL;
	    seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
			out[len] = '\0';
			continue;
		}
		if (len > 0)
			out[len++] = '/';
		memcpy(out + len, seg, strlen(seg) + 1);
		len += strlen(seg);
	}
	free(path);
	return out;
}

/*
 * The entry a relationship points at, under its own name when the
 * package has it (decoded first, as part names are percent-encoded URIs,
 * then as written, which some writers put in the zip), so that callers
 * read and compare real entry names.
 */
static char *
target_part(kh_package *pk, const char *source, const char *target)
{
	char *name, *raw;
	zip_int64_t idx;

	name = resolve(source, target, 1);
	if ((idx = locate(pk, name)) < 0) {
		raw = resolve(source, target, 0);
		if ((idx = locate(pk, raw)) < 0) {
			free(raw);
			return name;
		}
		free(raw);
	}
	free(name);
	return kh_xstrdup(zip_get_name(pk->za, (zip_uint64_t)idx, 0));
}

static const char *
attr(size_t n, const kh_xml_attr *a, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i].ns == KH_NS_NONE && strcmp(a[i].local, name) == 0)
			return a[i].value;
	return NULL;
}

static void
rel_start(void *ud, kh_xml *x, enum kh_ns ns, const char *local, size_t n,
    const kh_xml_attr *a)
{
	struct relparse *rp = ud;
	const char *id, *type, *target, *mode;
	kh_rel *r;

	if (ns != KH_NS_PKGREL || strcmp(local, "Relationship") != 0)
		return;
	id = attr(n, a, "Id");
	type = attr(n, a, "Type");
	target = attr(n, a, "Target");
	mode = attr(n, a, "TargetMode");
	if (id == NULL || type == NULL || target == NULL)
		return;
	if (rp->n == rp->cap) {
		rp->cap = rp->cap == 0 ? 16 : rp->cap * 2;
		rp->rels = kh_xreallocarray(rp->rels, rp->cap,
		    sizeof(*rp->rels));
	}
	r = &rp->rels[rp->n++];
	r->id = kh_xstrdup(id);
	r->type = kh_xstrdup(type);
	r->external = mode != NULL && strcmp(mode, "External") == 0;
	r->target = r->external ? kh_xstrdup(target) :
	    target_part(rp->pk, rp->source, target);
}

int
kh_rel_is(const kh_rel *r, const char *name)
{
	const char *slash = strrchr(r->type, '/');

	return slash != NULL && strcmp(slash + 1, name) == 0;
}

static void
free_rels(kh_rel *rels, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)rels[i].id);
		free((char *)rels[i].type);
		free((char *)rels[i].target);
	}
	free(rels);
}

int
kh_package_rels(kh_package *pk, const char *part, const kh_rel **rels,
    size_t *n, kh_err *err)
{
	static const kh_xml_handler h = { rel_start, NULL, NULL };
	struct relparse rp;
	kh_buf name = KH_BUF_INIT;
	const char *slash;
	size_t i;

	for (i = 0; i < pk->nsets; i++)
		if (strcasecmp(pk->sets[i].part, part) == 0) {
			*rels = pk->sets[i].rels;
			*n = pk->sets[i].n;
			return 0;
		}
	/* The rels of "word/document.xml" are "word/_rels/document.xml.rels". */
	if ((slash = strrchr(part, '/')) != NULL) {
		kh_buf_add(&name, part, (size_t)(slash - part + 1));
		kh_buf_printf(&name, "_rels/%s.rels", slash + 1);
	} else
		kh_buf_printf(&name, "_rels/%s.rels", part);
	memset(&rp, 0, sizeof(rp));
	rp.pk = pk;
	rp.source = part;
	if (kh_package_has(pk, name.s) &&
	    kh_xml_parse_part(pk, name.s, &h, &rp, &pk->lim, err) == -1) {
		free_rels(rp.rels, rp.n);
		kh_buf_free(&name);
		return -1;
	}
	kh_buf_free(&name);
	pk->sets = kh_xreallocarray(pk->sets, pk->nsets + 1, sizeof(*pk->sets));
	pk->sets[pk->nsets].part = kh_xstrdup(part);
	pk->sets[pk->nsets].rels = rp.rels;
	pk->sets[pk->nsets].n = rp.n;
	pk->nsets++;
	*rels = rp.rels;
	*n = rp.n;
	return 0;
}

/* The content types of the main part, by Override and by Default. */
struct ctparse {
	const char	*main;
	const char	*ext;		/* the main part's extension, or "" */
	char		*override;
	char		*deflt;
};

static void
ct_start(void *ud, kh_xml *x, enum kh_ns ns, const char *local, size_t n,
    const kh_xml_attr *a)
{
	struct ctparse *cp = ud;
	const char *key, *type;
	char *name;

	if (ns != KH_NS_CT || (type = attr(n, a, "ContentType")) == NULL)
		return;
	if (strcmp(local, "Override") == 0 && cp->override == NULL &&
	    (key = attr(n, a, "PartName")) != NULL) {
		name = kh_xstrdup(key[0] == '/' ? key + 1 : key);
		pct_decode(name);
		if (strcasecmp(name, cp->main) == 0)
			cp->override = kh_xstrdup(type);
		free(name);
	} else if (strcmp(local, "Default") == 0 && cp->deflt == NULL &&
	    (key = attr(n, a, "Extension")) != NULL &&
	    strcasecmp(key, cp->ext) == 0)
		cp->deflt = kh_xstrdup(type);
}

static const struct {
	const char	*type;
	const char	*format;
} formats[] = {
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "document.main+xml", "docx" },
	{ "application/vnd.ms-word.document.macroEnabled.main+xml", "docm" },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "template.main+xml", "dotx" },
	{ "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
	    "dotm" },
};

/*
 * The format from the main part's content type.  A package that does not
 * say (no [Content_Types].xml, or nothing for the main part) is read as a
 * .docx, as Word's own readers are lenient there; one that names another
 * kind of document is refused by name.
 */
static int
find_format(kh_package *pk, kh_err *err)
{
	static const kh_xml_handler h = { ct_start, NULL, NULL };
	struct ctparse cp;
	const char *type, *dot, *slash;
	size_t i, tlen;
	int rc = -1;

	memset(&cp, 0, sizeof(cp));
	cp.main = pk->main;
	dot = strrchr(pk->main, '.');
	slash = strrchr(pk->main, '/');
	cp.ext = dot != NULL && (slash == NULL || dot > slash) ? dot + 1 : "";
	if (kh_package_has(pk, "[Content_Types].xml") &&
	    kh_xml_parse_part(pk, "[Content_Types].xml", &h, &cp, &pk->lim,
	    err) == -1)
		goto out;
	type = cp.override != NULL ? cp.override : cp.deflt;
	pk->format = "docx";
	rc = 0;
	if (type == NULL)
		goto out;
	/* Media types ignore case and may carry parameters. */
	tlen = strcspn(type, "; \t");
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strlen(formats[i].type) == tlen &&
		    strncasecmp(type, formats[i].type, tlen) == 0) {
			pk->format = formats[i].format;
			goto out;
		}
	rc = -1;
	if (strcasestr(type, "spreadsheetml") != NULL ||
	    strcasestr(type, "ms-excel") != NULL)
		kh_err_set(err, "an Excel workbook (.xlsx), not a .docx");
	else if (strcasestr(type, "presentationml") != NULL ||
	    strcasestr(type, "ms-powerpoint") != NULL)
		kh_err_set(err, "a PowerPoint presentation (.pptx), not a .docx");
	else
		kh_err_set(err, "not a Word document: the main part '%.200s' "
		    "is of type '%.200s'", pk->main, type);
out:
	free(cp.override);
	free(cp.deflt);
	return rc;
}

/* The first bytes of a part, for a look at what a package is. */
struct head {
	char	buf[64];
	size_t	len;
};

static int
head_chunk(void *ud, const char *buf, size_t len, kh_err *err)
{
	struct head *hd = ud;
	size_t room = sizeof(hd->buf) - 1 - hd->len;

	if (len > room)
		len = room;
	memcpy(hd->buf + hd->len, buf, len);
	hd->len += len;
	hd->buf[hd->len] = '\0';
	return hd->len + 1 < sizeof(hd->buf) ? 0 : -1;
}

/* Without a main part: an OpenDocument file says so in its "mimetype". */
static void
no_main(kh_package *pk, kh_err *err)
{
	static const char odf[] = "application/vnd.oasis.opendocument.";
	struct head hd;
	kh_err scratch;

	memset(&hd, 0, sizeof(hd));
	kh_err_clear(&scratch);
	if (kh_package_has(pk, "mimetype"))
		(void)kh_package_read(pk, "mimetype", head_chunk, &hd, &scratch);
	kh_err_clear(err);
	if (strncmp(hd.buf, odf, sizeof(odf) - 1) != 0)
		kh_err_set(err, "zip archive without a main document part (no "
		    "officeDocument relationship in _rels/.rels)");
	else if (strncmp(hd.buf + sizeof(odf) - 1, "text", 4) == 0)
		kh_err_set(err, "an OpenDocument text (.odt), not a .docx");
	else
		kh_err_set(err, "an OpenDocument file, not a .docx");
}

/*
 * The main part is what _rels/.rels points at with an officeDocument
 * relationship (not a fixed name); Strict packages use Strict types.
 */
static int
find_main(kh_package *pk, kh_err *err)
{
	static const char strict_prefix[] = "http://purl.oclc.org/ooxml/";
	const kh_rel *rels;
	size_t n, i;

	if (kh_package_rels(pk, "", &rels, &n, err) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (!rels[i].external && kh_rel_is(&rels[i], "officeDocument"))
			break;
	if (i == n) {
		no_main(pk, err);
		return -1;
	}
	if (!kh_package_has(pk, rels[i].target)) {
		kh_err_set(err, "zip archive without a main document part "
		    "(%.200s is named in _rels/.rels but missing)",
		    rels[i].target);
		return -1;
	}
	pk->main = kh_xstrdup(rels[i].target);
	pk->strict = strncmp(rels[i].type, strict_prefix,
	    sizeof(strict_prefix) - 1) == 0;
	return find_format(pk, err);
}

static kh_package *
open_bytes(kh_package *pk, kh_err *err)
{
	struct entry *ents = NULL;
	zip_source_t *src;
	zip_error_t ze;
	SHA2_CTX ctx;
	size_t n = 0;

	kh_err_clear(err);
	SHA256Init(&ctx);
	SHA256Update(&ctx, pk->data, pk->size);
	SHA256End(&ctx, pk->sha);
	if (pk->size == 0) {
		kh_err_set(err, "empty file");
		goto fail;
	}
	if (pk->size < 2 || memcmp(pk->data, "PK", 2) != 0) {
		sniff(pk->data, pk->size, err);
		goto fail;
	}
	if (check_directory(pk, &ents, &n, err) == -1)
		goto fail;
	zip_error_init(&ze);
	zip_error_init(&pk->srcerr);
	if ((src = zip_source_function_create(source, pk, &ze)) == NULL ||
	    (pk->za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		set_reason(err, "truncated or damaged zip archive: ",
		    zip_error_strerror(&ze));
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&ze);
		goto fail;
	}
	zip_error_fini(&ze);
	if (check_libzip(pk, ents, n, err) == -1)
		goto fail;
	free(ents);
	ents = NULL;
	index_names(pk);
	if (find_main(pk, err) == -1)
		goto fail;
	return pk;
fail:
	free(ents);
	kh_package_close(pk);
	return NULL;
}

kh_package *
kh_package_open_mem(const void *buf, size_t len, const kh_limits *lim,
    kh_err *err)
{
	kh_package *pk;

	pk = kh_xcalloc(1, sizeof(*pk));
	pk->lim = *lim;
	pk->data = buf != NULL ? buf : (const void *)"";
	pk->size = len;
	return open_bytes(pk, err);
}

/*
 * Read fd to its end into pk->owned.  The buffer grows from hint (the
 * size fstat gave, which only sizes it); cap, when not 0, bounds input
 * whose size nothing told us.
 */
static int
slurp(kh_package *pk, int fd, size_t hint, uint64_t cap, int is_stdin,
    kh_err *err)
{
	size_t size = hint + 1, len = 0;
	unsigned char *p;
	ssize_t r;

	if ((pk->owned = malloc(size)) == NULL) {
		kh_err_set(err, "too large to hold in memory");
		return -1;
	}
	for (;;) {
		if (len == size) {
			size = size < (1 << 16) ? 1 << 16 : size * 2;
			if ((p = realloc(pk->owned, size)) == NULL) {
				kh_err_set(err, "too large to hold in memory");
				return -1;
			}
			pk->owned = p;
		}
		if ((r = read(fd, pk->owned + len, size - len)) == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			kh_err_set(err, "%s", strerror(errno));
			return -1;
		}
		len += (size_t)r;
		if (cap != 0 && len > cap)
			goto capped;
	}
	pk->data = pk->owned;
	pk->size = len;
	return 0;
capped:
	if (is_stdin)
		kh_err_set(err, "standard input is larger than the limit of "
		    "%llu bytes (--max-stdin)", (unsigned long long)cap);
	else
		kh_err_set(err, "larger than the limit of %llu bytes for a "
		    "pipe or device (--max-stdin)", (unsigned long long)cap);
	return -1;
}

kh_package *
kh_package_open(const char *path, const kh_limits *lim, kh_err *err)
{
	kh_package *pk;
	struct stat st;
	int fd, rc;

	kh_err_clear(err);
	pk = kh_xcalloc(1, sizeof(*pk));
	pk->lim = *lim;
	if (strcmp(path, "-") == 0) {
		if (slurp(pk, STDIN_FILENO, 0, lim->stdin_bytes, 1, err) == -1)
			goto fail;
		return open_bytes(pk, err);
	}
	if ((fd = open(path, O_RDONLY)) == -1) {
		kh_err_set(err, "%s", strerror(errno));
		goto fail;
	}
	if (fstat(fd, &st) == -1) {
		kh_err_set(err, "%s", strerror(errno));
		close(fd);
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		kh_err_set(err, "is a directory");
		close(fd);
		goto fail;
	}
	if (S_ISREG(st.st_mode))
		rc = slurp(pk, fd, (size_t)st.st_size, 0, 0, err);
	else
		rc = slurp(pk, fd, 0, lim->stdin_bytes, 0, err);
	close(fd);
	if (rc == -1)
		goto fail;
	return open_bytes(pk, err);
fail:
	kh_package_close(pk);
	return NULL;
}

void
kh_package_close(kh_package *pk)
{
	size_t i;

	if (pk == NULL)
		return;
	if (pk->za != NULL)
		zip_discard(pk->za);
	free(pk->names);
	zip_error_fini(&pk->srcerr);
	free(pk->owned);
	for (i = 0; i < pk->nsets; i++) {
		free_rels(pk->sets[i].rels, pk->sets[i].n);
		free(pk->sets[i].part);
	}
	free(pk->sets);
	free(pk->main);
	free(pk);
}

uint64_t
kh_package_size(const kh_package *pk)
{
	return pk->size;
}

const char *
kh_package_sha256(const kh_package *pk)
{
	return pk->sha;
}

const char *
kh_package_format(const kh_package *pk)
{
	return pk->format;
}

const char *
kh_package_main(const kh_package *pk)
{
	return pk->main;
}

int
kh_package_strict(const kh_package *pk)
{
	return pk->strict;
}
