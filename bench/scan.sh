#!/bin/sh
# bench/scan.sh: time `axlsurv scan` on a genome-scale matrix, and R on a
# sample of the same features.
#
#   bench/scan.sh [FEATURES [PATIENTS]]      (default 20000 x 1000)
#
# Environment: AXLSURV (default: axlsurv on PATH, else ./src/axlsurv),
# BENCH_DIR (default /tmp/axlsurv-bench), THREADS (default 2),
# R_FEATURES (coxph + survdiff calls R times, then scales up; default 500;
# 0 skips R; set it to FEATURES for the whole run).
#
# The data are reproducible: the cohort from `axlsurv simulate --seed 1`, the
# matrix from awk's srand(1): a gene AXL equal to log2(AXL + 1), 100
# genes correlated with it, the rest noise, with 1 value in 1000 missing.
set -eu
NF=${1:-20000}
NP=${2:-1000}
THREADS=${THREADS:-2}
R_FEATURES=${R_FEATURES:-500}
DIR=${BENCH_DIR:-/tmp/axlsurv-bench}
if [ -z "${AXLSURV:-}" ]; then
  AXLSURV=$(command -v axlsurv || echo ./src/axlsurv)
fi
mkdir -p "$DIR"
cohort=$DIR/scan_cohort_$NP.csv
matrix=$DIR/scan_matrix_${NF}x$NP.tsv

[ -s "$cohort" ] || "$AXLSURV" simulate --n "$NP" --seed 1 -o "$cohort"
if [ ! -s "$matrix" ]; then
  echo "generating $matrix ..." >&2
  awk -F, -v nf="$NF" 'BEGIN { srand(1) }
    NR == 1 { for (j = 1; j <= NF; j++) col[$j] = j; next }
    { a = ("AXL" in col) ? col["AXL"] : col["axl_hscore"]
      id[++n] = $col["patient_id"]; axl[n] = log($a + 1) / log(2) }
    END {
      printf "gene"
      for (i = 1; i <= n; i++) printf "\t%s", id[i]
      printf "\n"
      for (f = 1; f <= nf; f++) {
        printf "%s", (f == 1 ? "AXL" : "G" f)
        for (i = 1; i <= n; i++) {
          if (rand() < 0.001) { printf "\tNA"; continue }
          # Box-Muller normal noise
          z = sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand())
          v = (f == 1) ? axl[i] : (f <= 101 ? axl[i] / 2 + z : 8 + 2 * z)
          printf "\t%.4f", v
        }
        printf "\n"
      }
    }' "$cohort" >"$matrix.tmp"
  mv "$matrix.tmp" "$matrix"
fi
size=$(wc -c <"$matrix")
echo "matrix: $NF features x $NP patients, $size bytes ($matrix)"

# axlsurv, as a whole process: text (the top 20) and every feature as tsv
for fmt in text tsv; do
  /usr/bin/time -f "%e %M" -o "$DIR/time.txt" "$AXLSURV" scan --matrix "$matrix" \
    --id patient_id --threads "$THREADS" --timing --format $fmt \
    -o "$DIR/scan_out.$fmt" "$cohort" 2>"$DIR/scan_err.txt"
  read -r secs kb <"$DIR/time.txt"
  echo "axlsurv scan --format $fmt, $THREADS threads: ${secs} s, peak $((kb / 1024)) MB"
  sed 's/^/  /' "$DIR/scan_err.txt"
done
/usr/bin/time -f "%e %M" -o "$DIR/time.txt" "$AXLSURV" scan --matrix "$matrix" \
  --id patient_id --threads 1 --timing -o "$DIR/scan_out.1" "$cohort" 2>"$DIR/scan_err.txt"
read -r secs1 kb <"$DIR/time.txt"
echo "axlsurv scan --format text, 1 thread: ${secs1} s"
sed 's/^/  /' "$DIR/scan_err.txt"

[ "$R_FEATURES" -gt 0 ] && command -v Rscript >/dev/null || exit 0
Rscript - "$cohort" "$matrix" "$R_FEATURES" "$NF" "$secs" <<'EOF'
suppressMessages(library(survival))
a <- commandArgs(TRUE)
k <- as.integer(a[3]); nf <- as.integer(a[4]); ours <- as.numeric(a[5])
t0 <- proc.time()[["elapsed"]]
cl <- read.csv(a[1])
m <- read.delim(a[2], nrows = k, check.names = FALSE)
x <- as.matrix(m[, cl$patient_id])
t1 <- proc.time()[["elapsed"]]
for (f in seq_len(nrow(x))) {
  v <- x[f, ]
  fit <- coxph(Surv(cl$os_time, cl$os_event) ~ v)
  lr <- survdiff(Surv(cl$os_time, cl$os_event) ~ (v > median(v, na.rm = TRUE)))
}
t2 <- proc.time()[["elapsed"]]
per <- (t2 - t1) / nrow(x)
cat(sprintf("R: %d features in %.2f s (%.2f ms per feature: coxph + survdiff), reading %d rows %.2f s\n",
            nrow(x), t2 - t1, 1000 * per, k, t1 - t0))
cat(sprintf("R, scaled to %d features (computing only): %.1f s; axlsurv whole process is %.0fx faster\n",
            nf, per * nf, per * nf / ours))
EOF
