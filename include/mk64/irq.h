/*
 * Interrupts as drivers see them (kernel/irq.c), with Linux's names:
 * request_irq() and friends over a table of descriptors indexed by the
 * interrupt controller's hardware number. The GIC's INTIDs are small and
 * dense (SGIs 0-15, PPIs 16-31, SPIs 32-1019), so the domain is the
 * identity: Linux's virq is the INTID here, and irq_of_parse_and_map()
 * turns a device tree's interrupt cells into it.
 */
#ifndef MK64_IRQ_H
#define MK64_IRQ_H

#include <mk64/smp.h>
#include <mk64/types.h>

struct pt_regs;

#define NR_IRQS 1020		/* INTIDs 1020-1023 are special (1023: spurious) */
#define NR_IPI 16		/* SGIs */
#define GIC_PPI_BASE 16
#define GIC_SPI_BASE 32
#define GIC_SPURIOUS_INTID 1023

/* Trigger types, as the device tree's flags cell and Linux's IRQ_TYPE_*. */
#define IRQ_TYPE_NONE 0
#define IRQ_TYPE_EDGE_RISING 1
#define IRQ_TYPE_LEVEL_HIGH 4

/* The default priority of every interrupt and the mask that lets them all through. */
#define GICD_INT_DEF_PRI 0xa0
#define DEFAULT_PMR_VALUE 0xf0

typedef enum irqreturn {
	IRQ_NONE = 0,		/* not this device's interrupt */
	IRQ_HANDLED = 1,
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

/*
 * What the generic layer asks of the interrupt controller driver. Only one
 * controller exists (the root GIC); every hook acts on the running CPU's
 * view for private interrupts (SGIs, PPIs).
 */
struct irq_chip {
	const char *name;
	void (*irq_mask)(unsigned int hwirq);
	void (*irq_unmask)(unsigned int hwirq);
	void (*irq_set_type)(unsigned int hwirq, unsigned int type);
	/* Pending state: reads and sets it (Linux's IRQCHIP_STATE_PENDING). */
	bool (*irq_get_pending)(unsigned int hwirq);
	void (*irq_set_pending)(unsigned int hwirq, bool pending);
	/*
	 * Acknowledges the highest pending interrupt: returns its INTID
	 * (GIC_SPURIOUS_INTID when none) and the raw IAR for irq_eoi().
	 */
	unsigned int (*irq_ack)(u32 *iar);
	void (*irq_eoi)(u32 iar);
	void (*ipi_send_mask)(unsigned int sgi, cpumask_t cpus);
	/* Sets the running CPU's priority mask, returns the old one. */
	u8 (*set_priority_mask)(u8 pmr);
	/* The running CPU's interface, up. */
	void (*cpu_init)(void);
	unsigned int nr_irqs;	/* INTIDs below this exist */
};

/* Called from the IRQ vector with interrupts masked, between irq_enter/exit. */
void handle_arch_irq(struct pt_regs *regs);

/* Makes chip the root controller; the driver calls it once its tables are set up. */
void set_handle_irq(const struct irq_chip *chip);

/* The root controller, or NULL before one probed. */
const struct irq_chip *irq_root_chip(void);

/*
 * Installs handler for irq and unmasks it: an SPI, or an SGI/PPI whose
 * handler serves every CPU, unmasked on the running CPU's interface
 * (SGIs are enabled on every CPU by gic_cpu_init() anyway). flags are
 * unused (no sharing).
 * Returns 0, -EINVAL (no such interrupt, no handler), -EBUSY (taken),
 * -ENODEV (no interrupt controller). Does not sleep.
 */
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *name,
		void *dev_id);

/*
 * A PPI or SGI: the handler is shared by all CPUs, each enables it on its
 * own interface with enable_percpu_irq(). Same returns as request_irq().
 */
int request_percpu_irq(unsigned int irq, irq_handler_t handler, const char *name, void *dev_id);

/*
 * Removes irq's handler and masks it (on the running CPU for a PPI); SGIs
 * stay enabled. A no-op for a free irq.
 */
void free_irq(unsigned int irq, void *dev_id);

/* Unmask and mask irq at the GIC (on the running CPU for an SGI or PPI). */
void enable_irq(unsigned int irq);
void disable_irq(unsigned int irq);
/* On the running CPU's interface, with the given trigger type (0: keep). */
void enable_percpu_irq(unsigned int irq, unsigned int type);

/* Linux's irq_get_irqchip_state/irq_set_irqchip_state(IRQCHIP_STATE_PENDING). */
bool irq_is_pending(unsigned int irq);
void irq_set_pending(unsigned int irq, bool pending);

/*
 * Sets the running CPU's interrupt priority mask: only interrupts whose
 * priority value is lower (more urgent) than pmr are signalled. Returns
 * the previous mask. DEFAULT_PMR_VALUE lets every interrupt through.
 */
u8 irq_set_priority_mask(u8 pmr);

/* How many interrupts CPU cpu took for irq (Linux's kstat_irqs_cpu()). */
unsigned int kstat_irqs_cpu(unsigned int irq, unsigned int cpu);

/*
 * IRQ entries that found nothing to acknowledge (INTID 1023): another CPU
 * took the interrupt, it was withdrawn, or it was masked after signalling.
 * Counted, never fatal.
 */
unsigned long irq_spurious_count(unsigned int cpu);

/*
 * The INTID the interrupt cells of fdt's node name: its index'th
 * specifier, #interrupt-cells of the GIC long (3: type, number, flags; 4:
 * with a PPI partition phandle, as the RK3399's). *type gets the flags'
 * trigger type when type is not NULL. Returns the INTID, or a negative
 * errno: -ENOENT (no such specifier), -EINVAL (bad type or number).
 */
int irq_of_parse_and_map(const void *fdt, int node, int index, unsigned int *type);

/* Interprets one specifier of cells cells; as irq_of_parse_and_map(). */
int gic_irq_domain_translate(const u32 *spec, int cells, unsigned int *type);

/*
 * Sends SGI sgi to every CPU in cpus (the running one included when in
 * the mask). Arch code of the SMP work uses it for its cross-CPU calls.
 */
void gic_send_sgi(cpumask_t cpus, unsigned int sgi);

/*
 * The SGIs the kernel uses, as Linux's arm64 numbers them: one that wakes
 * an idle CPU (IPI_RESCHEDULE: its idle loop looks at its mailbox) and
 * the cross-CPU function call (kernel/smp.c).
 */
#define IPI_RESCHEDULE 0
#define IPI_CALL_FUNC 1

/*
 * The function-call IPI, to every CPU in cpus or to one (Linux's
 * arch_send_call_function_ipi_mask() and _single_ipi()). Never sleep;
 * callable with IRQs masked.
 */
void arch_send_call_function_ipi_mask(cpumask_t cpus);
void arch_send_call_function_single_ipi(unsigned int cpu);

#endif
