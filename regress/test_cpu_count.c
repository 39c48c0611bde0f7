/* get_cpu_count follows the affinity mask, not the machine's total. */
#include <criterion/criterion.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reference/reference.h"

Test(cpu_count, equals_the_affinity_mask) {
  cpu_set_t set;
  CPU_ZERO(&set);
  cr_assert_eq(sched_getaffinity(0, sizeof set, &set), 0);
  cr_assert_eq(sp_get_cpu_count(), CPU_COUNT(&set));
  cr_assert_geq(sp_get_cpu_count(), 1);
}

Test(cpu_count, shrinks_with_the_mask) {
  cpu_set_t set;
  CPU_ZERO(&set);
  cr_assert_eq(sched_getaffinity(0, sizeof set, &set), 0);
  int first = -1;
  for (int i = 0; i < CPU_SETSIZE && first < 0; i++)
    if (CPU_ISSET(i, &set)) first = i;
  pid_t pid = fork();
  cr_assert_geq(pid, 0);
  if (pid == 0) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) _exit(3);
    _exit(sp_get_cpu_count() == 1 ? 0 : 1);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  cr_assert(WIFEXITED(st));
  cr_assert_eq(WEXITSTATUS(st), 0, "child saw a count other than 1");
}
