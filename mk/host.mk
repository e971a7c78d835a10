# Host test binary: lib/ and the portable test suites built for the host
# with ASan and UBSan, run by `make test` next to the kernel's own run.
# tests/host/rename.h renames our libc-named functions so they are tested
# instead of the C library's; tests/host/main.c is the libc-side runner.

HOST_CC := cc
HOST_OUT := $(BUILD)/host
HOST_BIN := $(HOST_OUT)/ktest-host
HOST_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
# tests/host/include comes first: its <asm/*.h> stand in for the arm64 ones
# (the interrupt mask and spin-wait hints) in user space.
HOST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror $(HOST_SANITIZE) \
	-fno-builtin -DMK64_HOST -Itests/host/include -Iinclude -MMD -MP
HOST_RENAME := -include tests/host/rename.h

# The kernel-only parts of mm/: the GFP API, the per-CPU lists, the failure
# report and reclaim reach pages through the linear map and print stacks;
# SLUB's shrinker registers with that reclaim; kmap and vmalloc edit the
# kernel's own page tables.
HOST_KERNEL_ONLY := mm/gfp.c mm/pcp.c mm/show_mem.c mm/vmscan.c mm/slub_shrink.c mm/highmem.c \
	mm/vmalloc.c mm/vmalloc_report.c mm/kvmalloc.c
# tests/host/vmemmap.c is the host's vmemmap (mk64/mmzone.h's arch hooks),
# tests/host/pages.c the page allocator API SLUB uses.
# Other tests/host/*.c files are stand-alone tools with a main() of their own.
HOST_SRCS := $(filter-out $(HOST_KERNEL_ONLY),$(wildcard lib/*.c mm/*.c)) tests/ktest.c tests/ktest_slab.c \
	kernel/task.c tests/fixture.c $(wildcard tests/lib/*.c) tests/host/main.c tests/host/clock.c tests/host/cpu.c \
	tests/host/vmemmap.c tests/host/pages.c tests/host/kallsyms.c \
	$(wildcard tests/host/test_*.c)
HOST_OBJS := $(patsubst %.c,$(HOST_OUT)/obj/%.o,$(HOST_SRCS))

$(HOST_OUT)/obj/tests/host/main.o $(HOST_OUT)/obj/tests/host/clock.o: HOST_RENAME :=
# As in the kernel build (Makefile): no memcpy/memset calls inside them.
$(HOST_OUT)/obj/lib/string.o: HOST_CFLAGS += -fno-tree-loop-distribute-patterns

$(HOST_OUT)/obj/%.o: %.c mk/host.mk | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,HOSTCC,$<)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(HOST_RENAME) -c $< -o $@

$(HOST_BIN): $(HOST_OBJS)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(HOST_SANITIZE) -o $@ $(HOST_OBJS) -lfdt

host-tests: $(HOST_BIN)
TEST_DEPS += $(HOST_BIN)

-include $(HOST_OBJS:.o=.d)
