#!/bin/sh
# report: make/axlsurv.mk on two small TCGA cohorts, in a temporary directory:
# the outputs and the index are made, a second make does nothing, touching one
# cohort remakes only its files (and the index), two clean builds (one with
# make -j) are byte-identical, and a failed step leaves no output behind.
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

make=${MAKE_PROGRAM:-make}
"$make" --version 2>/dev/null | grep -q 'GNU Make' || { echo "GNU make not found"; exit 77; }
mk=$TOP_SRCDIR/make/axlsurv.mk

# figures only when gnuplot is there (the rest of the test runs without)
figures=
if [ -n "${GNUPLOT:-}" ] && "$GNUPLOT" --version >/dev/null 2>&1; then
  figures=png
else
  echo "gnuplot not found: the report is checked without figures"
fi

# setup DIR: a project with two cohorts and its Makefile
setup () {
  mkdir -p "$1"
  cp "$COHORTS/tcga_kirc_AXL_OS.csv" "$1/kirc.csv"
  cp "$COHORTS/tcga_uvm_AXL_OS.csv" "$1/uvm.csv"
  cat >"$1/Makefile" <<EOF
AXLSURV = $AXLSURV
GNUPLOT = ${GNUPLOT:-}
AXLSURV_FIGURES = $figures
AXLSURV_COHORTS = kirc uvm
kirc_FILE = kirc.csv
kirc_os_OPTIONS = --time os_days --event os_event
kirc_MARKERS = AXL
uvm_FILE = uvm.csv
uvm_os_OPTIONS = --time os_days --event os_event
uvm_MARKERS = AXL
uvm_AXL_TRANSFORM = log2p1
uvm_COVARIATES = age gender
include $mk
EOF
}

# build DIR [MAKE-ARGS...]: make in DIR (not as part of the make running the
# tests); sets $rc, $out, $err
build () {
  d=$1
  shift
  rc=0
  out=$WORK/stdout
  (unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES; cd "$d" && "$make" "$@") >"$out" 2>"$err" || rc=$?
  last="make $* in $d"
}

# on FILE: the next expect_json checks read FILE
on () {
  out=$1
  last=$1
}

setup a
build a -j4
expect_rc 0

# every output is there, and nothing else (no temporary file)
expected="data/kirc.csv data/uvm.csv index.html index.md kirc/manifest.tsv uvm/manifest.tsv"
for c in kirc uvm; do
  expected="$expected $c/os/describe.txt $c/os/describe.json"
  for t in km logrank cox cutpoint; do
    expected="$expected $c/os/AXL/$t.txt $c/os/AXL/$t.json"
  done
  for x in $figures; do expected="$expected $c/os/AXL/km.$x $c/os/AXL/cutpoint.$x"; done
done
expected="$expected uvm/os/AXL/cox-adjusted.txt uvm/os/AXL/cox-adjusted.json"
# the forest figure of the adjusted model: only uvm has covariates
for x in $figures; do expected="$expected uvm/os/AXL/forest.$x"; done
checks=$((checks + 1))
got=$(cd a/report && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
want=$(printf '%s\n' $expected | LC_ALL=C sort)
[ "$got" = "$want" ] || fail "report files: got [$got], expected [$want]"

# the outputs are the commands' results, on the copy, with the options given
on a/report/uvm/os/AXL/cox-adjusted.json
expect_json '.file // "no file member"' 'no file member'
expect_json '[.terms[].term] | join(",")' 'log2p1(AXL),age,gender=male'
expect_json '.n' 80
expect_json '[.zph[].term] | join(",")' 'log2p1(AXL),age,gender,GLOBAL'
on a/report/kirc/os/describe.json
expect_json '.file' 'report/data/kirc.csv'
expect_json '.n_used' 72
expect_json '.events' 13
on a/report/kirc/os/AXL/cutpoint.json
expect_json '.seed' 1
expect_json '.marker' AXL

# the manifest says which command wrote each file; running it again gives
# the same bytes
checks=$((checks + 1))
line=$(grep '^uvm/os/AXL/km\.json	' a/report/uvm/manifest.tsv)
[ "$(printf '%s\n' "$line" | cut -f2-4)" = "$(printf 'os\tAXL\tkm')" ] \
  || fail "manifest line for km.json: [$line]"
cmd=$(printf '%s\n' "$line" | cut -f5)
checks=$((checks + 1))
[ "$cmd" = "axlsurv km --time os_days --event os_event --marker AXL --cut median --format json report/data/uvm.csv -o report/uvm/os/AXL/km.json" ] \
  || fail "manifest command: [$cmd]"
checks=$((checks + 1))
again=$(printf '%s\n' "$cmd" | sed 's|^axlsurv ||; s| -o [^ ]*$| -o again.json|')
# shellcheck disable=SC2086
(cd a && "$AXLSURV" $again) || fail "rerunning [$again] failed"
cmp -s a/again.json a/report/uvm/os/AXL/km.json || fail "rerunning the manifest's command gives other bytes"
rm -f a/again.json

# the index: provenance, the methods from the options used, links
idx=a/report/index.md
checks=$((checks + 1))
if command -v sha256sum >/dev/null 2>&1; then
  sum=$(sha256sum <a/uvm.csv | cut -c1-64)
else
  sum=$(shasum -a 256 <a/uvm.csv | cut -c1-64)
fi
grep -q "| uvm | \[data/uvm.csv\](data/uvm.csv) | uvm.csv | 80 | \`$sum\` |" "$idx" \
  || fail "index.md: no input line with uvm.csv's sha256 $sum"
checks=$((checks + 1))
grep -q "^Program: $("$AXLSURV" --version | sed -n 1p)" "$idx" || fail "index.md: no program version"
for phrase in 'with 95% confidence intervals on the log scale' \
    'log-rank test (G-rho family, rho = 0)' 'transformed: log2p1 for AXL (uvm)' \
    'with efron handling of tied times' 'adjusted for covariates (age, gender in uvm;' \
    'between the 0.1 and 0.9 quantiles' '(random seed 1)' \
    '`axlsurv cox --time os_days --event os_event --marker AXL --continuous --transform none --zph --format text report/data/kirc.csv -o report/kirc/os/AXL/cox.txt`' \
    '| uvm | os | 80 | 13 | 0 | 525 (369-660) |'; do
  checks=$((checks + 1))
  grep -qF -- "$phrase" "$idx" || fail "index.md lacks: $phrase"
done
checks=$((checks + 1))
grep -q '<a href="uvm/os/AXL/cutpoint.json">' a/report/index.html || fail "index.html: no link to cutpoint.json"
if [ -n "$figures" ]; then
  checks=$((checks + 1))
  grep -q '<img src="kirc/os/AXL/km.png"' a/report/index.html || fail "index.html: no KM figure"
  checks=$((checks + 1))
  grep -q '<img src="uvm/os/AXL/cutpoint.png"' a/report/index.html || fail "index.html: no cutpoint figure"
  checks=$((checks + 1))
  grep -q '<img src="uvm/os/AXL/forest.png"' a/report/index.html || fail "index.html: no forest figure"
  # the forest figure draws the adjusted model: same marker, transform, covariates
  checks=$((checks + 1))
  cmd=$(grep '^uvm/os/AXL/forest\.png	' a/report/uvm/manifest.tsv | cut -f4-)
  [ "$cmd" = "forest-figure	axlsurv plot forest --time os_days --event os_event --marker AXL --continuous --transform log2p1 --covariates age,gender --zph report/data/uvm.csv --render report/uvm/os/AXL/forest.png" ] \
    || fail "manifest line for forest.png: [$cmd]"
fi
# no date, no absolute path of the build
checks=$((checks + 1))
! grep -rqF -e "$WORK" -e "$(date +%Y-%m-%d)" a/report || fail "the report holds a date or a build path"

# a second make does nothing
: >stamp
sleep 1
build a
expect_rc 0
checks=$((checks + 1))
grep -q "Nothing to be done" "$out" || fail "second make did something: $(cat "$out")"
checks=$((checks + 1))
[ -z "$(find a/report -newer stamp)" ] || fail "second make changed $(find a/report -newer stamp)"

# touching one cohort remakes that cohort's files and the index, no others
touch a/kirc.csv
build a
expect_rc 0
checks=$((checks + 1))
got=$(cd a/report && find . -type f -newer ../../stamp | sed 's|^\./||' | LC_ALL=C sort)
want=$(cd a/report && { find kirc -type f ! -name manifest.tsv; echo data/kirc.csv; echo index.html; echo index.md; } | LC_ALL=C sort)
[ "$got" = "$want" ] || fail "after touch kirc.csv, remade [$got], expected [$want]"

# a changed option remakes the cohort it belongs to (its manifest changes)
: >stamp2
sleep 1
printf 'kirc_AXL_CUT = p40\n' | cat - a/Makefile >a/Makefile.new && mv a/Makefile.new a/Makefile
build a
expect_rc 0
checks=$((checks + 1))
[ -z "$(find a/report/uvm a/report/data/uvm.csv -newer stamp2)" ] || fail "changing a kirc option remade uvm files"
on a/report/kirc/os/AXL/km.json
expect_json '[.groups[].n] | join(",")' '29,43'

# two clean builds in two directories, one serial, one with -j8, are byte-identical
setup b
build b -j1
expect_rc 0
setup c
build c -j8
expect_rc 0
checks=$((checks + 1))
diff -r b/report c/report >diff.out || fail "two clean builds differ: $(head -5 diff.out)"

# a failed step leaves no output behind, and make says which
setup d
printf 'd_FILE = kirc.csv\nd_os_OPTIONS = --time os_days --event os_event\nd_MARKERS = NOPE\n' \
  | cat - d/Makefile >d/Makefile.new && mv d/Makefile.new d/Makefile
sed -i 's/^AXLSURV_COHORTS = kirc uvm$/AXLSURV_COHORTS = kirc uvm d/' d/Makefile
build d -k
checks=$((checks + 1))
[ "$rc" -ne 0 ] || fail "make with a missing marker column succeeded"
checks=$((checks + 1))
grep -q "column 'NOPE'" "$err" || fail "make did not pass on axlsurv's message: $(head -3 "$err")"
expect_no_file d/report/d/os/AXL/km.txt
expect_no_file d/report/d/os/NOPE/km.txt
expect_no_file d/report/d/os/NOPE/km.json
expect_no_file d/report/index.html
checks=$((checks + 1))
[ -f d/report/uvm/os/AXL/km.json ] || fail "make -k did not make the other cohorts"
checks=$((checks + 1))
[ -z "$(find d/report -name '*.tmp*' -o -name '*.??????')" ] || fail "temporary files left: $(find d/report -name '*.tmp*')"

finish
