/*
 * vmalloc, vmap, ioremap and kvmalloc (mm/vmalloc.c, arch/arm64/ioremap.c,
 * mm/kvmalloc.c): areas checked against the live page tables and the page
 * allocator, guard pages and freed areas faulted for real (fault_expect())
 * with the headline's words built here from the area's own numbers, the
 * deferred vfree() of interrupt context, vmallocinfo's lines, and the
 * UART mapped with ioremap as Device memory.
 */
#include <libfdt.h>
#include <limits.h>
#include <asm/io.h>
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/pgtable-hwdef.h>
#include <mk64/boot.h>
#include <mk64/dt.h>
#include <mk64/fault.h>
#include <mk64/kallsyms.h>
#include <mk64/ktest.h>
#include <mk64/mmzone.h>
#include <mk64/preempt.h>
#include <mk64/serial.h>
#include <mk64/slab.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include <mk64/topology.h>
#include <mk64/vmalloc.h>

#define NOINLINE __attribute__((noinline, noipa))

static NOINLINE void read_byte(void *addr)
{
	(void)*(volatile u8 *)addr;
}

static NOINLINE void write_byte(void *addr)
{
	*(volatile u8 *)addr = 0x5a;
}

/* A recognisable caller for the areas of this file: "vmalloc_test_caller+0x0/". */
static NOINLINE void vmalloc_test_caller(void)
{
	__asm__ volatile("");
}

#define TEST_CALLER ((const void *)vmalloc_test_caller)

/* "<kind> area 0x...-0x... (N bytes, vmalloc_test_caller+0x0/": what reports must say. */
static void expected_area(char *buf, size_t size, const char *kind, const void *addr,
			  unsigned long bytes)
{
	snprintf(buf, size, "%s area 0x%016lx-0x%016lx (%lu bytes, vmalloc_test_caller+0x0/", kind,
		 (unsigned long)addr, (unsigned long)addr + bytes, bytes);
}

static bool pte_of(const void *addr, u64 *desc)
{
	struct pgtable_walk w;
	bool mapped = pgtable_walk(&init_pgtable, (u64)addr, &w);

	*desc = w.desc;
	return mapped && w.level == 3;
}

/* Every page of the area: mapped with 4K pages to the page its vm_struct lists, and the guard not. */
static void check_mapping(struct ktest *t, const u8 *p, const struct vm_struct *vm, pgprot_t prot)
{
	u64 desc;

	for (unsigned int i = 0; i < vm->nr_pages; i++) {
		KTEST_ASSERT_TRUE(t, pte_of(p + i * PAGE_SIZE, &desc));
		KTEST_EXPECT_EQ(t, desc & PTE_ADDR_MASK,
				(u64)page_to_pfn(vm->pages[i]) << PAGE_SHIFT);
		KTEST_EXPECT_EQ(t, desc & PTE_ATTR_MASK, (u64)prot);
		KTEST_EXPECT_TRUE(t, vmalloc_to_page(p + i * PAGE_SIZE + 123) == vm->pages[i]);
		KTEST_EXPECT_EQ(t, vmalloc_to_pfn(p + i * PAGE_SIZE), page_to_pfn(vm->pages[i]));
	}
	KTEST_EXPECT_FALSE(t, pte_of(p + vm->nr_pages * PAGE_SIZE, &desc));
}

static void vmalloc_area_fields(struct ktest *t)
{
	u8 *p = __vmalloc_node(5 * PAGE_SIZE + 100, 1, GFP_KERNEL, NUMA_NO_NODE, TEST_CALLER);
	struct vm_struct *vm;

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(p));
	KTEST_EXPECT_TRUE(t, IS_ALIGNED((unsigned long)p, PAGE_SIZE));
	vm = find_vm_area(p + 3 * PAGE_SIZE + 7);
	KTEST_ASSERT_TRUE(t, vm != NULL);
	KTEST_EXPECT_TRUE(t, vm->addr == p);
	KTEST_EXPECT_EQ(t, vm->size, 7 * PAGE_SIZE);	/* 6 pages and the guard */
	KTEST_EXPECT_EQ(t, get_vm_area_size(vm), 6 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, vm->flags, (unsigned long)VM_ALLOC);
	KTEST_EXPECT_EQ(t, vm->nr_pages, 6u);
	KTEST_EXPECT_TRUE(t, vm->caller == TEST_CALLER);
	KTEST_EXPECT_TRUE(t, find_vm_area(p + 6 * PAGE_SIZE) == vm);	/* the guard */
	KTEST_EXPECT_TRUE(t, find_vm_area(p + 7 * PAGE_SIZE) != vm);
	check_mapping(t, p, vm, PAGE_KERNEL);
	/* The page below is unmapped too: a guard, free space or the region's first page. */
	KTEST_EXPECT_TRUE(t, vmalloc_to_page(p - 1) == NULL);
	vfree(p);
	KTEST_EXPECT_TRUE(t, find_vm_area(p) == NULL);
	KTEST_EXPECT_TRUE(t, vmalloc_to_page(p) == NULL);
}

/*
 * The buffer's pages are not one physical run (the free pages are made
 * scattered first), yet every byte is there through the one virtual range,
 * and through each page's own linear address.
 */
static void vmalloc_scattered(struct ktest *t)
{
	enum { N = 64 };
	struct page *pages[2 * N];
	struct vm_struct *vm;
	unsigned int breaks = 0;
	u32 *p;

	/* From where vmalloc takes its pages: highmem first when there is some. */
	for (int i = 0; i < 2 * N; i++) {
		pages[i] = alloc_page(GFP_KERNEL | __GFP_HIGHMEM);
		KTEST_ASSERT_TRUE(t, pages[i] != NULL);
	}
	for (int i = 1; i < 2 * N; i += 2)
		__free_page(pages[i]);
	p = vmalloc(N * PAGE_SIZE);
	for (int i = 0; i < 2 * N; i += 2)
		__free_page(pages[i]);
	KTEST_ASSERT_TRUE(t, p != NULL);
	vm = find_vm_area(p);
	KTEST_ASSERT_TRUE(t, vm != NULL);
	for (unsigned int i = 1; i < N; i++)
		breaks += page_to_pfn(vm->pages[i]) != page_to_pfn(vm->pages[i - 1]) + 1;
	KTEST_EXPECT_GT(t, breaks, 0u);
	for (unsigned int i = 0; i < N * PAGE_SIZE / 4; i++)
		p[i] = i * 2654435761u;
	for (unsigned int i = 0; i < N; i++) {
		const u32 *alias = page_address(vm->pages[i]);

		if (alias) {
			KTEST_EXPECT_EQ(t, alias[0], (u32)(i * PAGE_SIZE / 4 * 2654435761u));
			KTEST_EXPECT_EQ(t, alias[PAGE_SIZE / 4 - 1],
					(u32)(((i + 1) * PAGE_SIZE / 4 - 1) * 2654435761u));
		}
	}
	for (unsigned int i = 0; i < N * PAGE_SIZE / 4; i++)
		if (p[i] != (u32)(i * 2654435761u))
			KTEST_ASSERT_EQ(t, p[i], (u32)(i * 2654435761u));
	check_mapping(t, (u8 *)p, vm, PAGE_KERNEL);
	vfree(p);
}

static void vzalloc_zeroes(struct ktest *t)
{
	u8 *p = vmalloc(8 * PAGE_SIZE);

	KTEST_ASSERT_TRUE(t, p != NULL);
	memset(p, 0xaa, 8 * PAGE_SIZE);
	vfree(p);
	/* Likely the same pages again: they must come back zeroed. */
	p = vzalloc(8 * PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, p != NULL);
	for (unsigned int i = 0; i < 8 * PAGE_SIZE; i++)
		if (p[i])
			KTEST_ASSERT_EQ(t, p[i], 0);
	vfree(p);
}

static void vmalloc_node_places(struct ktest *t)
{
	int nid;

	for_each_online_node(nid) {
		struct vm_struct *vm;
		u8 *p = vmalloc_node(4 * PAGE_SIZE, nid);

		KTEST_ASSERT_TRUE(t, p != NULL);
		vm = find_vm_area(p);
		for (unsigned int i = 0; i < vm->nr_pages; i++)
			KTEST_EXPECT_EQ(t, page_to_nid(vm->pages[i]), nid);
		vfree(p);
	}
}

/* vmalloc_32: every page below 4 GiB, even on a machine whose RAM is mostly above. */
static void vmalloc_32_below_4g(struct ktest *t)
{
	u8 *p = vmalloc_32(64 * PAGE_SIZE);
	struct vm_struct *vm;

	KTEST_ASSERT_TRUE(t, p != NULL);
	vm = find_vm_area(p);
	for (unsigned int i = 0; i < vm->nr_pages; i++)
		KTEST_EXPECT_LT(t, (u64)page_to_pfn(vm->pages[i]), (u64)1 << (32 - PAGE_SHIFT));
	memset(p, 1, 64 * PAGE_SIZE);
	vfree(p);
}

static void vmalloc_alignments(struct ktest *t)
{
	for (unsigned int shift = 0; shift <= 24; shift++) {
		u8 *p = __vmalloc_node(3 * PAGE_SIZE, 1UL << shift, GFP_KERNEL, NUMA_NO_NODE,
				       TEST_CALLER);

		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_TRUE(t, IS_ALIGNED((unsigned long)p, 1UL << shift));
		p[3 * PAGE_SIZE - 1] = 1;
		vfree(p);
	}
	KTEST_EXPECT_TRUE(t, __vmalloc_node(PAGE_SIZE, 3 * PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN,
					    NUMA_NO_NODE, TEST_CALLER) == NULL);
	KTEST_EXPECT_TRUE(t, vmalloc(0) == NULL);
	KTEST_EXPECT_TRUE(t, __vmalloc(~0UL, GFP_KERNEL | __GFP_NOWARN) == NULL);
}

/* ---- guard pages and freed areas, faulted for real ------------------------ */

static void expect_guard_fault(struct ktest *t, void (*fn)(void *), u8 *addr, const char *access,
			       const char *kind, const void *start, unsigned long bytes)
{
	struct fault_info fi;
	char want[160], area[128];
	unsigned long past = (unsigned long)addr - ((unsigned long)start + bytes) + 1;

	KTEST_ASSERT_TRUE(t, fault_expect(fn, addr, &fi));
	KTEST_EXPECT_EQ(t, fi.far, (u64)addr);
	expected_area(area, sizeof(area), kind, start, bytes);
	snprintf(want, sizeof(want), "%016lx (%s): guard page, %lu byte%s past the end of %s",
		 (unsigned long)addr, access, past, past == 1 ? "" : "s", area);
	if (!strstr(fi.headline, want)) {
		ktest_info(t, "headline: %s", fi.headline);
		ktest_info(t, "expected: ...%s", want);
		KTEST_EXPECT_TRUE(t, strstr(fi.headline, want));
	}
	KTEST_EXPECT_TRUE(t, strstr(fi.headline, "Unable to handle kernel paging request"));
}

static void guard_after_vmalloc(struct ktest *t)
{
	u8 *p = __vmalloc_node(4 * PAGE_SIZE, 1, GFP_KERNEL, NUMA_NO_NODE, TEST_CALLER);

	KTEST_ASSERT_TRUE(t, p != NULL);
	write_byte(p + 4 * PAGE_SIZE - 1);	/* the last byte is fine */
	expect_guard_fault(t, read_byte, p + 4 * PAGE_SIZE, "read", "vmalloc", p, 4 * PAGE_SIZE);
	expect_guard_fault(t, write_byte, p + 4 * PAGE_SIZE + 100, "write", "vmalloc", p,
			   4 * PAGE_SIZE);
	vfree(p);
}

static void guard_after_vmap(struct ktest *t)
{
	struct page *pages[3];
	struct vm_struct *vm;
	u8 *p;

	for (int i = 0; i < 3; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, pages[i] != NULL);
		memset(page_address(pages[i]), 'A' + i, PAGE_SIZE);
	}
	p = vmap(pages, 3, 0, PAGE_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	vm = find_vm_area(p);
	KTEST_ASSERT_TRUE(t, vm != NULL);
	KTEST_EXPECT_EQ(t, vm->flags, (unsigned long)VM_MAP);
	KTEST_EXPECT_EQ(t, vm->size, 4 * PAGE_SIZE);
	for (int i = 0; i < 3; i++) {
		KTEST_EXPECT_EQ(t, p[i * PAGE_SIZE + 17], 'A' + i);
		KTEST_EXPECT_TRUE(t, vmalloc_to_page(p + i * PAGE_SIZE) == pages[i]);
	}
	p[2 * PAGE_SIZE] = 'z';
	KTEST_EXPECT_EQ(t, ((u8 *)page_address(pages[2]))[0], 'z');
	/* The reports name the function that called vmap(): this case. */
	{
		struct fault_info fi;
		char want[128];

		KTEST_ASSERT_TRUE(t, fault_expect(read_byte, p + 3 * PAGE_SIZE, &fi));
		snprintf(want, sizeof(want), "guard page, 1 byte past the end of vmap area 0x%016lx-0x%016lx (12288 bytes, guard_after_vmap+",
			 (unsigned long)p, (unsigned long)p + 3 * PAGE_SIZE);
		if (!strstr(fi.headline, want))
			ktest_info(t, "headline: %s", fi.headline);
		KTEST_EXPECT_TRUE(t, strstr(fi.headline, want));
	}
	vunmap(p);
	KTEST_EXPECT_TRUE(t, find_vm_area(p) == NULL);
	/* vunmap leaves the pages alone. */
	KTEST_EXPECT_EQ(t, ((u8 *)page_address(pages[1]))[5], 'B');
	for (int i = 0; i < 3; i++)
		__free_page(pages[i]);
}

/* kvmalloc beyond kmalloc's largest block: a vmalloc area that the buffer ends exactly. */
static void guard_after_kvmalloc(struct ktest *t)
{
	const unsigned long size = 4 * 1024 * 1024 + PAGE_SIZE;
	u8 *p = kvmalloc(size, GFP_KERNEL);
	struct fault_info fi;
	char want[160];

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(p));
	p[size - 1] = 1;
	KTEST_ASSERT_TRUE(t, fault_expect(write_byte, p + size, &fi));
	snprintf(want, sizeof(want), "(write): guard page, 1 byte past the end of vmalloc area 0x%016lx-0x%016lx (%lu bytes, guard_after_kvmalloc+",
		 (unsigned long)p, (unsigned long)p + size, size);
	if (!strstr(fi.headline, want))
		ktest_info(t, "headline: %s", fi.headline);
	KTEST_EXPECT_TRUE(t, strstr(fi.headline, want));
	kvfree(p);
}

static void read_after_vfree(struct ktest *t)
{
	u8 *p = __vmalloc_node(3 * PAGE_SIZE, 1, GFP_KERNEL, NUMA_NO_NODE, TEST_CALLER);
	struct fault_info fi;
	char want[160], area[128];

	KTEST_ASSERT_TRUE(t, p != NULL);
	p[8] = 1;
	vfree(p);
	KTEST_ASSERT_TRUE(t, fault_expect(read_byte, p + 8, &fi));
	KTEST_EXPECT_TRUE(t, fi.kind == FAULT_TRANSLATION);
	expected_area(area, sizeof(area), "vmalloc", p, 3 * PAGE_SIZE);
	snprintf(want, sizeof(want), "(read): use after free: 8 bytes into freed %s", area);
	if (!strstr(fi.headline, want)) {
		ktest_info(t, "headline: %s", fi.headline);
		ktest_info(t, "expected: ...%s", want);
	}
	KTEST_EXPECT_TRUE(t, strstr(fi.headline, want));
}

/* ---- freeing -------------------------------------------------------------- */

static void vfree_from_interrupt_deferred(struct ktest *t)
{
	u8 *p = vmalloc(2 * PAGE_SIZE), *q;

	KTEST_ASSERT_TRUE(t, p != NULL);
	irq_enter();
	KTEST_EXPECT_TRUE(t, in_interrupt());
	vfree(p);
	irq_exit();
	/* Still there: interrupt context only queues it. */
	KTEST_EXPECT_TRUE(t, find_vm_area(p) != NULL);
	/* The next vmalloc() in process context does the work. */
	q = vmalloc(PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, find_vm_area(p) == NULL || p == q);
	vfree(q);
}

/* Its locks would deadlock against the interrupted code: refused, reported. */
static void vmalloc_from_interrupt_refused(struct ktest *t)
{
	struct page *page = alloc_page(GFP_KERNEL);
	void *p, *q;

	KTEST_ASSERT_TRUE(t, page != NULL);
	ktest_log_mark();
	irq_enter();
	p = __vmalloc(PAGE_SIZE, GFP_ATOMIC);
	q = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	irq_exit();
	KTEST_EXPECT_TRUE(t, p == NULL);
	KTEST_EXPECT_TRUE(t, q == NULL);
	KTEST_EXPECT_REPORT(t, "WARNING");
	KTEST_EXPECT_REPORT(t, "in_interrupt()");
	__free_page(page);
}

static void vfree_bad_address_reported(struct ktest *t)
{
	u8 *p = vmalloc(2 * PAGE_SIZE);
	char want[96];

	KTEST_ASSERT_TRUE(t, p != NULL);
	ktest_log_mark();
	vfree(p + PAGE_SIZE);
	snprintf(want, sizeof(want), "vfree: %p is not the start of a vmalloc area; not freed",
		 p + PAGE_SIZE);
	KTEST_EXPECT_REPORT(t, want);
	snprintf(want, sizeof(want), "%p: 4096 bytes into the area at %p (8192 bytes)",
		 p + PAGE_SIZE, p);
	KTEST_EXPECT_REPORT(t, want);
	KTEST_EXPECT_REPORT(t, "caller: vfree_bad_address_reported+");
	KTEST_EXPECT_TRUE(t, find_vm_area(p) != NULL);
	vfree(p);
	ktest_log_mark();
	vfree(p);
	KTEST_EXPECT_REPORT(t, "in no live area (freed already?)");
	vfree(NULL);
}

/* ---- ioremap -------------------------------------------------------------- */

static unsigned int attr_index(u64 desc)
{
	return (unsigned int)(desc >> 2) & 7;
}

/* The console UART of the device tree, mapped again with ioremap: Device memory that answers. */
static void ioremap_uart_is_device(struct ktest *t)
{
	const void *fdt = boot_info.fdt;
	const struct uart_driver *drv = NULL;
	struct uart_port port = { 0 };
	struct vm_struct *vm;
	u64 addr, size, phys, desc;
	u32 val;
	int node;

	if (!fdt || (node = dt_stdout_node(fdt, NULL)) < 0)
		ktest_skip(t, "no stdout-path UART in the device tree");
	if (!fdt_node_check_compatible(fdt, node, pl011_driver.compatible))
		drv = &pl011_driver;
	else if (!fdt_node_check_compatible(fdt, node, dw8250_driver.compatible))
		drv = &dw8250_driver;
	if (!drv || dt_reg(fdt, node, 0, &addr, &size) || dt_translate(fdt, node, addr, &phys))
		ktest_skip(t, "stdout UART not one of ours");
	port.regshift = dt_u32(fdt, node, "reg-shift", &val) ? val : 0;
	port.iowidth = drv == &pl011_driver ? 4 : dt_u32(fdt, node, "reg-io-width", &val) ? val : 1;
	port.mapbase = phys;
	port.membase = ioremap(phys, 0x1000);
	KTEST_ASSERT_TRUE(t, port.membase != NULL);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr((const void *)port.membase));
	vm = find_vm_area((const void *)port.membase);
	KTEST_ASSERT_TRUE(t, vm != NULL);
	KTEST_EXPECT_EQ(t, vm->flags, (unsigned long)VM_IOREMAP);
	KTEST_EXPECT_EQ(t, vm->phys_addr, ALIGN_DOWN(phys, PAGE_SIZE));
	KTEST_ASSERT_TRUE(t, pte_of((const void *)port.membase, &desc));
	KTEST_EXPECT_EQ(t, desc & PTE_ADDR_MASK, ALIGN_DOWN(phys, PAGE_SIZE));
	KTEST_EXPECT_EQ(t, attr_index(desc), (unsigned int)MT_DEVICE_nGnRE);
	KTEST_EXPECT_TRUE(t, (desc & PTE_PXN) && (desc & PTE_UXN));	/* never executable */
	KTEST_EXPECT_TRUE(t, desc & PTE_AF);
	KTEST_EXPECT_FALSE(t, desc & PTE_AP_RO);
	/* Its ID registers read right through the new mapping. */
	KTEST_EXPECT_TRUE(t, drv->identify(&port));
	iounmap(port.membase);
	KTEST_EXPECT_FALSE(t, pte_of((const void *)port.membase, &desc));
	KTEST_EXPECT_TRUE(t, find_vm_area((const void *)port.membase) == NULL);
}

static void ioremap_wc_and_refusals(struct ktest *t)
{
	struct page *page = alloc_page(GFP_KERNEL);
	phys_addr_t ram;
	u8 *p;
	u64 desc;

	KTEST_ASSERT_TRUE(t, page != NULL);
	ram = (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
	ktest_log_mark();
	KTEST_EXPECT_TRUE(t, ioremap(ram, PAGE_SIZE) == NULL);
	KTEST_EXPECT_REPORT(t, "is RAM; not mapped");
	__free_page(page);
	KTEST_EXPECT_TRUE(t, ioremap(0x09000000, 0) == NULL);
	/* A range with no RAM (beyond any of it), write-combining, not page aligned. */
	p = ioremap_wc(((phys_addr_t)1 << 40) + 0x123, 3 * PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, (unsigned long)p & (PAGE_SIZE - 1), 0x123ul);
	KTEST_EXPECT_EQ(t, find_vm_area(p)->size, 5 * PAGE_SIZE);	/* 4 pages and the guard */
	KTEST_ASSERT_TRUE(t, pte_of(p, &desc));
	KTEST_EXPECT_EQ(t, attr_index(desc), (unsigned int)MT_NORMAL_NC);
	KTEST_EXPECT_TRUE(t, (desc & PTE_PXN) && (desc & PTE_UXN));
	iounmap(p);
	KTEST_EXPECT_TRUE(t, find_vm_area(p) == NULL);
}

/* ---- kvmalloc ------------------------------------------------------------- */

static void kvmalloc_decides(struct ktest *t)
{
	u8 *p;

	p = kvmalloc(100, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_FALSE(t, is_vmalloc_addr(p));
	kvfree(p);
	p = kvmalloc(2 * PAGE_SIZE, GFP_KERNEL);	/* kmalloc can: it does */
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_FALSE(t, is_vmalloc_addr(p));
	kvfree(p);
	p = kvzalloc(8 * 1024 * 1024, GFP_KERNEL);	/* beyond kmalloc's largest block */
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(p));
	KTEST_EXPECT_EQ(t, p[8 * 1024 * 1024 - 1], 0);
	kvfree(p);
	/* No vmalloc fallback for a request that may not sleep. */
	KTEST_EXPECT_TRUE(t, kvmalloc(8 * 1024 * 1024, GFP_ATOMIC | __GFP_NOWARN) == NULL);
	KTEST_EXPECT_TRUE(t, kvmalloc((size_t)INT_MAX + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	kvfree(NULL);
}

/* ---- vmallocinfo ---------------------------------------------------------- */

static int first_node(void)
{
	int nid;

	for_each_online_node(nid)
		return nid;
	return 0;
}

static void vmallocinfo_lines(struct ktest *t)
{
	u8 *v = __vmalloc_node(3 * PAGE_SIZE, 1, GFP_KERNEL | __GFP_THISNODE, first_node(),
			       TEST_CALLER);
	struct page *pages[2] = { alloc_page(GFP_KERNEL), alloc_page(GFP_KERNEL) };
	u8 *m = pages[0] && pages[1] ? vmap(pages, 2, 0, PAGE_KERNEL) : NULL;
	u8 *io = ioremap(((phys_addr_t)1 << 40) + 0x10, 0x20);
	u64 off, sym_size;
	char line[200];

	KTEST_ASSERT_TRUE(t, v && m && io);
	KTEST_ASSERT_TRUE(t, kallsyms_lookup((u64)vmalloc_test_caller, &off, &sym_size) != NULL);
	ktest_log_mark();
	print_vmallocinfo();
	snprintf(line, sizeof(line),
		 "0x%016lx-0x%016lx   16384 vmalloc_test_caller+0x0/0x%llx pages=3 vmalloc N%d=3",
		 (unsigned long)v, (unsigned long)v + 4 * PAGE_SIZE, (unsigned long long)sym_size,
		 first_node());
	KTEST_EXPECT_REPORT(t, line);
	snprintf(line, sizeof(line), "0x%016lx-0x%016lx   12288 vmallocinfo_lines+",
		 (unsigned long)m, (unsigned long)m + 3 * PAGE_SIZE);
	KTEST_EXPECT_REPORT(t, line);
	snprintf(line, sizeof(line), "0x%016lx-0x%016lx    8192 vmallocinfo_lines+",
		 (unsigned long)io & ~(PAGE_SIZE - 1), ((unsigned long)io & ~(PAGE_SIZE - 1)) + 2 * PAGE_SIZE);
	KTEST_EXPECT_REPORT(t, line);
	KTEST_EXPECT_REPORT(t, " phys=0x0000010000000000 ioremap");
	vfree(v);
	vunmap(m);
	iounmap(io);
	__free_page(pages[0]);
	__free_page(pages[1]);
}

KTEST_SUITE(vmalloc, KTEST_CASE(vmalloc_area_fields), KTEST_CASE(vmalloc_scattered),
	    KTEST_CASE(vzalloc_zeroes), KTEST_CASE(vmalloc_node_places),
	    KTEST_CASE(vmalloc_32_below_4g), KTEST_CASE(vmalloc_alignments),
	    KTEST_CASE(guard_after_vmalloc), KTEST_CASE(guard_after_vmap),
	    KTEST_CASE(guard_after_kvmalloc), KTEST_CASE(read_after_vfree),
	    KTEST_CASE(vfree_from_interrupt_deferred), KTEST_CASE(vmalloc_from_interrupt_refused),
	    KTEST_CASE(vfree_bad_address_reported),
	    KTEST_CASE(ioremap_uart_is_device), KTEST_CASE(ioremap_wc_and_refusals),
	    KTEST_CASE(kvmalloc_decides), KTEST_CASE(vmallocinfo_lines));
