/* matrix.h: an expression matrix (features in rows, patients in columns)
   read into per-feature arrays aligned to a cohort's patients.

   The shape TCGA and GEO publish: a header row whose first cell names the
   feature column ("gene", "ID_REF") and whose other cells are patient ids;
   then one row per feature, its name first, then one value per patient.
   Tab- or comma-separated; simple double quotes around a cell are removed.
   Only the columns of patients in the cohort are converted, so a matrix
   wider than the cohort costs little more than its reading. */
#ifndef AXS_MATRIX_H
#define AXS_MATRIX_H

#include <stddef.h>

#include "cohort/diag.h"
#include "cohort/values.h"

typedef struct
{
  char *file;               /* name for messages */
  size_t nfeat;             /* feature rows */
  char **feature;           /* nfeat names, in file order */
  size_t *line;             /* nfeat: the line of each feature */
  size_t ncol;              /* patient columns in the header */
  char **id;                /* ncol patient ids (the header less its first cell) */
  long *col_patient;        /* ncol: the cohort patient of each column, or -1 */
  size_t n;                 /* cohort patients the values are aligned to */
  long *patient_col;        /* n: the column of each cohort patient, or -1 */
  size_t n_joined;          /* cohort patients with a column */
  double *value;            /* nfeat * n, feature-major: value[f * n + i] is
                               feature f of cohort patient i; NaN when missing
                               or when the patient has no column */
} axs_matrix;

typedef struct
{
  char delimiter;           /* '\t', ',' or ';'; 0 detects it from the header */
  const axs_na *na;         /* spellings of a missing value */
  const char *const *ids;   /* N cohort patient ids, distinct */
  size_t n;
  int threads;              /* parse with this many threads (>= 1) */
} axs_matrix_options;

/* Read PATH into *OUT, aligned to OPT->ids.  Every row must have as many
   fields as the header; a cell of a cohort patient's column must be a
   finite number or a missing value.  Errors name the file, line and column:
   AXS_EDOM (malformed file, a bad value, a patient heading two columns),
   AXS_ENOMEM; the message is in D and *OUT is NULL.  The result does not
   depend on OPT->threads. */
int axs_matrix_read (const char *path, const axs_matrix_options *opt,
                     axs_matrix **out, axs_diag *d);

void axs_matrix_free (axs_matrix *m);

#endif
