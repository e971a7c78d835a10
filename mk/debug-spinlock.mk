# ---- the kernel with lock debugging -------------------------------------------
# build/debug-spinlock/Image: every kernel source (and the debug-only ones,
# kernel/spinlock_debug.c and its suite) built with -DCONFIG_DEBUG_SPINLOCK,
# so that spin_lock() and friends go through mk64/spinlock_debug.h's checks;
# the virt-debug-spinlock config boots it. build/Image never has them: its
# lock fast paths stay the bare ticket lock.

DEBUG_SPINLOCK_OUT := $(BUILD)/debug-spinlock
DEBUG_SPINLOCK_IMAGE := $(DEBUG_SPINLOCK_OUT)/Image
DEBUG_SPINLOCK_OBJS := $(patsubst %,$(DEBUG_SPINLOCK_OUT)/kernel/%.o,$(KERNEL_SRCS) $(DEBUG_SPINLOCK_SRCS))
DEBUG_SPINLOCK_OBJ_LIST := $(DEBUG_SPINLOCK_OUT)/kernel/objects

$(DEBUG_SPINLOCK_OUT)/kernel/lib/string.c.o: KCFLAGS += -fno-tree-loop-distribute-patterns

$(DEBUG_SPINLOCK_OUT)/kernel/%.c.o: %.c | $(SETUP_STAMP) $(VERSION_H)
	@mkdir -p $(@D)
	$(call msg,CC,$< [debug-spinlock])
	$(Q)$(CC) $(KCFLAGS) -DCONFIG_DEBUG_SPINLOCK -c $< -o $@
$(DEBUG_SPINLOCK_OUT)/kernel/%.S.o: %.S | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,AS,$< [debug-spinlock])
	$(Q)$(CC) $(KCFLAGS) -DCONFIG_DEBUG_SPINLOCK -D__ASSEMBLY__ -c $< -o $@

$(DEBUG_SPINLOCK_OBJ_LIST): FORCE
	@mkdir -p $(@D)
	@echo $(DEBUG_SPINLOCK_OBJS) > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

$(DEBUG_SPINLOCK_OUT)/mk64.elf: $(DEBUG_SPINLOCK_OBJS) $(DEBUG_SPINLOCK_OBJ_LIST) linker.ld \
		$(LIBFDT_A) scripts/mkkallsyms.sh scripts/mkkallsyms.py
	$(call msg,LD,$@)
	$(Q)CC="$(CC)" NM="$(NM)" scripts/mkkallsyms.sh $@ \
		$(CC) $(KLDFLAGS) $(DEBUG_SPINLOCK_OBJS) $(LIBFDT_A)
$(DEBUG_SPINLOCK_IMAGE): $(DEBUG_SPINLOCK_OUT)/mk64.elf
	$(call msg,OBJCOPY,$@)
	$(Q)$(OBJCOPY) -O binary $< $@
	@scripts/check-image.sh $@ $<

TEST_DEPS += $(DEBUG_SPINLOCK_IMAGE)

-include $(DEBUG_SPINLOCK_OBJS:.o=.d)
