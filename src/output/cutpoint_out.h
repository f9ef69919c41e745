/* cutpoint_out.h: writing a cutpoint search (maxstat) as text, tsv or json. */
#ifndef AXS_CUTPOINT_OUT_H
#define AXS_CUTPOINT_OUT_H

#include <stdio.h>

#include "stats/maxstat.h"

/* A hazard ratio, high vs low, from a Cox fit of the group indicator. */
typedef struct
{
  size_t n, events;               /* patients and events in the fit */
  double hr, lower, upper, p;     /* NaN when there is no fit */
  int may_be_infinite;            /* a group had no events: HR diverges */
} axs_cutpoint_hr;

/* Everything the cutpoint command found, with how it was computed. */
typedef struct
{
  const char *time, *event;       /* the endpoint's columns */
  const char *marker;
  size_t n_used, n_excluded;
  double minprop, maxprop;
  const axs_maxstat_result *ms;   /* the search, its profile and Lau92/94 */
  double p_uncorrected;           /* 2 (1 - Phi (M)): what a naive analysis reports */
  unsigned long seed;             /* of every random part below */
  double conf_level;              /* of the HR intervals and the bootstrap interval */
  size_t permutations;            /* 0: none */
  double p_perm;
  axs_cutpoint_hr naive;          /* on all patients, at the chosen cut */
  /* --bootstrap B */
  size_t bootstrap;               /* B, 0: none */
  const double *boot_cut;         /* B cuts, NaN where a resample had none */
  size_t boot_undefined;
  double boot_median, boot_lower, boot_upper;
  double boot_same;               /* share of defined resamples choosing the same cut */
  /* --cv K */
  size_t folds;                   /* K, 0: none */
  const double *fold_cut;         /* K cuts chosen on the training folds (NaN: none) */
  const size_t *fold_n, *fold_events;  /* K held-out patients and their events */
  axs_cutpoint_hr cv;             /* pooled over the held-out patients */
  /* warnings also printed on stderr */
  const char *const *warnings;
  size_t nwarnings;
} axs_cutpoint_report;

/* The tables a cutpoint command can print with --table, in this order. */
enum { AXS_CUTPOINT_SUMMARY, AXS_CUTPOINT_PROFILE, AXS_CUTPOINT_BOOTSTRAP,
       AXS_CUTPOINT_FOLDS };
extern const char *const axs_cutpoint_tables[];

/* --format text: the report, or one table when TABLE >= 0. */
int axs_cutpoint_write_text (FILE *f, const axs_cutpoint_report *r, int table);
/* --format tsv: one table (AXS_CUTPOINT_*). */
int axs_cutpoint_write_tsv (FILE *f, const axs_cutpoint_report *r, int table);
/* --format json: the whole document (read back by cohort/cutfile.h). */
void axs_cutpoint_write_json (FILE *f, const axs_cutpoint_report *r);

#endif
