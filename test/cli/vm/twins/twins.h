/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A module with two functions named twin(), static in twin-a.c and
 * twin-b.c as such functions of different files often are: a name whose
 * records enabled_functions cannot tell apart (tests/08-verify.sh patches
 * twin,2 and then twin,1).  noipa keeps each a function of its own name,
 * called, with its fentry.
 */
int twin_a(void);
int twin_b(void);
