/* scan_out.h: writing a marker scan (one Cox model and one log-rank test per
   feature) as text, tsv or json. */
#ifndef AXS_SCAN_OUT_H
#define AXS_SCAN_OUT_H

#include <stddef.h>
#include <stdio.h>

/* What became of one feature's tests. */
typedef enum
{
  AXS_SCAN_OK,              /* tested */
  AXS_SCAN_INFINITE,        /* tested; the Cox coefficient may be infinite */
  AXS_SCAN_NOT_CONVERGED,   /* tested; Cox ran out of iterations */
  AXS_SCAN_CONSTANT,        /* the feature does not vary (or is collinear
                               with the covariates): no test */
  AXS_SCAN_TOO_FEW,         /* fewer than 2 patients with a value */
  AXS_SCAN_NO_EVENTS,       /* no event among the patients with a value */
  AXS_SCAN_LOG2_NEGATIVE    /* --log2 and a value below 0 */
} axs_scan_status;

/* The names of the statuses as tsv and json write them: "ok", "infinite", ... */
extern const char *const axs_scan_status_names[];

typedef struct
{
  const char *feature;
  axs_scan_status status;
  size_t n, events;             /* patients with a value, their events */
  /* Cox, continuous, per unit of the feature (adjusted for covariates) */
  double coef, se, hr, hr_lower, hr_upper, p, q;
  size_t rank;                  /* by p, 1 the smallest; 0 when p is NaN */
  double sd;                    /* the feature's standard deviation */
  double hr_sd, hr_sd_lower, hr_sd_upper;   /* per SD: exp (coef sd) */
  /* log-rank at the --cut split */
  double logrank_chisq, logrank_p, logrank_q;
  int logrank_df;
  double cut;                   /* the (first) split value */
  size_t n_high;                /* patients above the (last) cut */
  /* maximally selected cut (--cutpoint) */
  double best_cut, best_stat, best_p, best_q;
  size_t best_n_high;
} axs_scan_feature;

typedef struct
{
  const char *cohort;           /* the cohort file */
  const char *matrix;           /* the matrix file, or NULL (--markers) */
  const char *id;               /* the joining column, or NULL */
  const char *time, *event;
  const char *strata;
  const char *const *covariates;    /* the covariates as given */
  size_t ncov;
  int log2;                     /* features were log2 (x + 1) transformed */
  const char *cut_spec;         /* "median", "tertiles", ... */
  const char *cutpoint;         /* NULL, "lau94" or "lau92" */
  double minprop, maxprop;
  size_t n_rows, n_excluded;    /* cohort rows; left out for a missing value */
  size_t n_subset_out;
  size_t n_patients, n_events;  /* analysed: in the cohort (and in the matrix) */
  size_t n_cohort_only;         /* analysed cohort patients with no matrix column */
  size_t n_matrix_only;         /* matrix columns with no analysed cohort patient */
  size_t n_tested;              /* features with a Cox p */
  size_t nfeat;
  const axs_scan_feature *f;    /* nfeat, in input order */
  const char *const *highlight; /* features to show whatever their rank */
  size_t nhighlight;
  size_t top;                   /* text: this many best features */
} axs_scan_report;

/* text: the context, the TOP features by Cox p, the highlighted ones. */
int axs_scan_write_text (FILE *f, const axs_scan_report *r);
/* tsv: every feature in input order, one row each, the columns of json. */
int axs_scan_write_tsv (FILE *f, const axs_scan_report *r);
/* json: {"command":"scan", ..., "n_features":N, "features":[...]} */
void axs_scan_write_json (FILE *f, const axs_scan_report *r);

#endif
