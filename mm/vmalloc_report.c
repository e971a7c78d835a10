/*
 * What vmalloc tells others: the fault describer that names a faulting
 * address's area (guard pages, freed areas), /proc/vmallocinfo's lines,
 * and the counts the per-test leak check compares.
 */
#include <mk64/fault.h>
#include <mk64/kallsyms.h>
#include <mk64/mmzone.h>
#include <mk64/printk.h>
#include <mk64/sprintf.h>
#include <mk64/topology.h>
#include "vmalloc_internal.h"

static const char *area_kind(unsigned long flags)
{
	if (flags & VM_IOREMAP)
		return "ioremap";
	if (flags & VM_MAP)
		return "vmap";
	return "vmalloc";
}

/* "vmalloc area 0x...-0x... (16384 bytes, caller+0x1c/0x60)": usable bytes only. */
static void name_area(char *buf, size_t size, unsigned long start, unsigned long bytes,
		      unsigned long flags, const void *caller)
{
	char sym[KSYM_SYMBOL_LEN];

	sprint_symbol(sym, sizeof(sym), (u64)caller);
	snprintf(buf, size, "%s area 0x%016lx-0x%016lx (%lu bytes, %s)", area_kind(flags), start,
		 start + bytes, bytes, sym);
}

static const char *plural(unsigned long n)
{
	return n == 1 ? "" : "s";
}

/* The newest freed area of the history holding addr, copied to *out. */
static bool find_freed(unsigned long addr, struct vmap_freed *out)
{
	unsigned int next = READ_ONCE(vmap_freed_next);

	for (unsigned int i = 1; i <= VMAP_FREED_HISTORY && i <= next; i++) {
		const struct vmap_freed *h = &vmap_freed_history[(next - i) % VMAP_FREED_HISTORY];
		unsigned long size = READ_ONCE(h->size);

		out->start = READ_ONCE(h->start);
		if (size && addr >= out->start && addr - out->start < size + PAGE_SIZE) {
			out->size = size;
			out->flags = READ_ONCE(h->flags);
			out->caller = READ_ONCE(h->caller);
			return true;
		}
	}
	return false;
}

/*
 * A node read without the lock may have just moved to the free tree, where
 * the same word holds a size: follow only what can be a slab object.
 */
static bool vm_readable(const struct vm_struct *vm)
{
	return virt_addr_is_linear(vm) && IS_ALIGNED((unsigned long)vm, 8);
}

/*
 * Runs in the exception handler: no lock, no allocation, reads that cannot
 * fault (the nodes and vm_structs are slab objects in the linear map).
 */
static void describe(const struct fault_area *area, const struct fault_info *info, char *buf,
		     size_t size)
{
	unsigned long addr = info->far, start, bytes, flags;
	struct vmap_area *va = vmap_busy_lookup(addr);
	struct vmap_freed freed;
	char what[FAULT_HEADLINE_SIZE];

	if (addr < VMALLOC_START + PAGE_SIZE) {
		/* The first page, never handed out: a guard for the lowest area. */
		snprintf(buf, size, "%s", area->name);
		return;
	}
	if (va && vm_readable(READ_ONCE(va->vm))) {
		const struct vm_struct *vm = READ_ONCE(va->vm);

		start = (unsigned long)READ_ONCE(vm->addr);
		flags = READ_ONCE(vm->flags);
		bytes = READ_ONCE(vm->size) - (flags & VM_NO_GUARD ? 0 : PAGE_SIZE);
		name_area(what, sizeof(what), start, bytes, flags, READ_ONCE(vm->caller));
		if (addr >= start + bytes)
			snprintf(buf, size, "guard page, %lu byte%s past the end of %s",
				 addr - (start + bytes) + 1, plural(addr - (start + bytes) + 1), what);
		else
			snprintf(buf, size, "%lu bytes into %s", addr - start, what);
		return;
	}
	if (find_freed(addr, &freed)) {
		name_area(what, sizeof(what), freed.start, freed.size, freed.flags, freed.caller);
		snprintf(buf, size, "use after free: %lu bytes into freed %s", addr - freed.start,
			 what);
		return;
	}
	va = vmap_busy_lookup(ALIGN_UP(addr + 1, PAGE_SIZE));
	if (va && READ_ONCE(va->va_start) - addr <= PAGE_SIZE && vm_readable(READ_ONCE(va->vm))) {
		const struct vm_struct *vm = READ_ONCE(va->vm);

		start = READ_ONCE(va->va_start);
		flags = READ_ONCE(vm->flags);
		name_area(what, sizeof(what), start,
			  READ_ONCE(vm->size) - (flags & VM_NO_GUARD ? 0 : PAGE_SIZE), flags,
			  READ_ONCE(vm->caller));
		snprintf(buf, size, "%lu byte%s before the start of %s", start - addr,
			 plural(start - addr), what);
		return;
	}
	snprintf(buf, size, "vmalloc/ioremap region, in no area");
}

static struct fault_area vmalloc_fault_area = {
	.start = VMALLOC_START,
	.end = VMALLOC_END,
	.name = "vmalloc/ioremap region",
	.describe = describe,
};

void vmalloc_fault_init(void)
{
	register_fault_area(&vmalloc_fault_area);
}

/* One /proc/vmallocinfo line, as Linux 6.1's s_show() writes it. */
static void show_area(const struct vm_struct *vm)
{
	unsigned int per_node[MAX_NUMNODES] = { 0 };
	char line[320], sym[KSYM_SYMBOL_LEN];
	size_t n;
	int nid;

	n = (size_t)snprintf(line, sizeof(line), "0x%016lx-0x%016lx %7lu", (unsigned long)vm->addr,
			     (unsigned long)vm->addr + vm->size, vm->size);
	if (vm->caller) {
		sprint_symbol(sym, sizeof(sym), (u64)vm->caller);
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %s", sym);
	}
	if (vm->nr_pages)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " pages=%u", vm->nr_pages);
	if (vm->phys_addr)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " phys=%pa", &vm->phys_addr);
	if (vm->flags & VM_IOREMAP)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " ioremap");
	if (vm->flags & VM_ALLOC)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " vmalloc");
	if (vm->flags & VM_MAP)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " vmap");
	if (is_vmalloc_addr(vm->pages))
		n += (size_t)snprintf(line + n, sizeof(line) - n, " vpages");
	if (vm->pages && !(vm->flags & VM_UNINITIALIZED)) {
		for (unsigned int i = 0; i < vm->nr_pages; i++)
			per_node[page_to_nid(vm->pages[i])]++;
		for_each_online_node(nid)
			if (per_node[nid] && n < sizeof(line))
				n += (size_t)snprintf(line + n, sizeof(line) - n, " N%d=%u", nid,
						      per_node[nid]);
	}
	pr_info("%s\n", line);
}

void print_vmallocinfo(void)
{
	const struct vm_struct *vm;

	spin_lock(&vmap_area_lock);
	list_for_each_entry(vm, &vmap_area_list, list)
		show_area(vm);
	spin_unlock(&vmap_area_lock);
}

void vmalloc_usage(struct vmalloc_usage *u)
{
	const struct vm_struct *vm;

	vfree_deferred();
	vmap_stash_drain();
	spin_lock(&vmap_area_lock);
	u->nr_areas = vmap_nr_areas;
	/* Counted here, not on every vmalloc() and vfree(): only tests ask. */
	u->nr_pages = 0;
	list_for_each_entry(vm, &vmap_area_list, list)
		if (vm->flags & VM_ALLOC)
			u->nr_pages += READ_ONCE(vm->nr_pages);
	u->seq = vmap_seq;
	spin_unlock(&vmap_area_lock);
}

bool vmalloc_describe_newer(unsigned long seq, char *buf, size_t size)
{
	const struct vm_struct *vm;
	bool found = false;

	spin_lock(&vmap_area_lock);
	list_for_each_entry(vm, &vmap_area_list, list) {
		if (vm->seq > seq) {
			name_area(buf, size, (unsigned long)vm->addr, get_vm_area_size(vm),
				  vm->flags, vm->caller);
			found = true;
			break;
		}
	}
	spin_unlock(&vmap_area_lock);
	return found;
}
