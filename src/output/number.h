/* number.h: doubles written so that they read back exactly. */
#ifndef AXS_NUMBER_H
#define AXS_NUMBER_H

/* Write X into BUF (at least 32 bytes) with the fewest significant digits,
   15 to 17, that strtod reads back as X; returns BUF. */
char *axs_format_double (char *buf, double x);

#endif
