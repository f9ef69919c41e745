#!/bin/sh
# plot_scan.sh: axlsurv plot scan: the volcano figure's data against
# `axlsurv scan --format tsv` (same options, same numbers), its text, the FDR
# line, labels, usage errors, and PNG and SVG rendered through gnuplot
# (skipped, status 77, only when gnuplot is absent).
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

KIRC=$COHORTS/tcga_kirc_AXL_OS.csv
MATRIX="--matrix $COHORTS/tcga_kirc_mrna_matrix.tsv --id patient --time os_days --event os_event --threads 2"
NSCLC=$COHORTS/nsclc_sim.csv
: "${GNUPLOT:=$(command -v gnuplot || true)}"   # make check passes configure's

# block NAME FILE: the lines of datablock $NAME in the script FILE.
block () {
  awk -v b="\$$1 << EOD" '$0 == b { on = 1; next } on && $0 == "EOD" { exit }
    on { print }' "$2"
}
# expect_line FILE TEXT: FILE has a line that is exactly TEXT.
expect_line () {
  checks=$((checks + 1))
  grep -qxF -- "$2" "$1" || fail "$last: no line [$2] in $1"
}

# ---- the datablock holds scan's numbers, row for row -----------------------
run plot scan $MATRIX --highlight AXL,GAS6 "$KIRC"
expect_rc 0
expect_stderr ""
cp "$out" kirc.gp
run scan $MATRIX --format tsv "$KIRC"
expect_rc 0
# feature hr p q, every feature in input order
awk -F'\t' 'NR > 1 { print $1 "\t" $7 "\t" $10 "\t" $11 }' "$out" >scan_rows
block features kirc.gp | cut -f1-4 >plot_rows
checks=$((checks + 1))
[ "$(wc -l <plot_rows)" -eq 17814 ] || fail "\$features has $(wc -l <plot_rows) rows, expected 17814"
checks=$((checks + 1))
cmp -s plot_rows scan_rows || fail "\$features differs from scan --format tsv: $(diff plot_rows scan_rows | head -5)"
# AXL's row (axlsurv scan above; R: coxph(Surv(os_days, os_event) ~ AXL) on the
# 72 joined patients gives HR 0.8114627, p 0.4287215), x = log2 HR, y = -log10 p
# (python3: math.log2(0.811462718806074), -math.log10(0.428721473333809))
checks=$((checks + 1))
block features kirc.gp | grep -qxF "$(printf 'AXL\t0.811462718806074\t0.428721473333809\t0.7751973534275755\t-0.3014032806182599\t0.36782476347600507\t0')" \
  || fail "\$features: AXL's row is [$(block features kirc.gp | grep '^AXL	')]"
row=$(block features kirc.gp | grep '^GAS6	')
expect_near "$(echo "$row" | cut -f5)" "$(echo "$row" | awk -F'\t' '{ printf "%.17g", log($2) / log(2) }')" 1e-9
expect_near "$(echo "$row" | cut -f6)" "$(echo "$row" | awk -F'\t' '{ printf "%.17g", -log($3) / log(10) }')" 1e-9
# the text: features and patients; no feature passes, so no FDR line
expect_line kirc.gp "set label '17814 features, 72 patients (13 events); Cox model per feature' at screen 0.1131, screen 0.9471 left"
expect_line kirc.gp "set label 'none with BH q < 0.05' at screen 0.1131, screen 0.9012 left"
checks=$((checks + 1))
grep -q '^set arrow from graph 0' kirc.gp && fail "an FDR line drawn though no q is below 0.05"
# the highlighted features labelled, ringed
checks=$((checks + 1))
[ "$(grep -c "^set label '\(AXL\|GAS6\)' at " kirc.gp)" -eq 2 ] || fail "AXL and GAS6 not labelled"
checks=$((checks + 1))
[ "$(block labelled kirc.gp | wc -l)" -eq 2 ] || fail "\$labelled: $(block labelled kirc.gp)"
expect_line kirc.gp "set xlabel 'log₂ hazard ratio per unit of the feature (Cox)' offset 0,0.3"

# --top N labels the N best too; an unknown --highlight is a warning, as in scan
run plot scan $MATRIX --top 3 --highlight AXL,NOSUCH "$KIRC"
expect_rc 0
expect_stderr "axlsurv: warning: --highlight: no feature 'NOSUCH'"
checks=$((checks + 1))
[ "$(grep -c "^set label '\(AXL\|HERC3\|TBC1D9\|SFRS16\)' at " "$out")" -eq 4 ] \
  || fail "--top 3: labels $(grep "^set label '[A-Z0-9]*' at " "$out")"

# ---- classes, the FDR line, a feature with an infinite HR (nsclc_sim) ------
# scan --markers age,AXL,sAXL,pfs_time,pfs_event: q < 0.05 for age and AXL
# (HR > 1) and pfs_time (HR < 1); the largest p among them is age's
run plot scan --markers age,AXL,sAXL,pfs_time,pfs_event "$NSCLC"
expect_rc 0
cp "$out" nsclc.gp
checks=$((checks + 1))
[ "$(block features nsclc.gp | cut -f1,7 | tr '\t\n' ':,')" = "age:1,AXL:1,sAXL:0,pfs_time:2,pfs_event:0," ] \
  || fail "classes: $(block features nsclc.gp | cut -f1,7 | tr '\t\n' ':,')"
expect_line nsclc.gp "set label '1 not shown (hazard ratio may be infinite)' at screen 0.1548, screen 0.9012 left"
checks=$((checks + 1))
grep -q "^set label 'q < 0.05, HR > 1 (2)' at " nsclc.gp && grep -q "^set label 'q < 0.05, HR < 1 (1)' at " nsclc.gp \
  && grep -q "^set label 'q ≥ 0.05 (1)' at " nsclc.gp || fail "the key's counts: $(grep "^set label 'q" nsclc.gp)"
# the line at -log10 of age's p, 0.005688334727950079 (scan --format tsv)
y=$(grep '^set arrow from graph 0, first ' nsclc.gp | awk '{ print $7 }')
expect_near "$y" 2.245015 1e-6

# ---- usage errors ------------------------------------------------------------
run plot scan "$KIRC"
expect_rc 2
expect_stderr "axlsurv: what to scan? give --matrix FILE with --id COL, or --markers COLS|all
Try 'axlsurv plot scan --help' for more information."
run plot scan --markers AXL --format tsv "$KIRC"
expect_rc 2
run plot scan --help
expect_rc 0
checks=$((checks + 1))
grep -q -- '--highlight NAMES     label these features' "$out" || fail "--help: no --highlight"

require_cairo_gnuplot

# PNG, 300 pixels per inch; -o's script redraws it alone
run plot scan $MATRIX --highlight AXL,GAS6 --top 8 --render volcano.png -o volcano.gp "$KIRC"
expect_rc 0
expect_stderr ""
checks=$((checks + 1))
[ "$(od -An -tx1 -N8 volcano.png | tr -d ' ')" = 89504e470d0a1a0a ] || fail "volcano.png is not a PNG"
checks=$((checks + 1))
[ "$(be32 volcano.png 16)x$(be32 volcano.png 20)" = 1800x1500 ] \
  || fail "volcano.png is $(be32 volcano.png 16)x$(be32 volcano.png 20), expected 1800x1500"
rm volcano.png
checks=$((checks + 1))
"$GNUPLOT" volcano.gp 2>gp.err && [ -s volcano.png ] && [ ! -s gp.err ] \
  || fail "gnuplot volcano.gp did not redraw volcano.png: $(cat gp.err)"

# SVG, 72 units per inch
run plot scan --markers age,AXL,sAXL,pfs_time,pfs_event --size 18,12cm --render volcano.svg "$NSCLC"
expect_rc 0
expect_stderr ""
checks=$((checks + 1))
grep -q '^<svg' volcano.svg || fail "volcano.svg is not SVG"
checks=$((checks + 1))
grep -q 'width="510" height="340"' volcano.svg || fail "volcano.svg: $(grep -o 'width="[0-9]*" height="[0-9]*"' volcano.svg | head -1)"

finish
