/* diag.h: the message a cohort function leaves when it fails.

   The cohort layer knows where every value came from, so it writes the whole
   sentence ("FILE:LINE: column 'os_time': 'abc' is not a number ..."); the cli
   layer adds the program name and chooses the exit status from `usage`. */
#ifndef AXS_DIAG_H
#define AXS_DIAG_H

typedef struct
{
  int usage;          /* nonzero: the command line is at fault, not the data */
  char text[2048];
} axs_diag;

/* Set D's text from FMT (printf-style); returns STATUS so callers can
   `return axs_diag_set (d, AXS_EDOM, 0, ...)`. */
int axs_diag_set (axs_diag *d, int status, int usage, const char *fmt, ...)
  __attribute__ ((format (printf, 4, 5)));

/* A cell or name as a message shows it: itself when short, else its first
   bytes and "...", so a 1 MB cell cannot swamp the message.  BUF has
   AXS_DIAG_SHOWN bytes; returns S or BUF. */
enum { AXS_DIAG_SHOWN = 84 };
const char *axs_diag_shorten (const char *s, char *buf);

#endif
