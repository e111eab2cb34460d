/*
 * Unit tests of the WordprocessingML reader (lib/wml.c and its tables):
 * each fixture $FIX/NAME.docx read and shown one line a paragraph,
 * "P story style label|text", compared with what Word shows.
 *
 * Given arguments it is the dumper the golden cases and a curious
 * engineer use:  wml [-ov] [-m max-para] FILE.docx ...
 *   -o  the original view (tracked changes rejected)
 *   -v  each line ends with {outline heading bold italic table/table_no
 *       row cell list/level}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kh.h"
#include "docx.h"
#include "package.h"
#include "t.h"

#define ORIGINAL	1
#define VERBOSE		2

struct dump {
	kh_buf	 out;
	int	 flags;
	FILE	*fp;	/* write each line at once (a large document) */
};

static void
flush(struct dump *d)
{
	if (d->fp != NULL) {
		fwrite(d->out.s, 1, d->out.len, d->fp);
		kh_buf_reset(&d->out);
	}
}

static void
escaped(kh_buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\n')
			kh_buf_adds(b, "\\n");
		else if (s[i] == '\t')
			kh_buf_adds(b, "\\t");
		else if (s[i] == '\\')
			kh_buf_adds(b, "\\\\");
		else
			kh_buf_addc(b, s[i]);
}

static int
on_para(void *ud, const kh_para *p, kh_err *err)
{
	struct dump *d = ud;

	kh_buf_printf(&d->out, "%ld %s %s %s|", p->index,
	    kh_story_name(p->story), p->style[0] ? p->style : "-",
	    p->label[0] ? p->label : "-");
	escaped(&d->out, p->text, p->len);
	if (d->flags & VERBOSE)
		kh_buf_printf(&d->out, " {o%d h%d b%d i%d t%d/%d r%d c%d l%d/%d}",
		    p->outline, p->heading, p->bold, p->italic, p->table,
		    p->table_no, p->row, p->cell, p->list, p->num_level);
	kh_buf_addc(&d->out, '\n');
	flush(d);
	return 0;
}

static void
on_diag(void *ud, const kh_loc *loc, const char *severity, const char *rule,
    const char *message)
{
	struct dump *d = ud;

	kh_buf_printf(&d->out, "diag %ld %s %s: %s\n", loc->para, severity,
	    rule, message);
	flush(d);
}

static int dump_failed;

/*
 * The dump of path, or "ERR message" when it cannot be read; written to
 * fp as it goes when fp is not NULL.
 */
static char *
dump(const char *path, int flags, uint64_t max_para, FILE *fp)
{
	struct dump d;
	kh_docx_opts opts;
	kh_docx_cb cb = { on_para, on_diag, &d };
	kh_package *pkg;
	kh_err err;
	char msg[800];

	memset(&d, 0, sizeof(d));
	d.flags = flags;
	d.fp = fp;
	kh_buf_adds(&d.out, "");
	memset(&opts, 0, sizeof(opts));
	kh_limits_default(&opts.limits);
	if (max_para > 0)
		opts.limits.para_bytes = max_para;
	opts.original = (flags & ORIGINAL) != 0;
	kh_err_clear(&err);
	if ((pkg = kh_package_open(path, &opts.limits, &err)) == NULL ||
	    kh_docx_read(pkg, &opts, &cb, &err) == -1) {
		kh_err_format(&err, msg, sizeof(msg));
		kh_buf_printf(&d.out, "ERR %s\n", msg);
		dump_failed = 1;
	}
	kh_package_close(pkg);
	flush(&d);
	return d.out.s;
}

static int
dumper(int argc, char **argv)
{
	uint64_t max_para = 0;
	kh_err err;
	char *s;
	int c, flags = 0, rc = 0;

	while ((c = getopt(argc, argv, "m:ov")) != -1)
		switch (c) {
		case 'm':
			if (kh_parse_size(optarg, &max_para, &err) == -1) {
				fprintf(stderr, "wml: %s\n", err.msg);
				return 2;
			}
			break;
		case 'o':
			flags |= ORIGINAL;
			break;
		case 'v':
			flags |= VERBOSE;
			break;
		default:
			fprintf(stderr, "usage: wml [-ov] [-m max-para] "
			    "file.docx ...\n");
			return 2;
		}
	for (; optind < argc; optind++) {
		s = dump(argv[optind], flags, max_para, stdout);
		free(s);
		if (dump_failed)
			rc = 1;
		if (fflush(stdout) == EOF || ferror(stdout))
			rc = 2;
	}
	return rc;
}

static const char *fix;

static void
expect(const char *name, int flags, const char *want)
{
	char path[1024], *got;

	snprintf(path, sizeof(path), "%s/%s.docx", fix, name);
	got = dump(path, flags, 0, NULL);
	T_STREQ(got, want, "%s%s%s", name, flags & ORIGINAL ? " (original)" :
	    "", flags & VERBOSE ? " (verbose)" : "");
	free(got);
}

int
main(int argc, char **argv)
{
	char path[1024], *got;

	kh_setprogname("wml");
	if (argc > 1)
		return dumper(argc, argv);
	if ((fix = getenv("FIX")) == NULL) {
		printf("not ok - FIX is not set: run through tests/run\n");
		return 0;
	}
	/* What Word shows, fixture by fixture (tests/fixtures/docx/NAME). */
	/* whitespace, tabs, breaks, hyphens, symbols, math */
	expect("chars", 0,
	    "1 body Normal -|Điều   1 kept a b\n"
	    "2 body Normal -|a\\tb\\tc\n"
	    "3 body Normal -|line1\\nline2\\nline3\\nline4\n"
	    "4 body Normal -|before\\nafter\\nend\n"
	    "5 body Normal -|\n"
	    "6 body Normal -|alone\n"
	    "7 body Normal -|e-mailbox\n"
	    "8 body Normal -|•αΔ≥1✓◻—\n"
	    "diag 9 note sym-unmapped: symbol 21 of font Wingdings has no Unicode equivalent here: kept as U+F021\n"
	    "diag 9 note sym-font-unknown: symbol U+F041 of font 'MyDingbats' is kept as it is: its glyph is not known\n"
	    "9 body Normal -|\xef\x80\xa1\xef\x80\xa1\xef\x81\x81.\n"
	    "10 body Normal -|Math: x=1\n"
	    "11 body Normal -|α≥\xef\x83\xb0 KẾ HOẠCH SỐ\n"
	    "12 body Normal -|Đầu dòng chữ hoa\n");
	/* runs joined across every wrapper */
	expect("runs", 0,
	    "1 body Normal -|Kế hoạch số 15/KH-SXD ngày 10/01/2022 của Sở Xây dựng\n"
	    "2 body Normal -|Block sdt one\n"
	    "3 body Normal -|Nested sdt placeholder\n"
	    "4 table Normal -|Row sdt\n"
	    "5 table Normal -|Cell sdt\n"
	    "6 body Normal -|deeply wrapped\n");
	/* tracked changes accepted */
	expect("changes", VERBOSE,
	    "1 body Normal -|This is inserted text. {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "2 body Normal -|from here {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "3 body Normal -|Moved to here {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "4 body heading 1 -|Joined paragraph {o0 h1 b-1 i0 t0/0 r0 c0 l0/-1}\n"
	    "5 body Normal -|Split  {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "6 body Normal -|in two {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "7 body heading 1 -|Restyled {o0 h1 b1 i0 t0/0 r0 c0 l0/-1}\n"
	    "8 body Normal -|Made bold {o-1 h0 b1 i0 t0/0 r0 c0 l0/-1}\n"
	    "9 body Normal -|Before a table {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "10 table Normal -|Row kept {o-1 h0 b0 i0 t1/1 r0 c0 l0/-1}\n"
	    "11 table Normal -|Row inserted {o-1 h0 b0 i0 t1/1 r1 c0 l0/-1}\n"
	    "12 table Normal -|Last row {o-1 h0 b0 i0 t1/1 r2 c0 l0/-1}\n"
	    "13 body Normal -|Field  gone {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "14 body Normal -|Last paragraph stands {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n");
	/* tracked changes rejected */
	expect("changes", ORIGINAL | VERBOSE,
	    "1 body Normal -|This is deleted text. {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "2 body Normal -|Moved from here {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "3 body Normal -|to here {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "4 body Normal -|Joined  {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "5 body heading 1 -|paragraph {o0 h1 b1 i0 t0/0 r0 c0 l0/-1}\n"
	    "6 body Normal -|Split in two {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "7 body Normal -|Restyled {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "8 body Normal -|Made bold {o-1 h0 b0 i1 t0/0 r0 c0 l0/-1}\n"
	    "9 body Normal -|Before a table {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "10 table Normal -|Row kept {o-1 h0 b0 i0 t1/1 r0 c0 l0/-1}\n"
	    "11 table Normal -|Row deleted {o-1 h0 b0 i0 t1/1 r1 c0 l0/-1}\n"
	    "12 table Normal -|Last row {o-1 h0 b0 i0 t1/1 r2 c0 l0/-1}\n"
	    "13 body Normal -|Field 7 gone {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "14 body Normal -|Last paragraph stands {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n");
	/* fields show their result only */
	expect("fields", 0,
	    "1 body Normal -|Xem kết quả.\n"
	    "2 body Normal -|AyB\n"
	    "3 body Normal -|trang 7\n"
	    "4 body Normal -|Mục 1\n"
	    "5 body Normal -|Mục 2\n"
	    "6 body Normal -|Index entry\n"
	    "7 body Normal -|25/11/2026\n"
	    "8 body Normal -|Unended end\n");
	/* one branch, text boxes where they stand, mc:Ignorable */
	expect("altcontent", VERBOSE,
	    "1 body Normal -|Anchor after {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "2 textbox Normal -|Box (choice) {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "3 body Normal -|Second anchor {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "4 textbox Normal -|Fallback used {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "5 body Normal -|Outer tail {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "6 textbox Normal -|Box one {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "7 textbox Normal -|Box two {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "8 textbox Normal -|Inner box {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "9 textbox Normal -|Box three {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "10 body Normal -|VML only {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "11 textbox Normal -|VML box {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "12 body Normal -|unknown kept {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "13 table Normal -|Cell {o-1 h0 b0 i0 t1/1 r0 c0 l0/-1}\n"
	    "14 textbox Normal -|Box in a cell {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n");
	/* hidden text and hidden paragraph marks */
	expect("hidden", VERBOSE,
	    "1 body Normal -|Visible end {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "2 body Normal -|Shown by direct formatting {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "3 body Normal -|Run-in heading. Its body text. {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "4 body Normal -|toggled back Next {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n");
	/* tables, nesting, merged cells */
	expect("tables", VERBOSE,
	    "1 body Normal -|Before {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "2 table Normal -|A {o-1 h0 b0 i0 t1/1 r0 c0 l0/-1}\n"
	    "3 table Normal -|B {o-1 h0 b0 i0 t1/1 r0 c2 l0/-1}\n"
	    "4 table Normal -|C {o-1 h0 b0 i0 t1/1 r1 c0 l0/-1}\n"
	    "5 table Normal -|D {o-1 h0 b0 i0 t1/1 r1 c1 l0/-1}\n"
	    "6 table Normal -|E {o-1 h0 b0 i0 t1/1 r1 c2 l0/-1}\n"
	    "7 table Normal -|F {o-1 h0 b0 i0 t1/1 r2 c1 l0/-1}\n"
	    "8 table Normal -|N1 {o-1 h0 b0 i0 t2/1 r0 c0 l0/-1}\n"
	    "9 table Normal -|N2 {o-1 h0 b0 i0 t2/1 r0 c1 l0/-1}\n"
	    "10 table Normal -|N3 {o-1 h0 b0 i0 t2/1 r1 c0 l0/-1}\n"
	    "11 table Normal -|N4 {o-1 h0 b0 i0 t2/1 r1 c1 l0/-1}\n"
	    "12 table Normal -|after nested {o-1 h0 b0 i0 t1/1 r2 c2 l0/-1}\n"
	    "13 table Normal -|G {o-1 h0 b0 i0 t1/1 r3 c1 l0/-1}\n"
	    "14 table Normal -|H {o-1 h0 b0 i0 t1/1 r4 c1 l0/-1}\n"
	    "15 table Normal -|I {o-1 h0 b0 i0 t1/1 r4 c2 l0/-1}\n"
	    "16 body Normal -|Between {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "17 table Normal -|Second table {o-1 h0 b0 i0 t1/2 r0 c0 l0/-1}\n"
	    "18 body Normal -|After {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n");
	/* style names, chains, headings, emphasis */
	expect("styles", VERBOSE,
	    "1 body heading 1 -|Title {o0 h1 b1 i0 t0/0 r0 c0 l0/-1}\n"
	    "2 body Tiêu đề riêng -|Custom heading {o1 h1 b1 i0 t0/0 r0 c0 l0/-1}\n"
	    "3 body Loop A -|Looping styles {o-1 h0 b0 i1 t0/0 r0 c0 l0/-1}\n"
	    "4 body Body 9 -|Outline level 9 is body text {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "5 body HEADING 3 -|Named in capitals {o-1 h1 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "6 body Heading Text -|Heading but not a number {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "7 body Normal -|Direct outline {o2 h1 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "8 body Normal -|plain bold {o-1 h0 b-1 i0 t0/0 r0 c0 l0/-1}\n"
	    "9 body Normal -|zero false off {o-1 h0 b0 i-1 t0/0 r0 c0 l0/-1}\n"
	    "10 body heading 1 -|Strong in a bold heading {o0 h1 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "11 body heading 1 -|direct and style {o0 h1 b1 i0 t0/0 r0 c0 l0/-1}\n"
	    "12 body Normal -|Unknown style {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "13 body Normal -|Bold text  {o-1 h0 b1 i0 t0/0 r0 c0 l0/-1}\n"
	    "14 body Emphasis Para -|Italic from the paragraph style {o-1 h0 b0 i1 t0/0 r0 c0 l0/-1}\n"
	    "15 body Title Caps -|QUYẾT ĐỊNH số {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n");
	/* list labels as Word shows them */
	expect("numbering", VERBOSE,
	    "1 body Normal I.|roman {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "2 body Normal 1.|decimal {o-1 h0 b0 i0 t0/0 r0 c0 l1/1}\n"
	    "3 body Normal 2.|decimal two {o-1 h0 b0 i0 t0/0 r0 c0 l1/1}\n"
	    "4 body Normal a)|letter {o-1 h0 b0 i0 t0/0 r0 c0 l1/2}\n"
	    "5 body Normal b)|letter two {o-1 h0 b0 i0 t0/0 r0 c0 l1/2}\n"
	    "6 body Normal 2.1.|two levels {o-1 h0 b0 i0 t0/0 r0 c0 l1/3}\n"
	    "7 body Normal 3.|deeper levels restart {o-1 h0 b0 i0 t0/0 r0 c0 l1/1}\n"
	    "8 body Normal a)|letter again {o-1 h0 b0 i0 t0/0 r0 c0 l1/2}\n"
	    "9 body Normal II.|second list, same abstract, continues {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "10 body Normal 01|decimal zero {o-1 h0 b0 i0 t0/0 r0 c0 l1/4}\n"
	    "11 body Normal A.|upper letter {o-1 h0 b0 i0 t0/0 r0 c0 l1/5}\n"
	    "12 body Normal (i)|lower roman {o-1 h0 b0 i0 t0/0 r0 c0 l1/6}\n"
	    "13 body Normal -|none {o-1 h0 b0 i0 t0/0 r0 c0 l0/7}\n"
	    "14 body Normal 2.1|legal {o-1 h0 b0 i0 t0/0 r0 c0 l1/8}\n"
	    "15 body Normal III.|start override {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "16 body Normal IV.|start override two {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "17 body Normal -|symbol bullet {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "18 body Normal o|letter o bullet {o-1 h0 b0 i0 t0/0 r0 c0 l1/1}\n"
	    "19 body Normal -|wingdings bullet {o-1 h0 b0 i0 t0/0 r0 c0 l1/2}\n"
	    "20 body Normal –|dash bullet {o-1 h0 b0 i0 t0/0 r0 c0 l1/3}\n"
	    "21 body Normal •|real bullet {o-1 h0 b0 i0 t0/0 r0 c0 l1/4}\n"
	    "22 body Normal 5.|start 5 {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "23 body Normal 5.1.|sub {o-1 h0 b0 i0 t0/0 r0 c0 l1/1}\n"
	    "24 body Normal 5.1.1.|subsub {o-1 h0 b0 i0 t0/0 r0 c0 l1/2}\n"
	    "25 body Normal 6.|six {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "26 body Normal 6.2.|sub not restarted {o-1 h0 b0 i0 t0/0 r0 c0 l1/1}\n"
	    "27 body Normal 6.2.1.|subsub restarted {o-1 h0 b0 i0 t0/0 r0 c0 l1/2}\n"
	    "28 body List Head Điều 1.|style numbering {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "29 body List Sub a)|style level {o-1 h0 b0 i0 t0/0 r0 c0 l1/1}\n"
	    "30 body List Head Điều 2.|style numbering two {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "31 body List Number 2.|style with level 1 of list 1 {o-1 h0 b0 i0 t0/0 r0 c0 l1/1}\n"
	    "32 body List Number -|numId 0 removes the style numbering {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "33 body List Number a)|own level, style list {o-1 h0 b0 i0 t0/0 r0 c0 l1/2}\n"
	    "34 body Normal (1)|linked through a numbering style {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "35 body Normal (2)|linked two {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "36 body Normal Phần A|level redefined in the num {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "diag 37 warning numbering-missing: list 9 names an abstract numbering that numbering.xml does not define: the paragraph is shown without its label\n"
	    "37 body Normal -|missing abstract {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "diag 38 warning numbering-missing: list 42 is not defined in numbering.xml: the paragraph is shown without its label\n"
	    "38 body Normal -|missing list {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "39 body Normal -|missing list again {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "40 body Normal III.|empty text below {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "41 body Normal IV.| {o-1 h0 b0 i0 t0/0 r0 c0 l1/0}\n");
	/* stories after the body */
	expect("stories", VERBOSE,
	    "1 body Normal -|Body text and more commented {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "2 table Normal -|Body cell {o-1 h0 b0 i0 t1/1 r0 c0 l0/-1}\n"
	    "3 footnote Normal -| Footnote one {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "4 footnote Normal -|its second paragraph {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "5 footnote Normal -|Joined  {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "6 footnote Normal -|within a note only {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "7 endnote Normal -| Endnote {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "8 comment Normal -|Comment text {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "9 header Normal -|Header text {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "10 header Normal -|Header cell {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n"
	    "11 footer Normal -|Trang 1 {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n");
	/* Strict OOXML */
	expect("strict", VERBOSE,
	    "1 body heading 1 I.|Strict heading {o0 h1 b0 i0 t0/0 r0 c0 l1/0}\n"
	    "2 body Normal -|Strict body {o-1 h0 b0 i0 t0/0 r0 c0 l0/-1}\n");
	/* The paragraph limit is an error naming the part, line and option. */
	snprintf(path, sizeof(path), "%s/%s.docx", fix, "chars");
	got = dump(path, 0, 20, NULL);
	T_STREQ(got, "1 body Normal -|Điều   1 kept a b\n"
	    "2 body Normal -|a\\tb\\tc\n"
	    "ERR word/document.xml:7: paragraph longer than 20 bytes "
	    "(--max-para)\n", "--max-para stops the read, never truncates");
	free(got);
	return t_done();
}
