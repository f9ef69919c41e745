/* tabular.h: a table of results, written as aligned text or as TSV.

   Cells are kept as values and formatted at the end: TSV prints doubles with
   17 significant digits (they read back exactly), text rounds them for
   reading (to a column's significant digits) and aligns the columns.
   A missing number (NaN) is written NA. */
#ifndef AXS_TABULAR_H
#define AXS_TABULAR_H

#include <stdio.h>

typedef enum
{
  AXS_TAB_TEXT,      /* a string */
  AXS_TAB_INT,       /* a count */
  AXS_TAB_REAL,      /* a double */
  AXS_TAB_PVALUE     /* a double in [0, 1]: text shows "<1e-16" at the floor */
} axs_tab_kind;

typedef struct
{
  const char *name;
  axs_tab_kind kind;
  int digits;        /* significant digits in text; 0 means 4 */
} axs_tab_column;

typedef struct axs_tab axs_tab;

/* A table with NCOL columns described by COL (copied). NULL when out of memory. */
axs_tab *axs_tab_alloc (size_t ncol, const axs_tab_column *col);
void axs_tab_free (axs_tab *t);

/* Append the next cell, filling rows left to right.  Return 0, or -1 when
   out of memory (the table is then unusable: axs_tab_write fails). */
int axs_tab_text (axs_tab *t, const char *s);
int axs_tab_int (axs_tab *t, long long x);
int axs_tab_real (axs_tab *t, double x);

/* Write the table: TSV with a header row, or TEXT aligned with a header. */
int axs_tab_write_tsv (const axs_tab *t, FILE *f);
int axs_tab_write_text (const axs_tab *t, FILE *f);

#endif
