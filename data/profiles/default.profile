# The default profile of khvalidate: the rules of Decree 30/2020/NĐ-CP that
# hold for every administrative document, at their default severities.  It
# serves the kinds no other profile claims, and the others include it.
# The format is described in khprofile(5).
#
# rule NAME SEVERITY [final=SEVERITY] [PARAMETER]
# SEVERITY is error, warning, note or off; final= is the severity with
# --final (the same when not given); a PARAMETER lists alternatives
# separated by "|".

# Quốc hiệu and Tiêu ngữ, spelled as Appendix I prints them; a tone mark
# placed otherwise (HOÀ for HÒA) is a warning of its own.
rule motto-missing	error
rule motto-spelling	error	CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập - Tự do - Hạnh phúc
rule motto-tone		warning
rule agency-missing	error

# Số, ký hiệu.  A draft leaves the number blank until it is issued.
rule number-missing	error
rule number-blank	note	final=error
rule number-format	error
rule number-zero	error
rule kind-mismatch	error

# Địa danh và thời gian.  A draft leaves the day blank.
rule place-missing	error
rule date-missing	error
rule date-blank		note	final=error
rule date-invalid	error
rule date-zero		error
rule date-future	error

# Tên loại và trích yếu.
rule title-missing	error
rule subject-missing	error
rule subject-prefix	off

# Citations of other documents.
rule cite-date-invalid	error
rule cite-date-after	error
rule cite-self		error

# The outline: parts I, II, III; items 1, 2, 3 restarting in every part.
rule section-order	error
rule item-order		error
rule section-duplicate	error
rule part-missing	error

# The signature block.  A draft may lack the signer's name.
rule sign-authority	error	TM.|KT.|TL.|TUQ.|Q.
rule sign-deputy	error	PHÓ|THỨ TRƯỞNG
rule signer-missing	warning	final=error

# Nơi nhận, and Kính gửi for the types sent to a named addressee.
rule recipients-missing	error
rule recipient-line	error
rule recipients-archive	error	Lưu: VT
rule addressee-missing	off
