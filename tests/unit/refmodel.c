/* refmodel.c: R-style design matrices for the model kernels' unit tests. */
#include "refmodel.h"
#include "refdata.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static int
cmp_dbl (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Levels of column COL among rows with KEEP set: text levels in NAMES (sorted)
   or numeric levels in VALS (sorted); returns the count. */
static size_t
levels_of (ref_table *t, const char *col, const int *keep, int numeric,
           const char **names, double *vals)
{
  size_t nl = 0, nrow = ref_nrow (t);
  const double *v = numeric ? ref_num (t, col) : NULL;
  for (size_t i = 0; i < nrow; i++)
    {
      if (!keep[i])
        continue;
      size_t k;
      for (k = 0; k < nl; k++)
        if (numeric ? vals[k] == v[i] : strcmp (names[k], ref_str (t, i, col)) == 0)
          break;
      if (k == nl)
        {
          if (numeric)
            vals[nl++] = v[i];
          else
            names[nl++] = ref_str (t, i, col);
        }
    }
  if (numeric)
    qsort (vals, nl, sizeof *vals, cmp_dbl);
  else
    qsort (names, nl, sizeof *names, cmp_str);
  return nl;
}

design *
design_make (const char *csv, const char *tcol, const char *ecol,
             const char *terms, const char *strata_col)
{
  ref_table *t = ref_load (csv);
  size_t nrow = ref_nrow (t);
  char spec[256];
  snprintf (spec, sizeof spec, "%s", terms);
  char *name[16];
  char kind[16];
  size_t nterm = 0;
  for (char *tok = strtok (spec, ","); tok; tok = strtok (NULL, ","))
    {
      char *colon = strchr (tok, ':');
      kind[nterm] = colon ? colon[1] : 'n';
      if (colon)
        *colon = '\0';
      name[nterm++] = tok;
    }

  int *keep = malloc (nrow * sizeof *keep);
  const double *tv = ref_num (t, tcol), *ev = ref_num (t, ecol);
  for (size_t i = 0; i < nrow; i++)
    {
      keep[i] = !isnan (tv[i]) && !isnan (ev[i]);
      for (size_t k = 0; k < nterm; k++)
        {
          const char *s = ref_str (t, i, name[k]);
          if (s[0] == '\0' || strcmp (s, "NA") == 0)
            keep[i] = 0;
        }
      if (strata_col && ref_str (t, i, strata_col)[0] == '\0')
        keep[i] = 0;
    }

  design *d = calloc (1, sizeof *d);
  d->nterm = nterm;
  const char *lname[16][64];
  double lval[16][64];
  size_t nlev[16];
  for (size_t k = 0; k < nterm; k++)
    {
      nlev[k] = 1;
      if (kind[k] == 'f')
        {
          /* a text column reads as NaN in numeric view */
          int numeric = 1;
          for (size_t i = 0; i < nrow && numeric; i++)
            if (keep[i] && isnan (ref_num (t, name[k])[i]))
              numeric = 0;
          nlev[k] = levels_of (t, name[k], keep, numeric, lname[k], lval[k]);
          if (!numeric)
            lval[k][0] = NAN;     /* marks a text factor */
          d->p += nlev[k] - 1;
        }
      else
        d->p++;
    }
  for (size_t i = 0; i < nrow; i++)
    d->n += keep[i];
  d->x = malloc (d->n * d->p * sizeof *d->x);
  d->time = malloc (d->n * sizeof *d->time);
  d->event = malloc (d->n * sizeof *d->event);
  d->strata = strata_col ? malloc (d->n * sizeof *d->strata) : NULL;
  d->term_of_column = malloc (d->p * sizeof *d->term_of_column);

  const char *sname[64];
  double sval[64];
  size_t ns = strata_col ? levels_of (t, strata_col, keep, 0, sname, sval) : 0;

  size_t r = 0;
  for (size_t i = 0; i < nrow; i++)
    {
      if (!keep[i])
        continue;
      d->time[r] = tv[i];
      d->event[r] = (int) ev[i];
      size_t c = 0;
      for (size_t k = 0; k < nterm; k++)
        {
          if (kind[k] == 'f')
            {
              for (size_t l = 1; l < nlev[k]; l++)
                {
                  int hit = isnan (lval[k][0])
                    ? strcmp (ref_str (t, i, name[k]), lname[k][l]) == 0
                    : ref_num (t, name[k])[i] == lval[k][l];
                  d->term_of_column[c] = k;
                  d->x[r * d->p + c++] = hit;
                }
            }
          else
            {
              double v = ref_num (t, name[k])[i];
              d->term_of_column[c] = k;
              d->x[r * d->p + c++] = kind[k] == 'l' ? log2 (v + 1) : v;
            }
        }
      if (strata_col)
        for (size_t s = 0; s < ns; s++)
          if (strcmp (ref_str (t, i, strata_col), sname[s]) == 0)
            d->strata[r] = (int) s;
      r++;
    }
  free (keep);
  ref_free (t);
  return d;
}

void
design_free (design *d)
{
  if (!d)
    return;
  free (d->x);
  free (d->time);
  free (d->event);
  free (d->strata);
  free (d->term_of_column);
  free (d);
}

const ref_model ref_models[] = {
  { "lung.csv", "time", "status", "sex:f,age,ph.ecog", NULL,
    "lung_sex+age+ph.ecog", "efron" },
  { "lung.csv", "time", "status", "sex:f,age,ph.ecog", NULL,
    "lung_sex+age+ph.ecog", "breslow" },
  { "lung.csv", "time", "status", "ph.ecog:f,age", NULL,
    "lung_factor-ph.ecog+age", "efron" },
  { "lung.csv", "time", "status", "age,ph.karno", "sex",
    "lung_age+ph.karno+strata-sex", "efron" },
  { "veteran.csv", "time", "status", "trt,celltype:f,karno", NULL,
    "veteran_trt+celltype+karno", "efron" },
  { "veteran.csv", "time", "status", "trt,celltype:f,karno", NULL,
    "veteran_trt+celltype+karno", "breslow" },
  { "gbsg.csv", "rfstime", "status", "pgr:l", NULL, "gbsg_log2-pgr", "efron" },
  { "gbsg.csv", "rfstime", "status", "pgr,age,grade,nodes,hormon", NULL,
    "gbsg_pgr+age+grade+nodes+hormon", "efron" },
  { "ovarian.csv", "futime", "fustat", "age,ecog.ps,rx", NULL,
    "ovarian_age+ecog.ps+rx", "efron" },
  { "ovarian.csv", "futime", "fustat", "age,ecog.ps,rx", NULL,
    "ovarian_age+ecog.ps+rx", "breslow" },
  { NULL, NULL, NULL, NULL, NULL, NULL, NULL }
};

enum axs_cox_ties
ref_model_ties (const ref_model *m)
{
  return strcmp (m->ties, "efron") == 0 ? AXS_COX_EFRON : AXS_COX_BRESLOW;
}
