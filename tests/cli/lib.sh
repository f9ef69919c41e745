# lib.sh: helpers for the end-to-end tests of the binary (sourced by tests/cli/*.sh).
#
# Environment (set by make check): AXLSURV the binary, TOP_SRCDIR the source
# tree, AXS_TESTDATA the reference data.  Each test script runs in a fresh
# temporary directory, counts its checks and exits 0 (all passed), 1 (a check
# failed), or 77 (skipped).

set -u
: "${AXLSURV:=$(pwd)/src/axlsurv}"
: "${TOP_SRCDIR:=$(pwd)}"
: "${AXS_TESTDATA:=$TOP_SRCDIR/tests/data/reference}"
DATA=$AXS_TESTDATA
COHORTS=$TOP_SRCDIR/cohorts
FIXTURES=$TOP_SRCDIR/tests/data/cli

WORK=$(mktemp -d "${TMPDIR:-/tmp}/axlsurv-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 99

checks=0
failures=0

fail () {
  failures=$((failures + 1))
  printf 'FAIL: %s\n' "$*" >&2
}

# run ARGS...: run axlsurv; sets $out, $err (file names) and $rc.
out=$WORK/stdout
err=$WORK/stderr
rc=0
# AXLSURV_WRAPPER (e.g. 'valgrind -q --error-exitcode=99', set by make
# check-valgrind) is put before the binary, split into words.
: "${AXLSURV_WRAPPER:=}"
run () {
  rc=0
  # shellcheck disable=SC2086
  $AXLSURV_WRAPPER "$AXLSURV" "$@" >"$out" 2>"$err" || rc=$?
  last="axlsurv $*"
}

# expect_rc N: the last run exited with N.
expect_rc () {
  checks=$((checks + 1))
  [ "$rc" -eq "$1" ] || fail "$last: exit $rc, expected $1; stderr: $(head -c 500 "$err")"
}

# expect_stderr TEXT: the last run's stderr is exactly TEXT (one or more lines).
expect_stderr () {
  checks=$((checks + 1))
  [ "$(cat "$err")" = "$1" ] || fail "$last: stderr was [$(cat "$err")], expected [$1]"
}

# expect_stdout TEXT: the last run's stdout is exactly TEXT.
expect_stdout () {
  checks=$((checks + 1))
  [ "$(cat "$out")" = "$1" ] || fail "$last: stdout was [$(head -c 2000 "$out")], expected [$1]"
}

# expect_empty_stdout: nothing was written on stdout.
expect_empty_stdout () {
  checks=$((checks + 1))
  [ ! -s "$out" ] || fail "$last: wrote to stdout: $(head -c 200 "$out")"
}

# expect_error N TEXT ARGS...: run ARGS, expect exit N, stderr exactly TEXT
# and nothing on stdout.
expect_error () {
  code=$1 text=$2
  shift 2
  run "$@"
  expect_rc "$code"
  expect_stderr "$text"
  expect_empty_stdout
}

# json FILTER: evaluate a jq FILTER on the last stdout.
json () {
  jq -r "$1" "$out"
}

# expect_json FILTER VALUE: jq FILTER of the last stdout prints VALUE exactly.
expect_json () {
  checks=$((checks + 1))
  got=$(jq -r "$1" "$out" 2>&1)
  [ "$got" = "$2" ] || fail "$last: $1 is [$got], expected [$2]"
}

# expect_near GOT WANT [RELTOL]: numbers agree to RELTOL (default 1e-9) relative.
expect_near () {
  checks=$((checks + 1))
  awk -v g="$1" -v w="$2" -v t="${3:-1e-9}" 'BEGIN {
    d = g - w; if (d < 0) d = -d; s = w < 0 ? -w : w; if (s < 1e-300) s = 1;
    exit !(g != "" && d <= t * s) }' \
    || fail "$last: got $1, expected $2 (rel. tol. ${3:-1e-9})"
}

# expect_json_near FILTER VALUE [RELTOL]
expect_json_near () {
  expect_near "$(jq -r "$1" "$out" 2>&1)" "$2" "${3:-1e-9}"
}

# expect_no_file PATH: PATH does not exist (no half-written output).
expect_no_file () {
  checks=$((checks + 1))
  [ ! -e "$1" ] || fail "$last: $1 exists"
  # nor any temporary file beside it
  for f in "$1".??????; do
    [ -e "$f" ] && fail "$last: temporary file $f left behind"
  done
  return 0
}

# require_cairo_gnuplot: the rest of the test renders images; without a
# gnuplot with cairo terminals, end here: skipped (77) if all passed so far.
require_cairo_gnuplot () {
  if [ -z "${GNUPLOT:-}" ] || ! "$GNUPLOT" -e 'set terminal' 2>&1 | grep -q pngcairo; then
    printf 'gnuplot with cairo terminals not found: rendering not tested\n'
    printf '%d checks, %d failed\n' "$checks" "$failures"
    [ "$failures" -eq 0 ] && exit 77
    exit 1
  fi
  export GNUPLOT
}

# be32 FILE OFFSET: the big-endian 32-bit number at OFFSET (PNG sizes).
be32 () {
  od -An -tu1 -j"$2" -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'
}

# finish: report and exit with the test's status.
finish () {
  printf '%d checks, %d failed\n' "$checks" "$failures"
  [ "$failures" -eq 0 ]
  exit $?
}
