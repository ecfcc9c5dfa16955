#!/bin/sh
# Negative fixture (run only by runner-vm.bats): WARNs, exits 0.
insmod /payload/modules/warn_on_load.ko
