#!/bin/sh
# Taints the kernel with W, as a warning would, without printing one: only
# the runner's taint check can catch it.
echo 512 > /proc/sys/kernel/tainted
