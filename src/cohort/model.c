/* model.c: model terms, factor coding and the design matrix. */
#include "cohort/model.h"
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

/* A term while it is being built: its values before coding. */
typedef struct
{
  char *column;         /* the table column, or NULL (interaction) */
  long col;             /* its index in the table, or -1 */
  int forced;           /* NAME:factor */
  double *value;        /* n: a numeric term's values */
  int borrowed;         /* VALUE is the design's (an untransformed marker) */
  int32_t *ivalue;      /* n: VALUE when every value is a whole number that
                           fits (VALUE is then NULL): held with the table */
  int *level;           /* n: a factor's level of each patient */
  unsigned char *level8;  /* n: the same in a byte (fewer than 256 levels;
                             LEVEL is then NULL): a large cohort's text and
                             these are held together */
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
nomem (builder *b)
{
  return axs_diag_set (b->diag, AXS_ENOMEM, 0, "out of memory");
}

/* S's values, all whole numbers that fit, as 32-bit integers (ages,
   scores): exactly the same numbers in half the space. */
static int
shrink_values (builder *b, scratch *s)
{
  size_t n = b->d->n;
  if (!(s->ivalue = malloc ((n ? n : 1) * sizeof *s->ivalue)))
    return nomem (b);
  for (size_t i = 0; i < n; i++)
    s->ivalue[i] = (int32_t) s->value[i];
  free (s->value);
  s->value = NULL;
  return AXS_OK;
}

static double
value_of (const scratch *s, size_t i)
{
  return s->value ? s->value[i] : (double) s->ivalue[i];
}

/* S's levels in bytes when they fit. */
static int
shrink_levels (builder *b, const axs_levels *l, scratch *s)
{
  if (l->n > UCHAR_MAX)
    return AXS_OK;
  size_t n = b->d->n;
  if (!(s->level8 = malloc (n ? n : 1)))
    return nomem (b);
  for (size_t i = 0; i < n; i++)
    s->level8[i] = (unsigned char) s->level[i];
  free (s->level);
  s->level = NULL;
  return AXS_OK;
}

static int
level_of (const scratch *s, size_t i)
{
  return s->level ? s->level[i] : s->level8[i];
}

/* The levels of table column S->col over the patients, sorted, and each
   patient's level. */
static int
make_levels (builder *b, axs_model_term *term, scratch *s)
{
  const axs_design *d = b->d;
  if (!(s->level = malloc ((d->n ? d->n : 1) * sizeof *s->level))
      || axs_levels_make (b->t, d, s->col, &term->levels, s->level) != AXS_OK)
    return nomem (b);
  return shrink_levels (b, &term->levels, s);
}

/* Numbers of a column, block K of the patients: the count that are
   numbers, the first that is not, and whether all are whole numbers that
   fit 32 bits (see shrink_values). */
typedef struct
{
  const builder *b;
  scratch *s;
  size_t *numbers, *first_text;
  unsigned char *whole;
} parse_job;

static void
parse_task (void *arg, size_t k)
{
  parse_job *j = arg;
  const axs_design *d = j->b->d;
  const axs_table *t = j->b->t;
  long col = j->s->col;
  double *value = j->s->value;
  size_t lo = k * ROW_BLOCK, hi = lo + ROW_BLOCK < d->n ? lo + ROW_BLOCK : d->n;
  size_t numbers = 0, first_text = d->n;
  int whole = 1;
  for (size_t i = lo; i < hi; i++)
    {
      if (axs_parse_number (axs_table_cell (t, d->row[i], col), &value[i]) == AXS_OK)
        numbers++;
      else if (first_text == d->n)
        first_text = i;
      whole = whole && value[i] >= INT32_MIN && value[i] <= INT32_MAX
        && value[i] == (double) (int32_t) value[i]
        && !(value[i] == 0 && signbit (value[i]));
    }
  j->numbers[k] = numbers;
  j->first_text[k] = first_text;
  j->whole[k] = (unsigned char) whole;
}

static int
not_a_number (builder *b, const scratch *s, size_t i)
{
  size_t row = b->d->row[i];
  return axs_diag_set (b->diag, AXS_EDOM, 0,
                       "%s:%zu: column '%s': '%s' is not a number, but the "
                       "column's other values are (write %s:factor in "
                       "--covariates to use its values as categories)",
                       b->t->file, b->t->line[row], s->column,
                       axs_table_cell (b->t, row, s->col), s->column);
}

/* A covariate's values: numbers when every value is one, levels when none
   is (or the term is forced to be a factor); a mixture is an error at the
   first value that is not a number.  The first value tells which to try:
   a column of text is not parsed cell by cell, its levels are (a level that
   is a number, with the first value text, is the mixture). */
static int
read_covariate (builder *b, axs_model_term *term, scratch *s)
{
  const axs_design *d = b->d;
  double first;
  if (!s->forced
      && (d->n == 0
          || axs_parse_number (axs_table_cell (b->t, d->row[0], s->col), &first) == AXS_OK))
    {
      size_t nblock = row_blocks (d->n);
      size_t *count = malloc ((2 * nblock + 1) * sizeof *count);
      unsigned char *whole = malloc (nblock + 1);
      if (!count || !whole
          || !(s->value = malloc ((d->n ? d->n : 1) * sizeof *s->value)))
        {
          free (count);
          free (whole);
          return nomem (b);
        }
      parse_job j = { b, s, count, count + nblock, whole };
      axs_parallel_for (nblock, axs_parallel_threads (), parse_task, &j);
      size_t numbers = 0, first_text = d->n;
      int all_whole = 1;
      for (size_t k = 0; k < nblock; k++)
        {
          numbers += j.numbers[k];
          if (first_text == d->n)
            first_text = j.first_text[k];
          all_whole = all_whole && whole[k];
        }
      free (count);
      free (whole);
      if (numbers < d->n)
        return not_a_number (b, s, first_text);
      return all_whole ? shrink_values (b, s) : AXS_OK;
    }
  term->factor = 1;
  int status = make_levels (b, term, s);
  if (status == AXS_OK && !s->forced)
    for (size_t l = 0; l < term->levels.n; l++)
      if (axs_parse_number (term->levels.name[l], &first) == AXS_OK)
        return not_a_number (b, s, 0);
  return status;
}

/* The continuous marker, transformed; a value outside the transform's
   domain is an error naming it. */
static int
read_marker (builder *b, const axs_model_spec *spec, scratch *s)
{
  const axs_design *d = b->d;
  /* untransformed, the design's values as they are: no copy while the
     table is held */
  s->borrowed = spec->transform == AXS_TRANSFORM_NONE;
  if (s->borrowed)
    s->value = d->marker;
  else if (!(s->value = malloc ((d->n ? d->n : 1) * sizeof *s->value)))
    return nomem (b);
  double sum = 0;
  for (size_t i = 0; i < d->n; i++)
    {
      double x = d->marker[i], y = x;
      const char *need = NULL;
      switch (spec->transform)
        {
        case AXS_TRANSFORM_LOG:
          y = log (x);
          need = "values > 0";
          break;
        case AXS_TRANSFORM_LOG2:
          y = log2 (x);
          need = "values > 0";
          break;
        case AXS_TRANSFORM_LOG2P1:
          y = log2 (x + 1);
          need = "values > -1";
          break;
        default:
          break;
        }
      if (!isfinite (y))
        {
          size_t row = d->row[i];
          return axs_diag_set (b->diag, AXS_EDOM, 0,
                               "%s:%zu: column '%s': '%s' cannot be transformed "
                               "(--transform %s needs %s)", b->t->file,
                               b->t->line[row], spec->marker,
                               axs_table_cell (b->t, row, s->col),
                               axs_transform_name (spec->transform), need);
        }
      if (!s->borrowed)
        s->value[i] = y;
      sum += y;
    }
  if (spec->transform == AXS_TRANSFORM_Z && d->n > 1)
    {
      double mean = sum / (double) d->n, ss = 0;
      for (size_t i = 0; i < d->n; i++)
        ss += (s->value[i] - mean) * (s->value[i] - mean);
      double sd = sqrt (ss / (double) (d->n - 1));
      for (size_t i = 0; i < d->n; i++)
        s->value[i] = sd > 0 ? (s->value[i] - mean) / sd : 0;
    }
  return AXS_OK;
}

/* The marker as groups: the design's levels and each patient's group. */
static int
copy_groups (builder *b, axs_model_term *term, scratch *s)
{
  const axs_design *d = b->d;
  axs_levels *l = &term->levels;
  term->factor = 1;
  if (!(l->name = calloc (d->groups.n ? d->groups.n : 1, sizeof *l->name))
      || !(s->level = malloc ((d->n ? d->n : 1) * sizeof *s->level)))
    return nomem (b);
  for (; l->n < d->groups.n; l->n++)
    if (!(l->name[l->n] = strdup (d->groups.name[l->n])))
      return nomem (b);
  memcpy (s->level, d->group, d->n * sizeof *s->level);
  return shrink_levels (b, l, s);
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
  for (size_t i = 0; i < b->d->n; i++)
    {
      int v = level_of (s, i);
      v = v == (int) r ? 0 : v < (int) r ? v + 1 : v;
      if (s->level)
        s->level[i] = v;
      else
        s->level8[i] = (unsigned char) v;
    }
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

/* Column J of term K for patient I. */
static double
column_value (const builder *b, size_t k, size_t j, size_t i)
{
  const scratch *s = &b->s[k];
  return b->m->term[k].factor ? (double) (level_of (s, i) == (int) j + 1) : value_of (s, i);
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

/* The terms' values of block K of the patients in the spec's order: NEW[k]
   (the same kind of array as term k's) from term k's. */
typedef struct
{
  const builder *b;
  void **new;
} reorder_job;

static void
reorder_task (void *arg, size_t blk)
{
  const reorder_job *j = arg;
  const builder *b = j->b;
  const size_t *order = b->order;
  size_t n = b->d->n;
  size_t lo = blk * ROW_BLOCK, hi = lo + ROW_BLOCK < n ? lo + ROW_BLOCK : n;
  for (size_t k = 0; k < b->m->nterm; k++)
    {
      const scratch *s = &b->s[k];
      if (s->value)
        for (size_t i = lo; i < hi; i++)
          ((double *) j->new[k])[i] = s->value[order[i]];
      else if (s->ivalue)
        for (size_t i = lo; i < hi; i++)
          ((int32_t *) j->new[k])[i] = s->ivalue[order[i]];
      else if (s->level)
        for (size_t i = lo; i < hi; i++)
          ((int *) j->new[k])[i] = s->level[order[i]];
      else if (s->level8)
        for (size_t i = lo; i < hi; i++)
          ((unsigned char *) j->new[k])[i] = s->level8[order[i]];
    }
}

/* Put the terms' values in the spec's order, so that the matrix is filled
   in sequence (a row read from six places at random was slower than six
   arrays gathered one after the other). */
static int
reorder_values (builder *b)
{
  axs_model *m = b->m;
  size_t n = b->d->n;
  void **new = calloc (m->nterm + 1, sizeof *new);
  if (!new)
    return nomem (b);
  int status = AXS_OK;
  for (size_t k = 0; k < m->nterm && status == AXS_OK; k++)
    {
      const scratch *s = &b->s[k];
      size_t size = s->value ? sizeof *s->value : s->ivalue ? sizeof *s->ivalue
        : s->level ? sizeof *s->level : s->level8 ? 1 : 0;
      if (size && !(new[k] = malloc ((n ? n : 1) * size)))
        status = nomem (b);
    }
  if (status == AXS_OK)
    {
      reorder_job j = { b, new };
      axs_parallel_for (row_blocks (n), axs_parallel_threads (), reorder_task, &j);
      for (size_t k = 0; k < m->nterm; k++)
        {
          scratch *s = &b->s[k];
          if (s->value)
            {
              if (!s->borrowed)
                free (s->value);
              s->borrowed = 0;
              s->value = new[k];
            }
          else if (s->ivalue)
            {
              free (s->ivalue);
              s->ivalue = new[k];
            }
          else if (s->level)
            {
              free (s->level);
              s->level = new[k];
            }
          else if (s->level8)
            {
              free (s->level8);
              s->level8 = new[k];
            }
          new[k] = NULL;
        }
    }
  for (size_t k = 0; k < m->nterm; k++)
    free (new[k]);
  free (new);
  return status;
}

/* Block K of the rows of X. */
static void
fill_task (void *arg, size_t blk)
{
  const builder *b = arg;
  const axs_model *m = b->m;
  const size_t p = m->p;
  size_t lo = blk * ROW_BLOCK, hi = lo + ROW_BLOCK < m->n ? lo + ROW_BLOCK : m->n;
  for (size_t i = lo; i < hi; i++)
    {
      double *row = m->x + i * p;
      size_t r = i;
      for (size_t k = 0; k < m->nterm; k++)
        {
          const axs_model_term *term = &m->term[k];
          if (term->role != AXS_TERM_INTERACTION)
            for (size_t j = 0; j < term->ncol; j++)
              row[term->first + j] = column_value (b, k, j, r);
          else
            {
              const axs_model_term *mk = &m->term[m->marker_term];
              const axs_model_term *md = &m->term[m->modifier_term];
              for (size_t j = 0; j < term->ncol; j++)
                row[term->first + j] = row[mk->first + j / md->ncol]
                  * row[md->first + j % md->ncol];
            }
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

/* Add term K for column SPEC ("NAME[:factor]") in ROLE; checks that the
   column is not in the model already. */
static int
add_column_term (builder *b, const char *spec, axs_term_role role)
{
  axs_model *m = b->m;
  scratch *s = &b->s[m->nterm];
  axs_model_term *term = &m->term[m->nterm];
  term->role = role;
  size_t len = spec_name (spec, &s->forced);
  if (!(s->column = strndup (spec, len)) || !(term->name = strdup (s->column)))
    return nomem (b);
  m->nterm++;
  for (size_t k = 0; k + 1 < m->nterm; k++)
    if (b->s[k].column && strcmp (b->s[k].column, s->column) == 0)
      return axs_diag_set (b->diag, AXS_EINVAL, 1,
                           "column '%s' is in the model twice (%s)", s->column,
                           m->marker_term == (long) k
                           ? "as the biomarker and as a covariate"
                           : "list each covariate once");
  if ((s->col = axs_table_column (b->t, s->column)) < 0 || b->t->slot[s->col] < 0)
    return axs_diag_set (b->diag, AXS_EINVAL, 1, "%s: no column '%s' was read",
                         b->t->file, s->column);
  return read_covariate (b, term, s);
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
  if (status == AXS_OK && b.order)
    status = reorder_values (&b);
  if (status == AXS_OK)
    status = make_matrix (&b);
  if (status == AXS_OK && spec->interaction)
    status = make_contrasts (&b);

  for (size_t k = 0; b.s && k < cap; k++)
    {
      free (b.s[k].column);
      if (!b.s[k].borrowed)
        free (b.s[k].value);
      free (b.s[k].level);
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
