#!/bin/sh
# output: write errors are errors, and -o files are written whole or not at all
# (a temporary name beside the target, renamed when complete).
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

cp "$FIXTURES/bad/good.csv" . || exit 99
enospc=$(printf 'No space left on device')

# ---- /dev/full ----------------------------------------------------------------
# -o /dev/full: the device is written in place (never renamed over) and fails
run km -o /dev/full good.csv
expect_rc 1
expect_stderr "axlsurv: /dev/full: write error: $enospc"
checks=$((checks + 1))
[ -c /dev/full ] || fail "/dev/full is no longer a character device"
checks=$((checks + 1))
ls /dev/full.?????? >/dev/null 2>&1 && fail "a temporary file was left in /dev"
# standard output on /dev/full, for each format and for a long output (the
# write fails part-way, not only at the final flush)
for fmt in text tsv json; do
  rc=0
  "$AXLSURV" km --format "$fmt" good.csv >/dev/full 2>"$err" || rc=$?
  last="axlsurv km --format $fmt good.csv >/dev/full"
  expect_rc 1
  expect_stderr "axlsurv: standard output: write error: $enospc"
done
awk 'BEGIN { print "os_time,os_event"; for (i = 1; i <= 20000; i++) printf "%d,%d\n", i, i % 3 == 0 }' > long.csv
rc=0
"$AXLSURV" km --format tsv --table curve long.csv >/dev/full 2>"$err" || rc=$?
last="axlsurv km (20000 curve rows) >/dev/full"
expect_rc 1
expect_stderr "axlsurv: standard output: write error: $enospc"
run km --format tsv --table curve -o /dev/full long.csv
expect_rc 1
expect_stderr "axlsurv: /dev/full: write error: $enospc"
# --help and --version too
for args in "--help" "--version" "km --help" "logrank --help"; do
  rc=0
  # shellcheck disable=SC2086
  "$AXLSURV" $args >/dev/full 2>"$err" || rc=$?
  last="axlsurv $args >/dev/full"
  expect_rc 1
  expect_stderr "axlsurv: standard output: write error: $enospc"
done

# ---- directories that cannot take the file --------------------------------------------
run km -o nowhere/result.txt good.csv
expect_rc 1
expect_stderr "axlsurv: nowhere/result.txt: cannot write: No such file or directory"
expect_no_file nowhere/result.txt
mkdir adir
run km -o adir good.csv
expect_rc 1
expect_stderr "axlsurv: adir: cannot write: Is a directory"
checks=$((checks + 1))
[ -d adir ] && [ -z "$(ls adir)" ] || fail "-o adir changed the directory"
checks=$((checks + 1))
[ -z "$(ls -d adir.?????? 2>/dev/null)" ] || fail "-o adir left a temporary file"

# A read-only directory.  root may write anywhere, so as root the run is made
# as 'nobody' (setpriv) in a directory nobody can read; skipped when that is
# not possible.
mkdir -p ro && cp good.csv ro/ && chmod 555 ro
as_user=
if [ "$(id -u)" -eq 0 ]; then
  shared=$(mktemp -d /tmp/axlsurv-ro.XXXXXX) && chmod 755 "$shared"
  mkdir "$shared/ro" && cp good.csv "$shared/ro/" && chmod 555 "$shared/ro"
  if command -v setpriv >/dev/null 2>&1 \
     && setpriv --reuid=65534 --regid=65534 --clear-groups "$AXLSURV" --version >/dev/null 2>&1 \
     && ! setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "test -w '$shared/ro'"; then
    as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
    rodir=$shared/ro
  fi
else
  rodir=$WORK/ro
  as_user=env
fi
if [ -n "$as_user" ]; then
  rc=0
  $as_user "$AXLSURV" km -o "$rodir/result.txt" "$rodir/good.csv" >"$out" 2>"$err" || rc=$?
  last="axlsurv km -o $rodir/result.txt (read-only directory)"
  expect_rc 1
  expect_stderr "axlsurv: $rodir/result.txt: cannot write: Permission denied"
  expect_empty_stdout
  expect_no_file "$rodir/result.txt"
else
  echo "SKIP: read-only directory (cannot drop root privileges here)"
fi
[ -n "${shared:-}" ] && { chmod 755 "$shared/ro"; rm -rf "$shared"; }
chmod 755 ro

# ---- a complete file, atomically ----------------------------------------------
run km --format json -o result.json good.csv
expect_rc 0
expect_empty_stdout
expect_stderr ""
checks=$((checks + 1))
jq -e '.n_used == 6' result.json >/dev/null || fail "result.json is not the whole result"
checks=$((checks + 1))
[ -z "$(ls -d result.json.?????? 2>/dev/null)" ] || fail "a temporary file was left"
# the file gets the usual mode (umask), not mkstemp's 0600
checks=$((checks + 1))
mode=$(umask 022; "$AXLSURV" km -o moded.txt good.csv && stat -c %a moded.txt)
[ "$mode" = 644 ] || fail "-o file mode is $mode, expected 644"
# a failed run leaves an existing file as it was
printf 'precious\n' > keep.txt
run km -o keep.txt --group nope good.csv
expect_rc 2
checks=$((checks + 1))
[ "$(cat keep.txt)" = precious ] || fail "a failed run changed keep.txt"
printf 'os_time,os_event\n5,x\n' > badvalue.csv
run km -o keep.txt badvalue.csv
expect_rc 1
checks=$((checks + 1))
[ "$(cat keep.txt)" = precious ] || fail "a failed run changed keep.txt"
checks=$((checks + 1))
[ -z "$(ls -d keep.txt.?????? 2>/dev/null)" ] || fail "a temporary file was left"
# a successful run replaces it whole
run km --format tsv -o keep.txt good.csv
expect_rc 0
checks=$((checks + 1))
head -1 keep.txt | grep -q '^group' || fail "keep.txt was not replaced: $(head -1 keep.txt)"
# -o - and -o /dev/null
run km --format json -o - good.csv
expect_rc 0
expect_json '.n_used' 6
run km -o /dev/null good.csv
expect_rc 0
expect_empty_stdout
checks=$((checks + 1))
[ -c /dev/null ] || fail "/dev/null is no longer a character device"

finish
