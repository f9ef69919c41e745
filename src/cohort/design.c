/* design.c: subset, listwise deletion, typed values, groups and strata. */
#include "cohort/design.h"
#include "stats/maxstat.h"
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

static int
number_at (const axs_table *t, size_t row, const used_column *u, double *x,
           axs_diag *d)
{
  const char *cell = axs_table_cell (t, row, u->col);
  char shown[AXS_DIAG_SHOWN];
  if (axs_parse_number (cell, x) == AXS_OK)
    return AXS_OK;
  return axs_diag_set (d, AXS_EDOM, 0, "%s:%zu: column '%s': '%s' is not %s",
                       t->file, t->line[row], u->name, axs_diag_shorten (cell, shown),
                       isnan (*x) ? "a number" : "a finite number");
}

/* The event coding: 0/1, or EVENT_VALUE and exactly one other spelling. */
typedef struct
{
  const char *event_value;
  const char *censor_value;     /* the other spelling, once seen */
} event_coding;

static int
event_at (const axs_table *t, size_t row, const used_column *u,
          event_coding *ec, int *event, axs_diag *d)
{
  const char *cell = axs_table_cell (t, row, u->col);
  char shown[AXS_DIAG_SHOWN], shown2[AXS_DIAG_SHOWN];
  if (!ec->event_value)
    {
      double x;
      if (axs_parse_number (cell, &x) == AXS_OK && (x == 0 || x == 1))
        {
          *event = (int) x;
          return AXS_OK;
        }
      return axs_diag_set (d, AXS_EDOM, 0,
                           "%s:%zu: column '%s': '%s' is not an event code: use 0 "
                           "(censored) or 1 (event), or name the event's value "
                           "with --event-value", t->file, t->line[row], u->name,
                           axs_diag_shorten (cell, shown));
    }
  if (strcmp (cell, ec->event_value) == 0)
    *event = 1;
  else if (!ec->censor_value || strcmp (cell, ec->censor_value) == 0)
    {
      ec->censor_value = cell;
      *event = 0;
    }
  else
    return axs_diag_set (d, AXS_EDOM, 0,
                         "%s:%zu: column '%s': '%s' is neither the event value '%s' "
                         "nor the censoring value '%s' seen before",
                         t->file, t->line[row], u->name,
                         axs_diag_shorten (cell, shown), ec->event_value,
                         axs_diag_shorten (ec->censor_value, shown2));
  return AXS_OK;
}

static uint32_t
hash_text (const char *s)
{
  uint64_t h = 5381;
  for (; *s; s++)
    h = h * 33 + (unsigned char) *s;
  h *= UINT64_C (0x9E3779B97F4A7C15);   /* spread into every bit */
  return (uint32_t) (h >> 32);
}

/* A slot of the hash table: the text's hash in the high half, its id + 1
   in the low half (0: empty).  Texts are compared only when the hashes
   agree. */
static uint64_t
make_slot (uint32_t h, size_t id)
{
  return (uint64_t) h << 32 | (uint64_t) (id + 1);
}

/* Rows hashed ahead of their lookup, so that the table's cache lines are
   on their way while the rows before them are looked up. */
enum { AHEAD = 8 };

int
axs_levels_index (const axs_table *t, long col, size_t n, const size_t *row,
                  int *id, const char ***text_out, size_t *nid_out)
{
  /* at least twice the rows: never full, never grown, and the pages of a
     column with few levels are never touched */
  size_t cap = 64, nid = 0;
  while (cap < 2 * n)
    cap *= 2;
  uint64_t *slot = calloc (cap, sizeof *slot);
  const char **text = malloc ((n ? n : 1) * sizeof *text);   /* by id */
  if (!slot || !text || n > INT32_MAX)
    {
      free (slot);
      free (text);
      *text_out = NULL;
      *nid_out = 0;
      return AXS_ENOMEM;
    }
  uint32_t hash[AHEAD];
  for (size_t i = 0; i < n && i < AHEAD; i++)
    hash[i] = hash_text (axs_table_cell (t, row[i], col));
  for (size_t i = 0; i < n; i++)
    {
      const char *cell = axs_table_cell (t, row[i], col);
      uint32_t h = hash[i % AHEAD];
      if (i + AHEAD < n)
        {
          uint32_t ahead = hash_text (axs_table_cell (t, row[i + AHEAD], col));
          hash[i % AHEAD] = ahead;
#ifdef __GNUC__
          __builtin_prefetch (&slot[ahead & (cap - 1)]);
#endif
        }
      size_t k = h & (cap - 1);
      for (; slot[k]; k = (k + 1) & (cap - 1))
        if ((uint32_t) (slot[k] >> 32) == h
            && strcmp (text[(uint32_t) slot[k] - 1], cell) == 0)
          break;
      if (slot[k])
        {
          id[i] = (int) (uint32_t) slot[k] - 1;
          continue;
        }
      id[i] = (int) nid;
      text[nid] = cell;
      slot[k] = make_slot (h, nid++);
    }
  free (slot);
  *text_out = text;
  *nid_out = nid;
  return AXS_OK;
}

/* First-seen ids from the hash, then the ids' texts sorted and the ids
   renumbered. */
int
axs_levels_make (const axs_table *t, const axs_design *d, long col,
                 axs_levels *levels, int *level)
{
  const char **text;
  size_t nid;
  if (axs_levels_index (t, col, d->n, d->row, level, &text, &nid) != AXS_OK)
    return AXS_ENOMEM;
  int *rank = malloc ((nid ? nid : 1) * sizeof *rank);
  levels->name = calloc (nid ? nid : 1, sizeof *levels->name);
  if (!rank || !levels->name)
    goto nomem;
  for (size_t id = 0; id < nid; id++)
    if (!(levels->name[levels->n++] = strdup (text[id])))
      goto nomem;
  axs_levels_sort (levels->name, levels->n);
  /* renumber: first-seen id -> sorted position */
  for (size_t id = 0; id < nid; id++)
    {
      size_t g = 0;
      while (strcmp (levels->name[g], text[id]) != 0)
        g++;
      rank[id] = (int) g;
    }
  for (size_t i = 0; i < d->n; i++)
    level[i] = rank[level[i]];
  free (rank);
  free (text);
  return AXS_OK;

nomem:
  free (rank);
  free (text);
  axs_levels_free (levels);
  return AXS_ENOMEM;
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
   patients' rows is an error naming both lines (the later one first). */
static int
check_unique_ids (const axs_table *t, const axs_design_spec *spec,
                  const axs_design *d, axs_diag *diag)
{
  long col;
  if (axs_table_require (t, spec->id, &col, diag) != AXS_OK)
    return AXS_EINVAL;
  size_t *rows = calloc (d->n ? d->n : 1, sizeof *rows), m = 0;
  int *id = malloc ((d->n ? d->n : 1) * sizeof *id);
  const char **text = NULL;
  size_t nid;
  if (!rows || !id)
    goto nomem;
  for (size_t i = 0; i < d->n; i++)
    if (!axs_na_is_missing (spec->na, axs_table_cell (t, d->row[i], col)))
      rows[m++] = d->row[i];
  if (axs_levels_index (t, col, m, rows, id, &text, &nid) != AXS_OK)
    goto nomem;
  free (text);
  /* ids are numbered as first seen: the first row whose id is not the next
     new one repeats an earlier row, and no repeat comes before it */
  size_t first = 0, second = SIZE_MAX;
  for (size_t i = 0, next = 0; i < m && second == SIZE_MAX; i++)
    if ((size_t) id[i] == next)
      next++;
    else
      {
        second = rows[i];
        size_t j = 0;
        while (id[j] != id[i])
          j++;
        first = rows[j];
      }
  free (rows);
  free (id);
  if (second == SIZE_MAX)
    return AXS_OK;
  char shown[AXS_DIAG_SHOWN];
  return axs_diag_set (diag, AXS_EDOM, 0,
                       "%s:%zu: column '%s': patient '%s' is already on line %zu: "
                       "each row must be a different patient",
                       t->file, t->line[second], spec->id,
                       axs_diag_shorten (axs_table_cell (t, second, col), shown),
                       t->line[first]);

nomem:
  free (rows);
  free (id);
  return axs_diag_set (diag, AXS_ENOMEM, 0, "out of memory");
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

  event_coding ec = { spec->event_value, NULL };
  int status = AXS_OK;
  for (size_t row = 0; row < t->nrow && status == AXS_OK; row++)
    {
      if (!is_kept (t, row, spec, subset_col))
        {
          d->n_subset_out++;
          continue;
        }
      size_t k = 0;
      while (k < nuse && !(use[k].name
                           && axs_na_is_missing (spec->na, axs_table_cell (t, row, use[k].col))))
        k++;
      if (k < nuse)
        {
          d->n_excluded++;
          continue;
        }
      size_t i = d->n;
      double x;
      if ((status = number_at (t, row, &use[0], &d->time[i], diag)) != AXS_OK
          || (status = event_at (t, row, &use[1], &ec, &d->event[i], diag)) != AXS_OK)
        break;
      if (d->time[i] < 0)
        {
          char shown[AXS_DIAG_SHOWN];
          status = axs_diag_set (diag, AXS_EDOM, 0,
                                 "%s:%zu: column '%s': '%s' is a negative time; "
                                 "times are counted from 0", t->file, t->line[row],
                                 use[0].name,
                                 axs_diag_shorten (axs_table_cell (t, row, use[0].col),
                                                   shown));
          break;
        }
      if (spec->marker
          && (status = number_at (t, row, &use[2], &x, diag)) == AXS_OK)
        d->marker[i] = x;
      d->row[d->n++] = row;
    }
  if (status == AXS_OK && d->n == 0)
    status = axs_diag_set (diag, AXS_EDOM, 0,
                           "%s: no patients to analyse: %zu rows, %zu outside "
                           "--subset, %zu with a missing value", t->file,
                           d->n_rows, d->n_subset_out, d->n_excluded);
  if (status == AXS_OK && spec->id)
    status = check_unique_ids (t, spec, d, diag);
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
