# mk64 boot script, run by U-Boot's distro boot from the bootable FAT
# partition of build/rockpi4a-sd.img (boot.scr = mkimage -T script of this).
# The same script boots the RockPI 4A (RK3399) and QEMU virt.
#
# Kernel command line: bootargs = the board's ${bootargs} (normally unset)
# followed by ${mk64_args}. mk64_args comes from the U-Boot environment:
#   - QEMU: the pflash environment image, scripts/mkubootenv.sh OUT "ARGS";
#   - board: "setenv mk64_args ARGS; saveenv" at the U-Boot prompt;
#   - either: an optional uEnv.txt on this partition, lines of name=value
#     imported with "env import -t" (so it wins), e.g.
#         mk64_args=ktest.filter=dt.*
# (U-Boot on the board has no setexpr, so a raw cmdline file can't be read.)

echo "mk64: boot script on ${devtype} ${devnum}:${distro_bootpart}"

# Scratch buffer for uEnv.txt: ramdisk_addr_r is unused (no initrd).
if test -e ${devtype} ${devnum}:${distro_bootpart} uEnv.txt; then
	if load ${devtype} ${devnum}:${distro_bootpart} ${ramdisk_addr_r} uEnv.txt; then
		echo "mk64: importing uEnv.txt"
		env import -t -r ${ramdisk_addr_r} ${filesize}
	fi
fi

if test -n "${mk64_args}"; then
	if test -n "${bootargs}"; then
		setenv bootargs "${bootargs} ${mk64_args}"
	else
		setenv bootargs "${mk64_args}"
	fi
fi
echo "mk64: bootargs=${bootargs}"

# Device tree. RK3399 (RockPI): U-Boot's own ${fdtfile} names the 4B, so
# load the 4A tree shipped next to Image. QEMU: no fdt_addr_r; the
# emulator's tree is already in RAM at ${fdt_addr}. The "x" guards against
# an unset soc. Note: U-Boot's hush takes an apostrophe inside "..." as a
# quote, so strings here must not contain one.
setenv mk64_fdt
if test "x${soc}" = "xrk3399"; then
	if load ${devtype} ${devnum}:${distro_bootpart} ${fdt_addr_r} rk3399-rock-pi-4a.dtb; then
		setenv mk64_fdt ${fdt_addr_r}
	fi
elif test -n "${fdt_addr}"; then
	setenv mk64_fdt ${fdt_addr}
else
	echo "mk64: unknown board, passing the U-Boot control device tree"
	setenv mk64_fdt ${fdtcontroladdr}
fi

if test -n "${mk64_fdt}"; then
	if load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} Image; then
		booti ${kernel_addr_r} - ${mk64_fdt}
	fi
fi
echo "mk64: boot failed"
