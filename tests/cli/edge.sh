#!/bin/sh
# edge: numerical edge cases give R's answers, never NaN or garbage.
# Expected numbers come from R survival 3.5-3 (the calls are quoted above each
# block); the cohorts are written here.
. "${TOP_SRCDIR:-.}/tests/cli/lib.sh"

# no_nan: the last json output holds no NaN, Infinity or non-JSON number
no_nan () {
  checks=$((checks + 1))
  jq -e . "$out" >/dev/null 2>&1 && ! grep -Eqi 'nan|inf' "$out" \
    || fail "$last: output is not clean JSON: $(head -c 300 "$out")"
}

# ---- all times tied ---------------------------------------------------------
# d <- data.frame(t = rep(10, 6), e = c(1,1,0,1,0,1), g = rep(c("a","b"), each = 3))
# summary(survfit(Surv(t, e) ~ g, d))$surv: 1/3 1/3; $std.err 0.272165526975909 (both)
# survdiff(Surv(t, e) ~ g, d): chisq 0, expected 2 2
printf 't,e,g\n10,1,a\n10,1,a\n10,0,a\n10,1,b\n10,0,b\n10,1,b\n' > tied.csv
run km --time t --event e --group g --format json tied.csv
expect_rc 0
no_nan
expect_json_near "$(json '.groups[0].curve[0].surv')" 0.333333333333333 1e-14
expect_json_near "$(json '.groups[1].curve[0].std_err')" 0.272165526975909
expect_json '.groups[0].median' 10
expect_json_near "$(json '.test.chisq')" 0
expect_json_near "$(json '.test.groups[0].expected')" 2
expect_json_near "$(json '.test.p')" 1

# ---- zero times ---------------------------------------------------------------
# d <- data.frame(t = c(0,0,3,5,8,8,12), e = c(1,0,1,1,0,1,0))
# summary(survfit(Surv(t, e) ~ 1, d)): surv 0.857142857142857 0.685714285714286
#   0.514285714285714 0.342857142857143; std.err 0.132260014253222 ...
#   0.195100333012763; rmean 6.857143 (se 1.749036), median 8 (3, NA)
printf 't,e\n0,1\n0,0\n3,1\n5,1\n8,0\n8,1\n12,0\n' > zero.csv
run km --time t --event e --format json zero.csv
expect_rc 0
no_nan
expect_json '.groups[0].curve[0].time' 0
expect_json_near "$(json '.groups[0].curve[0].surv')" 0.857142857142857
expect_json_near "$(json '.groups[0].curve[0].std_err')" 0.132260014253222
expect_json_near "$(json '.groups[0].curve[3].surv')" 0.342857142857143
expect_json_near "$(json '.groups[0].curve[3].std_err')" 0.195100333012763
expect_json_near "$(json '.groups[0].rmst')" 6.857142857142857
expect_json_near "$(json '.groups[0].rmst_se')" 1.74903555264937
expect_json '.groups[0].median' 8
expect_json '.groups[0].median_lower' 3
expect_json '.groups[0].median_upper' null
# everyone at time 0 and censored: S = 1, nothing undefined
printf 't,e\n0,0\n0,0\n' > allzero.csv
run km --time t --event e --format json allzero.csv
expect_rc 0
no_nan
expect_json '.groups[0].curve[0].surv' 1

# ---- a single patient per group -------------------------------------------------
# survdiff(Surv(t, e) ~ g, data.frame(t = c(4, 9), e = c(1, 1), g = c("a", "b"))):
#   chisq 1, p 0.317310507862914, expected 0.5 1.5
printf 't,e,g\n4,1,a\n9,1,b\n' > single.csv
run logrank --time t --event e --group g --format json single.csv
expect_rc 0
no_nan
expect_json_near "$(json '.chisq')" 1
expect_json_near "$(json '.p')" 0.317310507862914
expect_json_near "$(json '.groups[1].expected')" 1.5
run km --time t --event e --group g --format json single.csv
expect_rc 0
no_nan
expect_json '[.groups[].median] | join(",")' '4,9'
# one patient in all: a curve that drops to 0, its CI undefined (null, not NaN)
printf 't,e\n7,1\n' > one.csv
run km --time t --event e --format json one.csv
expect_rc 0
no_nan
expect_json '.groups[0].curve[0].surv' 0
expect_json '.groups[0].median' 7

# ---- huge and tiny time scales ----------------------------------------------------
# d <- data.frame(t = c(5,8,12,15,20,22,30,31), e = c(1,0,1,1,0,1,1,0), g = rep(c("a","b"), 4))
# survdiff(Surv(t, e) ~ g, d)$chisq 0.484876260311641; medians 21, 22;
# rmean (common tau 31) 19.25, 22.6666666666667.  Scaling t by s scales medians and
# rmeans by s and leaves the test alone.
for scale in 1e-300 1e-9 1 1e9 1e300; do
  awk -v s="$scale" 'BEGIN { split("5 8 12 15 20 22 30 31", t, " "); split("1 0 1 1 0 1 1 0", e, " ");
    print "t,e,g"; for (i = 1; i <= 8; i++) printf "%.17g,%s,%s\n", t[i] * s, e[i], (i % 2 ? "a" : "b") }' > scale.csv
  run km --time t --event e --group g --format json scale.csv
  expect_rc 0
  no_nan
  expect_json_near "$(json '.test.chisq')" 0.484876260311641
  expect_json_near "$(json '.groups[0].median')" "$(awk -v s="$scale" 'BEGIN { printf "%.17g", 21 * s }')"
  expect_json_near "$(json '.groups[1].median')" "$(awk -v s="$scale" 'BEGIN { printf "%.17g", 22 * s }')"
  expect_json_near "$(json '.groups[0].rmst')" "$(awk -v s="$scale" 'BEGIN { printf "%.17g", 19.25 * s }')"
  expect_json_near "$(json '.groups[1].rmst')" "$(awk -v s="$scale" 'BEGIN { printf "%.17g", 22.6666666666667 * s }')" 1e-12
done

# ---- a marker with many ties ----------------------------------------------------------
# d <- data.frame(t = c(5,8,12,15,20,22,30,31,33,40), e = c(1,0,1,1,0,1,1,0,1,1),
#                 m = c(1,1,1,1,1,1,2,2,3,3))
# quantile(d$m, 0.5, type = 7) is 1; low = m <= 1 (6), high (4);
# survdiff(Surv(t, e) ~ m > 1, d)$chisq 5.76533637400228
printf 't,e,m\n5,1,1\n8,0,1\n12,1,1\n15,1,1\n20,0,1\n22,1,1\n30,1,2\n31,0,2\n33,1,3\n40,1,3\n' > ties.csv
run logrank --time t --event e --marker m --format json ties.csv
expect_rc 0
no_nan
expect_json '[.groups[] | "\(.name)=\(.n)"] | join(",")' 'low=6,high=4'
expect_json_near "$(json '.chisq')" 5.76533637400228
# its quartiles 1, 1, 2 coincide (type 7): a clear error, not an empty group
run logrank --time t --event e --marker m --cut quartiles ties.csv
expect_rc 1
expect_stderr "axlsurv: ties.csv: group 'Q2' of marker 'm' has no patients (cuts at 1, 1, 2; tied marker values can make quantile cuts coincide): choose other cuts"

# ---- line endings and encodings a spreadsheet may give ----------------------------------
printf '\357\273\277t;e;g\r\n4;1;a\r\n9;1;b\r\n' > excel.csv
run logrank --time t --event e --group g --format json excel.csv
expect_rc 0
expect_json_near "$(json '.chisq')" 1
# a file without a final newline, with blank lines and quoted fields
printf '"t","e","g"\n\n"4","1","a"\n\n9,1,"b"' > loose.csv
run logrank --time t --event e --group g --format json loose.csv
expect_rc 0
expect_json_near "$(json '.chisq')" 1

finish
