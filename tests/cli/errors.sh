#!/bin/sh
# errors: the bad-input corpus.  Every case gives the exact message and exit
# status (1 the data or the analysis, 2 the command line), writes nothing on
# standard output and leaves no output file (nor a temporary one) behind.
# Fixtures: tests/data/cli/bad; binary junk and huge fields are made here.
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

cp "$FIXTURES"/bad/*.csv . || exit 99
res=$WORK/result.txt
try=$(printf "Try 'axlsurv %s --help' for more information." km)
try_lr=$(printf "Try 'axlsurv %s --help' for more information." logrank)
cols='patient_id, os_time, os_event, arm, axl'
cut_help='use median, tertiles, quartiles, pNN (a percentile, 0 < NN < 100), optimal, or values V or V1,V2,...'

# bad CODE TEXT COMMAND ARGS...: COMMAND -o RESULT ARGS... fails with exit CODE
# and exactly TEXT on stderr, nothing on stdout, and no RESULT file.
bad () {
  code=$1 text=$2 cmd=$3
  shift 3
  expect_error "$code" "$text" "$cmd" -o "$res" "$@"
  expect_no_file "$res"
}

# ---- malformed CSV ------------------------------------------------------
bad 1 "axlsurv: unbalanced_quote_eof.csv:3: a quoted field that starts on this line is never closed: is a quote unbalanced?" \
  km unbalanced_quote_eof.csv
bad 1 "axlsurv: unbalanced_quote_span.csv:3: this row has 1 field, but the header has 2 (the row runs on to line 4: is a quote unbalanced?)" \
  km unbalanced_quote_span.csv
bad 1 "axlsurv: ragged_long.csv:3: this row has 3 fields, but the header has 2" km ragged_long.csv
bad 1 "axlsurv: ragged_short.csv:3: this row has 1 field, but the header has 2" km ragged_short.csv
bad 1 "axlsurv: empty.csv: the file is empty: a cohort file starts with a header row naming its columns" \
  km empty.csv
bad 1 "axlsurv: <stdin>: the file is empty: a cohort file starts with a header row naming its columns" \
  km - </dev/null
bad 1 "axlsurv: header_only.csv: no patients to analyse: 0 rows, 0 outside --subset, 0 with a missing value" \
  km header_only.csv
bad 1 "axlsurv: duplicate_header.csv:1: the header names column 'os_time' twice (columns 1 and 3)" \
  km duplicate_header.csv
bad 1 "axlsurv: empty_header.csv:1: column 2 of the header has no name" km empty_header.csv
bad 1 "axlsurv: control_byte.csv:3: the file holds a control byte (0x01): is it a text (CSV) file?" \
  km control_byte.csv

# binary junk: a PNG signature (its 4th byte ends line 1, 0x1a is on line 2) ...
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\001\000' > picture.csv
bad 1 "axlsurv: picture.csv:2: the file holds a control byte (0x1a): is it a text (CSV) file?" \
  km picture.csv
# ... a spreadsheet saved as UTF-16 (NUL bytes) ...
printf 'o\000s\000_\000t\000\n\000' > utf16.csv
bad 1 "axlsurv: utf16.csv:1: the file holds a control byte (0x00): is it a text (CSV) file?" \
  km utf16.csv
# ... and random bytes: always a clean error naming a line, never a crash
i=0
while [ $i -lt 8 ]; do
  head -c 65536 /dev/urandom > junk.csv
  run km -o "$res" junk.csv
  expect_rc 1
  checks=$((checks + 1))
  grep -Eq '^axlsurv: junk\.csv(:[0-9]+)?: ' "$err" && [ "$(wc -l < "$err")" -le 2 ] \
    || fail "random junk: $(head -c 300 "$err")"
  expect_no_file "$res"
  i=$((i + 1))
done

# a 1 MB field: the message shows its first 80 bytes only
awk 'BEGIN { printf "os_time,os_event\n5,1\n"; s = "12"; while (length (s) < 1048576) s = s s; printf "%sx,0\n", s }' > bigfield.csv
first80=$(awk 'BEGIN { s = "12"; while (length (s) < 80) s = s s; print substr (s, 1, 80) }')
bad 1 "axlsurv: bigfield.csv:3: column 'os_time': '$first80...' is not a number" km bigfield.csv
# a 1 MB header name that is not the column asked for
awk 'BEGIN { s = "ab"; while (length (s) < 1048576) s = s s; printf "%s,os_event\n5,1\n", s }' > bigname.csv
abab=$(awk 'BEGIN { s = "ab"; while (length (s) < 80) s = s s; print substr (s, 1, 80) }')
bad 2 "axlsurv: bigname.csv: no column 'os_time'; the columns are: $abab..., os_event
$try" km bigname.csv

# ---- wrong values -------------------------------------------------------
bad 1 "axlsurv: text_time.csv:3: column 'os_time': 'abc' is not a number" km text_time.csv
bad 1 "axlsurv: negative_time.csv:3: column 'os_time': '-3' is a negative time; times are counted from 0" \
  km negative_time.csv
bad 1 "axlsurv: nan_time.csv:3: column 'os_time': 'nan' is not a number" km nan_time.csv
bad 1 "axlsurv: inf_time.csv:3: column 'os_time': 'Inf' is not a finite number" km inf_time.csv
bad 1 "axlsurv: huge_time.csv:3: column 'os_time': '1e999' is not a finite number" km huge_time.csv
bad 1 "axlsurv: event_not_coded.csv:3: column 'os_event': '2' is not an event code: use 0 (censored) or 1 (event), or name the event's value with --event-value" \
  km event_not_coded.csv
bad 1 "axlsurv: event_three_values.csv:2: column 'os_event': 'dead' is not an event code: use 0 (censored) or 1 (event), or name the event's value with --event-value" \
  km event_three_values.csv
bad 1 "axlsurv: event_three_values.csv:4: column 'os_event': 'lost' is neither the event value 'dead' nor the censoring value 'alive' seen before" \
  km --event-value dead event_three_values.csv
bad 1 "axlsurv: good.csv:2: column 'arm': 'A' is not a number" km --marker arm good.csv
bad 1 "axlsurv: all_missing.csv: no patients to analyse: 3 rows, 0 outside --subset, 3 with a missing value" \
  km all_missing.csv
# duplicate patient ids: an id column (patient_id or patient) must not repeat
# among the patients analysed ...
bad 1 "axlsurv: duplicate_id.csv:5: column 'patient_id': patient 'P2' is already on line 3: each row must be a different patient" \
  km duplicate_id.csv
bad 1 "axlsurv: duplicate_id.csv:5: column 'patient_id': patient 'P2' is already on line 3: each row must be a different patient" \
  logrank --group os_event duplicate_id.csv
# ... but a subset that keeps one of the two rows is fine
run km --subset os_event=1 --format json duplicate_id.csv
expect_rc 0
expect_json '.n_used' 3

# ---- wrong options ------------------------------------------------------
bad 2 "axlsurv: good.csv: no column 'nope'; the columns are: $cols
$try" km --group nope good.csv
bad 2 "axlsurv: good.csv: no column 'pfs_time'; the columns are: $cols
$try" km --endpoint pfs good.csv
bad 2 "axlsurv: good.csv: no column 'nope'; the columns are: $cols
$try" km --subset nope=1 good.csv
bad 2 "axlsurv: --cut 'foo': not a number; $cut_help
$try" km --marker axl --cut foo good.csv
bad 2 "axlsurv: --cut '3,2': the values must increase; $cut_help
$try" km --marker axl --cut 3,2 good.csv
bad 2 "axlsurv: --cut 'p100': a percentile is one number between 0 and 100; $cut_help
$try" km --marker axl --cut p100 good.csv
# found by the fuzzer: above 0, but 0 once divided by 100
bad 2 "axlsurv: --cut 'p4E-324': a percentile is one number between 0 and 100; $cut_help
$try" km --marker axl --cut p4E-324 good.csv
bad 2 "axlsurv: --cut '1,,2': not a number; $cut_help
$try" km --marker axl --cut 1,,2 good.csv
bad 2 "axlsurv: --cut 'nan': not a number; $cut_help
$try" km --marker axl --cut nan good.csv
bad 2 "axlsurv: give either --group or --marker, not both
$try" km --group arm --marker axl good.csv
bad 2 "axlsurv: --cut needs --marker
$try" km --cut median good.csv
bad 2 "axlsurv: --time and --event go together
$try" km --time os_time good.csv
bad 2 "axlsurv: give either --endpoint or --time and --event, not both
$try" km --endpoint os --time os_time --event os_event good.csv
bad 2 "axlsurv: option '--group' needs an argument
$try" km good.csv --group
bad 2 "axlsurv: option '-o' needs an argument
$try" km good.csv -o
bad 2 "axlsurv: unknown option '--bogus'
$try" km --bogus good.csv
bad 2 "axlsurv: unknown option '-x'
$try" km -x good.csv
bad 2 "axlsurv: no COHORT file given (use - for standard input)
$try" km
bad 2 "axlsurv: one COHORT file at a time; 'extra.csv' is extra
$try" km good.csv extra.csv
bad 2 "axlsurv: --format 'xml': use text, tsv or json
$try" km --format xml good.csv
bad 2 "axlsurv: --delimiter '|': use ',', ';' or tab
$try" km --delimiter '|' good.csv
bad 2 "axlsurv: --conf-level '1.5': must be between 0 and 1, e.g. 0.95
$try" km --conf-level 1.5 good.csv
bad 2 "axlsurv: --conf-level 'abc': not a number
$try" km --conf-level abc good.csv
bad 2 "axlsurv: --conf-type 'logit': use log, log-log or plain
$try" km --conf-type logit good.csv
bad 2 "axlsurv: --times '1,x': 'x' is not a number
$try" km --times 1,x good.csv
bad 2 "axlsurv: --times: -1 is negative
$try" km --times -1 good.csv
bad 2 "axlsurv: --tau '0': must be positive
$try" km --tau 0 good.csv
bad 2 "axlsurv: --table 'foo': use one of summary, curve, landmarks, test
$try" km --table foo good.csv
bad 2 "axlsurv: --subset 'arm': expected COLUMN=VALUE[,VALUE...]
$try" km --subset arm good.csv
bad 2 "axlsurv: --rho '-1': must be 0 or more
$try_lr" logrank --rho -1 --group arm good.csv
bad 2 "axlsurv: --trend needs 3 or more ordered groups; 'arm' has 2
$try_lr" logrank --trend --group arm good.csv
bad 2 "axlsurv: which groups? give --group COL or --marker COL
$try_lr" logrank good.csv
bad 2 "axlsurv: unknown command 'frobnicate'
Try 'axlsurv --help' for the list of commands." frobnicate good.csv
# a hostile option value is shortened in the message too
long=$(awk 'BEGIN { s = "g"; while (length (s) < 50000) s = s s; print s }')
bad 2 "axlsurv: good.csv: no column '$(printf '%.80s' "$long")...'; the columns are: $cols
$try" km --group "$long" good.csv
bad 1 "axlsurv: missing.csv: No such file or directory" km missing.csv
bad 1 "axlsurv: .: Is a directory" km .

# ---- analyses that cannot run ------------------------------------------
bad 1 "axlsurv: all_censored.csv: no test: fewer than two groups have events in their risk sets" \
  logrank --group arm all_censored.csv
bad 1 "axlsurv: one_group.csv: only one group ('A') among the patients analysed: nothing to compare" \
  logrank --group arm one_group.csv
bad 1 "axlsurv: good.csv: no patients to analyse: 6 rows, 6 outside --subset, 0 with a missing value" \
  km --subset arm=Z good.csv
bad 1 "axlsurv: constant_marker.csv: group 'high' of marker 'axl' has no patients (cuts at 2; tied marker values can make quantile cuts coincide): choose other cuts" \
  km --marker axl constant_marker.csv
bad 1 "axlsurv: good.csv: group 'high' of marker 'axl' has no patients (cuts at 100; tied marker values can make quantile cuts coincide): choose other cuts" \
  logrank --marker axl --cut 100 good.csv
bad 1 "axlsurv: good.csv: group '<=0.5' of marker 'axl' has no patients (cuts at 0.5, 0.6; tied marker values can make quantile cuts coincide): choose other cuts" \
  km --marker axl --cut 0.5,0.6 good.csv

# Analyses that run with a warning: everyone censored gives curves at 1 and
# no test; a group without events still has its curve and is tested.
run km --group arm --format json all_censored.csv
expect_rc 0
expect_stderr "axlsurv: warning: all_censored.csv: no log-rank test: fewer than two groups have events in their risk sets"
expect_json '[.groups[].events] | add' 0
expect_json '[.groups[].curve[].surv] | unique | join(",")' 1
expect_json '.groups[0].median' null
run logrank --group arm --format json group_no_events.csv
expect_rc 0
expect_stderr ""
expect_json '.groups[1].observed' 0
# survdiff(Surv(t, e) ~ g) with t = 5,8,9,11, e = 1,0,1,0, g = A,B,A,B: chisq 2
expect_json_near "$(json '.chisq')" 2

finish
