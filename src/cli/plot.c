/* plot.c: axlsurv plot KIND: figures as gnuplot scripts, or images drawn by gnuplot.

   Each figure kind is a row of the table `kinds` and a function that parses
   its options (the common ones with plot_common_option), makes its results
   and hands a writer from output/gnuplot.h to plot_emit, which writes the
   script (-o or standard output) and/or runs gnuplot (--render). */
#include "cli/commands.h"
#include "cli/coxfit.h"
#include "cli/km.h"
#include "cli/options.h"
#include "cli/scan.h"
#include "cli/survival.h"
#include "output/gnuplot.h"
#include "output/gnuplot_cutpoint.h"
#include "output/gnuplot_forest.h"
#include "output/gnuplot_scan.h"
#include "stats/cox.h"
#include "stats/maxstat.h"
#include "stats/status.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- what every figure shares ------------------------------------------ */

enum
{
  OPT_TERMINAL = 600, OPT_SIZE, OPT_RENDER, OPT_TITLE, OPT_XLABEL, OPT_YLABEL,
  OPT_COMMON_END
};

#define PLOT_COMMON_OPTIONS \
  { "terminal", required_argument, NULL, OPT_TERMINAL }, \
  { "size", required_argument, NULL, OPT_SIZE }, \
  { "render", required_argument, NULL, OPT_RENDER }, \
  { "title", required_argument, NULL, OPT_TITLE }, \
  { "xlabel", required_argument, NULL, OPT_XLABEL }, \
  { "ylabel", required_argument, NULL, OPT_YLABEL }

#define PLOT_USAGE_LABELS \
  "  --title TEXT          a title over the figure (default: none)\n" \
  "  --xlabel TEXT, --ylabel TEXT  the axis labels\n"
#define PLOT_USAGE_OUTPUT \
  "Output:\n" \
  "  --terminal T          png (default), svg or pdf (gnuplot's cairo terminals)\n" \
  "  --size W,H            printed size in inches, or W,Hcm in centimetres\n" \
  "                        (default 6,5, taller when the figure needs it); a PNG\n" \
  "                        has 300 pixels per inch\n" \
  "  --render FILE         run gnuplot to write the image FILE (the terminal\n" \
  "                        follows its extension .png, .svg or .pdf); the script\n" \
  "                        is then written only with -o\n" \
  "  -o, --output FILE     write the script to FILE (atomically) instead of\n" \
  "                        standard output; it draws FILE with .png (.svg, .pdf)\n" \
  "                        in place of .gp\n" \
  "  --help                show this help\n" \
  "Environment: GNUPLOT names the gnuplot program --render runs (default gnuplot).\n"

typedef struct
{
  axs_cli cli;
  axs_gp_page page;
  int terminal_given, size_given;
  const char *render;
  const char *title, *xlabel, *ylabel;
} plot_common;

static const char *const extensions[] = { ".png", ".svg", ".pdf" };

static void
plot_common_init (plot_common *pc, const char *command, const char *usage)
{
  *pc = (plot_common) { .cli = { .command = command, .usage = usage } };
  axs_gp_page_init (&pc->page);
}

/* --size W,H or W,Hcm: inches (or centimetres) from 1 to 50 inches. */
static void
parse_size (plot_common *pc, const char *arg)
{
  char buf[64];
  snprintf (buf, sizeof buf, "%s", arg);
  double unit = 1;
  size_t len = strlen (buf);
  if (len > 2 && strcmp (buf + len - 2, "cm") == 0)
    unit = 1 / 2.54, buf[len - 2] = 0;
  else if (len > 2 && strcmp (buf + len - 2, "in") == 0)
    buf[len - 2] = 0;
  char *comma = strchr (buf, ',');
  double w, h;
  if (!comma || (*comma = 0, axs_parse_number (buf, &w) != AXS_OK)
      || axs_parse_number (comma + 1, &h) != AXS_OK
      || !(w * unit >= 1 && w * unit <= 50 && h * unit >= 1 && h * unit <= 50))
    axs_cli_usage_error (&pc->cli, "--size '%s': give width and height in inches, "
                         "e.g. 6,5, or in centimetres, e.g. 15,12cm (1 to 50 inches)",
                         arg);
  pc->page.width = w * unit;
  pc->page.height = h * unit;
}

/* Take a common option; returns 1 if CODE was one. */
static int
plot_common_option (plot_common *pc, int code, const char *arg)
{
  switch (code)
    {
    case OPT_TERMINAL:
      for (int k = 0; axs_gp_terminal_names[k]; k++)
        if (strcmp (arg, axs_gp_terminal_names[k]) == 0)
          {
            pc->page.terminal = (axs_gp_terminal) k;
            pc->terminal_given = 1;
            return 1;
          }
      axs_cli_usage_error (&pc->cli, "--terminal '%s': use png, svg or pdf", arg);
    case OPT_SIZE:
      parse_size (pc, arg);
      pc->size_given = 1;
      return 1;
    case OPT_RENDER: pc->render = arg; return 1;
    case OPT_TITLE: pc->title = arg; return 1;
    case OPT_XLABEL: pc->xlabel = arg; return 1;
    case OPT_YLABEL: pc->ylabel = arg; return 1;
    }
  return 0;
}

static int
ends_with (const char *s, const char *tail)
{
  size_t n = strlen (s), m = strlen (tail);
  return n >= m && strcasecmp (s + n - m, tail) == 0;
}

/* Checks that need every option seen: the terminal from --render's name. */
static void
plot_common_check (plot_common *pc)
{
  if (!pc->render)
    return;
  if (!*pc->render || strcmp (pc->render, "-") == 0)
    axs_cli_usage_error (&pc->cli, "--render needs a file name, e.g. figure.png");
  for (int k = 0; k < 3; k++)
    if (ends_with (pc->render, extensions[k]))
      {
        if (pc->terminal_given && (int) pc->page.terminal != k)
          axs_cli_usage_error (&pc->cli, "--render '%s' is a %s name but --terminal is %s",
                               pc->render, axs_gp_terminal_names[k],
                               axs_gp_terminal_names[pc->page.terminal]);
        pc->page.terminal = (axs_gp_terminal) k;
        return;
      }
  if (!pc->terminal_given)
    axs_cli_usage_error (&pc->cli, "--render '%s': name the image .png, .svg or .pdf, "
                         "or give --terminal", pc->render);
}

typedef int (*plot_writer) (FILE *f, const axs_gp_page *page, const void *figure);

/* The gnuplot program, found on PATH as execvp would; NULL if missing. */
static const char *
find_gnuplot (void)
{
  const char *prog = getenv ("GNUPLOT");
  if (!prog || !*prog)
    prog = "gnuplot";
  if (strchr (prog, '/'))
    return access (prog, X_OK) == 0 ? prog : NULL;
  const char *path = getenv ("PATH");
  if (!path)
    path = "/usr/bin:/bin";
  while (*path)
    {
      size_t len = strcspn (path, ":");
      char full[4096];
      snprintf (full, sizeof full, "%.*s/%s", (int) len, len ? path : ".", prog);
      if (access (full, X_OK) == 0)
        return prog;
      path += len + (path[len] == ':');
    }
  return NULL;
}

/* Write SCRIPT to PROG's standard input; returns its exit status, or -1 if
   it could not be run (errno). */
static int
run_gnuplot (const char *prog, const char *script, size_t len)
{
  int fd[2];
  if (pipe (fd) != 0)
    return -1;
  fflush (NULL);
  pid_t pid = fork ();
  if (pid < 0)
    return -1;
  if (pid == 0)
    {
      dup2 (fd[0], 0);
      close (fd[0]);
      close (fd[1]);
      /* gnuplot's own messages belong on stderr, not in our stdout */
      dup2 (2, 1);
      execlp (prog, prog, (char *) NULL);
      _exit (127);
    }
  close (fd[0]);
  /* a gnuplot that stops reading must not kill us: its status tells why */
  void (*old_pipe) (int) = signal (SIGPIPE, SIG_IGN);
  int write_failed = 0;
  for (size_t done = 0; done < len;)
    {
      ssize_t k = write (fd[1], script + done, len - done);
      if (k < 0 && errno == EINTR)
        continue;
      if (k <= 0)
        {
          write_failed = 1;   /* gnuplot stopped reading: its status tells why */
          break;
        }
      done += (size_t) k;
    }
  close (fd[1]);
  signal (SIGPIPE, old_pipe);
  int status;
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  if (WIFEXITED (status))
    return WEXITSTATUS (status) ? WEXITSTATUS (status) : write_failed;
  return 128 + (WIFSIGNALED (status) ? WTERMSIG (status) : 0);
}

/* The script of FIGURE drawn by WRITE into a new string. */
static char *
script_text (plot_common *pc, plot_writer write, const void *figure,
             const axs_gp_page *page, size_t *len)
{
  char *buf = NULL;
  FILE *f = open_memstream (&buf, len);
  if (!f)
    axs_cli_fail ("out of memory");
  int status = write (f, page, figure);
  if (fclose (f) != 0 || status == -1)
    axs_cli_fail ("out of memory");
  if (status == -2)
    axs_cli_fail ("--size %g,%g: too small for this figure (in inches); try a larger "
                  "--size", pc->page.width, pc->page.height);
  return buf;
}

/* Without --size, make the page taller until FIGURE fits (many groups,
   legends and statistics need room). */
static void
fit_page (plot_common *pc, plot_writer write, const void *figure)
{
  if (pc->size_given)
    return;
  for (; pc->page.height < 10; pc->page.height += 0.5)
    {
      FILE *f = fopen ("/dev/null", "w");
      if (!f)
        return;
      int status = write (f, &pc->page, figure);
      fclose (f);
      if (status != -2)
        return;
    }
}

/* Draw the image with gnuplot under a temporary name, then rename it. */
static void
render (plot_common *pc, plot_writer write, const void *figure)
{
  const char *prog = find_gnuplot ();
  if (!prog)
    axs_cli_fail ("--render: gnuplot not found (install the Debian package gnuplot-nox, "
                  "or set GNUPLOT); without --render, axlsurv writes the script");
  size_t n = strlen (pc->render);
  char *tmp = malloc (n + sizeof ".XXXXXX");
  if (!tmp)
    axs_cli_fail ("out of memory");
  memcpy (tmp, pc->render, n);
  memcpy (tmp + n, ".XXXXXX", sizeof ".XXXXXX");
  int fd = mkstemp (tmp);
  if (fd < 0)
    axs_cli_fail ("%s: cannot write: %s", pc->render, strerror (errno));
  mode_t mask = umask (0);
  umask (mask);
  fchmod (fd, 0666 & ~mask);
  close (fd);

  axs_gp_page page = pc->page;
  page.output = tmp;
  size_t len;
  char *script = script_text (pc, write, figure, &page, &len);
  int status = run_gnuplot (prog, script, len);
  free (script);
  struct stat st;
  if (status != 0 || stat (tmp, &st) != 0 || st.st_size == 0)
    {
      int e = errno;
      unlink (tmp);
      free (tmp);
      if (status < 0)
        axs_cli_fail ("--render: cannot run %s: %s", prog, strerror (e));
      axs_cli_fail ("%s: gnuplot failed (exit status %d); the image was not written",
                    pc->render, status);
    }
  if (rename (tmp, pc->render) != 0)
    {
      int e = errno;
      unlink (tmp);
      axs_cli_fail ("%s: cannot write: %s", pc->render, strerror (e));
    }
  free (tmp);
}

/* Write FIGURE's script (-o or stdout, unless only --render was asked for)
   and render it (--render). */
static void
plot_emit (plot_common *pc, plot_writer write, const void *figure)
{
  fit_page (pc, write, figure);
  if (!pc->render || pc->cli.output)
    {
      /* the script names the image it draws: --render's, or -o's with the
         terminal's extension, or none (gnuplot's standard output) */
      axs_gp_page page = pc->page;
      char *image = NULL;
      if (pc->render)
        page.output = pc->render;
      else if (pc->cli.output && strcmp (pc->cli.output, "-") != 0)
        {
          const char *o = pc->cli.output;
          size_t n = strlen (o);
          if (ends_with (o, ".gp"))
            n -= 3;
          image = malloc (n + 5);
          if (!image)
            axs_cli_fail ("out of memory");
          snprintf (image, n + 5, "%.*s%s", (int) n, o, extensions[page.terminal]);
          page.output = image;
        }
      size_t len;
      char *script = script_text (pc, write, figure, &page, &len);
      axs_outfile out;
      axs_cli_output_open (&pc->cli, &out);
      fwrite (script, 1, len, out.f);
      axs_cli_output_commit (&pc->cli, &out);
      free (script);
      free (image);
    }
  if (pc->render)
    render (pc, write, figure);
}

/* ---- plot km --------------------------------------------------------- */

static const char km_usage[] =
  "Usage: axlsurv plot km [OPTIONS] COHORT\n"
  "Draw the Kaplan-Meier curves per group with the number at risk under them and\n"
  "the log-rank p in the panel: a gnuplot script (with its data), or the image.\n"
  "\n"
  AXS_KM_USAGE_DATA
  "Estimates:\n"
  AXS_KM_USAGE_CI
  "Figure:\n"
  "  --ci                  draw the confidence bands (--conf-type, --conf-level)\n"
  "  --median              draw dashed lines at each group's median survival\n"
  "  --hr                  show the hazard ratio of each group against the first,\n"
  "                        with its CI, from a Cox model (Efron ties)\n"
  "  --risk-times T1,T2,...  the times of the number-at-risk table, which are also\n"
  "                        the x tics (default: round steps from 0)\n"
  "  --time-unit UNIT      the unit of the time column: days, months or years\n"
  "                        (the x axis label says it)\n"
  "  --axis-unit UNIT      show time in UNIT on the x axis (days, months or years;\n"
  "                        needs --time-unit): a year is 365.25 days, a month\n"
  "                        1/12 year\n"
  "  --xmax T              end the x axis at T (in axis units)\n"
  "  --ylim LO,HI          the y axis range (default 0,1)\n"
  PLOT_USAGE_LABELS
  PLOT_USAGE_OUTPUT;

enum
{
  OPT_CI = OPT_COMMON_END, OPT_MEDIAN, OPT_HR, OPT_RISK_TIMES, OPT_TIME_UNIT,
  OPT_AXIS_UNIT, OPT_XMAX, OPT_YLIM
};

static const struct option km_options[] = {
  AXS_KM_CI_OPTIONS,
  PLOT_COMMON_OPTIONS,
  { "ci", no_argument, NULL, OPT_CI },
  { "median", no_argument, NULL, OPT_MEDIAN },
  { "hr", no_argument, NULL, OPT_HR },
  { "risk-times", required_argument, NULL, OPT_RISK_TIMES },
  { "time-unit", required_argument, NULL, OPT_TIME_UNIT },
  { "axis-unit", required_argument, NULL, OPT_AXIS_UNIT },
  { "xmax", required_argument, NULL, OPT_XMAX },
  { "ylim", required_argument, NULL, OPT_YLIM },
  { 0 }
};

static const char *const unit_names[] = { "days", "months", "years", NULL };
static const double unit_days[] = { 1, 365.25 / 12, 365.25 };

typedef struct
{
  plot_common pc;
  axs_km_input in;
  axs_km_options ko;
  int ci, median, hr;
  double *risk_times;
  size_t nrisk;
  int time_unit, axis_unit;     /* -1: not given */
  double xmax;                  /* NaN: from the data */
  double ylim[2];
} plot_km_options;

static int
parse_unit (const axs_cli *cli, const char *option, const char *arg)
{
  for (int k = 0; unit_names[k]; k++)
    if (strcmp (arg, unit_names[k]) == 0)
      return k;
  axs_cli_usage_error (cli, "--%s '%s': use days, months or years", option, arg);
}

static int
km_option (void *ctx, int code, const char *arg)
{
  plot_km_options *o = ctx;
  const axs_cli *cli = &o->pc.cli;
  if (code < AXS_KM_OPT_END)
    return axs_km_option (&o->ko, code, arg);
  if (plot_common_option (&o->pc, code, arg))
    return 0;
  size_t n;
  double *v;
  switch (code)
    {
    case OPT_CI: o->ci = 1; break;
    case OPT_MEDIAN: o->median = 1; break;
    case OPT_HR: o->hr = 1; break;
    case OPT_RISK_TIMES:
      free (o->risk_times);
      o->risk_times = axs_cli_numbers (cli, "risk-times", arg, &o->nrisk);
      for (size_t i = 0; i < o->nrisk; i++)
        if (o->risk_times[i] < 0 || (i && o->risk_times[i] <= o->risk_times[i - 1]))
          axs_cli_usage_error (cli, "--risk-times '%s': give ascending times from 0 up",
                               arg);
      break;
    case OPT_TIME_UNIT: o->time_unit = parse_unit (cli, "time-unit", arg); break;
    case OPT_AXIS_UNIT: o->axis_unit = parse_unit (cli, "axis-unit", arg); break;
    case OPT_XMAX:
      o->xmax = axs_cli_number (cli, "xmax", arg);
      if (!(o->xmax > 0) || !isfinite (o->xmax))
        axs_cli_usage_error (cli, "--xmax '%s': must be positive", arg);
      break;
    case OPT_YLIM:
      v = axs_cli_numbers (cli, "ylim", arg, &n);
      if (n != 2 || !(v[0] >= 0 && v[0] < v[1] && v[1] <= 1))
        {
          free (v);
          axs_cli_usage_error (cli, "--ylim '%s': give LO,HI with 0 <= LO < HI <= 1", arg);
        }
      o->ylim[0] = v[0];
      o->ylim[1] = v[1];
      free (v);
      break;
    }
  return 0;
}

/* The hazard ratio of each non-empty group against the first non-empty one,
   from a Cox model of the group alone; *NHR = 0 (with a warning) when the
   model cannot give them. */
static axs_gp_hr *
group_hazard_ratios (const axs_survival *s, const axs_km_result *km, double conf_level,
                     char (*labels)[256], size_t *nhr)
{
  const axs_design *d = &s->design;
  int ng = km->ngroups;
  *nhr = 0;
  int ref = -1, col[ng];
  size_t p = 0;
  for (int g = 0; g < ng; g++)
    {
      col[g] = -1;
      if (!km->curves[g].n)
        continue;
      if (ref < 0)
        ref = g;
      else
        col[g] = (int) p++;
    }
  if (p == 0)
    {
      axs_cli_warn ("%s: no hazard ratio: only one group has patients", s->table->file);
      return NULL;
    }
  double *x = calloc (d->n * p, sizeof *x);
  axs_cox_result *res = axs_cox_result_alloc (d->n, p);
  axs_gp_hr *hr = malloc (p * sizeof *hr);
  if (!x || !res || !hr)
    axs_cli_fail ("out of memory");
  for (size_t i = 0; i < d->n; i++)
    if (col[d->group[i]] >= 0)
      x[i * p + (size_t) col[d->group[i]]] = 1;
  axs_cox_options opt;
  axs_cox_options_default (&opt);
  opt.conf_level = conf_level;
  int status = axs_cox_fit (d->n, p, x, d->time, d->event, NULL, &opt, res);
  free (x);
  if (status != AXS_OK)
    axs_cli_warn ("%s: no hazard ratio: the Cox model failed: %s", s->table->file,
                  axs_strerror (status));
  else
    for (int g = 0; g < ng; g++)
      {
        if (col[g] < 0)
          continue;
        size_t j = (size_t) col[g];
        if (res->may_be_infinite[j])
          {
            axs_cli_warn ("%s: no hazard ratio for %s: it may be infinite (a group "
                          "without events?)", s->table->file, d->groups.name[g]);
            continue;
          }
        snprintf (labels[*nhr], 256, "%s vs %s", d->groups.name[g], d->groups.name[ref]);
        hr[*nhr] = (axs_gp_hr) { labels[*nhr], res->hr[j], res->hr_lower[j],
                                 res->hr_upper[j] };
        ++*nhr;
      }
  axs_cox_result_free (res);
  return hr;
}

static int
write_km (FILE *f, const axs_gp_page *page, const void *figure)
{
  return axs_gp_write_km (f, page, figure);
}

static int
plot_km (int argc, char **argv)
{
  plot_km_options o = { .time_unit = -1, .axis_unit = -1, .xmax = NAN,
                        .ylim = { 0, 1 } };
  plot_common_init (&o.pc, "plot km", km_usage);
  axs_km_input_init (&o.in);
  o.ko = (axs_km_options) { .cli = &o.pc.cli, .in = &o.in };
  axs_cli_parse (&o.pc.cli, AXS_OPT_COHORT | AXS_OPT_ENDPOINT | AXS_OPT_GROUP
                 | AXS_OPT_OUTFILE, km_options, km_option, &o, 1, argc, argv);
  axs_cli *cli = &o.pc.cli;
  plot_common_check (&o.pc);
  if (o.axis_unit >= 0 && o.time_unit < 0)
    axs_cli_usage_error (cli, "--axis-unit needs --time-unit (the unit of the data)");
  if (o.hr && !cli->group && !cli->marker)
    axs_cli_usage_error (cli, "--hr needs groups: give --group or --marker");
  int unit = o.axis_unit >= 0 ? o.axis_unit : o.time_unit;
  double scale = o.axis_unit >= 0 ? unit_days[o.axis_unit] / unit_days[o.time_unit] : 1;

  axs_survival s;
  axs_cli_survival_load (cli, &s);

  /* the x axis: the risk times are its tics */
  double last = 0;
  for (size_t i = 0; i < s.design.n; i++)
    last = s.design.time[i] > last ? s.design.time[i] : last;
  last /= scale;
  double xmax = o.xmax;
  double *ticks = o.risk_times;
  size_t nticks = o.nrisk;
  if (ticks && !isnan (xmax) && ticks[nticks - 1] > xmax)
    axs_cli_usage_error (cli, "--risk-times: %g lies beyond --xmax %g", ticks[nticks - 1],
                         xmax);
  if (!ticks)
    {
      /* about six steps, fewer when their labels would not fit the width */
      double end = isnan (xmax) ? last : xmax;
      double room = o.pc.page.width - 1.1, step = 1;
      for (int target = 6; target >= 2; target--)
        {
          step = axs_gp_axis_step (end, target);
          nticks = (size_t) (isnan (xmax) ? ceil (end / step - 1e-9)
                             : floor (end / step + 1e-9)) + 1;
          char label[64];
          snprintf (label, sizeof label, "%g", (double) (nticks - 1) * step);
          if ((double) (nticks - 1) * (axs_gp_text_width (&o.pc.page, label) + 0.15) <= room)
            break;
        }
      ticks = malloc (nticks * sizeof *ticks);
      if (!ticks)
        axs_cli_fail ("out of memory");
      for (size_t i = 0; i < nticks; i++)
        ticks[i] = (double) i * step;
      o.risk_times = ticks;
    }
  if (isnan (xmax))
    xmax = ticks[nticks - 1] > last ? ticks[nticks - 1] : last;
  if (!(xmax > 0))
    xmax = 1;

  /* the curves, read at the risk times for the table */
  double *landmarks = malloc (nticks * sizeof *landmarks);
  if (!landmarks)
    axs_cli_fail ("out of memory");
  for (size_t i = 0; i < nticks; i++)
    landmarks[i] = ticks[i] * scale;
  o.in.n = s.design.n;
  o.in.time = s.design.time;
  o.in.event = s.design.event;
  o.in.group = s.design.group;
  o.in.ngroups = s.design.group ? (int) s.design.groups.n : 1;
  o.in.landmarks = landmarks;
  o.in.nlandmarks = nticks;
  axs_km_result *km;
  int status = axs_km_fit (&o.in, &km);
  if (status != AXS_OK)
    axs_cli_fail ("%s: Kaplan-Meier estimate failed: %s", s.table->file,
                  axs_strerror (status));
  axs_logrank_report lr = { .rho = 0 };
  if (axs_cli_survival_logrank (&s, &lr) != AXS_OK && s.design.group)
    axs_cli_warn ("%s: no log-rank test: fewer than two groups have events "
                  "in their risk sets", s.table->file);

  char (*hr_labels)[256] = NULL;
  axs_gp_hr *hr = NULL;
  size_t nhr = 0;
  if (o.hr)
    {
      hr_labels = malloc ((size_t) km->ngroups * sizeof *hr_labels);
      if (!hr_labels)
        axs_cli_fail ("out of memory");
      hr = group_hazard_ratios (&s, km, o.in.conf_level, hr_labels, &nhr);
    }

  char xlabel[256];
  if (unit >= 0)
    snprintf (xlabel, sizeof xlabel, "Time (%s)", unit_names[unit]);
  else
    snprintf (xlabel, sizeof xlabel, "Time");
  axs_gp_km_figure fig = {
    .context = &s.context, .km = km,
    .logrank_p = lr.r ? lr.r->p : NAN,
    .hr = hr, .nhr = nhr, .hr_conf_level = o.in.conf_level,
    .risk_times = ticks, .nrisk = nticks,
    .time_scale = scale, .xmax = xmax, .ymin = o.ylim[0], .ymax = o.ylim[1],
    .title = o.pc.title,
    .xlabel = o.pc.xlabel ? o.pc.xlabel : xlabel,
    .ylabel = o.pc.ylabel ? o.pc.ylabel : "Survival probability",
    .key_title = s.context.group_by,
    .ci = o.ci, .median = o.median,
  };
  plot_emit (&o.pc, write_km, &fig);

  free (hr);
  free (hr_labels);
  axs_logrank_result_free ((axs_logrank_result *) lr.r);
  axs_km_result_free (km);
  free (landmarks);
  axs_cli_survival_free (&s);
  free (o.risk_times);
  free (o.ko.times);
  axs_cli_free (cli);
  return AXS_EXIT_OK;
}

/* ---- plot cutpoint ----------------------------------------------------- */

static const char cutpoint_usage[] =
  "Usage: axlsurv plot cutpoint --marker COL [OPTIONS] COHORT\n"
  "Draw the cutpoint profile: the standardized log-rank statistic at every\n"
  "candidate cut of the marker (as 'axlsurv cutpoint'), the chosen cut marked,\n"
  "and the 5% thresholds at one fixed cut and corrected for the search (Lau94).\n"
  "\n"
  "Endpoint:\n"
  "  --endpoint NAME       use columns NAME_time and NAME_event (default: os)\n"
  "  --time COL --event COL  name the time and event columns instead\n"
  "  --event-value V       the value of the event column that means an event\n"
  "Marker:\n"
  "  --marker COL          the numeric marker (required); low = marker <= cut\n"
  "  --minprop P           smallest share of patients in the low group (default 0.1)\n"
  "  --maxprop P           largest share of patients in the low group (default 0.9)\n"
  "Cohort:\n"
  "  --subset COL=V1[,V2]  analyse only rows whose COL is one of the values\n"
  "  --na LIST             spellings of a missing value (default: ,NA,NaN,.)\n"
  "  --delimiter C         ',', ';' or tab (default: detected from the header)\n"
  "Figure:\n"
  PLOT_USAGE_LABELS
  PLOT_USAGE_OUTPUT;

enum { OPT_CP_MARKER = OPT_COMMON_END + 32, OPT_CP_MINPROP, OPT_CP_MAXPROP };

static const struct option cutpoint_options[] = {
  PLOT_COMMON_OPTIONS,
  { "marker", required_argument, NULL, OPT_CP_MARKER },
  { "minprop", required_argument, NULL, OPT_CP_MINPROP },
  { "maxprop", required_argument, NULL, OPT_CP_MAXPROP },
  { 0 }
};

typedef struct
{
  plot_common pc;
  double minprop, maxprop;
} plot_cutpoint_options;

static int
cutpoint_option (void *ctx, int code, const char *arg)
{
  plot_cutpoint_options *o = ctx;
  const axs_cli *cli = &o->pc.cli;
  if (plot_common_option (&o->pc, code, arg))
    return 0;
  if (code == OPT_CP_MARKER)
    o->pc.cli.marker = arg;
  else
    {
      double x = axs_cli_number (cli, code == OPT_CP_MINPROP ? "minprop" : "maxprop", arg);
      if (!(x >= 0 && x <= 1))
        axs_cli_usage_error (cli, "--%s '%s': a share of patients, from 0 to 1",
                             code == OPT_CP_MINPROP ? "minprop" : "maxprop", arg);
      *(code == OPT_CP_MINPROP ? &o->minprop : &o->maxprop) = x;
    }
  return 0;
}

/* The statistic at which the Lau94 p-value of MS's candidates is 0.05, by
   bisection between 1.96 and 10; NaN when 0.05 is not crossed there. */
static double
lau94_critical (const axs_maxstat_result *ms)
{
  double lo = 1.959963984540054, hi = 10;
  double plo = axs_maxstat_p_lau94 (lo, ms->n, ms->n_cuts, ms->profile_n_low);
  double phi = axs_maxstat_p_lau94 (hi, ms->n, ms->n_cuts, ms->profile_n_low);
  if (!(plo >= 0.05 && phi < 0.05))
    return NAN;
  for (int k = 0; k < 100 && hi - lo > 1e-9; k++)
    {
      double mid = (lo + hi) / 2;
      if (axs_maxstat_p_lau94 (mid, ms->n, ms->n_cuts, ms->profile_n_low) >= 0.05)
        lo = mid;
      else
        hi = mid;
    }
  return (lo + hi) / 2;
}

static int
write_cutpoint (FILE *f, const axs_gp_page *page, const void *figure)
{
  return axs_gp_write_cutpoint (f, page, figure);
}

static int
plot_cutpoint (int argc, char **argv)
{
  plot_cutpoint_options o = { .minprop = 0.1, .maxprop = 0.9 };
  plot_common_init (&o.pc, "plot cutpoint", cutpoint_usage);
  axs_cli_parse (&o.pc.cli, AXS_OPT_COHORT | AXS_OPT_ENDPOINT | AXS_OPT_OUTFILE,
                 cutpoint_options, cutpoint_option, &o, 1, argc, argv);
  axs_cli *cli = &o.pc.cli;
  plot_common_check (&o.pc);
  if (!cli->marker)
    axs_cli_usage_error (cli, "which marker? give --marker COL");
  if (o.minprop >= o.maxprop)
    axs_cli_usage_error (cli, "--minprop %g must be below --maxprop %g", o.minprop,
                         o.maxprop);

  axs_design_spec spec = { 0 };
  axs_table *t;
  axs_design d;
  axs_cli_load (cli, &spec, &t, &d);
  axs_maxstat_workspace *ws = axs_maxstat_workspace_alloc (d.n);
  axs_maxstat_result *ms = axs_maxstat_result_alloc (d.n);
  if (!ws || !ms)
    axs_cli_fail ("out of memory");
  int status = axs_maxstat_test (d.n, d.time, d.event, d.marker, o.minprop, o.maxprop,
                                 ws, ms);
  if (status == AXS_EDOM)
    axs_cli_fail ("%s: marker '%s' has no cut to search: no events, or fewer than two "
                  "distinct values between its %g and %g quantiles", t->file,
                  cli->marker, o.minprop, o.maxprop);
  if (status != AXS_OK)
    axs_cli_fail ("%s: cutpoint search failed: %s", t->file, axs_strerror (status));

  char xlabel[256];
  snprintf (xlabel, sizeof xlabel, "%s (cutpoint)", cli->marker);
  axs_gp_cutpoint_figure fig = {
    .ms = ms, .marker = cli->marker, .critical = lau94_critical (ms),
    .critical_label = "5% level corrected for the search (Lau94)",
    .title = o.pc.title,
    .xlabel = o.pc.xlabel ? o.pc.xlabel : xlabel,
    .ylabel = o.pc.ylabel ? o.pc.ylabel : "Standardized log-rank statistic",
  };
  plot_emit (&o.pc, write_cutpoint, &fig);

  axs_maxstat_result_free (ms);
  axs_maxstat_workspace_free (ws);
  axs_design_free (&d);
  axs_table_free (t);
  axs_cli_free (cli);
  return AXS_EXIT_OK;
}

/* ---- plot forest ------------------------------------------------------- */

static const char forest_usage[] =
  "Usage: axlsurv plot forest [OPTIONS] COHORT\n"
  "Draw the hazard ratios of a Cox model (the options of 'axlsurv cox') with their\n"
  "confidence intervals on a log axis, the numbers beside the bars and each\n"
  "factor's reference level shown at 1; or, with --subgroups, the biomarker's\n"
  "hazard ratio within each level of some columns, with interaction p values.\n"
  "\n"
  "Endpoint:\n"
  "  --endpoint NAME       use columns NAME_time and NAME_event (default: os)\n"
  "  --time COL --event COL  name the time and event columns instead\n"
  "  --event-value V       the value of the event column that means an event\n"
  "Biomarker (the first term; optional without --subgroups):\n"
  "  --group COL           groups are the levels of a categorical column\n"
  "  --marker COL          groups from a numeric marker, split by --cut\n"
  "  --cut SPEC            median (default), tertiles, quartiles, pNN, V or V1,V2,...\n"
  "  --cut-from FILE       the cut saved by 'axlsurv cutpoint -o'\n"
  "  --continuous          the marker as a number instead of groups\n"
  "  --transform T         with --continuous: none, log, log2, log2p1 or z\n"
  "Model:\n"
  "  --covariates LIST     more terms, comma-separated (NAME:factor forces a factor)\n"
  "  --ref COL=LEVEL       the reference level of a factor; repeatable\n"
  "  --strata COL          a separate baseline hazard for each level of COL\n"
  "  --interaction COL     add biomarker x COL (its columns are rows of the figure)\n"
  "Fit:\n"
  "  --ties METHOD         efron (default) or breslow\n"
  "  --max-iter N          Newton-Raphson iterations (default 20; 50 with --firth)\n"
  "  --conf-level L        confidence level of the intervals (default 0.95)\n"
  "  --firth               Firth-penalised fits with profile-likelihood intervals\n"
  "  --zph                 test proportional hazards; the global p goes in a note\n"
  "Subgroups:\n"
  "  --subgroups COL1,COL2,...  the biomarker's hazard ratio within each level of\n"
  "                        each column (at most 12 levels), adjusted for the\n"
  "                        covariates but that column, with n, events and the\n"
  "                        likelihood-ratio p of biomarker x column; needs one\n"
  "                        biomarker column (two groups, or --continuous)\n"
  "Cohort:\n"
  "  --subset COL=V1[,V2]  analyse only rows whose COL is one of the values\n"
  "  --na LIST             spellings of a missing value (default: ,NA,NaN,.)\n"
  "  --delimiter C         ',', ';' or tab (default: detected from the header)\n"
  "Figure:\n"
  "  --title TEXT          a title over the figure (default: none)\n"
  "  --xlabel TEXT         the axis label\n"
  "Output:\n"
  "  --terminal T          png (default), svg or pdf (gnuplot's cairo terminals)\n"
  "  --size W,H            printed size in inches, or W,Hcm in centimetres\n"
  "                        (default 7.5 wide, as tall as the rows need); a PNG\n"
  "                        has 300 pixels per inch\n"
  "  --render FILE         run gnuplot to write the image FILE (the terminal\n"
  "                        follows its extension .png, .svg or .pdf); the script\n"
  "                        is then written only with -o\n"
  "  -o, --output FILE     write the script to FILE (atomically) instead of\n"
  "                        standard output; it draws FILE with .png (.svg, .pdf)\n"
  "                        in place of .gp\n"
  "  --help                show this help\n"
  "Environment: GNUPLOT names the gnuplot program --render runs (default gnuplot).\n";

enum { OPT_FOREST_SUBGROUPS = OPT_COMMON_END + 64 };

/* The most levels a subgroup column may have. */
enum { MAX_SUBGROUP_LEVELS = 12 };

typedef struct
{
  plot_common pc;
  axs_coxfit_options fit;
  char **sub;                   /* --subgroups columns */
  size_t nsub;
} plot_forest_options;

static int
forest_option (void *ctx, int code, const char *arg)
{
  plot_forest_options *o = ctx;
  const axs_cli *cli = &o->pc.cli;
  if (code == OPT_YLABEL)
    axs_cli_usage_error (cli, "--ylabel: a forest figure has no y axis label");
  if (plot_common_option (&o->pc, code, arg) || axs_coxfit_option (cli, &o->fit, code, arg))
    return 0;
  if (code == OPT_FOREST_SUBGROUPS)
    for (const char *p = arg;; p += strcspn (p, ",") + 1)
      {
        size_t len = strcspn (p, ",");
        if (len == 0)
          axs_cli_usage_error (cli, "--subgroups '%s': an empty name; list the columns "
                               "separated by commas, e.g. sex,stage", arg);
        char **grown = realloc (o->sub, (o->nsub + 1) * sizeof *grown);
        if (!grown || !(grown[o->nsub] = strndup (p, len)))
          axs_cli_fail ("out of memory");
        o->sub = grown;
        for (size_t k = 0; k < o->nsub; k++)
          if (strcmp (o->sub[k], grown[o->nsub]) == 0)
            axs_cli_usage_error (cli, "--subgroups '%s': column '%s' is named twice",
                                 arg, o->sub[k]);
        o->nsub++;
        if (!p[len])
          break;
      }
  return 0;
}

/* Whether covariate item S ("NAME" or "NAME:factor") names column COL. */
static int
names_column (const char *s, const char *col)
{
  size_t len = strlen (col);
  return strncmp (s, col, len) == 0 && (!s[len] || strcmp (s + len, ":factor") == 0);
}

/* The biomarker's hazard ratio within one subgroup. */
typedef struct
{
  axs_gp_forest_kind kind;
  double coef, hr, lower, upper;
  long n, events;
  char why[128];                /* MISSING: why (short, for the figure) */
} subgroup_fit;

/* Fit the model O describes, less the column COL, to the patients of T whose
   COL is LEVEL (and who pass CLI's --subset), with the marker cut at CUT
   (NULL: CLI's groups or continuous marker), into *S.  Nothing here exits:
   a subgroup that cannot be fitted is MISSING, with a warning. */
static void
fit_subgroup (const axs_cli *cli, const axs_coxfit_options *o, const axs_table *t,
              const axs_cut *cut, const char *col, const char *level, subgroup_fit *s)
{
  *s = (subgroup_fit) { .kind = AXS_GP_FOREST_MISSING, .coef = NAN, .hr = NAN,
                        .lower = NAN, .upper = NAN, .n = 0, .events = 0 };
  axs_na na;
  if (axs_na_init (&na, cli->na_list) != AXS_OK)
    axs_cli_fail ("out of memory");
  axs_subset subset[AXS_MAX_SUBSETS + 1];
  memcpy (subset, cli->subset, cli->nsubset * sizeof *subset);
  char *value = (char *) level;
  subset[cli->nsubset] = (axs_subset) { .column = (char *) col, .value = &value, .n = 1 };
  const char *cov[o->ncovariate + 1], *ref[o->nref + 1];
  size_t ncov = 0, nref = 0, len = strlen (col);
  for (size_t k = 0; k < o->ncovariate; k++)
    if (!names_column (o->covariate[k], col))
      cov[ncov++] = o->covariate[k];
  for (size_t k = 0; k < o->nref; k++)
    if (!(strncmp (o->ref[k], col, len) == 0 && o->ref[k][len] == '='))
      ref[nref++] = o->ref[k];
  axs_model_spec ms = {
    .marker = cli->group ? cli->group : cli->marker,
    .continuous = o->continuous, .transform = o->transform,
    .covariate = cov, .ncovariate = ncov, .ref = ref, .nref = nref,
  };
  char **also;
  size_t nalso;
  if (axs_model_columns (&ms, &also, &nalso) != AXS_OK)
    axs_cli_fail ("out of memory");
  axs_design_spec spec = {
    .time = cli->time, .event = cli->event, .event_value = cli->event_value,
    .na = &na, .subset = subset, .nsubset = cli->nsubset + 1,
    .group = cli->group, .marker = cli->marker,
    .cut = cli->marker && !o->continuous ? cut : NULL,
    .strata = cli->strata,
    .also = (const char *const *) also, .nalso = nalso,
  };
  static const char *const id_columns[] = { "patient_id", "patient" };
  for (size_t k = 0; k < 2 && !spec.id; k++)
    if (axs_table_column (t, id_columns[k]) >= 0)
      spec.id = id_columns[k];
  axs_design d = { 0 };
  axs_model m = { 0 };
  axs_diag diag;
  int built = 0;
  if (axs_design_build (t, &spec, &d, &diag) != AXS_OK)
    snprintf (s->why, sizeof s->why, "no patients analysed");
  else
    {
      s->n = (long) d.n;
      for (size_t i = 0; i < d.n; i++)
        s->events += d.event[i];
      if (s->events == 0)
        snprintf (s->why, sizeof s->why, "no events");
      else if (axs_model_build (t, &d, &ms, &m, &diag) != AXS_OK)
        {
          snprintf (s->why, sizeof s->why, "not estimable");
          axs_cli_warn ("subgroup %s=%s: no hazard ratio: %s", col, level, diag.text);
        }
      else
        built = 1;
    }
  axs_model_columns_free (also, nalso);
  axs_na_free (&na);
  if (!built)
    {
      axs_design_free (&d);
      return;
    }

  size_t j = m.term[m.marker_term].first;
  int status;
  if (o->firth)
    {
      axs_firth_control ctl;
      axs_firth_control_default (&ctl);
      if (o->max_iter > 0)
        ctl.maxit = o->max_iter;
      axs_firth_workspace *w = m.p <= AXS_FIRTH_MAXP
        ? axs_firth_workspace_alloc (d.n, m.p) : NULL;
      axs_firth_result *res = m.p <= AXS_FIRTH_MAXP ? axs_firth_result_alloc (m.p) : NULL;
      if (m.p <= AXS_FIRTH_MAXP && (!w || !res))
        axs_cli_fail ("out of memory");
      status = res ? axs_firth_fit (d.n, m.p, m.x, d.time, d.event, d.strata,
                                    o->conf_level, &ctl, w, res) : AXS_EINVAL;
      if (status == AXS_OK)
        {
          s->kind = AXS_GP_FOREST_ESTIMATE;
          s->coef = res->coef[j];
          s->hr = exp (res->coef[j]);
          s->lower = exp (res->lower[j]);
          s->upper = exp (res->upper[j]);
        }
      axs_firth_workspace_free (w);
      axs_firth_result_free (res);
    }
  else
    {
      axs_cox_options opt;
      axs_cox_options_default (&opt);
      opt.ties = o->ties;
      opt.conf_level = o->conf_level;
      if (o->max_iter > 0)
        opt.max_iter = o->max_iter;
      axs_cox_result *res = axs_cox_result_alloc (d.n, m.p);
      if (!res)
        axs_cli_fail ("out of memory");
      status = axs_cox_fit (d.n, m.p, m.x, d.time, d.event, d.strata, &opt, res);
      if (status == AXS_OK || status == AXS_ENOCONV)
        {
          s->kind = res->may_be_infinite[j] ? AXS_GP_FOREST_INFINITE
                                            : AXS_GP_FOREST_ESTIMATE;
          s->coef = res->coef[j];
          s->hr = res->hr[j];
          s->lower = res->hr_lower[j];
          s->upper = res->hr_upper[j];
          if (status == AXS_ENOCONV)
            axs_cli_warn ("subgroup %s=%s: the fit did not converge in %d iterations "
                          "(--max-iter): the estimates are those of the last step",
                          col, level, res->iterations - 1);
          status = AXS_OK;
          if (s->kind == AXS_GP_FOREST_INFINITE)
            axs_cli_warn ("subgroup %s=%s: the hazard ratio of '%s' may be infinite "
                          "(monotone likelihood); the figure shows an arrow, --firth "
                          "gives finite estimates", col, level, m.colname[j]);
        }
      axs_cox_result_free (res);
    }
  if (status != AXS_OK)
    {
      snprintf (s->why, sizeof s->why, "not estimable");
      axs_cli_warn ("subgroup %s=%s: no hazard ratio: the %s fit failed: %s", col,
                    level, o->firth ? "Firth" : "Cox", axs_strerror (status));
    }
  axs_model_free (&m);
  axs_design_free (&d);
}

/* The levels of column COL among the patients of the fit F (rows of T),
   sorted as factor levels are, into a new array of *N strings. */
static char **
subgroup_levels (const axs_cli *cli, const axs_table *t, const axs_coxfit *fit,
                 const char *col, size_t *n)
{
  axs_diag diag;
  long c;
  if (axs_table_require (t, col, &c, &diag) != AXS_OK)
    axs_cli_fail_diag (&diag);
  axs_na na;
  if (axs_na_init (&na, cli->na_list) != AXS_OK)
    axs_cli_fail ("out of memory");
  char **level = NULL;
  *n = 0;
  for (size_t i = 0; i < fit->design.n; i++)
    {
      const char *cell = axs_table_cell (t, fit->design.row[i], c);
      if (axs_na_is_missing (&na, cell))
        continue;
      size_t k = 0;
      while (k < *n && strcmp (level[k], cell) != 0)
        k++;
      if (k < *n)
        continue;
      if (*n == MAX_SUBGROUP_LEVELS)
        axs_cli_fail ("%s: --subgroups: column '%s' has more than %d values among the "
                      "patients analysed; subgroups need a categorical column",
                      t->file, col, MAX_SUBGROUP_LEVELS);
      char **grown = realloc (level, (*n + 1) * sizeof *grown);
      if (!grown || !(grown[*n] = strdup (cell)))
        axs_cli_fail ("out of memory");
      level = grown;
      ++*n;
    }
  axs_na_free (&na);
  if (*n < 2)
    axs_cli_fail ("%s: --subgroups: column '%s' has %s among the patients analysed; "
                  "subgroups need at least two", t->file, col,
                  *n ? "one value" : "no values");
  axs_levels_sort (level, *n);
  return level;
}

static int
write_forest (FILE *f, const axs_gp_page *page, const void *figure)
{
  return axs_gp_write_forest (f, page, figure);
}

/* A string that lives until the command ends. */
static char *
keep_string (char ***pool, size_t *npool, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

static char *
keep_string (char ***pool, size_t *npool, const char *fmt, ...)
{
  char *s;
  va_list ap;
  va_start (ap, fmt);
  int len = vasprintf (&s, fmt, ap);
  va_end (ap);
  char **grown = len >= 0 ? realloc (*pool, (*npool + 1) * sizeof *grown) : NULL;
  if (!grown)
    axs_cli_fail ("out of memory");
  *pool = grown;
  grown[(*npool)++] = s;
  return s;
}

static axs_gp_forest_row
report_row (const axs_coxfit *fit, size_t j, int firth)
{
  const axs_cox_row *c = &fit->report.row[j];
  axs_gp_forest_row r = {
    .kind = AXS_GP_FOREST_ESTIMATE, .term = c->term, .label = c->term,
    .coef = c->coef, .hr = c->hr, .lower = c->hr_lower, .upper = c->hr_upper, .p = c->p,
    .n = -1, .events = -1,
  };
  if (c->may_be_infinite && !firth)
    r.kind = AXS_GP_FOREST_INFINITE;
  else if (isnan (c->hr))
    r.kind = AXS_GP_FOREST_MISSING;
  return r;
}

static int
plot_forest (int argc, char **argv)
{
  plot_forest_options o = { 0 };
  plot_common_init (&o.pc, "plot forest", forest_usage);
  axs_coxfit_options_init (&o.fit);
  size_t nfit = 0;
  while (axs_coxfit_long_options[nfit].name)
    nfit++;
  static const struct option own[] = {
    PLOT_COMMON_OPTIONS,
    { "subgroups", required_argument, NULL, OPT_FOREST_SUBGROUPS },
  };
  size_t nown = sizeof own / sizeof *own;
  struct option *options = calloc (nfit + nown + 1, sizeof *options);
  if (!options)
    axs_cli_fail ("out of memory");
  memcpy (options, axs_coxfit_long_options, nfit * sizeof *options);
  memcpy (options + nfit, own, nown * sizeof *options);
  axs_cli *cli = &o.pc.cli;
  axs_cli_parse (cli, AXS_OPT_COHORT | AXS_OPT_ENDPOINT | AXS_OPT_GROUP | AXS_OPT_STRATA
                 | AXS_OPT_OUTFILE, options, forest_option, &o, 1, argc, argv);
  free (options);
  plot_common_check (&o.pc);
  const char *marker = cli->group ? cli->group : cli->marker;
  if (o.nsub)
    {
      if (!marker)
        axs_cli_usage_error (cli, "--subgroups needs the biomarker: give --group COL or "
                             "--marker COL");
      if (o.fit.interaction)
        axs_cli_usage_error (cli, "give either --interaction or --subgroups, not both "
                             "(--subgroups tests biomarker x each column)");
      if (cli->marker && !o.fit.continuous && cli->cut.kind != AXS_CUT_OPTIMAL
          && cli->cut.n > 1)
        axs_cli_usage_error (cli, "--subgroups needs one hazard ratio for the biomarker: "
                             "two groups (one cut) or --continuous");
      if (strcmp (cli->cohort, "-") == 0)
        axs_cli_usage_error (cli, "--subgroups reads the cohort more than once: give a "
                             "file, not -");
      for (size_t k = 0; k < o.nsub; k++)
        if (strcmp (o.sub[k], marker) == 0
            || (cli->strata && strcmp (o.sub[k], cli->strata) == 0))
          axs_cli_usage_error (cli, "--subgroups: column '%s' is the %s", o.sub[k],
                               strcmp (o.sub[k], marker) == 0 ? "biomarker" : "--strata");
    }
  axs_coxfit_options_check (cli, &o.fit);
  if (!o.pc.size_given)
    o.pc.page.width = 7.5;

  axs_coxfit fit;
  axs_cli_coxfit (cli, &o.fit, &fit);
  const axs_model *m = &fit.model;
  const axs_cox_report *rep = &fit.report;
  int firth = o.fit.firth;

  char **pool = NULL;
  size_t npool = 0;
  axs_gp_forest_row *rows = NULL;
  int *group = NULL;
  size_t nrow = 0, cap = 0;
#define ADD_ROW(r, g) do { \
    if (nrow == cap) { \
      cap = cap ? 2 * cap : 16; \
      rows = realloc (rows, cap * sizeof *rows); \
      group = realloc (group, cap * sizeof *group); \
      if (!rows || !group) axs_cli_fail ("out of memory"); } \
    rows[nrow] = (r); group[nrow++] = (g); } while (0)

  const char *notes[8];
  size_t nnote = 0;
  char cut_note[512] = "";
  if (cli->marker && !o.fit.continuous && fit.design.ncuts)
    {
      size_t used = (size_t) snprintf (cut_note, sizeof cut_note, "%s cut at ", cli->marker);
      for (size_t k = 0; k < fit.design.ncuts && used < sizeof cut_note; k++)
        used += (size_t) snprintf (cut_note + used, sizeof cut_note - used, "%s%.6g",
                                   k ? ", " : "", fit.design.cuts[k]);
      if (used < sizeof cut_note)
        snprintf (cut_note + used, sizeof cut_note - used, " (%s: lower group)",
                  fit.design.ncuts == 1 ? "values at or below the cut" : "each cut's "
                  "value in the group below");
    }
  char method[256];
  snprintf (method, sizeof method, "%s%s%s%s",
            firth ? "Firth-penalised Cox model (Breslow ties), profile-likelihood "
                    "intervals" : "Cox model (",
            firth ? "" : o.fit.ties == AXS_COX_EFRON ? "Efron" : "Breslow",
            firth ? "" : " ties)",
            cli->strata ? ", stratified by " : "");
  int any_infinite = 0;
  char xlabel[512];

  if (!o.nsub)
    {
      /* the model's terms, each factor's reference level first */
      for (size_t k = 0; k < m->nterm; k++)
        {
          const axs_model_term *term = &m->term[k];
          if (term->factor && term->role != AXS_TERM_INTERACTION && term->levels.n)
            {
              char *name = keep_string (&pool, &npool, "%s=%s", term->name,
                                        term->levels.name[0]);
              axs_gp_forest_row r = {
                .kind = AXS_GP_FOREST_REFERENCE, .term = name,
                .label = keep_string (&pool, &npool, "%s (reference)", name),
                .coef = 0, .hr = 1, .lower = NAN, .upper = NAN, .p = NAN,
                .n = -1, .events = -1,
              };
              ADD_ROW (r, (int) k);
            }
          for (size_t j = term->first; j < term->first + term->ncol; j++)
            {
              axs_gp_forest_row r = report_row (&fit, j, firth);
              any_infinite |= r.kind == AXS_GP_FOREST_INFINITE;
              ADD_ROW (r, (int) k);
            }
        }
      notes[nnote++] = keep_string (&pool, &npool, "n = %zu patients, %zu events%s. "
                                    "%s%s; %s.", rep->n, rep->nevent,
                                    rep->n_excluded ? keep_string (&pool, &npool,
                                    " (%zu left out for a missing value)",
                                    rep->n_excluded) : "",
                                    method, cli->strata ? cli->strata : "",
                                    firth ? "p: profile penalised likelihood-ratio test"
                                    : "p: Wald test");
      char numeric[512] = "";
      size_t used = 0;
      for (size_t k = 0; k < m->nterm && used < sizeof numeric; k++)
        if (!m->term[k].factor && m->term[k].role != AXS_TERM_INTERACTION)
          used += (size_t) snprintf (numeric + used, sizeof numeric - used, "%s%s",
                                     used ? ", " : "", m->term[k].name);
      if (*numeric)
        notes[nnote++] = keep_string (&pool, &npool, "Numeric terms (%s): hazard ratio "
                                      "per unit increase.", numeric);
      snprintf (xlabel, sizeof xlabel, "Hazard ratio (log scale)");
    }
  else
    {
      /* the biomarker's hazard ratio in all patients, then within subgroups */
      if (m->marker_term < 0 || m->term[m->marker_term].ncol != 1)
        axs_cli_fail ("%s: --subgroups needs one hazard ratio for the biomarker, but "
                      "'%s' has %zu groups; give two groups or --continuous",
                      fit.table->file, marker,
                      m->marker_term < 0 ? 0 : m->term[m->marker_term].ncol + 1);
      const axs_model_term *mt = &m->term[m->marker_term];
      size_t mj = mt->first;
      const char *contrast = mt->factor
        ? keep_string (&pool, &npool, "of %s vs %s=%s", m->colname[mj], mt->name,
                       mt->levels.name[0])
        : keep_string (&pool, &npool, "per unit of %s", mt->name);
      snprintf (xlabel, sizeof xlabel, "Hazard ratio %s (log scale)", contrast);
      axs_gp_forest_row all = report_row (&fit, mj, firth);
      all.term = all.label = "All patients";
      all.bold = 1;
      all.p = NAN;
      all.n = (long) rep->n;
      all.events = (long) rep->nevent;
      any_infinite |= all.kind == AXS_GP_FOREST_INFINITE;
      ADD_ROW (all, 0);

      /* every subgroup's marker cut where all patients' was */
      if (cli->marker && !o.fit.continuous)
        {
          axs_cut_free (&cli->cut);
          cli->cut.kind = AXS_CUT_VALUES;
          cli->cut.n = fit.design.ncuts;
          cli->cut.at = malloc (fit.design.ncuts * sizeof *cli->cut.at);
          if (!cli->cut.at)
            axs_cli_fail ("out of memory");
          memcpy (cli->cut.at, fit.design.cuts, fit.design.ncuts * sizeof *cli->cut.at);
        }
      axs_table *t;
      axs_diag diag;
      axs_read_options ro = { .delimiter = cli->delimiter };
      if (axs_table_read (cli->cohort, &ro, &t, &diag) != AXS_OK)
        axs_cli_fail_diag (&diag);
      for (size_t k = 0; k < o.nsub; k++)
        {
          const char *col = o.sub[k];
          size_t nlev;
          /* the levels among the patients of the fit: map its rows to T's */
          char **level = subgroup_levels (cli, t, &fit, col, &nlev);
          size_t heading = nrow;
          axs_gp_forest_row h = {
            .kind = AXS_GP_FOREST_HEADING, .term = col, .label = col,
            .coef = NAN, .hr = NAN, .lower = NAN, .upper = NAN, .p = NAN,
            .n = -1, .events = -1,
          };
          ADD_ROW (h, (int) k + 1);
          int all_fitted = 1;
          for (size_t v = 0; v < nlev; v++)
            {
              subgroup_fit s;
              fit_subgroup (cli, &o.fit, t, &cli->cut, col, level[v], &s);
              all_fitted &= s.kind != AXS_GP_FOREST_MISSING;
              any_infinite |= s.kind == AXS_GP_FOREST_INFINITE;
              axs_gp_forest_row r = {
                .kind = s.kind,
                .term = keep_string (&pool, &npool, "%s=%s", col, level[v]),
                .label = keep_string (&pool, &npool, "%s", level[v]), .indent = 1,
                .coef = s.coef, .hr = s.hr, .lower = s.lower, .upper = s.upper,
                .p = NAN, .n = s.n, .events = s.events,
                .note = *s.why ? keep_string (&pool, &npool, "%s", s.why) : NULL,
              };
              ADD_ROW (r, (int) k + 1);
              free (level[v]);
            }
          free (level);
          /* the interaction test, as 'axlsurv cox --interaction COL' */
          if (all_fitted)
            {
              axs_coxfit_options io = o.fit;
              io.interaction = col;
              io.zph = 0;
              io.quiet = 1;
              axs_coxfit ifit;
              axs_cli_coxfit (cli, &io, &ifit);
              rows[heading].p = ifit.report.interaction_test.p;
              if (ifit.cox->any_infinite && !o.fit.firth)
                axs_cli_warn ("--subgroups: the model with %s x %s has coefficients "
                              "that may be infinite; its likelihood-ratio test of the "
                              "interaction still holds", marker, col);
              if (!ifit.report.converged)
                axs_cli_warn ("--subgroups: the model with %s x %s did not converge; "
                              "its interaction p is that of the last step", marker, col);
              axs_coxfit_free (&ifit);
            }
          else
            axs_cli_warn ("--subgroups: no interaction test for '%s': a subgroup has "
                          "no hazard ratio", col);
        }
      axs_table_free (t);
      char covs[512] = "";
      size_t used = 0;
      for (size_t k = 0; k < o.fit.ncovariate && used < sizeof covs; k++)
        used += (size_t) snprintf (covs + used, sizeof covs - used, "%s%s",
                                   k ? ", " : "", o.fit.covariate[k]);
      notes[nnote++] = keep_string (&pool, &npool, "Hazard ratio %s from a %s%s "
                                    "within each subgroup%s%s%s. Interaction p: "
                                    "likelihood-ratio test of %s x the subgroup's "
                                    "column in all patients.", contrast, method,
                                    cli->strata ? cli->strata : "",
                                    *covs ? ", adjusted for " : "", covs,
                                    *covs ? " (less the subgroup's column)" : "",
                                    mt->name);
    }
  if (*cut_note)
    notes[nnote++] = keep_string (&pool, &npool, "%s%s.", cut_note,
                                  o.nsub ? ", in all patients and every subgroup" : "");
  if (any_infinite)
    notes[nnote++] = "\u2020 The coefficient may be infinite (monotone likelihood: "
                     "e.g. no events in a group); the dashed arrow shows its direction. "
                     "--firth gives finite estimates.";
  if (rep->nzph)
    notes[nnote++] = keep_string (&pool, &npool, "Proportional hazards, global test "
                                  "(Grambsch & Therneau): %s.",
                                  axs_gp_format_p ((char[32]) { 0 }, 32,
                                                   rep->zph[rep->nzph - 1].p));
#undef ADD_ROW

  axs_gp_forest_figure fig = {
    .row = rows, .nrow = nrow, .subgroups = o.nsub > 0, .conf_level = o.fit.conf_level,
    .title = o.pc.title, .xlabel = o.pc.xlabel ? o.pc.xlabel : xlabel,
    .note = notes, .nnote = nnote, .stripes = 1, .group = group,
  };
  if (!o.pc.size_given)
    o.pc.page.height = ceil (axs_gp_forest_height (&o.pc.page, &fig) * 4) / 4;
  if (o.pc.page.height > 50)
    o.pc.page.height = 50;
  plot_emit (&o.pc, write_forest, &fig);

  for (size_t k = 0; k < npool; k++)
    free (pool[k]);
  free (pool);
  free (rows);
  free (group);
  axs_coxfit_free (&fit);
  for (size_t k = 0; k < o.nsub; k++)
    free (o.sub[k]);
  free (o.sub);
  axs_coxfit_options_free (&o.fit);
  axs_cli_free (cli);
  return AXS_EXIT_OK;
}

/* ---- plot scan --------------------------------------------------------- */

static const char scan_usage[] =
  "Usage: axlsurv plot scan (--matrix FILE --id COL | --markers COLS|all) [OPTIONS] COHORT\n"
  "Draw the volcano figure of a marker scan (as 'axlsurv scan', same options and\n"
  "numbers): every feature at its Cox log2 hazard ratio per unit (x) and -log10 p\n"
  "(y), those with a Benjamini-Hochberg q below 0.05 coloured by direction, the\n"
  "5% FDR threshold dashed, chosen features labelled.\n"
  "\n"
  AXS_SCAN_USAGE_ANALYSIS
  "Figure:\n"
  "  --highlight NAMES     label these features (comma-separated), e.g. AXL,GAS6\n"
  "  --top N               also label the N features with the smallest p (default 0)\n"
  PLOT_USAGE_LABELS
  AXS_SCAN_USAGE_SPEED
  PLOT_USAGE_OUTPUT;

typedef struct
{
  plot_common pc;
  axs_scan_options scan;
} plot_scan_options;

static int
scan_option (void *ctx, int code, const char *arg)
{
  plot_scan_options *o = ctx;
  if (plot_common_option (&o->pc, code, arg))
    return 0;
  return axs_scan_option (&o->scan, code, arg);
}

static int
write_scan (FILE *f, const axs_gp_page *page, const void *figure)
{
  return axs_gp_write_scan (f, page, figure);
}

static int
plot_scan (int argc, char **argv)
{
  plot_scan_options o;
  plot_common_init (&o.pc, "plot scan", scan_usage);
  axs_scan_options_init (&o.scan, &o.pc.cli);
  o.scan.top = 0;
  /* the common options, then scan's own */
  static const struct option common[] = { PLOT_COMMON_OPTIONS };
  size_t nc = sizeof common / sizeof *common, ns = 0;
  while (axs_scan_own_options[ns].name)
    ns++;
  struct option *opts = calloc (nc + ns + 1, sizeof *opts);
  if (!opts)
    axs_cli_fail ("out of memory");
  memcpy (opts, common, nc * sizeof *opts);
  memcpy (opts + nc, axs_scan_own_options, ns * sizeof *opts);
  axs_cli_parse (&o.pc.cli, AXS_SCAN_OPT_GROUPS | AXS_OPT_OUTFILE, opts, scan_option,
                 &o, 1, argc, argv);
  plot_common_check (&o.pc);
  axs_scan_options_check (&o.scan);

  axs_scan_run run;
  axs_scan_compute (&o.scan, &run);
  const axs_scan_report *rep = &run.rep;
  const double fdr = 0.05;
  double threshold = NAN;
  for (size_t i = 0; i < rep->nfeat; i++)
    if (rep->f[i].q < fdr && !(rep->f[i].p <= threshold))
      threshold = rep->f[i].p;
  /* the labels: --highlight's in its order, then the --top best not already there */
  size_t *label = malloc ((rep->nhighlight + (size_t) o.scan.top + 1) * sizeof *label);
  size_t nlabel = 0;
  if (!label)
    axs_cli_fail ("out of memory");
  for (size_t h = 0; h < rep->nhighlight; h++)
    for (size_t i = 0; i < rep->nfeat; i++)
      if (strcmp (rep->f[i].feature, rep->highlight[h]) == 0)
        {
          label[nlabel++] = i;
          break;
        }
  for (size_t rank = 1; rank <= (size_t) o.scan.top && rank <= rep->n_tested; rank++)
    for (size_t i = 0; i < rep->nfeat; i++)
      if (rep->f[i].rank == rank)
        {
          int seen = 0;
          for (size_t k = 0; k < nlabel && !seen; k++)
            seen = label[k] == i;
          if (!seen)
            label[nlabel++] = i;
          break;
        }
  axs_gp_scan_figure fig = {
    .rep = rep, .fdr = fdr, .threshold_p = threshold, .label = label, .nlabel = nlabel,
    .title = o.pc.title,
    .xlabel = o.pc.xlabel ? o.pc.xlabel : o.scan.log2
      ? "log\u2082 hazard ratio per unit of log\u2082(x + 1) (Cox)"
      : "log\u2082 hazard ratio per unit of the feature (Cox)",
    .ylabel = o.pc.ylabel ? o.pc.ylabel : "\u2212log\u2081\u2080 p (Cox, Wald)",
  };
  plot_emit (&o.pc, write_scan, &fig);

  free (label);
  free (opts);
  axs_scan_run_free (&run);
  axs_cli_free (&o.pc.cli);
  return AXS_EXIT_OK;
}

/* ---- the figure kinds ------------------------------------------------- */

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} kinds[] = {
  { "km", plot_km, "Kaplan-Meier curves per group with the number at risk" },
  { "cutpoint", plot_cutpoint, "the cutpoint profile of a marker, the chosen cut marked" },
  { "forest", plot_forest, "hazard ratios of a Cox model, or of the biomarker in subgroups" },
  { "scan", plot_scan, "the volcano figure of a marker scan (hazard ratio against p)" },
};

static int
plot_usage (FILE *f)
{
  fputs ("Usage: axlsurv plot FIGURE [OPTIONS] COHORT\n"
         "Write a gnuplot script that draws a figure (its data inside), or with\n"
         "--render the image itself (PNG, SVG or PDF).\n"
         "\nFigures:\n", f);
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
    fprintf (f, "  %-8s %s\n", kinds[k].name, kinds[k].summary);
  fputs ("\n'axlsurv plot FIGURE --help' lists a figure's options.\n", f);
  return fflush (f) == 0 && !ferror (f) ? AXS_EXIT_OK : AXS_EXIT_DATA;
}

int
axs_cmd_plot (int argc, char **argv)
{
  if (argc < 2)
    {
      fputs ("axlsurv: plot: which figure? ", stderr);
      for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        fprintf (stderr, "%s%s", k ? ", " : "", kinds[k].name);
      fputs ("\nTry 'axlsurv plot --help' for more information.\n", stderr);
      return AXS_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    return plot_usage (stdout);
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
    if (strcmp (argv[1], kinds[k].name) == 0)
      return kinds[k].run (argc - 1, argv + 1);
  fprintf (stderr, "axlsurv: plot: unknown figure '%s'; use ", argv[1]);
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
    fprintf (stderr, "%s%s", k ? ", " : "", kinds[k].name);
  fputs ("\nTry 'axlsurv plot --help' for more information.\n", stderr);
  return AXS_EXIT_USAGE;
}
