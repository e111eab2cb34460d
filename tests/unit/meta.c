/*
 * Unit tests of lib/meta.c: the document's own properties from headers
 * made as a table, as text boxes, as plain paragraphs and as a table
 * flattened to tabs; Party and công văn headers; decisions; every
 * signature authority; recipients and addressees by paragraphs and by line
 * breaks; a draft's blanks; the look-alike Ð; impossible dates; the
 * reference plan of ../shared, as it is and with its header table rebuilt;
 * and a long document, whose body is not kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "recog.h"
#include "text.h"
#include "t.h"
#include "feed.h"

static kh_vocab *vocab;

/* The reference plan with its header table, as samples/kh-sxd-2022.docx. */
static const struct tpara plan[] = {
	{ "t1.0.0", NULL, "UBND TỈNH TÂY NINH" },
	{ "t1.0.0*", NULL, "SỞ XÂY DỰNG" },
	{ "t1.0.0", NULL, "Số:      /KH-SXD" },
	{ "t1.0.1*", NULL, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" },
	{ "t1.0.1*", NULL, "Độc lập - Tự do - Hạnh phúc" },
	{ "t1.0.1", NULL, "Tây Ninh, ngày      tháng 01 năm 2022" },
	{ "b*", NULL, "KẾ HOẠCH" },
	{ "b*", NULL, "Về việc thực hiện công tác thi đua, khen thưởng năm 2022" },
	{ "b", NULL, "Căn cứ Chỉ thị số 12/CT-UBND ngày 29/12/2021 của Chủ tịch "
	    "UBND tỉnh, Sở Xây dựng lập kế hoạch như sau:" },
	{ "b", "I.", "Mục đích yêu cầu" },
	{ "b", NULL, "Trên đây là Kế hoạch của Sở Xây dựng./." },
	{ "t2.0.0", NULL, "Nơi nhận:" },
	{ "t2.0.0", "-", "HĐTĐ-KT tỉnh;" },
	{ "t2.0.0", "-", "Ban GD Sở;" },
	{ "t2.0.0", "-", "Lưu: VT, VP (Phương)." },
	{ "t2.0.1*", NULL, "KT. GIÁM ĐỐC" },
	{ "t2.0.1*", NULL, "PHÓ GIÁM ĐỐC" },
	{ "t2.0.1", NULL, "" },
	{ "b", NULL, "" },
};

static const char *const plan_meta[] = {
	"meta|1|parent-agency|UBND TỈNH TÂY NINH",
	"meta|2|agency|SỞ XÂY DỰNG",
	"meta|3|number|/KH-SXD",
	"meta|3|kind|KH",
	"meta|4|motto|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\nĐộc lập - Tự do - "
	    "Hạnh phúc",
	"meta|6|place|Tây Ninh",
	"meta|6|date|2022-01-__",
	"meta|7|title|KẾ HOẠCH",
	"meta|8|subject|Về việc thực hiện công tác thi đua, khen thưởng năm "
	    "2022",
	"meta|13|recipient|HĐTĐ-KT tỉnh",
	"meta|14|recipient|Ban GD Sở",
	"meta|15|recipient|Lưu: VT, VP (Phương)",
	"meta|16|sign-authority|KT.",
	"meta|16|sign-for|GIÁM ĐỐC",
	"meta|17|sign-title|PHÓ GIÁM ĐỐC",
};

/* A Party resolution: "Số" without a colon, T/M, recipients ending ",". */
static const struct tpara party[] = {
	{ "t1.0.0", NULL, "ĐẢNG BỘ TỈNH TÂY NINH" },
	{ "t1.0.0", NULL, "TỈNH ỦY" },
	{ "t1.0.0", NULL, "*" },
	{ "t1.0.0", NULL, "Số 36-HD/VPTW" },
	{ "t1.0.1", NULL, "ĐẢNG CỘNG SẢN VIỆT NAM" },
	{ "t1.0.1", NULL, "Tây Ninh, ngày 12 tháng 12 năm 2021" },
	{ "b", NULL, "HƯỚNG DẪN" },
	{ "b", NULL, "thể thức văn bản của Đảng" },
	{ "b", NULL, "Ngày 10/12/2021, Ban Thường vụ Tỉnh ủy đã họp." },
	{ "t2.0.0", NULL, "Nơi nhận:" },
	{ "t2.0.0", "-", "Văn phòng Trung ương Đảng (b/c)," },
	{ "t2.0.0", "-", "Lưu Văn phòng Tỉnh ủy." },
	{ "t2.0.1", NULL, "T/M BAN THƯỜNG VỤ" },
	{ "t2.0.1", NULL, "PHÓ BÍ THƯ" },
	{ "t2.0.1", NULL, "" },
	{ "t2.0.1", NULL, "Võ Văn Mẫu" },
};

static const char *const party_meta[] = {
	"meta|1|parent-agency|ĐẢNG BỘ TỈNH TÂY NINH",
	"meta|2|agency|TỈNH ỦY",
	"meta|4|number|36-HD/VPTW",
	"meta|4|kind|HD",
	"meta|5|motto|ĐẢNG CỘNG SẢN VIỆT NAM",
	"meta|6|place|Tây Ninh",
	"meta|6|date|2021-12-12",
	"meta|7|title|HƯỚNG DẪN",
	"meta|8|subject|thể thức văn bản của Đảng",
	"meta|11|recipient|Văn phòng Trung ương Đảng (b/c)",
	"meta|12|recipient|Lưu Văn phòng Tỉnh ủy",
	"meta|13|sign-authority|T/M",
	"meta|13|sign-for|BAN THƯỜNG VỤ",
	"meta|14|sign-title|PHÓ BÍ THƯ",
	"meta|16|signer|Võ Văn Mẫu",
};

/*
 * A công văn: two rows of header, a V/v of two lines, Kính gửi and its
 * list, and the closing blocks as plain paragraphs.
 */
static const struct tpara letter[] = {
	{ "t1.0.0", NULL, "UBND TỈNH TÂY NINH" },
	{ "t1.0.0", NULL, "SỞ XÂY DỰNG" },
	{ "t1.0.1", NULL, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" },
	{ "t1.0.1", NULL, "Độc lập – Tự do – Hạnh phúc" },
	{ "t1.1.0", NULL, "Số: 1032/SXD-VP" },
	{ "t1.1.0", NULL, "V/v góp ý dự thảo kế hoạch" },
	{ "t1.1.0", NULL, "thi đua năm 2022" },
	{ "t1.1.1", NULL, "Tây Ninh, ngày 15 tháng 7 năm 2022" },
	{ "b", NULL, "Kính gửi:" },
	{ "b", NULL, "- Sở Nội vụ tỉnh Tây Ninh;" },
	{ "b", NULL, "- Ban Thi đua - Khen thưởng tỉnh." },
	{ "b", NULL, "Sở Xây dựng nhận được Công văn số 845/SNV-TĐKT." },
	{ "b", NULL, "Nơi nhận:" },
	{ "b", NULL, "" },
	{ "b", NULL, "- Như trên;" },
	{ "b", NULL, "- Lưu: VT, VP." },
	{ "b", NULL, "KT.GIÁM ĐỐC" },
	{ "b", NULL, "PHÓ GIÁM ĐỐC" },
	{ "b", NULL, "" },
	{ "b", NULL, "(Đã ký)" },
	{ "b", NULL, "Trần Văn Mẫu" },
};

static const char *const letter_meta[] = {
	"meta|1|parent-agency|UBND TỈNH TÂY NINH",
	"meta|2|agency|SỞ XÂY DỰNG",
	"meta|3|motto|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\nĐộc lập – Tự do – "
	    "Hạnh phúc",
	"meta|5|number|1032/SXD-VP",
	"meta|5|kind|",
	"meta|6|subject|V/v góp ý dự thảo kế hoạch thi đua năm 2022",
	"meta|8|place|Tây Ninh",
	"meta|8|date|2022-07-15",
	"meta|10|addressee|Sở Nội vụ tỉnh Tây Ninh",
	"meta|11|addressee|Ban Thi đua - Khen thưởng tỉnh",
	"meta|15|recipient|Như trên",
	"meta|16|recipient|Lưu: VT, VP",
	"meta|17|sign-authority|KT.",
	"meta|17|sign-for|GIÁM ĐỐC",
	"meta|18|sign-title|PHÓ GIÁM ĐỐC",
	"meta|21|signer|Trần Văn Mẫu",
};

/*
 * A decision: one name on two bold lines, the authority line in capitals
 * after the summary, Nơi nhận and a compound signature each in one
 * paragraph with line breaks.
 */
static const struct tpara decision[] = {
	{ "t1.0.0*", NULL, "ỦY BAN NHÂN DÂN" },
	{ "t1.0.0*", NULL, "TỈNH TÂY NINH" },
	{ "t1.0.0", NULL, "Số: 01/QĐ-UBND" },
	{ "t1.0.1*", NULL, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" },
	{ "t1.0.1*", NULL, "Độc lập - Tự do - Hạnh phúc" },
	{ "t1.0.1", NULL, "Tây Ninh, ngày 08 tháng 01 năm 2022" },
	{ "b*", NULL, "QUYẾT ĐỊNH" },
	{ "b*", NULL, "Về việc ban hành những nhiệm vụ, giải pháp chủ yếu" },
	{ "b*", NULL, "ỦY BAN NHÂN DÂN TỈNH TÂY NINH" },
	{ "b", NULL, "Căn cứ Luật Tổ chức chính quyền địa phương;" },
	{ "b*", NULL, "QUYẾT ĐỊNH:" },
	{ "b", NULL, "Điều 1. Ban hành kèm theo Quyết định này." },
	{ "t2.0.0", NULL, "Nơi nhận:\n- Như Điều 3;\n- Văn phòng Chính phủ,\n"
	    "  các Bộ, ngành;\n- Lưu: VT." },
	{ "t2.0.1", NULL, "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" },
	{ "t2.0.1", NULL, "" },
	{ "t2.0.1", NULL, "Phạm Thị Mẫu" },
	{ "b", NULL, "" },
};

static const char *const decision_meta[] = {
	"meta|1|agency|ỦY BAN NHÂN DÂN TỈNH TÂY NINH",
	"meta|3|number|01/QĐ-UBND",
	"meta|3|kind|QĐ",
	"meta|4|motto|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\nĐộc lập - Tự do - "
	    "Hạnh phúc",
	"meta|6|place|Tây Ninh",
	"meta|6|date|2022-01-08",
	"meta|7|title|QUYẾT ĐỊNH",
	"meta|8|subject|Về việc ban hành những nhiệm vụ, giải pháp chủ yếu",
	"meta|13:11|recipient|Như Điều 3",
	"meta|13:25|recipient|Văn phòng Chính phủ, các Bộ, ngành",
	"meta|13:65|recipient|Lưu: VT",
	"meta|14:21|sign-authority|KT.",
	"meta|14:21|sign-for|CHỦ TỊCH",
	"meta|14:34|sign-title|PHÓ CHỦ TỊCH",
	"meta|16|signer|Phạm Thị Mẫu",
};

/* The header in text boxes; the head signs alone, above the Nơi nhận. */
static const struct tpara boxes[] = {
	{ "x", NULL, "UBND TỈNH TÂY NINH" },
	{ "x", NULL, "SỞ XÂY DỰNG" },
	{ "x", NULL, "Số: 05/BC-SXD" },
	{ "x", NULL, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" },
	{ "x", NULL, "Độc lập - Tự do - Hạnh phúc" },
	{ "x", NULL, "Tây Ninh, ngày 5 tháng 3 năm 2022" },
	{ "b", NULL, "BÁO CÁO" },
	{ "b", NULL, "Kết quả công tác năm 2021" },
	{ "b", NULL, "Kính gửi: Hội đồng Thi đua - Khen thưởng tỉnh." },
	{ "b", NULL, "Thực hiện Chỉ thị số 12/CT-UBND, Sở báo cáo như sau:" },
	{ "b", NULL, "GIÁM ĐỐC" },
	{ "b", NULL, "" },
	{ "b", NULL, "Lê Văn Mẫu" },
	{ "b", NULL, "Nơi nhận:" },
	{ "b", NULL, "- Như trên;" },
	{ "b", NULL, "- Lưu: VT." },
};

static const char *const boxes_meta[] = {
	"meta|1|parent-agency|UBND TỈNH TÂY NINH",
	"meta|2|agency|SỞ XÂY DỰNG",
	"meta|3|number|05/BC-SXD",
	"meta|3|kind|BC",
	"meta|4|motto|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\\nĐộc lập - Tự do - "
	    "Hạnh phúc",
	"meta|6|place|Tây Ninh",
	"meta|6|date|2022-03-05",
	"meta|7|title|BÁO CÁO",
	"meta|8|subject|Kết quả công tác năm 2021",
	"meta|9|addressee|Hội đồng Thi đua - Khen thưởng tỉnh",
	"meta|11|sign-title|GIÁM ĐỐC",
	"meta|13|signer|Lê Văn Mẫu",
	"meta|15|recipient|Như trên",
	"meta|16|recipient|Lưu: VT",
};

/*
 * A header table flattened to text: its columns apart by tabs.  The
 * symbol has spaces and an en dash; the summary goes on in small letters.
 */
static const struct tpara flat[] = {
	{ "b", NULL, "UBND TỈNH TÂY NINH\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" },
	{ "b", NULL, "SỞ XÂY DỰNG\t\tĐộc lập - Tự do - Hạnh phúc" },
	{ "b", NULL, "Số: 15 / KH – SXD\tTây Ninh, ngày 10 tháng 01 năm 2022" },
	{ "b", NULL, "KẾ HOẠCH" },
	{ "b", NULL, "Về việc thực hiện công tác thi đua," },
	{ "b", NULL, "khen thưởng năm 2022" },
	{ "b", NULL, "Căn cứ Chỉ thị số 12/CT-UBND;" },
};

static const char *const flat_meta[] = {
	"meta|1|parent-agency|UBND TỈNH TÂY NINH",
	"meta|1:20|motto|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\nĐộc lập - Tự do - "
	    "Hạnh phúc",
	"meta|2|agency|SỞ XÂY DỰNG",
	"meta|3|number|15/KH-SXD",
	"meta|3|kind|KH",
	"meta|3:19|place|Tây Ninh",
	"meta|3:19|date|2022-01-10",
	"meta|4|title|KẾ HOẠCH",
	"meta|5|subject|Về việc thực hiện công tác thi đua, khen thưởng năm "
	    "2022",
};

/* The look-alike Ð in a symbol, and an impossible date. */
static const struct tpara lookalike[] = {
	{ "t1.0.0", NULL, "UBND TỈNH TÂY NINH" },
	{ "t1.0.0", NULL, "Số: 15/Q\xc3\x90-UBND" },
	{ "t1.0.1", NULL, "Tây Ninh, ngày 30 tháng 02 năm 2022" },
	{ "b", NULL, "QUYẾT ĐỊNH" },
};

static const char *const lookalike_meta[] = {
	"meta|1|agency|UBND TỈNH TÂY NINH",
	"meta|2|number|15/QĐ-UBND",
	"meta|2|kind|QĐ",
	"meta|3|place|Tây Ninh",
	"meta|3|date|",
	"meta|4|title|QUYẾT ĐỊNH",
	"diag|2:9-10|warning|lookalike-d|look-alike letter \xc3\x90 (U+00D0) "
	    "in the number \"15/QĐ-UBND\", read as Đ (U+0110)",
	"diag|3:11-36|warning|impossible-date|impossible date \"ngày 30 "
	    "tháng 02 năm 2022\" in the place and date line",
};

/*
 * Drafts: dots for the number and the date, a symbol whose code the title
 * must give (the kind), a summary bold on two lines.
 */
static const struct tpara draft[] = {
	{ "t1.0.0", NULL, "SỞ XÂY DỰNG" },
	{ "t1.0.0", NULL, "Số: ......../KHH-SXD" },
	{ "t1.0.0", NULL, "DỰ THẢO" },
	{ "t1.0.1", NULL, "Tây Ninh, ngày …… tháng …… năm 2022" },
	{ "b*", NULL, "KẾ HOẠCH" },
	{ "b*", NULL, "Thực hiện phong trào thi đua đặc biệt" },
	{ "b*", NULL, "“Toàn dân Tây Ninh đoàn kết”" },
	{ "b", NULL, "Thực hiện Nghị quyết số 128/NQ-CP, UBND tỉnh ban hành." },
};

static const char *const draft_meta[] = {
	"meta|1|agency|SỞ XÂY DỰNG",
	"meta|2|number|/KHH-SXD",
	"meta|4|place|Tây Ninh",
	"meta|4|date|2022-__-__",
	"meta|5|kind|KH",
	"meta|5|title|KẾ HOẠCH",
	"meta|6|subject|Thực hiện phong trào thi đua đặc biệt “Toàn dân Tây "
	    "Ninh đoàn kết”",
};

/* Signatures: TL., TUQ., Q.; none but the head and a name at the end. */
static const struct tpara sign_tl[] = {
	{ "b", NULL, "Nơi nhận:" },
	{ "b", NULL, "- Như trên;" },
	{ "b", NULL, "TL. GIÁM ĐỐC" },
	{ "b", NULL, "CHÁNH VĂN PHÒNG" },
	{ "b", NULL, "Nguyễn Thị Mẫu" },
};

static const char *const sign_tl_meta[] = {
	"meta|2|recipient|Như trên",
	"meta|3|sign-authority|TL.",
	"meta|3|sign-for|GIÁM ĐỐC",
	"meta|4|sign-title|CHÁNH VĂN PHÒNG",
	"meta|5|signer|Nguyễn Thị Mẫu",
};

static const struct tpara sign_tuq[] = {
	{ "t1.0.1", NULL, "TUQ. CHỦ TỊCH" },
	{ "t1.0.1", NULL, "GIÁM ĐỐC SỞ NỘI VỤ" },
	{ "t1.0.1", NULL, "[Chữ ký số]" },
	{ "t1.0.1", NULL, "Đỗ Văn Mẫu" },
	{ "t1.0.1", NULL, "Ký bởi: Sở Nội vụ" },
};

static const char *const sign_tuq_meta[] = {
	"meta|1|sign-authority|TUQ.",
	"meta|1|sign-for|CHỦ TỊCH",
	"meta|2|sign-title|GIÁM ĐỐC SỞ NỘI VỤ",
	"meta|4|signer|Đỗ Văn Mẫu",
};

static const struct tpara sign_q[] = {
	{ "b", NULL, "Trên đây là báo cáo của Sở./." },
	{ "b", NULL, "Q. GIÁM ĐỐC" },
	{ "b", NULL, "" },
	{ "b", NULL, "Hồ Văn Mẫu" },
};

static const char *const sign_q_meta[] = {
	"meta|2|sign-authority|Q.",
	"meta|2|sign-title|GIÁM ĐỐC",
	"meta|4|signer|Hồ Văn Mẫu",
};

static const struct tpara sign_bare[] = {
	{ "b", NULL, "Trên đây là báo cáo của Sở./." },
	{ "b", NULL, "GIÁM ĐỐC" },
	{ "b", NULL, "Lê Văn Mẫu" },
	{ "f", NULL, "Nơi nhận: chú thích không phải khối Nơi nhận" },
	{ "h", NULL, "KT. GIÁM ĐỐC" },
};

static const char *const sign_bare_meta[] = {
	"meta|2|sign-title|GIÁM ĐỐC",
	"meta|3|signer|Lê Văn Mẫu",
};

/* Not a document's header: an appendix, its capitals no issuing body. */
static const struct tpara appendix[] = {
	{ "b", NULL, "Phụ lục I" },
	{ "b", NULL, "THỂ THỨC, KỸ THUẬT TRÌNH BÀY VĂN BẢN HÀNH CHÍNH" },
	{ "b", NULL, "(Kèm theo Nghị định số 30/2020/NĐ-CP" },
	{ "b", NULL, " ngày 05 tháng 3 năm 2020 của Chính phủ)" },
	{ "b", NULL, "____________" },
	{ "b", NULL, "I. QUY ĐỊNH CHUNG" },
	{ "t1.0.0", NULL, "Nơi nhận văn bản" },
	{ "t1.0.1", NULL, "TÊN CƠ QUAN/ĐƠN VỊ" },
	{ "t1.0.1", NULL, "SỔ ĐĂNG KÝ" },
};

static void
test_appendix(void)
{
	char *got = feed(vocab, appendix, NPARAS(appendix), "meta diag");

	T_STREQ(got, "", "an appendix, not a document: no properties");
	free(got);
}

/* The reference plan as its text has it: the header table lost. */
static const char *const seed_meta[] = {
	"meta|3|number|/KH-SXD",
	"meta|3|kind|KH",
	"meta|5|place|Tây Ninh",
	"meta|5|date|2022-01-__",
	"meta|7|title|KẾ HOẠCH",
	"meta|8|subject|Về việc thực hiện công tác thi đua, khen thưởng năm "
	    "2022",
	"meta|89|recipient|HĐTĐ-KT tỉnh",
	"meta|90|recipient|Ban GD Sở",
	"meta|91|recipient|Các phòng chuyên môn trực thuộc Sở",
	"meta|92|recipient|Công đoàn",
	"meta|93|recipient|Lưu: VT, VP (Phương)",
	"meta|95|sign-authority|KT.",
	"meta|95|sign-for|GIÁM ĐỐC",
	"meta|96|sign-title|PHÓ GIÁM ĐỐC",
};

/* And with the header table rebuilt in place of its first six lines. */
static const char *const seed_table_meta[] = {
	"meta|1|parent-agency|UBND TỈNH TÂY NINH",
	"meta|2|agency|SỞ XÂY DỰNG",
	"meta|3|number|/KH-SXD",
	"meta|3|kind|KH",
	"meta|4|motto|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\nĐộc lập - Tự do - "
	    "Hạnh phúc",
	"meta|6|place|Tây Ninh",
	"meta|6|date|2022-01-__",
	"meta|7|title|KẾ HOẠCH",
	"meta|8|subject|Về việc thực hiện công tác thi đua, khen thưởng năm "
	    "2022",
	"meta|89|recipient|HĐTĐ-KT tỉnh",
	"meta|90|recipient|Ban GD Sở",
	"meta|91|recipient|Các phòng chuyên môn trực thuộc Sở",
	"meta|92|recipient|Công đoàn",
	"meta|93|recipient|Lưu: VT, VP (Phương)",
	"meta|95|sign-authority|KT.",
	"meta|95|sign-for|GIÁM ĐỐC",
	"meta|96|sign-title|PHÓ GIÁM ĐỐC",
};

static void
test_seed(void)
{
	struct tpara *ps, saved[6];
	size_t n, i;
	char *got, *want;

	if ((ps = feed_seed(&n)) == NULL) {
		printf("# skip: the reference plan of ../shared is absent\n");
		return;
	}
	got = feed(vocab, ps, n, "meta diag");
	want = feed_lines(seed_meta, NPARAS(seed_meta));
	T_STREQ(got, want, "the reference plan as plain paragraphs");
	free(got);
	free(want);
	/* Its first six lines hold the number and the date: a table now. */
	T_CHECK(n > 6 && strstr(ps[2].text, "/KH-SXD") != NULL &&
	    strstr(ps[4].text, "ngày") != NULL, "the plan's header lines");
	for (i = 0; i < 6 && i < n; i++) {
		saved[i] = ps[i];
		ps[i] = plan[i];
	}
	got = feed(vocab, ps, n, "meta diag");
	want = feed_lines(seed_table_meta, NPARAS(seed_table_meta));
	T_STREQ(got, want, "the reference plan with its header table");
	free(got);
	free(want);
	for (i = 0; i < 6 && i < n; i++)
		ps[i] = saved[i];
	feed_seed_free(ps, n);
}

/*
 * A long document: its header and closing blocks read right around a body
 * of many paragraphs, long ones and a run of short list items, none of
 * which is kept.
 */
static void
test_long(void)
{
	enum { BODY = 60000 };
	struct tpara *ps;
	size_t n = 0, i;
	char *got, *want, *longtext;
	kh_buf b = KH_BUF_INIT;

	for (i = 0; i < 40; i++)
		kh_buf_adds(&b, "Nội dung văn bản rất dài. ");
	longtext = b.s;
	ps = kh_xreallocarray(NULL, BODY + 40, sizeof(*ps));
	for (i = 0; i < 8; i++)
		ps[n++] = plan[i];
	for (i = 0; i < BODY; i++) {
		ps[n].where = "b";
		ps[n].label = NULL;
		ps[n++].text = i % 2 == 0 || i > BODY - 1000 ?
		    "- Mục ngắn;" : longtext;
	}
	for (i = 10; i < NPARAS(plan); i++)
		ps[n++] = plan[i];
	got = feed(vocab, ps, n, "meta");
	{
		kh_buf w = KH_BUF_INIT;
		char loc[32];

		kh_buf_adds(&w, "");
		for (i = 0; i < 9; i++)
			kh_buf_printf(&w, "%s\n", plan_meta[i]);
		for (i = 9; i < NPARAS(plan_meta); i++) {
			/* The closing blocks moved down by the body. */
			const char *bar = strchr(plan_meta[i] + 5, '|');
			long p = strtol(plan_meta[i] + 5, NULL, 10);

			snprintf(loc, sizeof(loc), "%ld", p + BODY - 2);
			kh_buf_printf(&w, "meta|%s%s\n", loc, bar);
		}
		want = w.s;
	}
	T_STREQ(got, want, "a plan with %d paragraphs of body", BODY);
	free(got);
	free(want);
	free(ps);
	free(longtext);
}

int
main(void)
{
	kh_err err;

	if ((vocab = kh_vocab_load(NULL, &err)) == NULL) {
		printf("not ok - the vocabulary: %s\n", err.msg);
		return 1;
	}
	FEED_CHECK(vocab, plan, "meta diag", plan_meta,
	    "a plan with a header table and a closing table");
	FEED_CHECK(vocab, party, "meta diag", party_meta,
	    "a Party document: Số without a colon, T/M");
	FEED_CHECK(vocab, letter, "meta diag", letter_meta,
	    "a công văn: V/v, Kính gửi, closing blocks as paragraphs");
	FEED_CHECK(vocab, decision, "meta diag", decision_meta,
	    "a decision: line breaks in Nơi nhận and the signature");
	FEED_CHECK(vocab, boxes, "meta diag", boxes_meta,
	    "a header in text boxes, signed above Nơi nhận");
	FEED_CHECK(vocab, flat, "meta diag", flat_meta,
	    "a header table flattened to tabs");
	FEED_CHECK(vocab, lookalike, "meta diag", lookalike_meta,
	    "the look-alike Ð, an impossible date");
	FEED_CHECK(vocab, draft, "meta diag", draft_meta,
	    "a draft: blanks as dots, the kind from the title");
	FEED_CHECK(vocab, sign_tl, "meta diag", sign_tl_meta, "TL.");
	FEED_CHECK(vocab, sign_tuq, "meta diag", sign_tuq_meta,
	    "TUQ. and a digital signature's lines");
	FEED_CHECK(vocab, sign_q, "meta diag", sign_q_meta, "Q.");
	FEED_CHECK(vocab, sign_bare, "meta diag", sign_bare_meta,
	    "the head signing alone at the end; notes and page headers ignored");
	test_appendix();
	test_seed();
	test_long();
	kh_vocab_free(vocab);
	return t_done();
}
