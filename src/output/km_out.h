/* km_out.h: writing Kaplan–Meier and log-rank results as text, tsv or json. */
#ifndef AXS_KM_OUT_H
#define AXS_KM_OUT_H

#include <stdio.h>

#include "output/json.h"
#include "stats/km.h"
#include "stats/logrank.h"

/* Who was analysed and how the groups were made: the context every table
   and document carries. */
typedef struct
{
  const char *time, *event;       /* the endpoint's columns */
  size_t n_used, n_excluded;
  const char *group_by;           /* the grouping column or marker, or NULL */
  char *const *group_names;       /* ngroups names */
  int ngroups;
  const double *cuts;             /* marker cuts, or NULL */
  size_t ncuts;
  const char *strata;             /* the strata column, or NULL */
  char *const *warnings;          /* what the run warned about */
  size_t nwarnings;
} axs_km_context;

/* A log-rank result with the options it was computed with. */
typedef struct
{
  const axs_logrank_result *r;    /* NULL: no test (one group) */
  double rho;
  int trend;                      /* the trend test was asked for */
  double trend_chisq, trend_p;
} axs_logrank_report;

/* The tables a km command can print with --table, in this order. */
enum { AXS_KM_SUMMARY, AXS_KM_CURVE, AXS_KM_LANDMARKS, AXS_KM_TEST };
extern const char *const axs_km_tables[];

/* --format text: the whole analysis, or one table when TABLE >= 0. */
int axs_km_write_text (FILE *f, const axs_km_context *c, const axs_km_result *km,
                       const axs_logrank_report *lr, int table);
/* --format tsv: one table (AXS_KM_*). */
int axs_km_write_tsv (FILE *f, const axs_km_context *c, const axs_km_result *km,
                      const axs_logrank_report *lr, int table);
/* --format json: the whole document. */
void axs_km_write_json (FILE *f, const axs_km_context *c, const axs_km_result *km,
                        const axs_logrank_report *lr);

/* The logrank command's tables: AXS_KM_TEST only, json with the test's
   fields at the top level. */
int axs_logrank_write_text (FILE *f, const axs_km_context *c,
                            const axs_logrank_report *lr);
void axs_logrank_write_json (FILE *f, const axs_km_context *c,
                             const axs_logrank_report *lr);

/* The header lines of a text report: endpoint, patients, groups. */
void axs_km_write_context_text (FILE *f, const char *title, const axs_km_context *c);
/* The same facts as json members of the current object. */
void axs_km_write_context_json (axs_json *j, const axs_km_context *c);

#endif
