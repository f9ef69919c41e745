/* status.c: messages for the status codes. */
#include "stats/status.h"

const char *
axs_strerror (int status)
{
  switch (status)
    {
    case AXS_OK: return "success";
    case AXS_EINVAL: return "invalid argument";
    case AXS_ENOMEM: return "out of memory";
    case AXS_ESINGULAR: return "singular matrix (collinear or constant terms)";
    case AXS_ENOCONV: return "the iteration did not converge";
    case AXS_EDOM: return "nothing to compute";
    default: return "unknown error";
    }
}
