/*
 * floor: the least any .docx text extractor must do, as a yardstick for
 * khextract: for each file, inflate word/document.xml with libzip and feed
 * it to a libxml2 SAX2 push parser whose handlers do nothing.  Prints the
 * number of documents and of XML bytes parsed.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <zip.h>

static void
on_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattr, int ndef,
    const xmlChar **attrs)
{
	(void)ctx; (void)local; (void)prefix; (void)uri; (void)nns; (void)ns;
	(void)nattr; (void)ndef; (void)attrs;
}

static void
on_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri)
{
	(void)ctx; (void)local; (void)prefix; (void)uri;
}

static void
on_text(void *ctx, const xmlChar *s, int len)
{
	(void)ctx; (void)s; (void)len;
}

int
main(int argc, char *argv[])
{
	xmlSAXHandler sax;
	unsigned long long bytes = 0;
	char buf[65536];
	int i, docs = 0, status = 0;

	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	for (i = 1; i < argc; i++) {
		zip_t *za;
		zip_file_t *zf;
		xmlParserCtxtPtr ctxt;
		zip_int64_t n;
		int err;

		if ((za = zip_open(argv[i], ZIP_RDONLY, &err)) == NULL ||
		    (zf = zip_fopen(za, "word/document.xml", 0)) == NULL) {
			fprintf(stderr, "floor: %s: cannot open\n", argv[i]);
			if (za != NULL)
				zip_close(za);
			status = 2;
			continue;
		}
		ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, argv[i]);
		while ((n = zip_fread(zf, buf, sizeof(buf))) > 0) {
			bytes += (unsigned long long)n;
			xmlParseChunk(ctxt, buf, (int)n, 0);
		}
		xmlParseChunk(ctxt, NULL, 0, 1);
		xmlFreeParserCtxt(ctxt);
		zip_fclose(zf);
		zip_close(za);
		docs++;
	}
	printf("%d documents, %llu bytes of XML\n", docs, bytes);
	return status;
}
