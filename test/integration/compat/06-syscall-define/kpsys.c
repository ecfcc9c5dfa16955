/* What user space gets from newuname(2) and from a wait4(2) probe. */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(void)
{
	struct utsname u;
	int status = -1;
	long r;

	if (uname(&u)) {
		perror("uname");
		return 1;
	}
	printf("machine=%s\n", u.machine);
	/* pid 41, options 0x4b500000 (invalid), rusage pointer 0x7f123 */
	r = syscall(SYS_wait4, 41, &status, 0x4b500000, (void *)0x7f123);
	printf("wait4=%ld errno=%d status=%d\n", r, r < 0 ? errno : 0, status);
	return 0;
}
