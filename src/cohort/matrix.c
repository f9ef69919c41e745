/* matrix.c: a fast reader of expression matrices, parallel over rows.

   The file is read whole, its lines found in one memchr pass, then each
   thread converts a contiguous block of rows straight into the
   feature-major array: no per-cell allocation, numbers by exact decimal
   conversion (strtod only for the rare cell the fast path declines).  Each
   cell lands in a slot fixed by its row and column, so the result does not
   depend on the number of threads, and the error reported is the first in
   file order. */
#include "cohort/matrix.h"
#include "cohort/textset.h"
#include "stats/parallel.h"
#include "stats/status.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- ids ------------------------------------------------------------------ */

/* The cohort's ids in a textset: distinct, so each one's id is its patient
   index. */
static int
index_build (axs_textset *x, const char *const *ids, size_t n)
{
  axs_textset_init (x);
  if (axs_textset_reserve (x, n) != AXS_OK)
    {
      axs_textset_free (x);
      return AXS_ENOMEM;
    }
  for (size_t i = 0; i < n; i++)
    axs_textset_id (x, ids[i], axs_text_hash (ids[i]));
  return AXS_OK;
}

/* ---- fields --------------------------------------------------------------- */

/* The field starting at P (before END, the end of the line): its content
   [*S, *S + *LEN) without quotes, and the position after it (at the
   delimiter or END).  QUOTED says whether doubled quotes remain inside. */
static const char *
next_field (const char *p, const char *end, char delim, const char **s,
            size_t *len, int *quoted)
{
  *quoted = 0;
  if (p < end && *p == '"')
    {
      const char *q = p + 1;
      for (;;)
        {
          const char *c = memchr (q, '"', (size_t) (end - q));
          if (!c)
            break;                      /* unclosed: take the rest as it is */
          if (c + 1 < end && c[1] == '"')
            {
              *quoted = 1;
              q = c + 2;
              continue;
            }
          if (c + 1 == end || c[1] == delim)
            {
              *s = p + 1;
              *len = (size_t) (c - p - 1);
              return c + 1;
            }
          break;                        /* text after the closing quote */
        }
    }
  const char *c = memchr (p, delim, (size_t) (end - p));
  if (!c)
    c = end;
  *s = p;
  *len = (size_t) (c - p);
  return c;
}

/* A copy of a field, its doubled quotes undone. */
static char *
field_dup (const char *s, size_t len, int quoted)
{
  char *t = malloc (len + 1);
  if (!t)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < len; i++)
    {
      t[k++] = s[i];
      if (quoted && s[i] == '"' && i + 1 < len && s[i + 1] == '"')
        i++;
    }
  t[k] = '\0';
  return t;
}

/* ---- reading -------------------------------------------------------------- */

typedef struct
{
  const char *start, *end;   /* the line without its end of line */
  size_t lineno;
} row_span;

typedef struct
{
  axs_matrix *m;
  const axs_matrix_options *opt;
  const row_span *rows;
  size_t first, last;        /* rows [first, last) */
  size_t *na_len;
  char delim;
  /* the first error of this block */
  int status;
  size_t err_row;
  char err[sizeof ((axs_diag *) 0)->text];
} block;

static int
is_missing (const block *b, const char *s, size_t len)
{
  const axs_na *na = b->opt->na;
  for (size_t k = 0; k < na->n; k++)
    if (b->na_len[k] == len && memcmp (na->token[k], s, len) == 0)
      return 1;
  return 0;
}

static void __attribute__ ((format (printf, 4, 5)))
block_fail (block *b, int status, size_t row, const char *fmt, ...)
{
  b->status = status;
  b->err_row = row;
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (b->err, sizeof b->err, fmt, ap);
  va_end (ap);
}

static void
parse_block (void *arg, size_t k)
{
  block *b = (block *) arg + k;
  axs_matrix *m = b->m;
  const size_t n = m->n;
  for (size_t r = b->first; r < b->last; r++)
    {
      const char *p = b->rows[r].start, *end = b->rows[r].end;
      const char *s;
      size_t len;
      int quoted;
      p = next_field (p, end, b->delim, &s, &len, &quoted);
      if (!(m->feature[r] = field_dup (s, len, quoted)))
        {
          block_fail (b, AXS_ENOMEM, r, "out of memory");
          return;
        }
      m->line[r] = b->rows[r].lineno;
      double *v = m->value + r * n;
      size_t j = 0;
      while (p < end)
        {
          p = next_field (p + 1, end, b->delim, &s, &len, &quoted);
          if (j < m->ncol && m->col_patient[j] >= 0 && !is_missing (b, s, len))
            {
              double x;
              int st = axs_parse_number_n (s, len, &x);
              if (st != AXS_OK)
                {
                  char cell[AXS_DIAG_SHOWN], shown[AXS_DIAG_SHOWN], c2[AXS_DIAG_SHOWN];
                  char *t = strndup (s, len < 200 ? len : 200);
                  block_fail (b, st == AXS_ENOMEM ? AXS_ENOMEM : AXS_EDOM, r,
                              "%s:%zu:%zu: patient '%s', feature '%s': '%s' is not %s",
                              m->file, b->rows[r].lineno, j + 2,
                              axs_diag_shorten (m->id[j], cell),
                              axs_diag_shorten (m->feature[r], c2),
                              t ? axs_diag_shorten (t, shown) : "?",
                              isnan (x) ? "a number" : "a finite number");
                  free (t);
                  return;
                }
              v[m->col_patient[j]] = x;
            }
          j++;
        }
      if (j != m->ncol)
        {
          block_fail (b, AXS_EDOM, r, "%s:%zu: this row has %zu fields, but the "
                      "header has %zu", m->file, b->rows[r].lineno, j + 1,
                      m->ncol + 1);
          return;
        }
    }
}

/* The whole of F into *BUF (NUL-terminated), its length in *LEN. */
static int
slurp (FILE *f, char **buf, size_t *len)
{
  size_t cap = 1 << 20, n = 0;
  char *b = malloc (cap + 1);
  while (b)
    {
      size_t got = fread (b + n, 1, cap - n, f);
      n += got;
      if (n < cap)
        break;
      char *nb = realloc (b, 2 * cap + 1);
      if (!nb)
        {
          free (b);
          b = NULL;
          break;
        }
      b = nb;
      cap *= 2;
    }
  if (!b)
    return AXS_ENOMEM;
  b[n] = '\0';
  *buf = b;
  *len = n;
  return AXS_OK;
}

static char
detect_delimiter (const char *s, const char *end)
{
  size_t comma = 0, semicolon = 0, tab = 0;
  for (; s < end; s++)
    comma += *s == ',', semicolon += *s == ';', tab += *s == '\t';
  if (tab >= comma && tab >= semicolon && tab > 0)
    return '\t';
  return semicolon > comma ? ';' : ',';
}

void
axs_matrix_free (axs_matrix *m)
{
  if (!m)
    return;
  for (size_t f = 0; m->feature && f < m->nfeat; f++)
    free (m->feature[f]);
  for (size_t j = 0; m->id && j < m->ncol; j++)
    free (m->id[j]);
  free (m->feature);
  free (m->line);
  free (m->id);
  free (m->col_patient);
  free (m->patient_col);
  free (m->value);
  free (m->file);
  free (m);
}

/* The header: the patient ids and where each cohort patient sits. */
static int
read_header (axs_matrix *m, const char *p, const char *end, char delim,
             const axs_matrix_options *opt, axs_diag *d)
{
  size_t cap = 0;
  const char *s;
  size_t len;
  int quoted;
  p = next_field (p, end, delim, &s, &len, &quoted);     /* "gene", "ID_REF" */
  while (p < end)
    {
      p = next_field (p + 1, end, delim, &s, &len, &quoted);
      if (m->ncol == cap)
        {
          cap = cap ? 2 * cap : 256;
          char **id = realloc (m->id, cap * sizeof *id);
          if (!id)
            return axs_diag_set (d, AXS_ENOMEM, 0, "out of memory");
          m->id = id;
        }
      if (!(m->id[m->ncol] = field_dup (s, len, quoted)))
        return axs_diag_set (d, AXS_ENOMEM, 0, "out of memory");
      m->ncol++;
    }
  if (m->ncol == 0)
    return axs_diag_set (d, AXS_EDOM, 0, "%s:1: the header has no patient columns: "
                         "an expression matrix has features in rows, the feature "
                         "name first, and one column per patient headed by its id",
                         m->file);

  axs_textset x;
  if (!(m->col_patient = malloc (m->ncol * sizeof *m->col_patient))
      || !(m->patient_col = malloc ((opt->n ? opt->n : 1) * sizeof *m->patient_col))
      || index_build (&x, opt->ids, opt->n) != AXS_OK)
    return axs_diag_set (d, AXS_ENOMEM, 0, "out of memory");
  for (size_t i = 0; i < opt->n; i++)
    m->patient_col[i] = -1;
  int status = AXS_OK;
  for (size_t j = 0; j < m->ncol && status == AXS_OK; j++)
    {
      long i = axs_textset_find (&x, m->id[j], axs_text_hash (m->id[j]));
      m->col_patient[j] = i;
      if (i < 0)
        continue;
      if (m->patient_col[i] >= 0)
        {
          char shown[AXS_DIAG_SHOWN];
          status = axs_diag_set (d, AXS_EDOM, 0, "%s:1: patient '%s' heads two "
                                 "columns (%ld and %zu)", m->file,
                                 axs_diag_shorten (m->id[j], shown),
                                 m->patient_col[i] + 2, j + 2);
        }
      m->patient_col[i] = (long) j;
      m->n_joined++;
    }
  axs_textset_free (&x);
  return status;
}

int
axs_matrix_read (const char *path, const axs_matrix_options *opt,
                 axs_matrix **out, axs_diag *d)
{
  *out = NULL;
  if (!path || !opt || (opt->n && !opt->ids) || !opt->na)
    return axs_diag_set (d, AXS_EINVAL, 0, "invalid arguments");
  axs_matrix *m = calloc (1, sizeof *m);
  int from_stdin = strcmp (path, "-") == 0;
  if (!m || !(m->file = strdup (from_stdin ? "<stdin>" : path)))
    {
      free (m);
      return axs_diag_set (d, AXS_ENOMEM, 0, "out of memory");
    }
  m->n = opt->n;

  FILE *f = from_stdin ? stdin : fopen (path, "rb");
  if (!f)
    {
      axs_diag_set (d, AXS_EDOM, 0, "%s: %s", path, strerror (errno));
      axs_matrix_free (m);
      return AXS_EDOM;
    }
  char *buf = NULL;
  size_t len = 0;
  int status = slurp (f, &buf, &len);
  if (status != AXS_OK)
    axs_diag_set (d, status, 0, "out of memory");
  else if (ferror (f))
    status = axs_diag_set (d, AXS_EDOM, 0, "%s: %s", m->file, strerror (errno));
  if (!from_stdin)
    fclose (f);

  /* the lines: blank ones are skipped, a final \r is not part of the line */
  row_span *rows = NULL;
  size_t nrows = 0, rcap = 0;
  const char *p = buf, *end = buf + len;
  if (status == AXS_OK && len >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  if (status == AXS_OK && memchr (p, '\0', (size_t) (end - p)))
    status = axs_diag_set (d, AXS_EDOM, 0, "%s: the file holds a NUL byte: is it "
                           "a text (TSV or CSV) file?", m->file);
  for (size_t lineno = 1; status == AXS_OK && p < end; lineno++)
    {
      const char *nl = memchr (p, '\n', (size_t) (end - p));
      const char *e = nl ? nl : end;
      const char *next = nl ? nl + 1 : end;
      if (e > p && e[-1] == '\r')
        e--;
      if (e > p)
        {
          if (nrows == rcap)
            {
              rcap = rcap ? 2 * rcap : 4096;
              row_span *nr = realloc (rows, rcap * sizeof *nr);
              if (!nr)
                {
                  status = axs_diag_set (d, AXS_ENOMEM, 0, "out of memory");
                  break;
                }
              rows = nr;
            }
          rows[nrows++] = (row_span) { p, e, lineno };
        }
      p = next;
    }
  if (status == AXS_OK && nrows == 0)
    status = axs_diag_set (d, AXS_EDOM, 0, "%s: the file is empty: an expression "
                           "matrix starts with a header row of patient ids", m->file);
  char delim = 0;
  if (status == AXS_OK)
    {
      delim = opt->delimiter ? opt->delimiter
        : detect_delimiter (rows[0].start, rows[0].end);
      status = read_header (m, rows[0].start, rows[0].end, delim, opt, d);
    }

  m->nfeat = status == AXS_OK ? nrows - 1 : 0;
  size_t nf = m->nfeat ? m->nfeat : 1;
  if (status == AXS_OK
      && (!(m->feature = calloc (nf, sizeof *m->feature))
          || !(m->line = malloc (nf * sizeof *m->line))
          || (m->n && !(m->value = malloc (nf * m->n * sizeof *m->value)))))
    status = axs_diag_set (d, AXS_ENOMEM, 0, "out of memory");
  if (status == AXS_OK)
    {
      for (size_t k = 0; k < m->nfeat * m->n; k++)
        m->value[k] = NAN;
      size_t na_len[64], nna = opt->na->n < 64 ? opt->na->n : 64;
      for (size_t k = 0; k < nna; k++)
        na_len[k] = strlen (opt->na->token[k]);
      axs_na na = { opt->na->token, nna };
      axs_matrix_options o = *opt;
      o.na = &na;

      int nt = opt->threads > 1 ? opt->threads : 1;
      if ((size_t) nt > m->nfeat / 64 + 1)
        nt = (int) (m->nfeat / 64 + 1);
      block *blk = calloc ((size_t) nt, sizeof *blk);
      if (!blk)
        status = axs_diag_set (d, AXS_ENOMEM, 0, "out of memory");
      for (int t = 0; status == AXS_OK && t < nt; t++)
        blk[t] = (block) {
          .m = m, .opt = &o, .rows = rows + 1, .na_len = na_len, .delim = delim,
          .first = m->nfeat * (size_t) t / (size_t) nt,
          .last = m->nfeat * (size_t) (t + 1) / (size_t) nt,
        };
      if (status == AXS_OK)
        {
          axs_parallel_for ((size_t) nt, nt, parse_block, blk);
          for (int t = 0; t < nt; t++)
            if (blk[t].status)
              {
                status = blk[t].status;
                axs_diag_set (d, status, 0, "%s", blk[t].err);
                break;
              }
        }
      free (blk);
    }
  free (rows);
  free (buf);
  if (status != AXS_OK)
    {
      axs_matrix_free (m);
      return status;
    }
  *out = m;
  return AXS_OK;
}
