#!/bin/sh
# Negative fixture (run only by runner-vm.bats, on the debug kernel): a
# write after free that SLUB's poison check reports; exits 0.
insmod /payload/modules/slub_on_load.ko
