/* parallel.c: a loop over numbered tasks, spread over threads. */
#include "stats/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

int
axs_parallel_threads (void)
{
  const char *env = getenv ("AXLSURV_THREADS");
  if (env && *env)
    {
      char *end;
      long n = strtol (env, &end, 10);
      if (*end == '\0' && n >= 1 && n <= 1024)
        return (int) n;
    }
  long cores = sysconf (_SC_NPROCESSORS_ONLN);
  return cores > 1 ? (int) (cores < 1024 ? cores : 1024) : 1;
}

typedef struct
{
  void (*task) (void *arg, size_t k);
  void *arg;
  size_t ntasks;
  atomic_size_t next;
} loop;

static void *
worker (void *data)
{
  loop *l = data;
  size_t k;
  while ((k = atomic_fetch_add (&l->next, 1)) < l->ntasks)
    l->task (l->arg, k);
  return NULL;
}

void
axs_parallel_for (size_t ntasks, int nthreads,
                  void (*task) (void *arg, size_t k), void *arg)
{
  loop l = { task, arg, ntasks, 0 };
  size_t extra = nthreads > 1 ? (size_t) nthreads - 1 : 0;
  if (extra > ntasks - (ntasks > 0))
    extra = ntasks - (ntasks > 0);
  pthread_t tid[64];
  if (extra > sizeof tid / sizeof *tid)
    extra = sizeof tid / sizeof *tid;
  size_t started = 0;
  while (started < extra && pthread_create (&tid[started], NULL, worker, &l) == 0)
    started++;
  worker (&l);
  for (size_t t = 0; t < started; t++)
    pthread_join (tid[t], NULL);
}
