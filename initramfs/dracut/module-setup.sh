#!/bin/bash
# dracut module 90kpatch: puts into the initramfs of kernel $kernel the
# kpatch core module, the patch modules 'kpatch install' installed for that
# kernel, and kpatch; kpatch-load.sh loads them before udev starts.
# dracut sets $kernel and $moddir before it calls these functions.
# shellcheck disable=SC2154

# Only when a patch is installed for this kernel.
check() {
	ls "/var/lib/kpatch/$kernel"/*.ko > /dev/null 2>&1 || return 255
	return 0
}

depends() {
	return 0
}

install() {
	local c core=
	# Where kpatch load looks for the core: make install's place, then DKMS's.
	for c in "@MODULEDIR@/$kernel/kpatch.ko" "/lib/modules/$kernel/updates/dkms/kpatch.ko" \
		 "/lib/modules/$kernel/extra/kpatch.ko"; do
		[ -f "$c" ] && { core=$c; break; }
	done
	if [ -z "$core" ]; then
		dwarn "kpatch: no core module for $kernel: the live patches load only after boot"
		return 0
	fi
	inst_simple "$core" "@MODULEDIR@/$kernel/kpatch.ko"
	for c in "/var/lib/kpatch/$kernel"/*.ko; do
		inst_simple "$c"
	done
	inst_binary "@SBINDIR@/kpatch" /sbin/kpatch
	inst_hook pre-udev 00 "$moddir/kpatch-load.sh"
}
