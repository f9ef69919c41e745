/* model.c: model terms, factor coding and the design matrix. */
#include "cohort/model.h"
#include "cohort/textset.h"
#include "cohort/values.h"
#include "stats/parallel.h"
#include "stats/status.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char factor_suffix[] = ":factor";

/* Most distinct values of a numeric modifier at which the marker's effect is
   reported (beyond that the modifier is not a set of levels). */
enum { MAX_MODIFIER_VALUES = 10 };

/* Rows a task reads or fills: a fixed split, whatever the number of threads. */
enum { ROW_BLOCK = 1 << 14 };
/* Rows a task reads, or fills, a term after the other: their cells, or
   their part of the matrix, stay in the first-level cache meanwhile. */
enum { ROW_SPAN = 256 };

static size_t
row_blocks (size_t n)
{
  return (n + ROW_BLOCK - 1) / ROW_BLOCK;
}

int
axs_transform_parse (const char *name, axs_transform *t)
{
  static const axs_transform all[] = {
    AXS_TRANSFORM_NONE, AXS_TRANSFORM_LOG, AXS_TRANSFORM_LOG2,
    AXS_TRANSFORM_LOG2P1, AXS_TRANSFORM_Z
  };
  for (size_t k = 0; k < sizeof all / sizeof *all; k++)
    if (strcmp (name, axs_transform_name (all[k])) == 0)
      {
        *t = all[k];
        return AXS_OK;
      }
  return AXS_EINVAL;
}

const char *
axs_transform_name (axs_transform t)
{
  switch (t)
    {
    case AXS_TRANSFORM_LOG: return "log";
    case AXS_TRANSFORM_LOG2: return "log2";
    case AXS_TRANSFORM_LOG2P1: return "log2p1";
    case AXS_TRANSFORM_Z: return "z";
    default: return "none";
    }
}

/* The length of the column name in "NAME[:factor]"; *FORCED says whether
   the suffix is there. */
static size_t
spec_name (const char *s, int *forced)
{
  size_t len = strlen (s), k = sizeof factor_suffix - 1;
  *forced = len > k && strcmp (s + len - k, factor_suffix) == 0;
  return *forced ? len - k : len;
}

int
axs_model_columns (const axs_model_spec *spec, char ***names, size_t *n)
{
  *n = 0;
  *names = calloc (spec->ncovariate + 1, sizeof **names);
  if (!*names)
    return AXS_ENOMEM;
  for (size_t k = 0; k <= spec->ncovariate; k++)
    {
      const char *s = k < spec->ncovariate ? spec->covariate[k] : spec->interaction;
      if (!s)
        continue;
      int forced;
      if (!((*names)[*n] = strndup (s, spec_name (s, &forced))))
        {
          axs_model_columns_free (*names, *n);
          *names = NULL;
          *n = 0;
          return AXS_ENOMEM;
        }
      ++*n;
    }
  return AXS_OK;
}

void
axs_model_columns_free (char **names, size_t n)
{
  for (size_t k = 0; names && k < n; k++)
    free (names[k]);
  free (names);
}

/* ---- building ---------------------------------------------------------- */

/* What reading a term's column found in one block of the patients. */
typedef struct
{
  axs_textset set;      /* a factor's texts, first seen first: the block's ids */
  int *map;             /* the block's id -> the level */
  size_t bad;           /* the first patient whose value is not a number, or n */
  unsigned char wide;   /* a value the term's array cannot hold */
  unsigned char nomem;
} term_block;

/* A term while it is being built: its values before coding. */
typedef struct
{
  char *column;         /* the table column, or NULL (interaction) */
  long col;             /* its index in the table, or -1 */
  int forced;           /* NAME:factor */
  double *value;        /* n: a numeric term's values */
  int32_t *ivalue;      /* n: VALUE when every value is a whole number that
                           fits (VALUE is then NULL): held with the table */
  int *level;           /* n: a factor's level of each patient */
  unsigned char *level8;  /* n: the same in a byte (fewer than 256 levels;
                             LEVEL is then NULL): a large cohort's text and
                             these are held together */
  int borrowed;         /* VALUE or LEVEL is the design's (an untransformed
                           marker, its groups) */
  term_block *blk;      /* per block of patients, while the table is read */
} scratch;

typedef struct
{
  const axs_table *t;
  const axs_design *d;
  axs_model *m;
  scratch *s;
  axs_diag *diag;
  const size_t *order;  /* the spec's order of the matrix rows, or NULL */
} builder;

static int
nomem (const builder *b)
{
  return axs_diag_set (b->diag, AXS_ENOMEM, 0, "out of memory");
}

static double
value_of (const scratch *s, size_t i)
{
  return s->value ? s->value[i] : (double) s->ivalue[i];
}

static int
level_of (const scratch *s, size_t i)
{
  return s->level ? s->level[i] : s->level8[i];
}

/* X as a 32-bit integer is exactly X (-0 is not). */
static int
is_whole (double x)
{
  return x >= INT32_MIN && x <= INT32_MAX && x == (double) (int32_t) x
    && !(x == 0 && signbit (x));
}

static int
not_a_number (const builder *b, const scratch *s, size_t i)
{
  size_t row = b->d->row[i];
  return axs_diag_set (b->diag, AXS_EDOM, 0,
                       "%s:%zu: column '%s': '%s' is not a number, but the "
                       "column's other values are (write %s:factor in "
                       "--covariates to use its values as categories)",
                       b->t->file, axs_table_line (b->t, row), s->column,
                       axs_table_cell (b->t, row, s->col), s->column);
}

/* Terms of the model whose values are in the table's cells. */
typedef struct
{
  const builder *b;
  size_t *term;
  size_t nterm;
} read_job;

/* Block BLK of the patients, ROW_SPAN at a time: their cells of the job's
   terms, a term after the other (the rows' cells stay in the cache).  A
   number goes in the term's array as it is; a factor's text gets the
   block's own id (made a level once all blocks are read). */
static void
read_task (void *arg, size_t blk)
{
  const read_job *j = arg;
  const axs_design *d = j->b->d;
  const axs_table *t = j->b->t;
  size_t lo = blk * ROW_BLOCK, hi = lo + ROW_BLOCK < d->n ? lo + ROW_BLOCK : d->n;
  for (size_t from = lo; from < hi; from += ROW_SPAN)
    {
      size_t to = from + ROW_SPAN < hi ? from + ROW_SPAN : hi;
      for (size_t q = 0; q < j->nterm; q++)
        {
          scratch *s = &j->b->s[j->term[q]];
          term_block *tb = &s->blk[blk];
          long col = s->col;
          if (s->level || s->level8)
            for (size_t i = from; i < to; i++)
              {
                const char *cell = axs_table_cell (t, d->row[i], col);
                long id = axs_textset_id (&tb->set, cell, axs_text_hash (cell));
                if (id < 0)
                  tb->nomem = 1;
                else if (s->level)
                  s->level[i] = (int) id;
                else if (id <= UCHAR_MAX)
                  s->level8[i] = (unsigned char) id;
                else
                  tb->wide = 1;
              }
          else
            for (size_t i = from; i < to; i++)
              {
                double x;
                if (axs_parse_number (axs_table_cell (t, d->row[i], col), &x) != AXS_OK)
                  tb->bad = tb->bad < d->n ? tb->bad : i;
                else if (s->value)
                  s->value[i] = x;
                else if (is_whole (x))
                  s->ivalue[i] = (int32_t) x;
                else
                  tb->wide = 1;
              }
        }
    }
}

/* Start reading term K: numbers when its first value is one (whole
   numbers, if it is one), else levels, in bytes; read_wider then takes what
   turns out not to fit. */
static int
start_term (const builder *b, size_t k, size_t nblock)
{
  const axs_design *d = b->d;
  scratch *s = &b->s[k];
  size_t n = d->n ? d->n : 1;
  double first = 0;
  int number = !s->forced
    && (d->n == 0
        || axs_parse_number (axs_table_cell (b->t, d->row[0], s->col), &first) == AXS_OK);
  b->m->term[k].factor = !number;
  if (!(s->blk = calloc (nblock + 1, sizeof *s->blk)))
    return nomem (b);
  for (size_t blk = 0; blk < nblock; blk++)
    s->blk[blk].bad = d->n;
  if (!number)
    s->level8 = malloc (n);
  else if (is_whole (first))
    s->ivalue = malloc (n * sizeof *s->ivalue);
  else
    s->value = malloc (n * sizeof *s->value);
  return s->level8 || s->ivalue || s->value ? AXS_OK : nomem (b);
}

/* The job's terms with a value their array cannot hold (a fraction among
   whole numbers, a block of more than 256 texts): read again, into doubles
   or ints.  J->term has room for twice its terms. */
static int
read_wider (const read_job *j, size_t nblock)
{
  const builder *b = j->b;
  size_t n = b->d->n ? b->d->n : 1;
  read_job wide = { b, j->term + j->nterm, 0 };
  for (size_t q = 0; q < j->nterm; q++)
    {
      scratch *s = &b->s[j->term[q]];
      size_t blk = 0;
      while (blk < nblock && !s->blk[blk].wide)
        blk++;
      if (blk == nblock)
        continue;
      for (blk = 0; blk < nblock; blk++)
        {
          axs_textset_free (&s->blk[blk].set);
          s->blk[blk] = (term_block) { .bad = b->d->n };
        }
      if (s->level8)
        {
          free (s->level8);
          s->level8 = NULL;
          s->level = malloc (n * sizeof *s->level);
        }
      else
        {
          free (s->ivalue);
          s->ivalue = NULL;
          s->value = malloc (n * sizeof *s->value);
        }
      if (!s->level && !s->value)
        return nomem (b);
      wide.term[wide.nterm++] = j->term[q];
    }
  if (wide.nterm)
    axs_parallel_for (nblock, axs_parallel_threads (), read_task, &wide);
  return AXS_OK;
}

/* A factor's levels: the blocks' texts, first seen first over the blocks in
   order, sorted as axs_levels_make sorts them; and each block's map from
   its ids to the levels. */
static int
merge_levels (const builder *b, axs_model_term *term, scratch *s, size_t nblock)
{
  axs_levels *l = &term->levels;
  axs_textset all;
  axs_textset_init (&all);
  int *rank = NULL;
  int status = AXS_OK;
  for (size_t blk = 0; blk < nblock && status == AXS_OK; blk++)
    {
      term_block *tb = &s->blk[blk];
      if (!(tb->map = malloc ((tb->set.n ? tb->set.n : 1) * sizeof *tb->map)))
        status = AXS_ENOMEM;
      for (size_t id = 0; id < tb->set.n && status == AXS_OK; id++)
        {
          const char *text = tb->set.text[id];
          long g = axs_textset_id (&all, text, axs_text_hash (text));
          if (g < 0)
            status = AXS_ENOMEM;
          else
            tb->map[id] = (int) g;
        }
    }
  if (status == AXS_OK
      && (!(l->name = calloc (all.n ? all.n : 1, sizeof *l->name))
          || !(rank = malloc ((all.n ? all.n : 1) * sizeof *rank))))
    status = AXS_ENOMEM;
  for (; status == AXS_OK && l->n < all.n; l->n++)
    if (!(l->name[l->n] = strdup (all.text[l->n])))
      status = AXS_ENOMEM;
  if (status == AXS_OK)
    {
      axs_levels_sort (l->name, l->n);
      for (size_t g = 0; g < l->n; g++)
        rank[axs_textset_find (&all, l->name[g], axs_text_hash (l->name[g]))] = (int) g;
      for (size_t blk = 0; blk < nblock; blk++)
        for (size_t id = 0; id < s->blk[blk].set.n; id++)
          s->blk[blk].map[id] = rank[s->blk[blk].map[id]];
    }
  free (rank);
  axs_textset_free (&all);
  return status == AXS_OK ? AXS_OK : nomem (b);
}

/* Term K once read: a text among numbers is an error at the first; a
   factor gets its levels, and a level that is a number is the same error
   (at the first value, text) unless the term is forced to be a factor. */
static int
finish_term (const builder *b, size_t k, size_t nblock)
{
  axs_model_term *term = &b->m->term[k];
  scratch *s = &b->s[k];
  for (size_t blk = 0; blk < nblock; blk++)
    if (s->blk[blk].nomem)
      return nomem (b);
  if (!term->factor)
    {
      for (size_t blk = 0; blk < nblock; blk++)
        if (s->blk[blk].bad < b->d->n)
          return not_a_number (b, s, s->blk[blk].bad);
      return AXS_OK;
    }
  int status = merge_levels (b, term, s, nblock);
  double x;
  for (size_t l = 0; status == AXS_OK && !s->forced && l < term->levels.n; l++)
    if (axs_parse_number (term->levels.name[l], &x) == AXS_OK)
      return not_a_number (b, s, 0);
  /* more levels than a byte holds, though no block had as many texts:
     map_task puts them in ints */
  if (status == AXS_OK && s->level8 && term->levels.n > UCHAR_MAX
      && !(s->level = malloc ((b->d->n ? b->d->n : 1) * sizeof *s->level)))
    return nomem (b);
  return status;
}

/* Block BLK of each factor of the job: its ids made levels. */
static void
map_task (void *arg, size_t blk)
{
  const read_job *j = arg;
  size_t n = j->b->d->n;
  size_t lo = blk * ROW_BLOCK, hi = lo + ROW_BLOCK < n ? lo + ROW_BLOCK : n;
  for (size_t q = 0; q < j->nterm; q++)
    {
      scratch *s = &j->b->s[j->term[q]];
      const int *map = s->blk[blk].map;
      if (!map)
        continue;
      if (s->level && s->level8)
        for (size_t i = lo; i < hi; i++)
          s->level[i] = map[s->level8[i]];
      else if (s->level)
        for (size_t i = lo; i < hi; i++)
          s->level[i] = map[s->level[i]];
      else
        for (size_t i = lo; i < hi; i++)
          s->level8[i] = (unsigned char) map[s->level8[i]];
    }
}

/* Read terms FROM.. of the model from the table, in one pass over the
   patients on threads, then make each factor's levels.  Errors come in the
   order of the terms. */
static int
read_terms (const builder *b, size_t from)
{
  const axs_model *m = b->m;
  size_t nblock = row_blocks (b->d->n);
  read_job j = { b, malloc (2 * (m->nterm - from) * sizeof *j.term), 0 };
  int status = j.term ? AXS_OK : nomem (b);
  for (size_t k = from; k < m->nterm && status == AXS_OK; k++)
    {
      j.term[j.nterm++] = k;
      status = start_term (b, k, nblock);
    }
  if (status == AXS_OK)
    {
      axs_parallel_for (nblock, axs_parallel_threads (), read_task, &j);
      status = read_wider (&j, nblock);
    }
  for (size_t k = from; k < m->nterm && status == AXS_OK; k++)
    status = finish_term (b, k, nblock);
  if (status == AXS_OK)
    axs_parallel_for (nblock, axs_parallel_threads (), map_task, &j);
  for (size_t q = 0; q < j.nterm; q++)
    {
      scratch *s = &b->s[j.term[q]];
      if (s->level && s->level8)
        {
          free (s->level8);
          s->level8 = NULL;
        }
      for (size_t blk = 0; s->blk && blk < nblock; blk++)
        {
          axs_textset_free (&s->blk[blk].set);
          free (s->blk[blk].map);
        }
      free (s->blk);
      s->blk = NULL;
    }
  free (j.term);
  return status;
}

/* The marker transformed, block BLK of the patients: the first value
   outside the transform's domain, if any, in BAD[BLK]. */
typedef struct
{
  const axs_design *d;
  axs_transform transform;
  double *value;
  size_t *bad;
} transform_job;

static void
transform_task (void *arg, size_t blk)
{
  const transform_job *j = arg;
  size_t n = j->d->n;
  size_t lo = blk * ROW_BLOCK, hi = lo + ROW_BLOCK < n ? lo + ROW_BLOCK : n;
  j->bad[blk] = n;
  for (size_t i = lo; i < hi; i++)
    {
      double x = j->d->marker[i];
      double y = j->transform == AXS_TRANSFORM_LOG ? log (x)
        : j->transform == AXS_TRANSFORM_LOG2 ? log2 (x)
        : j->transform == AXS_TRANSFORM_LOG2P1 ? log2 (x + 1) : x;
      if (!isfinite (y) && j->bad[blk] == n)
        j->bad[blk] = i;
      j->value[i] = y;
    }
}

/* The continuous marker, transformed; a value outside the transform's
   domain is an error naming it (the design's values are finite: only a log
   can fail). */
static int
read_marker (builder *b, const axs_model_spec *spec, scratch *s)
{
  const axs_design *d = b->d;
  /* untransformed, the design's values as they are: no copy while the
     table is held */
  if (spec->transform == AXS_TRANSFORM_NONE)
    {
      s->value = d->marker;
      s->borrowed = 1;
      return AXS_OK;
    }
  size_t nblock = row_blocks (d->n);
  size_t *bad = malloc ((nblock + 1) * sizeof *bad);
  if (!(s->value = malloc ((d->n ? d->n : 1) * sizeof *s->value)) || !bad)
    {
      free (bad);
      return nomem (b);
    }
  transform_job j = { d, spec->transform, s->value, bad };
  axs_parallel_for (nblock, axs_parallel_threads (), transform_task, &j);
  size_t blk = 0;
  while (blk < nblock && bad[blk] == d->n)
    blk++;
  size_t first = blk < nblock ? bad[blk] : d->n;
  free (bad);
  if (first < d->n)
    {
      size_t row = d->row[first];
      return axs_diag_set (b->diag, AXS_EDOM, 0,
                           "%s:%zu: column '%s': '%s' cannot be transformed "
                           "(--transform %s needs %s)", b->t->file,
                           axs_table_line (b->t, row), spec->marker,
                           axs_table_cell (b->t, row, s->col),
                           axs_transform_name (spec->transform),
                           spec->transform == AXS_TRANSFORM_LOG2P1
                           ? "values > -1" : "values > 0");
    }
  if (spec->transform == AXS_TRANSFORM_Z && d->n > 1)
    {
      double sum = 0, ss = 0;
      for (size_t i = 0; i < d->n; i++)
        sum += s->value[i];
      double mean = sum / (double) d->n;
      for (size_t i = 0; i < d->n; i++)
        ss += (s->value[i] - mean) * (s->value[i] - mean);
      double sd = sqrt (ss / (double) (d->n - 1));
      for (size_t i = 0; i < d->n; i++)
        s->value[i] = sd > 0 ? (s->value[i] - mean) / sd : 0;
    }
  return AXS_OK;
}

/* The marker as groups: the design's levels and each patient's group (the
   design's array, copied only if --ref renumbers it). */
static int
copy_groups (builder *b, axs_model_term *term, scratch *s)
{
  const axs_design *d = b->d;
  axs_levels *l = &term->levels;
  term->factor = 1;
  if (!(l->name = calloc (d->groups.n ? d->groups.n : 1, sizeof *l->name)))
    return nomem (b);
  for (; l->n < d->groups.n; l->n++)
    if (!(l->name[l->n] = strdup (d->groups.name[l->n])))
      return nomem (b);
  s->level = d->group;
  s->borrowed = 1;
  return AXS_OK;
}

/* Block BLK of a factor's levels, its level R made the first. */
typedef struct
{
  scratch *s;
  const int *from;      /* the levels before */
  size_t n;
  int r;
} ref_job;

static void
ref_task (void *arg, size_t blk)
{
  const ref_job *j = arg;
  size_t lo = blk * ROW_BLOCK, hi = lo + ROW_BLOCK < j->n ? lo + ROW_BLOCK : j->n;
  for (size_t i = lo; i < hi; i++)
    {
      int v = j->from ? j->from[i] : level_of (j->s, i);
      v = v == j->r ? 0 : v < j->r ? v + 1 : v;
      if (j->s->level)
        j->s->level[i] = v;
      else
        j->s->level8[i] = (unsigned char) v;
    }
}

/* --ref COL=LEVEL: move LEVEL to the front of COL's levels. */
static int
apply_ref (builder *b, const char *ref)
{
  axs_model *m = b->m;
  const char *eq = strchr (ref, '=');
  if (!eq || eq == ref)
    return axs_diag_set (b->diag, AXS_EINVAL, 1,
                         "--ref '%s': expected COLUMN=LEVEL, e.g. --ref stage=I", ref);
  size_t len = (size_t) (eq - ref);
  size_t k = 0;
  while (k < m->nterm && !(b->s[k].column && strlen (b->s[k].column) == len
                           && strncmp (b->s[k].column, ref, len) == 0))
    k++;
  if (k == m->nterm)
    return axs_diag_set (b->diag, AXS_EINVAL, 1,
                         "--ref '%s': column '%.*s' is not a term of the model",
                         ref, (int) len, ref);
  axs_model_term *term = &m->term[k];
  if (!term->factor)
    return axs_diag_set (b->diag, AXS_EINVAL, 1,
                         "--ref '%s': column '%.*s' is a numeric term, not a factor "
                         "(write %.*s:factor in --covariates to make it one)",
                         ref, (int) len, ref, (int) len, ref);
  axs_levels *l = &term->levels;
  size_t r = 0;
  while (r < l->n && strcmp (l->name[r], eq + 1) != 0)
    r++;
  if (r == l->n)
    {
      char list[1024] = "";
      for (size_t j = 0, used = 0; j < l->n && used < sizeof list; j++)
        used += (size_t) snprintf (list + used, sizeof list - used, "%s%s",
                                   j ? ", " : "", l->name[j]);
      return axs_diag_set (b->diag, AXS_EINVAL, 1,
                           "--ref '%s': column '%.*s' has no level '%s' among the "
                           "patients analysed; its levels are %s",
                           ref, (int) len, ref, eq + 1, list);
    }
  /* as R's relevel: the reference first, the others in their order */
  char *name = l->name[r];
  memmove (l->name + 1, l->name, r * sizeof *l->name);
  l->name[0] = name;
  scratch *s = &b->s[k];
  ref_job j = { s, NULL, b->d->n, (int) r };
  if (s->borrowed)
    {
      int *own = malloc ((j.n ? j.n : 1) * sizeof *own);
      if (!own)
        return nomem (b);
      j.from = s->level;
      s->level = own;
      s->borrowed = 0;
    }
  axs_parallel_for (row_blocks (j.n), axs_parallel_threads (), ref_task, &j);
  return AXS_OK;
}

/* A term with nothing to estimate: one level, or one value. */
static int
check_constant (builder *b, size_t k)
{
  const axs_model_term *term = &b->m->term[k];
  const scratch *s = &b->s[k];
  const char *what = b->m->marker_term == (long) k ? "the biomarker" : "column";
  if (term->factor && term->levels.n < 2)
    return axs_diag_set (b->diag, AXS_EDOM, 0,
                         "%s: %s '%s' has one value ('%s') for all %zu patients "
                         "analysed: a term needs two or more; leave it out",
                         b->t->file, what, term->name, term->levels.name[0], b->d->n);
  if (!term->factor)
    {
      size_t i = 1;
      while (i < b->d->n && value_of (s, i) == value_of (s, 0))
        i++;
      if (i == b->d->n)
        return axs_diag_set (b->diag, AXS_EDOM, 0,
                             "%s: %s '%s' is constant (%g for all %zu patients "
                             "analysed): it has no effect to estimate; leave it out",
                             b->t->file, what, term->name, value_of (s, 0), b->d->n);
    }
  return AXS_OK;
}

static char *
column_name (const axs_model_term *term, const scratch *s, size_t j)
{
  char *name;
  if (!term->factor)
    return strdup (term->name);
  if (asprintf (&name, "%s=%s", s->column, term->levels.name[j + 1]) < 0)
    return NULL;
  return name;
}

static int
sort_doubles (const void *a, const void *c)
{
  double x = *(const double *) a, y = *(const double *) c;
  return (x > y) - (x < y);
}

/* The marker's effect per level (or value) of the modifier. */
static int
make_contrasts (builder *b)
{
  axs_model *m = b->m;
  const axs_model_term *mk = &m->term[m->marker_term];
  const axs_model_term *md = &m->term[m->modifier_term];
  const scratch *s = &b->s[m->modifier_term];
  const axs_model_term *ia = &m->term[m->interaction_term];
  double values[MAX_MODIFIER_VALUES];
  size_t nlevel = 0;
  if (md->factor)
    nlevel = md->levels.n;
  else
    {
      for (size_t i = 0; i < b->d->n && nlevel <= MAX_MODIFIER_VALUES; i++)
        {
          size_t k = 0;
          while (k < nlevel && values[k] != value_of (s, i))
            k++;
          if (k == nlevel && nlevel++ < MAX_MODIFIER_VALUES)
            values[k] = value_of (s, i);
        }
      if (nlevel > MAX_MODIFIER_VALUES)
        return AXS_OK;
      qsort (values, nlevel, sizeof *values, sort_doubles);
    }
  if (!(m->contrast = calloc (nlevel * mk->ncol, sizeof *m->contrast)))
    return nomem (b);
  for (size_t l = 0; l < nlevel; l++)
    for (size_t a = 0; a < mk->ncol; a++)
      {
        axs_model_contrast *c = &m->contrast[m->ncontrast++];
        int len = md->factor
          ? asprintf (&c->level, "%s=%s", s->column, md->levels.name[l])
          : asprintf (&c->level, "%s=%.10g", s->column, values[l]);
        if (len < 0)
          {
            c->level = NULL;
            return nomem (b);
          }
        if (!(c->w = calloc (m->p, sizeof *c->w)))
          return nomem (b);
        c->column = mk->first + a;
        c->w[mk->first + a] = 1;
        if (md->factor && l > 0)
          c->w[ia->first + a * md->ncol + (l - 1)] = 1;
        else if (!md->factor)
          c->w[ia->first + a] = values[l];
      }
  return AXS_OK;
}

/* Block BLK of the rows of X, ROW_SPAN rows at a time, a term after the
   other: each term's values read in the spec's order, straight from its
   array (no copy of the terms in that order). */
static void
fill_task (void *arg, size_t blk)
{
  const builder *b = arg;
  const axs_model *m = b->m;
  const size_t p = m->p, *order = b->order;
  size_t lo = blk * ROW_BLOCK, hi = lo + ROW_BLOCK < m->n ? lo + ROW_BLOCK : m->n;
  for (size_t from = lo; from < hi; from += ROW_SPAN)
    {
      size_t to = from + ROW_SPAN < hi ? from + ROW_SPAN : hi;
      for (size_t k = 0; k < m->nterm; k++)
        {
          const axs_model_term *term = &m->term[k];
          const scratch *s = &b->s[k];
          double *x = m->x + term->first;
          if (term->role == AXS_TERM_INTERACTION)
            {
              const double *mk = m->x + m->term[m->marker_term].first;
              const double *md = m->x + m->term[m->modifier_term].first;
              size_t nmod = m->term[m->modifier_term].ncol;
              for (size_t i = from; i < to; i++)
                for (size_t j = 0; j < term->ncol; j++)
                  x[i * p + j] = mk[i * p + j / nmod] * md[i * p + j % nmod];
            }
          else if (term->factor)
            for (size_t i = from; i < to; i++)
              {
                int l = level_of (s, order ? order[i] : i);
                for (size_t j = 0; j < term->ncol; j++)
                  x[i * p + j] = l == (int) j + 1;
              }
          else if (s->value)
            for (size_t i = from; i < to; i++)
              x[i * p] = s->value[order ? order[i] : i];
          else
            for (size_t i = from; i < to; i++)
              x[i * p] = s->ivalue[order ? order[i] : i];
        }
    }
}

/* Lay out the columns and fill X. */
static int
make_matrix (builder *b)
{
  axs_model *m = b->m;
  size_t p = 0;
  for (size_t k = 0; k < m->nterm; k++)
    {
      axs_model_term *term = &m->term[k];
      if (term->role == AXS_TERM_INTERACTION)
        {
          m->nmain = p;
          term->ncol = m->term[m->marker_term].ncol * m->term[m->modifier_term].ncol;
        }
      else
        term->ncol = term->factor ? term->levels.n - 1 : 1;
      term->first = p;
      p += term->ncol;
    }
  if (m->interaction_term < 0)
    m->nmain = p;
  m->p = p;
  m->n = b->d->n;
  if (!(m->x = malloc ((m->n ? m->n : 1) * p * sizeof *m->x))
      || !(m->colname = calloc (p, sizeof *m->colname))
      || !(m->term_of_column = malloc (p * sizeof *m->term_of_column)))
    return nomem (b);
  for (size_t k = 0; k < m->nterm; k++)
    {
      const axs_model_term *term = &m->term[k];
      for (size_t j = 0; j < term->ncol; j++)
        {
          size_t c = term->first + j;
          m->term_of_column[c] = k;
          if (term->role != AXS_TERM_INTERACTION)
            m->colname[c] = column_name (term, &b->s[k], j);
          else
            {
              size_t nmod = m->term[m->modifier_term].ncol;
              size_t a = m->term[m->marker_term].first + j / nmod;
              size_t e = m->term[m->modifier_term].first + j % nmod;
              if (asprintf (&m->colname[c], "%s:%s", m->colname[a], m->colname[e]) < 0)
                m->colname[c] = NULL;
            }
          if (!m->colname[c])
            return nomem (b);
        }
    }
  axs_parallel_for (row_blocks (m->n), axs_parallel_threads (), fill_task, b);
  return AXS_OK;
}

/* Add a term for column SPEC ("NAME[:factor]") in ROLE, to be read with
   the others (read_terms); checks that the column was read and is not in
   the model already. */
static int
add_column_term (builder *b, const char *spec, axs_term_role role)
{
  axs_model *m = b->m;
  scratch *s = &b->s[m->nterm];
  axs_model_term *term = &m->term[m->nterm];
  size_t len = spec_name (spec, &s->forced);
  if (!(s->column = strndup (spec, len)))
    return nomem (b);
  for (size_t k = 0; k < m->nterm; k++)
    if (b->s[k].column && strcmp (b->s[k].column, s->column) == 0)
      return axs_diag_set (b->diag, AXS_EINVAL, 1,
                           "column '%s' is in the model twice (%s)", s->column,
                           m->marker_term == (long) k
                           ? "as the biomarker and as a covariate"
                           : "list each covariate once");
  if ((s->col = axs_table_column (b->t, s->column)) < 0 || b->t->slot[s->col] < 0)
    return axs_diag_set (b->diag, AXS_EINVAL, 1, "%s: no column '%s' was read",
                         b->t->file, s->column);
  if (!(term->name = strdup (s->column)))
    return nomem (b);
  term->role = role;
  m->nterm++;
  return AXS_OK;
}

/* axs_model_build, dropping RELEASE's cells (RELEASE is T or NULL) before
   the matrix is made. */
static int
build (const axs_table *t, axs_table *release, const axs_design *d,
       const axs_model_spec *spec, axs_model *m, axs_diag *diag)
{
  memset (m, 0, sizeof *m);
  m->marker_term = m->interaction_term = m->modifier_term = -1;
  if (spec->interaction && !spec->marker)
    return axs_diag_set (diag, AXS_EINVAL, 1,
                         "--interaction needs the biomarker: give --group COL or "
                         "--marker COL");
  size_t cap = spec->ncovariate + 3;
  builder b = { t, d, m, calloc (cap, sizeof (scratch)), diag, spec->order };
  m->term = calloc (cap, sizeof *m->term);
  int status = b.s && m->term ? AXS_OK : nomem (&b);

  if (status == AXS_OK && spec->marker)
    {
      axs_model_term *term = &m->term[0];
      scratch *s = &b.s[0];
      m->marker_term = 0;
      m->nterm = 1;
      term->role = AXS_TERM_MARKER;
      s->col = axs_table_column (t, spec->marker);
      int named = (s->column = strdup (spec->marker)) != NULL;
      if (spec->continuous && spec->transform != AXS_TRANSFORM_NONE)
        named = named && asprintf (&term->name, "%s(%s)",
                                   axs_transform_name (spec->transform),
                                   spec->marker) >= 0;
      else
        named = named && (term->name = strdup (spec->marker)) != NULL;
      if (!named)
        {
          term->name = NULL;
          status = nomem (&b);
        }
      else if (spec->continuous ? !d->marker : !d->group)
        status = axs_diag_set (diag, AXS_EINVAL, 0,
                               "internal error: the design has no %s for the biomarker",
                               spec->continuous ? "marker values" : "groups");
      else
        status = spec->continuous ? read_marker (&b, spec, s) : copy_groups (&b, term, s);
    }
  size_t first = m->nterm;      /* the terms read from the table's cells */
  for (size_t k = 0; status == AXS_OK && k < spec->ncovariate; k++)
    status = add_column_term (&b, spec->covariate[k], AXS_TERM_COVARIATE);
  if (status == AXS_OK && spec->interaction)
    {
      int forced;
      size_t len = spec_name (spec->interaction, &forced);
      for (size_t k = 0; k < m->nterm; k++)
        if (strlen (b.s[k].column) == len
            && strncmp (b.s[k].column, spec->interaction, len) == 0)
          m->modifier_term = (long) k;
      if (m->modifier_term == m->marker_term)
        status = axs_diag_set (diag, AXS_EINVAL, 1,
                               "--interaction '%s': that is the biomarker itself; "
                               "name another column, e.g. the treatment arm",
                               spec->interaction);
      else if (m->modifier_term < 0)
        {
          m->modifier_term = (long) m->nterm;
          status = add_column_term (&b, spec->interaction, AXS_TERM_MODIFIER);
        }
    }
  /* read together; a term that could not be added is reported only when
     those before it read without an error, as if each were read in turn */
  if (m->nterm > first)
    {
      axs_diag later;
      if (status != AXS_OK)
        later = *diag;
      int read = read_terms (&b, first);
      if (read != AXS_OK)
        status = read;
      else if (status != AXS_OK)
        *diag = later;
    }
  for (size_t k = 0; status == AXS_OK && k < spec->nref; k++)
    status = apply_ref (&b, spec->ref[k]);
  for (size_t k = 0; status == AXS_OK && k < m->nterm; k++)
    status = check_constant (&b, k);
  if (status == AXS_OK && spec->interaction)
    {
      axs_model_term *term = &m->term[m->nterm];
      term->role = AXS_TERM_INTERACTION;
      m->interaction_term = (long) m->nterm++;
      if (asprintf (&term->name, "%s:%s", m->term[m->marker_term].name,
                    m->term[m->modifier_term].name) < 0)
        {
          term->name = NULL;
          status = nomem (&b);
        }
    }
  /* from here on the terms' values are in the scratch: the cells can go */
  axs_table_drop_cells (release);
  if (status == AXS_OK)
    status = make_matrix (&b);
  if (status == AXS_OK && spec->interaction)
    status = make_contrasts (&b);

  for (size_t k = 0; b.s && k < cap; k++)
    {
      free (b.s[k].column);
      if (!b.s[k].borrowed)
        {
          free (b.s[k].value);
          free (b.s[k].level);
        }
      free (b.s[k].level8);
      free (b.s[k].ivalue);
    }
  free (b.s);
  if (status != AXS_OK)
    axs_model_free (m);
  return status;
}

int
axs_model_build (const axs_table *t, const axs_design *d,
                 const axs_model_spec *spec, axs_model *m, axs_diag *diag)
{
  return build (t, NULL, d, spec, m, diag);
}

int
axs_model_build_release (axs_table *t, const axs_design *d,
                         const axs_model_spec *spec, axs_model *m, axs_diag *diag)
{
  return build (t, t, d, spec, m, diag);
}

void
axs_model_free (axs_model *m)
{
  for (size_t k = 0; m->term && k < m->nterm; k++)
    {
      free (m->term[k].name);
      axs_levels_free (&m->term[k].levels);
    }
  free (m->term);
  for (size_t c = 0; m->colname && c < m->p; c++)
    free (m->colname[c]);
  free (m->colname);
  free (m->term_of_column);
  free (m->x);
  for (size_t k = 0; k < m->ncontrast; k++)
    {
      free (m->contrast[k].level);
      free (m->contrast[k].w);
    }
  free (m->contrast);
  memset (m, 0, sizeof *m);
  m->marker_term = m->interaction_term = m->modifier_term = -1;
}
