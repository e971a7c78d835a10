# Sourced by bench.sh and bench-linux.sh: the one emulator setting both
# kernels are measured on. -icount shift=0,sleep=off: one guest instruction
# is one nanosecond of guest time, exact from run to run; a fixed device
# tree (no random seed in it) and a fixed clock for the RTC.
# Usage: bench_qemu CPU MEM KERNEL APPEND [QEMU ARGS...]
bench_qemu() {
	local cpu=$1 mem=$2 kernel=$3 append=$4
	shift 4
	qemu-system-aarch64 -M virt,dtb-randomness=off -cpu "$cpu" -m "$mem" -nographic \
		-no-reboot -nic none -icount shift=0,sleep=off \
		-rtc base=2024-01-01T00:00:00,clock=vm -kernel "$kernel" \
		-append "$append" "$@" </dev/null
}
