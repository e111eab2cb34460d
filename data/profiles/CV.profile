# Công văn (official letter): no type name and no type code in its symbol
# ("12/UBND-VX"); its trích yếu is the "V/v ..." line under the number, and
# it opens with "Kính gửi:" (khprofile(5)).  CV stands for the empty kind.
kind CV
include default
rule title-missing	off
rule subject-prefix	error	V/v
rule addressee-missing	error
