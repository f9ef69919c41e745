/* design.h: from a cohort table to the arrays an analysis needs.

   One walk over the rows: rows outside --subset are skipped, rows with a
   missing value in any column the analysis uses are left out (listwise
   deletion, counted), every other value is checked and converted.  Groups
   come from a categorical column or from cuts of a numeric marker. */
#ifndef AXS_DESIGN_H
#define AXS_DESIGN_H

#include <stddef.h>

#include "cohort/diag.h"
#include "cohort/table.h"
#include "cohort/values.h"

/* --subset COL=V1[,V2...]: keep rows whose COL is one of the values. */
typedef struct
{
  char *column;
  char **value;
  size_t n;
} axs_subset;

int axs_subset_parse (const char *spec, axs_subset *s, axs_diag *d);
void axs_subset_free (axs_subset *s);

/* --cut SPEC: how a numeric marker is split into groups. */
typedef enum
{
  AXS_CUT_QUANTILES,   /* at probabilities p[]: median, tertiles, quartiles, pNN */
  AXS_CUT_VALUES,      /* at the values v[] */
  AXS_CUT_OPTIMAL      /* one cut where the standardized log-rank statistic is
                          largest (axs_maxstat_test between the
                          AXS_CUT_MINPROP and AXS_CUT_MAXPROP quantiles, on
                          the patients analysed); groups low and high */
} axs_cut_kind;

/* The candidate cuts of --cut optimal (maxstat's defaults). */
#define AXS_CUT_MINPROP 0.1
#define AXS_CUT_MAXPROP 0.9

typedef struct
{
  axs_cut_kind kind;
  size_t n;            /* number of cuts: groups = n + 1 */
  double *at;          /* probabilities or values, ascending (NULL: optimal) */
  char prefix;         /* group names: 'T' -> T1..T3, 'Q' -> Q1..Q4; 0 otherwise */
} axs_cut;

/* Parse SPEC: median, tertiles, quartiles, pNN (0 < NN < 100), optimal, or
   V or V1,V2,... (ascending values).  A bad spec is a usage error in D. */
int axs_cut_parse (const char *spec, axs_cut *cut, axs_diag *d);
void axs_cut_free (axs_cut *cut);

/* A set of named levels; level i of a row is an int in 0..n-1. */
typedef struct
{
  size_t n;
  char **name;
} axs_levels;

void axs_levels_free (axs_levels *l);

/* The distinct texts of column COL over the table rows ROW[0..N): ID[i] is
   row i's text as a number in order of first appearance, *TEXT (malloc'd,
   *NID entries, pointing into T) the text of each number.  O(N): blocks of
   rows are hashed on threads, each into its own table, and their texts
   numbered in block order.  Returns AXS_OK or AXS_ENOMEM. */
int axs_levels_index (const axs_table *t, long col, size_t n, const size_t *row,
                      int *id, const char ***text, size_t *nid);

/* How many distinct texts column COL holds over the table rows ROW[0..N)
   (rows 0..N-1 when ROW is NULL), leaving out the cells NA calls missing
   (NA may be NULL), into *NDISTINCT.  With REPEAT non-NULL it looks for the
   first repeat instead: *REPEAT is the first i whose text an earlier i has
   (SIZE_MAX when none), *EARLIER the first i with that text, and
   *NDISTINCT is left alone.  For columns of many levels (patient ids):
   the texts are shared out among tasks by their hash, so that each task's
   table is small.  Returns AXS_OK or AXS_ENOMEM. */
int axs_levels_count (const axs_table *t, long col, size_t n, const size_t *row,
                      const axs_na *na, size_t *ndistinct, size_t *repeat,
                      size_t *earlier);

/* What the analysis uses.  Column names may be NULL when not used. */
typedef struct
{
  const char *time, *event;      /* the endpoint */
  const char *event_value;       /* the event's spelling; NULL: 0/1 coding */
  const axs_na *na;
  const axs_subset *subset;
  size_t nsubset;
  const char *group;             /* a categorical column defines the groups */
  const char *marker;            /* a numeric marker ... */
  const axs_cut *cut;            /* ... split at these cuts (NULL: continuous) */
  const char *strata;            /* a categorical column for strata */
  const char *const *also;       /* more columns that must not be missing */
  size_t nalso;                  /* (e.g. a model's covariates) */
  const char *id;                /* patient ids: a non-missing id on two */
                                 /* analysed rows is an error (NULL: no check) */
} axs_design_spec;

/* The columns that hold patient ids when a cohort has them, in order of
   preference: their ids must not repeat among the patients analysed. */
enum { AXS_NID_COLUMNS = 2 };
extern const char *const axs_id_columns[AXS_NID_COLUMNS];

/* The first of axs_id_columns that table T has, or NULL. */
const char *axs_design_id_column (const axs_table *t);

typedef struct
{
  size_t n;                      /* patients analysed */
  size_t n_rows;                 /* data rows in the file */
  size_t n_subset_out;           /* rows outside --subset */
  size_t n_excluded;             /* rows left out for a missing value */
  size_t *row;                   /* n: the table row of each patient */
  double *time;                  /* n */
  int *event;                    /* n: 1 event, 0 censored */
  double *marker;                /* n, when spec->marker */
  int *group;                    /* n, when grouped (else NULL) */
  axs_levels groups;
  double *cuts;                  /* the marker cuts actually used */
  size_t ncuts;
  int *strata;                   /* n, when spec->strata */
  axs_levels strata_levels;
} axs_design;

/* Build D from table T as SPEC says.  Errors (AXS_EINVAL for the command
   line, AXS_EDOM for the data, AXS_ENOMEM) leave their message in DIAG and
   D empty. */
int axs_design_build (const axs_table *t, const axs_design_spec *spec,
                      axs_design *d, axs_diag *diag);

/* The distinct texts of column COL over D's patients as LEVELS, sorted by
   axs_levels_sort, and each patient's level in LEVEL[0..d->n).  Returns
   AXS_OK or AXS_ENOMEM (LEVELS then empty). */
int axs_levels_make (const axs_table *t, const axs_design *d, long col,
                     axs_levels *levels, int *level);
void axs_design_free (axs_design *d);

#endif
