#!/bin/sh
# Negative fixture (run only by runner-vm.bats): never finishes.
while :; do sleep 1; done
