#!/bin/sh
# simulate.sh: axlsurv simulate: reproducible bytes, the model's promises
# (PFS <= OS, death ends PFS, the hazard ratio), the bundled cohort, and the
# messages for bad options.
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

sha () {
  sha256sum "$1" | cut -d' ' -f1
}

# expect_file_sha FILE SHA: FILE's sha256 is SHA.
expect_file_sha () {
  checks=$((checks + 1))
  got=$(sha "$1")
  [ "$got" = "$2" ] || fail "$last: sha256 of $1 is $got, expected $2"
}

# expect_awk PROGRAM FILE: the awk PROGRAM exits 0 on FILE (a CSV).
expect_awk () {
  checks=$((checks + 1))
  awk -F, "$1" "$2" || fail "$last: $2 fails: $1"
}

HEADER='patient_id,age,sex,stage,arm,AXL,sAXL,os_time,os_event,pfs_time,pfs_event'

# ---- the same seed gives the same bytes, here and on any machine ----------------
# These digests pin the model and its draw order (src/stats/simulate.h): if a
# change to the model is intended, regenerate cohorts/nsclc_sim.csv and update
# them, and say so in cohorts/README.md.
run simulate --n 3 --seed 42
expect_rc 0
expect_stdout "$HEADER
SIM0001,74,M,II,chemotherapy,140,24.2,4.7,1,4.7,1
SIM0002,63,M,IV,osimertinib,50,39.2,13.6,0,0.8,1
SIM0003,52,M,IV,osimertinib,0,54.4,30.9,1,9.8,1"

run simulate --n 1000 --seed 42
expect_rc 0
expect_file_sha "$out" 2a029b6ffe8e1fa39140cec794254e7a5cd65315197db2977449b44786e4e4c0
cp "$out" seed42.csv

# the defaults: 400 patients, seed 1
run simulate
expect_file_sha "$out" d6a289f2c7579d5cf09056ddc70c3f6c11533502f19584a72af1a4f093cacba5
checks=$((checks + 1))
[ "$(wc -l <"$out")" -eq 401 ] || fail "$last: $(wc -l <"$out") lines, expected 401"

# every model option changes the cohort, reproducibly
run simulate --n 1000 --seed 42 --marker-effect saxl --hr 0.7 --shape 0.9 --median 24 \
  --progression-median 10 --accrual 12 --follow-up 24 --dropout 0
expect_file_sha "$out" c5719bcd0e4d06e486793c1e4ac4607de4678e309d78ce343887030c6ca21e60

# a different seed gives a different cohort
run simulate --n 1000 --seed 43
checks=$((checks + 1))
cmp -s "$out" seed42.csv && fail "$last: seeds 42 and 43 gave the same cohort"

# -o writes the same bytes, atomically
run simulate --n 1000 --seed 42 -o sim.csv
expect_rc 0
expect_empty_stdout
checks=$((checks + 1))
cmp -s sim.csv seed42.csv || fail "$last: -o differs from standard output"

# the scale for a median: --scale M / log(2)^(1/shape) is --median M
run simulate --n 200 --seed 9 --median 18
cp "$out" median.csv
run simulate --n 200 --seed 9 --scale "$(awk 'BEGIN { printf "%.17g", 18 / log(2) ^ (1 / 1.2) }')"
checks=$((checks + 1))
cmp -s "$out" median.csv || fail "$last: --scale differs from the equivalent --median"

# ---- what the model promises, on a large cohort ----------------------------------
run simulate --n 20000 --seed 5 -o big.csv
expect_rc 0
# PFS <= OS; a death ends PFS with an event; times at least 0.1 month
expect_awk 'NR > 1 && !($10 <= $8 && $10 >= 0.1) { exit 1 }' big.csv
expect_awk 'NR > 1 && $9 == 1 && $11 != 1 { exit 1 }' big.csv
# H-scores are multiples of 5 in 0..300, with many ties; sAXL is at least the
# limit of detection, 10.0 ng/mL, and some patients are tied there
expect_awk 'NR > 1 && !($6 % 5 == 0 && $6 >= 0 && $6 <= 300) { exit 1 }' big.csv
expect_awk 'NR > 1 && $7 < 10 { exit 1 }' big.csv
expect_awk 'NR > 1 && $7 == "10.0" { lod++ } END { exit !(lod > 200 && lod < 2000) }' big.csv
expect_awk 'NR > 1 && $6 == 0 { neg++ } END { exit !(neg > 3500 && neg < 4500) }' big.csv
expect_awk 'NR > 1 { seen[$3 $4 $5]++ } END { exit !(length(seen) == 16) }' big.csv
# describe finds nothing wrong
run describe big.csv --format json
expect_rc 0
expect_json '[.checks[].violations] | join(",")' "0,0"
expect_json '.checks[0].checked' 20000
expect_json '.warnings | length' 0

# the hazard ratio is recovered, roughly: high AXL (H-score > 100) has more
# deaths than expected, and (O/E high) / (O/E low) is near the true 1.8
# (attenuated a little: the other covariates are not adjusted for)
oe_ratio='(.groups[1].observed / .groups[1].expected) / (.groups[0].observed / .groups[0].expected)'
run logrank --marker AXL --cut 100 --format json big.csv
expect_rc 0
expect_json '.groups[1].name' high
expect_json '.groups[1].observed > .groups[1].expected' true
expect_json "$oe_ratio > 1.5 and $oe_ratio < 2.0" true
# and for PFS, whose progression hazard has the same marker effect
run logrank --endpoint pfs --marker AXL --cut 100 --format json big.csv
expect_json "$oe_ratio > 1.4 and $oe_ratio < 2.0" true

# no effect: the ratio is near 1; a protective marker: below 1
run simulate --n 20000 --seed 5 --hr 1 -o null.csv
run logrank --marker AXL --cut 100 --format json null.csv
expect_json "$oe_ratio > 0.93 and $oe_ratio < 1.07" true
run simulate --n 20000 --seed 5 --hr 0.5 -o protective.csv
run logrank --marker AXL --cut 100 --format json protective.csv
expect_json "$oe_ratio > 0.45 and $oe_ratio < 0.65" true

# the effect on soluble AXL above its cut, 30 ng/mL by default
run simulate --n 20000 --seed 5 --marker-effect saxl -o saxl.csv
run logrank --marker sAXL --cut 30 --format json saxl.csv
expect_json "$oe_ratio > 1.5 and $oe_ratio < 2.0" true
run simulate --n 20000 --seed 5 --marker-effect saxl --cut 50 -o saxl50.csv
run logrank --marker sAXL --cut 50 --format json saxl50.csv
expect_json "$oe_ratio > 1.5 and $oe_ratio < 2.1" true

# ---- the bundled cohort is regenerated byte for byte (cohorts/README.md) --------
run simulate --n 400 --seed 2024 --hr 1.8 --marker-effect axl -o nsclc_sim.csv
expect_rc 0
checks=$((checks + 1))
cmp -s nsclc_sim.csv "$COHORTS/nsclc_sim.csv" \
  || fail "$last: differs from cohorts/nsclc_sim.csv"

# ---- bad options: exit 2, the message, nothing written ---------------------------
try='Try '\''axlsurv simulate --help'\'' for more information.'
expect_error 2 "axlsurv: --n '0': expected a whole number from 1 to 1000000000
$try" simulate --n 0
expect_error 2 "axlsurv: --n '12x': expected a whole number from 1 to 1000000000
$try" simulate --n 12x
expect_error 2 "axlsurv: --seed '0': expected a whole number from 1 to 4294967295
$try" simulate --seed 0
expect_error 2 "axlsurv: --hr '0': must be positive
$try" simulate --hr 0
expect_error 2 "axlsurv: --hr 'high': not a number
$try" simulate --hr high
expect_error 2 "axlsurv: --marker-effect 'gas6': use axl or saxl
$try" simulate --marker-effect gas6
expect_error 2 "axlsurv: --cut 'median': give the marker's value, e.g. --cut 100
$try" simulate --cut median
expect_error 2 "axlsurv: give either --median or --scale, not both
$try" simulate --median 18 --scale 20
expect_error 2 "axlsurv: --shape '-1': must be positive
$try" simulate --shape -1
expect_error 2 "axlsurv: --progression-median '0': must be positive
$try" simulate --progression-median 0
expect_error 2 "axlsurv: --accrual '-2': must be 0 or more
$try" simulate --accrual -2
expect_error 2 "axlsurv: --follow-up '0': must be positive
$try" simulate --follow-up 0
expect_error 2 "axlsurv: --dropout '1': must be at least 0 and below 1
$try" simulate --dropout 1
expect_error 2 "axlsurv: unexpected argument 'cohort.csv'
$try" simulate cohort.csv
expect_error 2 "axlsurv: unknown option '--format'
$try" simulate --format json
expect_error 2 "axlsurv: option '-o' needs an argument
$try" simulate -o
expect_error 2 "axlsurv: --n '0': expected a whole number from 1 to 1000000000
$try" simulate --n 0 -o never.csv
expect_no_file never.csv

# an output that cannot be written: exit 1
expect_error 1 "axlsurv: no-such-dir/sim.csv: cannot write: No such file or directory" \
  simulate -o no-such-dir/sim.csv

# --help: the usage, exit 0
run simulate --help
expect_rc 0
checks=$((checks + 1))
grep -q '^Usage: axlsurv simulate \[OPTIONS\]$' "$out" || fail "$last: no usage line"

finish
