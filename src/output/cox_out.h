/* cox_out.h: writing a Cox model's results as text, tsv or json. */
#ifndef AXS_COX_OUT_H
#define AXS_COX_OUT_H

#include <stdio.h>

/* One column of the model: its coefficient and hazard ratio. */
typedef struct
{
  const char *term;             /* "sex=male", "age", "pgr=high:arm=B" */
  double coef, se;
  double hr, hr_lower, hr_upper;
  double z, p;                  /* Wald; with Firth z is NaN and p the profile LR test's */
  double chisq;                 /* Firth: the profile penalised LR statistic; else NaN */
  int may_be_infinite;          /* monotone likelihood: the estimate diverges */
} axs_cox_row;

/* A chi-square test; chisq NaN: not available. */
typedef struct
{
  const char *term;             /* zph: the term or "GLOBAL"; else NULL */
  double chisq;
  int df;
  double p;
} axs_cox_test;

/* The biomarker's effect within one level of the interaction's modifier. */
typedef struct
{
  const char *level;            /* "arm=B" */
  axs_cox_row row;              /* row.term: the marker column, e.g. "pgr=high" */
} axs_cox_within;

/* Everything a Cox analysis reports.  Built by the cli layer; the writers
   only format it. */
typedef struct
{
  const char *time, *event;     /* the endpoint's columns */
  const char *strata;           /* the strata column, or NULL */
  const char *method;           /* "cox" or "firth" */
  const char *ties;             /* "efron" or "breslow" */
  double conf_level;
  size_t n, nevent, n_excluded;

  size_t nrow;                  /* the model's columns, biomarker first */
  axs_cox_row *row;

  double loglik_null, loglik;   /* Firth: penalised */
  axs_cox_test lr, wald, score;
  double concordance, concordance_se;
  double aic;                   /* NaN when not defined (Firth) */
  int iterations, converged;

  size_t nzph;                  /* 0: no test asked; else terms + GLOBAL */
  axs_cox_test *zph;

  const char *interaction;      /* the interaction term, "pgr:arm", or NULL */
  axs_cox_test interaction_test;/* LR test: with against without the interaction */
  size_t nwithin;
  axs_cox_within *within;

  size_t nwarning;
  char **warning;
} axs_cox_report;

/* The tables of --table, in this order. */
enum { AXS_COX_TERMS, AXS_COX_MODEL, AXS_COX_ZPH, AXS_COX_INTERACTION };
extern const char *const axs_cox_tables[];

/* --format text: the whole report, or one table when TABLE >= 0. */
int axs_cox_write_text (FILE *f, const axs_cox_report *r, int table);
/* --format tsv: one table (AXS_COX_*). */
int axs_cox_write_tsv (FILE *f, const axs_cox_report *r, int table);
/* --format json: the whole document. */
void axs_cox_write_json (FILE *f, const axs_cox_report *r);

#endif
