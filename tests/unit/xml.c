/*
 * Unit tests of lib/xml.c: the events a part gives, and every hostile
 * construct refused with a message naming the part and line.
 */
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "xml.h"
#include "t.h"

/* The events of a parse written out as one string: <w:p a=v>text</w:p>. */
struct trace {
	kh_buf	 out;
	char	 prefix_ns[64];
	char	 uri[128];
	int	 stop_at;	/* stop at the element with this depth, 0 never */
	int	 depth;
};

static const char *
ns_name(enum kh_ns ns)
{
	switch (ns) {
	case KH_NS_W:
		return "w";
	case KH_NS_MC:
		return "mc";
	case KH_NS_R:
		return "r";
	case KH_NS_XML:
		return "xml";
	case KH_NS_NONE:
		return "";
	default:
		return "?";
	}
}

static void
t_start(void *ud, kh_xml *x, enum kh_ns ns, const char *local, size_t n,
    const kh_xml_attr *a)
{
	struct trace *t = ud;
	const char *u;
	size_t i;

	kh_buf_printf(&t->out, "<%s:%s", ns_name(ns), local);
	for (i = 0; i < n; i++)
		kh_buf_printf(&t->out, " %s:%s=%s", ns_name(a[i].ns),
		    a[i].local, a[i].value);
	kh_buf_adds(&t->out, ">");
	if (strcmp(local, "probe") == 0) {
		snprintf(t->prefix_ns, sizeof(t->prefix_ns), "%s %s %d",
		    ns_name(kh_xml_prefix_ns(x, "w")),
		    ns_name(kh_xml_prefix_ns(x, "x")),
		    kh_xml_prefix_uri(x, "nope") == NULL);
		u = kh_xml_prefix_uri(x, "x");
		snprintf(t->uri, sizeof(t->uri), "%s|%s", u ? u : "(null)",
		    kh_xml_uri(x));
	}
	if (++t->depth == t->stop_at)
		kh_xml_stop(x, "stopped by the handler at line %ld",
		    kh_xml_line(x));
}

static void
t_end(void *ud, kh_xml *x, enum kh_ns ns, const char *local)
{
	struct trace *t = ud;

	t->depth--;
	kh_buf_printf(&t->out, "</%s:%s>", ns_name(ns), local);
}

static void
t_text(void *ud, kh_xml *x, const char *s, size_t n)
{
	struct trace *t = ud;

	kh_buf_add(&t->out, s, n);
}

static const kh_xml_handler handler = { t_start, t_end, t_text };

/* Parse doc; returns the trace, or "ERR part:line: message". */
static char *
run(const char *doc, uint64_t depth, struct trace *t)
{
	kh_limits lim;
	kh_err err;
	char *r, msg[700];

	kh_limits_default(&lim);
	if (depth > 0)
		lim.xml_depth = depth;
	kh_err_clear(&err);
	kh_buf_adds(&t->out, "");
	if (kh_xml_parse_mem(doc, strlen(doc), "word/document.xml", &handler,
	    t, &lim, &err) == -1) {
		kh_err_format(&err, msg, sizeof(msg));
		r = kh_xmalloc(strlen(msg) + 5);
		snprintf(r, strlen(msg) + 5, "ERR %s", msg);
	} else
		r = kh_xstrdup(t->out.s);
	kh_buf_free(&t->out);
	return r;
}

static void
check(const char *doc, uint64_t depth, const char *want, const char *what)
{
	struct trace t;
	char *got;

	memset(&t, 0, sizeof(t));
	got = run(doc, depth, &t);
	T_STREQ(got, want, "%s", what);
	free(got);
}

static char *
nested(int n)
{
	kh_buf b = KH_BUF_INIT;
	int i;

	for (i = 0; i < n; i++)
		kh_buf_adds(&b, "<a>");
	for (i = 0; i < n; i++)
		kh_buf_adds(&b, "</a>");
	return b.s;
}

#define W "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define WS "xmlns:w=\"http://purl.oclc.org/ooxml/wordprocessingml/main\""

int
main(void)
{
	struct trace t;
	kh_buf big = KH_BUF_INIT;
	char *doc, *got;
	size_t i;

	kh_setprogname("xml");

	/* What a well-formed part gives. */
	check("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	    "<w:p " W "><w:t xml:space=\"preserve\"> a &amp; b &#x1EC7; </w:t></w:p>",
	    0, "<w:p><w:t xml:space=preserve> a & b \xe1\xbb\x87 </w:t></w:p>",
	    "elements, attributes, predefined and character references");
	check("<w:p " WS " w:rsid=\"1\"><![CDATA[<x>]]>\n  </w:p>", 0,
	    "<w:p w:rsid=1><x>\n  </w:p>",
	    "Strict namespace maps to w; CDATA and blank text delivered");
	check("<r xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"/>",
	    0, "<r:r></r:r>", "default namespace");
	check("<x:a xmlns:x=\"urn:other\"/>", 0, "<?:a></?:a>",
	    "an unknown namespace is other");

	{
		kh_xml_attr at[2] = { { KH_NS_W, "val", "1" },
		    { KH_NS_NONE, "Requires", "wps" } };

		T_STREQ(kh_xml_attr_value(2, at, KH_NS_NONE, "Requires"), "wps",
		    "attribute found by namespace and name");
		T_CHECK(kh_xml_attr_value(2, at, KH_NS_NONE, "val") == NULL,
		    "attribute of another namespace not found");
	}

	/* Prefixes in scope. */
	memset(&t, 0, sizeof(t));
	got = run("<w:d " W "><x:b xmlns:x=\"urn:mine\"><w:probe/></x:b></w:d>",
	    0, &t);
	free(got);
	T_STREQ(t.prefix_ns, "w ? 1", "prefixes resolve to their namespaces");
	T_STREQ(t.uri, "urn:mine|http://schemas.openxmlformats.org/wordprocessingml/2006/main",
	    "prefix URI and element URI");

	/* Hostile and broken parts. */
	check("<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY a \"aaaa\">]>\n<d>&a;</d>",
	    0, "ERR word/document.xml:2: DTD not allowed in a package part (OPC)",
	    "a DTD is refused before its entities");
	check("<!DOCTYPE d SYSTEM \"file:///etc/passwd\"><d/>", 0,
	    "ERR word/document.xml:1: DTD not allowed in a package part (OPC)",
	    "an external DTD is refused");
	check("<d>&undefined;</d>", 0,
	    "ERR word/document.xml:1: undefined entity &undefined;",
	    "an undefined entity is an error");
	check("<d>\n<e></d>", 0,
	    "ERR word/document.xml:2: malformed XML: opening and ending tag mismatch: e line 2 and d",
	    "malformed XML names the line");
	check("<d>\xff</d>", 0,
	    "ERR word/document.xml:1: malformed XML: input is not proper UTF-8, indicate encoding",
	    "bad UTF-8 is an error");
	check("<d><e>abc", 0, "ERR word/document.xml:1: malformed XML: the part ends "
	    "inside an element (truncated)", "a truncated part is an error");
	check("", 0, "ERR word/document.xml:1: malformed XML: no root element "
	    "(an empty or truncated part)", "an empty part is an error");
	check("<d/><e/>", 0, "ERR word/document.xml:1: malformed XML: extra content "
	    "at the end of the document", "a second root is an error");

	doc = nested(10);
	check(doc, 9, "ERR word/document.xml:1: elements nested deeper than 9 (--max-depth)",
	    "depth limit names the option");
	check(doc, 10, "<:a><:a><:a><:a><:a><:a><:a><:a><:a><:a>"
	    "</:a></:a></:a></:a></:a></:a></:a></:a></:a></:a>",
	    "depth at the limit is fine");
	free(doc);
	/* The push parser has no depth limit of its own: ours is the one. */
	doc = nested(5000);
	memset(&t, 0, sizeof(t));
	got = run(doc, 10000, &t);
	T_CHECK(strncmp(got, "<:a><:a>", 8) == 0, "--max-depth can be raised past 256");
	free(got);
	check(doc, 4999, "ERR word/document.xml:1: elements nested deeper than 4999 (--max-depth)",
	    "a raised depth limit still holds");
	free(doc);

	/* A handler's stop is final, whatever libxml2 thinks of the rest. */
	memset(&t, 0, sizeof(t));
	t.stop_at = 2;
	got = run("<d>\n<e><f/></e></d>", 0, &t);
	T_STREQ(got, "ERR word/document.xml:2: stopped by the handler at line 2",
	    "kh_xml_stop ends the parse with its message");
	free(got);

	/* A large part streams through in pieces. */
	kh_buf_adds(&big, "<d>");
	for (i = 0; i < 300000; i++)
		kh_buf_adds(&big, "<e>0123456789</e>");
	kh_buf_adds(&big, "</d>");
	memset(&t, 0, sizeof(t));
	got = run(big.s, 0, &t);
	T_CHECK(strlen(got) == 4 + 300000 * 19 + 5,
	    "a 5 MB part is read whole (%zu bytes of trace)", strlen(got));
	free(got);
	kh_buf_free(&big);
	return t_done();
}
