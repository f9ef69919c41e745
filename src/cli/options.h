/* options.h: what every command shares: the cohort and endpoint options,
   groups, output format and file, messages and exit statuses.

   A command lists the shared option groups it takes (AXS_OPT_*), adds its
   own options, and hands the rest to axs_cli_parse.  Only this layer prints
   to stderr or exits. */
#ifndef AXS_CLI_OPTIONS_H
#define AXS_CLI_OPTIONS_H

#include <getopt.h>
#include <stdio.h>

#include "cohort/design.h"
#include "cohort/table.h"
#include "output/json.h"
#include "output/outfile.h"

enum
{
  AXS_EXIT_OK = 0,
  AXS_EXIT_DATA = 1,      /* the data or the analysis failed */
  AXS_EXIT_USAGE = 2      /* the command line is wrong */
};

/* Shared option groups a command can take. */
enum
{
  AXS_OPT_COHORT = 1 << 0,   /* --delimiter --na --subset */
  AXS_OPT_ENDPOINT = 1 << 1, /* --endpoint --time --event --event-value */
  AXS_OPT_GROUP = 1 << 2,    /* --group --marker --cut --cut-from */
  AXS_OPT_STRATA = 1 << 3,   /* --strata */
  AXS_OPT_OUTPUT = 1 << 4,   /* --format --table -o */
  AXS_OPT_OUTFILE = 1 << 5   /* -o alone, for output of one fixed format */
};

typedef enum { AXS_FORMAT_TEXT, AXS_FORMAT_TSV, AXS_FORMAT_JSON } axs_format;

enum { AXS_MAX_SUBSETS = 16 };

typedef struct
{
  const char *command;          /* for messages: "km" */
  const char *usage;            /* the --help text */
  const char *cohort;           /* the positional COHORT argument */
  /* cohort */
  char delimiter;
  const char *na_list;
  axs_subset subset[AXS_MAX_SUBSETS];
  size_t nsubset;
  /* endpoint */
  const char *endpoint;
  const char *time, *event;
  char time_buf[256], event_buf[256];
  const char *event_value;
  /* groups */
  const char *group, *marker, *cut_spec;
  const char *cut_from;         /* --cut-from FILE: a cut saved by cutpoint -o */
  axs_cut cut;
  char cut_warning[512];        /* set by axs_cli_load after --cut optimal
                                   (also printed): for a json "warnings" */
  const char *strata;
  /* output */
  axs_format format;
  const char *table;
  const char *output;
} axs_cli;

/* A command's own option: the long option and the handler's code. */
typedef int (*axs_cli_handler) (void *ctx, int code, const char *arg);

/* Parse ARGV for command CLI->command: the shared groups in GROUPS, the
   command's own options OWN (terminated by a zero entry; codes >= 512), each
   handed to HANDLE, which returns 0 or calls axs_cli_usage_error.  Exactly
   one positional COHORT is required when NEED_COHORT.  --help prints
   CLI->usage and exits 0. */
void axs_cli_parse (axs_cli *cli, int groups, const struct option *own,
                    axs_cli_handler handle, void *ctx, int need_cohort,
                    int argc, char **argv);

/* Read the cohort and build the design.  SPEC's endpoint, group, strata and
   subset fields are filled from CLI; the caller sets the rest (marker
   without cut, also).  On error prints the message and exits. */
void axs_cli_load (axs_cli *cli, axs_design_spec *spec, axs_table **table,
                   axs_design *design);

/* Messages and exits. */
void axs_cli_usage_error (const axs_cli *cli, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3), noreturn));
void axs_cli_fail (const char *fmt, ...)
  __attribute__ ((format (printf, 1, 2), noreturn));
void axs_cli_fail_diag (const axs_diag *d) __attribute__ ((noreturn));
void axs_cli_warn (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
/* The warnings given so far (at most 64), in order, for a json "warnings". */
char *const *axs_cli_warnings (size_t *n);

/* malloc that ends the run with "out of memory" when it fails. */
void *axs_cli_alloc (size_t size);

/* Strict numbers from option arguments: a usage error names OPTION. */
double axs_cli_number (const axs_cli *cli, const char *option, const char *arg);
long axs_cli_integer (const axs_cli *cli, const char *option, const char *arg,
                      long min, long max);
/* A confidence level in (0, 1). */
double axs_cli_conf_level (const axs_cli *cli, const char *arg);
/* A comma-separated list of numbers into a new array; *N gets its length. */
double *axs_cli_numbers (const axs_cli *cli, const char *option, const char *arg,
                         size_t *n);

/* Output: open -o (or stdout) and commit it; a write error exits 1. */
void axs_cli_output_open (const axs_cli *cli, axs_outfile *out);
void axs_cli_output_commit (const axs_cli *cli, axs_outfile *out);

/* Check --table NAME against the command's NAMES (NULL-terminated); returns
   the index, the default 0 when --table is not given. */
int axs_cli_table_index (const axs_cli *cli, const char *const *names);

/* Free what axs_cli_parse allocated. */
void axs_cli_free (axs_cli *cli);

#endif
