#!/bin/sh
# Fixture: prints the CPUs the guest kernel has online, for the runner
# test that checks a VM gets every CPU it was asked for.
echo "cpus-online=$(cat /sys/devices/system/cpu/online)"
