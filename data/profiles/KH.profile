# Kế hoạch (plan): the four parts a plan conventionally has, of which these
# three are required (khprofile(5)).
kind KH
include default
rule title-missing	error	KẾ HOẠCH
require-part Mục đích, yêu cầu
require-part Nội dung|Nhiệm vụ
require-part Tổ chức thực hiện
