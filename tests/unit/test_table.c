/* test_table.c: the cohort reader gives the same table, line numbers and
   first error whatever the number of threads (AXLSURV_THREADS), on files
   large enough to be read in parallel pieces and in several chunks, with
   quoted fields spanning lines, CRLF ends and blank lines (empty, or only
   spaces and tabs) among plain rows. */
#include "testutil.h"

#include "cohort/table.h"
#include "stats/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { NCOL = 3, NROW = 150000 };

/* A generated cohort file and what the reader must make of it. */
typedef struct
{
  char path[64];
  size_t nrow;
  char *cell[NROW][NCOL];
  size_t line[NROW];
} cohort;

static cohort expected;

static char *
dup_printf (const char *fmt, size_t i)
{
  char *s;
  CU_ASSERT_FATAL (asprintf (&s, fmt, i) >= 0);
  return s;
}

/* Write the cohort: most rows plain; now and then a quoted note spanning
   lines (one of them over 300 kB, longer than a piece), a CRLF end, a blank
   line.  Rows are about 30 bytes, so the file (about 5 MB) spans more than
   one read chunk. */
static void
write_cohort (void)
{
  cohort *c = &expected;
  strcpy (c->path, "/tmp/axs-test-table-XXXXXX");
  int fd = mkstemp (c->path);
  CU_ASSERT_FATAL (fd >= 0);
  FILE *f = fdopen (fd, "w");
  CU_ASSERT_FATAL (f != NULL);
  fputs ("id,x,note\n", f);
  size_t line = 2;
  for (size_t i = 0; i < NROW; i++)
    {
      c->cell[i][0] = dup_printf ("P%06zu", i);
      c->cell[i][1] = dup_printf ("%zu.5", i % 1000);
      c->line[i] = line;
      fprintf (f, "%s,%s,", c->cell[i][0], c->cell[i][1]);
      if (i == 77777)
        {
          /* a field longer than a piece, holding 40,000 line ends */
          fputc ('"', f);
          size_t len = 0;
          char *note = malloc (40000 * 8 + 1);
          for (size_t k = 0; k < 40000; k++)
            len += (size_t) sprintf (note + len, "n%05zu\n", k);
          fputs (note, f);
          fputs ("\"\n", f);
          c->cell[i][2] = note;
          line += 40001;
        }
      else if (i % 997 == 3)
        {
          fprintf (f, "\"two\nlines, \"\"quoted\"\" %zu\"\n", i);
          c->cell[i][2] = dup_printf ("two\nlines, \"quoted\" %zu", i);
          line += 2;
        }
      else if (i % 1009 == 5)
        {
          fprintf (f, "crlf%zu\r\n", i);
          c->cell[i][2] = dup_printf ("crlf%zu", i);
          line++;
        }
      else
        {
          fprintf (f, "note%zu\n", i);
          c->cell[i][2] = dup_printf ("note%zu", i);
          line++;
        }
      if (i % 1013 == 7)
        {
          fputs ("\n", f);       /* a blank line: skipped */
          line++;
        }
      if (i % 1019 == 9)
        {
          fputs (" \t \n", f);  /* only blanks: skipped too */
          line++;
        }
    }
  c->nrow = NROW;
  CU_ASSERT_FATAL (fclose (f) == 0);
}

static const char *const thread_counts[] = { "1", "2", "3", "7" };

static int
read_with_threads (const char *path, const char *threads, axs_table **t,
                   axs_diag *d)
{
  setenv ("AXLSURV_THREADS", threads, 1);
  axs_read_options opt = { 0 };
  int status = axs_table_read (path, &opt, t, d);
  unsetenv ("AXLSURV_THREADS");
  return status;
}

static void
test_same_table_whatever_the_threads (void)
{
  for (size_t k = 0; k < sizeof thread_counts / sizeof *thread_counts; k++)
    {
      axs_table *t;
      axs_diag d;
      CU_ASSERT_EQUAL_FATAL (read_with_threads (expected.path, thread_counts[k],
                                                &t, &d), AXS_OK);
      CU_ASSERT_EQUAL_FATAL (t->nrow, expected.nrow);
      CU_ASSERT_EQUAL_FATAL (t->ncol, NCOL);
      size_t bad = 0;
      for (size_t i = 0; i < t->nrow; i++)
        {
          if (axs_table_line (t, i) != expected.line[i] && bad++ < 5)
            tu_check (0, (double) axs_table_line (t, i), (double) expected.line[i],
                      "threads %s: line of row %zu", thread_counts[k], i);
          for (long j = 0; j < NCOL; j++)
            if (strcmp (axs_table_cell (t, i, j), expected.cell[i][j]) != 0
                && bad++ < 5)
              tu_check (0, (double) i, (double) j, "threads %s: cell (row, col)",
                        thread_counts[k]);
        }
      CU_ASSERT_EQUAL (bad, 0);
      axs_table_free (t);
    }
}

/* A copy of the cohort file with rows BAD[0..N) (0-based, ascending,
   plain one-line rows followed by another) replaced by TEXT[0..N). */
static void
write_with_bad_rows (char *path, size_t n, const size_t *bad,
                     const char *const *text)
{
  strcpy (path, "/tmp/axs-test-table-bad-XXXXXX");
  int fd = mkstemp (path);
  CU_ASSERT_FATAL (fd >= 0);
  FILE *out = fdopen (fd, "w"), *in = fopen (expected.path, "r");
  CU_ASSERT_FATAL (out && in);
  size_t line = 1, k = 0;
  int c;
  while ((c = getc (in)) != EOF)
    {
      int in_bad = k < n && line == expected.line[bad[k]];
      if (in_bad && c == '\n')
        fputs (text[k++], out);
      else if (!in_bad)
        putc (c, out);
      line += c == '\n';
    }
  fclose (in);
  CU_ASSERT_FATAL (fclose (out) == 0);
}

/* Reading the cohort with rows BAD[0..N) replaced by TEXT[0..N) fails with
   WHAT on row BAD[0], whatever the number of threads. */
static void
check_error (size_t n, const size_t *bad, const char *const *text,
             const char *what)
{
  char path[64], want[256];
  write_with_bad_rows (path, n, bad, text);
  snprintf (want, sizeof want, "%s:%zu: %s", path, expected.line[bad[0]], what);
  for (size_t k = 0; k < sizeof thread_counts / sizeof *thread_counts; k++)
    {
      axs_table *t;
      axs_diag d;
      CU_ASSERT_EQUAL (read_with_threads (path, thread_counts[k], &t, &d), AXS_EDOM);
      CU_ASSERT_PTR_NULL (t);
      if (strcmp (d.text, want) != 0)
        fprintf (stderr, "threads %s: got '%s', want '%s'\n", thread_counts[k],
                 d.text, want);
      CU_ASSERT_STRING_EQUAL (d.text, want);
    }
  unlink (path);
}

static void
test_first_error_whatever_the_threads (void)
{
  /* after the long quoted field, in the second chunk */
  check_error (1, (size_t[]) { 120001 }, (const char *[]) { "P120001,1.5\n" },
               "this row has 2 fields, but the header has 3");
  check_error (1, (size_t[]) { 99998 }, (const char *[]) { "P099998,1.5,a\x01z\n" },
               "the file holds a control byte (0x01): is it a text (CSV) file?");
  /* of two errors, the first in the file */
  check_error (2, (size_t[]) { 60000, 130000 },
               (const char *[]) { "P060000,1.5,a,b\n", "x\n" },
               "this row has 4 fields, but the header has 3");
  /* a quote that never closes (after the last quoted note) */
  check_error (1, (size_t[]) { 149800 },
               (const char *[]) { "P149800,1.5,\"never closed\n" },
               "a quoted field that starts on this line is never closed: is a "
               "quote unbalanced?");
}

int
main (void)
{
  const tu_test tests[] = {
    { "write a cohort of 150,000 rows", write_cohort },
    { "same table whatever the threads", test_same_table_whatever_the_threads },
    { "first error whatever the threads", test_first_error_whatever_the_threads },
    { NULL, NULL }
  };
  int status = tu_run ("table", tests);
  if (expected.path[0])
    unlink (expected.path);
  return status;
}
