/* plot.c: axlsurv plot KIND: figures as gnuplot scripts, or images drawn by gnuplot.

   Each figure kind is a row of the table `kinds` and a function that parses
   its options (the common ones with plot_common_option), makes its results
   and hands a writer from output/gnuplot.h to plot_emit, which writes the
   script (-o or standard output) and/or runs gnuplot (--render). */
#include "cli/commands.h"
#include "cli/km.h"
#include "cli/options.h"
#include "cli/survival.h"
#include "output/gnuplot.h"
#include "output/gnuplot_cutpoint.h"
#include "stats/cox.h"
#include "stats/maxstat.h"
#include "stats/status.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
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

/* ---- the figure kinds ------------------------------------------------- */

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} kinds[] = {
  { "km", plot_km, "Kaplan-Meier curves per group with the number at risk" },
  { "cutpoint", plot_cutpoint, "the cutpoint profile of a marker, the chosen cut marked" },
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
