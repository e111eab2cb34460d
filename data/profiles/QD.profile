# Quyết định (decision): organised by "Điều 1.", "Điều 2." after a
# "QUYẾT ĐỊNH:" line, so no part is required (khprofile(5)).
kind QĐ
include default
rule title-missing	error	QUYẾT ĐỊNH
