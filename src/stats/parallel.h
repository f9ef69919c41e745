/* parallel.h: a loop over numbered tasks, spread over threads.

   Every task writes only its own slot of the caller's arrays, so what a
   loop computes does not depend on how many threads ran it: callers split
   their work into a fixed number of tasks (not one per thread) and combine
   the slots in task order. */
#ifndef AXS_PARALLEL_H
#define AXS_PARALLEL_H

#include <stddef.h>

/* The threads a command uses: the environment variable AXLSURV_THREADS
   when it holds a number from 1 to 1024, else the cores online (at least
   1). */
int axs_parallel_threads (void);

/* Run TASK (ARG, K) for every K in 0..NTASKS-1 on up to NTHREADS threads,
   the calling one included, and return when all are done.  Tasks start in
   order of K.  A thread that cannot be created leaves its share to the
   others, so the loop itself never fails. */
void axs_parallel_for (size_t ntasks, int nthreads,
                       void (*task) (void *arg, size_t k), void *arg);

#endif
