#!/usr/bin/env bats
# When kpatch-build asks create-diff-object for livepatch relocations
# (--klp, for jump label keys and static call sites the kernel does not
# export): only for a kernel whose module loader applies them itself, 5.8
# or later with CONFIG_LIVEPATCH=y in the target's config.  Otherwise such
# a change stays refused (create-diff-object's corpus case 31).

load helpers

# klp_for KVER CONFIG-LINE: the create-diff-object arguments kernel_quirks
# (kpatch-build's one place for kernel-version differences) chooses.
klp_for() {
	eval "$(sed -n '/^kernel_quirks() {/,/^}/p' "$KB")"
	printf '%s\n' "$2" > "$T/config"
	# shellcheck disable=SC2034 # read by the eval'd kernel_quirks
	KVER=$1 CONFIG=$T/config
	kernel_quirks
	echo "${CDO_KLP[*]}"
}

@test "livepatch relocations for a CONFIG_LIVEPATCH kernel of 5.8 or later" {
	[ "$(klp_for 6.1.192 CONFIG_LIVEPATCH=y)" = --klp ]
	[ "$(klp_for 6.12.118 CONFIG_LIVEPATCH=y)" = --klp ]
	[ "$(klp_for 5.8.0 CONFIG_LIVEPATCH=y)" = --klp ]
}

@test "no livepatch relocations without CONFIG_LIVEPATCH or before 5.8" {
	[ -z "$(klp_for 6.1.192 '# CONFIG_LIVEPATCH is not set')" ]
	[ -z "$(klp_for 6.12.118 CONFIG_MODULES=y)" ]
	[ -z "$(klp_for 5.7.19 CONFIG_LIVEPATCH=y)" ]
	[ -z "$(klp_for 4.18.0 CONFIG_LIVEPATCH=y)" ]
}
