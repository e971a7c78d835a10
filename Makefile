# mk64 — build, run and test. `make run` and `make test` are all a user needs;
# both install what is missing first (scripts/setup.sh).

BUILD := build
DEPS := $(BUILD)/deps/root
CROSS ?= aarch64-linux-gnu-
CC := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
NM := $(CROSS)nm

LIBFDT_A := $(DEPS)/usr/lib/aarch64-linux-gnu/libfdt.a
LIBFDT_INC := $(DEPS)/usr/include
UBOOT_QEMU := /usr/lib/u-boot/qemu_arm64/u-boot.bin
UBOOT_ROCKPI := $(DEPS)/usr/lib/u-boot/rock-pi-4-rk3399
SETUP_STAMP := $(BUILD)/.setup-done

QEMU := qemu-system-aarch64
QEMU_CPU ?= cortex-a53
QEMU_MEM ?= 512M
APPEND ?=

.DEFAULT_GOAL := all

# Kbuild-style output: one "  CC  file" line per step; V=1 shows commands.
ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' '$(1)' '$(2)'
endif
.PHONY: all setup run test bench bench-linux bench-plots debug clean image sdcard dtbs \
	host-tests fuzz

# ---- set-up -----------------------------------------------------------------
# Re-run whenever the script changes; the script itself is idempotent.
$(SETUP_STAMP): scripts/setup.sh
	@bash scripts/setup.sh
	@mkdir -p $(@D) && touch $@
setup: $(SETUP_STAMP)
$(LIBFDT_A) $(UBOOT_QEMU): | $(SETUP_STAMP)

# ---- kernel -----------------------------------------------------------------
KERNEL_DIRS := boot arch/arm64 kernel mm lib drivers/serial drivers/irqchip drivers/timer tests tests/lib tests/kernel
# Built into build/debug-spinlock/Image only (mk/debug-spinlock.mk).
DEBUG_SPINLOCK_SRCS := kernel/spinlock_debug.c tests/kernel/test_spinlock_debug.c
KERNEL_SRCS := $(filter-out $(DEBUG_SPINLOCK_SRCS),$(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c $(d)/*.S)))
KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(KERNEL_SRCS))

ARCH_FLAGS := -march=armv8-a -mtune=cortex-a53 -mno-outline-atomics \
	-mfix-cortex-a53-835769 -mfix-cortex-a53-843419 -mgeneral-regs-only
KCFLAGS = -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-common \
	-fno-pic -fno-pie -fno-omit-frame-pointer -fstack-protector-strong \
	-mbranch-protection=none $(ARCH_FLAGS) -MMD -MP \
	-nostdinc -isystem include/libc -isystem $(shell $(CC) -print-file-name=include) \
	-Iinclude -I$(BUILD)/include -isystem $(LIBFDT_INC)
KLDFLAGS := -nostdlib -static -no-pie -Wl,-T,linker.ld -Wl,--build-id=none \
	-Wl,--fix-cortex-a53-843419 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

VERSION_H := $(BUILD)/include/generated/version.h

# GCC would compile the copy and fill loops of memcpy/memset into calls to
# themselves.
$(BUILD)/kernel/lib/string.c.o: KCFLAGS += -fno-tree-loop-distribute-patterns

$(BUILD)/kernel/%.c.o: %.c | $(SETUP_STAMP) $(VERSION_H)
	@mkdir -p $(@D)
	$(call msg,CC,$<)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@
$(BUILD)/kernel/%.S.o: %.S | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,AS,$<)
	$(Q)$(CC) $(KCFLAGS) -D__ASSEMBLY__ -c $< -o $@

# The version header changes only when its content does, so an unchanged
# tree does not rebuild. The date is the commit's, for reproducible images.
$(VERSION_H): FORCE
	@mkdir -p $(@D)
	@scripts/mkversion.sh "$(CC)" > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@
FORCE:

# Linked with its own symbol table, in three passes (scripts/mkkallsyms.sh).
# The object list as a file that changes only when the list does: removing a
# source file must relink too.
KERNEL_OBJ_LIST := $(BUILD)/kernel/objects
$(KERNEL_OBJ_LIST): FORCE
	@mkdir -p $(@D)
	@echo $(KERNEL_OBJS) > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

# The SIMD rule: exception entry saves no FP/SIMD register, so no code may
# use one. Our objects are built -mgeneral-regs-only; libgcc is not linked
# (kernel/compiler_rt.c has the helpers we need); CPACR_EL1.FPEN = 0 traps
# any FP/SIMD instruction at EL1 with an oops that says so. Debian's
# libfdt.a is built for user space: a few of its read-write functions
# (fdt_open_into, fdt_splice_mem_rsv_, fdt_appendprop_addrrange) use SIMD
# registers, so the kernel may call only the read-only and sequential-write
# API. scripts/check-simd.py (the simd-check test) fails when an FP/SIMD
# instruction appears in our objects or in any function of the image that
# our code can reach.
$(BUILD)/mk64.elf: $(KERNEL_OBJS) $(KERNEL_OBJ_LIST) linker.ld $(LIBFDT_A) \
		scripts/mkkallsyms.sh scripts/mkkallsyms.py
	$(call msg,LD,$@)
	$(Q)CC="$(CC)" NM="$(NM)" scripts/mkkallsyms.sh $@ \
		$(CC) $(KLDFLAGS) $(KERNEL_OBJS) $(LIBFDT_A)
$(BUILD)/Image: $(BUILD)/mk64.elf
	$(call msg,OBJCOPY,$@)
	$(Q)$(OBJCOPY) -O binary $< $@
	@scripts/check-image.sh $@ $<
image all: $(BUILD)/Image

-include $(KERNEL_OBJS:.o=.d)

# ---- QEMU -------------------------------------------------------------------
QEMU_ARGS = -M virt -cpu $(QEMU_CPU) -m $(QEMU_MEM) -nographic -no-reboot \
	-nic none -kernel $(BUILD)/Image $(if $(APPEND),-append "$(APPEND)")

run: $(BUILD)/Image
	$(QEMU) $(QEMU_ARGS) </dev/null

debug: $(BUILD)/Image
	@echo "Attach with: gdb-multiarch $(BUILD)/mk64.elf -ex 'target remote :1234'"
	$(QEMU) $(QEMU_ARGS) -S -gdb tcp::1234

bench: $(BUILD)/Image
	@scripts/bench.sh $(BUILD)/Image $(QEMU_CPU) "$(APPEND)"

# Debian's arm64 Linux on the same emulator setting, measured by our module
# (tests/linux/); `make bench` puts its figures beside ours.
bench-linux: | $(SETUP_STAMP)
	@scripts/bench-linux.sh $(QEMU_CPU)

# The README's plots (copies in docs/bench/) and table, redrawn from the
# figures of the last `make bench` and `make bench-linux`.
bench-plots: | $(SETUP_STAMP)
	@scripts/bench-plots.sh $(BUILD)/bench
	@mkdir -p docs/bench && cp $(BUILD)/bench/*.png docs/bench/
	@scripts/bench-table.sh $(BUILD)/bench > /dev/null
	@scripts/bench-readme.sh $(BUILD)/bench/table.txt README.md

# A tree QEMU accepts but the kernel must refuse (the bad-dtb config).
$(BUILD)/dtb/bad-nameoff.dtb: scripts/mk-bad-dtbs.py | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,DTB,$@)
	$(Q)$(QEMU) -M virt,dumpdtb=$@.good,dtb-randomness=off -cpu $(QEMU_CPU) -m 512M \
		-nographic -nic none </dev/null >/dev/null 2>&1
	$(Q)python3 $< $@.good $@
	$(Q)rm -f $@.good
TEST_DEPS += $(BUILD)/dtb/bad-nameoff.dtb

# QEMU's tree with every kind of reservation (the virt-reserved config).
$(BUILD)/dtb/virt-reserved.dtb: scripts/mk-reserved-dtb.sh tests/dts/reserved-overlay.dtsi \
		| $(SETUP_STAMP)
	$(call msg,DTB,$@)
	$(Q)mkdir -p $(@D) && scripts/mk-reserved-dtb.sh $@
TEST_DEPS += $(BUILD)/dtb/virt-reserved.dtb

# Order matters: dt.mk builds on host.mk.
include mk/host.mk mk/dt.mk mk/sdcard.mk mk/debug-spinlock.mk mk/tsan.mk

test: $(BUILD)/Image $(TEST_DEPS)
	@python3 scripts/ktest_runner.py --build $(BUILD) $(TEST_ARGS)

clean:
	rm -rf $(filter-out $(BUILD)/deps,$(wildcard $(BUILD)/*)) $(SETUP_STAMP)
