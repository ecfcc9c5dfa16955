#!/bin/sh
# A system call: umask(2) always adds S_IWOTH (0002) while patched, which
# user space sees in the shell's umask and in the mode of new files.
# (umask's body is inlined into __x64_sys_umask, which is patched.)
# shellcheck source=../../lib.sh
. /payload/lib.sh
mode() { umask 000; rm -f /tmp/umask-test; touch /tmp/umask-test; stat -c %a /tmp/umask-test; }
before()   { m=$(mode); echo "new file mode $m"; [ "$m" = 666 ]; }
loaded() {
	m=$(mode); echo "new file mode $m, umask $(umask 000; umask)"
	[ "$m" = 664 ] && [ "$(umask 000; umask)" = 0002 ]
}
unloaded() { before; }
standard_flow syscall-umask
