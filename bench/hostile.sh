#!/bin/sh
# hostile.sh: large and hostile cohorts: does axlsurv work within bounded
# memory, or fail cleanly?  Not part of make check (it writes ~400 MB and
# takes a few minutes).
#
#   bench/hostile.sh [AXLSURV]      (default: ./src/axlsurv)
#
# Cases: 10^7 patients (km by a 2-level group, and logrank); one line of
# 100 MB (a single field of the time column, and a 100 MB unused column);
# 10^5 columns (km on two of them).  For each it prints the exit status,
# wall time, peak RSS (GNU time -v) and the first line of stderr.
set -u
AXLSURV=${1:-./src/axlsurv}
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time)"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/axlsurv-hostile.XXXXXX")
trap 'rm -rf "$dir"' EXIT

measure () {
  name=$1
  shift
  /usr/bin/time -v "$AXLSURV" "$@" >"$dir/out" 2>"$dir/err"
  rc=$?
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/err")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/err")
  msg=$(grep -v '^	' "$dir/err" | grep -v 'Command exited' | head -1 | cut -c1-110)
  printf '%-28s exit %s  %8s  %7d MB  %s\n' "$name" "$rc" "$wall" $((rss / 1024)) "$msg"
}

echo "generating inputs in $dir ..."
awk 'BEGIN { srand (1); print "patient_id,os_time,os_event,arm,axl";
  for (i = 1; i <= 10000000; i++)
    printf "P%d,%d,%d,%s,%.3f\n", i, 1 + int (rand () * 3650), rand () < 0.6,
      (rand () < 0.5 ? "A" : "B"), rand () * 10 }' > "$dir/rows.csv"
awk 'BEGIN { print "os_time,os_event,note"; print "5,1,x"; s = "1234567890";
  while (length (s) < 100000000) s = s s; printf "%s,0,x\n", substr (s, 1, 100000000) }' > "$dir/longtime.csv"
awk 'BEGIN { print "os_time,os_event,note"; print "5,1,x"; s = "abcdefghij";
  while (length (s) < 100000000) s = s s; printf "8,0,%s\n", substr (s, 1, 100000000) }' > "$dir/longnote.csv"
awk 'BEGIN { n = 100000; for (j = 1; j <= n; j++) printf "c%d%s", j, (j < n ? "," : "\n");
  for (i = 1; i <= 50; i++) for (j = 1; j <= n; j++)
    printf "%d%s", (j == 2 ? i % 2 : i + j % 7), (j < n ? "," : "\n") }' > "$dir/wide.csv"
ls -l "$dir"

echo
printf '%-28s %-6s %10s %10s  %s\n' case status wall 'peak RSS' 'first line of stderr'
measure "10^7 rows: km --group" km --group arm --format tsv --table summary "$dir/rows.csv"
measure "10^7 rows: logrank --marker" logrank --marker axl --format tsv "$dir/rows.csv"
measure "100 MB time field" km "$dir/longtime.csv"
measure "100 MB unused field" km --format tsv --table summary "$dir/longnote.csv"
measure "10^5 columns" km --time c1 --event c2 --format tsv --table summary "$dir/wide.csv"
measure "10^5 columns, no such col" km --time c1 --event nope "$dir/wide.csv"
