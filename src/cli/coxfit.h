/* coxfit.h: the walk of a Cox analysis (model options, load, model matrix,
   fit, concordance, PH test, interaction, warnings), shared by the commands
   that fit Cox models (cox; plot forest and scan can reuse it). */
#ifndef AXS_CLI_COXFIT_H
#define AXS_CLI_COXFIT_H

#include "cli/options.h"
#include "cohort/model.h"
#include "output/cox_out.h"
#include "stats/concordance.h"
#include "stats/cox.h"
#include "stats/firth.h"
#include "stats/zph.h"

/* The model options, as parsed from --covariates, --ref, --continuous,
   --transform, --interaction, --ties, --max-iter, --conf-level, --zph and
   --firth (axs_coxfit_long_options, codes from AXS_COXFIT_OPTION_BASE). */
typedef struct
{
  enum axs_cox_ties ties;
  int ties_given;
  int max_iter;                 /* -1: the default (20, or 50 with --firth) */
  double conf_level;
  int continuous;
  axs_transform transform;
  int transform_given;
  char **covariate;             /* "NAME" or "NAME:factor" */
  size_t ncovariate;
  char **ref;                   /* "COL=LEVEL" */
  size_t nref;
  const char *interaction;
  int firth, zph;
  int quiet;                    /* warnings go only into the report, not to
                                   stderr (for a model fitted on the side, e.g.
                                   plot forest's interaction tests) */
} axs_coxfit_options;

enum { AXS_COXFIT_OPTION_BASE = 700 };
/* The long options above, terminated by a zero entry, to pass to
   axs_cli_parse (or to copy into a longer list). */
extern const struct option axs_coxfit_long_options[];

void axs_coxfit_options_init (axs_coxfit_options *o);
/* Take option CODE with ARG into O; returns 1 if CODE is one of
   axs_coxfit_long_options, else 0.  A bad argument is a usage error. */
int axs_coxfit_option (const axs_cli *cli, axs_coxfit_options *o, int code,
                       const char *arg);
/* Checks that need every option seen; with --continuous, drops the default
   --cut median that axs_cli_parse set up, so the design keeps the marker's
   values.  Usage errors exit. */
void axs_coxfit_options_check (axs_cli *cli, axs_coxfit_options *o);
void axs_coxfit_options_free (axs_coxfit_options *o);

/* A fitted model and its report. */
typedef struct
{
  axs_table *table;
  axs_design design;            /* its patients sorted by stratum and time
                                   (stable), the order of the fits */
  axs_model model;               /* model.x is freed (NULL) once the fits are
                                   done, before the concordance; its rows are
                                   the design's, in the design's order */
  axs_cox_result *cox;          /* the maximum partial likelihood fit (always made) */
  axs_firth_result *firth;      /* the Firth fit, with --firth */
  double *lp;                   /* n: the linear predictor of the reported fit */
  axs_concordance_result concordance;
  axs_zph_result *zph;          /* with --zph */
  axs_cox_report report;        /* what the writers print; points into the above */
  int quiet;                    /* from the options: warnings not printed */
} axs_coxfit;

/* Load CLI's cohort, build the model O describes, fit it and fill F.
   Errors (bad data, collinear or constant terms, no events) print their
   message and exit; warnings (rows left out, infinite coefficients, no
   convergence) go to stderr and into F->report.warning. */
void axs_cli_coxfit (axs_cli *cli, const axs_coxfit_options *o, axs_coxfit *f);
void axs_coxfit_free (axs_coxfit *f);

#endif
