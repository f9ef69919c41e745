/* number.c: shortest round-trip formatting of doubles. */
#include "output/number.h"

#include <stdio.h>
#include <stdlib.h>

char *
axs_format_double (char *buf, double x)
{
  /* 17 digits always round-trip; fewer avoid printing 0.95 as 0.94999999999999996 */
  for (int digits = 15; digits < 17; digits++)
    {
      snprintf (buf, 32, "%.*g", digits, x);
      if (strtod (buf, NULL) == x)
        return buf;
    }
  snprintf (buf, 32, "%.17g", x);
  return buf;
}
