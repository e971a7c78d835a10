# ThreadSanitizer binaries: mk64/spinlock.h under real threads, a CPU per
# thread (tests/host/tsan/). TSan cannot share a binary with ASan, so they
# are binaries of their own, with only the threaded suites and what ktest
# needs; lib/ files renamed as in the ASan binary (mk/host.mk).
# ktest-tsan: the lock as build/Image has it. ktest-tsan-debug: built with
# -DCONFIG_DEBUG_SPINLOCK, the same suite through lock debugging, then
# lock debugging's own reports with the other CPU a real thread.

TSAN_OUT := $(BUILD)/host-tsan
TSAN_BIN := $(TSAN_OUT)/ktest-tsan
TSAN_DEBUG_BIN := $(TSAN_OUT)/ktest-tsan-debug
TSAN_SANITIZE := -fsanitize=thread
TSAN_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror $(TSAN_SANITIZE) -fno-builtin \
	-DMK64_HOST -DMK64_HOST_THREADS -Itests/host/tsan/include -Itests/host/include -Iinclude \
	-MMD -MP
# Suites run in link order: the lock's own first.
TSAN_SRCS := tests/ktest.c lib/string.c lib/vsprintf.c lib/glob.c tests/host/kallsyms.c \
	tests/host/clock.c tests/host/tsan/main.c tests/host/tsan/test_spinlock_threads.c
TSAN_DEBUG_SRCS := $(TSAN_SRCS) kernel/spinlock_debug.c tests/host/tsan/test_spinlock_debug_threads.c
TSAN_OBJS := $(patsubst %.c,$(TSAN_OUT)/obj/%.o,$(TSAN_SRCS))
TSAN_DEBUG_OBJS := $(patsubst %.c,$(TSAN_OUT)/debug-obj/%.o,$(TSAN_DEBUG_SRCS))

$(TSAN_OUT)/obj/tests/host/tsan/main.o $(TSAN_OUT)/debug-obj/tests/host/tsan/main.o \
$(TSAN_OUT)/obj/tests/host/clock.o $(TSAN_OUT)/debug-obj/tests/host/clock.o: HOST_RENAME :=
$(TSAN_OUT)/obj/lib/string.o $(TSAN_OUT)/debug-obj/lib/string.o: \
	TSAN_CFLAGS += -fno-tree-loop-distribute-patterns
$(TSAN_OUT)/debug-obj/%.o: TSAN_CFLAGS += -DCONFIG_DEBUG_SPINLOCK

# Two rules: one pattern rule with two targets would mean one run makes both.
$(TSAN_OUT)/obj/%.o: %.c mk/tsan.mk | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,TSANCC,$<)
	$(Q)$(HOST_CC) $(TSAN_CFLAGS) $(HOST_RENAME) -c $< -o $@
$(TSAN_OUT)/debug-obj/%.o: %.c mk/tsan.mk | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,TSANCC,$< [debug-spinlock])
	$(Q)$(HOST_CC) $(TSAN_CFLAGS) $(HOST_RENAME) -c $< -o $@

$(TSAN_BIN): $(TSAN_OBJS)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(TSAN_SANITIZE) -o $@ $(TSAN_OBJS) -lpthread
$(TSAN_DEBUG_BIN): $(TSAN_DEBUG_OBJS)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(TSAN_SANITIZE) -o $@ $(TSAN_DEBUG_OBJS) -lpthread

TEST_DEPS += $(TSAN_BIN) $(TSAN_DEBUG_BIN)

-include $(TSAN_OBJS:.o=.d) $(TSAN_DEBUG_OBJS:.o=.d)
