#!/bin/sh
# Negative fixture (run only by runner-vm.bats, on the debug kernel): a
# lock order lockdep reports as a possible deadlock; exits 0.
insmod /payload/modules/lockdep_on_load.ko
