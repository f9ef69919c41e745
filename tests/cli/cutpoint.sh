#!/bin/sh
# cutpoint: the maximally selected log-rank statistic against R maxstat 0.7-25,
# the corrected p-values, the profile, bootstrap and cross-validation, ties,
# and --cut optimal / --cut-from in the other commands.
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

REF=$DATA/r-survival

# ---- agreement with R maxstat on the reference files ------------------------
# maxstat.test(Surv(time, status) ~ marker, smethod = "LogRank",
#              pmethod = "Lau92" | "Lau94", minprop = 0.1, maxprop = 0.9)
for spec in "lung age time status" "veteran karno time status" \
            "gbsg pgr rfstime status"; do
  set -- $spec
  data=$1 marker=$2 time=$3 event=$4
  run cutpoint --marker "$marker" --time "$time" --event "$event" --format json \
    "$DATA/$data.csv"
  expect_rc 0
  # columns: marker cutpoint statistic p_lau92 p_lau94 n_low n_high
  ref=$(sed -n 2p "$REF/maxstat_${data}_${marker}.tsv")
  field () { printf '%s\n' "$ref" | cut -f"$1"; }
  expect_json .marker "$marker"
  expect_json .cutpoint "$(field 2)"
  expect_json_near .statistic "$(field 3)" 1e-9
  expect_json_near .p_lau92 "$(field 4)" 1e-6
  expect_json_near .p_lau94 "$(field 5)" 1e-6
  expect_json .n_low "$(field 6)"
  expect_json .n_high "$(field 7)"
  expect_json .p_perm null
  expect_json '.n_low + .n_high == .n_used and .events_low + .events_high == .events' true

  # the profile, point by point: the same cuts, statistics within 1e-9
  json '.profile[] | "\(.cutpoint)\t\(.statistic)"' > profile.tsv
  checks=$((checks + 1))
  tail -n +2 "$REF/maxstat_profile_${data}_${marker}.tsv" | paste - profile.tsv \
    | awk -F'\t' 'NF != 4 || $1 != $3 { bad++ }
                  { d = $2 - $4; if (d < 0) d = -d; if (d > 1e-9 * $2) bad++ }
                  END { exit bad > 0 || NR == 0 }' \
    || fail "$data $marker: profile differs from R maxstat"
  checks=$((checks + 1))
  [ "$(wc -l < profile.tsv)" -eq $(($(wc -l < "$REF/maxstat_profile_${data}_${marker}.tsv") - 1)) ] \
    || fail "$data $marker: profile has $(wc -l < profile.tsv) cuts"
done

# The naive hazard ratio: coxph(Surv(time, status) ~ I(age > 70), data = lung)
# exp(coef), exp(confint), Wald p
run cutpoint --marker age --time time --event status --format json "$DATA/lung.csv"
expect_json_near .hr.hr 1.4879305100220670 1e-7
expect_json_near .hr.lower 1.0341850127725327 1e-7
expect_json_near .hr.upper 2.1407554502450328 1e-7
expect_json_near .hr.p 0.0322683438647561 1e-6
# 2 * pnorm(-2.01361866309724): what an uncorrected analysis would report
expect_json_near .p_uncorrected 0.0440495854612076 1e-9
expect_json .n_at_cut 10
expect_json .n_candidates 24
expect_json .events_low 127
expect_json .events_high 38
# coxph(Surv(time, status) ~ I(karno > 40), data = veteran)
run cutpoint --marker karno --time time --event status --format json "$DATA/veteran.csv"
expect_json_near .hr.hr 0.270291383447343 1e-7
expect_json_near .hr.upper 0.406004085540423 1e-7

# tsv: one summary row, numbers that read back exactly
run cutpoint --marker karno --time time --event status --format tsv "$DATA/veteran.csv"
expect_rc 0
checks=$((checks + 1))
[ "$(head -1 "$out")" = "$(printf 'marker\tcutpoint\tstatistic\tp_lau92\tp_lau94\tp_perm\tp_uncorrected\tn_low\tn_high\tevents_low\tevents_high\tn_at_cut\tn_candidates\thr\thr_lower\thr_upper\tcv_hr\tcv_lower\tcv_upper\tboot_lower\tboot_upper')" ] \
  || fail "tsv summary header: $(head -1 "$out")"
checks=$((checks + 1))
[ "$(sed -n 2p "$out" | cut -f1,2,6,8-13)" = "$(printf 'karno\t40\tNA\t38\t99\t37\t91\t16\t6')" ] \
  || fail "tsv summary row: $(sed -n 2p "$out")"
expect_near "$(sed -n 2p "$out" | cut -f3)" 4.61806159115936 1e-9
run cutpoint --marker karno --time time --event status --format tsv --table profile \
  "$DATA/veteran.csv"
# (the statistics to 1e-12: valgrind computes long double sums in double)
checks=$((checks + 1))
printf 'cutpoint\tstatistic\tn_low\n30\t3.8278692577940356\t22\n40\t4.618061591159363\t38\n50\t4.4171262329587035\t52\n60\t4.457365858880863\t79\n70\t3.2200959145791934\t102\n75\t3.3845933007706375\t104\n' \
  | paste - "$out" | awk -F'\t' 'NR == 1 { bad += $0 != "cutpoint\tstatistic\tn_low\tcutpoint\tstatistic\tn_low" }
      NR > 1 { d = $2 - $5; if (d < 0) d = -d; bad += NF != 6 || $1 != $4 || $3 != $6 || d > 1e-12 * $2 }
      END { exit bad > 0 || NR != 7 }' || fail "profile table: $(cat "$out")"

# text: the cut, its ties, the corrected and the uncorrected p-values
run cutpoint --marker age --time time --event status "$DATA/lung.csv"
expect_rc 0
checks=$((checks + 1))
grep -qx 'cutpoint:  70 (10 patients have exactly this value)' "$out" \
  || fail "text: no cutpoint line: $(cat "$out")"
checks=$((checks + 1))
grep -q '^  Lau94 (Lausen, Sauerbrei & Schumacher 1994) *0.4272$' "$out" \
  || fail "text: no Lau94 line"
checks=$((checks + 1))
grep -q '^Uncorrected log-rank p at this cut: 0.044 ' "$out" || fail "text: no uncorrected p"

# ---- permutation p-value -----------------------------------------------------
run cutpoint --marker age --time time --event status --permutations 999 --format json \
  "$DATA/lung.csv"
expect_rc 0
# regression value from our own run (mt19937, seed 1, 999 permutations): not from R
expect_json .p_perm 0.294
expect_json .permutations 999
expect_json .seed 1
# sanity: R maxstat.test(..., pmethod = "condMC", B = 20000) gives 0.28835 with
# set.seed(1); 999 permutations have a standard error of about 0.015
expect_near "$(json .p_perm)" 0.28835 0.2
# and Lau94 (0.427) is conservative: the permutation p is below it
expect_json '.p_perm < .p_lau94' true
p1=$(json .p_perm)
run cutpoint --marker age --time time --event status --permutations 999 --seed 1 \
  --format json "$DATA/lung.csv"
expect_json .p_perm "$p1"
run cutpoint --marker age --time time --event status --permutations 999 --seed 2 \
  --format json "$DATA/lung.csv"
expect_json ".p_perm != $p1 and .p_perm > 0.2 and .p_perm < 0.4" true
# a strong marker: the smallest p that 999 permutations can give, 1/1000
run cutpoint --marker karno --time time --event status --permutations 999 --format json \
  "$DATA/veteran.csv"
expect_json .p_perm 0.001

# ---- bootstrap of the cutpoint ----------------------------------------------------
run cutpoint --marker age --time time --event status --bootstrap 200 --format json \
  "$DATA/lung.csv"
expect_rc 0
# regression values from our own run (seed 1)
expect_json .bootstrap.median 64
expect_json .bootstrap.lower 48
expect_json .bootstrap.upper 73
expect_json .bootstrap.share_same_cut 0.135
expect_json '.bootstrap.cuts | length' 200
expect_json .bootstrap.undefined 0
# every bootstrap cut is an observed age (a cut is always a marker value)
expect_json '[.bootstrap.cuts[] | select(. != floor)] | length' 0
run cutpoint --marker age --time time --event status --bootstrap 200 --format tsv \
  --table bootstrap "$DATA/lung.csv"
checks=$((checks + 1))
[ "$(wc -l < "$out")" -eq 201 ] && [ "$(head -1 "$out")" = "$(printf 'replicate\tcutpoint')" ] \
  || fail "bootstrap table: $(head -3 "$out")"

# ---- cross-validated hazard ratio ------------------------------------------------
# Leave-one-out (--cv n) does not depend on the seed, so R can check it:
#   for (i in 1:n) { m <- maxstat.test(Surv(time, status) ~ karno, data = vet[-i, ],
#     smethod = "LogRank", minprop = 0.1, maxprop = 0.9); high[i] <- vet$karno[i] > m$estimate }
#   coxph(Surv(vet$time, vet$status) ~ high)
run cutpoint --marker karno --time time --event status --cv 137 --format json \
  "$DATA/veteran.csv"
expect_rc 0
expect_json_near .cv.hr.hr 0.505399990418215816 1e-7
expect_json_near .cv.hr.lower 0.345202188195863846 1e-7
expect_json_near .cv.hr.upper 0.739940704459859933 1e-7
expect_json_near .cv.hr.p 0.000450732419969744 1e-6
expect_json '[.cv.fold_cuts[].cutpoint] | group_by(.) | map("\(.[0])x\(length)") | join(",")' \
  '40x133,50x2,60x2'
# the naive HR is far more extreme than the honest one
expect_json '.hr.hr < .cv.hr.hr' true
run cutpoint --marker age --time time --event status --cv 5 --format json "$DATA/lung.csv"
expect_rc 0
# folds are stratified by event: 165 events in 5 folds of 33
expect_json '[.cv.fold_cuts[].events] | map(tostring) | join(",")' '33,33,33,33,33'
expect_json '[.cv.fold_cuts[].n] | add' 228
expect_json .cv.hr.n 228
# regression value from our own run (seed 1)
expect_json_near .cv.hr.hr 1.0179812054407893 1e-9
run cutpoint --marker age --time time --event status --cv 5 --format tsv --table folds \
  "$DATA/lung.csv"
expect_stdout "$(printf 'fold\tn\tevents\tcutpoint\n1\t46\t33\t69\n2\t46\t33\t70\n3\t46\t33\t60\n4\t45\t33\t71\n5\t45\t33\t66')"

# ---- many patients, few times: the hazard ratio of collapsed patients ----------
# The HR is fitted to the patients collapsed into one row per time, event and
# group, with counts: 30000 patients on 40 times give hundreds of deaths per
# time (Efron's steps in closed form).  It is the Cox fit of the patients
# themselves (cox --cut at the same cut) to 1e-12, and the same on 1, 2 or 3
# threads, cross-validated too.  (The p-value, 1.8e-41, is out in the tail,
# where a last-bit change of z moves it z^2 = 180 times more.)
awk -v n=30000 'BEGIN {
  print "patient_id,os_time,os_event,axl"
  for (i = 1; i <= n; i++) {
    axl = (i * 37) % 500
    printf "P%d,%d,%d,%d\n", i, 1 + int((i * 7919) % 1000 / 1000 * (axl < 260 ? 40 : 38)),
      i % 5 != 0, axl
  }
}' > many.csv || exit 99
for th in 1 2 3; do
  export AXLSURV_THREADS=$th
  run cutpoint --marker axl --cv 5 --format json many.csv
  expect_rc 0
  cp "$out" "many.$th" || exit 99
done
unset AXLSURV_THREADS
checks=$((checks + 2))
cmp -s many.1 many.2 || fail "cutpoint --cv: 1 and 2 threads differ"
cmp -s many.1 many.3 || fail "cutpoint --cv: 1 and 3 threads differ"
expect_json '[.cutpoint, .hr.n, .hr.events] | join(",")' '171,30000,24000'
hr=$(json .hr.hr) lower=$(json .hr.lower) upper=$(json .hr.upper) p=$(json .hr.p)
run cox --marker axl --cut 171 --format json many.csv
expect_rc 0
expect_json '.terms[0].term' 'axl=high'
expect_json_near '.terms[0].hr' "$hr" 1e-12
expect_json_near '.terms[0].hr_lower' "$lower" 1e-12
expect_json_near '.terms[0].hr_upper' "$upper" 1e-12
expect_json_near '.terms[0].p' "$p" 1e-10

# ---- ties: a marker at its detection limit --------------------------------------
# 14 of 40 patients at the assay's floor (2 ng/mL); R on this file:
#   maxstat.test(Surv(os_time, os_event) ~ saxl, ...): cut 2, M 3.48295242958319,
#   Lau92 0.01407124888019300, Lau94 0.00583385330173642, 23 candidate cuts
cat > lod.csv <<'EOF'
id,saxl,os_time,os_event
1,2,8.1,1
2,2,28.8,1
3,2,22.9,1
4,2,56.7,1
5,2,56.5,0
6,2,36.8,1
7,2,10.9,1
8,2,20.8,1
9,2,29.2,1
10,2,16.1,1
11,2,27.9,0
12,2,72.5,1
13,2,19.5,1
14,2,12.4,1
15,59.4,5.8,1
16,25.4,7.1,1
17,9.2,3.6,1
18,6.5,5.9,1
19,16.5,15.4,0
20,48,20.8,1
21,22.1,23.1,1
22,58.4,15.6,1
23,12,10,1
24,28.9,23.6,1
25,12.4,0.6,1
26,15.8,6.8,1
27,46.9,5.1,1
28,8,1.6,1
29,28.6,4.3,1
30,7.4,11.6,1
31,34.7,11.2,1
32,33,8.7,0
33,59.2,3.4,1
34,20.7,18.1,1
35,39.3,2.1,1
36,19.5,12.5,1
37,59.8,7.8,1
38,54.6,17.8,1
39,59.4,31.7,1
40,6.3,6.8,1
EOF
run cutpoint --marker saxl --format json lod.csv
expect_rc 0
expect_json .cutpoint 2
expect_json .n_at_cut 14
expect_json .n_low 14
expect_json .n_candidates 23
expect_json_near .statistic 3.48295242958319 1e-9
expect_json_near .p_lau92 0.01407124888019300 1e-6
expect_json_near .p_lau94 0.00583385330173642 1e-6
# R's profile starts 2 3.48295242958319, 6.3 3.18512616515835, 6.5 2.88052514273195:
# no cut inside the 14 tied values
expect_json '.profile[0:3] | map("\(.cutpoint):\(.n_low)") | join(",")' '2:14,6.3:15,6.5:16'
expect_json_near '.profile[1].statistic' 3.18512616515835 1e-9
run cutpoint --marker saxl lod.csv
checks=$((checks + 1))
grep -qx 'cutpoint:  2 (14 patients have exactly this value)' "$out" || fail "lod text: $(head -8 "$out")"
# at least 40% low (16 patients): the 14 tied ones (35%) are too few, and are
# not split to make up the number
run cutpoint --marker saxl --minprop 0.4 --format json lod.csv
expect_json '.profile[0] | "\(.cutpoint):\(.n_low)"' '6.5:16'

# ---- --cut optimal in the other commands ---------------------------------------
warning="axlsurv: warning: --cut optimal: marker 'age' is cut at 70, the cut that best separates these patients' survival; p-values here are not corrected for that choice (use 'axlsurv cutpoint' for corrected ones)"
run logrank --marker age --cut optimal --time time --event status --format json "$DATA/lung.csv"
expect_rc 0
expect_stderr "$warning"
expect_json '.cuts | map(tostring) | join(",")' 70
expect_json '.groups | map("\(.name):\(.n)") | join(",")' 'low:182,high:46'
# survdiff(Surv(time, status) ~ I(age > 70), data = lung)$chisq
expect_json_near .chisq 4.64036855515945 1e-9
run km --marker age --cut optimal --time time --event status --format json "$DATA/lung.csv"
expect_rc 0
expect_stderr "$warning"
expect_json '.groups | map("\(.name):\(.n)") | join(",")' 'low:182,high:46'
expect_error 1 "axlsurv: $DATA/lung.csv: --cut optimal: no cutpoint of marker 'age' to choose (no events, or fewer than two distinct values between its 0.1 and 0.9 quantiles)" \
  logrank --marker age --cut optimal --time time --event status --subset status=0 "$DATA/lung.csv"

# ---- --cut-from: a discovery cut applied unchanged to a validation cohort --------
run cutpoint --marker age --time time --event status --subset sex=male --format json \
  -o cut.json "$DATA/lung.csv"
expect_rc 0
expect_empty_stdout
checks=$((checks + 1))
[ "$(jq -r .cutpoint cut.json)" = 65 ] || fail "cut.json: $(head -c 300 cut.json)"
run logrank --marker age --cut-from cut.json --time time --event status --subset sex=female \
  --format json "$DATA/lung.csv"
expect_rc 0
expect_stderr ""
expect_json '.cuts | map(tostring) | join(",")' 65
expect_json '.groups | map("\(.name):\(.n)") | join(",")' 'low:61,high:29'
# survdiff(Surv(time, status) ~ I(age > 65), data = subset(lung, sex == "female"))$chisq
expect_json_near .chisq 0.0328699738734428 1e-9
run km --marker age --cut-from cut.json --time time --event status --format json "$DATA/lung.csv"
expect_rc 0
expect_json '.cuts[0]' 65
expect_error 2 "axlsurv: --cut-from cut.json: the cut was chosen for marker 'age', not for --marker 'ph.karno'
Try 'axlsurv logrank --help' for more information." \
  logrank --marker ph.karno --cut-from cut.json --time time --event status "$DATA/lung.csv"
expect_error 2 "axlsurv: give either --cut or --cut-from, not both
Try 'axlsurv km --help' for more information." \
  km --marker age --cut median --cut-from cut.json --time time --event status "$DATA/lung.csv"
expect_error 2 "axlsurv: --cut-from needs --marker (the marker the cut was chosen for)
Try 'axlsurv km --help' for more information." \
  km --cut-from cut.json --time time --event status "$DATA/lung.csv"
expect_error 1 "axlsurv: missing.json: No such file or directory" \
  km --marker age --cut-from missing.json --time time --event status "$DATA/lung.csv"
run km --marker age --time time --event status --format json -o km.json "$DATA/lung.csv"
expect_error 1 "axlsurv: km.json: not a cutpoint file written by 'axlsurv cutpoint --format json -o FILE': no \"marker\" member" \
  km --marker age --cut-from km.json --time time --event status "$DATA/lung.csv"
printf '{"command": "cutpoint", "marker": "age",\n "cutpoint": 65,\n "profile": [{"cutpoint": 1}\n' > broken.json
expect_error 1 "axlsurv: broken.json:4: not a cutpoint file written by 'axlsurv cutpoint --format json -o FILE': ',' or ']' was expected" \
  km --marker age --cut-from broken.json --time time --event status "$DATA/lung.csv"
# only the top-level "cutpoint" counts, not the profile's, whatever the order
printf '{"profile": [{"cutpoint": 1}], "marker": "a\\u0067e", "cutpoint": 70}' > min.json
run logrank --marker age --cut-from min.json --time time --event status --format json \
  "$DATA/lung.csv"
expect_rc 0
expect_json '.groups | map("\(.name):\(.n)") | join(",")' 'low:182,high:46'
printf '{"marker": "age", "cutpoint": null}' > null.json
expect_error 1 "axlsurv: null.json: the \"cutpoint\" member is not a finite number" \
  km --marker age --cut-from null.json --time time --event status "$DATA/lung.csv"

# ---- plot cutpoint: the profile figure ---------------------------------------------
run plot cutpoint --marker karno --time time --event status "$DATA/veteran.csv"
expect_rc 0
# the script's $profile datablock is the profile table, row for row
sed -n '/^\$profile << EOD$/,/^EOD$/p' "$out" | sed '1d;$d' > fig_profile.txt
# shellcheck disable=SC2086
$AXLSURV_WRAPPER "$AXLSURV" cutpoint --marker karno --time time --event status --format tsv \
  --table profile "$DATA/veteran.csv" | tail -n +2 | tr '\t' ' ' > table_profile.txt
checks=$((checks + 1))
cmp -s fig_profile.txt table_profile.txt || fail "plot cutpoint: \$profile differs from the profile table"
checks=$((checks + 1))
grep -qx 'set arrow from 40, graph 0 to 40, graph 1 nohead ls 2 lw 1 dt (4,3) back' "$out" \
  || fail "plot cutpoint: no line at the cut"
# the 5% level corrected for the search: R maxstat's
# pLausen94(2.5250342146359053, 137, 0.1, 0.9, m = c(22, 38, 52, 79, 102, 104)) is 0.05
crit=$(sed -n 's/^set arrow from graph 0, first \([0-9.]*\) to .* ls 3 .*/\1/p' "$out")
expect_near "$crit" 2.5250342146359053 1e-8
checks=$((checks + 1))
grep -q "^set label '5% level corrected for the search (Lau94): 2.53' at screen " "$out" \
  || fail "plot cutpoint: no key entry of the corrected level"
checks=$((checks + 1))
grep -q "^set label '5% level at one fixed cut: 1.96' at screen " "$out" \
  || fail "plot cutpoint: no key entry of the fixed-cut level"
# no threshold label inside the panel, where it could cross the curve
checks=$((checks + 1))
! grep -q "^set label .* first " "$out" \
  || fail "plot cutpoint: a label placed in data coordinates"
# the x axis: the candidate cuts 30..75 (the profile above) padded by 3% of
# their range; karno's minimum (10) is below, so it does not bind
checks=$((checks + 1))
grep -qx 'set xrange \[28.65:76.35\]' "$out" || fail "plot cutpoint: x range $(grep xrange "$out")"
# ph.ecog's first cut (0) is its minimum: the axis starts there, not at -0.03
run plot cutpoint --marker ph.ecog --time time --event status "$DATA/lung.csv"
expect_rc 0
checks=$((checks + 1))
grep -qx 'set xrange \[0:1.03\]' "$out" || fail "plot cutpoint: x range $(grep xrange "$out")"
expect_error 2 "axlsurv: which marker? give --marker COL
Try 'axlsurv plot cutpoint --help' for more information." \
  plot cutpoint --time time --event status "$DATA/veteran.csv"
if [ -n "${GNUPLOT:-}" ] && [ -x "$GNUPLOT" ]; then
  run plot cutpoint --marker age --time time --event status --render profile.png \
    "$DATA/lung.csv"
  expect_rc 0
  checks=$((checks + 1))
  [ "$(head -c 4 profile.png | od -An -c | tr -d ' ')" = '211PNG' ] \
    || fail "plot cutpoint --render: profile.png is not a PNG"
fi

# ---- errors ---------------------------------------------------------------------
expect_error 2 "axlsurv: which marker? give --marker COL
Try 'axlsurv cutpoint --help' for more information." \
  cutpoint --time time --event status "$DATA/lung.csv"
expect_error 2 "axlsurv: --minprop 0.6 must be below --maxprop 0.5
Try 'axlsurv cutpoint --help' for more information." \
  cutpoint --marker age --minprop 0.6 --maxprop 0.5 --time time --event status "$DATA/lung.csv"
expect_error 2 "axlsurv: --minprop '1.5': a share of patients, from 0 to 1
Try 'axlsurv cutpoint --help' for more information." \
  cutpoint --marker age --minprop 1.5 --time time --event status "$DATA/lung.csv"
expect_error 2 "axlsurv: --cv '1': expected a whole number from 2 to 1000000
Try 'axlsurv cutpoint --help' for more information." \
  cutpoint --marker age --cv 1 --time time --event status "$DATA/lung.csv"
expect_error 2 "axlsurv: --cv 50: more folds than the 40 patients analysed
Try 'axlsurv cutpoint --help' for more information." \
  cutpoint --marker saxl --cv 50 lod.csv
expect_error 2 "axlsurv: --seed '0': expected a whole number from 1 to 4294967295
Try 'axlsurv cutpoint --help' for more information." \
  cutpoint --marker saxl --seed 0 lod.csv
expect_error 2 "axlsurv: --table bootstrap needs --bootstrap B
Try 'axlsurv cutpoint --help' for more information." \
  cutpoint --marker saxl --format tsv --table bootstrap lod.csv
expect_error 2 "axlsurv: --table 'curve': use one of summary, profile, bootstrap, folds
Try 'axlsurv cutpoint --help' for more information." \
  cutpoint --marker saxl --format tsv --table curve lod.csv
expect_error 2 "axlsurv: unknown option '--cut'
Try 'axlsurv cutpoint --help' for more information." \
  cutpoint --marker saxl --cut median lod.csv
expect_error 1 "axlsurv: lod.csv: no events among the 4 patients analysed: no cutpoint to search" \
  cutpoint --marker saxl --subset os_event=0 lod.csv
expect_error 1 "axlsurv: lod.csv: marker 'saxl' has no candidate cut: fewer than two distinct values between its 0.1 and 0.9 quantiles (--minprop, --maxprop)" \
  cutpoint --marker saxl --subset saxl=2 lod.csv
# a failed run leaves no file behind
expect_error 1 "axlsurv: lod.csv: no events among the 4 patients analysed: no cutpoint to search" \
  cutpoint --marker saxl --subset os_event=0 -o none.json lod.csv
expect_no_file none.json

run cutpoint --help
expect_rc 0
checks=$((checks + 1))
grep -q -- '--permutations N' "$out" || fail "cutpoint --help"

finish
