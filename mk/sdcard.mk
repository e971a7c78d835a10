# ---- RockPI 4A SD card, also booted by QEMU's U-Boot ------------------------
# `make sdcard` builds build/rockpi4a-sd.img (layout: scripts/mksdcard.sh);
# `make run-uboot` boots it in QEMU through Debian's U-Boot, like `make run`.
# build/uboot-env.img is a pflash environment for that U-Boot: bootdelay=0.

SDCARD := $(BUILD)/rockpi4a-sd.img
BOOT_SCR := $(BUILD)/boot.scr
UBOOT_ENV := $(BUILD)/uboot-env.img
ROCKPI_FILES := $(addprefix $(UBOOT_ROCKPI)/,idbloader.img u-boot.itb \
	rk3399-rock-pi-4a.dtb)

# Timestamps in boot.scr and the FAT come from the last commit, so the same
# tree gives the same image; with no commit yet they are the build time.
SDCARD_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null)
SDCARD_ENV := $(if $(SDCARD_EPOCH),SOURCE_DATE_EPOCH=$(SDCARD_EPOCH))

.PHONY: run-uboot

# The package files appear when scripts/setup.sh unpacks u-boot-rockchip.
$(ROCKPI_FILES): | $(SETUP_STAMP)

$(BOOT_SCR): boot/boot.cmd mk/sdcard.mk | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(SDCARD_ENV) mkimage -A arm64 -O linux -T script -C none \
		-n "mk64 boot script" -d $< $@ >/dev/null

# The checks' KTAP log is kept; shown (and the image deleted) on failure.
$(SDCARD): $(BUILD)/Image $(BOOT_SCR) $(ROCKPI_FILES) scripts/mksdcard.sh \
		scripts/check-sdcard.sh
	$(SDCARD_ENV) scripts/mksdcard.sh $@ $(BUILD)/Image $(UBOOT_ROCKPI) $(BOOT_SCR)
	@scripts/check-sdcard.sh $@ $(BUILD)/Image $(UBOOT_ROCKPI) boot/boot.cmd \
		> $@.check.log || { cat $@.check.log; rm -f $@; exit 1; }
sdcard: $(SDCARD)

$(UBOOT_ENV): scripts/mkubootenv.sh $(UBOOT_QEMU)
	scripts/mkubootenv.sh $@

TEST_DEPS += $(SDCARD) $(UBOOT_ENV)

# APPEND becomes mk64_args in a throw-away environment, which boot.scr adds
# to bootargs. snapshot=on: the image is never written, even by `saveenv`.
UBOOT_RUN_ENV = $(if $(APPEND),$(BUILD)/uboot-env-append.img,$(UBOOT_ENV))
UBOOT_QEMU_ARGS = -M virt -cpu $(QEMU_CPU) -m $(QEMU_MEM) -nographic \
	-no-reboot -nic none -bios $(UBOOT_QEMU) \
	-drive if=pflash,unit=1,format=raw,file=$(UBOOT_RUN_ENV),readonly=on \
	-drive if=none,file=$(SDCARD),format=raw,id=hd0,snapshot=on \
	-device virtio-blk-device,drive=hd0

run-uboot: $(SDCARD) $(UBOOT_ENV)
	$(if $(APPEND),scripts/mkubootenv.sh $(UBOOT_RUN_ENV) "mk64_args=$(APPEND)")
	$(QEMU) $(UBOOT_QEMU_ARGS) </dev/null
