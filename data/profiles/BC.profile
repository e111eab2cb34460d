# Báo cáo (report) (khprofile(5)).  A report sent upward often opens with
# "Kính gửi:", but not every one does: the rule stays off.
kind BC
include default
rule title-missing	error	BÁO CÁO
