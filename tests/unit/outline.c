/*
 * Unit tests of lib/outline.c: the labels kh_label_split takes off a
 * paragraph and the ones it leaves alone, and the sec records of a plan
 * (parts, items restarting in each part, sub-items), of a decision
 * (chapters, articles, clauses, points), whether Word or the author
 * numbered them, and of the reference plan of ../shared when it is there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "recog.h"
#include "text.h"
#include "t.h"
#include "feed.h"

static const struct {
	const char	*text;
	const char	*label;		/* "" for none */
	const char	*rest;		/* the text after it */
} splits[] = {
	{ "I. Mục đích, yêu cầu", "I.", "Mục đích, yêu cầu" },
	{ "IV.\tTỔ CHỨC THỰC HIỆN", "IV.", "TỔ CHỨC THỰC HIỆN" },
	{ "I.MỤC ĐÍCH", "I.", "MỤC ĐÍCH" },
	{ "XIV. Phần mười bốn", "XIV.", "Phần mười bốn" },
	{ "1. Mục đích", "1.", "Mục đích" },
	{ "12) Mười hai", "12)", "Mười hai" },
	{ "3/ Ba", "3/", "Ba" },
	{ "2.Hai", "2.", "Hai" },
	{ "1.1. Một chấm một", "1.1.", "Một chấm một" },
	{ "1.2 Không chấm cuối", "1.2", "Không chấm cuối" },
	{ "2.3.1. Ba tầng", "2.3.1.", "Ba tầng" },
	{ "a) Điểm a", "a)", "Điểm a" },
	{ "đ) Điểm đ", "đ)", "Điểm đ" },
	{ "b. Điểm b", "b.", "Điểm b" },
	{ "A. Phần A", "A.", "Phần A" },
	{ "- Gạch đầu dòng", "-", "Gạch đầu dòng" },
	{ "-Không cách", "-", "Không cách" },
	{ "+ Cộng", "+", "Cộng" },
	{ "• Chấm tròn", "•", "Chấm tròn" },
	{ "– Gạch ngang", "–", "Gạch ngang" },
	{ "\xef\x82\xb7 Symbol", "\xef\x82\xb7", "Symbol" },
	{ "Điều 1. Phạm vi điều chỉnh", "Điều 1.", "Phạm vi điều chỉnh" },
	{ "Điều 12: Hiệu lực", "Điều 12:", "Hiệu lực" },
	{ "ĐIỀU 3. Tổ chức", "ĐIỀU 3.", "Tổ chức" },
	{ "Chương I", "Chương I", "" },
	{ "Chương II\nQUY ĐỊNH CHUNG", "Chương II", "QUY ĐỊNH CHUNG" },
	{ "CHƯƠNG 3. ĐIỀU KHOẢN", "CHƯƠNG 3.", "ĐIỀU KHOẢN" },
	/* Not labels. */
	{ "Chương trình công tác năm 2022", "", "" },
	{ "Điều 5 Luật Thi đua, khen thưởng quy định", "", "" },
	{ "Mục đích yêu cầu", "", "" },
	{ "1.500 người tham gia", "", "" },
	{ "2022 là năm bản lề", "", "" },
	{ "15/KH-SXD ngày 10/01/2022", "", "" },
	{ "10/01/2022", "", "" },
	{ "-5% so với cùng kỳ", "", "" },
	{ "*", "", "" },
	{ "- ", "", "" },
	{ "**KT. GIÁM ĐỐC", "", "" },
	{ "-----------", "", "" },
	{ "V/v góp ý dự thảo", "", "" },
	{ "LƯU Ý", "", "" },
	{ "Căn cứ Luật", "", "" },
	{ "a)", "", "" },
	{ "Q. GIÁM ĐỐC", "", "" },
	{ "K. Nguyễn", "", "" },
	{ "", "", "" },
};

static void
test_splits(void)
{
	size_t i, n, skip, len;
	char *label, *rest, *shown, *nl;

	for (i = 0; i < sizeof(splits) / sizeof(splits[0]); i++) {
		len = strlen(splits[i].text);
		n = kh_label_split(splits[i].text, len, &skip);
		label = kh_xstrndup(splits[i].text, n);
		rest = kh_xstrdup(n > 0 ? splits[i].text + skip : "");
		/* A line break would end the line of the check. */
		shown = kh_xstrdup(splits[i].text);
		while ((nl = strchr(shown, '\n')) != NULL)
			*nl = '|';
		T_STREQ(label, splits[i].label, "label of \"%s\"", shown);
		if (n > 0)
			T_STREQ(rest, splits[i].rest, "text after the label of "
			    "\"%s\"", shown);
		else
			T_CHECK(skip == 0, "no skip without a label in \"%s\"",
			    shown);
		free(label);
		free(rest);
		free(shown);
	}
}

/* A plan: typed labels, Word's labels, and what is not in the outline. */
static const struct tpara plan[] = {
	{ "b*", NULL, "KẾ HOẠCH" },
	{ "b", NULL, "I. MỤC ĐÍCH, YÊU CẦU" },
	{ "b", NULL, "1. Mục đích" },
	{ "b", NULL, "- Đảm bảo thực hiện có hiệu quả." },
	{ "b", NULL, "2. Yêu cầu " },
	{ "b", "II.", "NỘI DUNG" },
	{ "b", "1.", "Thi đua yêu nước" },
	{ "b", NULL, "a) Tổ chức phát động;" },
	{ "b", NULL, "b) Khen thưởng kịp thời." },
	{ "b", NULL, "1.1. Khen thưởng đột xuất" },
	{ "b", NULL, "a) Tập thể" },
	{ "b", NULL, "2. Cải cách hành chính" },
	{ "b", NULL, "c) Một điểm sau khoản" },
	{ "t1.0.0", NULL, "1. Trong bảng" },
	{ "x", NULL, "1. Trong hộp văn bản" },
	{ "f", NULL, "1. Chú thích" },
	{ "b", NULL, "III.\tGIẢI PHÁP" },
	{ "b", NULL, "A. Chữ hoa không là phần" },
	{ "b", NULL, "1. Tuyên truyền\nvà phổ biến" },
	{ "b", "•", "Dấu đầu dòng của Word" },
	{ "b", "2", "Nhãn của Word không có dấu chấm" },
};

static const char *const plan_secs[] = {
	"sec|2|1|I|MỤC ĐÍCH, YÊU CẦU",
	"sec|3|2|1|Mục đích",
	"sec|5|2|2|Yêu cầu",
	"sec|6|1|II|NỘI DUNG",
	"sec|7|2|1|Thi đua yêu nước",
	"sec|8|3|a|Tổ chức phát động;",
	"sec|9|3|b|Khen thưởng kịp thời.",
	"sec|10|3|1.1|Khen thưởng đột xuất",
	"sec|11|4|a|Tập thể",
	"sec|12|2|2|Cải cách hành chính",
	"sec|13|3|c|Một điểm sau khoản",
	"sec|17|1|III|GIẢI PHÁP",
	"sec|19|2|1|Tuyên truyền và phổ biến",
	"sec|21|2|2|Nhãn của Word không có dấu chấm",
};

/* A decree: chapters, articles, clauses and points. */
static const struct tpara decree[] = {
	{ "b", NULL, "QUYẾT ĐỊNH:" },
	{ "b", NULL, "Chương I" },
	{ "b", NULL, "QUY ĐỊNH CHUNG" },
	{ "b", NULL, "Điều 1. Phạm vi điều chỉnh \t" },
	{ "b", NULL, "Nghị định này quy định về công tác văn thư." },
	{ "b", NULL, "Điều 2. Đối tượng áp dụng" },
	{ "b", "1.", "Cơ quan, tổ chức nhà nước." },
	{ "b", NULL, "a) Điểm trong khoản" },
	{ "b", NULL, "2. Doanh nghiệp nhà nước." },
	{ "b", NULL, "Chương II\nQUẢN LÝ VĂN BẢN" },
	{ "b", "Điều 3.", "Nhãn Word của điều" },
	{ "b", NULL, "Điều 5 Luật Thi đua quy định như sau." },
	{ "b", NULL, "I. Phụ lục kèm theo" },
	{ "b", NULL, "1. Mục sau phần" },
};

static const char *const decree_secs[] = {
	"sec|2|1|Chương I|",
	"sec|4|2|Điều 1|Phạm vi điều chỉnh",
	"sec|6|2|Điều 2|Đối tượng áp dụng",
	"sec|7|3|1|Cơ quan, tổ chức nhà nước.",
	"sec|8|4|a|Điểm trong khoản",
	"sec|9|3|2|Doanh nghiệp nhà nước.",
	"sec|10|1|Chương II|QUẢN LÝ VĂN BẢN",
	"sec|11|2|Điều 3|Nhãn Word của điều",
	"sec|13|1|I|Phụ lục kèm theo",
	"sec|14|2|1|Mục sau phần",
};

/* The heading of an item is its whole paragraph: keep only the parts'. */
static char *
short_items(char *lines)
{
	kh_buf b = KH_BUF_INIT;
	char *line, *next, *bar[4];
	size_t k;

	kh_buf_adds(&b, "");
	for (line = lines; *line != '\0'; line = next) {
		next = strchr(line, '\n') + 1;
		bar[0] = strchr(line, '|');
		for (k = 1; k < 4; k++)
			bar[k] = strchr(bar[k - 1] + 1, '|');
		/* sec|LOC|LEVEL|NUMBER|HEADING */
		if (strncmp(bar[1], "|1|", 3) == 0)
			kh_buf_add(&b, line, (size_t)(next - line));
		else {
			kh_buf_add(&b, line, (size_t)(bar[3] - line));
			kh_buf_addc(&b, '\n');
		}
	}
	free(lines);
	return b.s;
}

static const char *const seed_secs[] = {
	"sec|12|1|I|Mục đích yêu cầu",
	"sec|14|2|1", "sec|21|2|2",
	"sec|26|1|II|Nội dung",
	"sec|28|2|1", "sec|41|2|2", "sec|43|2|3", "sec|45|2|4", "sec|49|2|5",
	"sec|51|2|6",
	"sec|53|1|III|Giải pháp thực hiện",
	"sec|55|2|1", "sec|57|2|2", "sec|59|2|3", "sec|61|2|4", "sec|63|2|5",
	"sec|65|2|6", "sec|67|2|7", "sec|69|2|8", "sec|71|2|9",
	"sec|73|1|IV|Tổ chức thực hiện",
	"sec|75|2|1", "sec|83|2|2",
};

static void
test_seed(void)
{
	struct tpara *ps;
	size_t n;
	char *got, *want;

	if ((ps = feed_seed(&n)) == NULL) {
		printf("# skip: the reference plan of ../shared is absent\n");
		return;
	}
	got = short_items(feed(NULL, ps, n, "sec"));
	want = feed_lines(seed_secs, NPARAS(seed_secs));
	T_STREQ(got, want, "the reference plan: parts I to IV, items "
	    "restarting in each");
	free(got);
	free(want);
	feed_seed_free(ps, n);
}

int
main(void)
{
	test_splits();
	FEED_CHECK(NULL, plan, "sec", plan_secs, "a plan's outline");
	FEED_CHECK(NULL, decree, "sec", decree_secs, "a decree's outline");
	test_seed();
	return t_done();
}
