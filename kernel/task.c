/* The running contexts (mk64/sched.h): the boot CPU's until threads exist. */
#include <mk64/sched.h>

struct task_struct init_task = { .comm = "swapper/0" };

/* Secondary CPUs get theirs when they start. */
struct task_struct *current_tasks[NR_CPUS] = { &init_task };
