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
	local patch=${1%%/*} dir=$root/sys/kernel/kpatch/$1
	[ -d "$root/sys/kernel/kpatch/$patch" ] || fake_patch "$patch" 1
	mkdir -p "$dir"
	[ -e "${dir%/*}/loaded" ] || echo 1 > "${dir%/*}/loaded"
	echo 1 > "$dir/active"
	echo 0 > "$dir/forced"
	echo "$2" > "$dir/redirect"
}

# shows CAPTURE: enabled_functions holds that capture.
shows() {
	cp "$captures/$1" "$tracing/enabled_functions"
}

# Each test of captured records runs on the records of each kernel line,
# in a fresh root.
series="6.1 6.12"

fresh_root() {
	echo "# on $1's records"
	rm -rf "$root"
	setup
}

@test "verify with no patch loaded says so and succeeds" {
	run --separate-stderr "$KPATCH" verify
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "No patch module is loaded." ]
}

@test "a function on the core's ftrace handler is reached (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched "$fn" ftrace
		shows "$s-handler"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 0 ]
		[ -z "$stderr" ]
		[[ "$output" == "kpatch_cli_a vmlinux/cmdline_proc_show: reached through the core's ftrace handler (kpatch_ftrace_handler+"*" [kpatch])" ]]
		[ "${#lines[@]}" -eq 1 ]
	done
}

@test "the function tracer and a kprobe on the function are named (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched "$fn" ftrace
		shows "$s-handler-tracer-kprobe"
		cp "$captures/$s-kprobes-list" "$root/sys/kernel/debug/kprobes/list"
		echo function > "$tracing/current_tracer"
		echo cmdline_proc_show > "$tracing/set_ftrace_filter"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 0 ]
		[ "$output" = "kpatch_cli_a vmlinux/cmdline_proc_show: reached through ftrace, the ip set by one of its 3 users (I flag); also on the site: a kprobe, the function tracer" ]
		# A tracer filtering other functions is not on this one.
		echo version_proc_show > "$tracing/set_ftrace_filter"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 0 ]
		[[ "$output" == *"; also on the site: a kprobe" ]]
	done
}

@test "a function moved to a direct call to the core's slot is reached (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched "$fn" direct
		shows "$s-direct"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 0 ]
		[ -z "$stderr" ]
		[[ "$output" == "kpatch_cli_a vmlinux/cmdline_proc_show: reached through a direct call to the core's slot (kpatch_slots+"*" [kpatch])" ]]
	done
}

@test "the core saying direct while the site has no direct call is not reached (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched "$fn" direct
		shows "$s-handler"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 1 ]
		[ -z "$stderr" ]
		[ "$output" = "kpatch_cli_a vmlinux/cmdline_proc_show: NOT reached: the core says direct, but the site has no direct call" ]
	done
}

@test "the core saying ftrace while nothing on the site may change the ip is not reached (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched "$fn" ftrace
		shows "$s-direct"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 1 ]
		[ "$output" = "kpatch_cli_a vmlinux/cmdline_proc_show: NOT reached: no ftrace user on it may change the ip (no I flag): the core's handler is not there" ]
	done
}

@test "dead ftrace: no function of an enabled patch is reached, active or not (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched "$fn" ftrace
		patched kpatch_cli_a/vmlinux/version_proc_show,0 direct
		shows "$s-handler"
		echo dead > "$root/sys/kernel/kpatch/ftrace"
		# As the core reads it then: the version runs nowhere.
		echo 0 > "$root/sys/kernel/kpatch/kpatch_cli_a/vmlinux/version_proc_show,0/active"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 1 ]
		[ -z "$stderr" ]
		[ "$output" = "kpatch_cli_a vmlinux/cmdline_proc_show: NOT reached: ftrace has shut itself down (/sys/kernel/kpatch/ftrace says dead)
kpatch_cli_a vmlinux/version_proc_show: NOT reached: ftrace has shut itself down (/sys/kernel/kpatch/ftrace says dead)" ]
	done
}

@test "a site whose ip another handler sets (the kernel's livepatch) is not reached (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched "$fn" ftrace
		shows "$s-livepatch"
		mkdir -p "$root/sys/kernel/livepatch/livepatch_sample/vmlinux/cmdline_proc_show,1"
		echo 1 > "$root/sys/kernel/livepatch/livepatch_sample/enabled"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 1 ]
		[ -z "$stderr" ]
		[[ "$output" == "kpatch_cli_a vmlinux/cmdline_proc_show: NOT reached: its ip is set by klp_ftrace_handler+"*", not by the core's handler; on the site: the kernel's livepatch (livepatch_sample)" ]]
	done
}

@test "a direct call to somebody else's trampoline is not reached (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched kpatch_cli_a/vmlinux/wake_up_process,0 direct
		shows "$s-ftrace-direct"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 1 ]
		[ -z "$stderr" ]
		[[ "$output" == "kpatch_cli_a vmlinux/wake_up_process: NOT reached: its direct call goes elsewhere than the core's slot; on the site: a direct call to my_tramp+0x0/"*" [ftrace_direct]" ]]
	done
}

# The code of a BPF trampoline sharing the handler's site is read through
# the real /proc/kcore (vm-debian's test/debian/bpf); a fake root has none
# to read, and verify must leave the question open, saying why.
@test "a BPF trampoline on the handler's site whose code cannot be read is NOT verified (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched kpatch_cli_a/vmlinux/version_proc_show,0 ftrace
		echo 0xffffffff81351d30 > "$root/sys/kernel/kpatch/kpatch_cli_a/vmlinux/version_proc_show,0/old_addr"
		shows "$s-bpf-fexit"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 1 ]
		[ -z "$stderr" ]
		[[ "$output" == "kpatch_cli_a vmlinux/version_proc_show: NOT verified: ftrace, the ip set by one of its 2 users (I flag), but whether bpf_trampoline_"*" calls the original version_proc_show itself is not checked: /proc/kallsyms gives no address for bpf_trampoline_"* ]]
		[ "$(wc -l <<< "$output")" -eq 1 ]
	done
}

@test "a BPF trampoline on the handler's site is NOT verified when the core gives no old_addr (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched kpatch_cli_a/vmlinux/version_proc_show,0 ftrace
		shows "$s-bpf-fexit"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 1 ]
		[[ "$output" == *": NOT verified: "*" is not checked: the core gives no old_addr for it" ]]
	done
}

@test "a function with no record in enabled_functions is not reached (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched kpatch_cli_a/vmlinux/version_proc_show,0 ftrace
		shows "$s-handler"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 1 ]
		[ "$output" = "kpatch_cli_a vmlinux/version_proc_show: NOT reached: ftrace calls nothing at it (no line in enabled_functions)" ]
	done
}

@test "a function the core has not attached is not reached (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched "$fn" ""
		shows "$s-handler"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 1 ]
		[ "$output" = "kpatch_cli_a vmlinux/cmdline_proc_show: NOT reached: the core has not attached it (redirect is empty)" ]
	done
}

@test "functions the core does not call patched are not checked" {
	patched "$fn" ftrace
	echo 0 > "$root/sys/kernel/kpatch/$fn/active"
	fake_patch kpatch_off 0 vmlinux/version_proc_show,0
	fake_patch kpatch_mod 1 isofs/isofs_fill_super,0
	echo 0 > "$root/sys/kernel/kpatch/kpatch_mod/isofs/loaded"
	run --separate-stderr "$KPATCH" verify
	[ "$status" -eq 0 ]
	[ "$output" = "kpatch_cli_a vmlinux/cmdline_proc_show: not checked: another version of it is active
kpatch_mod isofs/isofs_fill_super: not checked: its object is not loaded
kpatch_off vmlinux/version_proc_show: not checked: the patch is disabled" ]
	# Nothing was read from tracefs: there is none here.
	[ ! -e "$tracing/enabled_functions" ]
}

@test "verify MODULE checks that patch only; an unknown one is one error (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched "$fn" ftrace
		patched kpatch_other/vmlinux/version_proc_show,0 ftrace
		shows "$s-handler"
		run --separate-stderr "$KPATCH" verify kpatch-cli-a
		[ "$status" -eq 0 ]
		[ "${#lines[@]}" -eq 1 ]
		[[ "$output" == "kpatch_cli_a vmlinux/cmdline_proc_show: reached through "* ]]
		run --separate-stderr "$KPATCH" verify kpatch_cli_a kpatch_nope
		fails_with 1 "kpatch_nope is not a loaded patch module"
	done
}

@test "an unreadable enabled_functions is one error (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched "$fn" ftrace
		shows "$s-handler"
		public_dir
		cp -r "$root" "$pub/root"
		chmod -R a+rX "$pub"
		chmod 600 "$pub/root/sys/kernel/tracing/enabled_functions"
		run --separate-stderr as_nobody env KPATCH_ROOT="$pub/root" "$KPATCH" verify
		fails_with 1 "kpatch: cannot read $pub/root/sys/kernel/tracing/enabled_functions: Permission denied (run as root)"
	done
}

@test "a name several functions share is not reached when none of its records is (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched kpatch_cli_a/vmlinux/branches_show,1 ftrace
		shows "$s-shared-name-traced"
		cp "$captures/$s-shared-name-available" "$tracing/available_filter_functions"
		echo function > "$tracing/current_tracer"
		echo branches_show > "$tracing/set_ftrace_filter"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 1 ]
		[ -z "$stderr" ]
		[ "$output" = "kpatch_cli_a vmlinux/branches_show,1: NOT reached: none of the 2 records named branches_show is reached; the first: no ftrace user on it may change the ip (no I flag): the core's handler is not there; on the site: the function tracer" ]
	done
}

@test "tracefs is read under debugfs when /sys/kernel/tracing holds nothing (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched "$fn" ftrace
		rm -r "$tracing"
		mkdir "$tracing"
		mkdir -p "$root/sys/kernel/debug/tracing"
		cp "$captures/$s-handler-tracer" "$root/sys/kernel/debug/tracing/enabled_functions"
		echo function > "$root/sys/kernel/debug/tracing/current_tracer"
		echo cmdline_proc_show > "$root/sys/kernel/debug/tracing/set_ftrace_filter"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 0 ]
		[ "$output" = "kpatch_cli_a vmlinux/cmdline_proc_show: reached through ftrace, the ip set by one of its 2 users (I flag); also on the site: the function tracer" ]
	done
}

@test "a function of a module is matched with its module's record and kprobe (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched kpatch_cli_s/kpatch_cli_sleeper/sleeper_wait,0 ftrace
		shows "$s-module-kprobe"
		cp "$captures/$s-module-kprobes-list" "$root/sys/kernel/debug/kprobes/list"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 0 ]
		[ "$output" = "kpatch_cli_s kpatch_cli_sleeper/sleeper_wait: reached through ftrace, the ip set by one of its 2 users (I flag); also on the site: a kprobe" ]
		# The same name in another object has no record here.
		rm -r "$root/sys/kernel/kpatch/kpatch_cli_s"
		patched kpatch_cli_s/vmlinux/sleeper_wait,0 ftrace
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 1 ]
		[ "$output" = "kpatch_cli_s vmlinux/sleeper_wait: NOT reached: ftrace calls nothing at it (no line in enabled_functions)" ]
	done
}

@test "no tracefs at all is one error" {
	patched "$fn" ftrace
	rm -r "$tracing"
	run --separate-stderr "$KPATCH" verify
	fails_with 1 "cannot read enabled_functions: tracefs is mounted neither on /sys/kernel/tracing nor under /sys/kernel/debug"
}

@test "one of two same-named functions reached is NOT verified; both reached is reached (6.1 and 6.12)" {
	for s in $series; do
		fresh_root "$s"
		patched kpatch_cli_t/kpatch_cli_twins/twin,2 ftrace
		shows "$s-twin-one"
		cp "$captures/$s-twin-available" "$tracing/available_filter_functions"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 1 ]
		[ -z "$stderr" ]
		[ "$output" = "kpatch_cli_t kpatch_cli_twins/twin,2: NOT verified: twin is not unique in kpatch_cli_twins: 1 of its 2 ftrace records are reached and enabled_functions does not say which is this one" ]
		patched kpatch_cli_u/kpatch_cli_twins/twin,1 ftrace
		shows "$s-twin-both"
		run --separate-stderr "$KPATCH" verify
		[ "$status" -eq 0 ]
		[ "$output" = "kpatch_cli_t kpatch_cli_twins/twin,2: reached through ftrace: all 2 functions named twin are reached
kpatch_cli_u kpatch_cli_twins/twin,1: reached through ftrace: all 2 functions named twin are reached" ]
	done
}
