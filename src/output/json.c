/* json.c: the streaming JSON writer. */
#include "output/json.h"
#include "output/number.h"

#include <math.h>
#include <string.h>

void
axs_json_init (axs_json *j, FILE *f)
{
  memset (j, 0, sizeof *j);
  j->f = f;
}

static void
write_string (FILE *f, const char *s)
{
  putc ('"', f);
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    if (*p == '"' || *p == '\\')
      fprintf (f, "\\%c", *p);
    else if (*p == '\n')
      fputs ("\\n", f);
    else if (*p == '\t')
      fputs ("\\t", f);
    else if (*p < 0x20)
      fprintf (f, "\\u%04x", *p);
    else
      putc (*p, f);
  putc ('"', f);
}

/* The separator, line break and key before a value at the current depth. */
static void
begin_value (axs_json *j, const char *key)
{
  int first = j->count[j->depth]++ == 0;
  if (j->depth > 0)
    {
      if (!first)
        putc (',', j->f);
      if (j->inline_from && j->depth >= j->inline_from)
        {
          if (!first)
            putc (' ', j->f);
        }
      else
        fprintf (j->f, "\n%*s", 2 * j->depth, "");
    }
  if (key)
    {
      write_string (j->f, key);
      fputs (": ", j->f);
    }
}

static void
open_container (axs_json *j, const char *key, char bracket)
{
  begin_value (j, key);
  putc (bracket, j->f);
  if (j->depth + 1 < AXS_JSON_MAX_DEPTH)
    j->depth++;
  j->count[j->depth] = 0;
}

static void
close_container (axs_json *j, char bracket)
{
  int empty = j->count[j->depth] == 0;
  int was_inline = j->inline_from && j->depth >= j->inline_from;
  if (j->inline_from == j->depth)
    j->inline_from = 0;
  j->depth--;
  if (!empty && !was_inline)
    fprintf (j->f, "\n%*s", 2 * j->depth, "");
  putc (bracket, j->f);
}

void
axs_json_begin_object (axs_json *j, const char *key)
{
  open_container (j, key, '{');
}

void
axs_json_begin_row (axs_json *j, const char *key)
{
  open_container (j, key, '{');
  if (!j->inline_from)
    j->inline_from = j->depth;
}

void
axs_json_end_object (axs_json *j)
{
  close_container (j, '}');
}

void
axs_json_begin_array (axs_json *j, const char *key)
{
  open_container (j, key, '[');
}

void
axs_json_end_array (axs_json *j)
{
  close_container (j, ']');
}

void
axs_json_number (axs_json *j, const char *key, double x)
{
  begin_value (j, key);
  char buf[32];
  if (isfinite (x))
    fputs (axs_format_double (buf, x), j->f);
  else
    fputs ("null", j->f);
}

void
axs_json_int (axs_json *j, const char *key, long long x)
{
  begin_value (j, key);
  fprintf (j->f, "%lld", x);
}

void
axs_json_string (axs_json *j, const char *key, const char *s)
{
  begin_value (j, key);
  if (s)
    write_string (j->f, s);
  else
    fputs ("null", j->f);
}

void
axs_json_bool (axs_json *j, const char *key, int b)
{
  begin_value (j, key);
  fputs (b ? "true" : "false", j->f);
}

void
axs_json_null (axs_json *j, const char *key)
{
  begin_value (j, key);
  fputs ("null", j->f);
}

void
axs_json_finish (axs_json *j)
{
  putc ('\n', j->f);
}
