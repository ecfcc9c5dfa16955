#!/bin/sh
# Test 21 (issue 16): a patch of a hundred functions, stacked on, traced,
# replaced, carried across its module's reload: every function is
# redirected and restored.  Its ftrace code updates are batched, one per
# transition; what that saves against a one-function patch is a timing,
# measured by 'make bench' (bench/core.sh), not judged here on a loaded
# TCG host.  All on the ftrace handler: with kpatch.ko's direct_calls=0 no
# function moves to a direct call in the background meanwhile
# (23-direct.sh tests those).
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
echo 0 > /sys/module/kpatch/parameters/direct_calls
T=/sys/kernel/tracing
rep() { awk -v d="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", d }'; }
many() { cat /proc/kpf_many; }
# Sites with an IPMODIFY hook (the function tracer's own are not counted).
hooked() { grep -cE '^kpf_many_fn_[0-9]+ .* R I' $T/enabled_functions; }
tracer_off() { echo nop > $T/current_tracer; : > $T/set_ftrace_filter; : > $T/trace; }
tracer_off

insmod "$P"/kpf_many.ko || fail "insmod kpf_many"
ones=$(rep 1 100)
expect_eq "$(many)" "$ones" "the originals"

insmod "$P"/kpf_manya.ko || fail "insmod kpf_manya: $(cat "$K"/last_error)"
expect_eq "$(many)" "$(rep 2 100)" "all hundred patched"
expect_eq "$(hooked)" 100 "functions in enabled_functions"

echo kpf_many_fn_42 > $T/set_ftrace_filter || fail "filtering on kpf_many_fn_42"
echo function > $T/current_tracer || fail "starting the function tracer"
: > $T/trace
expect_eq "$(many)" "$(rep 2 100)" "all patched under the function tracer"
[ "$(grep -c 'kpf_many_fn_42 <-' $T/trace)" -ge 1 ] || { cat $T/trace; fail "the function tracer missed kpf_many_fn_42"; }
ok "the function tracer saw kpf_many_fn_42"

insmod "$P"/kpf_manyb.ko || fail "insmod kpf_manyb: $(cat "$K"/last_error)"
expect_eq "$(many)" "$(rep 2 7)3$(rep 2 92)" "kpf_manyb on top of kpf_manya"

# Each disabled and enabled again, kpf_manyb first: kpf_manya, enabled
# last, is the newest then.
echo 0 > "$K"/kpf_manyb/enabled || fail "disabling kpf_manyb"
expect_eq "$(many)" "$(rep 2 100)" "kpf_manya alone"
echo 1 > "$K"/kpf_manyb/enabled || fail "enabling kpf_manyb"
expect_eq "$(many)" "$(rep 2 7)3$(rep 2 92)" "kpf_manyb on top again"
echo 0 > "$K"/kpf_manya/enabled || fail "disabling kpf_manya"
expect_eq "$(many)" "$(rep 1 7)3$(rep 1 92)" "kpf_manyb alone"
echo 1 > "$K"/kpf_manya/enabled || fail "enabling kpf_manya"
expect_eq "$(many)" "$(rep 2 100)" "kpf_manya above kpf_manyb"
echo 0 > "$K"/kpf_manya/enabled || fail "disabling kpf_manya"
expect_eq "$(many)" "$(rep 1 7)3$(rep 1 92)" "only kpf_manyb left"
expect_eq "$(hooked)" 1 "functions in enabled_functions"
echo 1 > "$K"/kpf_manya/enabled || fail "enabling kpf_manya"
[ "$(grep -c 'kpf_many_fn_42 <-' $T/trace)" -ge 2 ] || { cat $T/trace; fail "the function tracer stopped seeing kpf_many_fn_42"; }
ok "the function tracer still sees kpf_many_fn_42"
tracer_off

# The target module goes and comes back: unpatched as it goes, all
# hundred functions patched again as it loads.
echo 0 > "$K"/kpf_manyb/enabled || fail "disabling kpf_manyb"
rmmod kpf_many || fail "rmmod kpf_many"
expect_eq "$(hooked)" 0 "functions in enabled_functions without the module"
insmod "$P"/kpf_many.ko || fail "insmod kpf_many again: $(cat "$K"/last_error)"
expect_eq "$(many)" "$(rep 2 100)" "patched as it loads"
echo 1 > "$K"/kpf_manyb/enabled || fail "enabling kpf_manyb"

# A replacing patch of ten of them takes the place of both.
insmod "$P"/kpf_manyr.ko || fail "insmod kpf_manyr: $(cat "$K"/last_error)"
expect_eq "$(many)" "$(rep 4 10)$(rep 1 90)" "kpf_manyr replaced both"
expect_eq "$(cat "$K"/kpf_manya/enabled)$(cat "$K"/kpf_manyb/enabled)" 00 "kpf_manya and kpf_manyb disabled"
expect_eq "$(hooked)" 10 "functions in enabled_functions"
rmmod kpf_manya kpf_manyb || fail "rmmod the replaced patches"
echo 0 > "$K"/kpf_manyr/enabled || fail "disabling kpf_manyr"
expect_eq "$(many)" "$ones" "all restored"
expect_eq "$(hooked)" 0 "functions in enabled_functions"
rmmod kpf_manyr kpf_many || fail "rmmod"
echo 1 > /sys/module/kpatch/parameters/direct_calls
