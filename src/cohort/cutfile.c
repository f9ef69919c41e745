/* cutfile.c: the "marker" and "cutpoint" of a saved cutpoint json document. */
#include "cohort/cutfile.h"
#include "stats/status.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 64 };

typedef struct
{
  const char *path;
  const char *s, *p, *end;
  const char *why;            /* the first syntax error, or NULL */
} parser;

static int read_value (parser *ps, int depth, char **string, double *number,
                       int *kind);

enum { KIND_OTHER, KIND_STRING, KIND_NUMBER };

static void
skip_space (parser *ps)
{
  while (ps->p < ps->end
         && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}

static int
bad (parser *ps, const char *why)
{
  if (!ps->why)
    ps->why = why;
  return -1;
}

static size_t
put_utf8 (char *out, unsigned long c)
{
  if (c < 0x80)
    return out[0] = (char) c, 1;
  if (c < 0x800)
    {
      out[0] = (char) (0xC0 | (c >> 6));
      out[1] = (char) (0x80 | (c & 0x3F));
      return 2;
    }
  if (c < 0x10000)
    {
      out[0] = (char) (0xE0 | (c >> 12));
      out[1] = (char) (0x80 | ((c >> 6) & 0x3F));
      out[2] = (char) (0x80 | (c & 0x3F));
      return 3;
    }
  out[0] = (char) (0xF0 | (c >> 18));
  out[1] = (char) (0x80 | ((c >> 12) & 0x3F));
  out[2] = (char) (0x80 | ((c >> 6) & 0x3F));
  out[3] = (char) (0x80 | (c & 0x3F));
  return 4;
}

static int
hex4 (parser *ps, unsigned long *c)
{
  if (ps->end - ps->p < 4)
    return bad (ps, "a broken \\u escape");
  *c = 0;
  for (int k = 0; k < 4; k++)
    {
      char h = *ps->p++;
      int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
              : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
      if (v < 0)
        return bad (ps, "a broken \\u escape");
      *c = *c * 16 + (unsigned long) v;
    }
  return 0;
}

/* A string at ps->p (the opening quote); decoded into *OUT when OUT. */
static int
read_string (parser *ps, char **out)
{
  ps->p++;
  const char *start = ps->p;
  char *buf = NULL, *q = NULL;
  if (out)
    {
      /* decoding never makes a string longer than its escaped form */
      const char *e = start;
      while (e < ps->end && *e != '"')
        e += *e == '\\' && e + 1 < ps->end ? 2 : 1;
      if (!(buf = q = malloc ((size_t) (e - start) + 1)))
        return -2;
    }
  while (ps->p < ps->end && *ps->p != '"')
    {
      unsigned char ch = (unsigned char) *ps->p++;
      if (ch < 0x20)
        {
          free (buf);
          return bad (ps, "a control character inside a string");
        }
      if (ch != '\\')
        {
          if (q)
            *q++ = (char) ch;
          continue;
        }
      if (ps->p == ps->end)
        break;
      char e = *ps->p++;
      const char *plain = strchr ("\"\\/bfnrt", e);
      if (e && plain)
        {
          if (q)
            *q++ = "\"\\/\b\f\n\r\t"[plain - "\"\\/bfnrt"];
          continue;
        }
      unsigned long c, low;
      if (e != 'u' || hex4 (ps, &c) != 0)
        {
          free (buf);
          return bad (ps, "a bad escape inside a string");
        }
      if (c >= 0xD800 && c < 0xDC00 && ps->end - ps->p >= 6 && ps->p[0] == '\\'
          && ps->p[1] == 'u')
        {
          ps->p += 2;
          if (hex4 (ps, &low) != 0 || low < 0xDC00 || low > 0xDFFF)
            {
              free (buf);
              return bad (ps, "a broken surrogate pair");
            }
          c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        }
      if (q)
        q += put_utf8 (q, c);
    }
  if (ps->p == ps->end)
    {
      free (buf);
      return bad (ps, "a string that never ends");
    }
  ps->p++;
  if (out)
    {
      *q = 0;
      *out = buf;
    }
  return 0;
}

static int
read_number (parser *ps, double *x)
{
  const char *start = ps->p;
  if (ps->p < ps->end && *ps->p == '-')
    ps->p++;
  size_t digits = 0;
  while (ps->p < ps->end && strchr ("0123456789.eE+-", *ps->p) && *ps->p)
    digits += *ps->p++ >= '0';
  if (digits == 0 || ps->p - start > 63)
    return bad (ps, "an unexpected character");
  char text[64];
  memcpy (text, start, (size_t) (ps->p - start));
  text[ps->p - start] = 0;
  char *end;
  *x = strtod (text, &end);
  if (*end)
    return bad (ps, "a malformed number");
  return 0;
}

static int
read_literal (parser *ps, const char *word)
{
  size_t len = strlen (word);
  if ((size_t) (ps->end - ps->p) < len || strncmp (ps->p, word, len) != 0)
    return bad (ps, "an unexpected character");
  ps->p += len;
  return 0;
}

/* An object or array at ps->p.  At DEPTH 0 (the document's object) the
   members "marker" and "cutpoint" are kept. */
static int
read_container (parser *ps, int depth, char **marker, double *cut, int *have)
{
  char close = *ps->p == '{' ? '}' : ']';
  int object = close == '}';
  if (depth >= MAX_DEPTH)
    return bad (ps, "nesting too deep");
  ps->p++;
  skip_space (ps);
  if (ps->p < ps->end && *ps->p == close)
    {
      ps->p++;
      return 0;
    }
  for (;;)
    {
      char *key = NULL;
      int status;
      skip_space (ps);
      if (object)
        {
          if (ps->p == ps->end || *ps->p != '"')
            return bad (ps, "a member name was expected");
          if ((status = read_string (ps, depth == 0 ? &key : NULL)) != 0)
            return status;
          skip_space (ps);
          if (ps->p == ps->end || *ps->p != ':')
            {
              free (key);
              return bad (ps, "':' was expected");
            }
          ps->p++;
        }
      char *string = NULL;
      double number = NAN;
      int kind;
      status = read_value (ps, depth + 1, key ? &string : NULL, &number, &kind);
      if (status == 0 && key && strcmp (key, "marker") == 0 && kind == KIND_STRING)
        {
          free (*marker);
          *marker = string;
          string = NULL;
          *have |= 1;
        }
      else if (status == 0 && key && strcmp (key, "cutpoint") == 0)
        {
          *cut = kind == KIND_NUMBER ? number : NAN;
          *have |= 2;
        }
      free (string);
      free (key);
      if (status != 0)
        return status;
      skip_space (ps);
      if (ps->p < ps->end && *ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (ps->p < ps->end && *ps->p == close)
        {
          ps->p++;
          return 0;
        }
      return bad (ps, object ? "',' or '}' was expected" : "',' or ']' was expected");
    }
}

static int
read_value (parser *ps, int depth, char **string, double *number, int *kind)
{
  skip_space (ps);
  *kind = KIND_OTHER;
  if (ps->p == ps->end)
    return bad (ps, "the document ends too early");
  char c = *ps->p;
  if (c == '{' || c == '[')
    {
      char *ignored = NULL;
      double ignored_cut;
      int have = 0;
      return read_container (ps, depth, &ignored, &ignored_cut, &have);
    }
  if (c == '"')
    {
      *kind = KIND_STRING;
      return read_string (ps, string);
    }
  if (c == 't')
    return read_literal (ps, "true");
  if (c == 'f')
    return read_literal (ps, "false");
  if (c == 'n')
    return read_literal (ps, "null");
  *kind = KIND_NUMBER;
  return read_number (ps, number);
}

static size_t
line_of (const parser *ps)
{
  size_t line = 1;
  for (const char *q = ps->s; q < ps->p && q < ps->end; q++)
    line += *q == '\n';
  return line;
}

static int
parse (parser *ps, char **marker, double *cut, axs_diag *d)
{
  int have = 0;
  skip_space (ps);
  int status = ps->p < ps->end && *ps->p == '{'
               ? read_container (ps, 0, marker, cut, &have)
               : bad (ps, "a json object was expected");
  if (status == 0)
    {
      skip_space (ps);
      if (ps->p != ps->end)
        status = bad (ps, "text after the json object");
    }
  if (status == -2)
    return axs_diag_set (d, AXS_ENOMEM, 0, "out of memory");
  if (status != 0)
    return axs_diag_set (d, AXS_EDOM, 0,
                         "%s:%zu: not a cutpoint file written by 'axlsurv cutpoint "
                         "--format json -o FILE': %s", ps->path, line_of (ps),
                         ps->why);
  if (have != 3)
    return axs_diag_set (d, AXS_EDOM, 0,
                         "%s: not a cutpoint file written by 'axlsurv cutpoint "
                         "--format json -o FILE': no \"%s\" member", ps->path,
                         have & 1 ? "cutpoint" : "marker");
  if (!isfinite (*cut))
    return axs_diag_set (d, AXS_EDOM, 0, "%s: the \"cutpoint\" member is not a "
                         "finite number", ps->path);
  return AXS_OK;
}

int
axs_cutfile_read (const char *path, char **marker, double *cut, axs_diag *d)
{
  *marker = NULL;
  *cut = NAN;
  FILE *f = fopen (path, "rb");
  if (!f)
    return axs_diag_set (d, AXS_EDOM, 0, "%s: %s", path, strerror (errno));
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc (cap);
  while (buf)
    {
      len += fread (buf + len, 1, cap - len, f);
      if (len < cap)
        break;
      char *more = realloc (buf, cap *= 2);
      if (!more)
        free (buf);
      buf = more;
    }
  int failed = ferror (f);
  int saved = errno;
  fclose (f);
  if (!buf)
    return axs_diag_set (d, AXS_ENOMEM, 0, "out of memory");
  if (failed)
    {
      free (buf);
      return axs_diag_set (d, AXS_EDOM, 0, "%s: %s", path, strerror (saved));
    }
  parser ps = { path, buf, buf, buf + len, NULL };
  int status = parse (&ps, marker, cut, d);
  free (buf);
  if (status != AXS_OK)
    {
      free (*marker);
      *marker = NULL;
    }
  return status;
}
