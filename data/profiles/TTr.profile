# Tờ trình (submission): always addressed to the body that decides, so it
# opens with "Kính gửi:" (khprofile(5)).
kind TTr
include default
rule title-missing	error	TỜ TRÌNH
rule addressee-missing	error
