#!/bin/sh
# bench/run.sh: time axlsurv against R on simulated cohorts of growing size.
#
#   bench/run.sh [SIZES...]          (default: 10000 100000 1000000 10000000)
#
# For each size N, `axlsurv simulate --n N --seed 1` writes the cohort once
# (kept in BENCH_DIR for the next run); then each command runs as a whole
# process from the CSV, RUNS times (wall seconds of the fastest run and the
# largest peak resident memory, by /usr/bin/time), and, when Rscript with
# survival and maxstat is there and N <= R_MAX, one R process times the
# same work on the same file: read.csv alone, then each analysis alone;
# "R incl." adds the reading.  The ratios are R's time over axlsurv's.
# Not part of `make check`.
#
# Environment: AXLSURV (default: axlsurv on PATH, else ./src/axlsurv),
# BENCH_DIR (default /tmp/axlsurv-bench), R_MAX (default 1000000), RUNS
# (default 3), COMMANDS (default: "read describe km logrank cox cutpoint").
set -eu
SIZES=${*:-10000 100000 1000000 10000000}
DIR=${BENCH_DIR:-/tmp/axlsurv-bench}
R_MAX=${R_MAX:-1000000}
RUNS=${RUNS:-3}
COMMANDS=${COMMANDS:-read describe km logrank cox cutpoint}
if [ -z "${AXLSURV:-}" ]; then
  AXLSURV=$(command -v axlsurv || echo ./src/axlsurv)
fi
mkdir -p "$DIR"
have_r=0
if command -v Rscript >/dev/null \
   && Rscript -e 'quit(status = !all(sapply(c("survival", "maxstat"), requireNamespace, quietly = TRUE)))' 2>/dev/null; then
  have_r=1
fi

# The work, the same in both: a command line of axlsurv and an R expression
# on the data frame d.
args_of () {
  case $1 in
    read) echo "scan --markers AXL --threads 1 --timing --top 0" ;;
    describe) echo "describe" ;;
    km) echo "km --group arm" ;;
    logrank) echo "logrank --group arm --strata stage" ;;
    cox) echo "cox --marker AXL --continuous --covariates age,sex,stage,arm,sAXL" ;;
    cutpoint) echo "cutpoint --marker AXL" ;;
  esac
}

printf '%-9s %-9s %10s %10s %10s %8s %8s %10s %8s\n' \
  size command axlsurv_s R_s R_incl_s ratio ratio_in peak_MB mem/csv
for n in $SIZES; do
  csv=$DIR/cohort_$n.csv
  [ -s "$csv" ] || "$AXLSURV" simulate --n "$n" --seed 1 -o "$csv"
  bytes=$(wc -c <"$csv")

  # R first: one process per size, its timings into a file
  rt=$DIR/r_times_$n.txt
  : >"$rt"
  if [ "$have_r" = 1 ] && [ "$n" -le "$R_MAX" ]; then
    Rscript - "$csv" "$rt" <<'EOF' || echo "R failed at $n" >&2
suppressMessages({ library(survival); library(maxstat) })
a <- commandArgs(TRUE)
el <- function(expr) { t0 <- proc.time()[["elapsed"]]; force(expr); proc.time()[["elapsed"]] - t0 }
d <- NULL
tr <- el(d <- read.csv(a[1]))
S <- function() Surv(d$os_time, d$os_event)
t <- c(read = tr,
  describe = el({ summary(d); for (v in c("sex", "stage", "arm")) table(d[[v]], useNA = "ifany")
                  survfit(Surv(os_time, 1 - os_event) ~ 1, d) }),
  km = el({ f <- survfit(Surv(os_time, os_event) ~ arm, d); summary(f)$table
            survdiff(Surv(os_time, os_event) ~ arm, d) }),
  logrank = el(survdiff(Surv(os_time, os_event) ~ arm + strata(stage), d)),
  cox = el(summary(coxph(Surv(os_time, os_event) ~ AXL + age + sex + stage + arm + sAXL, d))),
  cutpoint = el(maxstat.test(Surv(os_time, os_event) ~ AXL, d, smethod = "LogRank",
                             pmethod = "Lau94")))
writeLines(sprintf("%s %.3f", names(t), t), a[2])
EOF
  fi

  for cmd in $COMMANDS; do
    secs= kb=
    for run in $(seq "$RUNS"); do
      # shellcheck disable=SC2046
      /usr/bin/time -f "%e %M" -o "$DIR/time.txt" "$AXLSURV" $(args_of "$cmd") "$csv" \
        >"$DIR/out.txt" 2>"$DIR/err.txt" || { echo "axlsurv $cmd failed:" >&2; cat "$DIR/err.txt" >&2; }
      read -r s k <"$DIR/time.txt"
      if [ "$cmd" = read ]; then
        # the reader alone: scan's own timing of reading the cohort
        s=$(sed -n 's/.*timing: cohort \([0-9.]*\) s.*/\1/p' "$DIR/err.txt")
      fi
      # the fastest run, and the largest peak memory
      secs=$(awk -v a="$s" -v b="$secs" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }')
      kb=$(awk -v a="$k" -v b="$kb" 'BEGIN { print (b == "" || a + 0 > b + 0) ? a : b }')
    done
    r=$(awk -v c="$cmd" '$1 == c { print $2 }' "$rt")
    rread=$(awk '$1 == "read" { print $2 }' "$rt")
    awk -v n="$n" -v c="$cmd" -v s="$secs" -v r="$r" -v rr="$rread" -v kb="$kb" -v b="$bytes" 'BEGIN {
      ri = (c == "read") ? r : (r == "" ? "" : r + rr)
      printf "%-9s %-9s %10.3f %10s %10s %8s %8s %10.0f %8.2f\n", n, c, s,
        r == "" ? "-" : sprintf("%.3f", r), ri == "" ? "-" : sprintf("%.3f", ri),
        r == "" || s <= 0 ? "-" : sprintf("%.0fx", r / s),
        ri == "" || s <= 0 ? "-" : sprintf("%.0fx", ri / s),
        kb / 1024, kb * 1024 / b }'
  done
done
