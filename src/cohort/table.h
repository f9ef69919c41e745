/* table.h: a cohort file read into text columns, every cell with its line.

   The reader keeps only the columns the analysis asks for, as text; typing
   (numbers, missing values, levels) happens in values.h and design.h, where
   an error can still name the file, line and column of the value. */
#ifndef AXS_TABLE_H
#define AXS_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "cohort/diag.h"

/* Rows from ROW on start one a line from LINE on, up to the next run: a
   file without blank lines or fields that span lines is one run. */
typedef struct
{
  size_t row, line;
} axs_table_run;

typedef struct
{
  char *file;          /* name for messages: the path, or "<stdin>" */
  size_t ncol;         /* columns in the header */
  char **names;        /* ncol header names */
  size_t nrow;         /* data rows */
  axs_table_run *run;  /* nrun: the lines the rows start on (axs_table_line) */
  size_t nrun, run_cap;
  long *slot;          /* ncol: index among the kept columns, or -1 */
  size_t nkept;
  uint32_t *cell;      /* nrow * nkept offsets, row-major, into text from */
  size_t *base;        /* base[row >> AXS_TABLE_BLOCK_BITS]: 32 bits a cell */
  char *text;          /* every kept cell, NUL-terminated */
  size_t text_len, text_cap;
} axs_table;

/* Rows come in blocks of 2^AXS_TABLE_BLOCK_BITS, each with its own base
   offset into the text, so that a cell's offset fits in 32 bits. */
#define AXS_TABLE_BLOCK_BITS 16

typedef struct
{
  char delimiter;             /* ',', ';' or '\t'; 0 detects it from the header */
  const char *const *keep;    /* names of the columns to keep; NULL keeps all */
  size_t nkeep;
  const char *const *optional; /* with KEEP: more columns kept when the */
  size_t noptional;             /* header has them (no error when not) */
} axs_read_options;

/* Read PATH ("-" for standard input) into *OUT.  The header must name every
   column once; every row must have as many fields as the header.  On failure
   returns AXS_EINVAL (unknown column: D->usage set), AXS_EDOM (malformed
   file) or AXS_ENOMEM, with the message in D, and *OUT is NULL. */
int axs_table_read (const char *path, const axs_read_options *opt,
                    axs_table **out, axs_diag *d);

void axs_table_free (axs_table *t);

/* Free T's cells, their text and line numbers (the bulk of a large table)
   once nothing reads them any more; T keeps FILE, NAMES and SLOT, and NROW
   becomes 0, so axs_table_cell and axs_table_line must not be called
   again.  NULL is harmless. */
void axs_table_drop_cells (axs_table *t);

/* The line on which ROW starts (ROW < T->nrow). */
size_t axs_table_line (const axs_table *t, size_t row);

/* The index of column NAME, or -1. */
long axs_table_column (const axs_table *t, const char *name);

/* Like axs_table_column, but a missing column is an error (usage) whose
   message lists the columns that exist. */
int axs_table_require (const axs_table *t, const char *name, long *col,
                       axs_diag *d);

/* The text of kept column COL in ROW. */
static inline const char *
axs_table_cell (const axs_table *t, size_t row, long col)
{
  return t->text + t->base[row >> AXS_TABLE_BLOCK_BITS]
         + t->cell[row * t->nkept + (size_t) t->slot[col]];
}

#endif
