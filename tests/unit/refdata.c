/* refdata.c: a small delimited-text loader for the unit tests only. */
#include "refdata.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ref_table {
  size_t ncol, nrow;
  char **names;     /* ncol */
  char **cells;     /* nrow * ncol, row-major */
  double **nums;    /* ncol, lazily converted */
};

static void
die (const char *what, const char *name)
{
  fprintf (stderr, "refdata: %s: %s\n", what, name);
  exit (99);
}

static void *
xrealloc (void *p, size_t size)
{
  p = realloc (p, size);
  if (!p)
    die ("out of memory", "");
  return p;
}

/* Split LINE in place at DELIM into at most MAX fields, unquoting each. */
static size_t
split (char *line, char delim, char **field, size_t max)
{
  size_t k = 0;
  char *p = line;
  while (k < max)
    {
      char *start = p, *out = p;
      int quoted = (*p == '"');
      if (quoted)
        p++;
      while (*p && (quoted || *p != delim))
        {
          if (quoted && *p == '"')
            {
              if (p[1] == '"')
                p++;
              else
                {
                  quoted = 0;
                  p++;
                  continue;
                }
            }
          *out++ = *p++;
        }
      int more = (*p == delim);
      *out = '\0';
      field[k++] = start;
      if (!more)
        break;
      p++;
    }
  return k;
}

ref_table *
ref_load (const char *relpath)
{
  const char *dir = getenv ("AXS_TESTDATA");
  char path[4096];
  snprintf (path, sizeof path, "%s/%s", dir ? dir : "tests/data/reference", relpath);
  FILE *f = fopen (path, "r");
  if (!f)
    die ("cannot open", path);

  ref_table *t = xrealloc (NULL, sizeof *t);
  memset (t, 0, sizeof *t);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  char *field[1024];
  while ((len = getline (&line, &cap, f)) > 0)
    {
      while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
      if (len == 0)
        continue;
      char delim = strchr (line, '\t') ? '\t' : ',';
      size_t k = split (line, delim, field, 1024);
      if (!t->names)
        {
          t->ncol = k;
          t->names = xrealloc (NULL, k * sizeof *t->names);
          for (size_t j = 0; j < k; j++)
            t->names[j] = strdup (field[j]);
          continue;
        }
      if (k != t->ncol)
        die ("ragged row in", path);
      t->cells = xrealloc (t->cells, (t->nrow + 1) * t->ncol * sizeof *t->cells);
      for (size_t j = 0; j < k; j++)
        t->cells[t->nrow * t->ncol + j] = strdup (field[j]);
      t->nrow++;
    }
  free (line);
  fclose (f);
  if (!t->names)
    die ("empty file", path);
  t->nums = xrealloc (NULL, t->ncol * sizeof *t->nums);
  memset (t->nums, 0, t->ncol * sizeof *t->nums);
  return t;
}

void
ref_free (ref_table *t)
{
  if (!t)
    return;
  for (size_t j = 0; j < t->ncol; j++)
    {
      free (t->names[j]);
      free (t->nums[j]);
    }
  for (size_t i = 0; i < t->nrow * t->ncol; i++)
    free (t->cells[i]);
  free (t->names);
  free (t->cells);
  free (t->nums);
  free (t);
}

size_t
ref_nrow (const ref_table *t)
{
  return t->nrow;
}

static long
column (const ref_table *t, const char *name)
{
  for (size_t j = 0; j < t->ncol; j++)
    if (strcmp (t->names[j], name) == 0)
      return (long) j;
  return -1;
}

int
ref_has_column (const ref_table *t, const char *name)
{
  return column (t, name) >= 0;
}

const double *
ref_num (ref_table *t, const char *name)
{
  long j = column (t, name);
  if (j < 0)
    die ("no such column", name);
  if (!t->nums[j])
    {
      t->nums[j] = xrealloc (NULL, (t->nrow ? t->nrow : 1) * sizeof (double));
      for (size_t i = 0; i < t->nrow; i++)
        {
          const char *s = t->cells[i * t->ncol + j];
          char *end;
          double v = strtod (s, &end);
          t->nums[j][i] = (*s == '\0' || *end != '\0') ? NAN : v;
        }
    }
  return t->nums[j];
}

const char *
ref_str (const ref_table *t, size_t row, const char *name)
{
  long j = column (t, name);
  if (j < 0)
    die ("no such column", name);
  return t->cells[row * t->ncol + j];
}
