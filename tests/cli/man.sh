#!/bin/sh
# man: every page renders without warnings, and documents every option its
# command's --help lists.
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

command -v groff >/dev/null 2>&1 || { echo "groff not installed"; exit 77; }
man="$TOP_SRCDIR/man"

for page in "$man"/*.[157]; do
  checks=$((checks + 1))
  warnings=$(groff -man -ww -z "$page" 2>&1)
  [ -z "$warnings" ] || fail "$page: $warnings"
done

# the commands, from axlsurv --help
commands=$("$AXLSURV" --help | awk '/^Commands:/ { on = 1; next } on && NF == 0 { exit } on { print $1 }')
checks=$((checks + 1))
[ -n "$commands" ] || fail "axlsurv --help lists no commands"
for cmd in $commands; do
  page="$man/axlsurv-$cmd.1"
  checks=$((checks + 1))
  [ -f "$page" ] || { fail "no man page for command $cmd"; continue; }
  grep -q "axlsurv-$cmd" "$man/axlsurv.1" || fail "axlsurv.1 does not mention axlsurv-$cmd"
  # plot: each figure's options too (axlsurv plot KIND --help)
  kinds=""
  [ "$cmd" = plot ] && kinds=$("$AXLSURV" plot --help \
    | awk '/^Figures:/ { on = 1; next } on && NF == 0 { exit } on { print $1 }')
  for sub in "" $kinds; do
    checks=$((checks + 1))
    # shellcheck disable=SC2086
    help=$("$AXLSURV" $cmd $sub --help) || fail "axlsurv $cmd $sub --help failed"
    for opt in $(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
      checks=$((checks + 1))
      # roff writes a dash as \- or -
      pattern=$(printf '%s' "$opt" | sed 's/-/(\\\\-|-)/g')
      grep -qE -- "$pattern([^a-z0-9-]|\$)" "$page" "$man/axlsurv.1" \
        || fail "axlsurv $cmd${sub:+ $sub} $opt is not documented in $page"
    done
  done
done

finish
