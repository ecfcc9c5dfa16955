/* What user space gets from newuname(2) and from a reboot(2) probe. */
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
	/* magic1 0x4b500000 (invalid), magic2 41, cmd 291, arg &status */
	r = syscall(SYS_reboot, 0x4b500000, 41, 291, &status);
	printf("reboot=%ld errno=%d status=%d\n", r, r < 0 ? errno : 0, status);
	return 0;
}
