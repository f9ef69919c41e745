/* axlsurv.c: main: global options and the table of subcommands. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "describe", axs_cmd_describe, "patients, events, follow-up, columns; OS/PFS checks" },
  { "km", axs_cmd_km, "Kaplan-Meier curves per group, with the log-rank test" },
  { "logrank", axs_cmd_logrank, "log-rank and G-rho tests, stratified, for trend" },
  { "cox", axs_cmd_cox, "Cox regression: biomarker adjusted for covariates, PH test, Firth" },
  { "cutpoint", axs_cmd_cutpoint, "best marker cutpoint with search-corrected p-values" },
  { "plot", axs_cmd_plot, "figures as gnuplot scripts or images: km, cutpoint, forest, scan" },
  { "scan", axs_cmd_scan, "many markers at once: Cox and log-rank per gene, q-values" },
  { "simulate", axs_cmd_simulate, "write a synthetic NSCLC-like cohort with AXL and sAXL" },
};

/* The exit status once F is flushed: a write error (stdout on a full disk,
   /dev/full) is reported and fails. */
static int
flushed (FILE *f)
{
  if (fflush (f) == 0 && !ferror (f))
    return AXS_EXIT_OK;
  if (f == stdout)
    fprintf (stderr, "axlsurv: standard output: write error: %s\n", strerror (errno));
  return AXS_EXIT_DATA;
}

static int
usage (FILE *f)
{
  fputs ("Usage: axlsurv COMMAND [OPTIONS] COHORT\n"
         "Survival analysis of cohorts split by a biomarker such as AXL or soluble AXL.\n"
         "\nCommands:\n", f);
  for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
    fprintf (f, "  %-10s %s\n", commands[k].name, commands[k].summary);
  fputs ("\n'axlsurv COMMAND --help' lists a command's options; 'man axlsurv' explains all.\n"
         "COHORT is a CSV file with a header row, or - for standard input.\n"
         "\nExit status: 0 success, 1 the data or the analysis failed, "
         "2 the command line is wrong.\n", f);
  return flushed (f);
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      usage (stderr);
      return AXS_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    return usage (stdout);
  if (strcmp (argv[1], "--version") == 0)
    {
      puts (PACKAGE_STRING);
      return flushed (stdout);
    }
  for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
    if (strcmp (argv[1], commands[k].name) == 0)
      return commands[k].run (argc - 1, argv + 1);
  fprintf (stderr, "axlsurv: unknown command '%s'\n"
           "Try 'axlsurv --help' for the list of commands.\n", argv[1]);
  return AXS_EXIT_USAGE;
}
