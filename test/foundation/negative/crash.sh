#!/bin/sh
# Negative fixture (run only by runner-vm.bats): oopses the kernel.
insmod /payload/modules/oops_on_load.ko
echo "still alive after the oops"
