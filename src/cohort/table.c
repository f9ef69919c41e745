/* table.c: read a delimited cohort file with libcsv.

   The reader always knows the line it is on: a row's messages name the line
   where the row starts, even when a quoted field spans several lines.  A run
   of plain lines (no quote, no CR, no control byte, none blank or starting
   with a space) is one row a line, so it goes to libcsv in one piece and
   each row's line is the next; any other line is fed alone.

   Outside quotes every line ends a row, so a stretch of the file without a
   quote is cut at line ends into pieces that threads parse at once, each
   with its own libcsv parser into its own small table; the pieces are then
   appended in file order.  The table is the same whatever the number of
   threads, and the error reported is the first in the file. */
#include "cohort/table.h"
#include "stats/parallel.h"
#include "stats/status.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes read at a time; a quote-free stretch of at least PIECE bytes is
   parsed in parallel, in pieces of about PIECE bytes. */
enum { CHUNK = 1 << 22, PIECE = 1 << 18, MAX_PIECES = CHUNK / PIECE + 1 };

/* Bytes at the start of the file searched for a control byte before the
   header is parsed. */
enum { BINARY_CHECK = 1 << 16 };

typedef struct
{
  axs_table *t;
  const axs_read_options *opt;
  axs_diag *d;
  int status;             /* first error seen by a callback */
  size_t error_line;      /* ... the line it names */
  char error[1024];       /* ... and what it says, when it is about a line */
  size_t line;            /* the physical line being fed */
  size_t row_line;        /* the line where the current row started */
  size_t quote_line;      /* the line where an open quoted field started */
  size_t field;           /* fields seen in the current row */
  int in_header;
  int partial;            /* the last piece fed ended inside a line */
  int plain;              /* feeding a run of plain lines: a row a line */
  size_t hcap;            /* capacity of t->names while reading the header */
  size_t rcap;            /* capacity of t->cell, in rows */
} reader;

static int
grow (void **p, size_t *cap, size_t need, size_t size)
{
  if (need <= *cap)
    return 0;
  size_t c = *cap ? *cap : 16;
  while (c < need)
    c *= 2;
  void *q = realloc (*p, c * size);
  if (!q)
    return -1;
  *p = q;
  *cap = c;
  return 0;
}

/* Record the first error, located at the current row. */
static void __attribute__ ((format (printf, 3, 4)))
fail (reader *r, int status, const char *fmt, ...)
{
  if (r->status)
    return;
  r->status = status;
  r->error_line = r->row_line;
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (r->error, sizeof r->error, fmt, ap);
  va_end (ap);
}

static void
store_cell (reader *r, size_t slot, const char *s, size_t len)
{
  axs_table *t = r->t;
  if (t->text_len + len + 1 > t->text_cap
      && grow ((void **) &t->text, &t->text_cap, t->text_len + len + 1, 1) < 0)
    {
      fail (r, AXS_ENOMEM, "out of memory");
      return;
    }
  size_t off = t->text_len - t->base[t->nrow >> AXS_TABLE_BLOCK_BITS];
  if (off > UINT32_MAX)
    {
      fail (r, AXS_ENOMEM, "the %d rows up to this one hold more than 4 GB of "
            "text", 1 << AXS_TABLE_BLOCK_BITS);
      return;
    }
  char *to = t->text + t->text_len;
  memcpy (to, s, len);
  to[len] = '\0';
  t->text_len += len + 1;
  t->cell[t->nrow * t->nkept + slot] = (uint32_t) off;
}

static void
on_header_field (reader *r, const char *s, size_t len)
{
  axs_table *t = r->t;
  if (grow ((void **) &t->names, &r->hcap, t->ncol + 1, sizeof *t->names) < 0
      || !(t->names[t->ncol] = strndup (s, len)))
    {
      fail (r, AXS_ENOMEM, "out of memory");
      return;
    }
  t->ncol++;
}

static void
on_field (void *s, size_t len, void *data)
{
  reader *r = data;
  if (r->status)
    return;
  if (r->in_header)
    on_header_field (r, s ? s : "", s ? len : 0);
  else if (r->field < r->t->ncol && r->t->slot[r->field] >= 0)
    store_cell (r, (size_t) r->t->slot[r->field], s ? s : "", s ? len : 0);
  r->field++;
}

static char *const *sort_names;

static int
compare_name_index (const void *a, const void *b)
{
  size_t i = *(const size_t *) a, j = *(const size_t *) b;
  int c = strcmp (sort_names[i], sort_names[j]);
  return c ? c : (i > j) - (i < j);
}

/* The first column J (in header order) whose name an earlier column K
   already has; J = ncol when every name is unique.  Sorting the indices by
   (name, index) keeps this O(ncol log ncol) for very wide files. */
static int
first_duplicate (const axs_table *t, size_t *k, size_t *j)
{
  *j = t->ncol;
  size_t *idx = malloc ((t->ncol ? t->ncol : 1) * sizeof *idx);
  if (!idx)
    return AXS_ENOMEM;
  for (size_t i = 0; i < t->ncol; i++)
    idx[i] = i;
  sort_names = t->names;
  qsort (idx, t->ncol, sizeof *idx, compare_name_index);
  for (size_t i = 0; i + 1 < t->ncol; i++)
    if (strcmp (t->names[idx[i]], t->names[idx[i + 1]]) == 0
        && idx[i + 1] < *j)
      {
        /* idx[i] is the first of its name only when the name changed before it */
        size_t first = i;
        while (first > 0 && strcmp (t->names[idx[first - 1]], t->names[idx[i]]) == 0)
          first--;
        *k = idx[first];
        *j = idx[i + 1];
      }
  free (idx);
  return AXS_OK;
}

/* Decide which header columns are kept; a requested column that is not in
   the header is a usage error naming the columns that exist. */
static void
finish_header (reader *r)
{
  axs_table *t = r->t;
  size_t dup_k = 0, dup_j;
  t->slot = malloc ((t->ncol ? t->ncol : 1) * sizeof *t->slot);
  if (!t->slot || first_duplicate (t, &dup_k, &dup_j) != AXS_OK)
    {
      fail (r, AXS_ENOMEM, "out of memory");
      return;
    }
  for (size_t j = 0; j < t->ncol; j++)
    {
      char shown[AXS_DIAG_SHOWN];
      if (t->names[j][0] == '\0')
        {
          fail (r, AXS_EDOM, "column %zu of the header has no name", j + 1);
          return;
        }
      if (j == dup_j)
        {
          fail (r, AXS_EDOM,
                "the header names column '%s' twice (columns %zu and %zu)",
                axs_diag_shorten (t->names[j], shown), dup_k + 1, j + 1);
          return;
        }
      t->slot[j] = r->opt->keep ? -1 : (long) t->nkept++;
    }
  for (size_t i = 0; r->opt->keep && i < r->opt->nkeep; i++)
    {
      long col;
      if (axs_table_require (t, r->opt->keep[i], &col, r->d) != AXS_OK)
        {
          r->status = AXS_EINVAL;
          return;
        }
      if (t->slot[col] < 0)
        t->slot[col] = (long) t->nkept++;
    }
  for (size_t i = 0; r->opt->keep && i < r->opt->noptional; i++)
    {
      long col = axs_table_column (t, r->opt->optional[i]);
      if (col >= 0 && t->slot[col] < 0)
        t->slot[col] = (long) t->nkept++;
    }
}

/* Room in T's rows for NEED rows. */
static int
reserve_rows (reader *r, size_t need)
{
  axs_table *t = r->t;
  if (need <= r->rcap)
    return AXS_OK;
  size_t cap = r->rcap ? 2 * r->rcap : 1024;
  while (cap < need)
    cap *= 2;
  uint32_t *cell = realloc (t->cell, cap * (t->nkept ? t->nkept : 1) * sizeof *cell);
  if (cell)
    t->cell = cell;
  size_t *base = realloc (t->base, ((cap >> AXS_TABLE_BLOCK_BITS) + 1) * sizeof *base);
  if (base)
    t->base = base;
  if (!cell || !base)
    {
      fail (r, AXS_ENOMEM, "out of memory");
      return AXS_ENOMEM;
    }
  r->rcap = cap;
  return AXS_OK;
}

/* Note that ROW starts on LINE: a new run unless the last one leads there. */
static int
note_line (axs_table *t, size_t row, size_t line)
{
  if (t->nrun > 0)
    {
      const axs_table_run *last = &t->run[t->nrun - 1];
      if (last->line + (row - last->row) == line)
        return AXS_OK;
    }
  if (grow ((void **) &t->run, &t->run_cap, t->nrun + 1, sizeof *t->run) < 0)
    return AXS_ENOMEM;
  t->run[t->nrun++] = (axs_table_run) { row, line };
  return AXS_OK;
}

/* Room for the next row's cells before its fields arrive (and, at the
   start of a block of rows, the block's base offset). */
static void
make_room_for_row (reader *r)
{
  axs_table *t = r->t;
  if (reserve_rows (r, t->nrow + 1) == AXS_OK
      && (t->nrow & ((1u << AXS_TABLE_BLOCK_BITS) - 1)) == 0)
    t->base[t->nrow >> AXS_TABLE_BLOCK_BITS] = t->text_len;
}

static void
on_row (int c, void *data)
{
  (void) c;
  reader *r = data;
  if (r->status)
    return;
  axs_table *t = r->t;
  if (r->in_header)
    {
      r->in_header = 0;
      finish_header (r);
    }
  else if (r->field != t->ncol)
    {
      char spans[128] = "";
      if (r->line > r->row_line)
        snprintf (spans, sizeof spans, " (the row runs on to line %zu: is a "
                  "quote unbalanced?)", r->line);
      fail (r, AXS_EDOM, "this row has %zu field%s, but the header has %zu%s",
            r->field, r->field == 1 ? "" : "s", t->ncol, spans);
    }
  else if (note_line (t, t->nrow, r->row_line) != AXS_OK)
    fail (r, AXS_ENOMEM, "out of memory");
  else
    t->nrow++;
  r->field = 0;
  if (r->plain)
    r->line = ++r->row_line;      /* the next row is on the next line */
  if (!r->status)
    make_room_for_row (r);
}

static int
is_space_not_tab (unsigned char c)
{
  return c == ' ';
}

/* The delimiter of a header line: the most frequent of , ; and tab outside
   double quotes; comma when there is none. */
static char
detect_delimiter (const char *s, size_t len)
{
  size_t comma = 0, semicolon = 0, tab = 0;
  int quoted = 0;
  for (size_t i = 0; i < len && s[i] != '\n'; i++)
    if (s[i] == '"')
      quoted = !quoted;
    else if (!quoted)
      comma += s[i] == ',', semicolon += s[i] == ';', tab += s[i] == '\t';
  if (tab > comma && tab >= semicolon)
    return '\t';
  if (semicolon > comma)
    return ';';
  return ',';
}

/* libcsv's parser states (csv.c): no row begun yet; inside a field. */
enum { CSV_ROW_NOT_BEGUN = 0, CSV_FIELD_BEGUN = 2 };

static int
quote_open (const struct csv_parser *p)
{
  return p->pstate == CSV_FIELD_BEGUN && p->quoted;
}

/* The first control byte (not tab, CR or LF) in BUF[0..N), or NULL: text
   files have none, so one means binary data (or a file in UTF-16). */
static const char *
find_control (const char *buf, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      unsigned char c = (unsigned char) buf[i];
      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
        return buf + i;
    }
  return NULL;
}

static void
fail_control (reader *r, const char *at)
{
  fail (r, AXS_EDOM, "the file holds a control byte (0x%02x): is it a text "
        "(CSV) file?", (unsigned char) *at);
}

/* What a byte is to a run of plain lines: part of it, the end of a line,
   or (a quote, CR, a control byte) the end of the run. */
enum { PLAIN, END_OF_LINE, NOT_PLAIN };

static const unsigned char byte_class[256] = {
  [0 ... '\t' - 1] = NOT_PLAIN, ['\n'] = END_OF_LINE,
  ['\n' + 1 ... 0x1f] = NOT_PLAIN, ['"'] = NOT_PLAIN, [0x7f] = NOT_PLAIN,
};

/* Whether the 64 bytes at S hold one that may end a run of plain lines:
   a special byte, or a line end before a blank line or a leading space.
   Reads S[64] too.  Written without branches, so that it vectorizes. */
static int
block_may_end_run (const unsigned char *s)
{
  unsigned char stop = 0;
  for (int k = 0; k < 64; k++)
    {
      unsigned char c = s[k], next = s[k + 1];
      stop |= ((c < 0x20) & (c != '\t') & (c != '\n')) | (c == '"') | (c == 0x7f)
              | ((c == '\n') & ((next == '\n') | (next == ' ') | (next == '\t')));
    }
  return stop;
}

/* The length of the run of plain lines at BUF[0..LEN): whole lines (each
   ending in LF) that libcsv makes one row each; 0 when BUF starts with any
   other line.  Blocks of 64 bytes with nothing that could end the run are
   skipped whole; the lines from there on are looked at one by one. */
static size_t
plain_run (const char *buf, size_t len)
{
  const unsigned char *s = (const unsigned char *) buf;
  size_t i = 0, run = 0;
  if (len > 0 && s[0] != '\n' && s[0] != ' ' && s[0] != '\t')
    {
      while (i + 65 <= len && !block_may_end_run (s + i))
        i += 64;
      const unsigned char *nl = i ? memrchr (s, '\n', i) : NULL;
      i = run = nl ? (size_t) (nl - s) + 1 : 0;
    }
  while (i < len)
    {
      if (s[i] == '\n' || s[i] == ' ' || s[i] == '\t')
        break;                  /* blank, or spaces libcsv might skip */
      size_t j = i;
      while (j < len && byte_class[s[j]] == PLAIN)
        j++;
      if (j == len || s[j] != '\n')
        break;                  /* a special byte, or no end of line yet */
      i = run = j + 1;
    }
  return run;
}

/* Feed BUF to the parser, counting lines: runs of plain lines in one
   piece, any other line alone. */
static void
feed (reader *r, struct csv_parser *p, const char *buf, size_t len)
{
  while (len > 0 && !r->status)
    {
      size_t n;
      if (p->pstate == CSV_ROW_NOT_BEGUN && !r->partial
          && (n = plain_run (buf, len)) > 0)
        {
          r->row_line = r->line;
          r->plain = 1;
          if (csv_parse (p, buf, n, on_field, on_row, r) != n)
            fail (r, csv_error (p) == CSV_ENOMEM ? AXS_ENOMEM : AXS_EDOM,
                  "%s", csv_strerror (csv_error (p)));
          r->plain = 0;
          buf += n;
          len -= n;
          continue;
        }
      const char *nl = memchr (buf, '\n', len);
      n = nl ? (size_t) (nl - buf) + 1 : len;
      /* a row starts on the first line fed while no row is begun (libcsv
         skips blank lines, so the next line may start it instead) */
      if (p->pstate == CSV_ROW_NOT_BEGUN && !r->partial)
        r->row_line = r->line;
      const char *control = find_control (buf, n);
      if (control)
        {
          r->row_line = r->line;
          fail_control (r, control);
          return;
        }
      int was_open = quote_open (p);
      if (csv_parse (p, buf, n, on_field, on_row, r) != n)
        {
          fail (r, csv_error (p) == CSV_ENOMEM ? AXS_ENOMEM : AXS_EDOM,
                "%s", csv_strerror (csv_error (p)));
          return;
        }
      if (!was_open && quote_open (p))
        r->quote_line = r->line;
      r->partial = !nl;
      if (nl)
        r->line++;
      buf += n;
      len -= n;
    }
}

/* A piece of the file, parsed by one thread into a table of its own whose
   lines count from 0 at the piece's start. */
typedef struct
{
  const char *buf;
  size_t len;
  axs_table t;            /* shares the file's columns; owns its cells */
  reader r;
  int open;               /* the piece ended inside a row */
  size_t row0, text0, line0;   /* where its rows go in the file's table */
  size_t too_far;         /* its first row too far from its block's base */
} piece;

typedef struct
{
  char delim;
  int nthreads;
  axs_table *table;       /* the file's */
  piece piece[MAX_PIECES];
} pieces;

enum { PARSER_OPTIONS = CSV_STRICT_FINI | CSV_APPEND_NULL };

static void
parser_set_delimiter (struct csv_parser *p, char delim)
{
  csv_set_delim (p, (unsigned char) delim);
  if (delim == '\t')
    csv_set_space_func (p, is_space_not_tab);
}

static void
parse_piece (void *arg, size_t k)
{
  pieces *ps = arg;
  piece *pc = &ps->piece[k];
  pc->t.nrow = pc->t.text_len = pc->t.nrun = 0;
  pc->r = (reader) { .t = &pc->t, .rcap = pc->r.rcap };
  make_room_for_row (&pc->r);
  struct csv_parser p;
  csv_init (&p, PARSER_OPTIONS);
  parser_set_delimiter (&p, ps->delim);
  feed (&pc->r, &p, pc->buf, pc->len);
  pc->open = p.pstate != CSV_ROW_NOT_BEGUN;
  csv_free (&p);
}

/* Copy piece K's rows to their place in the table (row0, text0, line0 set
   by place_pieces), and note the first row, if any, whose cells are too far
   from their block's base for 32 bits. */
static void
place_piece (void *arg, size_t k)
{
  pieces *ps = arg;
  piece *pc = &ps->piece[k];
  axs_table *t = ps->table;
  const axs_table *s = &pc->t;
  size_t nk = t->nkept;
  memcpy (t->text + pc->text0, s->text, s->text_len);
  pc->too_far = SIZE_MAX;
  for (size_t i = 0; i < s->nrow; i++)
    {
      size_t g = pc->row0 + i, from = pc->text0 + s->base[i >> AXS_TABLE_BLOCK_BITS];
      size_t block_base = t->base[g >> AXS_TABLE_BLOCK_BITS];
      const uint32_t *cell = s->cell + i * nk;
      for (size_t c = 0; c < nk; c++)
        {
          size_t off = from + cell[c] - block_base;
          if (off > UINT32_MAX && pc->too_far == SIZE_MAX)
            pc->too_far = i;
          t->cell[g * nk + c] = (uint32_t) off;
        }
    }
}

/* Append pieces 0..N-1, parsed, to R's table: where each goes is counted
   here, their lines noted, the base of each block of rows that starts in
   them set, and the copying done on threads. */
static void
place_pieces (reader *r, pieces *ps, size_t n)
{
  axs_table *t = r->t;
  size_t rows = t->nrow, text = t->text_len, line = r->line;
  for (size_t k = 0; k < n; k++)
    {
      piece *pc = &ps->piece[k];
      pc->row0 = rows;
      pc->text0 = text;
      pc->line0 = line;
      rows += pc->t.nrow;
      text += pc->t.text_len;
      line += pc->r.line;
    }
  if (reserve_rows (r, rows + 1) != AXS_OK
      || grow ((void **) &t->text, &t->text_cap, text + 1, 1) < 0)
    {
      fail (r, AXS_ENOMEM, "out of memory");
      return;
    }
  const size_t block = (size_t) 1 << AXS_TABLE_BLOCK_BITS;
  for (size_t k = 0; k < n; k++)
    {
      const piece *pc = &ps->piece[k];
      const axs_table *s = &pc->t;
      for (size_t q = 0; q < s->nrun; q++)
        if (note_line (t, pc->row0 + s->run[q].row, pc->line0 + s->run[q].line) != AXS_OK)
          {
            fail (r, AXS_ENOMEM, "out of memory");
            return;
          }
      for (size_t i = (block - pc->row0 % block) % block; i < s->nrow; i += block)
        {
          const uint32_t *cell = s->cell + i * t->nkept;
          uint32_t start = t->nkept ? cell[0] : 0;   /* where the row's text starts */
          for (size_t c = 1; c < t->nkept; c++)
            start = cell[c] < start ? cell[c] : start;
          t->base[(pc->row0 + i) >> AXS_TABLE_BLOCK_BITS]
            = pc->text0 + s->base[i >> AXS_TABLE_BLOCK_BITS] + start;
        }
    }
  ps->table = t;
  axs_parallel_for (n, ps->nthreads, place_piece, ps);
  for (size_t k = 0; k < n; k++)
    if (ps->piece[k].too_far != SIZE_MAX)
      {
        r->row_line = ps->piece[k].line0
                      + axs_table_line (&ps->piece[k].t, ps->piece[k].too_far);
        fail (r, AXS_ENOMEM, "the %d rows up to this one hold more than 4 GB "
              "of text", 1 << AXS_TABLE_BLOCK_BITS);
        return;
      }
  t->nrow = rows;
  t->text_len = text;
  r->line = line;
}

/* Parse BUF[0..LEN), whole lines starting where a row may start, in pieces
   on several threads.  A piece is right only if the one before ended
   between rows (not inside a quoted field that spans lines); from the
   first piece that may not be, the rest goes through feed instead. */
static void
parse_pieces (reader *r, struct csv_parser *p, pieces *ps, const char *buf,
              size_t len)
{
  size_t n = 0, want = (len + PIECE - 1) / PIECE;
  if (want > MAX_PIECES)
    want = MAX_PIECES;
  for (size_t k = 0, from = 0; k < want && from < len; k++)
    {
      /* the piece ends with the line that holds byte (k + 1) len / want - 1 */
      size_t to = len * (k + 1) / want;
      const char *nl = to > from ? memchr (buf + to - 1, '\n', len - to + 1) : NULL;
      to = nl ? (size_t) (nl - buf) + 1 : len;
      if (to <= from)
        continue;
      ps->piece[n].buf = buf + from;
      ps->piece[n].len = to - from;
      ps->piece[n].t.ncol = r->t->ncol;
      ps->piece[n].t.nkept = r->t->nkept;
      ps->piece[n].t.slot = r->t->slot;
      n++;
      from = to;
    }
  axs_parallel_for (n, ps->nthreads, parse_piece, ps);
  /* the pieces to keep: up to an error, or up to one that ends inside a
     row (the rest is fed again) */
  size_t keep = 0;
  while (keep < n && !ps->piece[keep].r.status && !ps->piece[keep].open)
    keep++;
  place_pieces (r, ps, keep);
  if (r->status)
    return;
  if (keep < n && ps->piece[keep].r.status)
    {
      const piece *pc = &ps->piece[keep];
      r->status = pc->r.status;
      r->error_line = r->line + pc->r.error_line;
      memcpy (r->error, pc->r.error, sizeof r->error);
      return;
    }
  make_room_for_row (r);
  if (keep < n)
    feed (r, p, ps->piece[keep].buf, (size_t) (buf + len - ps->piece[keep].buf));
}

/* Parse BUF[0..LEN): a stretch of whole lines that starts between rows in
   parallel pieces, the rest through feed.  After a line cut by the end of
   the buffer, or inside a quoted field, lines go to feed one at a time
   until a row may start again. */
static void
parse (reader *r, struct csv_parser *p, pieces *ps, const char *buf, size_t len)
{
  while (len > 0 && !r->status)
    {
      size_t n = len;
      int between_rows = !r->in_header && !r->partial
                         && p->pstate == CSV_ROW_NOT_BEGUN;
      if (ps->nthreads > 1 && !between_rows)
        {
          const char *nl = memchr (buf, '\n', len);
          n = nl ? (size_t) (nl - buf) + 1 : len;
        }
      else if (ps->nthreads > 1)
        {
          const char *nl = memrchr (buf, '\n', len);
          size_t whole = nl ? (size_t) (nl - buf) + 1 : 0;
          if (whole >= PIECE)
            {
              parse_pieces (r, p, ps, buf, whole);
              buf += whole;
              len -= whole;
              continue;
            }
        }
      feed (r, p, buf, n);
      buf += n;
      len -= n;
    }
}

int
axs_table_read (const char *path, const axs_read_options *opt,
                axs_table **out, axs_diag *d)
{
  *out = NULL;
  axs_table *t = calloc (1, sizeof *t);
  int from_stdin = strcmp (path, "-") == 0;
  if (!t || !(t->file = strdup (from_stdin ? "<stdin>" : path)))
    {
      free (t);
      return axs_diag_set (d, AXS_ENOMEM, 0, "out of memory");
    }
  FILE *f = from_stdin ? stdin : fopen (path, "rb");
  if (!f)
    {
      axs_diag_set (d, AXS_EDOM, 0, "%s: %s", path, strerror (errno));
      axs_table_free (t);
      return AXS_EDOM;
    }

  reader r = { .t = t, .opt = opt, .d = d, .line = 1, .row_line = 1, .in_header = 1 };
  struct csv_parser p;
  pieces *ps = calloc (1, sizeof *ps);
  char *buf = malloc (CHUNK);
  size_t len, total = 0;
  if (!buf || !ps)
    fail (&r, AXS_ENOMEM, "out of memory");
  else
    ps->nthreads = axs_parallel_threads ();
  csv_init (&p, PARSER_OPTIONS);
  while (!r.status && (len = fread (buf, 1, CHUNK, f)) > 0)
    {
      char *s = buf;
      if (total == 0)
        {
          if (len >= 3 && memcmp (s, "\xEF\xBB\xBF", 3) == 0)
            s += 3, len -= 3;   /* UTF-8 byte order mark */
          /* a binary file is told apart before its first "line" is parsed
             as a header: look for a control byte in the file's start */
          const char *control = find_control (s, len < BINARY_CHECK ? len : BINARY_CHECK);
          if (control)
            {
              for (const char *q = s; q < control; q++)
                r.line += *q == '\n';
              r.row_line = r.line;
              fail_control (&r, control);
              break;
            }
          ps->delim = opt->delimiter ? opt->delimiter : detect_delimiter (s, len);
          parser_set_delimiter (&p, ps->delim);
        }
      total += len;
      parse (&r, &p, ps, s, len);
    }
  if (!r.status && ferror (f))
    axs_diag_set (d, r.status = AXS_EDOM, 0, "%s: %s", t->file, strerror (errno));
  if (!r.status && quote_open (&p))
    {
      r.row_line = r.quote_line;
      fail (&r, AXS_EDOM, "a quoted field that starts on this line is never "
            "closed: is a quote unbalanced?");
    }
  if (!r.status && csv_fini (&p, on_field, on_row, &r) != 0)
    fail (&r, AXS_EDOM, "%s", csv_strerror (csv_error (&p)));
  if (!r.status && t->ncol == 0)
    axs_diag_set (d, r.status = AXS_EDOM, 0, "%s: the file is empty: a cohort "
                  "file starts with a header row naming its columns", t->file);
  csv_free (&p);
  free (buf);
  for (size_t k = 0; ps && k < MAX_PIECES; k++)
    {
      axs_table *pt = &ps->piece[k].t;
      free (pt->run);
      free (pt->cell);
      free (pt->base);
      free (pt->text);
    }
  free (ps);
  if (!from_stdin)
    fclose (f);
  if (r.status && r.error[0])
    axs_diag_set (d, r.status, 0, "%s:%zu: %s", t->file, r.error_line, r.error);
  if (r.status)
    {
      axs_table_free (t);
      return r.status;
    }
  *out = t;
  return AXS_OK;
}

void
axs_table_free (axs_table *t)
{
  if (!t)
    return;
  for (size_t j = 0; j < t->ncol; j++)
    free (t->names[j]);
  free (t->names);
  free (t->file);
  free (t->run);
  free (t->slot);
  free (t->cell);
  free (t->base);
  free (t->text);
  free (t);
}

void
axs_table_drop_cells (axs_table *t)
{
  if (!t)
    return;
  free (t->run);
  free (t->cell);
  free (t->base);
  free (t->text);
  t->run = NULL;
  t->cell = NULL;
  t->base = NULL;
  t->text = NULL;
  t->nrow = t->text_len = t->text_cap = t->nrun = t->run_cap = 0;
}

size_t
axs_table_line (const axs_table *t, size_t row)
{
  /* the last run that starts at or before ROW (the first starts at row 0) */
  size_t lo = 0, hi = t->nrun;
  while (hi - lo > 1)
    {
      size_t mid = lo + (hi - lo) / 2;
      if (t->run[mid].row <= row)
        lo = mid;
      else
        hi = mid;
    }
  return t->run[lo].line + (row - t->run[lo].row);
}

long
axs_table_column (const axs_table *t, const char *name)
{
  for (size_t j = 0; j < t->ncol; j++)
    if (strcmp (t->names[j], name) == 0)
      return (long) j;
  return -1;
}

int
axs_table_require (const axs_table *t, const char *name, long *col, axs_diag *d)
{
  *col = axs_table_column (t, name);
  if (*col >= 0)
    return AXS_OK;
  char list[1024] = "";
  size_t used = 0;
  char shown[AXS_DIAG_SHOWN];
  for (size_t j = 0; j < t->ncol && used < sizeof list - 1; j++)
    used += (size_t) snprintf (list + used, sizeof list - used, "%s%s",
                               j ? ", " : "", axs_diag_shorten (t->names[j], shown));
  if (used >= sizeof list - 1)
    strcpy (list + sizeof list - 5, "...");
  return axs_diag_set (d, AXS_EINVAL, 1, "%s: no column '%s'; the columns are: %s",
                       t->file, axs_diag_shorten (name, shown), list);
}
