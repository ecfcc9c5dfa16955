#!/bin/sh
# Negative fixture (run only by runner-vm.bats, on the debug kernel): a
# read after free that KFENCE catches; exits 0 if the module loads.
echo 1 > /sys/module/kfence/parameters/sample_interval
insmod /payload/modules/kfence_on_load.ko
