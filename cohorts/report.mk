# report.mk: the report on the bundled cohorts, made by `make report` at the top
# of the build tree (Makefile.am runs `$(MAKE) -f cohorts/report.mk` with
# AXLSURV=src/axlsurv).  It is also an example of a Makefile that uses
# make/axlsurv.mk: list the cohorts, say how to read each, then include it.
# axlsurv-report(7) documents every variable.

axs_cohorts_dir := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

AXLSURV_COHORTS = nsclc_sim tcga_kirc tcga_uvm tcga_acc

# Fixed seed: the permutation p-value, the bootstrap interval of the cut and
# the cross-validation folds are the same on every run.
AXLSURV_CUTPOINT_OPTIONS = --seed 1 --permutations 2000 --bootstrap 500 --cv 5

# Simulated NSCLC (axlsurv simulate): OS and PFS in months, tumour AXL
# (H-score) and serum sAXL (ng/mL, log-normal: per doubling in Cox).
nsclc_sim_FILE = $(axs_cohorts_dir)/nsclc_sim.csv
nsclc_sim_ENDPOINTS = os pfs
nsclc_sim_MARKERS = AXL sAXL
nsclc_sim_sAXL_TRANSFORM = log2
nsclc_sim_COVARIATES = age sex stage arm
nsclc_sim_PLOT_OPTIONS = --time-unit months

# TCGA (TCGA-PROVENANCE.md): OS in days as os_days/os_event, tumour AXL mRNA.
# KIRC: Agilent log2 ratios, used as they are; UVM, ACC: RNA-seq counts, log2(x + 1).
tcga_kirc_FILE = $(axs_cohorts_dir)/tcga_kirc_AXL_OS.csv
tcga_kirc_os_OPTIONS = --time os_days --event os_event
tcga_kirc_MARKERS = AXL
tcga_kirc_COVARIATES = age gender
tcga_kirc_PLOT_OPTIONS = --time-unit days --axis-unit years

tcga_uvm_FILE = $(axs_cohorts_dir)/tcga_uvm_AXL_OS.csv
tcga_uvm_os_OPTIONS = --time os_days --event os_event
tcga_uvm_MARKERS = AXL
tcga_uvm_AXL_TRANSFORM = log2p1
tcga_uvm_COVARIATES = age gender
tcga_uvm_PLOT_OPTIONS = --time-unit days --axis-unit years

tcga_acc_FILE = $(axs_cohorts_dir)/tcga_acc_AXL_OS.csv
tcga_acc_os_OPTIONS = --time os_days --event os_event
tcga_acc_MARKERS = AXL
tcga_acc_AXL_TRANSFORM = log2p1
tcga_acc_COVARIATES = age gender
tcga_acc_PLOT_OPTIONS = --time-unit days --axis-unit years

include $(axs_cohorts_dir)/../make/axlsurv.mk
