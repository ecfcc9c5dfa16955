# shellcheck shell=sh
# Helpers for the end-to-end check scripts, sourced by each case's test.sh
# inside the test VM (busybox sh).  The payload has bin/kpatch, kpatch.ko
# (the core module) and modules/kpatch-*.ko (what kpatch-build made).
MODDIR=/payload/modules
export KPATCH_CORE_MODULE=/payload/kpatch.ko

fail() { echo "FAIL: $*"; exit 1; }
note() { echo "== $*"; }

# kpatch-NAME.ko is known to the kernel (and sysfs) as kpatch_NAME.
modname() { echo "kpatch_$1" | tr - _; }

load() {
	note "kpatch load kpatch-$1.ko"
	[ -f "$MODDIR/kpatch-$1.ko" ] || fail "kpatch-$1.ko was not built"
	kpatch load "$MODDIR/kpatch-$1.ko" || fail "kpatch load kpatch-$1.ko failed"
	kpatch list
}

unload() {
	note "kpatch unload kpatch-$1"
	kpatch unload "kpatch-$1" || kpatch unload "$(modname "$1")" ||
		fail "kpatch unload kpatch-$1 failed"
}

# is_loaded NAME: the patch is registered with the core and enabled.
is_loaded() {
	[ "$(cat "/sys/kernel/kpatch/$(modname "$1")/enabled" 2>/dev/null)" = 1 ]
}

# patched_functions NAME OBJECT: the functions the patch replaces in OBJECT.
patched_functions() {
	for f in "/sys/kernel/kpatch/$(modname "$1")/$2"/*,*; do
		[ -e "$f" ] || continue
		f=${f##*/}
		echo "${f%%,*}"
	done | sort
}

# isofs_mount_fn: the function isofs mounts through (isofs loaded), which
# the isofs cases patch: isofs_mount, or isofs_get_tree where isofs mounts
# through fs_context (6.12).
isofs_mount_fn() {
	if grep -qw isofs_get_tree /proc/kallsyms; then echo isofs_get_tree; else echo isofs_mount; fi
}

# count_log PATTERN: how many kernel log lines match.
count_log() { dmesg | grep -c "$1"; }

# fifo_sleeper FIFO: start a reader that blocks in fifo_open on a new FIFO
# (waiting for a writer) and wait until it sleeps there; sets $sleeper.
# A write to FIFO releases it.
fifo_sleeper() {
	rm -f "$1" "$1.out"; mkfifo "$1" || fail "mkfifo $1"
	cat "$1" > "$1.out" &
	sleeper=$!
	i=0
	until grep -q fifo_open /proc/$sleeper/stack 2>/dev/null ||
	      grep -q 'wait_for_partner\|fifo_open' /proc/$sleeper/wchan 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "the reader of $1 never slept in fifo_open"
		sleep 0.1
	done
	echo "pid $sleeper sleeps in: $(cat /proc/$sleeper/wchan 2>/dev/null)"
}

# A test defines before(), loaded() and unloaded(), each failing with a
# message; standard_flow runs them around kpatch load and unload.
standard_flow() {
	note "check before loading"
	before || fail "check before loading failed"
	load "$1"
	is_loaded "$1" || fail "kpatch-$1 is not enabled in /sys/kernel/kpatch"
	note "check after loading"
	loaded || fail "check after loading failed"
	unload "$1"
	lsmod | grep -q "^$(modname "$1") " && fail "$(modname "$1") is still loaded"
	note "check after unloading"
	unloaded || fail "check after unloading failed"
	note "ok"
}

# Leave no patch loaded for the next test, whatever happened.
trap 'kpatch unload --all >/dev/null 2>&1' EXIT
