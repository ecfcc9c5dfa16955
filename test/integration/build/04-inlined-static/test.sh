#!/bin/sh
# show_all_irqs() is static with one caller, so gcc inlines it into
# show_stat(): the patch must replace show_stat (the function the change
# really lands in), and /proc/stat's "intr" line shows the change.
# shellcheck source=../../lib.sh
. /payload/lib.sh
before()   { ! grep -q '^intr .* kpatched$' /proc/stat; }
loaded() {
	grep '^intr ' /proc/stat | cut -c1-60
	grep -q '^intr .* kpatched$' /proc/stat || return 1
	funcs=$(patched_functions inlined-static vmlinux)
	echo "patched functions: $funcs"
	echo "$funcs" | grep -qx show_stat || { echo "show_stat is not patched"; return 1; }
	! echo "$funcs" | grep -qx show_all_irqs || { echo "show_all_irqs exists on its own?"; return 1; }
}
unloaded() { before; }
standard_flow inlined-static
