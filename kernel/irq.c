/*
 * The generic interrupt layer: one descriptor per INTID (handler, name,
 * per-CPU counts), the root controller's hooks, and the flow from the IRQ
 * vector to a handler: acknowledge, run the handler, end of interrupt.
 * One interrupt per entry, as Linux's GICv3 gic_handle_irq(): another
 * pending one is taken again as soon as the exception returns, which
 * costs less than a second acknowledge that most often finds nothing.
 */
#include <libfdt.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/irq.h>
#include <mk64/kernel.h>
#include <mk64/printk.h>
#include <mk64/spinlock.h>

struct irq_desc {
	irq_handler_t handler;
	void *dev_id;
	const char *name;
	bool percpu;
	unsigned int count[NR_CPUS];
};

static struct irq_desc irq_descs[NR_IRQS];
static const struct irq_chip *root_chip;
static unsigned long spurious[NR_CPUS];
static spinlock_t desc_lock = SPINLOCK_INIT;

void set_handle_irq(const struct irq_chip *chip)
{
	root_chip = chip;
}

const struct irq_chip *irq_root_chip(void)
{
	return root_chip;
}

/*
 * An interrupt nobody asked for: reported once, and masked so that it
 * cannot storm, unless it is an SGI: each of those is one message, and
 * SGIs stay enabled for the cross-CPU calls to come.
 */
static void handle_bad_irq(unsigned int irq)
{
	static bool reported[NR_IRQS];

	if (irq >= GIC_PPI_BASE)
		root_chip->irq_mask(irq);
	if (reported[irq])
		return;
	reported[irq] = true;
	pr_err("irq %u: nobody cared (no handler); masked\n", irq);
}

void handle_arch_irq(struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();
	struct irq_desc *desc;
	unsigned int irq;
	u32 iar;

	(void)regs;
	irq = root_chip->irq_ack(&iar);
	if (irq >= NR_IRQS) {
		spurious[cpu]++;
		return;
	}
	desc = &irq_descs[irq];
	desc->count[cpu]++;
	if (desc->handler)
		desc->handler((int)irq, desc->dev_id);
	else
		handle_bad_irq(irq);
	root_chip->irq_eoi(iar);
}

static int install(unsigned int irq, irq_handler_t handler, const char *name, void *dev_id,
		   bool percpu)
{
	unsigned long flags;
	int err = 0;

	if (!root_chip)
		return -ENODEV;
	if (!handler || irq >= root_chip->nr_irqs || (irq < GIC_SPI_BASE) != percpu)
		return -EINVAL;
	spin_lock_irqsave(&desc_lock, flags);
	if (irq_descs[irq].handler) {
		err = -EBUSY;
	} else {
		irq_descs[irq].dev_id = dev_id;
		irq_descs[irq].name = name;
		irq_descs[irq].percpu = percpu;
		/* Last: the vector may run the handler as soon as it is seen. */
		WRITE_ONCE(irq_descs[irq].handler, handler);
	}
	spin_unlock_irqrestore(&desc_lock, flags);
	return err;
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *name,
		void *dev_id)
{
	int err;

	(void)flags;
	err = install(irq, handler, name, dev_id, irq < GIC_SPI_BASE);
	if (!err)
		root_chip->irq_unmask(irq);
	return err;
}

int request_percpu_irq(unsigned int irq, irq_handler_t handler, const char *name, void *dev_id)
{
	return install(irq, handler, name, dev_id, true);
}

void free_irq(unsigned int irq, void *dev_id)
{
	unsigned long flags;

	if (!root_chip || irq >= NR_IRQS)
		return;
	spin_lock_irqsave(&desc_lock, flags);
	if (irq_descs[irq].handler && irq_descs[irq].dev_id == dev_id) {
		if (irq >= GIC_PPI_BASE)
			root_chip->irq_mask(irq);
		WRITE_ONCE(irq_descs[irq].handler, NULL);
		irq_descs[irq].name = NULL;
	}
	spin_unlock_irqrestore(&desc_lock, flags);
}

void enable_irq(unsigned int irq)
{
	if (root_chip && irq < root_chip->nr_irqs)
		root_chip->irq_unmask(irq);
}

void disable_irq(unsigned int irq)
{
	if (root_chip && irq < root_chip->nr_irqs)
		root_chip->irq_mask(irq);
}

void enable_percpu_irq(unsigned int irq, unsigned int type)
{
	if (!root_chip || irq >= GIC_SPI_BASE)
		return;
	if (type != IRQ_TYPE_NONE && irq >= GIC_PPI_BASE)
		root_chip->irq_set_type(irq, type);
	root_chip->irq_unmask(irq);
}

bool irq_is_pending(unsigned int irq)
{
	return root_chip && irq < root_chip->nr_irqs && root_chip->irq_get_pending(irq);
}

void irq_set_pending(unsigned int irq, bool pending)
{
	if (root_chip && irq < root_chip->nr_irqs)
		root_chip->irq_set_pending(irq, pending);
}

u8 irq_set_priority_mask(u8 pmr)
{
	return root_chip ? root_chip->set_priority_mask(pmr) : 0;
}

unsigned int kstat_irqs_cpu(unsigned int irq, unsigned int cpu)
{
	return irq < NR_IRQS && cpu < NR_CPUS ? READ_ONCE(irq_descs[irq].count[cpu]) : 0;
}

unsigned long irq_spurious_count(unsigned int cpu)
{
	return cpu < NR_CPUS ? READ_ONCE(spurious[cpu]) : 0;
}

void gic_send_sgi(cpumask_t cpus, unsigned int sgi)
{
	if (root_chip && sgi < NR_IPI)
		root_chip->ipi_send_mask(sgi, cpus);
}

void arch_send_call_function_ipi_mask(cpumask_t cpus)
{
	gic_send_sgi(cpus, IPI_CALL_FUNC);
}

void arch_send_call_function_single_ipi(unsigned int cpu)
{
	gic_send_sgi(cpumask_of(cpu), IPI_CALL_FUNC);
}

/*
 * The GIC binding's cells: type (0 SPI, 1 PPI), number within the type,
 * flags (trigger in bits 3:0; GICv2 puts a PPI's CPU mask in bits 15:8,
 * ignored: every CPU gets its PPIs), and with 4 cells a PPI partition's
 * phandle (0: none). A partition narrows which CPUs have the PPI wired;
 * enabling it on a CPU outside the partition is harmless, so it is not
 * tracked.
 */
int gic_irq_domain_translate(const u32 *spec, int cells, unsigned int *type)
{
	u32 kind, num;

	if (cells < 3)
		return -EINVAL;
	kind = spec[0];
	num = spec[1];
	if (type)
		*type = spec[2] & 0xf;
	if (kind == 0 && num < NR_IRQS - GIC_SPI_BASE)
		return (int)(num + GIC_SPI_BASE);
	if (kind == 1 && num < GIC_SPI_BASE - GIC_PPI_BASE)
		return (int)(num + GIC_PPI_BASE);
	return -EINVAL;
}

/* The #interrupt-cells of node's interrupt parent (inherited up the tree). */
static int interrupt_cells(const void *fdt, int node)
{
	u32 phandle, cells;
	int parent;

	for (parent = node; parent >= 0; parent = fdt_parent_offset(fdt, parent)) {
		if (dt_u32(fdt, parent, "interrupt-parent", &phandle))
			break;
	}
	if (parent < 0)
		return -ENOENT;
	parent = fdt_node_offset_by_phandle(fdt, phandle);
	if (parent < 0 || !dt_u32(fdt, parent, "#interrupt-cells", &cells) || !cells || cells > 4)
		return -EINVAL;
	return (int)cells;
}

int irq_of_parse_and_map(const void *fdt, int node, int index, unsigned int *type)
{
	const fdt32_t *prop;
	u32 spec[4];
	int len, cells = interrupt_cells(fdt, node);

	if (cells < 0)
		return cells;
	prop = fdt_getprop(fdt, node, "interrupts", &len);
	if (!prop || index < 0 || (index + 1) * cells * 4 > len)
		return -ENOENT;
	for (int i = 0; i < cells; i++)
		spec[i] = fdt32_to_cpu(prop[index * cells + i]);
	return gic_irq_domain_translate(spec, cells, type);
}
