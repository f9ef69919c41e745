/* tabular.c: text and TSV tables. */
#include "output/tabular.h"
#include "output/number.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  double x;          /* REAL, PVALUE and INT */
  char *s;           /* TEXT */
} cell;

struct axs_tab
{
  size_t ncol;
  axs_tab_column *col;
  cell *cells;
  size_t ncell, cap;
  int failed;
};

axs_tab *
axs_tab_alloc (size_t ncol, const axs_tab_column *col)
{
  axs_tab *t = calloc (1, sizeof *t);
  if (!t || !(t->col = malloc (ncol * sizeof *col)))
    {
      free (t);
      return NULL;
    }
  memcpy (t->col, col, ncol * sizeof *col);
  t->ncol = ncol;
  return t;
}

void
axs_tab_free (axs_tab *t)
{
  if (!t)
    return;
  for (size_t i = 0; i < t->ncell; i++)
    free (t->cells[i].s);
  free (t->cells);
  free (t->col);
  free (t);
}

static cell *
next_cell (axs_tab *t)
{
  if (t->ncell == t->cap)
    {
      size_t cap = t->cap ? 2 * t->cap : 64;
      cell *c = realloc (t->cells, cap * sizeof *c);
      if (!c)
        {
          t->failed = 1;
          return NULL;
        }
      t->cells = c;
      t->cap = cap;
    }
  cell *c = &t->cells[t->ncell++];
  c->x = NAN;
  c->s = NULL;
  return c;
}

int
axs_tab_text (axs_tab *t, const char *s)
{
  cell *c = next_cell (t);
  if (!c || !(c->s = strdup (s ? s : "NA")))
    return t->failed = 1, -1;
  return 0;
}

int
axs_tab_int (axs_tab *t, long long x)
{
  cell *c = next_cell (t);
  if (!c)
    return -1;
  c->x = (double) x;
  return 0;
}

int
axs_tab_real (axs_tab *t, double x)
{
  cell *c = next_cell (t);
  if (!c)
    return -1;
  c->x = x;
  return 0;
}

/* Format cell I of column J into BUF, rounded for reading when TEXT. */
static const char *
format_cell (const axs_tab *t, size_t i, int text, char *buf, size_t size)
{
  const cell *c = &t->cells[i];
  const axs_tab_column *col = &t->col[i % t->ncol];
  int digits = col->digits ? col->digits : 4;
  if (col->kind == AXS_TAB_TEXT)
    return c->s;
  if (isnan (c->x))
    return "NA";
  if (col->kind == AXS_TAB_INT)
    snprintf (buf, size, "%.0f", c->x);
  else if (!text)
    axs_format_double (buf, c->x);
  else if (col->kind == AXS_TAB_PVALUE && c->x < 1e-16)
    snprintf (buf, size, "<1e-16");
  else
    snprintf (buf, size, "%.*g", digits, c->x);
  return buf;
}

int
axs_tab_write_tsv (const axs_tab *t, FILE *f)
{
  if (t->failed)
    return -1;
  for (size_t j = 0; j < t->ncol; j++)
    fprintf (f, "%s%c", t->col[j].name, j + 1 < t->ncol ? '\t' : '\n');
  char buf[64];
  for (size_t i = 0; i < t->ncell; i++)
    fprintf (f, "%s%c", format_cell (t, i, 0, buf, sizeof buf),
             (i + 1) % t->ncol ? '\t' : '\n');
  return ferror (f) ? -1 : 0;
}

int
axs_tab_write_text (const axs_tab *t, FILE *f)
{
  if (t->failed)
    return -1;
  size_t *width = calloc (t->ncol, sizeof *width);
  if (!width)
    return -1;
  char buf[64];
  for (size_t j = 0; j < t->ncol; j++)
    width[j] = strlen (t->col[j].name);
  for (size_t i = 0; i < t->ncell; i++)
    {
      size_t w = strlen (format_cell (t, i, 1, buf, sizeof buf));
      if (w > width[i % t->ncol])
        width[i % t->ncol] = w;
    }
  /* text left-aligned, numbers right-aligned, two spaces between columns */
  for (size_t j = 0; j < t->ncol; j++)
    fprintf (f, "%s%*s", j ? "  " : "",
             (t->col[j].kind == AXS_TAB_TEXT ? (j + 1 == t->ncol ? 0 : -1) : 1)
             * (int) width[j], t->col[j].name);
  putc ('\n', f);
  for (size_t i = 0; i < t->ncell; i++)
    {
      size_t j = i % t->ncol;
      int last = j + 1 == t->ncol;
      fprintf (f, "%s%*s", j ? "  " : "",
               (t->col[j].kind == AXS_TAB_TEXT ? (last ? 0 : -1) : 1) * (int) width[j],
               format_cell (t, i, 1, buf, sizeof buf));
      if (last)
        putc ('\n', f);
    }
  free (width);
  return ferror (f) ? -1 : 0;
}
