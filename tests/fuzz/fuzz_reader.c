/* fuzz_reader.c: libFuzzer target for the cohort reader and the design.

   The input is a cohort file.  It is read with every column kept; when it
   has two or more columns, the first two are taken as time and event, the
   third (if any) as a group and the fourth as a marker cut at its median,
   with strata from the fifth, and the design, Kaplan-Meier and log-rank are
   run on it, as axlsurv km would.  Any crash, sanitizer report or leak is a
   bug: a hostile file must only ever give an error message. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cohort/design.h"
#include "cohort/table.h"
#include "cohort/values.h"
#include "stats/km.h"
#include "stats/logrank.h"
#include "stats/status.h"

static int fd = -1;
static char path[64];

static void
analyse (const axs_table *t, int variant)
{
  axs_na na;
  if (axs_na_init (&na, NULL) != AXS_OK)
    return;
  axs_cut cut = { 0 };
  axs_diag d;
  axs_design_spec spec = { .time = t->names[0], .event = t->names[1], .na = &na };
  if (t->ncol > 2 && variant % 2)
    spec.group = t->names[2];
  if (t->ncol > 3 && variant % 3 == 0
      && axs_cut_parse (variant % 5 ? "median" : "quartiles", &cut, &d) == AXS_OK)
    {
      spec.marker = t->names[3];
      spec.cut = &cut;
      spec.group = NULL;
    }
  if (t->ncol > 4 && variant % 7 == 1)
    spec.strata = t->names[4];
  if (axs_table_column (t, "patient_id") >= 0)
    spec.id = "patient_id";
  if (variant % 11 == 5)
    spec.event_value = "dead";

  axs_design des;
  if (axs_design_build (t, &spec, &des, &d) == AXS_OK)
    {
      axs_km_input in;
      axs_km_input_init (&in);
      in.n = des.n;
      in.time = des.time;
      in.event = des.event;
      in.group = des.group;
      in.ngroups = des.group ? (int) des.groups.n : 1;
      axs_km_result *km;
      if (axs_km_fit (&in, &km) == AXS_OK)
        axs_km_result_free (km);
      if (des.group && des.groups.n >= 2)
        {
          axs_logrank_input li = {
            .n = des.n, .time = des.time, .event = des.event,
            .group = des.group, .ngroups = (int) des.groups.n,
            .strata = des.strata,
            .nstrata = des.strata ? (int) des.strata_levels.n : 1,
            .rho = variant % 2,
          };
          axs_logrank_result *r;
          if (axs_logrank_test (&li, &r) == AXS_OK)
            axs_logrank_result_free (r);
        }
      axs_design_free (&des);
    }
  axs_cut_free (&cut);
  axs_na_free (&na);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (fd < 0)
    {
      fd = memfd_create ("cohort", 0);
      if (fd < 0)
        abort ();
      snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
    }
  if (ftruncate (fd, 0) != 0 || pwrite (fd, data, size, 0) != (ssize_t) size)
    abort ();

  int variant = size ? data[size - 1] : 0;
  axs_read_options opt = { .delimiter = (variant & 1) ? ',' : 0 };
  axs_table *t;
  axs_diag d;
  if (axs_table_read (path, &opt, &t, &d) != AXS_OK)
    return 0;
  if (t->ncol >= 2)
    analyse (t, variant);
  axs_table_free (t);
  return 0;
}
