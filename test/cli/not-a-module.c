/* An x86-64 relocatable ELF object that is not a kernel module. */
int not_a_module(void)
{
	return 0;
}
