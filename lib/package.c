/*
 * package.c: an OPC package opened with every size counted.
 *
 * The whole file is held in memory (mapped for a path, read for standard
 * input, which zip's random access needs anyway): the SHA-256 of the doc
 * record needs every byte, and with the bytes at hand the central
 * directory can be checked here before libzip trusts it.  libzip 1.7.3
 * neither enforces declared sizes nor notices overlapping entries (the
 * "better zip bomb"), so both are checked in this file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <sha2.h>
#include <zip.h>

#include "kh.h"
#include "package.h"
#include "xml.h"

#define CHUNK		(64u << 10)
#define RATIO_GRACE	(100u << 10)

struct relset {
	char	*part;
	kh_rel	*rels;
	size_t	 n;
};

struct kh_package {
	const unsigned char	*data;
	size_t			 size;
	void			*map;		/* mmap of a path, or NULL */
	unsigned char		*owned;		/* bytes read from stdin */
	zip_t			*za;
	kh_limits		 lim;
	uint64_t		 total;		/* inflated so far */
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

/* What the bytes are when they are not a zip. */
static void
name_format(const unsigned char *p, size_t n, kh_err *err)
{
	size_t i, text = 1;

	if (n >= 8 && memcmp(p, ole2_magic, 8) == 0) {
		kh_err_set(err, "an OLE2 compound file: a legacy Word .doc or a "
		    "password-protected (encrypted) Word file, not a .docx");
		return;
	}
	for (i = 0; i < n && i < 4096; i++)
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r' && p[i] != '\f')
			text = 0;
	if (text)
		kh_err_set(err, "not a zip archive (plain text)");
	else
		kh_err_set(err, "not a zip archive (unknown format)");
}

struct span {
	uint64_t	 start, end;
	uint32_t	 index;
	const char	*name;	/* in the central directory, not terminated */
	uint32_t	 nlen;
};

/* OPC part names compare without case. */
static int
name_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	int c;

	c = strncasecmp(x->name, y->name, x->nlen < y->nlen ? x->nlen : y->nlen);
	if (c != 0)
		return c;
	return (x->nlen > y->nlen) - (x->nlen < y->nlen);
}

static int
span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/*
 * Walk the central directory: count entries, refuse encryption and
 * methods other than stored and deflated, and refuse entries whose data
 * overlap or whose compressed sizes add up past the archive.
 */
static int
check_directory(kh_package *pk, kh_err *err)
{
	const unsigned char *d = pk->data, *eocd = NULL, *p, *end;
	uint64_t entries, cdoff, cdsize, sum = 0;
	struct span *spans;
	size_t i, n;

	if (pk->size < 22) {
		kh_err_set(err, "truncated or damaged zip archive: too short");
		return -1;
	}
	/* The end record is in the last 64 KiB + 22 bytes. */
	for (p = d + pk->size - 22; p >= d && p + 65557 >= d + pk->size; p--)
		if (le32(p) == 0x06054b50 &&
		    (size_t)(p - d) + 22 + le16(p + 20) <= pk->size) {
			eocd = p;
			break;
		}
	if (eocd == NULL) {
		kh_err_set(err, "truncated or damaged zip archive: no end of "
		    "central directory");
		return -1;
	}
	entries = le16(eocd + 10);
	cdsize = le32(eocd + 12);
	cdoff = le32(eocd + 16);
	if ((entries == 0xffff || cdoff == 0xffffffff) && eocd - d >= 20 &&
	    le32(eocd - 20) == 0x07064b50) {
		uint64_t z = le64(eocd - 20 + 8);

		if (z + 56 > pk->size || le32(d + z) != 0x06064b50) {
			kh_err_set(err, "truncated or damaged zip archive: "
			    "bad zip64 end record");
			return -1;
		}
		entries = le64(d + z + 32);
		cdsize = le64(d + z + 40);
		cdoff = le64(d + z + 48);
	}
	if (entries > pk->lim.entries) {
		kh_err_set(err, "%llu entries, more than the limit of %llu "
		    "(--max-entries)", (unsigned long long)entries,
		    (unsigned long long)pk->lim.entries);
		return -1;
	}
	if (cdoff > pk->size || cdsize > pk->size - cdoff) {
		kh_err_set(err, "truncated or damaged zip archive: central "
		    "directory past the end of the file");
		return -1;
	}
	spans = kh_xcalloc((size_t)entries + 1, sizeof(*spans));
	p = d + cdoff;
	end = p + cdsize;
	for (n = 0; n < entries; n++) {
		uint64_t csize, off, loc;
		uint32_t flags, method, nlen, xlen, clen;
		const unsigned char *x, *xend;

		if (end - p < 46 || le32(p) != 0x02014b50) {
			kh_err_set(err, "truncated or damaged zip archive: bad "
			    "central directory entry %zu", n + 1);
			goto fail;
		}
		flags = le16(p + 8);
		method = le16(p + 10);
		csize = le32(p + 20);
		nlen = le16(p + 28);
		xlen = le16(p + 30);
		clen = le16(p + 32);
		off = le32(p + 42);
		if ((size_t)(end - p) < 46 + (size_t)nlen + xlen + clen) {
			kh_err_set(err, "truncated or damaged zip archive: bad "
			    "central directory entry %zu", n + 1);
			goto fail;
		}
		/* Zip64 sizes and offsets live in extra field 0x0001. */
		for (x = p + 46 + nlen, xend = x + xlen; xend - x >= 4;
		    x += 4 + le16(x + 2)) {
			const unsigned char *f = x + 4;
			size_t flen = le16(x + 2);

			if (le16(x) != 0x0001 || flen > (size_t)(xend - f))
				continue;
			if (le32(p + 24) == 0xffffffff && flen >= 8) {
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
		if (flags & 1) {
			kh_err_set(err, "entry '%.*s' is encrypted; OPC packages "
			    "are never encrypted", (int)(nlen > 200 ? 200 : nlen),
			    (const char *)p + 46);
			goto fail;
		}
		if (method != 0 && method != 8) {
			kh_err_set(err, "entry '%.*s' uses compression method %u; "
			    "OPC allows only stored and deflated",
			    (int)(nlen > 200 ? 200 : nlen), (const char *)p + 46,
			    method);
			goto fail;
		}
		if (off > pk->size || pk->size - off < 30 ||
		    le32(d + off) != 0x04034b50) {
			kh_err_set(err, "truncated or damaged zip archive: bad "
			    "local header of entry %zu", n + 1);
			goto fail;
		}
		loc = off + 30 + le16(d + off + 26) + le16(d + off + 28);
		if (loc > pk->size || csize > pk->size - loc) {
			kh_err_set(err, "truncated or damaged zip archive: data "
			    "of entry %zu past the end of the file", n + 1);
			goto fail;
		}
		spans[n].start = off;
		spans[n].end = loc + csize;
		spans[n].index = (uint32_t)n;
		spans[n].name = (const char *)p + 46;
		spans[n].nlen = nlen;
		sum += csize;
		p += 46 + nlen + xlen + clen;
	}
	if (sum > pk->size) {
		kh_err_set(err, "compressed sizes add up to more than the "
		    "archive (overlapping entries)");
		goto fail;
	}
	/*
	 * libzip's ZIP_CHECKCONS would refuse duplicates, but also the gaps
	 * between entries that real writers leave (pandoc's test files have
	 * one), so duplicates are looked for here instead.
	 */
	qsort(spans, n, sizeof(*spans), name_cmp);
	for (i = 1; i < n; i++)
		if (name_cmp(&spans[i - 1], &spans[i]) == 0) {
			kh_err_set(err, "duplicate entry name '%.*s'",
			    (int)(spans[i].nlen > 200 ? 200 : spans[i].nlen),
			    spans[i].name);
			goto fail;
		}
	qsort(spans, n, sizeof(*spans), span_cmp);
	for (i = 1; i < n; i++)
		if (spans[i].start < spans[i - 1].end) {
			kh_err_set(err, "overlapping entries (a zip bomb): "
			    "entries %u and %u share data",
			    spans[i - 1].index + 1, spans[i].index + 1);
			goto fail;
		}
	free(spans);
	return 0;
fail:
	free(spans);
	return -1;
}

/* Whether the part name is in the archive (OPC names ignore case). */
static zip_int64_t
locate(kh_package *pk, const char *part)
{
	return zip_name_locate(pk->za, part, ZIP_FL_NOCASE | ZIP_FL_ENC_GUESS);
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
	zip_int64_t idx;
	zip_stat_t st;
	zip_file_t *zf;
	zip_int64_t n;
	uint64_t got = 0;
	char *buf;
	int rc = -1;

	if ((idx = locate(pk, part)) < 0 ||
	    zip_stat_index(pk->za, (zip_uint64_t)idx, 0, &st) == -1) {
		kh_err_set(err, "no such part in the package");
		snprintf(err->part, sizeof(err->part), "%s", part);
		return -1;
	}
	if ((zf = zip_fopen_index(pk->za, (zip_uint64_t)idx, 0)) == NULL) {
		kh_err_set(err, "cannot read: %s",
		    zip_error_strerror(zip_get_error(pk->za)));
		snprintf(err->part, sizeof(err->part), "%s", part);
		return -1;
	}
	buf = kh_xmalloc(CHUNK);
	for (;;) {
		n = zip_fread(zf, buf, CHUNK);
		if (n < 0) {
			kh_err_set(err, "cannot inflate: %s",
			    zip_error_strerror(zip_file_get_error(zf)));
			break;
		}
		if (n == 0) {
			if (got < st.size)
				kh_err_set(err, "inflates to %llu bytes, less "
				    "than its declared %llu (damaged archive)",
				    (unsigned long long)got,
				    (unsigned long long)st.size);
			else
				rc = 0;
			break;
		}
		got += (uint64_t)n;
		pk->total += (uint64_t)n;
		/* Sizes are counted, never trusted. */
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
			kh_err_set(err, "the parts read inflate past the "
			    "total limit of %llu bytes (--max-total)",
			    (unsigned long long)pk->lim.total_bytes);
			break;
		}
		if (got > RATIO_GRACE && st.comp_size > 0 &&
		    got / st.comp_size > pk->lim.ratio) {
			kh_err_set(err, "inflates more than %llu times its "
			    "compressed size (--max-ratio)",
			    (unsigned long long)pk->lim.ratio);
			break;
		}
		if (chunk(ud, buf, (size_t)n, err) == -1) {
			free(buf);
			zip_fclose(zf);
			if (err->part[0] == '\0')
				snprintf(err->part, sizeof(err->part), "%s",
				    part);
			return -1;
		}
	}
	free(buf);
	zip_fclose(zf);
	if (rc == -1)
		snprintf(err->part, sizeof(err->part), "%s", part);
	return rc;
}

/* Collecting Relationship elements of a .rels part. */
struct relparse {
	const char	*source;	/* the part the rels belong to */
	kh_rel		*rels;
	size_t		 n;
};

/* The part name target stands for, seen from the folder of source. */
static char *
resolve(const char *source, const char *target)
{
	kh_buf b = KH_BUF_INIT;
	char *out, *seg, *save, *copy;
	const char *slash;
	size_t len, i;

	if (target[0] == '/')
		target++;
	else if ((slash = strrchr(source, '/')) != NULL)
		kh_buf_add(&b, source, (size_t)(slash - source + 1));
	kh_buf_adds(&b, target);
	/* Percent-decoding, then "." and ".." segments. */
	copy = kh_xstrdup(b.s == NULL ? "" : b.s);
	for (i = 0, len = 0; copy[i] != '\0'; i++) {
		unsigned int v;

		if (copy[i] == '%' && sscanf(copy + i + 1, "%2x", &v) == 1 &&
		    copy[i + 1] != '\0' && copy[i + 2] != '\0') {
			copy[len++] = (char)v;
			i += 2;
		} else
			copy[len++] = copy[i];
	}
	copy[len] = '\0';
	out = kh_xcalloc(1, len + 1);
	len = 0;
	for (seg = strtok_r(copy, "/", &save); seg != NULL;
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
		memcpy(out + len, seg, strlen(seg));
		len += strlen(seg);
		out[len] = '\0';
	}
	free(copy);
	kh_buf_free(&b);
	return out;
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
	rp->rels = kh_xreallocarray(rp->rels, rp->n + 1, sizeof(*rp->rels));
	r = &rp->rels[rp->n++];
	r->id = kh_xstrdup(id);
	r->type = kh_xstrdup(type);
	r->external = mode != NULL && strcmp(mode, "External") == 0;
	r->target = r->external ? kh_xstrdup(target) :
	    resolve(rp->source, target);
}

int
kh_rel_is(const kh_rel *r, const char *name)
{
	const char *slash = strrchr(r->type, '/');

	return slash != NULL && strcmp(slash + 1, name) == 0;
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
		if (strcmp(pk->sets[i].part, part) == 0) {
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
	rp.source = part;
	if (kh_package_has(pk, name.s) &&
	    kh_xml_parse_part(pk, name.s, &h, &rp, &pk->lim, err) == -1) {
		for (i = 0; i < rp.n; i++) {
			free((char *)rp.rels[i].id);
			free((char *)rp.rels[i].type);
			free((char *)rp.rels[i].target);
		}
		free(rp.rels);
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

/* Content types: the Override of the main part says which format it is. */
struct ctparse {
	const char	*main;
	const char	*format;
};

static void
ct_start(void *ud, kh_xml *x, enum kh_ns ns, const char *local, size_t n,
    const kh_xml_attr *a)
{
	struct ctparse *cp = ud;
	const char *name, *type;

	if (ns != KH_NS_CT || strcmp(local, "Override") != 0)
		return;
	if ((name = attr(n, a, "PartName")) == NULL ||
	    (type = attr(n, a, "ContentType")) == NULL)
		return;
	if (name[0] == '/')
		name++;
	if (strcasecmp(name, cp->main) != 0)
		return;
	if (strstr(type, "macroEnabledTemplate") != NULL)
		cp->format = "dotm";
	else if (strstr(type, "macroEnabled") != NULL)
		cp->format = "docm";
	else if (strstr(type, "template.main") != NULL)
		cp->format = "dotx";
	else
		cp->format = "docx";
}

static int
find_main(kh_package *pk, kh_err *err)
{
	static const kh_xml_handler h = { ct_start, NULL, NULL };
	struct ctparse cp;
	const kh_rel *rels;
	size_t n, i;

	if (kh_package_rels(pk, "", &rels, &n, err) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (!rels[i].external && kh_rel_is(&rels[i], "officeDocument"))
			break;
	if (i == n) {
		kh_err_set(err, "zip archive without a main document part (no "
		    "officeDocument relationship in _rels/.rels)");
		return -1;
	}
	if (!kh_package_has(pk, rels[i].target)) {
		kh_err_set(err, "zip archive without a main document part "
		    "(%.200s is named in _rels/.rels but missing)",
		    rels[i].target);
		return -1;
	}
	pk->main = kh_xstrdup(rels[i].target);
	pk->strict = strncmp(rels[i].type, "http://purl.oclc.org/", 21) == 0;
	cp.main = pk->main;
	cp.format = "docx";
	if (kh_package_has(pk, "[Content_Types].xml") &&
	    kh_xml_parse_part(pk, "[Content_Types].xml", &h, &cp, &pk->lim,
	    err) == -1)
		return -1;
	pk->format = cp.format;
	return 0;
}

static kh_package *
open_bytes(kh_package *pk, kh_err *err)
{
	zip_source_t *src;
	zip_error_t ze;
	SHA2_CTX ctx;

	SHA256Init(&ctx);
	SHA256Update(&ctx, pk->data, pk->size);
	SHA256End(&ctx, pk->sha);
	if (pk->size == 0) {
		kh_err_set(err, "empty file");
		goto fail;
	}
	if (pk->size < 4 || memcmp(pk->data, "PK", 2) != 0) {
		name_format(pk->data, pk->size, err);
		goto fail;
	}
	if (check_directory(pk, err) == -1)
		goto fail;
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(pk->data, pk->size, 0, &ze)) ==
	    NULL || (pk->za = zip_open_from_source(src,
	    ZIP_RDONLY, &ze)) == NULL) {
		kh_err_set(err, "truncated or damaged zip archive: %s",
		    zip_error_strerror(&ze));
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&ze);
		goto fail;
	}
	zip_error_fini(&ze);
	if (find_main(pk, err) == -1)
		goto fail;
	return pk;
fail:
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
	pk->data = buf;
	pk->size = len;
	return open_bytes(pk, err);
}

kh_package *
kh_package_open(const char *path, const kh_limits *lim, kh_err *err)
{
	kh_package *pk;
	struct stat st;
	int fd;

	pk = kh_xcalloc(1, sizeof(*pk));
	pk->lim = *lim;
	if (strcmp(path, "-") == 0) {
		size_t cap = 1 << 16, len = 0;
		ssize_t n;

		pk->owned = kh_xmalloc(cap);
		while ((n = read(0, pk->owned + len, cap - len)) != 0) {
			if (n < 0) {
				if (errno == EINTR)
					continue;
				kh_err_set(err, "read error: %s",
				    strerror(errno));
				goto fail;
			}
			len += (size_t)n;
			if (len > lim->stdin_bytes) {
				kh_err_set(err, "standard input is larger than "
				    "the limit of %llu bytes (--max-stdin)",
				    (unsigned long long)lim->stdin_bytes);
				goto fail;
			}
			if (len == cap)
				pk->owned = kh_xrealloc(pk->owned, cap *= 2);
		}
		pk->data = pk->owned;
		pk->size = len;
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
	if (!S_ISREG(st.st_mode)) {
		kh_err_set(err, "not a regular file");
		close(fd);
		goto fail;
	}
	pk->size = (size_t)st.st_size;
	if (pk->size > 0) {
		pk->map = mmap(NULL, pk->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (pk->map == MAP_FAILED) {
			pk->map = NULL;
			kh_err_set(err, "%s", strerror(errno));
			close(fd);
			goto fail;
		}
		pk->data = pk->map;
	} else
		pk->data = (const unsigned char *)"";
	close(fd);
	return open_bytes(pk, err);
fail:
	kh_package_close(pk);
	return NULL;
}

void
kh_package_close(kh_package *pk)
{
	size_t i, k;

	if (pk == NULL)
		return;
	if (pk->za != NULL)
		zip_discard(pk->za);
	if (pk->map != NULL)
		munmap(pk->map, pk->size);
	free(pk->owned);
	for (i = 0; i < pk->nsets; i++) {
		for (k = 0; k < pk->sets[i].n; k++) {
			free((char *)pk->sets[i].rels[k].id);
			free((char *)pk->sets[i].rels[k].type);
			free((char *)pk->sets[i].rels[k].target);
		}
		free(pk->sets[i].rels);
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
