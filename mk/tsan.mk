# ThreadSanitizer binary: mk64/spinlock.h under real threads, a CPU per
# thread (tests/host/tsan/). TSan cannot share a binary with ASan, so it
# is a binary of its own, with only the threaded suites and what ktest
# needs; lib/ files renamed as in the ASan binary (mk/host.mk).

TSAN_OUT := $(BUILD)/host-tsan
TSAN_BIN := $(TSAN_OUT)/ktest-tsan
TSAN_SANITIZE := -fsanitize=thread
TSAN_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror $(TSAN_SANITIZE) -fno-builtin \
	-DMK64_HOST -DMK64_HOST_THREADS -Itests/host/tsan/include -Itests/host/include -Iinclude \
	-MMD -MP
TSAN_SRCS := tests/ktest.c lib/string.c lib/vsprintf.c lib/glob.c tests/host/kallsyms.c \
	$(wildcard tests/host/tsan/*.c)
TSAN_OBJS := $(patsubst %.c,$(TSAN_OUT)/obj/%.o,$(TSAN_SRCS))

$(TSAN_OUT)/obj/tests/host/tsan/main.o: HOST_RENAME :=
$(TSAN_OUT)/obj/lib/string.o: TSAN_CFLAGS += -fno-tree-loop-distribute-patterns

$(TSAN_OUT)/obj/%.o: %.c mk/tsan.mk | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,TSANCC,$<)
	$(Q)$(HOST_CC) $(TSAN_CFLAGS) $(HOST_RENAME) -c $< -o $@

$(TSAN_BIN): $(TSAN_OBJS)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(TSAN_SANITIZE) -o $@ $(TSAN_OBJS) -lpthread

TEST_DEPS += $(TSAN_BIN)

-include $(TSAN_OBJS:.o=.d)
