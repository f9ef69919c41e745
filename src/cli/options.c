/* options.c: shared option parsing, cohort loading, messages and exits. */
#include "cli/options.h"
#include "cohort/cutfile.h"
#include "stats/status.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum
{
  OPT_DELIMITER = 256, OPT_NA, OPT_SUBSET,
  OPT_ENDPOINT, OPT_TIME, OPT_EVENT, OPT_EVENT_VALUE,
  OPT_GROUP, OPT_MARKER, OPT_CUT, OPT_CUT_FROM,
  OPT_STRATA,
  OPT_FORMAT, OPT_TABLE, OPT_OUTPUT = 'o',
  OPT_HELP = 300
};

static const struct
{
  int group;
  struct option opt;
} shared_options[] = {
  { AXS_OPT_COHORT, { "delimiter", required_argument, NULL, OPT_DELIMITER } },
  { AXS_OPT_COHORT, { "na", required_argument, NULL, OPT_NA } },
  { AXS_OPT_COHORT, { "subset", required_argument, NULL, OPT_SUBSET } },
  { AXS_OPT_ENDPOINT, { "endpoint", required_argument, NULL, OPT_ENDPOINT } },
  { AXS_OPT_ENDPOINT, { "time", required_argument, NULL, OPT_TIME } },
  { AXS_OPT_ENDPOINT, { "event", required_argument, NULL, OPT_EVENT } },
  { AXS_OPT_ENDPOINT, { "event-value", required_argument, NULL, OPT_EVENT_VALUE } },
  { AXS_OPT_GROUP, { "group", required_argument, NULL, OPT_GROUP } },
  { AXS_OPT_GROUP, { "marker", required_argument, NULL, OPT_MARKER } },
  { AXS_OPT_GROUP, { "cut", required_argument, NULL, OPT_CUT } },
  { AXS_OPT_GROUP, { "cut-from", required_argument, NULL, OPT_CUT_FROM } },
  { AXS_OPT_STRATA, { "strata", required_argument, NULL, OPT_STRATA } },
  { AXS_OPT_OUTPUT, { "format", required_argument, NULL, OPT_FORMAT } },
  { AXS_OPT_OUTPUT, { "table", required_argument, NULL, OPT_TABLE } },
  { AXS_OPT_OUTPUT | AXS_OPT_OUTFILE, { "output", required_argument, NULL, OPT_OUTPUT } },
};

/* The command being run, for the "Try ... --help" hint of usage errors. */
static const char *current_command = "";

static void
vmessage (const char *prefix, const char *fmt, va_list ap)
{
  fflush (stdout);
  fprintf (stderr, "axlsurv: %s", prefix);
  vfprintf (stderr, fmt, ap);
  putc ('\n', stderr);
}

/* End a failed run at once, from however deep: it has written nothing that
   needs finishing (output files are committed only after success), and the
   memory it holds is the system's to reclaim, so leak checkers look only at
   runs that succeed. */
static void __attribute__ ((noreturn))
die (int status)
{
  fflush (stdout);
  _exit (status);
}

void
axs_cli_usage_error (const axs_cli *cli, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vmessage ("", fmt, ap);
  va_end (ap);
  fprintf (stderr, "Try 'axlsurv %s --help' for more information.\n",
           cli && cli->command ? cli->command : current_command);
  die (AXS_EXIT_USAGE);
}

void
axs_cli_fail (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vmessage ("", fmt, ap);
  va_end (ap);
  die (AXS_EXIT_DATA);
}

void
axs_cli_fail_diag (const axs_diag *d)
{
  if (d->usage)
    axs_cli_usage_error (NULL, "%s", d->text);
  axs_cli_fail ("%s", d->text);
}

/* Every warning of the run, for the json "warnings" member. */
enum { MAX_WARNINGS = 64 };
static char *warnings[MAX_WARNINGS];
static size_t nwarnings;

void
axs_cli_warn (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vmessage ("warning: ", fmt, ap);
  va_end (ap);
  if (nwarnings < MAX_WARNINGS)
    {
      va_start (ap, fmt);
      if (vasprintf (&warnings[nwarnings], fmt, ap) >= 0)
        nwarnings++;
      va_end (ap);
    }
}

char *const *
axs_cli_warnings (size_t *n)
{
  *n = nwarnings;
  return warnings;
}

void *
axs_cli_alloc (size_t size)
{
  void *p = malloc (size ? size : 1);
  if (!p)
    axs_cli_fail ("out of memory");
  return p;
}

double
axs_cli_number (const axs_cli *cli, const char *option, const char *arg)
{
  double x;
  if (axs_parse_number (arg, &x) != AXS_OK)
    axs_cli_usage_error (cli, "--%s '%s': not a number", option, arg);
  return x;
}

long
axs_cli_integer (const axs_cli *cli, const char *option, const char *arg,
                 long min, long max)
{
  char *end;
  errno = 0;
  long v = strtol (arg, &end, 10);
  if (end == arg || *end || errno || v < min || v > max)
    axs_cli_usage_error (cli, "--%s '%s': expected a whole number from %ld to %ld",
                         option, arg, min, max);
  return v;
}

double
axs_cli_conf_level (const axs_cli *cli, const char *arg)
{
  double x = axs_cli_number (cli, "conf-level", arg);
  if (!(x > 0 && x < 1))
    axs_cli_usage_error (cli, "--conf-level '%s': must be between 0 and 1, e.g. 0.95", arg);
  return x;
}

double *
axs_cli_numbers (const axs_cli *cli, const char *option, const char *arg, size_t *n)
{
  *n = 1;
  for (const char *p = arg; *p; p++)
    *n += *p == ',';
  double *x = malloc (*n * sizeof *x);
  if (!x)
    axs_cli_fail ("out of memory");
  const char *p = arg;
  for (size_t i = 0; i < *n; i++)
    {
      size_t len = strcspn (p, ",");
      char item[128], shown[AXS_DIAG_SHOWN];
      snprintf (item, sizeof item, "%.*s", (int) (len < 127 ? len : 127), p);
      if (len > 127 || axs_parse_number (item, &x[i]) != AXS_OK)
        axs_cli_usage_error (cli, "--%s '%s': '%s' is not a number", option,
                             axs_diag_shorten (arg, shown), item);
      p += len + 1;
    }
  return x;
}

static axs_format
parse_format (const axs_cli *cli, const char *arg)
{
  static const char *const names[] = { "text", "tsv", "json" };
  for (int k = 0; k < 3; k++)
    if (strcmp (arg, names[k]) == 0)
      return (axs_format) k;
  axs_cli_usage_error (cli, "--format '%s': use text, tsv or json", arg);
}

static char
parse_delimiter (const axs_cli *cli, const char *arg)
{
  if (strcmp (arg, "tab") == 0 || strcmp (arg, "\\t") == 0 || strcmp (arg, "\t") == 0)
    return '\t';
  if (strcmp (arg, ",") == 0 || strcmp (arg, ";") == 0)
    return arg[0];
  axs_cli_usage_error (cli, "--delimiter '%s': use ',', ';' or tab", arg);
}

static void
shared_option (axs_cli *cli, int code, const char *arg)
{
  axs_diag d;
  switch (code)
    {
    case OPT_DELIMITER: cli->delimiter = parse_delimiter (cli, arg); break;
    case OPT_NA: cli->na_list = arg; break;
    case OPT_SUBSET:
      if (cli->nsubset == AXS_MAX_SUBSETS)
        axs_cli_usage_error (cli, "at most %d --subset options", AXS_MAX_SUBSETS);
      if (axs_subset_parse (arg, &cli->subset[cli->nsubset], &d) != AXS_OK)
        axs_cli_fail_diag (&d);
      cli->nsubset++;
      break;
    case OPT_ENDPOINT: cli->endpoint = arg; break;
    case OPT_TIME: cli->time = arg; break;
    case OPT_EVENT: cli->event = arg; break;
    case OPT_EVENT_VALUE: cli->event_value = arg; break;
    case OPT_GROUP: cli->group = arg; break;
    case OPT_MARKER: cli->marker = arg; break;
    case OPT_CUT: cli->cut_spec = arg; break;
    case OPT_CUT_FROM: cli->cut_from = arg; break;
    case OPT_STRATA: cli->strata = arg; break;
    case OPT_FORMAT: cli->format = parse_format (cli, arg); break;
    case OPT_TABLE: cli->table = arg; break;
    case OPT_OUTPUT: cli->output = arg; break;
    }
}

/* --cut-from FILE: the one cut saved by `cutpoint -o`, for the same marker. */
static void
cut_from_file (axs_cli *cli)
{
  axs_diag d;
  char *marker;
  double at;
  if (axs_cutfile_read (cli->cut_from, &marker, &at, &d) != AXS_OK)
    axs_cli_fail_diag (&d);
  if (strcmp (marker, cli->marker) != 0)
    {
      char chosen[256];
      snprintf (chosen, sizeof chosen, "%s", marker);
      free (marker);
      axs_cli_usage_error (cli, "--cut-from %s: the cut was chosen for marker '%s', "
                           "not for --marker '%s'", cli->cut_from, chosen, cli->marker);
    }
  free (marker);
  if (!(cli->cut.at = malloc (sizeof *cli->cut.at)))
    axs_cli_fail ("out of memory");
  cli->cut.kind = AXS_CUT_VALUES;
  cli->cut.n = 1;
  cli->cut.at[0] = at;
}

/* Checks that need every option seen. */
static void
check_shared (axs_cli *cli, int groups)
{
  axs_diag d;
  if (groups & AXS_OPT_ENDPOINT)
    {
      if ((cli->time != NULL) != (cli->event != NULL))
        axs_cli_usage_error (cli, "--time and --event go together");
      if (cli->time && cli->endpoint)
        axs_cli_usage_error (cli, "give either --endpoint or --time and --event, not both");
      if (!cli->time)
        {
          const char *e = cli->endpoint ? cli->endpoint : "os";
          snprintf (cli->time_buf, sizeof cli->time_buf, "%s_time", e);
          snprintf (cli->event_buf, sizeof cli->event_buf, "%s_event", e);
          cli->time = cli->time_buf;
          cli->event = cli->event_buf;
        }
    }
  if (cli->group && cli->marker)
    axs_cli_usage_error (cli, "give either --group or --marker, not both");
  if (cli->cut_spec && cli->cut_from)
    axs_cli_usage_error (cli, "give either --cut or --cut-from, not both");
  if (cli->cut_spec && !cli->marker)
    axs_cli_usage_error (cli, "--cut needs --marker");
  if (cli->cut_from && !cli->marker)
    axs_cli_usage_error (cli, "--cut-from needs --marker (the marker the cut was chosen for)");
  if (cli->marker && (groups & AXS_OPT_GROUP) && cli->cut_from)
    cut_from_file (cli);
  else if (cli->marker && (groups & AXS_OPT_GROUP)
           && axs_cut_parse (cli->cut_spec ? cli->cut_spec : "median", &cli->cut, &d) != AXS_OK)
    axs_cli_fail_diag (&d);
}

void
axs_cli_parse (axs_cli *cli, int groups, const struct option *own,
               axs_cli_handler handle, void *ctx, int need_cohort,
               int argc, char **argv)
{
  enum { MAX_OPTIONS = 96 };
  struct option all[MAX_OPTIONS];
  size_t n = 0;
  char shortopts[8] = "";
  for (size_t k = 0; k < sizeof shared_options / sizeof *shared_options; k++)
    if (shared_options[k].group & groups)
      all[n++] = shared_options[k].opt;
  if (groups & (AXS_OPT_OUTPUT | AXS_OPT_OUTFILE))
    strcpy (shortopts, "o:");
  for (; own && own->name && n < MAX_OPTIONS - 2; own++)
    all[n++] = *own;
  all[n++] = (struct option) { "help", no_argument, NULL, OPT_HELP };
  all[n] = (struct option) { 0 };

  current_command = cli->command;
  opterr = 0;
  optind = 1;
  int c;
  while ((c = getopt_long (argc, argv, shortopts, all, NULL)) != -1)
    {
      if (c == OPT_HELP)
        {
          fputs (cli->usage, stdout);
          if (fflush (stdout) != 0 || ferror (stdout))
            axs_cli_fail ("standard output: write error: %s", strerror (errno));
          exit (AXS_EXIT_OK);
        }
      if (c == '?' || c == ':')
        {
          const char *arg = argv[optind - 1];
          if (optopt && strchr (shortopts, optopt))
            axs_cli_usage_error (cli, "option '-%c' needs an argument", optopt);
          for (size_t k = 0; k < n; k++)
            if (all[k].has_arg == required_argument && optopt == all[k].val
                && optopt)
              axs_cli_usage_error (cli, "option '--%s' needs an argument", all[k].name);
          axs_cli_usage_error (cli, "unknown option '%s'", arg);
        }
      if (c < 512)
        shared_option (cli, c, optarg);
      else
        handle (ctx, c, optarg);
    }
  if (need_cohort)
    {
      if (optind == argc)
        axs_cli_usage_error (cli, "no COHORT file given (use - for standard input)");
      if (optind + 1 < argc)
        axs_cli_usage_error (cli, "one COHORT file at a time; '%s' is extra", argv[optind + 1]);
      cli->cohort = argv[optind];
    }
  else if (optind < argc)
    axs_cli_usage_error (cli, "unexpected argument '%s'", argv[optind]);
  check_shared (cli, groups);
}

void
axs_cli_load (axs_cli *cli, axs_design_spec *spec, axs_table **table,
              axs_design *design)
{
  axs_na na;
  if (axs_na_init (&na, cli->na_list) != AXS_OK)
    axs_cli_fail ("out of memory");
  spec->time = cli->time;
  spec->event = cli->event;
  spec->event_value = cli->event_value;
  spec->na = &na;
  spec->subset = cli->subset;
  spec->nsubset = cli->nsubset;
  spec->group = cli->group;
  if (cli->marker)
    spec->marker = cli->marker;
  if (cli->marker && cli->cut.n)
    spec->cut = &cli->cut;
  spec->strata = cli->strata;

  /* read only the columns the analysis uses */
  const char *keep[128];
  size_t nkeep = 0;
  const char *named[] = { spec->time, spec->event, spec->group, spec->marker, spec->strata };
  for (size_t k = 0; k < sizeof named / sizeof *named; k++)
    if (named[k])
      keep[nkeep++] = named[k];
  for (size_t k = 0; k < spec->nsubset && nkeep < 128; k++)
    keep[nkeep++] = spec->subset[k].column;
  for (size_t k = 0; k < spec->nalso && nkeep < 128; k++)
    keep[nkeep++] = spec->also[k];

  /* a column of patient ids, when the file has one, must not repeat an id
     among the patients analysed (a row entered twice would count twice) */
  axs_read_options ro = { cli->delimiter, keep, nkeep, axs_id_columns,
                          AXS_NID_COLUMNS };
  axs_diag d;
  int status = axs_table_read (cli->cohort, &ro, table, &d);
  if (status == AXS_OK && !spec->id)
    spec->id = axs_design_id_column (*table);
  if (status != AXS_OK
      || axs_design_build (*table, spec, design, &d) != AXS_OK)
    {
      axs_na_free (&na);
      axs_cli_fail_diag (&d);
    }
  axs_na_free (&na);
  spec->na = NULL;
  if (spec->cut && spec->cut->kind == AXS_CUT_OPTIMAL)
    {
      snprintf (cli->cut_warning, sizeof cli->cut_warning,
                "--cut optimal: marker '%s' is cut at %.10g, the cut that best "
                "separates these patients' survival; p-values here are not "
                "corrected for that choice (use 'axlsurv cutpoint' for "
                "corrected ones)", cli->marker, design->cuts[0]);
      axs_cli_warn ("%s", cli->cut_warning);
    }
  if (design->n_excluded)
    axs_cli_warn ("%s: %zu row%s left out for a missing value", (*table)->file,
                  design->n_excluded, design->n_excluded == 1 ? "" : "s");
}

void
axs_cli_output_open (const axs_cli *cli, axs_outfile *out)
{
  if (axs_outfile_open (out, cli->output) != 0)
    axs_cli_fail ("%s: cannot write: %s", cli->output, strerror (errno));
}

void
axs_cli_output_commit (const axs_cli *cli, axs_outfile *out)
{
  if (axs_outfile_commit (out) != 0)
    axs_cli_fail ("%s: write error: %s", cli->output ? cli->output : "standard output",
                  strerror (errno));
}

int
axs_cli_table_index (const axs_cli *cli, const char *const *names)
{
  if (!cli->table)
    return 0;
  for (int k = 0; names[k]; k++)
    if (strcmp (cli->table, names[k]) == 0)
      return k;
  char list[256] = "";
  for (int k = 0; names[k]; k++)
    snprintf (list + strlen (list), sizeof list - strlen (list), "%s%s",
              k ? ", " : "", names[k]);
  axs_cli_usage_error (cli, "--table '%s': use one of %s", cli->table, list);
}

void
axs_cli_free (axs_cli *cli)
{
  for (size_t k = 0; k < cli->nsubset; k++)
    axs_subset_free (&cli->subset[k]);
  axs_cut_free (&cli->cut);
}
