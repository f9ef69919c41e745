/* describe.c: axlsurv describe: what a cohort holds, and whether OS and PFS agree. */
#include "cli/commands.h"
#include "cli/options.h"
#include "output/json.h"
#include "output/tabular.h"
#include "stats/parallel.h"
#include "stats/keyset.h"
#include "stats/km.h"
#include "stats/order.h"
#include "stats/quantile.h"
#include "stats/status.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
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

/* One pass over the rows in blocks on threads does every column at once
   (the cells of a row lie side by side) and the checks: each block counts
   the distinct numbers of a numeric column, or the texts of a text column,
   in tables of its own, merged afterwards.  Counts do not depend on the
   order they are added in, so the summaries are those of one walk. */
enum { NBLOCKS = 16 };          /* tasks of the pass: a fixed split of the rows */
enum { BLOCK_NUMBERS = 4096 };  /* distinct numbers a block's table holds; more
                                   and the column is sorted instead */

/* Distinct keys with their counts (and, for short cells, their numbers):
   a keyset and arrays by its ids.  A key is never 0. */
typedef struct
{
  axs_keyset set;
  size_t *count;                /* by id */
  double *value;                /* by id: a short text's number */
  size_t cap;                   /* entries of COUNT and VALUE */
} key_counts;

/* Empty counts of at most LIMIT keys. */
static void
key_counts_init (key_counts *c, size_t limit)
{
  memset (c, 0, sizeof *c);
  axs_keyset_init (&c->set, limit);
}

static void
key_counts_free (key_counts *c)
{
  axs_keyset_free (&c->set);
  free (c->count);
  free (c->value);
  c->count = NULL;
  c->value = NULL;
  c->cap = 0;
}

/* Count KEY TIMES more: its id, or -1 when C would pass its limit of
   distinct keys (or memory ran out): the caller gives up counting. */
static long
key_counts_add (key_counts *c, uint64_t key, size_t times)
{
  size_t before = c->set.n;
  long id = axs_keyset_add (&c->set, key);
  if (id < 0)
    return -1;
  if (c->set.n > before)
    {
      if ((size_t) id == c->cap)
        {
          size_t cap = c->cap ? 2 * c->cap : 64;
          size_t *count = realloc (c->count, cap * sizeof *count);
          if (count)
            c->count = count;
          double *value = realloc (c->value, cap * sizeof *value);
          if (value)
            c->value = value;
          if (!count || !value)
            return -1;
          c->cap = cap;
        }
      c->count[id] = 0;
    }
  c->count[id] += times;
  return id;
}

/* KEY's id, counted once more, when C has it; else -1. */
static long
key_counts_bump (key_counts *c, uint64_t key)
{
  long id = axs_keyset_find (&c->set, key);
  if (id >= 0)
    c->count[id]++;
  return id;
}

#define SHORT_BIT (UINT64_C (1) << 63)

/* A number's key: its bits made to sort as unsigned integers (axs_sort's
   order, -0 before +0), never 0. */
static uint64_t
number_key (double x)
{
  uint64_t u;
  memcpy (&u, &x, sizeof u);
  return (u >> 63) ? ~u : u | (UINT64_C (1) << 63);
}

static double
key_number (uint64_t k)
{
  uint64_t u = (k >> 63) ? k & ~(UINT64_C (1) << 63) : ~k;
  double x;
  memcpy (&x, &u, sizeof x);
  return x;
}

/* A cell's key, never 0.  A cell of at most 7 bytes is short: its key is
   its bytes with the top bit set (the eighth byte of a short text is 0), and
   says which text it is.  Most numbers are short, and few distinct: a block
   parses each distinct text once and counts the rest by their key.  A
   longer cell's key is its first 8 bytes with the top bit clear: a prefix,
   which texts may share.  END is the end of the memory CELL lies in (past
   its NUL): the 8 bytes from CELL are read at once, without a branch per
   byte, when they lie before it. */
static inline uint64_t
cell_key (const char *cell, const char *end)
{
  unsigned char tail[8] = { 0 };
  const unsigned char *p = (const unsigned char *) cell;
  if (end - cell < 8)
    p = memcpy (tail, cell, (size_t) (end - cell));
  uint64_t w = (uint64_t) p[0] | (uint64_t) p[1] << 8 | (uint64_t) p[2] << 16
               | (uint64_t) p[3] << 24 | (uint64_t) p[4] << 32 | (uint64_t) p[5] << 40
               | (uint64_t) p[6] << 48 | (uint64_t) p[7] << 56;
  /* the lowest byte of W that is 0 has its top bit set in ZERO (bytes above
     it may have too): the text's NUL */
  uint64_t zero = (w - UINT64_C (0x0101010101010101)) & ~w & UINT64_C (0x8080808080808080);
  if (!zero)
    return w & ~SHORT_BIT;
  return (w & (((zero & -zero) >> 7) - 1)) | SHORT_BIT;
}

/* Up to MAX_LEVELS + 1 distinct texts with their counts, in a list. */
typedef struct
{
  level item[MAX_LEVELS + 1];
  uint64_t key[MAX_LEVELS + 1]; /* cell_key of each */
  size_t n;
  int over;                     /* more than MAX_LEVELS texts */
} text_counts;

/* Count TEXT (of cell key KEY) TIMES more. */
static void
text_counts_add (text_counts *c, const char *text, uint64_t key, size_t times)
{
  if (c->over)
    return;
  /* the first text of the same key, found without a branch per text (the
     texts of a column come in any order) */
  size_t k = c->n;
  for (size_t i = c->n; i-- > 0;)
    k = c->key[i] == key ? i : k;
  /* a longer text's key is only its prefix */
  while (k < c->n && !(c->key[k] == key
                       && ((key & SHORT_BIT) || strcmp (c->item[k].text, text) == 0)))
    k++;
  if (k < c->n)
    c->item[k].n += times;
  else if (c->n == MAX_LEVELS + 1)
    c->over = 1;
  else
    {
      c->key[c->n] = key;
      c->item[c->n++] = (level) { text, times };
    }
}

/* What a block found in one column. */
typedef struct
{
  size_t n, missing;
  int numeric;                  /* every value so far a number */
  int numbers_over;             /* too many distinct numbers to count */
  key_counts shorts;            /* short cells by their key (each parsed once) */
  key_counts numbers;           /* longer cells by their value */
  int texted;                   /* TEXTS holds the block's texts */
  text_counts texts;
} column_block;

/* A block's share of the checks. */
typedef struct
{
  size_t checked, violations[2], nlines[2], line[2][MAX_LINES];
} checks_block;

typedef struct
{
  const axs_table *t;
  const axs_cli *cli;
  const axs_na *na;
  const char *text_end;         /* the end of the table's text: every cell,
                                   with its NUL, lies before it */
  long subset_col[64];
  unsigned char *scope;         /* per row, with --subset: in scope */
  long check_col[4];            /* os_time, os_event, pfs_time, pfs_event, or -1 */
  unsigned char *check_of;      /* per column: its index in CHECK_COL, or 4 */
  uint64_t *na_key;             /* cell keys of the short missing spellings */
  size_t nna_key;
  int na_long;                  /* a spelling is not short */
  column_block (*block)[NBLOCKS];   /* [column][block] */
  checks_block checks[NBLOCKS];
  int nomem[NBLOCKS];
  size_t nrow;                  /* rows the pass walks (none when the design
                                   will refuse the --subset) */
  long text_col;                /* for text_task: the column */
  /* beside the pass: the design, then from it the reverse Kaplan-Meier
     estimate of follow-up */
  const axs_design_spec *spec;
  axs_design design;
  axs_diag diag;
  int design_status;
  size_t events;
  axs_km_result *km;
  int km_status;
} pass_job;

static size_t
block_start (const pass_job *j, size_t b)
{
  return (size_t) ((double) j->nrow * (double) b / NBLOCKS);
}

static int
in_scope (const pass_job *j, size_t row)
{
  return !j->scope || j->scope[row];
}

/* Whether CELL, of cell key KEY, is a missing value: a short cell can only
   be one of the short spellings. */
static int
is_missing (const pass_job *j, const char *cell, uint64_t key)
{
  if (!(key & SHORT_BIT))
    return j->na_long && axs_na_is_missing (j->na, cell);
  for (size_t k = 0; k < j->nna_key; k++)
    if (j->na_key[k] == key)
      return 1;
  return 0;
}

/* The texts of column COL over the block's rows in scope up to HI. */
static void
count_texts (const pass_job *j, long col, size_t b, size_t hi, column_block *c)
{
  c->texted = 1;
  for (size_t row = block_start (j, b); row < hi; row++)
    if (in_scope (j, row))
      {
        const char *cell = axs_table_cell (j->t, row, col);
        uint64_t key = cell_key (cell, j->text_end);
        if (!is_missing (j, cell, key))
          text_counts_add (&c->texts, cell, key, 1);
      }
}

/* A block takes its rows a span at a time, and a span column after column:
   a column's counting stays in the cache and its branches go one way, and
   the span's cells are still in the cache for the next column. */
enum { SPAN = 1024 };

/* The cells of the checked columns in a span, as the column loop found
   them (and in row 4, of the other columns, unread): a number, or
   CELL_MISSING, or CELL_TEXT when it was not parsed (numbers are finite). */
#define CELL_MISSING INFINITY
#define CELL_TEXT NAN
typedef struct
{
  double x[5][SPAN];            /* [check column][row in span] */
} span_cells;

/* The cell of check column Q in ROW (row I of the span) as a number into
   *X: AXS_OK or AXS_EDOM. */
static int
number_of (const pass_job *j, const span_cells *sc, int q, size_t row, size_t i,
           double *x)
{
  if (!isnan (sc->x[q][i]))
    {
      *x = sc->x[q][i];
      return AXS_OK;
    }
  return axs_parse_number (axs_table_cell (j->t, row, j->check_col[q]), x);
}

/* An event code for the checks: 1, 0, or -1 when it is neither. */
static int
event_code (const pass_job *j, const span_cells *sc, int q, size_t row, size_t i)
{
  const char *event_value = j->cli->event_value;
  double x;
  if (event_value && strcmp (axs_table_cell (j->t, row, j->check_col[q]), event_value) == 0)
    return 1;
  if (number_of (j, sc, q, row, i, &x) == AXS_OK && (x == 0 || x == 1))
    return (int) x;
  return event_value ? 0 : -1;
}

static void
violation (checks_block *c, int k, size_t line)
{
  if (c->nlines[k] < MAX_LINES)
    c->line[k][c->nlines[k]++] = line;
  c->violations[k]++;
}

/* With OS and PFS in the cohort: PFS ends no later than OS (check 0), and a
   death that ends OS before any progression is a PFS event (check 1). */
static void
check_row (const pass_job *j, size_t row, const span_cells *sc, size_t i,
           checks_block *c)
{
  double os, pfs;
  int os_event, pfs_event;
  if (isinf (sc->x[0][i]) || isinf (sc->x[1][i]) || isinf (sc->x[2][i])
      || isinf (sc->x[3][i])
      || number_of (j, sc, 0, row, i, &os) != AXS_OK
      || number_of (j, sc, 2, row, i, &pfs) != AXS_OK
      || (os_event = event_code (j, sc, 1, row, i)) < 0
      || (pfs_event = event_code (j, sc, 3, row, i)) < 0)
    return;
  c->checked++;
  if (pfs > os)
    violation (c, 0, axs_table_line (j->t, row));
  if (os_event == 1 && pfs_event == 0)
    violation (c, 1, axs_table_line (j->t, row));
}

/* Whether ROW is in the --subset: every condition holds (the design has
   checked the columns). */
static int
in_subset (const pass_job *j, size_t row)
{
  for (size_t s = 0; s < j->cli->nsubset; s++)
    {
      const axs_subset *sub = &j->cli->subset[s];
      const char *cell = axs_table_cell (j->t, row, j->subset_col[s]);
      size_t i = 0;
      while (i < sub->n && strcmp (cell, sub->value[i]) != 0)
        i++;
      if (i == sub->n)
        return 0;
    }
  return 1;
}

/* Column COL over rows LO..HI (a span) of block B into C; its cells into
   row Q of SC. */
static void
count_column (const pass_job *j, long col, size_t b, size_t lo, size_t hi,
              column_block *c, span_cells *sc, int q)
{
  /* copies that the stores below cannot change, kept in registers */
  const axs_table t = *j->t;
  const char *text_end = j->text_end;
  size_t n = 0, missing = 0;
  for (size_t row = lo; row < hi; row++)
    {
      if (!in_scope (j, row))
        continue;
      double *x = &sc->x[q][row - lo];
      const char *cell = axs_table_cell (&t, row, col);
      uint64_t key = cell_key (cell, text_end);
      long seen = (key & SHORT_BIT) && c->numeric ? key_counts_bump (&c->shorts, key) : -1;
      if (seen >= 0)
        {
          /* a text seen before: a number, not a missing value */
          n++;
          if (q < 4)
            *x = c->shorts.value[seen];
          continue;
        }
      if (is_missing (j, cell, key))
        {
          missing++;
          *x = CELL_MISSING;
          continue;
        }
      n++;
      *x = CELL_TEXT;
      if (!c->numeric)
        {
          text_counts_add (&c->texts, cell, key, 1);
          continue;
        }
      if (axs_parse_number (cell, x) != AXS_OK)
        {
          /* a text column: its texts so far, this one included */
          *x = CELL_TEXT;
          c->numeric = 0;
          key_counts_free (&c->shorts);
          key_counts_free (&c->numbers);
          count_texts (j, col, b, row + 1, c);
          continue;
        }
      long id;
      if ((key & SHORT_BIT) && (id = key_counts_add (&c->shorts, key, 1)) >= 0)
        c->shorts.value[id] = *x;
      else if (!c->numbers_over
               && key_counts_add (&c->numbers, number_key (*x), 1) < 0)
        {
          c->numbers_over = 1;
          key_counts_free (&c->numbers);
        }
    }
  c->n += n;
  c->missing += missing;
}

static void
pass_task (void *arg, size_t b)
{
  pass_job *j = arg;
  const axs_table *t = j->t;
  size_t lo = block_start (j, b), hi = block_start (j, b + 1);
  /* the block's counts in memory of its own while it runs: the tasks
     beside it are counting too, on other cores */
  column_block *local = malloc ((t->ncol ? t->ncol : 1) * sizeof *local);
  span_cells *sc = malloc (sizeof *sc);
  checks_block checks = { 0 };
  if (!local || !sc)
    {
      free (local);
      free (sc);
      j->nomem[b] = 1;
      return;
    }
  for (size_t k = 0; k < t->ncol; k++)
    {
      local[k] = (column_block) { .numeric = 1 };
      key_counts_init (&local[k].shorts, BLOCK_NUMBERS);
      key_counts_init (&local[k].numbers, BLOCK_NUMBERS);
    }
  for (size_t from = lo; from < hi; from += SPAN)
    {
      size_t to = hi - from < SPAN ? hi : from + SPAN;
      if (j->scope)
        for (size_t row = from; row < to; row++)
          j->scope[row] = (unsigned char) in_subset (j, row);
      for (size_t k = 0; k < t->ncol; k++)
        count_column (j, (long) k, b, from, to, &local[k], sc, j->check_of[k]);
      if (j->check_col[0] >= 0)
        for (size_t row = from; row < to; row++)
          if (in_scope (j, row))
            check_row (j, row, sc, row - from, &checks);
    }
  for (size_t k = 0; k < t->ncol; k++)
    j->block[k][b] = local[k];
  j->checks[b] = checks;
  free (local);
  free (sc);
}

/* The design, then the median follow-up: Kaplan-Meier with censoring as
   the event. */
static void
followup_task (pass_job *j)
{
  axs_design *d = &j->design;
  if ((j->design_status = axs_design_build (j->t, j->spec, d, &j->diag)) != AXS_OK)
    return;
  /* the rows are not needed: their memory goes before the estimate's */
  free (d->row);
  d->row = NULL;
  int *censored = malloc ((d->n ? d->n : 1) * sizeof *censored);
  if (!censored)
    {
      j->km_status = AXS_ENOMEM;
      return;
    }
  for (size_t i = 0; i < d->n; i++)
    {
      censored[i] = 1 - d->event[i];
      j->events += (size_t) d->event[i];
    }
  axs_km_input in;
  axs_km_input_init (&in);
  in.n = d->n;
  in.time = d->time;
  in.event = censored;
  j->km_status = axs_km_fit (&in, &j->km);
  free (censored);
}

/* The pass's blocks, and the design with the estimate as one more task,
   the first to start: it runs beside the blocks (it reads only the time
   and event columns), not before them; the design's own threads share the
   cores with the pass's. */
static void
pass_or_followup_task (void *arg, size_t k)
{
  pass_job *j = arg;
  if (k == 0)
    followup_task (j);
  else
    pass_task (arg, k - 1);
}

/* The texts of a column the pass took for numeric in a block, when another
   block found it is not. */
static void
text_task (void *arg, size_t b)
{
  pass_job *j = arg;
  column_block *c = &j->block[j->text_col][b];
  if (!c->texted)
    count_texts (j, j->text_col, b, block_start (j, b + 1), c);
}

static int
compare_level_text (const void *a, const void *b)
{
  return strcmp (((const level *) a)->text, ((const level *) b)->text);
}

static int
compare_keys (const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
  return (x > y) - (x < y);
}

/* The value at 0-based position I of the sorted numbers: KEY[0..m) distinct
   ascending, CUM[k] how many come before KEY[k]. */
static double
sorted_value (const uint64_t *key, const size_t *cum, size_t m, size_t i)
{
  size_t lo = 0, hi = m;         /* the last k with cum[k] <= i */
  while (hi - lo > 1)
    {
      size_t mid = lo + (hi - lo) / 2;
      if (cum[mid] <= i)
        lo = mid;
      else
        hi = mid;
    }
  return key_number (key[lo]);
}

/* Quartiles and distinct values of a numeric column from its counts.  The
   quantile arithmetic is axs_quantile_sorted's (R's type 7), read from the
   counts instead of a sorted copy. */
static void
numeric_summary (const key_counts *all, column_summary *c)
{
  static const double p[5] = { 0, 0.25, 0.5, 0.75, 1 };
  size_t m = all->set.n;
  uint64_t *key = axs_cli_alloc (m * sizeof *key);
  size_t *cum = axs_cli_alloc (m * sizeof *cum);
  memcpy (key, all->set.key, m * sizeof *key);
  qsort (key, m, sizeof *key, compare_keys);
  size_t sum = 0;
  for (size_t k = 0; k < m; k++)
    {
      cum[k] = sum;
      sum += all->count[axs_keyset_find (&all->set, key[k])];
      c->distinct += k == 0 || key_number (key[k]) != key_number (key[k - 1]);
    }
  for (int q = 0; q < 5; q++)
    {
      double index = 1 + (double) (c->n - 1) * p[q];
      double lo = floor (index), hi = ceil (index);
      double qs = sorted_value (key, cum, m, (size_t) lo - 1);
      double xhi = sorted_value (key, cum, m, (size_t) hi - 1);
      if (index > lo && xhi != qs)
        {
          double h = index - lo;
          qs = (1 - h) * qs + h * xhi;
        }
      c->q[q] = qs;
    }
  free (key);
  free (cum);
}

/* A numeric column with too many distinct values to count: its numbers
   sorted. */
static void
sorted_summary (const pass_job *j, long col, column_summary *c)
{
  static const double p[5] = { 0, 0.25, 0.5, 0.75, 1 };
  double *x = axs_cli_alloc (c->n * sizeof *x);
  size_t n = 0;
  for (size_t row = 0; row < j->t->nrow; row++)
    if (in_scope (j, row))
      {
        const char *cell = axs_table_cell (j->t, row, col);
        if (!axs_na_is_missing (j->na, cell))
          axs_parse_number (cell, &x[n++]);
      }
  if (axs_sort (n, x) != AXS_OK)
    axs_cli_fail ("out of memory");
  for (int k = 0; k < 5; k++)
    axs_quantile_sorted (n, x, p[k], &c->q[k]);
  for (size_t i = 0; i < n; i++)
    c->distinct += i == 0 || x[i] != x[i - 1];
  free (x);
}

/* Column COL's summary from the blocks of the pass. */
static void
summarise_column (pass_job *j, long col, column_summary *c)
{
  column_block *blk = j->block[col];
  memset (c, 0, sizeof *c);
  c->name = j->t->names[col];
  int numeric = 1, over = 0;
  for (size_t b = 0; b < NBLOCKS; b++)
    {
      c->n += blk[b].n;
      c->missing += blk[b].missing;
      numeric &= blk[b].numeric;
      over |= blk[b].numbers_over;
    }
  for (int k = 0; k < 5; k++)
    c->q[k] = NAN;
  if (c->n == 0)
    c->type = COL_EMPTY;
  else if (numeric)
    {
      c->type = COL_NUMERIC;
      key_counts all;
      key_counts_init (&all, 0);
      for (size_t b = 0; b < NBLOCKS && !over; b++)
        {
          const key_counts *sh = &blk[b].shorts, *nu = &blk[b].numbers;
          for (size_t id = 0; id < sh->set.n; id++)
            if (key_counts_add (&all, number_key (sh->value[id]), sh->count[id]) < 0)
              axs_cli_fail ("out of memory");
          for (size_t id = 0; id < nu->set.n; id++)
            if (key_counts_add (&all, nu->set.key[id], nu->count[id]) < 0)
              axs_cli_fail ("out of memory");
        }
      if (over)
        sorted_summary (j, col, c);
      else
        numeric_summary (&all, c);
      key_counts_free (&all);
    }
  else
    {
      c->type = COL_TEXT;
      j->text_col = col;
      axs_parallel_for (NBLOCKS, axs_parallel_threads (), text_task, j);
      text_counts all = { .n = 0 };
      for (size_t b = 0; b < NBLOCKS; b++)
        {
          all.over |= blk[b].texts.over;
          for (size_t k = 0; k < blk[b].texts.n; k++)
            text_counts_add (&all, blk[b].texts.item[k].text, blk[b].texts.key[k],
                             blk[b].texts.item[k].n);
        }
      if (!all.over && all.n <= MAX_LEVELS)
        {
          c->distinct = c->nlevels = all.n;
          c->levels = axs_cli_alloc (all.n * sizeof *c->levels);
          memcpy (c->levels, all.item, all.n * sizeof *c->levels);
          /* byte order: distinct texts, so the order is total */
          qsort (c->levels, c->nlevels, sizeof *c->levels, compare_level_text);
        }
      else
        {
          /* more levels than are listed: only how many */
          size_t *rows = NULL, n = j->t->nrow;
          if (j->scope)
            {
              rows = axs_cli_alloc (j->t->nrow * sizeof *rows);
              n = 0;
              for (size_t row = 0; row < j->t->nrow; row++)
                if (j->scope[row])
                  rows[n++] = row;
            }
          if (axs_levels_count (j->t, col, n, rows, j->na, &c->distinct, NULL, NULL)
              != AXS_OK)
            axs_cli_fail ("out of memory");
          free (rows);
        }
    }
  for (size_t b = 0; b < NBLOCKS; b++)
    {
      key_counts_free (&blk[b].shorts);
      key_counts_free (&blk[b].numbers);
    }
}

/* The checks' sums and their first lines, block after block. */
static void
merge_checks (const pass_job *j, description *d)
{
  if (j->check_col[0] < 0)
    return;
  check *c[2] = { &d->checks[0], &d->checks[1] };
  *c[0] = (check) { "pfs_after_os", "pfs_time is greater than os_time", 0, 0, 0, { 0 } };
  *c[1] = (check) { "death_without_pfs_event",
                    "os_event is 1 (death) but pfs_event is 0, yet a death "
                    "before progression ends PFS as an event", 0, 0, 0, { 0 } };
  d->nchecks = 2;
  for (size_t b = 0; b < NBLOCKS; b++)
    for (int k = 0; k < 2; k++)
      {
        const checks_block *cb = &j->checks[b];
        c[k]->checked += cb->checked;
        c[k]->violations += cb->violations[k];
        for (size_t i = 0; i < cb->nlines[k] && c[k]->nlines < MAX_LINES; i++)
          c[k]->line[c[k]->nlines++] = cb->line[k][i];
      }
}

/* Every column's summary, the checks and the follow-up into D, for the
   patients of SPEC. */
static void
summarise (const axs_table *t, const axs_cli *cli, const axs_na *na,
           const axs_design_spec *spec, description *d)
{
  static const char *const check_names[4] = { "os_time", "os_event", "pfs_time",
                                              "pfs_event" };
  pass_job *j = axs_cli_alloc (sizeof *j);
  *j = (pass_job) { .t = t, .cli = cli, .na = na, .nrow = t->nrow, .spec = spec,
                    .text_end = t->text + t->text_len };
  for (size_t s = 0; s < cli->nsubset && s < 64; s++)
    if ((j->subset_col[s] = axs_table_column (t, cli->subset[s].column)) < 0)
      j->nrow = 0;              /* the design names the column */
  if (cli->nsubset > 64)
    j->nrow = 0;                /* the design refuses them */
  if (cli->nsubset)
    j->scope = axs_cli_alloc (t->nrow);
  for (int k = 0; k < 4; k++)
    j->check_col[k] = axs_table_column (t, check_names[k]);
  if (j->check_col[1] < 0 || j->check_col[2] < 0 || j->check_col[3] < 0)
    j->check_col[0] = -1;
  j->check_of = axs_cli_alloc (t->ncol ? t->ncol : 1);
  memset (j->check_of, 4, t->ncol ? t->ncol : 1);
  for (int k = 0; k < 4 && j->check_col[0] >= 0; k++)
    j->check_of[j->check_col[k]] = (unsigned char) k;
  j->na_key = axs_cli_alloc ((na->n ? na->n : 1) * sizeof *j->na_key);
  for (size_t k = 0; k < na->n; k++)
    {
      const char *token = na->token[k];
      uint64_t key = cell_key (token, token + strlen (token) + 1);
      if (key & SHORT_BIT)
        j->na_key[j->nna_key++] = key;
      else
        j->na_long = 1;
    }
  j->block = axs_cli_alloc ((t->ncol ? t->ncol : 1) * sizeof *j->block);
  axs_parallel_for (NBLOCKS + 1, axs_parallel_threads (), pass_or_followup_task, j);

  const axs_design *design = &j->design;
  if (j->design_status != AXS_OK)
    axs_cli_fail_diag (&j->diag);
  d->n_rows = design->n_rows;
  d->n_subset_out = design->n_subset_out;
  d->n_used = design->n;
  d->n_excluded = design->n_excluded;
  d->events = j->events;
  d->censored = design->n - j->events;
  if (design->n_excluded)
    axs_cli_warn ("%s: %zu row%s left out for a missing value", t->file,
                  design->n_excluded, design->n_excluded == 1 ? "" : "s");
  if (j->km_status != AXS_OK)
    axs_cli_fail ("%s: reverse Kaplan-Meier estimate failed: %s", t->file,
                  axs_strerror (j->km_status));
  d->followup = j->km->curves[0].median;
  d->followup_lower = j->km->curves[0].median_lower;
  d->followup_upper = j->km->curves[0].median_upper;
  axs_km_result_free (j->km);
  axs_design_free (&j->design);
  for (size_t b = 0; b < NBLOCKS; b++)
    if (j->nomem[b])
      axs_cli_fail ("out of memory");

  d->ncolumns = t->ncol;
  d->columns = axs_cli_alloc ((t->ncol ? t->ncol : 1) * sizeof *d->columns);
  for (size_t k = 0; k < t->ncol; k++)
    summarise_column (j, (long) k, &d->columns[k]);
  merge_checks (j, d);
  free (j->block);
  free (j->scope);
  free (j->check_of);
  free (j->na_key);
  free (j);
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
  axs_diag diag;
  if (axs_table_read (cli->cohort, &ro, &t, &diag) != AXS_OK)
    {
      axs_na_free (&na);
      axs_cli_fail_diag (&diag);
    }
  d->file = t->file;
  d->time = cli->time;
  d->event = cli->event;
  summarise (t, cli, &na, &spec, d);
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
