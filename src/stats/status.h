/* status.h: status codes returned by every kernel in stats/ and cohort/. */
#ifndef AXS_STATUS_H
#define AXS_STATUS_H

enum axs_status {
  AXS_OK = 0,      /* success */
  AXS_EINVAL,      /* invalid argument (size, range, NULL) */
  AXS_ENOMEM,      /* out of memory */
  AXS_ESINGULAR,   /* singular matrix: collinear or constant terms */
  AXS_ENOCONV,     /* iteration did not converge */
  AXS_EDOM         /* nothing to compute: no events, empty group, ... */
};

/* A short English phrase for STATUS, for messages in the cli layer. */
const char *axs_strerror (int status);

#endif
