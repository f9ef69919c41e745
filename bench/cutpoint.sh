#!/bin/sh
# cutpoint.sh: time `axlsurv cutpoint` on large synthetic cohorts.
#
#   bench/cutpoint.sh [AXLSURV] [N...]
#
# AXLSURV is the binary (default: src/axlsurv, or $AXLSURV); N the cohort sizes
# (default 10000 100000 1000000).  Each cohort has a continuous marker with
# many ties (rounded to 0.1, a floor at a "detection limit") and exponential
# times whose hazard rises with the marker; about 70% events.  The search is
# one sort of the times and one of the marker, then running sums: its time
# should grow linearly with N.  Reports wall-clock seconds (best of 3) of the
# search alone, of the search with 99 permutations, and of a 5-fold CV.
set -eu
bin=${1:-${AXLSURV:-src/axlsurv}}
[ $# -gt 0 ] && shift
sizes=${*:-10000 100000 1000000}
[ -x "$bin" ] || { echo "no binary $bin: build first or pass its path" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/axlsurv-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT

# best-of-3 wall-clock seconds of a command
best () {
  b=
  for _ in 1 2 3; do
    s=$(date +%s.%N)
    "$@" > /dev/null
    e=$(date +%s.%N)
    b=$(awk -v s="$s" -v e="$e" -v b="$b" 'BEGIN { t = e - s; print (b == "" || t < b) ? t : b }')
  done
  printf '%.3f' "$b"
}

printf '%10s %10s %12s %14s %10s %s\n' n candidates search_s perm99_s cv5_s cut
for n in $sizes; do
  f=$dir/cohort_$n.csv
  awk -v n="$n" 'BEGIN {
    srand(20240501)
    print "id,marker,os_time,os_event"
    for (i = 1; i <= n; i++) {
      m = -log(1 - rand()) * 20                  # exponential marker
      if (m < 2) m = 2                           # detection limit: ties at 2
      m = int(m * 10 + 0.5) / 10
      h = (m > 25 ? 2 : 1) / 365
      t = -log(1 - rand()) / h
      c = rand() * 1500                          # censoring
      printf "%d,%.1f,%.1f,%d\n", i, m, (t < c ? t : c), (t < c)
    }
  }' > "$f"
  cand=$("$bin" cutpoint --marker marker --format json "$f" | jq .n_candidates)
  cut=$("$bin" cutpoint --marker marker --format json "$f" | jq .cutpoint)
  t1=$(best "$bin" cutpoint --marker marker --format tsv "$f")
  t2=$(best "$bin" cutpoint --marker marker --permutations 99 --format tsv "$f")
  t3=$(best "$bin" cutpoint --marker marker --cv 5 --format tsv "$f")
  printf '%10s %10s %12s %14s %10s %s\n' "$n" "$cand" "$t1" "$t2" "$t3" "$cut"
done
