#!/bin/sh
# Negative fixture (run only by runner-vm.bats, booted with preempt=full
# and a 3 s RCU stall timeout): holds up a grace period longer than that,
# exits 0, taints nothing.
insmod /payload/modules/rcu_stall_on_load.ko
