#!/bin/sh
# forest.sh: axlsurv plot forest: the script's numbers against 'axlsurv cox'
# (the model's terms, each subgroup's fit with --subset, the interaction
# tests with --interaction), separation shown honestly, usage errors, and
# each terminal rendered through gnuplot (skipped, status 77, only when
# gnuplot is absent).
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

NSCLC=$COHORTS/nsclc_sim.csv
MODEL="--marker AXL --covariates age,sex,stage,arm"
: "${GNUPLOT:=$(command -v gnuplot || true)}"   # make check passes configure's
TAB=$(printf '\t')

# block NAME FILE: the lines of datablock $NAME in the script FILE, without comments.
block () {
  awk -v b="\$$1 << EOD" '$0 == b { on = 1; next } on && $0 == "EOD" { exit }
    on && !/^#/ { print }' "$2"
}

# expect_line FILE TEXT: FILE has a line that is exactly TEXT.
expect_line () {
  checks=$((checks + 1))
  grep -qxF -- "$2" "$1" || fail "$last: no line [$2] in $1"
}

# expect_label FILE TEXT: the script draws the text TEXT.
expect_label () {
  checks=$((checks + 1))
  grep -qF -- "set label '$2' at " "$1" || fail "$last: no label [$2] in $1"
}

# same WHAT GOT WANT: two texts are equal.
same () {
  checks=$((checks + 1))
  [ "$2" = "$3" ] || fail "$1: [$2], expected [$3]"
}

# ---- the model's terms are cox's, reference levels at 1 ---------------------
run plot forest $MODEL "$NSCLC"
expect_rc 0
expect_stderr ""
cp "$out" model.gp
block forest model.gp >model.tsv
# the rows and their kinds, top to bottom, reference levels first
same "\$forest rows" "$(cut -f1-3 model.tsv | tr '\t' ' ' | tr '\n' '|')" \
  "1 reference AXL=low|2 estimate AXL=high|3 estimate age|4 reference sex=F|5 estimate sex=M|6 reference stage=I|7 estimate stage=II|8 estimate stage=III|9 estimate stage=IV|10 reference arm=chemotherapy|11 estimate arm=osimertinib|"
expect_line model.tsv "4${TAB}reference${TAB}sex=F${TAB}0${TAB}1${TAB}NaN${TAB}NaN${TAB}NaN${TAB}-1${TAB}-1"
# coef, hr, its interval and p exactly as cox --format json prints them
run cox $MODEL --format json "$NSCLC"
expect_rc 0
jq -r '.terms[] | [.term, .coef, .hr, .hr_lower, .hr_upper, .p] | @tsv' "$out" >cox.tsv
awk -F'\t' '$2 == "estimate" { print $3 "\t" $4 "\t" $5 "\t" $6 "\t" $7 "\t" $8 }' \
  model.tsv >plot.tsv
checks=$((checks + 1))
[ "$(wc -l <cox.tsv)" -eq 7 ] && cmp -s plot.tsv cox.tsv \
  || fail "\$forest differs from cox --format json: $(diff plot.tsv cox.tsv | head -5)"
# the text beside the bars (R: coxph(Surv(os_time, os_event) ~ I(AXL > 100) +
# age + sex + stage + arm): HR 2.021184 (1.615792-2.528287), p 7.2e-10)
expect_label model.gp 'AXL=low (reference)'
expect_label model.gp '2.02 (1.62–2.53)'
expect_label model.gp '1.05 (0.84–1.31)'
expect_label model.gp '0.84 (0.68–1.05)'
expect_label model.gp '< 0.001'
expect_label model.gp '0.048'
expect_label model.gp 'HR (95% CI)'
expect_label model.gp 'AXL cut at 100 (values at or below the cut: lower group).'
expect_label model.gp 'Numeric terms (age): hazard ratio per unit increase.'
# the log axis with round ticks and the line of no effect
expect_line model.gp 'set logscale x'
expect_line model.gp 'set xrange [0.5:4]'
expect_line model.gp 'set xtics ("0.5" 0.5, "1" 1, "2" 2, "4" 4)'
expect_line model.gp "set arrow from 1, graph 0 to 1, graph 1 nohead lc rgb '#666666' lw 0.8 back"
# a bar per estimate, none for a reference level: 7 bars
checks=$((checks + 1))
[ "$(grep -c '^set arrow from [0-9.e-]*, first [0-9.]* to [0-9.e-]*, first' model.gp)" -eq 7 ] \
  || fail "not one bar per estimate: $(grep -c '^set arrow from [0-9.e-]*, first' model.gp)"
# the default page: 7.5 inches wide, as tall as the rows need
expect_line model.gp "set terminal pngcairo size 2250,1500 noenhanced font 'Helvetica,12' fontscale 3.125 linewidth 4.16667 background rgb 'white'"

# --conf-level and --zph reach the figure
run plot forest $MODEL --conf-level 0.9 --zph "$NSCLC"
expect_rc 0
cp "$out" zph.gp
expect_label zph.gp 'HR (90% CI)'
run cox $MODEL --conf-level 0.9 --zph --format json "$NSCLC"
same "--conf-level 0.9 hr_lower of AXL=high" \
  "$(block forest zph.gp | awk -F'\t' '$3 == "AXL=high" { print $6 }')" \
  "$(jq -r '.terms[0].hr_lower' "$out")"
expect_label zph.gp "Proportional hazards, global test (Grambsch & Therneau): p = $(jq -r '.zph[-1].p * 100 | round / 100' "$out")."

# ---- subgroups: each level's fit is cox --subset, each p cox --interaction ---
run plot forest $MODEL --subgroups sex,stage,arm "$NSCLC"
expect_rc 0
expect_stderr ""
cp "$out" sub.gp
block forest sub.gp >sub.tsv
same "subgroup rows" "$(cut -f2,3 sub.tsv | tr '\t' ' ' | tr '\n' '|')" \
  "estimate All patients|heading sex|estimate sex=F|estimate sex=M|heading stage|estimate stage=I|estimate stage=II|estimate stage=III|estimate stage=IV|heading arm|estimate arm=chemotherapy|estimate arm=osimertinib|"
# All patients: the model's AXL=high
run cox $MODEL --format json "$NSCLC"
same "All patients" "$(awk -F'\t' '$3 == "All patients" { print $4, $5, $6, $7, $9, $10 }' sub.tsv)" \
  "$(jq -r '[.terms[0].coef, .terms[0].hr, .terms[0].hr_lower, .terms[0].hr_upper, .n, .events] | join(" ")' "$out")"
# every subgroup: AXL cut where all patients' median is (100; the median among
# women is 112.5), the covariates but the subgroup's column
for col in sex stage arm; do
  covs=$(printf 'age,sex,stage,arm' | tr ',' '\n' | grep -vx "$col" | paste -sd, -)
  for level in $(awk -F'\t' -v c="$col" 'index($3, c "=") == 1 { print substr($3, length(c) + 2) }' sub.tsv); do
    run cox --marker AXL --cut 100 --covariates "$covs" --subset "$col=$level" --format json "$NSCLC"
    expect_rc 0
    same "subgroup $col=$level" \
      "$(awk -F'\t' -v t="$col=$level" '$3 == t { print $4, $5, $6, $7, $9, $10 }' sub.tsv)" \
      "$(jq -r '[.terms[0].coef, .terms[0].hr, .terms[0].hr_lower, .terms[0].hr_upper, .n, .events] | join(" ")' "$out")"
  done
  run cox $MODEL --interaction "$col" --format json "$NSCLC"
  expect_rc 0
  same "interaction p of $col" "$(awk -F'\t' -v c="$col" '$3 == c { print $8 }' sub.tsv)" \
    "$(jq -r '.interaction.lr.p' "$out")"
done
# with the subgroup's own median the women's hazard ratio would differ
run cox --marker AXL --covariates age,stage,arm --subset sex=F --format json "$NSCLC"
checks=$((checks + 1))
[ "$(jq -r '.terms[0].coef' "$out")" != "$(awk -F'\t' '$3 == "sex=F" { print $4 }' sub.tsv)" ] \
  || fail "the subgroup's own median gives the same hazard ratio: the test cannot tell"
expect_label sub.gp 'All patients'
expect_label sub.gp '178 (144)'
expect_label sub.gp '2.43 (1.69–3.49)'
expect_label sub.gp 'Interaction p'
expect_label sub.gp '0.40'
expect_label sub.gp '0.91'
expect_label sub.gp '0.14'
expect_line sub.gp "set xlabel 'Hazard ratio of AXL=high vs AXL=low (log scale)' offset 0,0.3"

# a continuous marker: its hazard ratio per unit in each subgroup
run plot forest --marker AXL --continuous --transform log2p1 --covariates age --subgroups sex "$NSCLC"
expect_rc 0
cp "$out" cont.gp
run cox --marker AXL --continuous --transform log2p1 --covariates age --subset sex=M --format json "$NSCLC"
same "continuous, sex=M" "$(block forest cont.gp | awk -F'\t' '$3 == "sex=M" { print $5 }')" \
  "$(jq -r '.terms[0].hr' "$out")"
expect_line cont.gp "set xlabel 'Hazard ratio per unit of log2p1(AXL) (log scale)' offset 0,0.3"

# ---- separation: shown as such, never as a huge number -------------------------
# no events among stage I patients with AXL above 100
awk -F, -v OFS=, 'NR > 1 && $4 == "I" && $6 > 100 { $9 = 0 } { print }' "$NSCLC" >sep.csv
run plot forest $MODEL --subgroups stage sep.csv
expect_rc 0
expect_stderr "axlsurv: warning: subgroup stage=I: the hazard ratio of 'AXL=high' may be infinite (monotone likelihood); the figure shows an arrow, --firth gives finite estimates
axlsurv: warning: --subgroups: the model with AXL x stage has coefficients that may be infinite; its likelihood-ratio test of the interaction still holds"
cp "$out" sep.gp
same "separated subgroup" "$(block forest sep.gp | awk -F'\t' '$3 == "stage=I" { print $2, $9, $10 }')" \
  "infinite 38 12"
expect_label sep.gp 'may be infinite †'
checks=$((checks + 1))
grep -q "^set label '† The coefficient may be infinite" sep.gp || fail "no note on the infinite coefficient"
# the dashed arrow from 1 toward the axis's end (the coefficient is negative)
checks=$((checks + 1))
grep -q "^set arrow from 1, first 3.5 to 0.5, first 3.5 nohead .* dt (4,3) front$" sep.gp \
  || fail "no dashed arrow for the infinite estimate: $(grep 'first 3.5' sep.gp)"
run cox $MODEL --interaction stage --format json sep.csv
same "interaction p under separation" \
  "$(block forest sep.gp | awk -F'\t' '$3 == "stage" { print $8 }')" "$(jq -r '.interaction.lr.p' "$out")"

# a model term without events in a level
awk -F, -v OFS=, 'NR > 1 && $4 == "I" { $9 = 0 } { print }' "$NSCLC" >noev.csv
run plot forest $MODEL --ref stage=IV noev.csv
expect_rc 0
cp "$out" noev.gp
same "infinite term" "$(block forest noev.gp | awk -F'\t' '$3 ~ /^stage=/ { print $2 }' | tr '\n' ' ')" \
  "reference infinite estimate estimate "
checks=$((checks + 1))
grep -q "^axlsurv: warning: coefficient of 'stage=I' may be infinite: no events among the patients with stage=I" "$err" \
  || fail "no warning of the infinite coefficient: $(cat "$err")"
# --firth: finite estimates, as cox --firth
run plot forest $MODEL --ref stage=IV --firth noev.csv
expect_rc 0
cp "$out" firth.gp
run cox $MODEL --ref stage=IV --firth --format json noev.csv
same "--firth stage=I" "$(block forest firth.gp | awk -F'\t' '$3 == "stage=I" { print $2, $5, $6, $7 }')" \
  "estimate $(jq -r '.terms[] | select(.term == "stage=I") | [.hr, .hr_lower, .hr_upper] | join(" ")' "$out")"
# a subgroup without events: no hazard ratio, no interaction test
run plot forest --marker AXL --covariates age,sex,arm --subgroups stage noev.csv
expect_rc 0
expect_stderr "axlsurv: warning: --subgroups: no interaction test for 'stage': a subgroup has no hazard ratio"
cp "$out" noev2.gp
same "subgroup without events" "$(block forest noev2.gp | awk -F'\t' '$3 == "stage=I" { print $2, $9, $10 }')" \
  "missing 38 0"
expect_label noev2.gp 'no events'

# ---- usage errors -----------------------------------------------------------
expect_error 2 "axlsurv: --subgroups needs the biomarker: give --group COL or --marker COL
Try 'axlsurv plot forest --help' for more information." plot forest --covariates age --subgroups sex "$NSCLC"
expect_error 2 "axlsurv: give either --interaction or --subgroups, not both (--subgroups tests biomarker x each column)
Try 'axlsurv plot forest --help' for more information." plot forest $MODEL --interaction arm --subgroups sex "$NSCLC"
expect_error 2 "axlsurv: --subgroups needs one hazard ratio for the biomarker: two groups (one cut) or --continuous
Try 'axlsurv plot forest --help' for more information." plot forest --marker AXL --cut tertiles --subgroups sex "$NSCLC"
expect_error 2 "axlsurv: --subgroups: column 'AXL' is the biomarker
Try 'axlsurv plot forest --help' for more information." plot forest --marker AXL --subgroups AXL "$NSCLC"
expect_error 2 "axlsurv: --subgroups 'sex,,arm': an empty name; list the columns separated by commas, e.g. sex,stage
Try 'axlsurv plot forest --help' for more information." plot forest --marker AXL --subgroups sex,,arm "$NSCLC"
expect_error 2 "axlsurv: --subgroups 'sex,sex': column 'sex' is named twice
Try 'axlsurv plot forest --help' for more information." plot forest --marker AXL --subgroups sex,sex "$NSCLC"
expect_error 2 "axlsurv: --subgroups reads the cohort more than once: give a file, not -
Try 'axlsurv plot forest --help' for more information." plot forest --marker AXL --subgroups sex -
expect_error 2 "axlsurv: --ylabel: a forest figure has no y axis label
Try 'axlsurv plot forest --help' for more information." plot forest --marker AXL --ylabel HR "$NSCLC"
expect_error 2 "axlsurv: unknown option '--format'
Try 'axlsurv plot forest --help' for more information." plot forest --marker AXL --format json "$NSCLC"
expect_error 2 "axlsurv: nothing to fit: give the biomarker (--group COL or --marker COL) and/or --covariates LIST
Try 'axlsurv plot forest --help' for more information." plot forest "$NSCLC"
expect_error 1 "axlsurv: $NSCLC: --subgroups: column 'age' has more than 12 values among the patients analysed; subgroups need a categorical column" \
  plot forest --marker AXL --subgroups age "$NSCLC"
expect_error 1 "axlsurv: $NSCLC: --subgroups needs one hazard ratio for the biomarker, but 'stage' has 4 groups; give two groups or --continuous" \
  plot forest --group stage --subgroups sex "$NSCLC"
expect_error 1 "axlsurv: --size 3,2: too small for this figure (in inches); try a larger --size" \
  plot forest $MODEL --size 3,2 "$NSCLC"
run plot --help
checks=$((checks + 1))
grep -q '^  forest ' "$out" || fail "plot --help does not list forest"
run plot forest --help
expect_rc 0
checks=$((checks + 1))
grep -q '^  --subgroups COL1,COL2' "$out" || fail "plot forest --help lists no --subgroups"

# ---- rendering ----------------------------------------------------------------
last="PATH=/nonexistent axlsurv plot forest --render none.png"
rc=0
GNUPLOT= PATH=/nonexistent "$AXLSURV" plot forest $MODEL --render none.png "$NSCLC" >"$out" 2>"$err" || rc=$?
expect_rc 1
expect_stderr "axlsurv: --render: gnuplot not found (install the Debian package gnuplot-nox, or set GNUPLOT); without --render, axlsurv writes the script"
expect_no_file none.png

require_cairo_gnuplot

# PNG: 7.5 inches wide at 300 pixels per inch, as tall as the rows need
run plot forest $MODEL --render model.png "$NSCLC"
expect_rc 0
expect_stderr ""
expect_empty_stdout
checks=$((checks + 1))
[ "$(od -An -tx1 -N8 model.png | tr -d ' ')" = 89504e470d0a1a0a ] || fail "model.png is not a PNG"
same "model.png size" "$(be32 model.png 16)x$(be32 model.png 20)" 2250x1500
run plot forest $MODEL --subgroups sex,stage,arm --title 'Simulated NSCLC' --render sub.png "$NSCLC"
expect_rc 0
expect_stderr ""
same "sub.png size" "$(be32 sub.png 16)x$(be32 sub.png 20)" 2250x1800
run plot forest $MODEL --subgroups stage --size 9,6 --render big.png sep.csv
expect_rc 0
same "big.png size" "$(be32 big.png 16)x$(be32 big.png 20)" 2700x1800

# SVG, 72 units per inch
run plot forest $MODEL --size 20,14cm --render model.svg "$NSCLC"
expect_rc 0
expect_stderr ""
checks=$((checks + 1))
grep -q '^<svg' model.svg || fail "model.svg is not SVG"
checks=$((checks + 1))
grep -q 'width="567" height="397"' model.svg \
  || fail "model.svg: $(grep -o 'width="[0-9]*" height="[0-9]*"' model.svg | head -1)"

# PDF, points
run plot forest $MODEL --subgroups sex --terminal pdf --render sub.pdf "$NSCLC"
expect_rc 0
expect_stderr ""
checks=$((checks + 1))
[ "$(head -c 5 sub.pdf)" = "%PDF-" ] || fail "sub.pdf is not a PDF"
checks=$((checks + 1))
grep -aq 'MediaBox \[ 0 0 540 ' sub.pdf || fail "sub.pdf is not 7.5 inches wide"

# every script draws without a word from gnuplot (the separated and
# no-event figures too)
for gp in model.gp sub.gp cont.gp sep.gp noev.gp firth.gp noev2.gp zph.gp; do
  checks=$((checks + 1))
  "$GNUPLOT" <"$gp" >drawn.png 2>gp.err && [ "$(be32 drawn.png 16)" = 2250 ] && [ ! -s gp.err ] \
    || fail "gnuplot < $gp: $(head -c 300 gp.err)"
done

finish
