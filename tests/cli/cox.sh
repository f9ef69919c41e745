#!/bin/sh
# cox.sh: end-to-end tests of `axlsurv cox`: R's coxph numbers through the
# binary, the PH test, interactions, separation and Firth, the error cases.
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

REF=$DATA/r-survival
SMALL=$FIXTURES/cox_small.csv
TAB=$(printf '\t')
LUNG="--time time --event status $DATA/lung.csv"
GBSG="--time rfstime --event status $DATA/gbsg.csv"
OVARIAN="--time futime --event fustat $DATA/ovarian.csv"
VETERAN="--time time --event status $DATA/veteran.csv"

# The reference files are R survival 3.5-3's output (tests/data/reference/
# README.md: coxph (..., ties =) and cox.zph (fit)).  MAP is a sed script
# that turns R's term names into ours (R glues factor and level: sexmale is
# our sex=male).

# check_terms FILE MAP: every row of cox_FILE against .terms of the last json.
check_terms () {
  tail -n +2 "$REF/cox_$1" >"$WORK/ref"
  rows=0
  while IFS=$TAB read -r term coef hr se z p lower upper; do
    name=$(printf '%s' "$term" | sed "$2")
    sel=".terms[] | select(.term == \"$name\")"
    expect_json_near "$sel | .coef" "$coef" 1e-7
    expect_json_near "$sel | .hr" "$hr" 1e-7
    expect_json_near "$sel | .se" "$se" 1e-7
    expect_json_near "$sel | .z" "$z" 1e-7
    expect_json_near "$sel | .p" "$p" 1e-7
    expect_json_near "$sel | .hr_lower" "$lower" 1e-7
    expect_json_near "$sel | .hr_upper" "$upper" 1e-7
    rows=$((rows + 1))
  done <"$WORK/ref"
  expect_json '.terms | length' "$rows"
}

# check_model FILE: cox_model_FILE against the last json.
check_model () {
  tail -n +2 "$REF/cox_model_$1" >"$WORK/ref"
  IFS=$TAB read -r n events ll0 ll lr lrdf lrp wald waldp score scorep \
    conc concse iter <"$WORK/ref"
  expect_json '.n' "$n"
  expect_json '.events' "$events"
  expect_json_near '.loglik_null' "$ll0" 1e-7
  expect_json_near '.loglik' "$ll" 1e-7
  expect_json_near '.tests.lr.chisq' "$lr" 1e-7
  expect_json '.tests.lr.df' "$lrdf"
  expect_json_near '.tests.lr.p' "$lrp" 1e-7
  expect_json_near '.tests.wald.chisq' "$wald" 1e-7
  expect_json '.tests.wald.df' "$lrdf"
  expect_json_near '.tests.wald.p' "$waldp" 1e-7
  expect_json_near '.tests.score.chisq' "$score" 1e-7
  expect_json_near '.tests.score.p' "$scorep" 1e-7
  expect_json_near '.concordance' "$conc" 1e-7
  expect_json_near '.concordance_se' "$concse" 1e-7
  expect_json '.iterations' "$iter"
  expect_json '.converged' true
  # AIC = -2 loglik + 2 df, as R's AIC (fit)
  expect_json_near '.aic' "$(awk -v l="$ll" -v d="$lrdf" 'BEGIN { printf "%.17g", -2 * l + 2 * d }')" 1e-12
}

# check_zph FILE MAP: zph_FILE against .zph of the last json.
check_zph () {
  tail -n +2 "$REF/zph_$1" >"$WORK/ref"
  rows=0
  while IFS=$TAB read -r term chisq df p; do
    name=$(printf '%s' "$term" | sed "$2")
    sel=".zph[] | select(.term == \"$name\")"
    expect_json_near "$sel | .chisq" "$chisq" 1e-7
    expect_json "$sel | .df" "$df"
    expect_json_near "$sel | .p" "$p" 1e-7
    rows=$((rows + 1))
  done <"$WORK/ref"
  expect_json '.zph | length' "$rows"
}

# check_all NAME MAP ARGS...: run cox with ARGS, compare the three files.
check_all () {
  ca_file=$1.tsv ca_map=$2
  shift 2
  run cox --zph --format json "$@"
  expect_rc 0
  check_terms "$ca_file" "$ca_map"
  check_model "$ca_file"
  check_zph "$ca_file" "$ca_map"
}

# ---- agreement with R's coxph and cox.zph ---------------------------------

check_all 'lung_sex+age+ph.ecog_efron' 's/^sexmale$/sex=male/' \
  --group sex --covariates age,ph.ecog $LUNG
expect_json '.ties' efron
expect_json '.method' cox
expect_json '.n_excluded' 1
expect_json '[.terms[].term] | join(" ")' 'sex=male age ph.ecog'
expect_json '.warnings[0]' "$DATA/lung.csv: 1 row left out for a missing value"
expect_stderr "axlsurv: warning: $DATA/lung.csv: 1 row left out for a missing value"

check_all 'lung_sex+age+ph.ecog_breslow' 's/^sexmale$/sex=male/' \
  --ties breslow --covariates sex,age,ph.ecog $LUNG
expect_json '.ties' breslow

check_all 'lung_age+ph.karno+strata-sex_efron' '' \
  --covariates age,ph.karno --strata sex $LUNG
expect_json '.strata' sex

check_all 'lung_factor-ph.ecog+age_efron' 's/^factor(ph.ecog)/ph.ecog=/; s/=$//' \
  --covariates ph.ecog:factor,age $LUNG
expect_json '.zph[0].term' ph.ecog
expect_json '.zph[0].df' 3

for ties in efron breslow; do
  check_all "veteran_trt+celltype+karno_$ties" 's/^celltype\(..*\)$/celltype=\1/' \
    --ties $ties --covariates trt,celltype,karno $VETERAN
  check_all "ovarian_age+ecog.ps+rx_$ties" '' \
    --ties $ties --covariates age,ecog.ps,rx $OVARIAN
done

check_all 'gbsg_log2-pgr_efron' 's/^log2(pgr + 1)$/log2p1(pgr)/' \
  --marker pgr --continuous --transform log2p1 $GBSG
check_all 'gbsg_pgr+age+grade+nodes+hormon_efron' '' \
  --marker pgr --continuous --covariates age,grade,nodes,hormon $GBSG
expect_json '[.terms[].term] | join(" ")' 'pgr age grade nodes hormon'

# --ref: the other reference level flips the sign (R: relevel (sex, "male"))
run cox --group sex --ref sex=male --covariates age,ph.ecog --format json $LUNG
expect_json_near '.terms[0].coef' -0.55261239570363 1e-7
expect_json '.terms[0].term' sex=female
expect_json_near '.loglik' -729.230121374862 1e-7

# --transform z: per standard deviation.
# R: coxph (Surv (rfstime, status) ~ scale (pgr) + age, data = gbsg)
run cox --marker pgr --continuous --transform z --covariates age --format json $GBSG
expect_json '.terms[0].term' 'z(pgr)'
expect_json_near '.terms[0].coef' -0.55924614330588140 1e-7
expect_json_near '.terms[0].se' 0.11656199050377603 1e-7
expect_json_near '.loglik' -1770.96319410497 1e-7

# ---- tsv and text ------------------------------------------------------------

run cox --group sex --covariates age,ph.ecog --format tsv $LUNG
expect_rc 0
checks=$((checks + 1))
[ "$(head -n 1 "$out")" = "term${TAB}coef${TAB}hr${TAB}se${TAB}z${TAB}p${TAB}hr_lower${TAB}hr_upper" ] \
  || fail "$last: tsv header $(head -n 1 "$out")"
checks=$((checks + 1))
[ "$(cut -f 1 "$out" | tr '\n' ' ')" = "term sex=male age ph.ecog " ] \
  || fail "$last: tsv terms $(cut -f 1 "$out" | tr '\n' ' ')"
expect_near "$(awk -F "$TAB" '$1 == "age" { print $2 }' "$out")" 0.0110667645600735 1e-7

run cox --group sex --covariates age,ph.ecog --format tsv --table model $LUNG
checks=$((checks + 1))
[ "$(head -n 1 "$out")" = "$(printf 'n\tevents\tn_excluded\tloglik_null\tloglik\tlr_chisq\tlr_df\tlr_p\twald_chisq\twald_df\twald_p\tscore_chisq\tscore_df\tscore_p\tconcordance\tconcordance_se\taic\titerations\tconverged')" ] \
  || fail "$last: model header $(head -n 1 "$out")"
checks=$((checks + 1))
[ "$(sed -n 2p "$out" | cut -f 1-3,7,10,13,18,19)" = "$(printf '227\t164\t1\t3\t3\t3\t3\ttrue')" ] \
  || fail "$last: model row $(sed -n 2p "$out")"
expect_near "$(sed -n 2p "$out" | cut -f 5)" -729.230121374862 1e-7

run cox --group sex --covariates age,ph.ecog --zph --format tsv --table zph $LUNG
checks=$((checks + 1))
[ "$(head -n 1 "$out")" = "$(printf 'term\tchisq\tdf\tp')" ] || fail "$last: zph header"
checks=$((checks + 1))
[ "$(cut -f 1,3 "$out" | tr '\n' ' ')" = "term${TAB}df sex${TAB}1 age${TAB}1 ph.ecog${TAB}1 GLOBAL${TAB}3 " ] \
  || fail "$last: zph rows $(cut -f 1,3 "$out" | tr '\n' ' ')"

run cox --group sex --covariates age,ph.ecog $LUNG
expect_rc 0
checks=$((checks + 1))
grep -q '^likelihood-ratio test:  chisq 30.5007 on 3 df, p = 1.08e-06$' "$out" \
  || fail "$last: text has no LR line: $(cat "$out")"
checks=$((checks + 1))
grep -q '^sex=male ' "$out" || fail "$last: text has no sex=male row"

run cox --group sex --covariates age --format tsv --table zph $LUNG
expect_rc 2
expect_stderr "axlsurv: --table zph needs --zph
Try 'axlsurv cox --help' for more information."

# ---- the interaction ------------------------------------------------------------
# R: g$pgrg <- factor (ifelse (g$pgr > median (g$pgr), "high", "low"), c ("low", "high"))
#    f1 <- coxph (Surv (rfstime, status) ~ pgrg * factor (hormon) + age, data = g)
#    f0 <- coxph (Surv (rfstime, status) ~ pgrg + factor (hormon) + age, data = g)
#    LR = 2 (f1$loglik[2] - f0$loglik[2]); within hormon=1: w = (1, 0, 0, 1), w'b, w'Vw
run cox --marker pgr --covariates age --interaction hormon:factor --format json $GBSG
expect_rc 0
expect_json '[.terms[].term] | join(" ")' 'pgr=high age hormon=1 pgr=high:hormon=1'
expect_json_near '.terms[3].coef' -0.339467474857900631 1e-7
expect_json_near '.loglik' -1761.63790836472 1e-7
expect_json '.interaction.term' 'pgr:hormon'
expect_json_near '.interaction.lr.chisq' 1.72761322976612 1e-7
expect_json '.interaction.lr.df' 1
expect_json_near '.interaction.lr.p' 0.188715997384124 1e-7
expect_json '[.interaction.within[].level] | join(" ")' 'hormon=0 hormon=1'
expect_json_near '.interaction.within[0].coef' -0.658200938448324613 1e-7
expect_json_near '.interaction.within[1].coef' -9.97668413306225e-01 1e-7
expect_json_near '.interaction.within[1].hr' 3.68738184709863e-01 1e-7
expect_json_near '.interaction.within[1].se' 2.17947486871636e-01 1e-7
expect_json_near '.interaction.within[1].hr_lower' 2.40547515790681e-01 1e-7
expect_json_near '.interaction.within[1].hr_upper' 5.65243205344264e-01 1e-7
expect_json_near '.interaction.within[1].p' 4.70423504404285e-06 1e-7

run cox --marker pgr --covariates age --interaction hormon:factor --format tsv \
  --table interaction $GBSG
checks=$((checks + 1))
[ "$(cut -f 1,2 "$out" | tr '\n' ' ')" = "level${TAB}term hormon=0${TAB}pgr=high hormon=1${TAB}pgr=high " ] \
  || fail "$last: interaction rows $(cut -f 1,2 "$out" | tr '\n' ' ')"

# ---- separation and Firth ------------------------------------------------------
# cox_small.csv: no events in saxl_group=high.  Firth numbers: R, from the
# definition of the penalised likelihood (see tests/unit/test_firth.c, data (a)).
sep_warning="coefficient of 'saxl_group=high' may be infinite: no events among the patients with saxl_group=high"
run cox --group saxl_group --ref saxl_group=low --covariates score --format json $SMALL
expect_rc 0
expect_stderr "axlsurv: warning: $sep_warning; its hazard ratio, confidence interval, z and Wald p (and the Wald test) are unusable, the likelihood-ratio test still holds; --firth gives finite estimates with profile-likelihood intervals"
expect_json '.terms[0].may_be_infinite' true
expect_json '.terms[1].may_be_infinite' null
expect_json '.warnings | length' 1
expect_json '.warnings[0] | startswith("coefficient of '"'"'saxl_group=high'"'"' may be infinite")' true

run cox --group saxl_group --ref saxl_group=low --covariates score $SMALL
checks=$((checks + 1))
grep -q "^warning: $sep_warning;" "$out" || fail "$last: text does not repeat the warning"

run cox --firth --group saxl_group --ref saxl_group=low --covariates score --format json $SMALL
expect_rc 0
expect_stderr "axlsurv: warning: $sep_warning; the ordinary Cox estimate diverges, the Firth-penalised estimate reported is finite"
expect_json '.method' firth
expect_json '.ties' breslow
expect_json_near '.terms[0].coef' -3.43934554596285 1e-6
expect_json_near '.terms[1].coef' 0.450080473464863 1e-6
expect_json_near '.terms[0].se' 1.53925594792419 1e-6
expect_json_near '.terms[0].hr_lower' "$(awk 'BEGIN { printf "%.17g", exp(-8.31161952251535) }')" 1e-8
expect_json_near '.terms[0].hr_upper' "$(awk 'BEGIN { printf "%.17g", exp(-1.33669561110086) }')" 1e-8
expect_json_near '.terms[0].chisq' 14.3415598800933 1e-8
expect_json_near '.terms[0].p' 0.000152461641776088 1e-7
expect_json_near '.terms[1].p' 0.199655913809739 1e-7
expect_json '.terms[0].z' null
expect_json_near '.loglik_null' -22.9383511351674 1e-8
expect_json_near '.loglik' -15.535186035509 1e-8
expect_json_near '.tests.lr.chisq' 14.8063301993168 1e-8
expect_json_near '.tests.lr.p' 0.000609321143717486 1e-7
expect_json '.tests.score' null
expect_json '.aic' null
expect_json '.converged' true

# with --firth the interaction's test is its coefficient's profile penalised LR test
run cox --firth --group saxl_group --covariates score --interaction score --format json $SMALL
expect_rc 0
expect_json '.interaction.lr.chisq == .terms[2].chisq and .interaction.lr.p == .terms[2].p' true
expect_json '.interaction.lr.df' 1

# ---- errors: the data ------------------------------------------------------------
expect_error 1 "axlsurv: $SMALL: the model's columns are collinear: 'score2' is a linear combination of the columns before it among the 20 patients analysed (the same information twice, e.g. a covariate and a recoding of it); leave it out" \
  cox --covariates score,score2 $SMALL
expect_error 1 "axlsurv: $DATA/gbsg.csv: column 'hormon' is constant (1 for all 246 patients analysed): it has no effect to estimate; leave it out" \
  cox --subset hormon=1 --covariates hormon,age $GBSG
expect_error 1 "axlsurv: $DATA/lung.csv: the biomarker 'sex' has one value ('male') for all 138 patients analysed: a term needs two or more; leave it out" \
  cox --subset sex=male --group sex $LUNG
expect_error 1 "axlsurv: $SMALL:13: column 'grade': '2a' is not a number, but the column's other values are (write grade:factor in --covariates to use its values as categories)" \
  cox --covariates grade $SMALL
run cox --covariates grade:factor --format json $SMALL
expect_rc 0
expect_json '[.terms[].term] | join(" ")' 'grade=2 grade=2a grade=3'
expect_error 1 "axlsurv: $DATA/gbsg.csv:2: column 'pgr': '0' cannot be transformed (--transform log needs values > 0)" \
  cox --marker pgr --continuous --transform log $GBSG
expect_error 1 "axlsurv: $SMALL: no events among the 9 patients analysed: there is nothing to fit" \
  cox --covariates score --subset saxl_group=high $SMALL

# ---- errors: the command line ------------------------------------------------------
TRY="Try 'axlsurv cox --help' for more information."
expect_error 2 "axlsurv: --ref 'sex=males': column 'sex' has no level 'males' among the patients analysed; its levels are female, male
$TRY" cox --group sex --ref sex=males $LUNG
expect_error 2 "axlsurv: --ref 'age=50': column 'age' is a numeric term, not a factor (write age:factor in --covariates to make it one)
$TRY" cox --group sex --covariates age --ref age=50 $LUNG
expect_error 2 "axlsurv: --ref 'inst=1': column 'inst' is not a term of the model
$TRY" cox --group sex --ref inst=1 $LUNG
expect_error 2 "axlsurv: --ref 'sex': expected COLUMN=LEVEL, e.g. --ref stage=I
$TRY" cox --group sex --ref sex $LUNG
expect_error 2 "axlsurv: --transform 'cube': use none, log, log2, log2p1 (log2 of x + 1) or z (per standard deviation)
$TRY" cox --marker score --continuous --transform cube $SMALL
expect_error 2 "axlsurv: --transform needs --marker COL --continuous
$TRY" cox --marker score --transform log $SMALL
expect_error 2 "axlsurv: give either --cut or --continuous, not both
$TRY" cox --marker score --continuous --cut median $SMALL
expect_error 2 "axlsurv: --continuous needs --marker COL (a numeric column), not --group
$TRY" cox --group saxl_group --continuous $SMALL
expect_error 2 "axlsurv: --ties 'exact': use efron or breslow
$TRY" cox --ties exact --covariates score $SMALL
expect_error 2 "axlsurv: nothing to fit: give the biomarker (--group COL or --marker COL) and/or --covariates LIST
$TRY" cox $SMALL
expect_error 2 "axlsurv: --covariates 'score,,age': an empty name; list the columns separated by commas, e.g. age,stage
$TRY" cox --covariates score,,age $SMALL
expect_error 2 "axlsurv: --firth fits with Breslow ties (as R's coxphf); leave out --ties efron
$TRY" cox --firth --ties efron --covariates score $SMALL
expect_error 2 "axlsurv: --zph tests the ordinary Cox fit; leave out --firth to check proportional hazards
$TRY" cox --firth --zph --covariates score $SMALL
expect_error 2 "axlsurv: --interaction needs the biomarker: give --group COL or --marker COL
$TRY" cox --covariates score --interaction saxl_group $SMALL
expect_error 2 "axlsurv: --interaction 'saxl_group': that is the biomarker itself; name another column, e.g. the treatment arm
$TRY" cox --group saxl_group --interaction saxl_group $SMALL
expect_error 2 "axlsurv: column 'score' is in the model twice (list each covariate once)
$TRY" cox --covariates score,score $SMALL
expect_error 2 "axlsurv: column 'score' is both --strata and a term of the model; a stratified model has no coefficient for its strata
$TRY" cox --covariates score --strata score $SMALL
expect_error 2 "axlsurv: --max-iter '0': expected a whole number from 1 to 10000
$TRY" cox --max-iter 0 --covariates score $SMALL

# ---- more rows than one chunk of the risk-set sums: any number of threads ----
# 40000 patients (the fit sums its risk sets in chunks of 16384 sorted rows,
# on threads; the concordance walks its two trees on two): the same bytes on
# 1, 2 or 3 threads, with strata, tied times and both ties methods.
awk 'BEGIN {
  print "os_time,os_event,axl,age,arm,site"
  split("A,B", arm, ","); split("north,south,east", site, ",")
  for (i = 1; i <= 40000; i++)
    printf "%.1f,%d,%d,%d,%s,%s\n", (i * 7919) % 601 / 10 + 0.1, i % 5 != 0,
      (i * 13) % 301, 40 + (i * 31) % 41, arm[i % 2 + 1], site[(i * 17) % 3 + 1]
}' > chunks.csv || exit 99
for ties in efron breslow; do
  for th in 1 2 3; do
    export AXLSURV_THREADS=$th
    run cox --marker axl --continuous --covariates age,arm --strata site --ties $ties \
      --zph --format json chunks.csv
    expect_rc 0
    cp "$out" "chunks.$th" || exit 99
  done
  unset AXLSURV_THREADS
  checks=$((checks + 2))
  cmp -s chunks.1 chunks.2 || fail "cox --ties $ties: 1 and 2 threads differ"
  cmp -s chunks.1 chunks.3 || fail "cox --ties $ties: 1 and 3 threads differ"
  expect_json '.n' 40000
done

# ---- -o writes atomically, an error writes nothing --------------------------------
run cox --covariates score --format json -o fit.json $SMALL
expect_rc 0
expect_empty_stdout
checks=$((checks + 1))
[ "$(jq -r .command fit.json)" = cox ] || fail "$last: fit.json is not the result"
run cox --covariates score,score2 -o bad.json $SMALL
expect_rc 1
expect_no_file bad.json

finish
