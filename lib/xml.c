/*
 * xml.c: a SAX2 push parser over libxml2 made safe for hostile parts
 * (security.md of the design notes has the facts this relies on).
 *
 * A push parser sees a DOCTYPE before its internal subset is parsed, so a
 * DTD is refused before any entity can be declared; no entity is ever
 * substituted or loaded; depth is counted here; and because libxml2 can
 * claim a stopped parse was well formed, the outcome is our own flag.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "kh.h"
#include "xml.h"

struct ns_map {
	const char	*uri;
	enum kh_ns	 ns;
};

/* Transitional and Strict URIs of one namespace map to one value. */
static const struct ns_map ns_maps[] = {
	{ "http://schemas.openxmlformats.org/wordprocessingml/2006/main", KH_NS_W },
	{ "http://purl.oclc.org/ooxml/wordprocessingml/main", KH_NS_W },
	{ "http://schemas.openxmlformats.org/officeDocument/2006/relationships", KH_NS_R },
	{ "http://purl.oclc.org/ooxml/officeDocument/relationships", KH_NS_R },
	{ "http://schemas.openxmlformats.org/markup-compatibility/2006", KH_NS_MC },
	{ "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing", KH_NS_WP },
	{ "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing", KH_NS_WP },
	{ "http://schemas.microsoft.com/office/word/2010/wordprocessingShape", KH_NS_WPS },
	{ "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup", KH_NS_WPG },
	{ "http://schemas.openxmlformats.org/drawingml/2006/main", KH_NS_A },
	{ "http://purl.oclc.org/ooxml/drawingml/main", KH_NS_A },
	{ "urn:schemas-microsoft-com:vml", KH_NS_V },
	{ "urn:schemas-microsoft-com:office:office", KH_NS_O },
	{ "urn:schemas-microsoft-com:office:word", KH_NS_W10 },
	{ "http://schemas.microsoft.com/office/word/2010/wordml", KH_NS_W14 },
	{ "http://schemas.microsoft.com/office/word/2012/wordml", KH_NS_W15 },
	{ "http://schemas.openxmlformats.org/officeDocument/2006/math", KH_NS_M },
	{ "http://purl.oclc.org/ooxml/officeDocument/math", KH_NS_M },
	{ "http://schemas.openxmlformats.org/package/2006/relationships", KH_NS_PKGREL },
	{ "http://schemas.openxmlformats.org/package/2006/content-types", KH_NS_CT },
	{ "http://schemas.openxmlformats.org/package/2006/metadata/core-properties", KH_NS_CP },
	{ "http://purl.org/dc/elements/1.1/", KH_NS_DC },
	{ "http://purl.org/dc/terms/", KH_NS_DCTERMS },
	{ "http://www.w3.org/XML/1998/namespace", KH_NS_XML },
};

enum kh_ns
kh_ns_of(const char *uri)
{
	size_t i;

	if (uri == NULL || *uri == '\0')
		return KH_NS_NONE;
	for (i = 0; i < sizeof(ns_maps) / sizeof(ns_maps[0]); i++)
		if (strcmp(uri, ns_maps[i].uri) == 0)
			return ns_maps[i].ns;
	return KH_NS_OTHER;
}

const char *
kh_xml_attr_value(size_t n, const kh_xml_attr *a, enum kh_ns ns,
    const char *local)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i].ns == ns && strcmp(a[i].local, local) == 0)
			return a[i].value;
	return NULL;
}

struct prefix {
	char		*prefix;
	char		*uri;
	enum kh_ns	 ns;
	size_t		 depth;		/* declared at this depth */
};

struct kh_xml {
	xmlParserCtxtPtr	 ctxt;
	const kh_xml_handler	*h;
	void			*ud;
	const kh_limits		*lim;
	kh_err			*err;
	const char		*name;
	size_t			 depth;
	const char		*uri;		/* of the element in a handler */
	int			 failed;	/* our own flag: libxml2's may lie */
	int			 root;		/* an element was seen */
	int			 ending;	/* the input is all given */
	struct prefix		*pfx;
	size_t			 npfx, cpfx;
	kh_xml_attr		*attrs;
	size_t			 cattrs;
	kh_buf			 values;	/* attribute values, NUL-separated */
};

static xmlParserInputPtr
deny_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	/* Nothing outside the package is ever read. */
	return NULL;
}

/*
 * Every message of a parse reaches us through the parser's own handler;
 * whatever libxml2 would print outside a parse goes nowhere, because
 * library code never writes to the user's terminal.
 */
static void
silent(void *ctx, const char *fmt, ...)
{
}

static void
silent_structured(void *ctx, xmlErrorPtr e)
{
}

void
kh_xml_init(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	xmlInitParser();
	xmlSetExternalEntityLoader(deny_loader);
	xmlSetGenericErrorFunc(NULL, silent);
	xmlSetStructuredErrorFunc(NULL, silent_structured);
}

static void
xml_fail(kh_xml *x, const char *fmt, va_list ap)
{
	if (x->failed)
		return;
	x->failed = 1;
	kh_err_vset(x->err, fmt, ap);
	snprintf(x->err->part, sizeof(x->err->part), "%s", x->name);
	x->err->line = x->ctxt != NULL ? xmlSAX2GetLineNumber(x->ctxt) : 0;
	if (x->ctxt != NULL)
		xmlStopParser(x->ctxt);
}

void
kh_xml_stop(kh_xml *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xml_fail(x, fmt, ap);
	va_end(ap);
}

long
kh_xml_line(kh_xml *x)
{
	return x->ctxt != NULL ? xmlSAX2GetLineNumber(x->ctxt) : 0;
}

enum kh_ns
kh_xml_prefix_ns(kh_xml *x, const char *prefix)
{
	size_t i;

	for (i = x->npfx; i > 0; i--)
		if (strcmp(x->pfx[i - 1].prefix, prefix) == 0)
			return x->pfx[i - 1].ns;
	return KH_NS_OTHER;
}

const char *
kh_xml_prefix_uri(kh_xml *x, const char *prefix)
{
	size_t i;

	for (i = x->npfx; i > 0; i--)
		if (strcmp(x->pfx[i - 1].prefix, prefix) == 0)
			return x->pfx[i - 1].uri;
	return NULL;
}

const char *
kh_xml_uri(kh_xml *x)
{
	return x->uri != NULL ? x->uri : "";
}

static void
on_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **nss, int nattr, int ndef,
    const xmlChar **attrs)
{
	kh_xml *x = ((xmlParserCtxtPtr)ctx)->_private;
	size_t off;
	int k;

	if (x->failed)
		return;
	x->root = 1;
	/*
	 * libxml2's push parser does not apply its own depth limit (its
	 * pull parser's 256): this count is the only one.
	 */
	if (++x->depth > x->lim->xml_depth) {
		kh_xml_stop(x, "elements nested deeper than %llu (--max-depth)",
		    (unsigned long long)x->lim->xml_depth);
		return;
	}

	for (k = 0; k < nns; k++) {
		if (x->npfx == x->cpfx) {
			x->cpfx = x->cpfx ? x->cpfx * 2 : 16;
			x->pfx = kh_xreallocarray(x->pfx, x->cpfx,
			    sizeof(*x->pfx));
		}
		x->pfx[x->npfx].prefix = kh_xstrdup(nss[2 * k] != NULL ?
		    (const char *)nss[2 * k] : "");
		x->pfx[x->npfx].uri = kh_xstrdup(nss[2 * k + 1] != NULL ?
		    (const char *)nss[2 * k + 1] : "");
		x->pfx[x->npfx].ns = kh_ns_of((const char *)nss[2 * k + 1]);
		x->pfx[x->npfx].depth = x->depth;
		x->npfx++;
	}
	if (x->h->start == NULL)
		return;
	if ((size_t)nattr > x->cattrs) {
		x->cattrs = (size_t)nattr;
		x->attrs = kh_xreallocarray(x->attrs, x->cattrs,
		    sizeof(*x->attrs));
	}
	/* Values come as (start, end) pairs, not NUL-terminated: copy them. */
	kh_buf_reset(&x->values);
	for (k = 0; k < nattr; k++) {
		const xmlChar **a = attrs + 5 * k;

		kh_buf_add(&x->values, a[3], (size_t)(a[4] - a[3]));
		kh_buf_addc(&x->values, '\0');
	}
	for (k = 0, off = 0; k < nattr; k++) {
		const xmlChar **a = attrs + 5 * k;

		x->attrs[k].ns = kh_ns_of((const char *)a[2]);
		x->attrs[k].local = (const char *)a[0];
		x->attrs[k].value = x->values.s + off;
		off += (size_t)(a[4] - a[3]) + 1;
	}
	x->uri = (const char *)uri;
	x->h->start(x->ud, x, kh_ns_of((const char *)uri),
	    (const char *)local, (size_t)nattr, x->attrs);
	x->uri = NULL;
}

static void
on_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri)
{
	kh_xml *x = ((xmlParserCtxtPtr)ctx)->_private;

	if (x->failed)
		return;
	if (x->h->end != NULL) {
		x->uri = (const char *)uri;
		x->h->end(x->ud, x, kh_ns_of((const char *)uri),
		    (const char *)local);
		x->uri = NULL;
	}
	while (x->npfx > 0 && x->pfx[x->npfx - 1].depth == x->depth) {
		free(x->pfx[x->npfx - 1].prefix);
		free(x->pfx[x->npfx - 1].uri);
		x->npfx--;
	}
	x->depth--;
}

static void
on_text(void *ctx, const xmlChar *s, int len)
{
	kh_xml *x = ((xmlParserCtxtPtr)ctx)->_private;

	if (!x->failed && x->h->text != NULL)
		x->h->text(x->ud, x, (const char *)s, (size_t)len);
}

static void
on_dtd(void *ctx, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	kh_xml *x = ((xmlParserCtxtPtr)ctx)->_private;

	kh_xml_stop(x, "DTD not allowed in a package part (OPC)");
}

/*
 * A declaration can only come from a DTD, which on_dtd has refused before
 * its subset is parsed; these handlers make sure nothing declared is kept
 * should libxml2 ever call them anyway.
 */
static void
on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *pid,
    const xmlChar *sid, xmlChar *content)
{
	on_dtd(ctx, name, pid, sid);
}

static void
on_unparsed_decl(void *ctx, const xmlChar *name, const xmlChar *pid,
    const xmlChar *sid, const xmlChar *notation)
{
	on_dtd(ctx, name, pid, sid);
}

static void
on_notation_decl(void *ctx, const xmlChar *name, const xmlChar *pid,
    const xmlChar *sid)
{
	on_dtd(ctx, name, pid, sid);
}

static void
on_element_decl(void *ctx, const xmlChar *name, int type,
    xmlElementContentPtr content)
{
	on_dtd(ctx, name, NULL, NULL);
}

static void
on_attribute_decl(void *ctx, const xmlChar *elem, const xmlChar *name,
    int type, int def, const xmlChar *dflt, xmlEnumerationPtr tree)
{
	xmlFreeEnumeration(tree);	/* ours to free, says SAX2 */
	on_dtd(ctx, name, NULL, NULL);
}

static xmlEntityPtr
on_entity(void *ctx, const xmlChar *name)
{
	kh_xml *x = ((xmlParserCtxtPtr)ctx)->_private;

	/* Only the five predefined entities exist without a DTD. */
	kh_xml_stop(x, "undefined entity &%s;", (const char *)name);
	return NULL;
}

static void
on_error(void *ctx, xmlErrorPtr e)
{
	kh_xml *x = ((xmlParserCtxtPtr)ctx)->_private;
	char msg[256];
	size_t n;

	if (x->failed || e == NULL || e->level < XML_ERR_ERROR)
		return;
	/*
	 * At the end of the input libxml2 2.9's push parser calls a part
	 * that stops short "extra content at the end of the document": say
	 * what is wrong instead.
	 */
	if (x->ending && !x->root) {
		kh_xml_stop(x, "malformed XML: no root element (an empty or "
		    "truncated part)");
		return;
	}
	if (x->ending && x->depth > 0) {
		kh_xml_stop(x, "malformed XML: the part ends inside an element "
		    "(truncated)");
		return;
	}
	snprintf(msg, sizeof(msg), "%s", e->message != NULL ? e->message :
	    "XML error");
	/* libxml2 continues some messages on a second line: keep the first. */
	msg[strcspn(msg, "\n")] = '\0';
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '!' || msg[n - 1] == ',' ||
	    msg[n - 1] == ' '))
		msg[--n] = '\0';
	/* libxml2 capitalizes its messages; ours are lower-case. */
	if (msg[0] >= 'A' && msg[0] <= 'Z' && !(msg[1] >= 'A' && msg[1] <= 'Z'))
		msg[0] = (char)(msg[0] - 'A' + 'a');
	kh_xml_stop(x, "malformed XML: %s", msg);
	if (e->line > 0)
		x->err->line = e->line;
}

static int
feed(void *ud, const char *buf, size_t len, kh_err *err)
{
	kh_xml *x = ud;

	if (x->failed)
		return -1;
	/* xmlParseChunk takes an int; chunks from the package are small. */
	while (len > 0) {
		int n = len > (1u << 20) ? 1 << 20 : (int)len;

		xmlParseChunk(x->ctxt, buf, n, 0);
		if (x->failed)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
parse(kh_package *pkg, const char *buf, size_t len, const char *name,
    const kh_xml_handler *h, void *ud, const kh_limits *lim, kh_err *err)
{
	xmlSAXHandler sax;
	kh_xml x;
	size_t i;
	int rc;

	kh_xml_init();
	memset(&x, 0, sizeof(x));
	x.h = h;
	x.ud = ud;
	x.lim = lim;
	x.err = err;
	x.name = name;
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.cdataBlock = on_text;
	sax.internalSubset = on_dtd;
	sax.externalSubset = on_dtd;
	sax.entityDecl = on_entity_decl;
	sax.unparsedEntityDecl = on_unparsed_decl;
	sax.notationDecl = on_notation_decl;
	sax.elementDecl = on_element_decl;
	sax.attributeDecl = on_attribute_decl;
	sax.getEntity = on_entity;
	sax.getParameterEntity = on_entity;
	sax.serror = on_error;
	x.ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, name);
	if (x.ctxt == NULL) {
		kh_err_set(err, "cannot create an XML parser");
		return -1;
	}
	/* No option that loads, substitutes or validates anything. */
	xmlCtxtUseOptions(x.ctxt, XML_PARSE_NONET);
	x.ctxt->_private = &x;
	x.ctxt->sax->serror = on_error;
	x.ctxt->sax->getEntity = on_entity;
	if (pkg != NULL)
		rc = kh_package_read(pkg, name, feed, &x, err);
	else
		rc = feed(&x, buf, len, err);
	if (rc == 0 && !x.failed) {
		x.ending = 1;
		xmlParseChunk(x.ctxt, NULL, 0, 1);
	}
	if (!x.failed && (!x.ctxt->wellFormed || x.ctxt->errNo != 0)) {
		kh_xml_stop(&x, "malformed XML");
	}
	if (rc == -1 && !x.failed)
		x.failed = 1;	/* the package said why */
	xmlFreeParserCtxt(x.ctxt);
	for (i = 0; i < x.npfx; i++) {
		free(x.pfx[i].prefix);
		free(x.pfx[i].uri);
	}
	free(x.pfx);
	free(x.attrs);
	kh_buf_free(&x.values);
	return x.failed ? -1 : 0;
}

int
kh_xml_parse_part(kh_package *pkg, const char *part,
    const kh_xml_handler *h, void *ud, const kh_limits *lim, kh_err *err)
{
	return parse(pkg, NULL, 0, part, h, ud, lim, err);
}

int
kh_xml_parse_mem(const char *buf, size_t len, const char *name,
    const kh_xml_handler *h, void *ud, const kh_limits *lim, kh_err *err)
{
	return parse(NULL, buf, len, name, h, ud, lim, err);
}
