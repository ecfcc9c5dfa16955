#!/bin/sh
# Negative fixture (run only by runner-vm.bats): exits 0 at once and
# leaves a process that taints the kernel (W, as a warning would) once
# this test's end marker is in the log: outside every test.
(
	until dmesg | grep -q 'KPATCH-TEST-END late-taint.sh '; do sleep 0.1; done
	echo 512 > /proc/sys/kernel/tainted
) > /dev/null 2>&1 &
