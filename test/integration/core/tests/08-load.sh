#!/bin/sh
# Test 8: readers loop over the patched /proc file while the patch is
# enabled and disabled 200 times; every read is wholly old or wholly new.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup

insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
new="kpf_p1 $ORIG_CMDLINE"
rm -f /tmp/stop /tmp/bad.*
reader() {
	n=0
	while [ ! -e /tmp/stop ]; do
		x=$(cat /proc/cmdline)
		if [ "$x" != "$ORIG_CMDLINE" ] && [ "$x" != "$new" ]; then
			echo "$x" >> /tmp/bad."$1"
		fi
		n=$((n + 1))
	done
	echo $n > /tmp/reads."$1"
}
for r in 1 2 3 4; do reader $r & done

busy=0
i=0
while [ $i -lt 200 ]; do
	echo 0 > "$K"/kpf_p1/enabled || busy=$((busy + 1))
	echo 1 > "$K"/kpf_p1/enabled || busy=$((busy + 1))
	i=$((i + 1))
done
touch /tmp/stop
wait

reads=$(cat /tmp/reads.* | awk '{s += $1} END {print s}')
ok "$reads reads by 4 readers during 400 transitions"
[ "$reads" -gt 100 ] || fail "too few reads: $reads"
if ls /tmp/bad.* >/dev/null 2>&1; then
	fail "torn or foreign reads: $(head -n 3 /tmp/bad.*)"
fi
expect_eq "$busy" 0 "transitions refused"
expect_eq "$(cat "$K"/kpf_p1/enabled)" 1 "enabled at the end"
expect_eq "$(cat /proc/cmdline)" "$new" "patched at the end"
echo 0 > "$K"/kpf_p1/enabled || fail "disabling"
rmmod kpf_p1 || fail "rmmod"
