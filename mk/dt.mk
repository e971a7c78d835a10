# ---- device-tree helpers: reference blobs, oracle tool, fuzzer ----------------
# `make dtbs` writes the blobs to build/dtb/: QEMU virt's own trees and the
# RockPI 4A's (scripts/dump-qemu-dtbs.sh) and tests/dts/*.dts compiled.
# `make dt-oracle` compares build/host/dt_dump's view of each blob with what
# tests/host/test_dt_oracle.py derives from dtc (KTAP, one result per blob).
# `make fuzz` runs the libFuzzer target for FUZZ_SECONDS; `make fuzz-short`
# runs it for 20 s and prints one KTAP result. Crash inputs land in
# build/fuzz/, the growing corpus in build/fuzz/corpus/.

DT_FUZZ_CC := clang
DTB_DIR := $(BUILD)/dtb
DT_OBJ := $(BUILD)/host/dt
DT_DUMP := $(BUILD)/host/dt_dump
FDT_FUZZ := $(BUILD)/host/fdt_fuzz
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SECONDS ?= 300
FUZZ_SHORT_SECONDS := 20

# The helpers and what they call, built as for the host unit tests
# (mk/host.mk: sanitizers, our libc-named functions renamed); the tools'
# own sources use the C library's.
DT_LIB_SRCS := lib/dt.c lib/string.c lib/vsprintf.c
FUZZ_SANITIZE := -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all

DT_DUMP_OBJS := $(patsubst %.c,$(HOST_OUT)/obj/%.o,tests/host/dt_dump.c $(DT_LIB_SRCS))
FDT_FUZZ_OBJS := $(patsubst %.c,$(DT_OBJ)/fuzz/%.o,tests/fuzz/fdt_fuzz.c $(DT_LIB_SRCS))

$(HOST_OUT)/obj/tests/host/dt_dump.o $(DT_OBJ)/fuzz/tests/%.o: HOST_RENAME :=

$(DT_OBJ)/fuzz/%.o: %.c mk/dt.mk | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,FUZZCC,$<)
	$(Q)$(DT_FUZZ_CC) $(filter-out $(HOST_SANITIZE),$(HOST_CFLAGS)) $(FUZZ_SANITIZE) \
		$(HOST_RENAME) -c $< -o $@

$(DT_DUMP): $(DT_DUMP_OBJS)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(HOST_SANITIZE) -o $@ $^ -lfdt

$(FDT_FUZZ): $(FDT_FUZZ_OBJS)
	$(call msg,FUZZLD,$@)
	$(Q)$(DT_FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ -lfdt

-include $(FDT_FUZZ_OBJS:.o=.d)

# ---- blobs --------------------------------------------------------------------
DTB_STAMP := $(DTB_DIR)/.dumped
DTS_DTBS := $(patsubst tests/dts/%.dts,$(DTB_DIR)/%.dtb,$(wildcard tests/dts/*.dts))

$(DTB_STAMP): scripts/dump-qemu-dtbs.sh | $(SETUP_STAMP)
	bash $< $(DTB_DIR)
	@touch $@

# Some of these trees are wrong on purpose: dtc's warnings are expected.
$(DTB_DIR)/%.dtb: tests/dts/%.dts | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,DTC,$<)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

dtbs: $(DTB_STAMP) $(DTS_DTBS)

# Fuzzing seeds: the blobs repacked to their content (QEMU pads to 1 MiB),
# leaving out those dtc cannot read (build/dtb also holds broken ones).
FUZZ_SEEDS := $(FUZZ_DIR)/seeds/.stamp
$(FUZZ_SEEDS): $(DTB_STAMP) $(DTS_DTBS)
	@rm -rf $(@D) && mkdir -p $(@D)
	@for f in $(DTB_DIR)/*.dtb; do \
		dtc -q -I dtb -O dtb -o $(@D)/$${f##*/} $$f 2>/dev/null || \
			rm -f $(@D)/$${f##*/}; \
	done
	@touch $@

# ---- checks -------------------------------------------------------------------
.PHONY: dt-oracle fuzz-short

dt-oracle: $(DT_DUMP) dtbs
	@python3 tests/host/test_dt_oracle.py --build $(BUILD)

# -timeout: an input that takes 10 s is a hang, and fails the run.
FUZZ_RUN = $(FDT_FUZZ) -timeout=10 -artifact_prefix=$(FUZZ_DIR)/ \
	$(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds

fuzz: $(FDT_FUZZ) $(FUZZ_SEEDS)
	@mkdir -p $(FUZZ_DIR)/corpus
	$(FUZZ_RUN) -max_total_time=$(FUZZ_SECONDS)

fuzz-short: $(FDT_FUZZ) $(FUZZ_SEEDS)
	@mkdir -p $(FUZZ_DIR)/corpus
	@echo "KTAP version 1"; echo "1..1"; \
	if $(FUZZ_RUN) -max_total_time=$(FUZZ_SHORT_SECONDS) \
			>$(FUZZ_DIR)/short.log 2>&1; then \
		sed -n 's/^Done /# fdt_fuzz: /p' $(FUZZ_DIR)/short.log; \
		echo "ok 1 fdt_fuzz"; \
	else \
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written|Deadly' \
			$(FUZZ_DIR)/short.log | head -20 | sed 's/^/# /'; \
		echo "# full log: $(FUZZ_DIR)/short.log"; \
		echo "not ok 1 fdt_fuzz"; exit 1; \
	fi

TEST_DEPS += $(DT_DUMP) $(FDT_FUZZ) $(DTB_STAMP) $(DTS_DTBS) $(FUZZ_SEEDS)

# QEMU virt's tree for 2 GiB plus the buses of tests/dts/dma-ranges-overlay.dtsi
# (the virt-dma-ranges config).
VIRT_DMA_DTB := $(DTB_DIR)/virt-dma-ranges.dtb
$(VIRT_DMA_DTB): tests/dts/dma-ranges-overlay.dtsi mk/dt.mk | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,DTB,$@)
	$(Q)$(QEMU) -M virt,dumpdtb=$@.base,dtb-randomness=off -cpu cortex-a53 -m 2G \
		-nographic -nic none </dev/null >/dev/null 2>&1
	$(Q){ dtc -q -I dtb -O dts $@.base && cat $<; } | dtc -q -I dts -O dtb -o $@ -
	$(Q)rm -f $@.base

TEST_DEPS += $(VIRT_DMA_DTB)

# QEMU virt's trees with /memory amended to leave holes (the virt-holes and
# virt-numa-holes configs); the QEMU options must match the configs'.
HOLES_DTB := $(DTB_DIR)/virt-holes.dtb
NUMA_HOLES_DTB := $(DTB_DIR)/virt-numa-holes.dtb
$(HOLES_DTB): tests/dts/holes-overlay.dtsi scripts/mk-overlay-dtb.sh | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,DTB,$@)
	$(Q)scripts/mk-overlay-dtb.sh $@ $< -cpu cortex-a72 -m 8G
$(NUMA_HOLES_DTB): tests/dts/numa-holes-overlay.dtsi scripts/mk-overlay-dtb.sh | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,DTB,$@)
	$(Q)scripts/mk-overlay-dtb.sh $@ $< -cpu cortex-a53 -smp 4 -m 2G

BOOT_STUB := $(DTB_DIR)/boot-stub.bin
$(BOOT_STUB): tests/dts/boot-stub.S | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,AS,$<)
	$(Q)$(CC) -c -o $(@:.bin=.o) $<
	$(Q)$(OBJCOPY) -O binary $(@:.bin=.o) $@

TEST_DEPS += $(HOLES_DTB) $(NUMA_HOLES_DTB) $(BOOT_STUB)

# QEMU virt's tree at EL2 (virtualization=on, 1 GiB, cortex-a72) with /psci
# saying "hvc" (tests/dts/psci-hvc-overlay.dtsi; the virt-el2-psci-hvc config).
PSCI_HVC_DTB := $(DTB_DIR)/virt-el2-psci-hvc.dtb
$(PSCI_HVC_DTB): tests/dts/psci-hvc-overlay.dtsi scripts/mk-overlay-dtb.sh | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,DTB,$@)
	$(Q)scripts/mk-overlay-dtb.sh $@ $< -M virtualization=on -cpu cortex-a72 -m 1G

TEST_DEPS += $(PSCI_HVC_DTB)

# QEMU virt's tree for -smp 4 with a cpu node no CPU answers to
# (tests/dts/missing-cpu-overlay.dtsi; the virt-missing-cpu config).
MISSING_CPU_DTB := $(DTB_DIR)/virt-missing-cpu.dtb
$(MISSING_CPU_DTB): tests/dts/missing-cpu-overlay.dtsi scripts/mk-overlay-dtb.sh | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(call msg,DTB,$@)
	$(Q)scripts/mk-overlay-dtb.sh $@ $< -cpu cortex-a53 -smp 4 -m 512M

TEST_DEPS += $(MISSING_CPU_DTB)
