#!/bin/sh
# km: Kaplan-Meier through the binary, against R survival 3.5-3 (tests/data/reference).
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

lung="$DATA/lung.csv"
ref="$DATA/r-survival"

# summary(survfit(Surv(time, status) ~ sex, lung)): medians, CIs, restricted means
run km --time time --event status --group sex --format json "$lung"
expect_rc 0
expect_json '.n_used' 228
expect_json '[.groups[].name] | join(",")' 'female,male'
expect_json '.groups[0].median' 426
expect_json '.groups[0].median_lower' 348
expect_json '.groups[0].median_upper' 550
expect_json_near "$(json '.groups[0].rmst')" 460.647310791935
expect_json_near "$(json '.groups[1].rmst_se')" 22.9115634684895
expect_json '.groups[0].rmst_tau' 1022
# a curve row: male at t = 310 (plain CI file has S and its standard error)
expect_json_near "$(json '.groups[1].curve[] | select(.time == 310) | .surv')" 0.403305401567254
expect_json_near "$(json '.groups[1].curve[] | select(.time == 310) | .std_err')" 0.0440536811499064
# the log-rank test comes with it: survdiff(Surv(time, status) ~ sex, lung)
expect_json_near "$(json '.test.chisq')" 10.3267419548856
expect_json_near "$(json '.test.p')" 0.00131116452035549
expect_json_near "$(json '.test.groups[0].expected')" 73.4182609704272
expect_json '.test.df' 1

# every row of an R curve, as TSV: the same times, counts and numbers
run km --time time --event status --group sex --conf-type log-log --format tsv --table curve "$lung"
expect_rc 0
checks=$((checks + 1))
awk -F'\t' 'NR == FNR { if (FNR > 1) want[$1 SUBSEP $2] = $0; next }
  FNR > 1 { n++; key = $1 SUBSEP $2; split(want[key], w, "\t");
    if (!(key in want)) { print "no R row for " $1 " " $2; bad = 1; next }
    for (k = 3; k <= 9; k++) {
      if (w[k] == "NA" || $k == "NA") { if (w[k] != $k) { print "NA mismatch " key; bad = 1 } ; continue }
      d = $k - w[k]; if (d < 0) d = -d; s = w[k] < 0 ? -w[k] : w[k]; if (s < 1e-300) s = 1
      if (d > 1e-9 * s) { print "column " k " at " $1 " " $2 ": " $k " vs " w[k]; bad = 1 } } }
  END { if (n != length(want)) { print n " rows, R has " length(want); bad = 1 }; exit bad }' \
  "$ref/km_lung_sex_log-log.tsv" "$out" >"$WORK/diff" || fail "km curve vs R: $(head -5 "$WORK/diff")"

# log-log medians: R's CI differs from the log one
run km --time time --event status --group sex --conf-type log-log --format tsv "$lung"
expect_rc 0
checks=$((checks + 1))
[ "$(cut -f1-6 "$out")" = "$(printf 'group\tn\tevents\tmedian\tmedian_lower\tmedian_upper
female\t90\t53\t426\t345\t524
male\t138\t112\t270\t210\t306')" ] || fail "log-log summary: $(cat "$out")"
expect_near "$(awk -F'\t' '$1 == "male" { print $8 }' "$out")" 22.9115634684895

# groups from a marker: gbsg pgr split at its median (R: pgr <= median(pgr) is "low")
run km --time rfstime --event status --marker pgr --format json "$DATA/gbsg.csv"
expect_json '.cuts[0]' 32.5
expect_json '[.groups[] | "\(.name):\(.n):\(.events)"] | join(",")' 'low:343:183,high:343:116'
expect_json '.groups[1].median' 2286
expect_json '.groups[1].median_upper' null
expect_json_near "$(json '.groups[0].rmst')" 1407.95308722213

# tertiles and quartiles name their groups; cuts are R's type-7 quantiles
run km --time time --event status --marker age --cut tertiles --format json "$lung"
expect_json '[.groups[].name] | join(",")' 'T1,T2,T3'
expect_json '.cuts | join(",")' '59,68'
run km --time time --event status --marker age --cut quartiles --format json "$lung"
expect_json '[.groups[].name] | join(",")' 'Q1,Q2,Q3,Q4'
run km --time time --event status --marker age --cut 60,70 --format json "$lung"
expect_json '[.groups[].name] | join(",")' '<=60,(60,70],>70'
run km --time time --event status --marker age --cut p25 --format json "$lung"
expect_json '.cuts[0]' 56

# landmarks: summary(fit, times = c(100, 365)); restricted mean to --tau
run km --time time --event status --group sex --times 365 --tau 365 --format json "$lung"
# R: summary(survfit(Surv(time, status) ~ sex, lung), times = 365);
#    print(survfit(Surv(time, status) ~ 1, lung[lung$sex == "female", ]), rmean = 365)
expect_json '[.groups[].landmarks[0].n_risk] | join(",")' '30,35'
expect_json_near "$(json '.groups[0].landmarks[0].surv')" 0.526463030185906
expect_json_near "$(json '.groups[1].landmarks[0].surv')" 0.336087834639379
expect_json '.groups[0].rmst_tau' 365
expect_json_near "$(json '.groups[0].rmst')" 297.4654095 1e-9
expect_json_near "$(json '.groups[0].rmst_se')" 10.79132398 1e-9

# subsets, event coding, missing values and the reader's formats
run km --time time --event status --subset sex=female --format json "$lung"
expect_json '.n_used' 90
expect_json '.groups[0].name' all
sed 's/,1,\([0-9][0-9]*\),"\(fe\)\{0,1\}male"/,dead,\1,"&"/' "$lung" >/dev/null
awk -F, 'NR == 1 { print; next } { $4 = ($4 == 1 ? "dead" : "alive"); print }' OFS=, "$lung" >coded.csv
run km --time time --event status --event-value dead --group sex --format json coded.csv
expect_json '.groups[1].events' 112
tr ',' ';' <"$lung" | sed 's/$/\r/' >semi.csv
run km --time time --event status --group sex --format json semi.csv
expect_json '.groups[0].median' 426
printf '\357\273\277' >bom.csv
tr ',' '\t' <"$lung" >>bom.csv
run km --time time --event status --group sex --format json - <bom.csv
expect_json '.groups[0].median' 426

# -o writes the file whole and nothing on stdout
run km --time time --event status --group sex --format json -o km.json "$lung"
expect_rc 0
expect_empty_stdout
checks=$((checks + 1))
[ "$(jq -r '.groups[0].median' km.json)" = 426 ] || fail "-o km.json"

# warnings go to stderr and into the json
cp "$lung" lung.csv
run km --time time --event status --group ph.ecog --format json lung.csv
expect_stderr "axlsurv: warning: lung.csv: 1 row left out for a missing value"
expect_json '.warnings | join("|")' "lung.csv: 1 row left out for a missing value"
expect_json '.n_excluded' 1
run logrank --time time --event status --group ph.ecog --format json lung.csv
expect_json '.warnings | length' 1
run km --time time --event status --group sex --format json lung.csv
expect_json '.warnings | length' 0

# usage errors: exit 2
expect_error 2 "axlsurv: lung.csv: no column 'os_time'; the columns are: patient_id, inst, time, status, age, sex, ph.ecog, ph.karno, pat.karno, meal.cal, wt.loss
Try 'axlsurv km --help' for more information." \
  km --group sex lung.csv
expect_error 2 "axlsurv: --cut 'p120': a percentile is one number between 0 and 100; use median, tertiles, quartiles, pNN (a percentile, 0 < NN < 100), optimal, or values V or V1,V2,...
Try 'axlsurv km --help' for more information." \
  km --time time --event status --marker age --cut p120 lung.csv
expect_error 2 "axlsurv: --conf-type 'wide': use log, log-log or plain
Try 'axlsurv km --help' for more information." \
  km --time time --event status --conf-type wide lung.csv
expect_error 2 "axlsurv: give either --group or --marker, not both
Try 'axlsurv km --help' for more information." \
  km --time time --event status --group sex --marker age lung.csv
# data errors: exit 1, naming file, line, column and value
expect_error 1 "axlsurv: coded.csv:2: column 'status': 'dead' is not an event code: use 0 (censored) or 1 (event), or name the event's value with --event-value" \
  km --time time --event status coded.csv
expect_error 1 "axlsurv: lung.csv: group 'high' of marker 'age' has no patients (cuts at 100; tied marker values can make quantile cuts coincide): choose other cuts" \
  km --time time --event status --marker age --cut 100 lung.csv

finish
