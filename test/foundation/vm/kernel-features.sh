#!/bin/sh
# The booted kernel is the one we built, with the features the project
# must cope with actually active.
set -e
fail() { echo "FAIL: $*"; exit 1; }

[ "$(uname -r)" = "$(cat /payload/kernel/release)" ] ||
	fail "running $(uname -r), built $(cat /payload/kernel/release)"

# KASLR: the kernel does not run at its link address.
linked=$(cat /payload/kernel/text-address)
running=$(grep ' _text$' /proc/kallsyms | cut -d' ' -f1)
[ -n "$running" ] || fail "no _text in /proc/kallsyms"
[ "$running" != "$linked" ] || fail "_text at its link address $linked: KASLR is off"

# ftrace can trace the functions our tests patch.
grep -q '^cmdline_proc_show$' /sys/kernel/tracing/available_filter_functions ||
	fail "cmdline_proc_show is not traceable"

[ -d /sys/kernel/livepatch ] || fail "no /sys/kernel/livepatch"
[ -e /sys/kernel/debug/dynamic_debug/control ] || fail "no dynamic debug control"
grep -q 'Mitigation: Retpolines' /sys/devices/system/cpu/vulnerabilities/spectre_v2 ||
	grep -q 'Mitigation' /sys/devices/system/cpu/vulnerabilities/spectre_v2 ||
	fail "spectre_v2: $(cat /sys/devices/system/cpu/vulnerabilities/spectre_v2)"
echo "kernel $(uname -r), _text $running (linked at $linked)"
