# shellcheck shell=sh
# Helpers of the packaging VM tests (busybox sh).  The payload holds the
# kpatch command (bin/), the core module (core/), the packages taken apart
# by test/packaging/extract (pkgs/rpm1 ... deb3), pm.sh, which plays
# rpm's and dpkg's steps around their scriptlets, and, for the tests of the
# real package managers, the .rpm and .deb files of versions 1 and 2
# (pkgs/) and Debian's dpkg and rpm with what they need (pm/, a tree for /).
# shellcheck source=../pm.sh
. /payload/pm.sh
KVER=$(cat /payload/release)
# PKGS is for the tests that source this file.
# shellcheck disable=SC2034
PKGS=/payload/pkgs
D=/var/lib/kpatch/$KVER
# The packages carry the core (kpatch-package --core), where this kpatch
# (MODULEDIR=/usr/lib/kpatch) looks for it.
export PM_LOG=/tmp/pm.log
unset KPATCH_CORE_MODULE
unset KPATCH_ROOT

fail() {
	echo "FAIL: $*"
	exit 1
}

cmdline() { read -r c < /proc/cmdline; echo "$c"; }
# The original, saved by the first test, before any patch.
[ -f /tmp/cmdline.orig ] || cmdline > /tmp/cmdline.orig
loaded() { grep -q "^$1 " /proc/modules; }
enabled() { [ "$(cat "/sys/kernel/kpatch/$1/enabled" 2>/dev/null)" = 1 ]; }
# The loaded patch modules' names on one line (xargs joins them).
patches() { grep -o '^kpatch_pkg_[a-z0-9]*' /proc/modules | sort | xargs; }

# The patch live now is kpatch-pkg-$1 (and only it).
expect_live() {
	[ "$(cmdline)" = "kpatch-pkg-$1" ] || fail "/proc/cmdline says '$(cmdline)', expected kpatch-pkg-$1"
	enabled "kpatch_pkg_$1" || fail "kpatch_pkg_$1 is not enabled"
	[ "$(patches)" = "kpatch_pkg_$1" ] || fail "loaded patches: '$(patches)', expected kpatch_pkg_$1 only"
}

expect_unpatched() {
	case "$(cmdline)" in kpatch-pkg-*) fail "/proc/cmdline is still patched: $(cmdline)" ;; esac
	[ -z "$(patches)" ] || fail "patch modules still loaded: $(patches)"
	[ -z "$(ls -A "$D" 2>/dev/null)" ] || fail "$D still holds $(ls -A "$D")"
	[ ! -e "/usr/lib/kpatch/$KVER/kpatch.ko" ] || fail "the packaged core module is still installed"
}

# A reader of /proc/cmdline in a loop, from sampler_start to sampler_stop:
# every read must find a patch live, never the original.
sampler_start() {
	rm -f /tmp/sampler.stop /tmp/sampler.out
	(
		n=0 bad=0
		while [ ! -e /tmp/sampler.stop ]; do
			read -r c < /proc/cmdline
			case "$c" in
			kpatch-pkg-v[0-9]) ;;
			*) bad=$((bad + 1)); echo "unpatched read: $c" ;;
			esac
			n=$((n + 1))
		done
		echo "$n $bad" > /tmp/sampler.out
	) &
	sampler=$!
}

sampler_stop() {
	touch /tmp/sampler.stop
	wait "$sampler"
	read -r n bad < /tmp/sampler.out
	echo "# sampler: $n reads of /proc/cmdline, $bad unpatched"
	[ "$n" -gt 100 ] || fail "the sampler read /proc/cmdline only $n times"
	[ "$bad" -eq 0 ] || fail "$bad reads of /proc/cmdline found no patch live"
}

# After every package step: show it, and check that a patch is live.
check_live_hook() {
	echo "# after: $1: $(patches)"
	case "$(cmdline)" in kpatch-pkg-v[0-9]) ;; *) fail "unpatched after '$1'" ;; esac
}

# For the tests of the real dpkg and rpm (1*-real-*.sh): the programs the
# suite put in /payload/pm go to their own paths; kpatch goes where the
# tools package installs it, /usr/sbin, because rpm runs scriptlets with
# its own PATH (%_install_script_path: /sbin:/bin:/usr/sbin:/usr/bin), and
# PATH becomes the usual one for dpkg's scripts too.  dpkg's admin
# directory is made empty, as on a fresh system; rpm's database is under
# /tmp (--dbpath), made by rpm --initdb in the rpm test.  The tests name
# dpkg, dpkg-deb, dpkg-query and rpm by their paths: this busybox's sh runs
# its own applets of those names before looking in PATH.
real_pm_setup() {
	cp -a /payload/pm/. / || fail "cannot copy dpkg and rpm to /"
	mkdir -p /usr/sbin /var/tmp /var/lib/dpkg/info /var/lib/dpkg/updates /var/lib/dpkg/triggers ||
		fail "cannot make dpkg's admin directory"
	[ -e /var/lib/dpkg/status ] || : > /var/lib/dpkg/status
	cp /payload/bin/kpatch /usr/sbin/kpatch || fail "cannot copy kpatch to /usr/sbin"
	PATH=/usr/sbin:/usr/bin:/sbin:/bin
	export PATH
}

# Run a package manager's command, show its output (in /tmp/out) and fail
# the test when it fails.
pm_cmd() {
	"$@" > /tmp/out 2>&1 || { cat /tmp/out; fail "'$*' failed"; }
	cat /tmp/out
}

# The output of the last pm_cmd holds this line (a scriptlet's or kpatch's).
said() {
	grep -qF "$1" /tmp/out || fail "no '$1' in the output of the package manager"
}
