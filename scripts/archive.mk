# scripts/archive.mk: keep the index of an archive of .docx current with make.
#
#	make -f scripts/archive.mk -j4 ARCHIVE=archive INDEX=index.khl
#
# Each ARCHIVE/x.docx has its extraction, checked by khvalidate, in
# STATE/ARCHIVE/x.khl, made again only when the .docx is newer; INDEX is the
# merge of them all (khmerge), made again when one changed.  make -j runs the
# extractions in parallel, and the merge gives the same bytes however they
# ran.  A document removed from the archive leaves the index at the next run;
# a document khextract cannot read is reported, its message kept beside its
# .khl as .err, and stays out of the index until it changes.
#
# The document keys are the paths under ARCHIVE as make names them, as in
#	khextract ARCHIVE/*.docx | khvalidate | khmerge
# Like every makefile, it cannot handle file names with spaces or any of
# the characters : # % $; use scripts/kh-parallel for such an archive.
# Needs GNU make 4.0 or later.

ARCHIVE		?= archive
STATE		?= .khstate
INDEX		?= index.khl
KHEXTRACT	?= khextract
KHVALIDATE	?= khvalidate
KHMERGE		?= khmerge
KHVALIDATE_FLAGS ?=

KH_DOCX		:= $(shell find '$(ARCHIVE)' -name '*.docx' -type f | LC_ALL=C sort)
KH_KHL		:= $(KH_DOCX:%.docx=$(STATE)/%.khl)

KH_LIST		:= $(STATE)/index.list

.PHONY: all archive-errors
all: $(INDEX)

# The list of parts, one a line (a command line could not hold the names of
# a large archive), written again only when the set of documents changed:
# a removed document then remakes the index too.
ifneq ($(strip $(file <$(KH_LIST))),$(strip $(KH_KHL)))
$(shell mkdir -p '$(STATE)')
$(file >$(KH_LIST))
$(foreach f,$(KH_KHL),$(file >>$(KH_LIST),$(f)))
endif

$(INDEX): $(KH_KHL) $(KH_LIST)
	@echo "merge $@"
	@$(KHMERGE) --files-from $(KH_LIST) -o $@

# khvalidate exits 1 when it finds errors in a document: that is its
# finding, kept in the .khl as diag records, not a failure of the build.
$(STATE)/%.khl: %.docx
	@echo "extract $<"
	@mkdir -p $(@D)
	@$(KHEXTRACT) -o $@.x $< 2>$@.err; \
	if [ $$? -eq 0 ]; then rm -f $@.err; else cat $@.err >&2; fi; \
	$(KHVALIDATE) $(KHVALIDATE_FLAGS) $@.x >$@.v; st=$$?; \
	rm -f $@.x; \
	if [ $$st -gt 1 ]; then rm -f $@.v; exit 2; fi; \
	mv $@.v $@

# The documents that could not be read, with the reason.
archive-errors:
	@find $(STATE) -name '*.err' -exec cat {} + 2>/dev/null || true
