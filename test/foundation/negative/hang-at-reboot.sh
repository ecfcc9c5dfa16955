#!/bin/sh
# Negative fixture (run only by runner-vm.bats): passes, and leaves a
# module that keeps the kernel from ever finishing its reboot.
insmod /payload/modules/hang_at_reboot.ko
