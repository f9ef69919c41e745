/* model.h: the design matrix of a regression model (Cox), from the rows a
   design kept and the terms the user named.

   Terms come in this order: the biomarker (groups or continuous), the
   covariates as listed, the interaction's modifier when it is not already a
   covariate, and last the interaction's columns.  A numeric column is a linear
   term; a text column is a factor with treatment coding (one 0/1 column per
   level but the reference, which is the first level in sorted order unless
   --ref says otherwise).  Column names follow one rule: a numeric column is
   its name ("age"), a factor level or group is COL=LEVEL ("sex=male"), an
   interaction column joins its two parts with ':' ("pgr=high:arm=B"). */
#ifndef AXS_MODEL_H
#define AXS_MODEL_H

#include <stddef.h>

#include "cohort/design.h"
#include "cohort/diag.h"
#include "cohort/table.h"

/* How a continuous marker enters the model. */
typedef enum
{
  AXS_TRANSFORM_NONE,    /* x */
  AXS_TRANSFORM_LOG,     /* log (x), x > 0 */
  AXS_TRANSFORM_LOG2,    /* log2 (x), x > 0 */
  AXS_TRANSFORM_LOG2P1,  /* log2 (x + 1), x > -1 */
  AXS_TRANSFORM_Z        /* (x - mean) / sd: the hazard ratio is per standard deviation */
} axs_transform;

/* Parse NAME (none, log, log2, log2p1, z) into *T; returns AXS_OK or AXS_EINVAL. */
int axs_transform_parse (const char *name, axs_transform *t);
const char *axs_transform_name (axs_transform t);

typedef struct
{
  /* The biomarker: the design's groups (its group column, or its marker cut
     into groups), or its continuous marker.  MARKER NULL: no biomarker term. */
  const char *marker;           /* the column, for names and --ref */
  int continuous;               /* use design->marker, transformed */
  axs_transform transform;
  /* Covariates: "NAME" or "NAME:factor" */
  const char *const *covariate;
  size_t ncovariate;
  /* "COL=LEVEL": the reference level of a factor term */
  const char *const *ref;
  size_t nref;
  /* marker x INTERACTION (a column name, optionally with ":factor"), or NULL */
  const char *interaction;
  /* NULL, or n indices: row i of the matrix is the design's patient
     ORDER[i] (e.g. the patients in time order, for a fit that walks them
     so); everything else about the model is the same in either order */
  const size_t *order;
} axs_model_spec;

/* The columns SPEC reads beside the design's own (the covariates and the
   interaction's modifier, without ":factor"), for axs_design_spec.also: a new
   array of *N new strings, freed by axs_model_columns_free.  AXS_OK or
   AXS_ENOMEM. */
int axs_model_columns (const axs_model_spec *spec, char ***names, size_t *n);
void axs_model_columns_free (char **names, size_t n);

typedef enum
{
  AXS_TERM_MARKER,
  AXS_TERM_COVARIATE,
  AXS_TERM_MODIFIER,            /* the interaction's modifier, added as a main effect */
  AXS_TERM_INTERACTION
} axs_term_role;

typedef struct
{
  char *name;                   /* "sex", "age", "log2p1(pgr)", "pgr:arm" */
  axs_term_role role;
  int factor;                   /* coded by levels */
  axs_levels levels;            /* a factor's levels, the reference first */
  size_t first, ncol;           /* its columns in the design matrix */
} axs_model_term;

/* The marker's effect within one level (or value) of the interaction's
   modifier: the linear combination w'b of the coefficients. */
typedef struct
{
  char *level;                  /* "arm=B", or "dose=2" for a numeric modifier */
  size_t column;                /* the marker column whose effect this is */
  double *w;                    /* p weights */
} axs_model_contrast;

typedef struct
{
  size_t n, p;                  /* patients, columns */
  double *x;                    /* n * p, row-major, rows in the spec's order */
  char **colname;               /* p */
  size_t *term_of_column;       /* p */
  size_t nterm;
  axs_model_term *term;
  size_t nmain;                 /* columns of the main effects; the interaction's follow */
  long marker_term;             /* index of the biomarker term, or -1 */
  long interaction_term;        /* index of the interaction term, or -1 */
  long modifier_term;           /* the term of the modifier, or -1 */
  size_t ncontrast;             /* the marker's effect per level of the modifier */
  axs_model_contrast *contrast;
} axs_model;

/* Build M for the patients of D (read from T) as SPEC says.  Errors name the
   file, line, column and value (a text in a numeric column, a marker that
   cannot be transformed), the term (a constant covariate, a one-level
   factor), or the option (--ref of a column not in the model or of a level
   not seen: D's usage flag set).  Returns AXS_OK, AXS_EINVAL (command line),
   AXS_EDOM (data) or AXS_ENOMEM, with the message in DIAG and M empty.
   The terms are read (all of them in one pass over the table's rows), and
   the matrix filled, in fixed blocks of rows on threads (AXLSURV_THREADS):
   the same matrix for any number of threads. */
int axs_model_build (const axs_table *t, const axs_design *d,
                     const axs_model_spec *spec, axs_model *m, axs_diag *diag);
/* The same, and T's cells are dropped (axs_table_drop_cells) as soon as
   every term is read, before the matrix is made, so that a large cohort's
   text and its matrix are never held together.  T keeps its file name and
   column names, whether the build succeeds or not. */
int axs_model_build_release (axs_table *t, const axs_design *d,
                             const axs_model_spec *spec, axs_model *m,
                             axs_diag *diag);
void axs_model_free (axs_model *m);

#endif
