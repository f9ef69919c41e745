#!/bin/sh
# logrank: G-rho tests through the binary, against R survival 3.5-3 survdiff.
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

ref="$DATA/r-survival"

# check_test ARGS... FILE: the json test agrees with R's survdiff table FILE
# (observed, expected per group; chi-square; df and p unless given in $df/$p).
check_test () {
  reffile=$1
  shift
  run logrank --format json "$@"
  expect_rc 0
  g=0
  while IFS="$(printf '\t')" read -r name n o e chisq rdf rp; do
    [ "$name" = stratum ] && continue
    expect_json ".groups[$g].name" "$name"
    expect_json ".groups[$g].n" "$n"
    expect_json_near "$(json ".groups[$g].observed")" "$o"
    expect_json_near "$(json ".groups[$g].expected")" "$e"
    g=$((g + 1))
    want_chisq=$chisq want_df=$rdf want_p=$rp
  done <"$ref/$reffile"
  expect_json '.groups | length' "$g"
  expect_json_near "$(json '.chisq')" "$want_chisq"
  expect_json '.df' "${df:-$want_df}"
  expect_json_near "$(json '.p')" "${p:-$want_p}"
}

L="--time time --event status"
df= p=
check_test logrank_lung_sex_rho0.tsv $L --group sex "$DATA/lung.csv"
check_test logrank_lung_sex_rho1.tsv $L --group sex --rho 1 "$DATA/lung.csv"
check_test logrank_lung_ph.ecog_rho0.tsv $L --group ph.ecog "$DATA/lung.csv"
check_test logrank_veteran_celltype_rho0.tsv $L --group celltype "$DATA/veteran.csv"
check_test logrank_veteran_trt_rho0.tsv $L --group trt "$DATA/veteran.csv"
# The stratified reference files print a wrong df and p (their script counted
# group x stratum cells); R itself reports 1 df:
#   survdiff(Surv(time, status) ~ sex + strata(inst), lung)        p = 0.003504032870060788
#   survdiff(Surv(rfstime, status) ~ pgr_group + strata(hormon), gbsg)  p = 9.7278273477937336e-11
df=1 p=0.003504032870060788
check_test logrank_lung_sex_rho0_strata-inst.tsv $L --group sex --strata inst "$DATA/lung.csv"
# gbsg's pgr_group is factor(ifelse(pgr <= median(pgr), "low", "high")): R orders high, low
df=1 p=9.7278273477937336e-11
run logrank --format json --time rfstime --event status --marker pgr --strata hormon "$DATA/gbsg.csv"
expect_json '[.groups[].name] | join(",")' 'low,high'
expect_json_near "$(json '.chisq')" 41.8754114224201
expect_json_near "$(json '.groups[0].expected')" 127.954133483952
expect_json_near "$(json '.p')" "$p"

# the test for trend across veteran's 4 cell types, scores 1..4; from R:
#   s <- survdiff(Surv(time, status) ~ celltype, veteran); w <- 1:4
#   u <- sum(w * (s$obs - s$exp)); v <- t(w) %*% s$var %*% w; u^2 / v
run logrank --format json $L --group celltype --trend "$DATA/veteran.csv"
expect_json_near "$(json '.trend.chisq')" 6.407691749197999 1e-9
expect_json '.trend.df' 1

# the tsv table
run logrank --format tsv $L --group sex "$DATA/lung.csv"
checks=$((checks + 1))
[ "$(cut -f1-3,6 "$out")" = "$(printf 'group\tn\tobserved\tdf\nfemale\t90\t53\t1\nmale\t138\t112\t1')" ] \
  || fail "logrank tsv: $(cat "$out")"

# errors
cp "$DATA/lung.csv" lung.csv
expect_error 2 "axlsurv: which groups? give --group COL or --marker COL
Try 'axlsurv logrank --help' for more information." logrank $L lung.csv
expect_error 2 "axlsurv: --trend needs 3 or more ordered groups; 'sex' has 2
Try 'axlsurv logrank --help' for more information." logrank $L --group sex --trend lung.csv
expect_error 2 "axlsurv: --rho '-1': must be 0 or more
Try 'axlsurv logrank --help' for more information." logrank $L --group sex --rho -1 lung.csv
expect_error 1 "axlsurv: lung.csv: only one group ('female') among the patients analysed: nothing to compare" \
  logrank $L --group sex --subset sex=female lung.csv
awk -F, 'NR == 1 || $4 == 0' OFS=, lung.csv >censored.csv
expect_error 1 "axlsurv: censored.csv: no test: fewer than two groups have events in their risk sets" \
  logrank $L --group sex censored.csv

finish
