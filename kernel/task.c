/* The running contexts (mk64/sched.h): each CPU's own until threads exist. */
#include <mk64/sched.h>
#include <mk64/sprintf.h>

struct task_struct init_task = { .comm = "swapper/0" };

/* Each secondary CPU's context, named as Linux names its idle threads. */
static struct task_struct idle_tasks[NR_CPUS];
static char idle_names[NR_CPUS][16];

struct task_struct *current_tasks[NR_CPUS] = { &init_task };

void idle_task_init(unsigned int cpu)
{
	snprintf(idle_names[cpu], sizeof(idle_names[cpu]), "swapper/%u", cpu);
	idle_tasks[cpu] = (struct task_struct){ .comm = idle_names[cpu] };
	current_tasks[cpu] = &idle_tasks[cpu];
}
