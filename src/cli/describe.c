/* describe.c: axlsurv describe: what a cohort holds, and whether OS and PFS agree. */
#include "cli/commands.h"
#include "cli/options.h"
#include "output/json.h"
#include "output/tabular.h"
#include "stats/km.h"
#include "stats/order.h"
#include "stats/quantile.h"
#include "stats/status.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
  "Usage: axlsurv describe [OPTIONS] COHORT\n"
  "Describe a cohort: patients, events, censored, rows left out, the median\n"
  "follow-up (reverse Kaplan-Meier), the distribution of every numeric column\n"
  "(min, quartiles, max, missing) and the levels of every text column; when the\n"
  "cohort has os_time, os_event, pfs_time and pfs_event, check that they agree.\n"
  "\n"
  "Endpoint:\n"
  "  --endpoint NAME       use columns NAME_time and NAME_event (default: os)\n"
  "  --time COL --event COL  name the time and event columns instead\n"
  "  --event-value V       the value of the event column that means an event\n"
  "                        (default: 1, with 0 censored)\n"
  "Cohort:\n"
  "  --subset COL=V1[,V2]  describe only rows whose COL is one of the values\n"
  "                        (repeatable: all must hold)\n"
  "  --na LIST             spellings of a missing value (default: ,NA,NaN,.)\n"
  "  --delimiter C         ',', ';' or tab (default: detected from the header)\n"
  "Output:\n"
  "  --format FMT          text (default), tsv or json\n"
  "  --table NAME          with tsv: summary (default), columns, levels or checks;\n"
  "                        with text: only that table\n"
  "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
  "  --help                show this help\n";

enum { TABLE_SUMMARY, TABLE_COLUMNS, TABLE_LEVELS, TABLE_CHECKS };
static const char *const tables[] = { "summary", "columns", "levels", "checks", NULL };

/* Text columns with more distinct values than this (identifiers, dates) get
   their count of distinct values only. */
enum { MAX_LEVELS = 20 };
/* Lines of a check's violations that are named. */
enum { MAX_LINES = 5 };

typedef enum { COL_NUMERIC, COL_TEXT, COL_EMPTY } column_type;
static const char *const type_names[] = { "numeric", "text", "empty" };

typedef struct
{
  const char *text;
  size_t n;
} level;

typedef struct
{
  const char *name;
  column_type type;
  size_t n, missing, distinct;
  double q[5];                 /* numeric: min, q1, median, q3, max */
  level *levels;               /* text: NULL when more than MAX_LEVELS */
  size_t nlevels;
} column_summary;

typedef struct
{
  const char *name, *description;
  size_t checked, violations;
  size_t nlines;
  size_t line[MAX_LINES];
} check;

typedef struct
{
  const char *file, *time, *event;
  size_t n_rows, n_subset_out, n_used, n_excluded, events, censored;
  double followup, followup_lower, followup_upper;
  size_t ncolumns;
  column_summary *columns;
  size_t nchecks;
  check checks[2];
  axs_table *table_;           /* owns the text the fields above point into */
} description;

/* ---- computing -------------------------------------------------------------- */

/* Which rows --subset keeps (the design has already checked the columns). */
static unsigned char *
rows_in_scope (const axs_table *t, const axs_cli *cli)
{
  unsigned char *keep = axs_cli_alloc (t->nrow);
  memset (keep, 1, t->nrow);
  for (size_t k = 0; k < cli->nsubset; k++)
    {
      const axs_subset *s = &cli->subset[k];
      long col = axs_table_column (t, s->column);
      for (size_t row = 0; row < t->nrow; row++)
        {
          size_t i = 0;
          while (i < s->n && strcmp (axs_table_cell (t, row, col), s->value[i]) != 0)
            i++;
          if (i == s->n)
            keep[row] = 0;
        }
    }
  return keep;
}

static int
compare_level_text (const void *a, const void *b)
{
  return strcmp (((const level *) a)->text, ((const level *) b)->text);
}

/* Scratch arrays of t->nrow entries for summarise_column. */
typedef struct
{
  double *x;
  size_t *row;
  int *id;
} scratch;

/* Summarise column COL over the rows in scope: numbers sorted by radix for
   the quantiles, texts counted through a hash (the distinct ones sorted
   only when they are few enough to list). */
static void
summarise_column (const axs_table *t, long col, const unsigned char *scope,
                  const axs_na *na, scratch *w, column_summary *c)
{
  memset (c, 0, sizeof *c);
  c->name = t->names[col];
  int numeric = 1;
  double *x = w->x;
  for (size_t row = 0; row < t->nrow; row++)
    {
      if (!scope[row])
        continue;
      const char *cell = axs_table_cell (t, row, col);
      if (axs_na_is_missing (na, cell))
        {
          c->missing++;
          continue;
        }
      w->row[c->n] = row;
      if (numeric && axs_parse_number (cell, &x[c->n]) != AXS_OK)
        numeric = 0;
      c->n++;
    }
  for (int k = 0; k < 5; k++)
    c->q[k] = NAN;
  if (c->n == 0)
    {
      c->type = COL_EMPTY;
      return;
    }
  if (numeric)
    {
      static const double p[5] = { 0, 0.25, 0.5, 0.75, 1 };
      c->type = COL_NUMERIC;
      if (axs_sort (c->n, x) != AXS_OK)
        axs_cli_fail ("out of memory");
      for (int k = 0; k < 5; k++)
        axs_quantile_sorted (c->n, x, p[k], &c->q[k]);
      for (size_t i = 0; i < c->n; i++)
        c->distinct += i == 0 || x[i] != x[i - 1];
      return;
    }
  c->type = COL_TEXT;
  const char **text;
  if (axs_levels_index (t, col, c->n, w->row, w->id, &text, &c->distinct) != AXS_OK)
    axs_cli_fail ("out of memory");
  if (c->distinct <= MAX_LEVELS)
    {
      c->levels = axs_cli_alloc (c->distinct * sizeof *c->levels);
      for (size_t k = 0; k < c->distinct; k++)
        c->levels[k] = (level) { text[k], 0 };
      for (size_t i = 0; i < c->n; i++)
        c->levels[w->id[i]].n++;
      /* byte order: distinct texts, so the order is total */
      qsort (c->levels, c->distinct, sizeof *c->levels, compare_level_text);
      c->nlevels = c->distinct;
    }
  free (text);
}

/* An event code for the checks: 1, 0, or -1 when it is neither. */
static int
event_code (const char *cell, const char *event_value)
{
  double x;
  if (event_value && strcmp (cell, event_value) == 0)
    return 1;
  if (axs_parse_number (cell, &x) == AXS_OK && (x == 0 || x == 1))
    return (int) x;
  return event_value ? 0 : -1;
}

static void
violation (check *c, size_t line)
{
  if (c->nlines < MAX_LINES)
    c->line[c->nlines++] = line;
  c->violations++;
}

/* With OS and PFS in the cohort: PFS ends no later than OS, and a death
   that ends OS before any progression is a PFS event. */
static void
check_os_pfs (const axs_table *t, const unsigned char *scope, const axs_na *na,
              const char *event_value, description *d)
{
  static const char *const names[4] = { "os_time", "os_event", "pfs_time", "pfs_event" };
  long col[4];
  for (int k = 0; k < 4; k++)
    if ((col[k] = axs_table_column (t, names[k])) < 0)
      return;
  check *after = &d->checks[0], *death = &d->checks[1];
  *after = (check) { "pfs_after_os", "pfs_time is greater than os_time", 0, 0, 0, { 0 } };
  *death = (check) { "death_without_pfs_event",
                     "os_event is 1 (death) but pfs_event is 0, yet a death "
                     "before progression ends PFS as an event", 0, 0, 0, { 0 } };
  d->nchecks = 2;
  for (size_t row = 0; row < t->nrow; row++)
    {
      if (!scope[row])
        continue;
      const char *cell[4];
      int k = 0;
      while (k < 4 && !axs_na_is_missing (na, cell[k] = axs_table_cell (t, row, col[k])))
        k++;
      double os, pfs;
      int os_event, pfs_event;
      if (k < 4 || axs_parse_number (cell[0], &os) != AXS_OK
          || axs_parse_number (cell[2], &pfs) != AXS_OK
          || (os_event = event_code (cell[1], event_value)) < 0
          || (pfs_event = event_code (cell[3], event_value)) < 0)
        continue;
      after->checked++;
      death->checked++;
      if (pfs > os)
        violation (after, t->line[row]);
      if (os_event == 1 && pfs_event == 0)
        violation (death, t->line[row]);
    }
}

/* "3, 7, 9" or "3, 7, 9, 11, 12, ..." */
static void
format_lines (const check *c, char *buf, size_t size)
{
  buf[0] = '\0';
  for (size_t i = 0; i < c->nlines; i++)
    snprintf (buf + strlen (buf), size - strlen (buf), "%s%zu", i ? ", " : "", c->line[i]);
  if (c->violations > c->nlines)
    snprintf (buf + strlen (buf), size - strlen (buf), ", ...");
}

static void
describe (const axs_cli *cli, description *d)
{
  axs_na na;
  if (axs_na_init (&na, cli->na_list) != AXS_OK)
    axs_cli_fail ("out of memory");
  axs_read_options ro = { .delimiter = cli->delimiter };   /* keep = NULL: every column */
  axs_design_spec spec = {
    .time = cli->time, .event = cli->event, .event_value = cli->event_value,
    .na = &na, .subset = cli->subset, .nsubset = cli->nsubset,
  };
  axs_table *t;
  axs_design design;
  axs_diag diag;
  if (axs_table_read (cli->cohort, &ro, &t, &diag) != AXS_OK
      || axs_design_build (t, &spec, &design, &diag) != AXS_OK)
    {
      axs_na_free (&na);
      axs_cli_fail_diag (&diag);
    }
  d->file = t->file;
  d->time = cli->time;
  d->event = cli->event;
  d->n_rows = design.n_rows;
  d->n_subset_out = design.n_subset_out;
  d->n_used = design.n;
  d->n_excluded = design.n_excluded;
  if (design.n_excluded)
    axs_cli_warn ("%s: %zu row%s left out for a missing value", t->file,
          design.n_excluded, design.n_excluded == 1 ? "" : "s");

  /* median follow-up: Kaplan-Meier with censoring as the event (the rows
     are not needed: their memory goes before the estimate's) */
  free (design.row);
  design.row = NULL;
  int *censored = axs_cli_alloc (design.n * sizeof *censored);
  for (size_t i = 0; i < design.n; i++)
    {
      censored[i] = 1 - design.event[i];
      d->events += (size_t) design.event[i];
    }
  d->censored = design.n - d->events;
  axs_km_input in;
  axs_km_input_init (&in);
  in.n = design.n;
  in.time = design.time;
  in.event = censored;
  axs_km_result *km;
  int status = axs_km_fit (&in, &km);
  if (status != AXS_OK)
    axs_cli_fail ("%s: reverse Kaplan-Meier estimate failed: %s", t->file,
                  axs_strerror (status));
  d->followup = km->curves[0].median;
  d->followup_lower = km->curves[0].median_lower;
  d->followup_upper = km->curves[0].median_upper;
  axs_km_result_free (km);
  free (censored);
  axs_design_free (&design);    /* the columns below need only the table */

  unsigned char *scope = rows_in_scope (t, cli);
  scratch w = { axs_cli_alloc (t->nrow * sizeof *w.x), axs_cli_alloc (t->nrow * sizeof *w.row),
                axs_cli_alloc (t->nrow * sizeof *w.id) };
  d->ncolumns = t->ncol;
  d->columns = axs_cli_alloc (t->ncol * sizeof *d->columns);
  for (size_t k = 0; k < t->ncol; k++)
    summarise_column (t, (long) k, scope, &na, &w, &d->columns[k]);
  free (w.x);
  free (w.row);
  free (w.id);

  check_os_pfs (t, scope, &na, cli->event_value, d);
  free (scope);
  for (size_t k = 0; k < d->nchecks; k++)
    {
      const check *c = &d->checks[k];
      char lines[128];
      if (!c->violations)
        continue;
      format_lines (c, lines, sizeof lines);
      axs_cli_warn ("%s: %zu patient%s: %s: line%s %s", t->file, c->violations,
            c->violations == 1 ? "" : "s", c->description,
            c->violations == 1 ? "" : "s", lines);
    }
  axs_na_free (&na);
  /* the table stays: columns, levels and the file name point into it */
  d->table_ = t;
}

static void
description_free (description *d)
{
  for (size_t k = 0; k < d->ncolumns; k++)
    free (d->columns[k].levels);
  free (d->columns);
  axs_table_free (d->table_);
}

/* ---- writing ---------------------------------------------------------------- */

static axs_tab *
summary_table (const description *d)
{
  static const axs_tab_column col[] = {
    { "n_rows", AXS_TAB_INT, 0 }, { "n_subset_out", AXS_TAB_INT, 0 },
    { "n_used", AXS_TAB_INT, 0 }, { "n_excluded", AXS_TAB_INT, 0 },
    { "events", AXS_TAB_INT, 0 }, { "censored", AXS_TAB_INT, 0 },
    { "median_followup", AXS_TAB_REAL, 6 }, { "median_followup_lower", AXS_TAB_REAL, 6 },
    { "median_followup_upper", AXS_TAB_REAL, 6 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  if (t)
    {
      axs_tab_int (t, (long long) d->n_rows);
      axs_tab_int (t, (long long) d->n_subset_out);
      axs_tab_int (t, (long long) d->n_used);
      axs_tab_int (t, (long long) d->n_excluded);
      axs_tab_int (t, (long long) d->events);
      axs_tab_int (t, (long long) d->censored);
      axs_tab_real (t, d->followup);
      axs_tab_real (t, d->followup_lower);
      axs_tab_real (t, d->followup_upper);
    }
  return t;
}

/* Every column (TYPE < 0), or the columns of one type. */
static axs_tab *
columns_table (const description *d, int type)
{
  static const axs_tab_column col[] = {
    { "name", AXS_TAB_TEXT, 0 }, { "type", AXS_TAB_TEXT, 0 }, { "n", AXS_TAB_INT, 0 },
    { "missing", AXS_TAB_INT, 0 }, { "distinct", AXS_TAB_INT, 0 },
    { "min", AXS_TAB_REAL, 6 }, { "q1", AXS_TAB_REAL, 6 }, { "median", AXS_TAB_REAL, 6 },
    { "q3", AXS_TAB_REAL, 6 }, { "max", AXS_TAB_REAL, 6 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  for (size_t k = 0; t && k < d->ncolumns; k++)
    {
      const column_summary *c = &d->columns[k];
      if (type >= 0 && (int) c->type != type)
        continue;
      axs_tab_text (t, c->name);
      axs_tab_text (t, type_names[c->type]);
      axs_tab_int (t, (long long) c->n);
      axs_tab_int (t, (long long) c->missing);
      axs_tab_int (t, (long long) c->distinct);
      for (int q = 0; q < 5; q++)
        axs_tab_real (t, c->q[q]);
    }
  return t;
}

static axs_tab *
levels_table (const description *d)
{
  static const axs_tab_column col[] = {
    { "column", AXS_TAB_TEXT, 0 }, { "level", AXS_TAB_TEXT, 0 }, { "n", AXS_TAB_INT, 0 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  for (size_t k = 0; t && k < d->ncolumns; k++)
    for (size_t i = 0; i < d->columns[k].nlevels; i++)
      {
        axs_tab_text (t, d->columns[k].name);
        axs_tab_text (t, d->columns[k].levels[i].text);
        axs_tab_int (t, (long long) d->columns[k].levels[i].n);
      }
  return t;
}

/* TSV leaves the lines empty when there are none; text shows a dash. */
static axs_tab *
checks_table (const description *d, int text)
{
  static const axs_tab_column col[] = {
    { "check", AXS_TAB_TEXT, 0 }, { "checked", AXS_TAB_INT, 0 },
    { "violations", AXS_TAB_INT, 0 }, { "lines", AXS_TAB_TEXT, 0 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  for (size_t k = 0; t && k < d->nchecks; k++)
    {
      const check *c = &d->checks[k];
      char lines[128];
      format_lines (c, lines, sizeof lines);
      axs_tab_text (t, c->name);
      axs_tab_int (t, (long long) c->checked);
      axs_tab_int (t, (long long) c->violations);
      axs_tab_text (t, text && !c->nlines ? "-" : lines);
    }
  return t;
}

static axs_tab *
make_table (const description *d, int table, int text)
{
  switch (table)
    {
    case TABLE_SUMMARY: return summary_table (d);
    case TABLE_COLUMNS: return columns_table (d, -1);
    case TABLE_LEVELS: return levels_table (d);
    default: return checks_table (d, text);
    }
}

static int
write_table (FILE *f, axs_tab *t, int tsv)
{
  int status = t ? (tsv ? axs_tab_write_tsv (t, f) : axs_tab_write_text (t, f)) : -1;
  axs_tab_free (t);
  return status;
}

static void
write_text (FILE *f, const description *d)
{
  fprintf (f, "Cohort: %s\n", d->file);
  fprintf (f, "endpoint:  time '%s', event '%s'\n", d->time, d->event);
  fprintf (f, "rows:      %zu", d->n_rows);
  if (d->n_subset_out)
    fprintf (f, ", %zu outside --subset", d->n_subset_out);
  fprintf (f, "\npatients:  %zu analysed, %zu left out for a missing value\n",
           d->n_used, d->n_excluded);
  fprintf (f, "events:    %zu events, %zu censored\n", d->events, d->censored);
  if (isnan (d->followup))
    fputs ("follow-up: median not reached (reverse Kaplan-Meier)\n", f);
  else
    {
      fprintf (f, "follow-up: median %.6g (95%% CI ", d->followup);
      if (isnan (d->followup_lower))
        fputs ("NA", f);
      else
        fprintf (f, "%.6g", d->followup_lower);
      if (isnan (d->followup_upper))
        fputs (" to NA", f);
      else
        fprintf (f, " to %.6g", d->followup_upper);
      fputs ("), reverse Kaplan-Meier\n", f);
    }

  fputs ("\nNumeric columns\n", f);
  write_table (f, columns_table (d, COL_NUMERIC), 0);

  static const axs_tab_column col[] = {
    { "name", AXS_TAB_TEXT, 0 }, { "n", AXS_TAB_INT, 0 }, { "missing", AXS_TAB_INT, 0 },
    { "distinct", AXS_TAB_INT, 0 }, { "levels", AXS_TAB_TEXT, 0 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  for (size_t k = 0; t && k < d->ncolumns; k++)
    {
      const column_summary *c = &d->columns[k];
      if (c->type == COL_NUMERIC)
        continue;
      char levels[1024] = "";
      for (size_t i = 0; i < c->nlevels; i++)
        snprintf (levels + strlen (levels), sizeof levels - strlen (levels), "%s%s (%zu)",
                  i ? ", " : "", c->levels[i].text, c->levels[i].n);
      if (!c->levels)
        snprintf (levels, sizeof levels, c->type == COL_EMPTY ? "(all missing)"
                  : "(more than %d: not listed)", MAX_LEVELS);
      axs_tab_text (t, c->name);
      axs_tab_int (t, (long long) c->n);
      axs_tab_int (t, (long long) c->missing);
      axs_tab_int (t, (long long) c->distinct);
      axs_tab_text (t, levels);
    }
  fputs ("\nText columns\n", f);
  write_table (f, t, 0);

  if (d->nchecks)
    {
      fputs ("\nChecks of OS and PFS (lines of the first violations)\n", f);
      write_table (f, checks_table (d, 1), 0);
    }
}

static void
write_json (FILE *f, const description *d)
{
  axs_json j;
  axs_json_init (&j, f);
  axs_json_begin_object (&j, NULL);
  axs_json_string (&j, "command", "describe");
  axs_json_string (&j, "file", d->file);
  axs_json_string (&j, "time", d->time);
  axs_json_string (&j, "event", d->event);
  axs_json_int (&j, "n_rows", (long long) d->n_rows);
  axs_json_int (&j, "n_subset_out", (long long) d->n_subset_out);
  axs_json_int (&j, "n_used", (long long) d->n_used);
  axs_json_int (&j, "n_excluded", (long long) d->n_excluded);
  axs_json_int (&j, "events", (long long) d->events);
  axs_json_int (&j, "censored", (long long) d->censored);
  axs_json_number (&j, "median_followup", d->followup);
  axs_json_number (&j, "median_followup_lower", d->followup_lower);
  axs_json_number (&j, "median_followup_upper", d->followup_upper);
  axs_json_begin_array (&j, "columns");
  for (size_t k = 0; k < d->ncolumns; k++)
    {
      const column_summary *c = &d->columns[k];
      axs_json_begin_row (&j, NULL);
      axs_json_string (&j, "name", c->name);
      axs_json_string (&j, "type", type_names[c->type]);
      axs_json_int (&j, "n", (long long) c->n);
      axs_json_int (&j, "missing", (long long) c->missing);
      axs_json_int (&j, "distinct", (long long) c->distinct);
      if (c->type == COL_NUMERIC)
        {
          static const char *const q[5] = { "min", "q1", "median", "q3", "max" };
          for (int k = 0; k < 5; k++)
            axs_json_number (&j, q[k], c->q[k]);
        }
      else if (c->type == COL_TEXT && c->levels)
        {
          axs_json_begin_array (&j, "levels");
          for (size_t i = 0; i < c->nlevels; i++)
            {
              axs_json_begin_row (&j, NULL);
              axs_json_string (&j, "level", c->levels[i].text);
              axs_json_int (&j, "n", (long long) c->levels[i].n);
              axs_json_end_object (&j);
            }
          axs_json_end_array (&j);
        }
      else if (c->type == COL_TEXT)
        axs_json_null (&j, "levels");
      axs_json_end_object (&j);
    }
  axs_json_end_array (&j);
  axs_json_begin_array (&j, "checks");
  for (size_t k = 0; k < d->nchecks; k++)
    {
      const check *c = &d->checks[k];
      axs_json_begin_object (&j, NULL);
      axs_json_string (&j, "name", c->name);
      axs_json_string (&j, "description", c->description);
      axs_json_int (&j, "checked", (long long) c->checked);
      axs_json_int (&j, "violations", (long long) c->violations);
      axs_json_begin_array (&j, "lines");
      for (size_t i = 0; i < c->nlines; i++)
        axs_json_int (&j, NULL, (long long) c->line[i]);
      axs_json_end_array (&j);
      axs_json_end_object (&j);
    }
  axs_json_end_array (&j);
  size_t nwarnings;
  char *const *warnings = axs_cli_warnings (&nwarnings);
  axs_json_begin_array (&j, "warnings");
  for (size_t k = 0; k < nwarnings; k++)
    axs_json_string (&j, NULL, warnings[k]);
  axs_json_end_array (&j);
  axs_json_end_object (&j);
  axs_json_finish (&j);
}

int
axs_cmd_describe (int argc, char **argv)
{
  axs_cli cli = { .command = "describe", .usage = usage };
  axs_cli_parse (&cli, AXS_OPT_COHORT | AXS_OPT_ENDPOINT | AXS_OPT_OUTPUT, NULL, NULL,
                 NULL, 1, argc, argv);
  int table = axs_cli_table_index (&cli, tables);

  description d = { 0 };
  describe (&cli, &d);

  axs_outfile out;
  axs_cli_output_open (&cli, &out);
  if (cli.format == AXS_FORMAT_JSON)
    write_json (out.f, &d);
  else if (cli.format == AXS_FORMAT_TSV)
    write_table (out.f, make_table (&d, table, 0), 1);
  else if (cli.table)
    write_table (out.f, make_table (&d, table, 1), 0);
  else
    write_text (out.f, &d);
  axs_cli_output_commit (&cli, &out);

  description_free (&d);
  axs_cli_free (&cli);
  return AXS_EXIT_OK;
}
