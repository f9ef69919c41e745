#!/bin/sh
# scan: a Cox model and a log-rank test per feature of the real TCGA KIRC
# expression matrix (17,814 genes x 72 patients), against R survival 3.5
# coxph / survdiff, maxstat 0.7 maxstat.test and p.adjust (R 4.x), the
# reference numbers pasted from these R calls, with
#   cl <- read.csv("cohorts/tcga_kirc_AXL_OS.csv")
#   m  <- read.delim("cohorts/tcga_kirc_mrna_matrix.tsv", check.names = FALSE)
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

M=$COHORTS/tcga_kirc_mrna_matrix.tsv
K=$COHORTS/tcga_kirc_AXL_OS.csv
E="--time os_days --event os_event"
axl='.features[] | select(.feature == "AXL")'

# shrink: keep of the last json output only what the checks below read
shrink () {
  jq "{covariates, n_patients, n_cohort_only, n_matrix_only, features: [$axl]}" \
    "$out" >shrunk.json && cp shrunk.json "$out"
}

# ---- AXL among all genes ----
run scan --matrix "$M" --id patient $E --format json "$K"
expect_rc 0
expect_stderr ""
# jq over 17,814 features is slow: keep what the checks read in a small file
cp "$out" all.json
jq '{command, n_features, n_tested, n_patients, n_events, n_cohort_only,
     n_matrix_only, first: .features[0].feature, last: .features[-1].feature,
     top: [.features[] | select(.rank == 1) | .feature][0],
     qmin: ([.features[] | .q] | min),
     qmin_want: ([.features[] | .p] | sort | to_entries
                 | map(17814 * .value / (.key + 1)) | min),
     features: [.features[] | select(.feature == "AXL" or .feature == "GAS6"
                                     or .feature == "ZBTB12")]}' all.json >small.json
cp small.json "$out"
expect_json '.command' scan
expect_json '.n_features' 17814
expect_json '.n_tested' 17814
expect_json '.n_patients' 72
expect_json '.n_events' 13
expect_json '.n_cohort_only' 0
expect_json '.n_matrix_only' 0
expect_json '.first' ELMO2
expect_json '.last' "$(tail -n 1 "$M" | cut -f 1)"
# coxph(Surv(os_days, os_event) ~ AXL, cl): coef, se(coef), Pr(>|z|)
expect_json "$axl | .n" 72
expect_json "$axl | .events" 13
expect_json_near "$(json "$axl | .coef")" -0.20891683417206489
expect_json_near "$(json "$axl | .se")" 0.26399008106684851
expect_json_near "$(json "$axl | .p")" 0.42872147333380906
expect_json_near "$(json "$axl | .hr")" "$(awk 'BEGIN { printf "%.17g", exp(-0.20891683417206489) }')"
# survdiff(Surv(os_days, os_event) ~ (AXL > median(AXL)), cl): chisq, p
expect_json_near "$(json "$axl | .logrank_chisq")" 2.1384306540506794
expect_json_near "$(json "$axl | .logrank_p")" 0.14364877617958347
expect_json "$axl | .logrank_df" 1
expect_json "$axl | .n_high" 36
expect_json "$axl | .status" ok
# p.adjust(p, "BH") over the coxph p-values of all 17,814 genes, and of the
# survdiff ones; AXL's rank by p among them (rank(p)[gene == "AXL"])
# (over all genes, our coef, p, q and log-rank chisq agree with R to 2e-11)
expect_json_near "$(json "$axl | .q")" 0.77519735342757556 1e-12
expect_json_near "$(json "$axl | .logrank_q")" 0.80954106259509651 1e-12
expect_json "$axl | .rank" 9852
# sd(GAS6); coxph(... ~ GAS6): coef and p; HR per SD is exp(coef sd)
gas6='.features[] | select(.feature == "GAS6")'
expect_json_near "$(json "$gas6 | .coef")" -0.71340376828357155
expect_json_near "$(json "$gas6 | .p")" 0.028155170314682669
expect_json_near "$(json "$gas6 | .sd")" 1.0526658699854192
expect_json_near "$(json "$gas6 | .hr_sd")" "$(awk 'BEGIN { printf "%.17g", exp(-0.71340376828357155 * 1.0526658699854192) }')"
# a gene with a missing value: z <- unlist(m[m$gene == "ZBTB12", cl$patient]);
# coxph(Surv(cl$os_days, cl$os_event) ~ z): n, coef, se, p; survdiff at the median
z='.features[] | select(.feature == "ZBTB12")'
expect_json "$z | .n" 71
expect_json "$z | .events" 12
expect_json_near "$(json "$z | .coef")" 0.40446680766728549
expect_json_near "$(json "$z | .se")" 0.64287386642006517
expect_json_near "$(json "$z | .p")" 0.5292480949659597
expect_json_near "$(json "$z | .logrank_chisq")" 0.15196563957214387
# the q-values are BH of the p-values: the smallest p's q is min over k of m p(k) / k
expect_json '.top' HERC3
expect_json_near "$(json '.qmin')" "$(json '.qmin_want')" 1e-12

# ---- the same with 1 and 2 threads, to the byte ----
run scan --matrix "$M" --id patient $E --format tsv --threads 1 --cutpoint lau94 -o t1.tsv "$K"
expect_rc 0
run scan --matrix "$M" --id patient $E --format tsv --threads 2 --cutpoint lau94 -o t2.tsv "$K"
expect_rc 0
checks=$((checks + 1))
cmp -s t1.tsv t2.tsv || fail "scan --threads 1 and --threads 2 differ"
checks=$((checks + 1))
[ "$(wc -l <t1.tsv)" -eq 17815 ] || fail "scan tsv: $(wc -l <t1.tsv) lines, expected 17815"
checks=$((checks + 1))
[ "$(head -n 1 t1.tsv)" = "$(printf 'feature\tstatus\tn\tevents\tcoef\tse\thr\thr_lower\thr_upper\tp\tq\trank\tsd\thr_sd\thr_sd_lower\thr_sd_upper\tlogrank_chisq\tlogrank_df\tlogrank_p\tlogrank_q\tcut\tn_high\tcutpoint\tcutpoint_stat\tcutpoint_p\tcutpoint_q\tcutpoint_n_high')" ] \
  || fail "scan tsv header: $(head -n 1 t1.tsv)"
# maxstat.test(Surv(os_days, os_event) ~ AXL, cl, smethod = "LogRank",
#              pmethod = "Lau94"): estimate, statistic, p.value
row=$(awk -F '\t' '$1 == "AXL"' t1.tsv)
expect_near "$(echo "$row" | cut -f 23)" -1.08375
expect_near "$(echo "$row" | cut -f 24)" 1.9145414875335844
expect_near "$(echo "$row" | cut -f 25)" 0.83081904983339516

# ---- covariates: coxph(Surv(os_days, os_event) ~ AXL + age, cl) and
#      ~ AXL + gender + stage (factors, first level the reference) ----
run scan --matrix "$M" --id patient $E --covariates age --format json "$K"
expect_rc 0
shrink
expect_json '.covariates | join(",")' age
expect_json_near "$(json "$axl | .coef")" -0.23168468487645677
expect_json_near "$(json "$axl | .se")" 0.26300855580333476
expect_json_near "$(json "$axl | .p")" 0.37837102531851741
run scan --matrix "$M" --id patient $E --covariates gender,stage --format json "$K"
expect_rc 0
shrink
expect_json_near "$(json "$axl | .coef")" -0.55328077499943107
expect_json_near "$(json "$axl | .se")" 0.29645287408231352
expect_json_near "$(json "$axl | .p")" 0.061994322147020303

# ---- --cut tertiles: survdiff(... ~ cut(AXL, quantile(AXL, 0:3/3),
#      include.lowest = TRUE), cl) ----
run scan --matrix "$M" --id patient $E --cut tertiles --format json "$K"
expect_rc 0
shrink
expect_json_near "$(json "$axl | .logrank_chisq")" 4.6442562105669047
expect_json "$axl | .logrank_df" 2

# ---- text: the top features and the highlighted ones ----
run scan --matrix "$M" --id patient $E --top 3 --highlight AXL,NOSUCH "$K"
expect_rc 0
expect_stderr "axlsurv: warning: --highlight: no feature 'NOSUCH'"
checks=$((checks + 1))
grep -q '^join:     on .patient.: 72 in both, 0 only in the cohort, 0 only in the matrix$' "$out" \
  || fail "scan text: no join line"
checks=$((checks + 1))
[ "$(sed -n '/^Top 3 of 17814/{n;n;p;}' "$out" | awk '{ print $1, $2 }')" = "1 HERC3" ] \
  || fail "scan text: HERC3 is not first: $(cat "$out")"
checks=$((checks + 1))
grep -q '^9852  AXL  ' "$out" || fail "scan text: AXL not highlighted at rank 9852"
checks=$((checks + 1))
grep -q '^NOSUCH: not among the features$' "$out" || fail "scan text: NOSUCH not reported"

# ---- the join: patients in only one file are counted and reported ----
# the cohort without its first two patients, plus one not in the matrix
{ sed -n 1p "$K"; sed -n '4,$p' "$K"; sed -n 2p "$K" | sed 's/TCGA-A3-3306/TCGA-XX-0000/'; } >part.csv
run scan --matrix "$M" --id patient $E --format json part.csv
expect_rc 0
shrink
expect_stderr "axlsurv: warning: 1 patient of part.csv not in $M (e.g. TCGA-XX-0000): left out
axlsurv: warning: 2 columns of $M not among the patients analysed of part.csv (e.g. TCGA-A3-3306, TCGA-A3-3307): left out"
expect_json '.n_patients' 70
expect_json '.n_cohort_only' 1
expect_json '.n_matrix_only' 2
expect_json "$axl | .n" 70

# ---- --markers: the cohort's own columns (its AXL is the matrix's) ----
run scan --markers AXL,GAS6 $E --format json "$K"
expect_rc 0
expect_json '.matrix' null
expect_json '[.features[].feature] | join(",")' AXL,GAS6
expect_json_near "$(json "$axl | .coef")" -0.20891683417206489
expect_json_near "$(json "$axl | .logrank_chisq")" 2.1384306540506794
run scan --markers all $E --format json "$K"
expect_rc 0
expect_json '[.features[].feature] | join(",")' AXL,GAS6,days_to_death,days_to_last_followup,age

# ---- --log2 and statuses ----
printf 'gene,P1,P2,P3,P4\nflat,1,1,1,1\nneg,-1,2,3,4\nsparse,NA,NA,NA,5\nfine,1,3,2,8\n' >m.csv
printf 'id,t,e\nP1,5,1\nP2,3,0\nP3,9,1\nP4,2,1\n' >c.csv
run scan --matrix m.csv --id id --time t --event e --log2 --format tsv c.csv
expect_rc 0
checks=$((checks + 1))
[ "$(cut -f 1-4 "$out" | tr '\t' ' ')" = "feature status n events
flat constant 4 3
neg log2-negative 0 0
sparse too-few 1 1
fine ok 4 3" ] || fail "scan statuses: $(cut -f 1-4 "$out")"

# ---- errors ----
expect_error 2 "axlsurv: what to scan? give --matrix FILE with --id COL, or --markers COLS|all
Try 'axlsurv scan --help' for more information." scan $E "$K"
expect_error 2 "axlsurv: --matrix needs --id COL, the cohort's column of patient ids that head the matrix's columns
Try 'axlsurv scan --help' for more information." scan --matrix "$M" $E "$K"
expect_error 2 "axlsurv: give either --matrix or --markers, not both
Try 'axlsurv scan --help' for more information." scan --matrix "$M" --id patient --markers AXL $E "$K"
expect_error 2 "axlsurv: --cutpoint 'best': use lau94 or lau92
Try 'axlsurv scan --help' for more information." scan --markers AXL --cutpoint best $E "$K"
expect_error 2 "axlsurv: --threads '0': expected a whole number from 1 to 1024
Try 'axlsurv scan --help' for more information." scan --markers AXL --threads 0 $E "$K"
printf 'gene,P1,P2,P3,P4\nA,1,2,x3,4\n' >bad.csv
expect_error 1 "axlsurv: bad.csv:2:4: patient 'P3', feature 'A': 'x3' is not a number" \
  scan --matrix bad.csv --id id --time t --event e c.csv
printf 'gene,P1,P2,P3,P4\nA,1,2,3,4\nB,1,2,3\n' >short.csv
expect_error 1 "axlsurv: short.csv:3: this row has 4 fields, but the header has 5" \
  scan --matrix short.csv --id id --time t --event e c.csv
printf 'gene,P1,P2,P3,P1\nA,1,2,3,4\n' >twice.csv
expect_error 1 "axlsurv: twice.csv:1: patient 'P1' heads two columns (2 and 5)" \
  scan --matrix twice.csv --id id --time t --event e c.csv
printf 'id,t,e\nP1,5,1\nP2,3,0\nP1,9,1\n' >dup.csv
expect_error 1 "axlsurv: dup.csv:4: column 'id': patient 'P1' is already on line 2: each row must be a different patient" \
  scan --matrix m.csv --id id --time t --event e dup.csv
printf 'gene,Q1,Q2\nA,1,2\n' >other.csv
expect_error 1 "axlsurv: c.csv: no patient of the cohort heads a column of other.csv: are the ids in 'id' ('P1', ...) spelled as in the matrix header ('Q1', ...)?" \
  scan --matrix other.csv --id id --time t --event e c.csv
expect_error 1 "axlsurv: c.csv:2: column 'id': 'P1' is not a number" \
  scan --markers id --time t --event e c.csv
# nothing half-written on an error
run scan --matrix bad.csv --id id --time t --event e -o out.tsv c.csv
expect_rc 1
expect_no_file out.tsv

finish
