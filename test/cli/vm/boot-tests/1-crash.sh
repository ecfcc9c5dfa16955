#!/bin/sh
# First boot of the boot guard's test: a patch installed for this kernel
# crashes it while load --all --boot (what kpatch.service runs) loads it.
# The test kernel has no disk, so the guard kpatch set before loading
# crosses the reboot through the console log: logged here while the
# patch's callback sleeps, put back into /var/lib/kpatch by the suite for
# the next boot (guarded.sh).
# shellcheck source=../lib.sh
. /payload/lib.sh
mkdir -p "$moduledir/$release" "/var/lib/kpatch/$release"
cp /payload/core/kpatch.ko "$core_dest"
cp "$M/kpatch-cli-p.ko" "/var/lib/kpatch/$release/"
kpatch load --all --boot &
i=0
while [ ! -s /var/lib/kpatch/boot-guard ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "KPATCH-BOOT-GUARD $(cat /var/lib/kpatch/boot-guard 2>/dev/null) BOOT-ID $(cat /proc/sys/kernel/random/boot_id)" > /dev/kmsg
wait
fail "the patch that crashes the kernel did not"
