#!/bin/sh
# Test 19 (issue 18): registrations and module events at the same time.
# rmmod kpatch is refused while a patch module is loaded, enabled or not;
# two patches loaded at once both register, stacked in one order or the
# other; the target module loaded and removed over and over while its
# patch is enabled and disabled over and over ends patched exactly when
# the patch is enabled.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
value() { sed -n 's/value=//p' /proc/kpf_target; }

# rmmod kpatch with patches loaded.
insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
rmmod kpatch 2>/tmp/rmmod.err && fail "rmmod kpatch succeeded under an enabled patch"
ok "rmmod kpatch refused: $(cat /tmp/rmmod.err)"
# What a user sees: the module that holds kpatch.ko.
grep -q '^kpatch .* kpf_p1,' /proc/modules || fail "/proc/modules does not name kpf_p1 as kpatch's user: $(grep '^kpatch ' /proc/modules)"
ok "/proc/modules names kpf_p1 as kpatch's user"
expect_eq "$(cat /proc/cmdline)" "kpf_p1 $ORIG_CMDLINE" "still patched"
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
rmmod kpatch 2>/tmp/rmmod.err && fail "rmmod kpatch succeeded under a disabled patch's module"
ok "rmmod kpatch refused: $(cat /tmp/rmmod.err)"
expect_eq "$(cat "$K"/kpf_p1/enabled)" 0 "the patch is still registered"
rmmod kpf_p1 || fail "rmmod kpf_p1"
# An earlier test of this boot may have left a pinned patch (04-busy's
# kpf_force stays until reboot): then kpatch.ko must still be refused.
users=$(awk '$1 == "kpatch" { print $3 }' /proc/modules)
if [ "$users" = 0 ]; then
	rmmod kpatch || fail "rmmod kpatch without patches"
	[ -d "$K" ] && fail "$K outlived kpatch.ko"
	insmod "$P"/kpatch.ko || fail "reloading kpatch.ko"
	ok "kpatch.ko unloads once no patch module is left"
else
	rmmod kpatch 2>/dev/null && fail "rmmod kpatch succeeded with $users users: $(grep '^kpatch ' /proc/modules)"
	ok "kpatch.ko still refused, held by: $(grep '^kpatch ' /proc/modules)"
fi

# Two loads at once, ten times.
r=0
while [ $r -lt 10 ]; do
	insmod "$P"/kpf_p1.ko 2>/tmp/ins1.err & a=$!
	insmod "$P"/kpf_p2.ko 2>/tmp/ins2.err & b=$!
	wait $a || fail "round $r: insmod kpf_p1 beside kpf_p2: $(cat /tmp/ins1.err)"
	wait $b || fail "round $r: insmod kpf_p2 beside kpf_p1: $(cat /tmp/ins2.err)"
	for p in kpf_p1 kpf_p2; do
		[ "$(cat "$K"/$p/vmlinux/cmdline_proc_show,0/active)" = 1 ] || fail "round $r: $p is not active"
	done
	c=$(cat /proc/cmdline)
	case "$c" in
	kpf_p2) top=kpf_p2; under="kpf_p1 $ORIG_CMDLINE" ;;
	"kpf_p1 $ORIG_CMDLINE") top=kpf_p1; under=kpf_p2 ;;
	*) fail "round $r: /proc/cmdline is '$c'" ;;
	esac
	echo 0 > "$K"/"$top"/enabled || fail "round $r: disabling $top"
	expect_eq "$(cat /proc/cmdline)" "$under" "round $r: the other patch under $top"
	echo 0 > "$K"/kpf_p1/enabled 2>/dev/null; echo 0 > "$K"/kpf_p2/enabled 2>/dev/null
	rmmod kpf_p1 kpf_p2 || fail "round $r: rmmod"
	expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "round $r: unpatched"
	r=$((r + 1))
done

# The same patch twice at once: one load, one clear refusal.  From two
# files: the 6.12 module loader (not 6.1's) merges concurrent
# finit_module() calls on one file (idempotent_init_module(): the second
# waits and returns the first's status), so both would report 0.
cp "$P"/kpf_p1.ko /tmp/kpf_p1-copy.ko
insmod "$P"/kpf_p1.ko 2>/tmp/ins1.err & a=$!
insmod /tmp/kpf_p1-copy.ko 2>/tmp/ins2.err & b=$!
wait $a; sa=$?; wait $b; sb=$?
[ $((sa == 0)) -ne $((sb == 0)) ] || fail "the same patch loaded twice at once: statuses $sa and $sb"
ok "one of two loads of kpf_p1 succeeded: $(cat /tmp/ins1.err /tmp/ins2.err)"
expect_eq "$(cat /proc/cmdline)" "kpf_p1 $ORIG_CMDLINE" "patched once"
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"

# The target module comes and goes during the patch's transitions.
insmod "$P"/kpf_mod.ko || fail "insmod kpf_mod"
rm -f /tmp/churn.stop /tmp/churn.bad
echo 0 > /tmp/churn.count
churn() {
	n=0
	while [ ! -e /tmp/churn.stop ]; do
		insmod "$P"/kpf_target.ko 2>>/tmp/churn.bad || echo "insmod kpf_target failed" >> /tmp/churn.bad
		rmmod kpf_target 2>>/tmp/churn.bad || echo "rmmod kpf_target failed" >> /tmp/churn.bad
		n=$((n + 1))
		echo $n > /tmp/churn.n && mv /tmp/churn.n /tmp/churn.count
	done
}
churn & ch=$!
# A failure stops the churn first, so that no later test meets a
# kpf_target that is still coming or going.
churn_fail() {
	touch /tmp/churn.stop
	wait $ch
	fail "$@"
}
refused=0
# At least 40 toggles and 20 comings and goings of the target; at most
# 2000 toggles (a toggle now registers and unregisters an ftrace ops, each
# with an RCU-tasks wait, so the target's loads get fewer chances per
# toggle than they did).
t=0
while [ $t -lt 40 ] || [ "$(cat /tmp/churn.count)" -lt 20 ]; do
	[ $t -lt 2000 ] || churn_fail "the target came and went only $(cat /tmp/churn.count) times in $t toggles"
	echo 0 > "$K"/kpf_mod/enabled || churn_fail "toggle $t: disabling kpf_mod: $(cat "$K"/last_error)"
	# An enable that meets kpf_target between the kernel's COMING state
	# and the core's notifier is refused, by design, and may be retried:
	# the enable fails only if it is refused for seconds on end (the
	# target never gets past COMING), however many toggles before it met
	# one.  Each retry waits a little: in TCG's round-robin the target's
	# load may sit on a vCPU that is not running.
	again=0
	until echo 1 2>/dev/null > "$K"/kpf_mod/enabled; do
		grep -q "module kpf_target is still loading" "$K"/last_error ||
			churn_fail "toggle $t: enabling kpf_mod: $(cat "$K"/last_error)"
		[ "$(cat "$K"/kpf_mod/enabled)" = 0 ] || churn_fail "toggle $t: a refused enable left kpf_mod enabled"
		refused=$((refused + 1)) again=$((again + 1))
		[ $again -lt 200 ] || churn_fail "toggle $t: enabling kpf_mod refused $again times in a row, 10 ms apart"
		sleep 0.01
	done
	t=$((t + 1))
done
touch /tmp/churn.stop
wait $ch
[ -s /tmp/churn.bad ] && fail "the target's loads and removals failed: $(cat /tmp/churn.bad)"
ok "$t toggles of kpf_mod while kpf_target came and went $(cat /tmp/churn.count) times ($refused enables refused while it was loading)"
insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
expect_eq "$(value)" 2 "patched after the churn"
expect_eq "$(cat "$K"/kpf_mod/kpf_target/loaded)" 1 "loaded"
echo 0 > "$K"/kpf_mod/enabled || fail "disabling kpf_mod"
expect_eq "$(value)" 1 "unpatched after the churn"
rmmod kpf_mod kpf_target || fail "rmmod"
