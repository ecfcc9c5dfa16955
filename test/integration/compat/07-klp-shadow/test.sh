#!/bin/sh
# klp_shadow_* from a patch of our core: tasks forked while patched carry a
# sequence number in /proc/PID/status (KlpShadowSeq); older tasks have
# none; the first ones are logged with KPATCH_PRINTK_DEFERRED; the
# post-unpatch callback frees the rest with klp_shadow_free_all.
# shellcheck source=../../lib.sh
. /payload/lib.sh
seqof() { sh -c 'sed -n "s/^KlpShadowSeq:\t//p" /proc/self/status'; }
before()   { [ -z "$(seqof)" ] && [ "$(count_log kpatch-klp-shadow)" = 0 ]; }
loaded() {
	grep -q KlpShadowSeq /proc/$$/status && { echo "an old task has a shadow"; return 1; }
	a=$(seqof); b=$(seqof)
	echo "fork sequence numbers: $a $b"
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ] || return 1
	dmesg | grep 'kpatch-klp-shadow: new task'
	[ "$(count_log 'kpatch-klp-shadow: new task seq [123]$')" = 3 ] ||
		{ echo "KPATCH_PRINTK_DEFERRED did not log the first three tasks"; return 1; }
	[ "$(count_log 'kpatch-klp-shadow: new task seq')" = 3 ]
}
unloaded() {
	dmesg | grep 'kpatch-klp-shadow: freed'
	# at least the task running 'kpatch unload' was forked while patched
	n=$(dmesg | sed -n 's/.*kpatch-klp-shadow: freed \([0-9]*\) left at unpatch$/\1/p')
	{ [ -n "$n" ] && [ "$n" -ge 1 ]; } || { echo "klp_shadow_free_all freed '$n'"; return 1; }
	[ -z "$(seqof)" ]
}
standard_flow klp-shadow
