/* json.h: a streaming JSON writer.

   Members of objects and elements of arrays go on lines of their own,
   indented; an object begun with axs_json_begin_row stays on one line, which
   keeps long arrays of small records (curve points, profiles) readable.
   Doubles are written with 17 significant digits so they read back exactly;
   NaN and infinities are written as null. */
#ifndef AXS_JSON_H
#define AXS_JSON_H

#include <stdio.h>

enum { AXS_JSON_MAX_DEPTH = 32 };

typedef struct
{
  FILE *f;
  int depth;
  int count[AXS_JSON_MAX_DEPTH];     /* members written at each depth */
  int inline_from;                   /* depth of the outermost row, or 0 */
} axs_json;

void axs_json_init (axs_json *j, FILE *f);

/* KEY names the member in an object; pass NULL for an array element or the
   top-level value. */
void axs_json_begin_object (axs_json *j, const char *key);
void axs_json_begin_row (axs_json *j, const char *key);
void axs_json_end_object (axs_json *j);
void axs_json_begin_array (axs_json *j, const char *key);
void axs_json_end_array (axs_json *j);

void axs_json_number (axs_json *j, const char *key, double x);
void axs_json_int (axs_json *j, const char *key, long long x);
void axs_json_string (axs_json *j, const char *key, const char *s);
void axs_json_bool (axs_json *j, const char *key, int b);
void axs_json_null (axs_json *j, const char *key);

/* Finish the document (a newline after the top-level value). */
void axs_json_finish (axs_json *j);

#endif
