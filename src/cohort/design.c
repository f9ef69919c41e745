/* design.c: subset, listwise deletion, typed values, groups and strata. */
#include "cohort/design.h"
#include "cohort/textset.h"
#include "stats/maxstat.h"
#include "stats/parallel.h"
#include "stats/quantile.h"
#include "stats/status.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- --subset and --cut specs ---------------------------------------- */

static int
split_list (const char *list, char ***item, size_t *n)
{
  *n = 1;
  for (const char *p = list; *p; p++)
    *n += *p == ',';
  *item = calloc (*n, sizeof **item);
  if (!*item)
    return AXS_ENOMEM;
  for (size_t i = 0; i < *n; i++)
    {
      size_t len = strcspn (list, ",");
      if (!((*item)[i] = strndup (list, len)))
        return AXS_ENOMEM;
      list += len + 1;
    }
  return AXS_OK;
}

static void
free_list (char **item, size_t n)
{
  for (size_t i = 0; item && i < n; i++)
    free (item[i]);
  free (item);
}

int
axs_subset_parse (const char *spec, axs_subset *s, axs_diag *d)
{
  memset (s, 0, sizeof *s);
  const char *eq = strchr (spec, '=');
  if (!eq || eq == spec)
    return axs_diag_set (d, AXS_EINVAL, 1,
                         "--subset '%s': expected COLUMN=VALUE[,VALUE...]", spec);
  if (!(s->column = strndup (spec, (size_t) (eq - spec)))
      || split_list (eq + 1, &s->value, &s->n) != AXS_OK)
    {
      axs_subset_free (s);
      return axs_diag_set (d, AXS_ENOMEM, 0, "out of memory");
    }
  return AXS_OK;
}

void
axs_subset_free (axs_subset *s)
{
  free (s->column);
  free_list (s->value, s->n);
  memset (s, 0, sizeof *s);
}

static int
cut_bad (axs_cut *cut, axs_diag *d, const char *spec, const char *why)
{
  axs_cut_free (cut);
  return axs_diag_set (d, AXS_EINVAL, 1,
                       "--cut '%s': %s; use median, tertiles, quartiles, pNN "
                       "(a percentile, 0 < NN < 100), optimal, or values V or "
                       "V1,V2,...",
                       spec, why);
}

int
axs_cut_parse (const char *spec, axs_cut *cut, axs_diag *d)
{
  static const struct { const char *name; size_t n; char prefix; } named[] = {
    { "median", 1, 0 }, { "tertiles", 2, 'T' }, { "quartiles", 3, 'Q' },
  };
  memset (cut, 0, sizeof *cut);
  if (strcmp (spec, "optimal") == 0)
    {
      cut->kind = AXS_CUT_OPTIMAL;
      cut->n = 1;
      return AXS_OK;
    }
  for (size_t k = 0; k < sizeof named / sizeof *named; k++)
    if (strcmp (spec, named[k].name) == 0)
      {
        cut->kind = AXS_CUT_QUANTILES;
        cut->n = named[k].n;
        cut->prefix = named[k].prefix;
        if (!(cut->at = malloc (cut->n * sizeof *cut->at)))
          return axs_diag_set (d, AXS_ENOMEM, 0, "out of memory");
        for (size_t i = 0; i < cut->n; i++)
          cut->at[i] = (double) (i + 1) / (double) (cut->n + 1);
        return AXS_OK;
      }

  int percentile = spec[0] == 'p';
  char **item;
  size_t n;
  if (split_list (spec + percentile, &item, &n) != AXS_OK)
    return axs_diag_set (d, AXS_ENOMEM, 0, "out of memory");
  cut->kind = percentile ? AXS_CUT_QUANTILES : AXS_CUT_VALUES;
  cut->n = n;
  cut->at = malloc (n * sizeof *cut->at);
  int status = cut->at ? AXS_OK : AXS_ENOMEM;
  const char *why = NULL;
  for (size_t i = 0; status == AXS_OK && !why && i < n; i++)
    if (axs_parse_number (item[i], &cut->at[i]) != AXS_OK)
      why = "not a number";
    else if (percentile
             && (n > 1 || !((cut->at[0] /= 100) > 0 && cut->at[0] < 1)))
      /* checked as a probability: p4E-324 is above 0 but /100 is not */
      why = "a percentile is one number between 0 and 100";
    else if (i > 0 && cut->at[i] <= cut->at[i - 1])
      why = "the values must increase";
  free_list (item, n);
  if (status != AXS_OK)
    {
      axs_cut_free (cut);
      return axs_diag_set (d, status, 0, "out of memory");
    }
  if (why)
    return cut_bad (cut, d, spec, why);
  return AXS_OK;
}

void
axs_cut_free (axs_cut *cut)
{
  free (cut->at);
  memset (cut, 0, sizeof *cut);
}

void
axs_levels_free (axs_levels *l)
{
  free_list (l->name, l->n);
  memset (l, 0, sizeof *l);
}

/* ---- the walk over the rows ------------------------------------------- */

/* A column the analysis reads, with its role for messages. */
typedef struct
{
  const char *name;
  long col;
} used_column;

static int
is_kept (const axs_table *t, size_t row, const axs_design_spec *spec,
         const long *subset_col)
{
  for (size_t k = 0; k < spec->nsubset; k++)
    {
      const char *cell = axs_table_cell (t, row, subset_col[k]);
      size_t i = 0;
      while (i < spec->subset[k].n && strcmp (cell, spec->subset[k].value[i]) != 0)
        i++;
      if (i == spec->subset[k].n)
        return 0;
    }
  return 1;
}

/* ---- the walk, in blocks of rows on threads ---------------------------- */

enum { WALK_BLOCK = 1 << 14 };    /* rows a task walks */

/* What stopped a block's walk: the first bad value in it. */
typedef enum
{
  BAD_NONE, BAD_TIME, BAD_EVENT_CODE, BAD_EVENT_OTHER, BAD_NEGATIVE, BAD_MARKER
} bad_value;

/* A block's walk: its patients go to the design's arrays from the index of
   its first row on (never past its own rows), and are moved down to follow
   the earlier blocks' once all are done. */
typedef struct
{
  size_t n, n_subset_out, n_excluded;
  bad_value bad;
  size_t bad_row;
  const char *censor;           /* with --event-value: the first other spelling */
  size_t censor_row;
} walk_block;

typedef struct
{
  const axs_table *t;
  const axs_design_spec *spec;
  const used_column *use;
  size_t nuse;
  const long *subset_col;
  axs_design *d;
  walk_block *block;
  long id_col;                  /* with SPEC->id: its column, */
  uint32_t *id_hash;            /* and each patient's id hashed (0: missing) */
} walk_job;

/* Rows of block B, each checked in the order a single walk over the file
   checks them, up to the first bad value.  Only the censoring spelling is
   the block's own: the first block to see one names it for the file, and
   the merge compares the others with it. */
static void
walk_task (void *arg, size_t b)
{
  const walk_job *j = arg;
  const axs_table *t = j->t;
  const axs_design_spec *spec = j->spec;
  const used_column *use = j->use;
  axs_design *d = j->d;
  walk_block *w = &j->block[b];
  size_t lo = b * WALK_BLOCK, hi = lo + WALK_BLOCK < t->nrow ? lo + WALK_BLOCK : t->nrow;
  size_t i = lo;
  *w = (walk_block) { .bad = BAD_NONE, .bad_row = SIZE_MAX, .censor_row = SIZE_MAX };
  for (size_t row = lo; row < hi; row++)
    {
      if (!is_kept (t, row, spec, j->subset_col))
        {
          w->n_subset_out++;
          continue;
        }
      size_t k = 0;
      while (k < j->nuse && !(use[k].name
                              && axs_na_is_missing (spec->na, axs_table_cell (t, row, use[k].col))))
        k++;
      if (k < j->nuse)
        {
          w->n_excluded++;
          continue;
        }
      bad_value bad = BAD_NONE;
      const char *cell = axs_table_cell (t, row, use[1].col);
      double x;
      if (axs_parse_number (axs_table_cell (t, row, use[0].col), &d->time[i]) != AXS_OK)
        bad = BAD_TIME;
      else if (!spec->event_value)
        {
          if (axs_parse_number (cell, &x) == AXS_OK && (x == 0 || x == 1))
            d->event[i] = (int) x;
          else
            bad = BAD_EVENT_CODE;
        }
      else if (strcmp (cell, spec->event_value) == 0)
        d->event[i] = 1;
      else if (!w->censor || strcmp (cell, w->censor) == 0)
        {
          if (!w->censor)
            {
              w->censor = cell;
              w->censor_row = row;
            }
          d->event[i] = 0;
        }
      else
        bad = BAD_EVENT_OTHER;
      if (bad == BAD_NONE && d->time[i] < 0)
        bad = BAD_NEGATIVE;
      if (bad == BAD_NONE && spec->marker
          && axs_parse_number (axs_table_cell (t, row, use[2].col), &d->marker[i]) != AXS_OK)
        bad = BAD_MARKER;
      if (bad != BAD_NONE)
        {
          w->bad = bad;
          w->bad_row = row;
          break;
        }
      if (j->id_hash)
        {
          /* for the check of the ids, while the row is at hand */
          const char *id = axs_table_cell (t, row, j->id_col);
          uint32_t h = 0;       /* as count_hash_task has it */
          if (!axs_na_is_missing (spec->na, id) && !(h = axs_text_hash (id)))
            h = 1;
          j->id_hash[i] = h;
        }
      d->row[i++] = row;
    }
  w->n = i - lo;
}

/* The message of a bad value BAD on ROW; CENSOR is the censoring spelling
   seen before it (for BAD_EVENT_OTHER). */
static int
walk_error (const axs_table *t, const axs_design_spec *spec, const used_column *use,
            bad_value bad, size_t row, const char *censor, axs_diag *diag)
{
  char shown[AXS_DIAG_SHOWN], shown2[AXS_DIAG_SHOWN];
  const used_column *u = &use[bad == BAD_MARKER ? 2 : bad == BAD_TIME
                              || bad == BAD_NEGATIVE ? 0 : 1];
  const char *cell = axs_table_cell (t, row, u->col);
  double x;
  switch (bad)
    {
    case BAD_TIME:
    case BAD_MARKER:
      axs_parse_number (cell, &x);
      return axs_diag_set (diag, AXS_EDOM, 0, "%s:%zu: column '%s': '%s' is not %s",
                           t->file, axs_table_line (t, row), u->name,
                           axs_diag_shorten (cell, shown),
                           isnan (x) ? "a number" : "a finite number");
    case BAD_EVENT_CODE:
      return axs_diag_set (diag, AXS_EDOM, 0,
                           "%s:%zu: column '%s': '%s' is not an event code: use 0 "
                           "(censored) or 1 (event), or name the event's value "
                           "with --event-value", t->file, axs_table_line (t, row),
                           u->name, axs_diag_shorten (cell, shown));
    case BAD_EVENT_OTHER:
      return axs_diag_set (diag, AXS_EDOM, 0,
                           "%s:%zu: column '%s': '%s' is neither the event value '%s' "
                           "nor the censoring value '%s' seen before",
                           t->file, axs_table_line (t, row), u->name,
                           axs_diag_shorten (cell, shown), spec->event_value,
                           axs_diag_shorten (censor, shown2));
    case BAD_NEGATIVE:
      return axs_diag_set (diag, AXS_EDOM, 0,
                           "%s:%zu: column '%s': '%s' is a negative time; "
                           "times are counted from 0", t->file,
                           axs_table_line (t, row), u->name,
                           axs_diag_shorten (cell, shown));
    default:
      return AXS_OK;
    }
}

/* Walk every row of T in blocks on threads, then put the blocks' patients
   one after the other in file order.  The first bad value in file order is
   the error, as a single walk would stop there: a block's own, or the first
   other spelling of its events when an earlier block saw another one. */
static int
walk_rows (const axs_table *t, const axs_design_spec *spec, const used_column *use,
           size_t nuse, const long *subset_col, long id_col, uint32_t *id_hash,
           axs_design *d, axs_diag *diag)
{
  size_t nblocks = (t->nrow + WALK_BLOCK - 1) / WALK_BLOCK;
  walk_block *block = malloc ((nblocks ? nblocks : 1) * sizeof *block);
  if (!block)
    return axs_diag_set (diag, AXS_ENOMEM, 0, "out of memory");
  walk_job j = { t, spec, use, nuse, subset_col, d, block, id_col, id_hash };
  axs_parallel_for (nblocks, axs_parallel_threads (), walk_task, &j);

  int status = AXS_OK;
  const char *censor = NULL;
  for (size_t b = 0; b < nblocks && status == AXS_OK; b++)
    {
      const walk_block *w = &block[b];
      d->n_subset_out += w->n_subset_out;
      d->n_excluded += w->n_excluded;
      if (w->censor && censor && strcmp (w->censor, censor) != 0
          && w->censor_row <= w->bad_row)
        {
          status = walk_error (t, spec, use, BAD_EVENT_OTHER, w->censor_row, censor,
                               diag);
          break;
        }
      if (w->censor && !censor)
        censor = w->censor;
      if (w->bad != BAD_NONE)
        {
          status = walk_error (t, spec, use, w->bad, w->bad_row, censor, diag);
          break;
        }
      size_t from = b * WALK_BLOCK;
      if (from != d->n && w->n > 0)
        {
          memmove (d->row + d->n, d->row + from, w->n * sizeof *d->row);
          memmove (d->time + d->n, d->time + from, w->n * sizeof *d->time);
          memmove (d->event + d->n, d->event + from, w->n * sizeof *d->event);
          if (d->marker)
            memmove (d->marker + d->n, d->marker + from, w->n * sizeof *d->marker);
          if (id_hash)
            memmove (id_hash + d->n, id_hash + from, w->n * sizeof *id_hash);
        }
      d->n += w->n;
    }
  free (block);
  return status;
}

/* ---- levels: blocks of rows numbered on threads, then in block order ---- */

enum { LEVEL_BLOCK = 1 << 14 };   /* rows a task numbers */

typedef struct
{
  const axs_table *t;
  long col;
  size_t n;
  const size_t *row;
  int *id;                      /* n: block-local ids, then the final ones */
  axs_textset *set;             /* per block: its texts, first seen first */
  int **map;                    /* per block: local id -> final id */
  unsigned char *nomem;         /* per block: out of memory */
} levels_job;

static void
levels_block_task (void *arg, size_t b)
{
  levels_job *j = arg;
  size_t lo = b * LEVEL_BLOCK, hi = lo + LEVEL_BLOCK < j->n ? lo + LEVEL_BLOCK : j->n;
  axs_textset *s = &j->set[b];
  for (size_t i = lo; i < hi; i++)
    {
      const char *cell = axs_table_cell (j->t, j->row[i], j->col);
      long id = axs_textset_id (s, cell, axs_text_hash (cell));
      if (id < 0)
        {
          j->nomem[b] = 1;
          return;
        }
      j->id[i] = (int) id;
    }
  /* the table is rebuilt for the merge; only the texts are kept */
  free (s->slot);
  s->slot = NULL;
  s->cap = 0;
}

static void
levels_map_task (void *arg, size_t b)
{
  levels_job *j = arg;
  size_t lo = b * LEVEL_BLOCK, hi = lo + LEVEL_BLOCK < j->n ? lo + LEVEL_BLOCK : j->n;
  const int *map = j->map[b];
  for (size_t i = lo; i < hi; i++)
    j->id[i] = map[j->id[i]];
}

static void
levels_job_free (levels_job *j, size_t nblocks)
{
  for (size_t b = 0; j->set && b < nblocks; b++)
    axs_textset_free (&j->set[b]);
  for (size_t b = 0; j->map && b < nblocks; b++)
    free (j->map[b]);
  free (j->set);
  free (j->map);
  free (j->nomem);
}

/* The first-seen numbering of the texts: the blocks' own (on threads), then
   their texts in block order into ALL, whose ids are the first-seen ones
   over every row; each block's map says which.  RENUMBER (may be NULL) then
   maps an id of ALL to the final id written into J->id. */
static int
levels_number (levels_job *j, axs_textset *all,
               const int *(*renumber) (void *, const axs_textset *), void *ctx)
{
  size_t nblocks = (j->n + LEVEL_BLOCK - 1) / LEVEL_BLOCK;
  int threads = axs_parallel_threads ();
  memset (all, 0, sizeof *all);
  j->set = calloc (nblocks ? nblocks : 1, sizeof *j->set);
  j->map = calloc (nblocks ? nblocks : 1, sizeof *j->map);
  j->nomem = calloc (nblocks ? nblocks : 1, 1);
  if (!j->set || !j->map || !j->nomem || j->n > INT32_MAX)
    goto nomem;
  axs_parallel_for (nblocks, threads, levels_block_task, j);
  for (size_t b = 0; b < nblocks; b++)
    {
      const axs_textset *s = &j->set[b];
      if (j->nomem[b] || !(j->map[b] = malloc ((s->n ? s->n : 1) * sizeof *j->map[b])))
        goto nomem;
      for (size_t k = 0; k < s->n; k++)
        {
          long id = axs_textset_id (all, s->text[k], axs_text_hash (s->text[k]));
          if (id < 0)
            goto nomem;
          j->map[b][k] = (int) id;
        }
    }
  if (renumber)
    {
      const int *to = renumber (ctx, all);
      if (!to)
        goto nomem;
      for (size_t b = 0; b < nblocks; b++)
        for (size_t k = 0; k < j->set[b].n; k++)
          j->map[b][k] = to[j->map[b][k]];
    }
  axs_parallel_for (nblocks, threads, levels_map_task, j);
  levels_job_free (j, nblocks);
  return AXS_OK;

nomem:
  levels_job_free (j, nblocks);
  axs_textset_free (all);
  return AXS_ENOMEM;
}

int
axs_levels_index (const axs_table *t, long col, size_t n, const size_t *row,
                  int *id, const char ***text_out, size_t *nid_out)
{
  levels_job j = { .t = t, .col = col, .n = n, .row = row, .id = id };
  axs_textset all;
  *text_out = NULL;
  *nid_out = 0;
  if (levels_number (&j, &all, NULL, NULL) != AXS_OK)
    return AXS_ENOMEM;
  free (all.slot);
  if (!all.text && !(all.text = malloc (sizeof *all.text)))
    return AXS_ENOMEM;
  *text_out = all.text;
  *nid_out = all.n;
  return AXS_OK;
}

/* For axs_levels_make: the level names, sorted, and each first-seen id's
   place among them. */
typedef struct
{
  axs_levels *levels;
  int *rank;
} sorted_levels;

static const int *
sort_levels (void *ctx, const axs_textset *all)
{
  sorted_levels *sl = ctx;
  axs_levels *levels = sl->levels;
  size_t nid = all->n;
  sl->rank = malloc ((nid ? nid : 1) * sizeof *sl->rank);
  levels->name = calloc (nid ? nid : 1, sizeof *levels->name);
  if (!sl->rank || !levels->name)
    return NULL;
  for (size_t id = 0; id < nid; id++)
    if (!(levels->name[levels->n++] = strdup (all->text[id])))
      return NULL;
  axs_levels_sort (levels->name, levels->n);
  /* renumber: first-seen id -> sorted position */
  for (size_t id = 0; id < nid; id++)
    {
      size_t g = 0;
      while (strcmp (levels->name[g], all->text[id]) != 0)
        g++;
      sl->rank[id] = (int) g;
    }
  return sl->rank;
}

/* First-seen ids from the hashes, then the ids' texts sorted and the ids
   renumbered. */
int
axs_levels_make (const axs_table *t, const axs_design *d, long col,
                 axs_levels *levels, int *level)
{
  levels_job j = { .t = t, .col = col, .n = d->n, .row = d->row, .id = level };
  sorted_levels sl = { levels, NULL };
  axs_textset all;
  int status = levels_number (&j, &all, sort_levels, &sl);
  free (sl.rank);
  if (status != AXS_OK)
    {
      axs_levels_free (levels);
      return status;
    }
  axs_textset_free (&all);
  return AXS_OK;
}

/* ---- distinct texts of many levels: shared out by hash ----------------- */

enum { COUNT_PARTS = 16 };        /* tasks, each for one share of the hashes */
enum { AHEAD = 8 };               /* texts whose slot is fetched ahead */

typedef struct
{
  const axs_table *t;
  long col;
  size_t n;
  const size_t *row;
  const axs_na *na;
  uint32_t *hash;               /* n */
  int hashed;                   /* HASH came filled */
  size_t (*count)[COUNT_PARTS]; /* per block: texts of each part, then where
                                   the block's go in LIST */
  uint32_t *list;               /* the i of each part's texts, in order of i */
  size_t start[COUNT_PARTS + 1];/* where each part's list starts */
  int stop_at_repeat;
  size_t distinct[COUNT_PARTS], repeat[COUNT_PARTS], earlier[COUNT_PARTS];
  int nomem[COUNT_PARTS];
} count_job;

static size_t
count_row (const count_job *j, size_t i)
{
  return j->row ? j->row[i] : i;
}

/* A block's hashes and how many of its texts fall in each part; a missing
   cell gets no part. */
static void
count_hash_task (void *arg, size_t b)
{
  count_job *j = arg;
  size_t lo = b * LEVEL_BLOCK, hi = lo + LEVEL_BLOCK < j->n ? lo + LEVEL_BLOCK : j->n;
  size_t *count = j->count[b];
  memset (count, 0, sizeof j->count[b]);
  if (j->hashed)
    {
      for (size_t i = lo; i < hi; i++)
        if (j->hash[i])
          count[j->hash[i] % COUNT_PARTS]++;
      return;
    }
  for (size_t i = lo; i < hi; i++)
    {
      const char *cell = axs_table_cell (j->t, count_row (j, i), j->col);
      if (j->na && axs_na_is_missing (j->na, cell))
        {
          j->hash[i] = 0;
          continue;
        }
      uint32_t h = axs_text_hash (cell);
      /* the part is h % COUNT_PARTS; 0 is kept for the missing: a text whose
         hash is 0 hashes as 1, which only costs a comparison */
      j->hash[i] = h ? h : 1;
      count[j->hash[i] % COUNT_PARTS]++;
    }
}

static void
count_list_task (void *arg, size_t b)
{
  count_job *j = arg;
  size_t lo = b * LEVEL_BLOCK, hi = lo + LEVEL_BLOCK < j->n ? lo + LEVEL_BLOCK : j->n;
  size_t *next = j->count[b];
  for (size_t i = lo; i < hi; i++)
    if (j->hash[i])
      j->list[next[j->hash[i] % COUNT_PARTS]++] = (uint32_t) i;
}

/* For count_part_task: the texts of a part's ids, fetched from the table
   only when their hashes agree. */
typedef struct
{
  const count_job *j;
  const uint32_t *first;        /* by id: the i of its first text */
  size_t i;                     /* the i of the text looked up */
} part_lookup;

static int
part_same (const void *ctx, size_t id)
{
  const part_lookup *l = ctx;
  const count_job *j = l->j;
  return strcmp (axs_table_cell (j->t, count_row (j, l->first[id]), j->col),
                 axs_table_cell (j->t, count_row (j, l->i), j->col)) == 0;
}

/* One part: its texts in order of i through a textset of its own.  The
   low bits of a hash chose the part, so the others place it in the set. */
static void
count_part_task (void *arg, size_t p)
{
  count_job *j = arg;
  size_t m = j->start[p + 1] - j->start[p];
  const uint32_t *list = j->list + j->start[p];
  axs_textset set;
  axs_textset_init (&set);
  uint32_t *first = malloc ((m ? m : 1) * sizeof *first);
  j->repeat[p] = j->earlier[p] = SIZE_MAX;
  j->distinct[p] = 0;
  if (!first || axs_textset_reserve (&set, m) != AXS_OK)
    {
      j->nomem[p] = 1;
      free (first);
      axs_textset_free (&set);
      return;
    }
  part_lookup l = { j, first, 0 };
  for (size_t k = 0; k < m; k++)
    {
      size_t i = list[k];
      uint32_t h = j->hash[i] / COUNT_PARTS;
#ifdef __GNUC__
      if (k + AHEAD < m)        /* the slot looked up AHEAD texts later */
        __builtin_prefetch (axs_textset_home (&set, j->hash[list[k + AHEAD]] / COUNT_PARTS));
#endif
      l.i = i;
      size_t s = axs_textset_probe (&set, h, part_same, &l);
      if (!set.slot[s])
        first[axs_textset_put (&set, s, h)] = (uint32_t) i;
      else if (j->stop_at_repeat)
        {
          j->repeat[p] = i;
          j->earlier[p] = first[axs_textset_slot_id (&set, s)];
          break;
        }
    }
  j->distinct[p] = set.n;
  free (first);
  axs_textset_free (&set);
}

/* axs_levels_count, with the texts' hashes already in HASH[n] when it is
   not NULL (0 for a missing text, as count_hash_task makes them); HASH is
   freed. */
static int
levels_count (const axs_table *t, long col, size_t n, const size_t *row,
              const axs_na *na, uint32_t *hash, size_t *ndistinct,
              size_t *repeat, size_t *earlier)
{
  size_t nblocks = (n + LEVEL_BLOCK - 1) / LEVEL_BLOCK;
  int threads = axs_parallel_threads ();
  count_job j = { .t = t, .col = col, .n = n, .row = row, .na = na,
                  .stop_at_repeat = repeat != NULL, .hash = hash,
                  .hashed = hash != NULL };
  if (!j.hash)
    j.hash = malloc ((n ? n : 1) * sizeof *j.hash);
  j.count = malloc ((nblocks ? nblocks : 1) * sizeof *j.count);
  if (!j.hash || !j.count || n >= UINT32_MAX)
    goto nomem;
  axs_parallel_for (nblocks, threads, count_hash_task, &j);
  /* each part's texts in block order: the block's share starts where the
     earlier blocks' end */
  size_t at = 0;
  for (size_t p = 0; p < COUNT_PARTS; p++)
    {
      j.start[p] = at;
      for (size_t b = 0; b < nblocks; b++)
        {
          size_t c = j.count[b][p];
          j.count[b][p] = at;
          at += c;
        }
    }
  j.start[COUNT_PARTS] = at;
  if (!(j.list = malloc ((at ? at : 1) * sizeof *j.list)))
    goto nomem;
  axs_parallel_for (nblocks, threads, count_list_task, &j);
  free (j.count);
  j.count = NULL;
  axs_parallel_for (COUNT_PARTS, threads, count_part_task, &j);
  free (j.hash);
  free (j.list);
  for (size_t p = 0; p < COUNT_PARTS; p++)
    if (j.nomem[p])
      return AXS_ENOMEM;
  if (repeat)
    {
      *repeat = *earlier = SIZE_MAX;
      for (size_t p = 0; p < COUNT_PARTS; p++)
        if (j.repeat[p] < *repeat)
          {
            *repeat = j.repeat[p];
            *earlier = j.earlier[p];
          }
    }
  else
    {
      *ndistinct = 0;
      for (size_t p = 0; p < COUNT_PARTS; p++)
        *ndistinct += j.distinct[p];
    }
  return AXS_OK;

nomem:
  free (j.hash);
  free (j.count);
  free (j.list);
  return AXS_ENOMEM;
}

int
axs_levels_count (const axs_table *t, long col, size_t n, const size_t *row,
                  const axs_na *na, size_t *ndistinct, size_t *repeat,
                  size_t *earlier)
{
  return levels_count (t, col, n, row, na, NULL, ndistinct, repeat, earlier);
}

/* The cutpoint maximising the standardized log-rank statistic over the
   patients analysed, into *CUT.  AXS_EDOM: no candidate cut or no events. */
static int
optimal_cut (const axs_design *d, double *cut)
{
  axs_maxstat_workspace *w = axs_maxstat_workspace_alloc (d->n);
  axs_maxstat_result *r = axs_maxstat_result_alloc (d->n);
  int status = w && r ? axs_maxstat_test (d->n, d->time, d->event, d->marker,
                                          AXS_CUT_MINPROP, AXS_CUT_MAXPROP, w, r)
                      : AXS_ENOMEM;
  if (status == AXS_OK)
    *cut = r->cut;
  axs_maxstat_result_free (r);
  axs_maxstat_workspace_free (w);
  return status;
}

/* The cut values for SPEC->cut over the patients' markers. */
static int
cut_values (const axs_design_spec *spec, axs_design *d)
{
  d->ncuts = spec->cut->n;
  if (!(d->cuts = malloc (d->ncuts * sizeof *d->cuts)))
    return AXS_ENOMEM;
  if (spec->cut->kind == AXS_CUT_OPTIMAL)
    return optimal_cut (d, &d->cuts[0]);
  if (spec->cut->kind == AXS_CUT_VALUES)
    {
      memcpy (d->cuts, spec->cut->at, d->ncuts * sizeof *d->cuts);
      return AXS_OK;
    }
  return axs_quantiles (d->n, d->marker, d->ncuts, spec->cut->at, d->cuts);
}

static int
name_cut_groups (const axs_design_spec *spec, axs_design *d)
{
  d->groups.n = d->ncuts + 1;
  if (!(d->groups.name = calloc (d->groups.n, sizeof *d->groups.name)))
    return AXS_ENOMEM;
  for (size_t g = 0; g < d->groups.n; g++)
    {
      char name[128];
      if (d->ncuts == 1)
        strcpy (name, g == 0 ? "low" : "high");
      else if (spec->cut->prefix)
        snprintf (name, sizeof name, "%c%zu", spec->cut->prefix, g + 1);
      else if (g == 0)
        snprintf (name, sizeof name, "<=%.6g", d->cuts[0]);
      else if (g == d->ncuts)
        snprintf (name, sizeof name, ">%.6g", d->cuts[g - 1]);
      else
        snprintf (name, sizeof name, "(%.6g,%.6g]", d->cuts[g - 1], d->cuts[g]);
      if (!(d->groups.name[g] = strdup (name)))
        return AXS_ENOMEM;
    }
  return AXS_OK;
}

/* Groups from the marker: a patient with marker <= cut is in the lower group. */
static int
cut_groups (const axs_table *t, const axs_design_spec *spec, axs_design *d,
            axs_diag *diag)
{
  int status = cut_values (spec, d);
  if (status == AXS_EDOM && spec->cut->kind == AXS_CUT_OPTIMAL)
    return axs_diag_set (diag, status, 0,
                         "%s: --cut optimal: no cutpoint of marker '%s' to choose "
                         "(no events, or fewer than two distinct values between "
                         "its %g and %g quantiles)", t->file, spec->marker,
                         AXS_CUT_MINPROP, AXS_CUT_MAXPROP);
  if (status == AXS_OK)
    status = name_cut_groups (spec, d);
  if (status != AXS_OK)
    return axs_diag_set (diag, status, 0, "%s", axs_strerror (status));
  size_t *count = calloc (d->groups.n, sizeof *count);
  if (!count)
    return axs_diag_set (diag, AXS_ENOMEM, 0, "out of memory");
  for (size_t i = 0; i < d->n; i++)
    {
      size_t g = 0;
      while (g < d->ncuts && d->marker[i] > d->cuts[g])
        g++;
      d->group[i] = (int) g;
      count[g]++;
    }
  for (size_t g = 0; g < d->groups.n; g++)
    if (count[g] == 0)
      {
        free (count);
        char cuts[512] = "";
        for (size_t k = 0, used = 0; k < d->ncuts && used < sizeof cuts; k++)
          used += (size_t) snprintf (cuts + used, sizeof cuts - used, "%s%.10g",
                                     k ? ", " : "", d->cuts[k]);
        return axs_diag_set (diag, AXS_EDOM, 0,
                             "%s: group '%s' of marker '%s' has no patients (cuts "
                             "at %s; tied marker values can make quantile cuts "
                             "coincide): choose other cuts", t->file,
                             d->groups.name[g], spec->marker, cuts);
      }
  free (count);
  return AXS_OK;
}

/* Each patient is one row: a non-missing id in column SPEC->id on two of the
   patients' rows is an error naming both lines (the later one first).
   ID_HASH (may be NULL) holds the patients' ids hashed by the walk; it is
   freed. */
static int
check_unique_ids (const axs_table *t, const axs_design_spec *spec,
                  const axs_design *d, uint32_t *id_hash, axs_diag *diag)
{
  long col;
  if (axs_table_require (t, spec->id, &col, diag) != AXS_OK)
    {
      free (id_hash);
      return AXS_EINVAL;
    }
  size_t repeat, earlier;
  if (levels_count (t, col, d->n, d->row, spec->na, id_hash, NULL, &repeat, &earlier)
      != AXS_OK)
    return axs_diag_set (diag, AXS_ENOMEM, 0, "out of memory");
  if (repeat == SIZE_MAX)
    return AXS_OK;
  size_t second = d->row[repeat], first = d->row[earlier];
  char shown[AXS_DIAG_SHOWN];
  return axs_diag_set (diag, AXS_EDOM, 0,
                       "%s:%zu: column '%s': patient '%s' is already on line %zu: "
                       "each row must be a different patient",
                       t->file, axs_table_line (t, second), spec->id,
                       axs_diag_shorten (axs_table_cell (t, second, col), shown),
                       axs_table_line (t, first));
}

const char *const axs_id_columns[AXS_NID_COLUMNS] = { "patient_id", "patient" };

const char *
axs_design_id_column (const axs_table *t)
{
  for (size_t k = 0; k < AXS_NID_COLUMNS; k++)
    if (axs_table_column (t, axs_id_columns[k]) >= 0)
      return axs_id_columns[k];
  return NULL;
}

int
axs_design_build (const axs_table *t, const axs_design_spec *spec,
                  axs_design *d, axs_diag *diag)
{
  memset (d, 0, sizeof *d);
  used_column use[64];
  size_t nuse = 0;
  const char *named[] = { spec->time, spec->event, spec->marker, spec->group,
                          spec->strata };
  for (size_t k = 0; k < sizeof named / sizeof *named; k++)
    use[nuse++].name = named[k];
  for (size_t k = 0; k < spec->nalso && nuse < 64; k++)
    use[nuse++].name = spec->also[k];
  if (spec->nalso + 5 > 64 || spec->nsubset > 64)
    return axs_diag_set (diag, AXS_EINVAL, 1, "too many columns in one analysis");
  for (size_t k = 0; k < nuse; k++)
    if (use[k].name && axs_table_require (t, use[k].name, &use[k].col, diag) != AXS_OK)
      return AXS_EINVAL;
  long subset_col[64];
  for (size_t k = 0; k < spec->nsubset; k++)
    if (axs_table_require (t, spec->subset[k].column, &subset_col[k], diag) != AXS_OK)
      return AXS_EINVAL;

  size_t cap = t->nrow ? t->nrow : 1;
  d->n_rows = t->nrow;
  d->row = malloc (cap * sizeof *d->row);
  d->time = malloc (cap * sizeof *d->time);
  d->event = malloc (cap * sizeof *d->event);
  if (spec->marker)
    d->marker = malloc (cap * sizeof *d->marker);
  if (spec->group || (spec->marker && spec->cut))
    d->group = malloc (cap * sizeof *d->group);
  if (spec->strata)
    d->strata = malloc (cap * sizeof *d->strata);
  if (!d->row || !d->time || !d->event || (spec->marker && !d->marker)
      || ((spec->group || (spec->marker && spec->cut)) && !d->group)
      || (spec->strata && !d->strata))
    {
      axs_design_free (d);
      return axs_diag_set (diag, AXS_ENOMEM, 0, "out of memory");
    }

  /* the ids are hashed during the walk, when the column is there (the
     check below names it when not) */
  long id_col = spec->id ? axs_table_column (t, spec->id) : -1;
  uint32_t *id_hash = id_col >= 0 ? malloc (cap * sizeof *id_hash) : NULL;
  int status = walk_rows (t, spec, use, nuse, subset_col, id_col, id_hash, d, diag);
  if (status == AXS_OK && d->n == 0)
    status = axs_diag_set (diag, AXS_EDOM, 0,
                           "%s: no patients to analyse: %zu rows, %zu outside "
                           "--subset, %zu with a missing value", t->file,
                           d->n_rows, d->n_subset_out, d->n_excluded);
  if (status == AXS_OK && spec->id)
    status = check_unique_ids (t, spec, d, id_hash, diag);
  else
    free (id_hash);
  if (status == AXS_OK && spec->group
      && (status = axs_levels_make (t, d, use[3].col, &d->groups, d->group)) != AXS_OK)
    axs_diag_set (diag, status, 0, "out of memory");
  if (status == AXS_OK && spec->marker && spec->cut)
    status = cut_groups (t, spec, d, diag);
  if (status == AXS_OK && spec->strata
      && (status = axs_levels_make (t, d, use[4].col, &d->strata_levels, d->strata)) != AXS_OK)
    axs_diag_set (diag, status, 0, "out of memory");
  if (status != AXS_OK)
    axs_design_free (d);
  return status;
}

void
axs_design_free (axs_design *d)
{
  free (d->row);
  free (d->time);
  free (d->event);
  free (d->marker);
  free (d->group);
  free (d->cuts);
  free (d->strata);
  axs_levels_free (&d->groups);
  axs_levels_free (&d->strata_levels);
  memset (d, 0, sizeof *d);
}
