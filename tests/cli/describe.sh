#!/bin/sh
# describe.sh: axlsurv describe: counts, median follow-up, column summaries,
# the OS/PFS checks and their warnings, the output formats, the errors.
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

# ---- lung (R survival's lung, status recoded 0/1) ---------------------------------
# Reference numbers from R 4 / survival 3.5:
#   d <- read.csv("lung.csv")
#   survfit(Surv(time, 1 - status) ~ 1, data = d)      median 588, CI 511 to 1010
#   quantile(d$wt.loss, na.rm = TRUE)                   -24, 0, 7, 15.75, 68; 14 NA
#   quantile(d$meal.cal, na.rm = TRUE)                  96, 635, 975, 1150, 2600; 47 NA
#   quantile(d$age)                                     39, 56, 63, 69, 82
#   survfit(Surv(time, 1 - status) ~ 1, data = subset(d, sex == "female"))
#                                                       median 529, CI 376 to NA
LUNG=$DATA/lung.csv
run describe --time time --event status --format json "$LUNG"
expect_rc 0
expect_json '.command' describe
expect_json '[.n_rows, .n_subset_out, .n_used, .n_excluded, .events, .censored] | join(",")' \
  "228,0,228,0,165,63"
expect_json_near '.median_followup' 588
expect_json_near '.median_followup_lower' 511
expect_json_near '.median_followup_upper' 1010
expect_json '.columns | length' 11
expect_json '[.columns[] | select(.name == "wt.loss") | .type, .n, .missing, .min, .q1, .median, .q3, .max] | join(",")' \
  "numeric,214,14,-24,0,7,15.75,68"
expect_json '[.columns[] | select(.name == "meal.cal") | .n, .missing, .min, .q1, .median, .q3, .max] | join(",")' \
  "181,47,96,635,975,1150,2600"
expect_json '[.columns[] | select(.name == "age") | .min, .q1, .median, .q3, .max, .distinct] | join(",")' \
  "39,56,63,69,82,42"
expect_json '.columns[] | select(.name == "sex") | .type' text
expect_json '[.columns[] | select(.name == "sex") | .levels[] | "\(.level)=\(.n)"] | join(",")' \
  "female=90,male=138"
# no OS/PFS columns: no checks
expect_json '.checks | length' 0
expect_json '.warnings | length' 0

run describe --time time --event status --subset sex=female --format tsv --table summary "$LUNG"
expect_rc 0
expect_stdout "n_rows	n_subset_out	n_used	n_excluded	events	censored	median_followup	median_followup_lower	median_followup_upper
228	138	90	0	53	37	529	376	NA"

run describe --time time --event status --format tsv --table columns "$LUNG"
expect_rc 0
checks=$((checks + 1))
grep -qx 'wt.loss	numeric	214	14	53	-24	0	7	15.75	68' "$out" \
  || fail "$last: no wt.loss row: $(grep wt.loss "$out")"
checks=$((checks + 1))
grep -qx 'sex	text	228	0	2	NA	NA	NA	NA	NA' "$out" \
  || fail "$last: no sex row: $(grep sex "$out")"

run describe --time time --event status --format tsv --table levels "$LUNG"
expect_stdout "column	level	n
sex	female	90
sex	male	138"

# standard input
run describe --time time --event status --format json - <"$LUNG"
expect_rc 0
expect_json '[.file, .n_used, .median_followup] | join(",")' "<stdin>,228,588"

# the text report
run describe --time time --event status "$LUNG"
expect_rc 0
checks=$((checks + 1))
grep -qx 'follow-up: median 588 (95% CI 511 to 1010), reverse Kaplan-Meier' "$out" \
  || fail "$last: no follow-up line: $(grep follow-up "$out")"
checks=$((checks + 1))
grep -qx 'events:    165 events, 63 censored' "$out" || fail "$last: no events line"
checks=$((checks + 1))
grep -q '^sex  *228  *0  *2  *female (90), male (138)$' "$out" || fail "$last: no sex levels"

# ---- OS and PFS that disagree ------------------------------------------------------
# os_pfs_checks.csv: line 7 has no OS (left out); line 10 no PFS (not checked);
# pfs_time > os_time on lines 3 and 9; a death with pfs_event 0 on lines 4, 5, 8,
# 11, 12, 13 and 15.  R: survfit(Surv(os_time, 1 - os_event) ~ 1) median 25, CI 25 to NA;
# quantile(axl, na.rm = TRUE) 35, 65, 100, 150, 250.
cp "$FIXTURES/os_pfs_checks.csv" .
W1='axlsurv: warning: os_pfs_checks.csv: 1 row left out for a missing value'
W2='axlsurv: warning: os_pfs_checks.csv: 2 patients: pfs_time is greater than os_time: lines 3, 9'
W3='axlsurv: warning: os_pfs_checks.csv: 7 patients: os_event is 1 (death) but pfs_event is 0, yet a death before progression ends PFS as an event: lines 4, 5, 8, 11, 12, ...'
run describe --format json os_pfs_checks.csv
expect_rc 0
expect_stderr "$W1
$W2
$W3"
expect_json '[.n_rows, .n_used, .n_excluded, .events, .censored] | join(",")' "14,13,1,10,3"
expect_json_near '.median_followup' 25
expect_json_near '.median_followup_lower' 25
expect_json '.median_followup_upper' null
expect_json '[.columns[] | select(.name == "axl") | .n, .missing, .min, .q1, .median, .q3, .max] | join(",")' \
  "13,1,35,65,100,150,250"
expect_json '[.checks[] | "\(.name):\(.checked):\(.violations):\(.lines | join(" "))"] | join(",")' \
  "pfs_after_os:12:2:3 9,death_without_pfs_event:12:7:4 5 8 11 12"
expect_json '.warnings | length' 3
expect_json '.warnings[2]' "${W3#axlsurv: warning: }"

run describe --format tsv --table checks os_pfs_checks.csv
expect_rc 0
expect_stdout "check	checked	violations	lines
pfs_after_os	12	2	3, 9
death_without_pfs_event	12	7	4, 5, 8, 11, 12, ..."

# --subset narrows the checks too: arm A holds lines 2, 4, 6, 8, 10, 12, 14
run describe --subset arm=A --format json os_pfs_checks.csv
expect_rc 0
expect_stderr 'axlsurv: warning: os_pfs_checks.csv: 3 patients: os_event is 1 (death) but pfs_event is 0, yet a death before progression ends PFS as an event: lines 4, 8, 12'
expect_json '[.n_rows, .n_subset_out, .n_used, .n_excluded] | join(",")' "14,7,7,0"
expect_json '[.checks[] | .violations] | join(",")' "0,3"

# the PFS endpoint: a different patient is left out
run describe --endpoint pfs --format json os_pfs_checks.csv
expect_rc 0
expect_json '[.time, .event, .n_used, .n_excluded, .events] | join(",")' "pfs_time,pfs_event,13,1,5"

# a column with every value missing, and a file whose PFS agrees with OS
printf 'os_time,os_event,pfs_time,pfs_event,saxl\n5,1,5,1,NA\n7,0,3,1,\n9,1,2,1,NA\n' > ok.csv
run describe --format json ok.csv
expect_rc 0
expect_stderr ''
expect_json '.columns[4] | "\(.name) \(.type) \(.n) \(.missing)"' "saxl empty 0 3"
expect_json '[.checks[] | .violations] | join(",")' "0,0"
# --na: '.' alone is missing now, so the empty cell is text
run describe --na . --format json ok.csv
expect_json '.columns[4] | "\(.type) \(.n) \(.missing)"' "text 3 0"

# -o writes the file atomically; nothing on stdout
run describe --format json -o d.json os_pfs_checks.csv
expect_rc 0
expect_empty_stdout
checks=$((checks + 1))
[ "$(jq -r .n_used d.json)" = 13 ] || fail "$last: d.json is wrong"

# ---- errors ------------------------------------------------------------------------
try='Try '\''axlsurv describe --help'\'' for more information.'
expect_error 2 "axlsurv: os_pfs_checks.csv: no column 'dfs_time'; the columns are: patient_id, os_time, os_event, pfs_time, pfs_event, axl, arm
$try" describe --endpoint dfs os_pfs_checks.csv
expect_error 2 "axlsurv: --table 'curve': use one of summary, columns, levels, checks
$try" describe --table curve os_pfs_checks.csv
expect_error 2 "axlsurv: --format 'xml': use text, tsv or json
$try" describe --format xml os_pfs_checks.csv
expect_error 2 "axlsurv: no COHORT file given (use - for standard input)
$try" describe
expect_error 2 "axlsurv: --time and --event go together
$try" describe --time os_time os_pfs_checks.csv
expect_error 2 "axlsurv: unknown option '--marker'
$try" describe --marker axl os_pfs_checks.csv
printf 'os_time,os_event\n1,1\n2,dead\n' > bad.csv
expect_error 1 "axlsurv: bad.csv:3: column 'os_event': 'dead' is not an event code: use 0 (censored) or 1 (event), or name the event's value with --event-value" \
  describe bad.csv
expect_error 1 "axlsurv: bad.csv:3: column 'os_event': 'dead' is not an event code: use 0 (censored) or 1 (event), or name the event's value with --event-value" \
  describe -o never.json bad.csv
expect_no_file never.json

# cells are keyed by their first 8 bytes: texts of 7 and of 8 bytes, texts
# that share their first 8 bytes, a missing spelling longer than 7 bytes, and
# a column of numbers until its last row
printf 'os_time,os_event,arm,code,dose\n1,1,chemotherapy,abcdefg,1\n2,0,chemotherapy A,abcdefgh,2\n3,1,chemotherapy B,abcdefgh,1\n4,1,chemotherapy A,not_recorded,2\n5,0,chemotherapy,abcdefg,1\n6,1,chemotherapy B,1,high\n' > keys.csv
run describe --na ',NA,not_recorded' --format tsv --table levels keys.csv
expect_stdout "column	level	n
arm	chemotherapy	2
arm	chemotherapy A	2
arm	chemotherapy B	2
code	1	1
code	abcdefg	2
code	abcdefgh	2
dose	1	3
dose	2	2
dose	high	1"
run describe --na ',NA,not_recorded' --format json keys.csv
expect_json '[.columns[] | select(.name == "code") | .type, .n, .missing, .distinct] | join(",")' \
  "text,5,1,3"

finish
