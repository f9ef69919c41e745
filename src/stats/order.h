/* order.h: sort permutations, shared by every kernel that walks data in time order. */
#ifndef AXS_ORDER_H
#define AXS_ORDER_H

#include <stddef.h>

/* Fill ORDER[0..n-1] with the indices of X sorted by ascending value; the sort
   is stable (equal values keep their input order), O(n), and X must hold no NaN.
   Returns AXS_OK, AXS_EINVAL (NULL argument) or AXS_ENOMEM. */
int axs_order (size_t n, const double *x, size_t *order);

/* Sort X[0..n-1] ascending in place, O(n) (the radix sort of axs_order,
   without the indices).  X must hold no NaN.  Returns AXS_OK, AXS_EINVAL
   or AXS_ENOMEM. */
int axs_sort (size_t n, double *x);

/* Fill ORDER[0..n-1] with the indices sorted by stratum, then by TIME within
   a stratum (stable): the order in which the Cox-type kernels walk the risk
   sets.  STRATA[n] may be NULL (one stratum: axs_order of TIME).  TIME must
   hold no NaN.  Returns AXS_OK, AXS_EINVAL or AXS_ENOMEM. */
int axs_order_strata (size_t n, const double *time, const int *strata,
                      size_t *order);

/* The indices of N patients by class (CLASS[i] in 0..NCLASS-1; NULL: one
   class), by time within a class, stably: the walk of a Kaplan-Meier curve
   per group or a log-rank test per stratum.  TIME_ORDER is the stable time
   order when the caller has it (else axs_order of TIME is taken here).
   FIRST[c] is where class c starts, FIRST[NCLASS] = N.  Returns the order,
   and in *OWNED what the caller frees (NULL when the order is TIME_ORDER
   itself); NULL when out of memory. */
const size_t *axs_order_by_class (size_t n, const double *time,
                                  const size_t *time_order, const int *class,
                                  int nclass, size_t *first, size_t **owned);

#endif
