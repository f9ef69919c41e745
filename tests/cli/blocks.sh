#!/bin/sh
# blocks.sh: cohorts larger than one block of rows (the design, the levels,
# the id check and describe work on blocks of rows, on threads): the same
# output whatever the number of threads, and the first bad value in file
# order is the one reported, whichever block it falls in.
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

# 40000 patients (more than two blocks of 16384 rows), every value a
# function of the row number i, so that awk can count what to expect.
N=40000
awk -v n=$N 'BEGIN {
  print "patient_id,os_time,os_event,arm,stage,axl,note"
  split("A,B,C", arm, ","); split("I,II,III,IV", stage, ",")
  for (i = 1; i <= n; i++)
    printf "P%d,%.1f,%d,%s,%s,%d,%s\n", i, (i * 7) % 97 / 2 + 0.5, i % 3 == 0,
      arm[i % 3 + 1], stage[i % 4 + 1], (i * 13) % 301, i % 1000 == 0 ? "NA" : "n" i % 25
}' > big.csv || exit 99

# ---- the same output on 1, 2 or 3 threads -------------------------------------
same_on_threads () {
  name=$1
  shift
  for th in 1 2 3; do
    export AXLSURV_THREADS=$th
    run "$@"
    expect_rc 0
    cp "$out" "$name.$th" || exit 99
  done
  unset AXLSURV_THREADS
  checks=$((checks + 2))
  cmp -s "$name.1" "$name.2" || fail "$name: 1 and 2 threads differ"
  cmp -s "$name.1" "$name.3" || fail "$name: 1 and 3 threads differ"
}
same_on_threads describe describe --format json big.csv
same_on_threads km km --group arm --format json big.csv
same_on_threads logrank logrank --group arm --strata stage --format json big.csv
same_on_threads cutpoint cutpoint --marker axl --format json big.csv
same_on_threads tertiles km --marker axl --cut tertiles --format tsv --table curve big.csv

# what describe counts, counted here by awk
run describe --format json big.csv
expect_json '[.n_used, .events] | join(",")' "$N,$(awk -v n=$N 'BEGIN { print int(n / 3) }')"
expect_json '.columns[] | select(.name == "patient_id") | .distinct' $N
expect_json '[.columns[] | select(.name == "stage") | .levels[] | "\(.level)=\(.n)"] | join(",")' \
  "I=10000,II=10000,III=10000,IV=10000"
expect_json '[.columns[] | select(.name == "note") | .type, .n, .missing, .distinct] | join(",")' \
  "text,39960,40,25"
expect_json '[.columns[] | select(.name == "axl") | .distinct, .min, .max] | join(",")' \
  "301,0,300"
run km --group arm --format json big.csv
expect_json '[.groups[] | .n] | join(",")' "13333,13334,13333"

# ---- errors far from the first block: the first in file order ----------------
# a bad time on line 20002 comes before a bad event code on line 35002
awk -F, -v OFS=, 'NR == 20002 { $2 = "soon" } NR == 35002 { $3 = "2" } { print }' \
  big.csv > bad_time.csv
for th in 1 3; do
  export AXLSURV_THREADS=$th
  expect_error 1 \
    "axlsurv: bad_time.csv:20002: column 'os_time': 'soon' is not a number" \
    km --group arm bad_time.csv
done
unset AXLSURV_THREADS
awk -F, -v OFS=, 'NR == 35002 { $3 = "2" } { print }' big.csv > bad_event.csv
expect_error 1 "axlsurv: bad_event.csv:35002: column 'os_event': '2' is not an event code: use 0 (censored) or 1 (event), or name the event's value with --event-value" \
  km bad_event.csv

# --event-value: the censoring spelling is the first other one in the file,
# even when a later block saw another one first
awk -F, -v OFS=, 'NR > 1 { $3 = $3 == 1 ? "dead" : NR < 30000 ? "alive" : "censored" } { print }' \
  big.csv > spelled.csv
for th in 1 3; do
  export AXLSURV_THREADS=$th
  expect_error 1 \
    "axlsurv: spelled.csv:30000: column 'os_event': 'censored' is neither the event value 'dead' nor the censoring value 'alive' seen before" \
    km --event-value dead spelled.csv
done
unset AXLSURV_THREADS
# ... and a negative time on the row that shows the other spelling is the
# spelling's error (the event is read first)
awk -F, -v OFS=, 'NR == 30000 { $2 = "-1" } { print }' spelled.csv > spelled_neg.csv
expect_error 1 \
  "axlsurv: spelled_neg.csv:30000: column 'os_event': 'censored' is neither the event value 'dead' nor the censoring value 'alive' seen before" \
  km --event-value dead spelled_neg.csv

# duplicate ids: the first row in file order that repeats an earlier one,
# named with the first row of that id
awk -F, -v OFS=, 'NR == 39000 { $1 = "P16" } NR == 25000 { $1 = "P29" } { print }' \
  big.csv > dup.csv
for th in 1 3; do
  export AXLSURV_THREADS=$th
  expect_error 1 \
    "axlsurv: dup.csv:25000: column 'patient_id': patient 'P29' is already on line 30: each row must be a different patient" \
    cutpoint --marker axl dup.csv
done
unset AXLSURV_THREADS
# a missing id is no patient's: NA twice is no repeat
awk -F, -v OFS=, 'NR == 100 || NR == 30000 { $1 = "NA" } { print }' big.csv > na_id.csv
run km na_id.csv
expect_rc 0

finish
