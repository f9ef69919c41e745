#!/bin/sh
# plot.sh: axlsurv plot: the scripts' data against km, the figure's text,
# usage errors, and each terminal rendered through gnuplot (skipped, status
# 77, only when gnuplot is absent).
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

KIRC=$COHORTS/tcga_kirc_AXL_OS.csv
LUNG=$DATA/lung.csv
AXL="--marker AXL --time os_days --event os_event"
: "${GNUPLOT:=$(command -v gnuplot || true)}"   # make check passes configure's

# block NAME FILE: the lines of datablock $NAME in the script FILE, without comments.
block () {
  awk -v b="\$$1 << EOD" '$0 == b { on = 1; next } on && $0 == "EOD" { exit }
    on && !/^#/ { print }' "$2"
}

# expect_contains FILE TEXT: FILE has a line that is exactly TEXT.
expect_line () {
  checks=$((checks + 1))
  grep -qxF -- "$2" "$1" || fail "$last: no line [$2] in $1"
}

# ---- the data in the script are km's numbers ------------------------------
run plot km $AXL "$KIRC"
expect_rc 0
cp "$out" kirc.gp
# $km: each group's rows as km --table curve, after the start row (0, n, 1)
block km kirc.gp | awk 'NF == 0 { gap = 1; next }
  gap { g++; gap = 0; first = 1 } first || NR == 1 { first = 0; next }
  { print g + 0 "\t" $0 }' | tr ' ' '\t' >plot_curve
run km $AXL --format tsv --table curve "$KIRC"
awk -F'\t' 'NR > 1 { if ($1 != prev) { if (prev != "") g++; prev = $1 }
  $1 = g + 0; print }' OFS='\t' "$out" >km_curve
checks=$((checks + 1))
cmp -s plot_curve km_curve || fail "\$km differs from km --table curve: $(diff plot_curve km_curve | head -5)"
checks=$((checks + 1))
[ "$(block km kirc.gp | grep -c '^0 36 0 0 1 0 1 1$')" -eq 2 ] \
  || fail "\$km: no start row (0, 36 at risk, S = 1) for each group"
# the x tics and the number at risk: round steps of 500 days over 3074 days
expect_line kirc.gp 'set xtics ("0" 0, "500" 500, "1000" 1000, "1500" 1500, "2000" 2000, "2500" 2500, "3000" 3000, "3500" 3500)'
run km $AXL --times 0,500,1000,1500,2000,2500,3000,3500 --format tsv --table landmarks "$KIRC"
awk -F'\t' 'NR > 1 { print $2, $3 }' "$out" >km_risk
block risk kirc.gp | grep -v '^$' >plot_risk
checks=$((checks + 1))
cmp -s plot_risk km_risk || fail "\$risk differs from km landmarks: $(diff plot_risk km_risk | head -5)"
# the legend and the log-rank p (R: survdiff p = 0.1436488)
expect_line kirc.gp "array legend[2] = ['low (n = 36, 9 events)', 'high (n = 36, 4 events)']"
checks=$((checks + 1))
grep -q "^set label 'Log-rank p = 0.14' at " kirc.gp || fail "no log-rank p label"
checks=$((checks + 1))
grep -q "^set key .* title 'AXL' left$" kirc.gp || fail "the legend is not titled AXL"
checks=$((checks + 1))
grep -q "^set label 'Survival probability' at screen .* rotate by 90$" kirc.gp || fail "no y label"
checks=$((checks + 1))
! grep -q '^\$ci << EOD' kirc.gp || fail "confidence bands without --ci"

# --hr: R coxph(Surv(os_days, os_event) ~ AXL group): HR 0.4255513 (0.1307814-1.384707)
run plot km $AXL --hr --ci --median --time-unit days --axis-unit months "$KIRC"
expect_rc 0
cp "$out" kirc2.gp
checks=$((checks + 1))
grep -q "^set label 'HR high vs low: 0.43' at " kirc2.gp || fail "--hr: no HR label"
checks=$((checks + 1))
grep -q "^set label '   (95% CI 0.13–1.38)' at " kirc2.gp || fail "--hr: no CI label"
expect_line kirc2.gp "scale = 30.4375              # data time units per unit of the x axis"
expect_line kirc2.gp "set xlabel 'Time (months)' offset 0,0.3"
expect_line kirc2.gp 'set xtics ("0" 0, "20" 20, "40" 40, "60" 60, "80" 80, "100" 100, "120" 120)'
# $ci: the low group's band at its first event (day 51), as steps
checks=$((checks + 1))
[ "$(block ci kirc2.gp | sed -n '/^51 /p' | head -2 | tr '\n' '|')" = "51 1 1|51 0.9129397599098726 1|" ] \
  || fail "--ci: \$ci at day 51 is [$(block ci kirc2.gp | sed -n '/^51 /p' | head -2 | tr '\n' '|')]"
checks=$((checks + 1))
[ "$(grep -c '^set arrow' kirc2.gp)" -eq 0 ] || fail "--median: arrows drawn but no median is reached"

# several groups: R coxph(Surv(time, status) ~ factor(ph.ecog), lung)
run plot km --time time --event status --group ph.ecog --hr --median "$LUNG"
expect_rc 0
cp "$out" lung.gp
for line in 'Log-rank p < 0.001' 'Hazard ratios (95% CI):' 'HR 1 vs 0: 1.45 (0.98–2.13)' \
    'HR 2 vs 0: 2.50 (1.61–3.88)' 'HR 3 vs 0: 9.10 (1.22–67.94)'; do
  checks=$((checks + 1))
  grep -qF "set label '$line' at " lung.gp || fail "lung: no label [$line]"
done
checks=$((checks + 1))
[ "$(grep -c '^set arrow from .*, graph 0 to .*, 0.5 as 1 back$' lung.gp)" -eq 4 ] \
  || fail "--median: not one line per group"
expect_stderr "axlsurv: warning: $LUNG: 1 row left out for a missing value"

# -o: the script names its image after itself
run plot km $AXL -o fig.gp "$KIRC"
expect_rc 0
expect_empty_stdout
expect_line fig.gp "set output 'fig.png'"

# ---- usage errors ----------------------------------------------------------
# (the list of figures grows: km comes first)
run plot
expect_rc 2
checks=$((checks + 1))
case $(cat "$err") in
  "axlsurv: plot: which figure? km"*"
Try 'axlsurv plot --help' for more information.") ;;
  *) fail "$last: stderr [$(cat "$err")]" ;;
esac
run plot pie "$KIRC"
expect_rc 2
checks=$((checks + 1))
case $(cat "$err") in
  "axlsurv: plot: unknown figure 'pie'; use km"*"
Try 'axlsurv plot --help' for more information.") ;;
  *) fail "$last: stderr [$(cat "$err")]" ;;
esac
expect_error 2 "axlsurv: --terminal 'bmp': use png, svg or pdf
Try 'axlsurv plot km --help' for more information." plot km --terminal bmp "$KIRC"
expect_error 2 "axlsurv: --size '0,1': give width and height in inches, e.g. 6,5, or in centimetres, e.g. 15,12cm (1 to 50 inches)
Try 'axlsurv plot km --help' for more information." plot km --size 0,1 "$KIRC"
expect_error 2 "axlsurv: --render 'fig.gif': name the image .png, .svg or .pdf, or give --terminal
Try 'axlsurv plot km --help' for more information." plot km --render fig.gif "$KIRC"
expect_error 2 "axlsurv: --render 'fig.png' is a png name but --terminal is pdf
Try 'axlsurv plot km --help' for more information." plot km --terminal pdf --render fig.png "$KIRC"
expect_error 2 "axlsurv: --axis-unit needs --time-unit (the unit of the data)
Try 'axlsurv plot km --help' for more information." plot km --axis-unit months "$KIRC"
expect_error 2 "axlsurv: --time-unit 'weeks': use days, months or years
Try 'axlsurv plot km --help' for more information." plot km --time-unit weeks "$KIRC"
expect_error 2 "axlsurv: --hr needs groups: give --group or --marker
Try 'axlsurv plot km --help' for more information." plot km --hr "$KIRC"
expect_error 2 "axlsurv: --ylim '1,0': give LO,HI with 0 <= LO < HI <= 1
Try 'axlsurv plot km --help' for more information." plot km --ylim 1,0 "$KIRC"
expect_error 2 "axlsurv: --risk-times '0,200,100': give ascending times from 0 up
Try 'axlsurv plot km --help' for more information." plot km --risk-times 0,200,100 "$KIRC"
expect_error 2 "axlsurv: --conf-type 'wide': use log, log-log or plain
Try 'axlsurv plot km --help' for more information." plot km --conf-type wide "$KIRC"
expect_error 2 "axlsurv: unknown option '--format'
Try 'axlsurv plot km --help' for more information." plot km --format json "$KIRC"
run plot km --help
expect_rc 0
checks=$((checks + 1))
grep -q '^  --risk-times T1,T2,' "$out" || fail "plot km --help lists no --risk-times"

# ---- rendering -------------------------------------------------------------
# gnuplot missing: a clear error, no image
last="PATH=/nonexistent axlsurv plot km --render none.png"
rc=0
GNUPLOT= PATH=/nonexistent "$AXLSURV" plot km $AXL --render none.png "$KIRC" >"$out" 2>"$err" || rc=$?
expect_rc 1
expect_stderr "axlsurv: --render: gnuplot not found (install the Debian package gnuplot-nox, or set GNUPLOT); without --render, axlsurv writes the script"
expect_no_file none.png
# gnuplot failing: no image, no temporary file
last="GNUPLOT=false axlsurv plot km --render failed.png"
rc=0
GNUPLOT=false "$AXLSURV" plot km $AXL --render failed.png "$KIRC" >"$out" 2>"$err" || rc=$?
expect_rc 1
expect_stderr "axlsurv: failed.png: gnuplot failed (exit status 1); the image was not written"
expect_no_file failed.png

require_cairo_gnuplot

# PNG: the signature and the IHDR size, 300 pixels per inch
run plot km $AXL --ci --hr --median --render km.png "$KIRC"
expect_rc 0
expect_stderr ""
expect_empty_stdout
checks=$((checks + 1))
[ "$(od -An -tx1 -N8 km.png | tr -d ' ')" = 89504e470d0a1a0a ] || fail "km.png is not a PNG"
checks=$((checks + 1))
[ "$(be32 km.png 16)x$(be32 km.png 20)" = 1800x1500 ] \
  || fail "km.png is $(be32 km.png 16)x$(be32 km.png 20), expected 1800x1500"
expect_no_file km.png.gp

run plot km --time time --event status --group ph.ecog --size 3.5,4.5 --render small.png "$LUNG"
expect_rc 0
checks=$((checks + 1))
[ "$(be32 small.png 16)x$(be32 small.png 20)" = 1050x1350 ] \
  || fail "small.png is $(be32 small.png 16)x$(be32 small.png 20), expected 1050x1350"

# SVG, 72 units per inch
run plot km $AXL --size 15,12cm --render km.svg "$KIRC"
expect_rc 0
expect_stderr ""
checks=$((checks + 1))
grep -q '^<svg' km.svg || fail "km.svg is not SVG"
checks=$((checks + 1))
grep -q 'width="425" height="340"' km.svg || fail "km.svg: $(grep -o 'width="[0-9]*" height="[0-9]*"' km.svg | head -1)"

# PDF, points
run plot km $AXL --terminal pdf --title 'TCGA KIRC' --render km.pdf "$KIRC"
expect_rc 0
expect_stderr ""
checks=$((checks + 1))
[ "$(head -c 5 km.pdf)" = "%PDF-" ] || fail "km.pdf is not a PDF"
checks=$((checks + 1))
grep -aq 'MediaBox \[ 0 0 432 360 \]' km.pdf || fail "km.pdf is not 6 x 5 inches"

# -o and --render together: the script draws the rendered file
run plot km $AXL -o both.gp --render both.png "$KIRC"
expect_rc 0
expect_line both.gp "set output 'both.png'"
rm both.png
checks=$((checks + 1))
"$GNUPLOT" both.gp 2>gp.err && [ -s both.png ] && [ ! -s gp.err ] \
  || fail "gnuplot both.gp did not redraw both.png: $(cat gp.err)"

# the script from standard output draws the same figure
run plot km $AXL "$KIRC"
checks=$((checks + 1))
"$GNUPLOT" <"$out" >piped.png 2>gp.err && [ "$(be32 piped.png 16)" = 1800 ] && [ ! -s gp.err ] \
  || fail "gnuplot < script: $(cat gp.err)"

finish
