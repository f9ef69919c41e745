/* refdata.h: load the reference datasets and R's results for the unit tests.

   Files are read from $AXS_TESTDATA (default "tests/data/reference"); a file is
   a header row then data rows, comma- or tab-separated, with optional double
   quotes around a field.  Empty and "NA" fields read as NaN in numeric view. */
#ifndef AXS_REFDATA_H
#define AXS_REFDATA_H

#include <stddef.h>

typedef struct ref_table ref_table;

/* Load RELPATH (e.g. "lung.csv", "r-survival/km_lung_sex_log.tsv");
   aborts the test program with a message if it cannot. */
ref_table *ref_load (const char *relpath);
void ref_free (ref_table *t);

size_t ref_nrow (const ref_table *t);
/* Column NAME as numbers (NaN where empty, NA or not a number); owned by T.
   Aborts if the column does not exist. */
const double *ref_num (ref_table *t, const char *name);
/* The text of column NAME in row ROW (quotes removed); owned by T. */
const char *ref_str (const ref_table *t, size_t row, const char *name);

/* Nonzero if T has a column NAME. */
int ref_has_column (const ref_table *t, const char *name);

#endif
