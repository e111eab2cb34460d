/*
 * xml.h: a SAX2 push parser over libxml2 made safe for hostile parts.
 *
 * A DOCTYPE is an error (OPC forbids DTDs), no entity is ever loaded or
 * substituted, nesting deeper than limits->xml_depth is an error, and
 * libxml2's own messages come back in the kh_err with the part and line.
 * Memory stays flat however large the part: the caller's handlers see
 * elements and text as they stream past.
 */
#ifndef KH_XML_H
#define KH_XML_H

#include <stddef.h>

#include "kh.h"
#include "package.h"

/*
 * The namespaces the tools understand; the transitional and Strict URIs of
 * one namespace map to one value.
 */
enum kh_ns {
	KH_NS_OTHER = 0,
	KH_NS_W,	/* wordprocessingml main */
	KH_NS_R,	/* officeDocument relationships (attributes r:id) */
	KH_NS_MC,	/* markup compatibility */
	KH_NS_WP,	/* wordprocessingDrawing */
	KH_NS_WPS,	/* wordprocessingShape (text boxes in DrawingML) */
	KH_NS_WPG,	/* wordprocessingGroup */
	KH_NS_A,	/* DrawingML main */
	KH_NS_V,	/* VML */
	KH_NS_O,	/* VML office */
	KH_NS_W10,
	KH_NS_W14,	/* Word 2010 extensions */
	KH_NS_W15,	/* Word 2012 extensions */
	KH_NS_M,	/* Office math */
	KH_NS_PKGREL,	/* package relationships */
	KH_NS_CT,	/* content types */
	KH_NS_CP,	/* core properties */
	KH_NS_DC,
	KH_NS_DCTERMS,
	KH_NS_XML,	/* the xml: prefix */
	KH_NS_NONE	/* no namespace */
};

enum kh_ns	 kh_ns_of(const char *uri);

typedef struct kh_xml_attr {
	enum kh_ns	 ns;
	const char	*local;
	const char	*value;		/* NUL-terminated copy */
} kh_xml_attr;

/* The value of attribute ns:local among a, or NULL. */
const char	*kh_xml_attr_value(size_t n, const kh_xml_attr *a, enum kh_ns ns,
		    const char *local);

typedef struct kh_xml kh_xml;

/*
 * Handlers; any may be NULL.  text may be called several times for one
 * text node.  A handler stops the parse by calling kh_xml_stop.
 */
typedef struct kh_xml_handler {
	void	(*start)(void *ud, kh_xml *, enum kh_ns, const char *local,
		    size_t nattr, const kh_xml_attr *);
	void	(*end)(void *ud, kh_xml *, enum kh_ns, const char *local);
	void	(*text)(void *ud, kh_xml *, const char *, size_t);
} kh_xml_handler;

/* The namespace an in-scope prefix stands for (for mc:Requires). */
enum kh_ns	 kh_xml_prefix_ns(kh_xml *, const char *prefix);
/* The URI an in-scope prefix stands for, NULL when none (for mc:Ignorable). */
const char	*kh_xml_prefix_uri(kh_xml *, const char *prefix);
/* The namespace URI of the element a start or end handler is given, "" for none. */
const char	*kh_xml_uri(kh_xml *);
/* The current line of the part being parsed. */
long		 kh_xml_line(kh_xml *);
/* Stop the parse with an error; the message is formatted into the parse's err. */
void		 kh_xml_stop(kh_xml *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* Parse part of pkg.  Returns 0, or -1 with err set (part, line, message). */
int	kh_xml_parse_part(kh_package *, const char *part,
	    const kh_xml_handler *, void *ud, const kh_limits *, kh_err *);
/* Parse a buffer; name stands for the part in messages. */
int	kh_xml_parse_mem(const char *buf, size_t len, const char *name,
	    const kh_xml_handler *, void *ud, const kh_limits *, kh_err *);

/* Install the deny-all external entity loader; idempotent, called by the parse functions. */
void	kh_xml_init(void);

#endif
