/*
 * cite-bench: citations per second on one long paragraph.  The paragraph
 * is SIZE bytes (default 1M) of plan text with a citation every ~180 bytes;
 * it is recognized REPEAT times and the best processor time reported (the
 * machine may be shared), so "1M" and "4M" side by side show whether the
 * work is linear in the paragraph's length.
 *
 *	cite-bench [SIZE [REPEAT]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kh.h"
#include "recog.h"

static const char *const filler[] = {
	"Căn cứ Chỉ thị số 12/CT-UBND ngày 29/12/2021 của Chủ tịch UBND tỉnh "
	"về việc phát động phong trào thi đua năm 2022, ",
	"thực hiện Nghị quyết số 18-NQ/TW, Nghị quyết số 19-NQ/TW và Quy định "
	"số 08-QĐ/TW ngày 25/10/2018 của BCH Trung ương Đảng; ",
	"tổ chức tốt các phong trào thi đua yêu nước, lập thành tích xuất sắc "
	"chào mừng các ngày lễ lớn của đất nước và của tỉnh, ",
	"theo Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022 và Nghị định "
	"số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ; ",
	"đảm bảo công tác khen thưởng dân chủ, chính xác, công khai, minh bạch, "
	"kịp thời, đúng đối tượng, đúng thành tích theo quy định; ",
	"giao Văn phòng Sở định kỳ tổng hợp, báo cáo kết quả thi đua, khen "
	"thưởng theo chỉ đạo của Hội đồng Thi đua - Khen thưởng tỉnh; ",
	"tăng cường kiểm tra, giám sát việc tổ chức triển khai, thực hiện "
	"phong trào thi đua tại các phòng, đơn vị trực thuộc Sở; ",
};

#define NFILLER (sizeof(filler) / sizeof(filler[0]))

static size_t refs;

static void
count(void *ud, const char *type, const kh_loc *loc, size_t n,
    const char *const *f)
{
	if (strcmp(type, "ref") == 0)
		refs++;
}

int
main(int argc, char *argv[])
{
	kh_vocab *v;
	kh_citer *c;
	kh_err err;
	kh_buf text = KH_BUF_INIT;
	kh_para para;
	kh_sink sink = { count, NULL };
	struct timespec t0, t1;
	uint64_t size = 1 << 20;
	double best = 0, s;
	long i, repeat = 3;
	size_t k;

	if (argc > 1 && kh_parse_size(argv[1], &size, &err) == -1) {
		fprintf(stderr, "cite-bench: %s\n", err.msg);
		return 2;
	}
	if (argc > 2)
		repeat = strtol(argv[2], NULL, 10);
	if ((v = kh_vocab_load(NULL, &err)) == NULL ||
	    (c = kh_citer_new(v, &err)) == NULL) {
		fprintf(stderr, "cite-bench: %s\n", err.msg);
		return 2;
	}
	for (k = 0; text.len < size; k++)
		kh_buf_adds(&text, filler[k % NFILLER]);
	memset(&para, 0, sizeof(para));
	para.index = 1;
	for (i = 0; i < repeat; i++) {
		refs = 0;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
		if (kh_cite_para(c, &para, text.s, text.len, &sink, &err) ==
		    -1) {
			fprintf(stderr, "cite-bench: %s\n", err.msg);
			return 2;
		}
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
		s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (i == 0 || s < best)
			best = s;
	}
	printf("%zu bytes, %zu citations, %.3f s, %.0f citations/s, "
	    "%.1f MB/s\n", text.len, refs, best, refs / best,
	    text.len / best / 1e6);
	kh_buf_free(&text);
	kh_citer_free(c);
	kh_vocab_free(v);
	return 0;
}
