#!/usr/bin/env bats
# kpatch verify against fake roots: the core's sysfs as the tests set it,
# tracefs and the kprobes list as the test kernel showed them (the real
# text captured in the VM, test/cli/ftrace/README.md).

bats_require_minimum_version 1.5.0
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

captures=$BATS_TEST_DIRNAME/ftrace
fn=kpatch_cli_a/vmlinux/cmdline_proc_show,0

setup() {
	fake_root
	fake_core
	echo running > "$root/sys/kernel/kpatch/ftrace"
	tracing=$root/sys/kernel/tracing
	mkdir -p "$tracing" "$root/sys/kernel/debug/kprobes"
	echo nop > "$tracing/current_tracer"
	: > "$tracing/set_ftrace_filter"
}

# patched PATCH/OBJECT/FUNCTION,SYMPOS REDIRECT: the core calls it
# patched, and says how it redirects it.
patched() {
	local patch=${1%%/*}
	[ -d "$root/sys/kernel/kpatch/$patch" ] || fake_patch "$patch" 1
	fake_patch_func "$1"
	echo "$2" > "$root/sys/kernel/kpatch/$1/redirect"
}

fake_patch_func() {
	local dir=$root/sys/kernel/kpatch/$1
	mkdir -p "$dir"
	[ -e "${dir%/*}/loaded" ] || echo 1 > "${dir%/*}/loaded"
	echo 1 > "$dir/active"
	echo 0 > "$dir/forced"
}

# shows CAPTURE: enabled_functions holds that capture.
shows() {
	cp "$captures/$1" "$tracing/enabled_functions"
}

line_of() {
	printf '%s\n' "${lines[@]}" | grep "^$1: "
}

@test "verify with no patch loaded says so and succeeds" {
	run --separate-stderr "$KPATCH" verify
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "No patch module is loaded." ]
}

@test "a function on the core's ftrace handler is reached (6.1)" {
	patched "$fn" ftrace
	shows 6.1-handler
	run --separate-stderr "$KPATCH" verify
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "$output" == "kpatch_cli_a vmlinux/cmdline_proc_show: reached through the core's ftrace handler (kpatch_ftrace_handler+"*" [kpatch])" ]]
	[ "${#lines[@]}" -eq 1 ]
}
