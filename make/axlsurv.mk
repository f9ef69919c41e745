# axlsurv.mk: reproducible survival reports with GNU make (4.0 or later).
#
# Include this file from your own Makefile AFTER setting the variables below
# (axlsurv-report(7) has a complete example).  For every cohort, endpoint and
# marker it writes, under $(AXLSURV_OUT):
#
#   data/C.csv                          a copy of the cohort (what was analysed)
#   C/manifest.tsv                      each output of C and the command behind it
#   C/E/describe.{txt,json}             patients, events, follow-up, columns
#   C/E/M/km.{txt,json}                 Kaplan-Meier tables with the log-rank test
#   C/E/M/logrank.{txt,json}            the log-rank test
#   C/E/M/cox.{txt,json}                univariable Cox, marker continuous, PH test
#   C/E/M/cox-adjusted.{txt,json}       the same adjusted for C_COVARIATES
#   C/E/M/cutpoint.{txt,json}           maximally selected log-rank cutpoint
#   C/E/M/km.{png,svg}                  Kaplan-Meier figure with the risk table
#   C/E/M/cutpoint.{png,svg}            cutpoint profile, the chosen cut marked
#   C/E/M/forest.{png,svg}              forest plot of the adjusted model (when
#                                       C_COVARIATES is set)
#   index.html, index.md                every output with its provenance and a
#                                       methods paragraph
#
# Each output is written by one command with -o (or --render) to a temporary
# file renamed when complete, so a failed step leaves nothing behind; outputs
# depend on their cohort's copy and on the cohort's manifest (which changes
# when an option does), so touching one cohort rebuilds only its outputs,
# make -j is safe, and a rerun writes the same bytes (fixed seeds, no dates).
#
# Per cohort C (names: letters, digits, _ and -):
#   AXLSURV_COHORTS     the cohorts, e.g. "nsclc kirc"
#   C_FILE              its CSV file (required)
#   C_OPTIONS           options for every command: --na, --subset, --delimiter
#   C_ENDPOINTS         the endpoints (default: os)
#   C_E_OPTIONS         how endpoint E is found (default: --endpoint E), e.g.
#                       --time os_days --event os_event
#   C_MARKERS           the numeric marker columns (required)
#   C_COVARIATES        covariates of the adjusted Cox model (none: no such model)
#   C_M_CUT             how km and logrank split marker M (default: median)
#   C_M_TRANSFORM       M in the continuous Cox models: none (default), log,
#                       log2, log2p1 or z
#   C_PLOT_OPTIONS      more options of the Kaplan-Meier figures, e.g.
#                       --time-unit days --axis-unit years
# For every cohort:
#   AXLSURV             the program (default: axlsurv)
#   GNUPLOT             the gnuplot the figures are drawn with (default: gnuplot;
#                       set empty: no figures)
#   AXLSURV_OUT         the report's directory (default: report)
#   AXLSURV_FIGURES     image formats: png, svg, pdf (default: png svg; empty:
#                       no figures)
#   AXLSURV_KM_OPTIONS, AXLSURV_LOGRANK_OPTIONS, AXLSURV_COX_OPTIONS,
#   AXLSURV_CUTPOINT_OPTIONS, AXLSURV_PLOT_OPTIONS: options of every run
#                       of that command (cutpoint: default --seed 1; plot:
#                       options every figure takes, e.g. --size 7,5)
#   AXLSURV_CUTPOINT_RANGE  --minprop P --maxprop P of the cutpoint search, for
#                       the analysis and its figure (default: 0.1 to 0.9)
#
# Targets: axlsurv-report (everything; also the default goal if your Makefile
# has none before the include), axlsurv-C (one cohort), axlsurv-clean.

AXLSURV_MK_DIR := $(dir $(lastword $(MAKEFILE_LIST)))

AXLSURV ?= axlsurv
GNUPLOT ?= gnuplot
AXLSURV_OUT ?= report
AXLSURV_FIGURES ?= png svg
AXLSURV_KM_OPTIONS ?=
AXLSURV_LOGRANK_OPTIONS ?=
AXLSURV_COX_OPTIONS ?=
AXLSURV_CUTPOINT_OPTIONS ?= --seed 1
AXLSURV_CUTPOINT_RANGE ?=
AXLSURV_PLOT_OPTIONS ?=
AXLSURV_INDEX ?= $(SHELL) $(AXLSURV_MK_DIR)report-index
# Outputs are remade when the program itself is (when it is a file here).
AXLSURV_DEPS ?= $(wildcard $(AXLSURV))

export GNUPLOT
# No gnuplot (GNUPLOT set empty, as configure does when it finds none): no figures.
ifeq ($(strip $(GNUPLOT)),)
AXLSURV_FIGURES :=
endif

# A failed recipe's target is removed (the commands are atomic anyway).
.DELETE_ON_ERROR:

axs_empty :=
axs_space := $(axs_empty) $(axs_empty)
axs_comma := ,
axs_tab := $(axs_empty)	$(axs_empty)
define axs_newline


endef

.PHONY: axlsurv-report axlsurv-clean axs-force
axlsurv-report:
axs-force:

# $(call axs_output,TARGET,COHORT,ENDPOINT,MARKER,ANALYSIS,ARGS,OUTPUT-OPTION)
# One output: TARGET is written by `$(AXLSURV) ARGS OUTPUT-OPTION TARGET`.
define axs_output_rule
axs_targets_$(2) += $(1)
axs_what_$(1) := $(3)$(axs_tab)$(4)$(axs_tab)$(5)
axs_args_$(1) := $(strip $(6) $(7))
$(1): $(AXLSURV_OUT)/data/$(2).csv $(AXLSURV_OUT)/$(2)/manifest.tsv $$(AXLSURV_DEPS)
	@mkdir -p $$(@D)
	$$(AXLSURV) $$(axs_args_$(1)) $$@
endef
axs_output = $(eval $(call axs_output_rule,$(1),$(2),$(3),$(4),$(5),$(6),$(7)))

# --format from a file name's extension.
axs_format = $(if $(filter %.json,$(1)),json,$(if $(filter %.tsv,$(1)),tsv,text))

# An analysis as a text table and as JSON:
# $(call axs_tables,COHORT,ENDPOINT,MARKER,ANALYSIS,DIR,ARGS-BEFORE-COHORT)
axs_tables = $(foreach x,txt json,$(call axs_output,$(5)/$(4).$(x),$(1),$(2),$(3),$(4),\
  $(6) --format $(call axs_format,.$(x)) $(AXLSURV_OUT)/data/$(1).csv,-o))

# What every command of endpoint E of cohort C is given: $(call axs_common,C,E)
axs_common = $(strip $($(1)_OPTIONS) $($(1)_$(2)_OPTIONS))

# The analyses of marker M for endpoint E of cohort C: $(call axs_marker,C,E,M)
axs_marker = \
  $(call axs_tables,$(1),$(2),$(3),km,$(AXLSURV_OUT)/$(1)/$(2)/$(3),\
    km $(call axs_common,$(1),$(2)) --marker $(3) --cut $($(1)_$(3)_CUT) $(AXLSURV_KM_OPTIONS))\
  $(call axs_tables,$(1),$(2),$(3),logrank,$(AXLSURV_OUT)/$(1)/$(2)/$(3),\
    logrank $(call axs_common,$(1),$(2)) --marker $(3) --cut $($(1)_$(3)_CUT) \
    $(AXLSURV_LOGRANK_OPTIONS))\
  $(call axs_tables,$(1),$(2),$(3),cox,$(AXLSURV_OUT)/$(1)/$(2)/$(3),\
    cox $(call axs_common,$(1),$(2)) --marker $(3) --continuous \
    --transform $($(1)_$(3)_TRANSFORM) --zph $(AXLSURV_COX_OPTIONS))\
  $(if $(strip $($(1)_COVARIATES)),\
    $(call axs_tables,$(1),$(2),$(3),cox-adjusted,$(AXLSURV_OUT)/$(1)/$(2)/$(3),\
      cox $(call axs_common,$(1),$(2)) --marker $(3) --continuous \
      --transform $($(1)_$(3)_TRANSFORM) \
      --covariates $(subst $(axs_space),$(axs_comma),$(strip $($(1)_COVARIATES))) --zph \
      $(AXLSURV_COX_OPTIONS)))\
  $(call axs_tables,$(1),$(2),$(3),cutpoint,$(AXLSURV_OUT)/$(1)/$(2)/$(3),\
    cutpoint $(call axs_common,$(1),$(2)) --marker $(3) $(AXLSURV_CUTPOINT_RANGE) \
    $(AXLSURV_CUTPOINT_OPTIONS))\
  $(foreach x,$(AXLSURV_FIGURES),\
    $(call axs_output,$(AXLSURV_OUT)/$(1)/$(2)/$(3)/km.$(x),$(1),$(2),$(3),km-figure,\
      plot km $(call axs_common,$(1),$(2)) --marker $(3) --cut $($(1)_$(3)_CUT) \
      $(AXLSURV_KM_OPTIONS) --median --hr $($(1)_PLOT_OPTIONS) $(AXLSURV_PLOT_OPTIONS) \
      $(AXLSURV_OUT)/data/$(1).csv,--render)\
    $(call axs_output,$(AXLSURV_OUT)/$(1)/$(2)/$(3)/cutpoint.$(x),$(1),$(2),$(3),cutpoint-figure,\
      plot cutpoint $(call axs_common,$(1),$(2)) --marker $(3) $(AXLSURV_CUTPOINT_RANGE) \
      $(AXLSURV_PLOT_OPTIONS) $(AXLSURV_OUT)/data/$(1).csv,--render)\
    $(if $(strip $($(1)_COVARIATES)),\
      $(call axs_output,$(AXLSURV_OUT)/$(1)/$(2)/$(3)/forest.$(x),$(1),$(2),$(3),forest-figure,\
        plot forest $(call axs_common,$(1),$(2)) --marker $(3) --continuous \
        --transform $($(1)_$(3)_TRANSFORM) \
        --covariates $(subst $(axs_space),$(axs_comma),$(strip $($(1)_COVARIATES))) --zph \
        $(AXLSURV_COX_OPTIONS) $(AXLSURV_PLOT_OPTIONS) $(AXLSURV_OUT)/data/$(1).csv,--render)))

# Everything about cohort C: $(call axs_cohort,C)
define axs_cohort_defaults
$(1)_ENDPOINTS ?= os
$(foreach e,$($(1)_ENDPOINTS),$(1)_$(e)_OPTIONS ?= --endpoint $(e)$(axs_newline))
$(foreach m,$($(1)_MARKERS),$(1)_$(m)_CUT ?= median$(axs_newline)$(1)_$(m)_TRANSFORM ?= none$(axs_newline))
endef

define axs_cohort_rules
$(AXLSURV_OUT)/data/$(1).csv: $($(1)_FILE) $(AXLSURV_OUT)/$(1)/manifest.tsv
	@mkdir -p $$(@D)
	cp $$< $$@.tmp && mv $$@.tmp $$@
.PHONY: axlsurv-$(1)
axlsurv-$(1): $$(axs_targets_$(1))
axlsurv-report: axlsurv-$(1)
endef

axs_cohort = \
  $(if $($(1)_FILE),,$(error axlsurv.mk: cohort $(1): set $(1)_FILE))\
  $(if $($(1)_MARKERS),,$(error axlsurv.mk: cohort $(1): set $(1)_MARKERS))\
  $(eval $(call axs_cohort_defaults,$(1)))\
  $(foreach e,$($(1)_ENDPOINTS),\
    $(call axs_tables,$(1),$(e),,describe,$(AXLSURV_OUT)/$(1)/$(e),\
      describe $(call axs_common,$(1),$(e)))\
    $(foreach m,$($(1)_MARKERS),$(call axs_marker,$(1),$(e),$(m))))\
  $(eval $(call axs_cohort_rules,$(1)))

$(foreach c,$(AXLSURV_COHORTS),$(call axs_cohort,$(c)))

# The manifest of cohort C: one line per output, "file (relative to
# $(AXLSURV_OUT)), endpoint, marker, analysis, command".  It is rewritten
# only when its text changes, so that a changed option remakes the cohort.
axs_rel = $(patsubst $(AXLSURV_OUT)/%,%,$(1))
axs_line = $(call axs_rel,$(1))$(axs_tab)$(axs_what_$(1))$(axs_tab)$(strip \
  axlsurv $(axs_args_$(1)) $(1))
axs_lines = $(if $(1),$(call axs_line,$(firstword $(1)))$(if $(word 2,$(1)),$(axs_newline)$(call \
  axs_lines,$(wordlist 2,$(words $(1)),$(1)))))
axs_input_line = data/$(1).csv$(axs_tab)$(axs_tab)$(axs_tab)input$(axs_tab)cp $(notdir $($(1)_FILE))
axs_manifest = $(call axs_input_line,$(1))$(axs_newline)$(call axs_lines,$(axs_targets_$(1)))
axs_equal = $(and $(findstring $(1),$(2)),$(findstring $(2),$(1)))
# FILE holds TEXT and a newline ($(file <) of make 4.3 does not always drop it)
axs_file_is = $(or $(call axs_equal,$(file <$(1)),$(2)),$(call \
  axs_equal,$(file <$(1)),$(2)$(axs_newline)))
axs_sq = '$(subst ','\'',$(1))'

define axs_manifest_rule
$(AXLSURV_OUT)/$(1)/manifest.tsv: $(if $(call axs_file_is,$(AXLSURV_OUT)/$(1)/manifest.tsv,$(call \
  axs_manifest,$(1))),,axs-force)
	@mkdir -p $$(@D)
	@printf '%s\n' $$(call axs_sq,$$(call axs_input_line,$(1))) \
	  $$(foreach t,$$(axs_targets_$(1)),$$(call axs_sq,$$(call axs_line,$$(t)))) >$$@.tmp
	@mv $$@.tmp $$@
endef
$(foreach c,$(AXLSURV_COHORTS),$(eval $(call axs_manifest_rule,$(c))))

# The index: every output with its command, the inputs' sha256, the program's
# version and a methods paragraph from the options the outputs record.
axs_all_targets = $(foreach c,$(AXLSURV_COHORTS),$(axs_targets_$(c)))
axs_manifests = $(foreach c,$(AXLSURV_COHORTS),$(AXLSURV_OUT)/$(c)/manifest.tsv)

$(AXLSURV_OUT)/index.html $(AXLSURV_OUT)/index.md: $(axs_all_targets) $(axs_manifests) \
    $(AXLSURV_MK_DIR)report-index $(AXLSURV_DEPS)
	$(AXLSURV_INDEX) --axlsurv '$(AXLSURV)' --format $(patsubst .%,%,$(suffix $@)) \
	  -o $@ $(AXLSURV_OUT) $(AXLSURV_COHORTS)

axlsurv-report: $(AXLSURV_OUT)/index.html $(AXLSURV_OUT)/index.md

axlsurv-clean:
	rm -rf $(AXLSURV_OUT)
