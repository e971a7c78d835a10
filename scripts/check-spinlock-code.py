#!/usr/bin/env python3
"""check-spinlock-code.py BUILD: the ticket lock's code is what
mk64/spinlock.h and asm/spinlock.h mean it to be on ARMv8.0, as KTAP.

Disassembles BUILD/mk64.elf (the default kernel):
1. spinlock_probe_lock (tests/kernel/test_spinlock.c, a bare
   arch_spin_lock()): the ticket taken by one LDAXR/ADD #0x10000/STXR loop
   that retries on a failed store; a wait of SEVL, then WFE, LDAXRH of the
   owner half (offset 0 of the lock), CMP and B.NE back to the WFE; no call.
2. spinlock_probe_unlock: one STLRH (a halfword store-release) of the owner
   half, no exclusive access, no barrier, no call.
3. every LDAXRH in the image is such a WFE wait (each lock's wait inlined
   where it is taken), and there is at least one per lock user.
4. no LSE atomic instruction anywhere in the image (the Cortex-A53 is
   ARMv8.0) and no outline-atomic helper (__aarch64_*): the kernel is built
   -mno-outline-atomics.
5. no lock debugging in it (do_raw_spin_lock and the other functions of
   kernel/spinlock_debug.c), while BUILD/debug-spinlock/mk64.elf has them
   all: debugging off costs the default kernel nothing.
Python 3 standard library.
"""
import re
import subprocess
import sys

OBJDUMP = "aarch64-linux-gnu-objdump"
LINE = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$")
FUNC = re.compile(r"^[0-9a-f]+ <([^>]+)>:$")
# LSE: LDADD/LDCLR/LDEOR/LDSET/LD{S,U}{MAX,MIN} (and their ST aliases),
# SWP, CAS, CASP, with any size and ordering suffix.
LSE = re.compile(r"^(ld(add|clr|eor|set|smax|smin|umax|umin)|st(add|clr|eor|set|smax|smin|umax|umin)"
                 r"|swp|casp?)(a|l|al)?(b|h)?$")


def disassemble(elf):
    out = subprocess.run([OBJDUMP, "-d", "--no-show-raw-insn", elf], check=True,
                         capture_output=True, text=True).stdout
    funcs, order, name = {}, [], None
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            name = m.group(1)
            funcs[name] = []
            continue
        m = LINE.match(line)
        if m and name:
            ops = m.group(3).split("//")[0].strip()
            insn = (int(m.group(1), 16), m.group(2), ops, name)
            funcs[name].append(insn)
            order.append(insn)
    return funcs, order


def target(ops):
    m = re.search(r"\b([0-9a-f]+) <", ops)
    return int(m.group(1), 16) if m else None


def wait_loop_at(insns, i):
    """Whether insns[i] (an LDAXRH) sits in SEVL; WFE; LDAXRH; CMP; B.NE WFE."""
    if i < 2 or i + 2 >= len(insns):
        return "too close to the function's edge"
    sevl, wfe, ld, cmp, bne = insns[i - 2:i + 3]
    if (sevl[1], wfe[1], cmp[1], bne[1]) != ("sevl", "wfe", "cmp", "b.ne"):
        return "not sevl/wfe/ldaxrh/cmp/b.ne: %s" % [x[1] for x in insns[i - 2:i + 3]]
    reg = ld[2].split(",")[0].strip()
    if not re.match(r"^\[x\d+\]$", ld[2].split(",", 1)[1].strip()):
        return "ldaxrh %s: not the lock's first halfword" % ld[2]
    if cmp[2].split(",")[0].strip() != reg:
        return "cmp %s does not test the loaded owner %s" % (cmp[2], reg)
    if target(bne[2]) != wfe[0]:
        return "b.ne goes to %s, not back to the wfe" % bne[2]
    return None


def check_lock(funcs):
    body = funcs.get("spinlock_probe_lock")
    if not body:
        return "spinlock_probe_lock not in the image"
    mn = [x[1] for x in body]
    if any(m in ("bl", "blr") for m in mn):
        return "calls out: %s" % mn
    lx = [i for i, x in enumerate(body) if x[1] == "ldaxr" and x[2].startswith("w")]
    sx = [i for i, x in enumerate(body) if x[1] == "stxr"]
    if len(lx) != 1 or len(sx) != 1 or not lx[0] < sx[0]:
        return "not one ldaxr/stxr pair for the ticket: %s" % mn
    between = body[lx[0]:sx[0] + 2]
    if not any(x[1] == "add" and "#0x10, lsl #12" in x[2] or x[1] == "add" and "#0x10000" in x[2]
               for x in between):
        return "no add of 0x10000 (one ticket) between ldaxr and stxr: %s" % between
    retry = body[sx[0] + 1]
    if retry[1] != "cbnz" or target(retry[2]) != body[lx[0]][0]:
        return "a failed stxr does not retry from the ldaxr: %s" % (retry,)
    waits = [i for i, x in enumerate(body) if x[1] == "ldaxrh"]
    if len(waits) != 1:
        return "%d ldaxrh, want the one wait" % len(waits)
    return wait_loop_at(body, waits[0])


def check_unlock(funcs):
    body = funcs.get("spinlock_probe_unlock")
    if not body:
        return "spinlock_probe_unlock not in the image"
    mn = [x[1] for x in body]
    if mn.count("stlrh") != 1:
        return "want one stlrh: %s" % mn
    bad = [m for m in mn if m in ("bl", "blr", "dmb", "dsb", "stlr", "stxr", "stlxr", "ldaxr",
                                  "ldxr", "stlxrh", "ldaxrh")]
    return "has %s: %s" % (bad, mn) if bad else None


def check_all_waits(funcs):
    count = 0
    for name, body in funcs.items():
        for i, x in enumerate(body):
            if x[1] == "ldaxrh":
                count += 1
                why = wait_loop_at(body, i)
                if why:
                    return "%s+%#x: %s" % (name, x[0] - body[0][0], why)
    return None if count > 1 else "only %d ldaxrh wait in the image" % count


def check_lse(order, funcs):
    lse = [x for x in order if LSE.match(x[1])]
    if lse:
        return "LSE instruction %s %s in %s" % (lse[0][1], lse[0][2], lse[0][3])
    helpers = [f for f in funcs if f.startswith("__aarch64_")]
    return "outline-atomic helpers linked: %s" % helpers if helpers else None


DEBUG_FUNCS = ("do_raw_spin_lock", "do_raw_spin_trylock", "do_raw_spin_unlock",
               "spin_debug_set_bound", "spin_debug_reports")


def check_debug_split(funcs, debug_funcs):
    found = [f for f in DEBUG_FUNCS if f in funcs]
    if found:
        return "the default image has %s" % found
    missing = [f for f in DEBUG_FUNCS if f not in debug_funcs]
    return "the debug image lacks %s" % missing if missing else None


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    funcs, order = disassemble(build + "/mk64.elf")
    debug_funcs, _ = disassemble(build + "/debug-spinlock/mk64.elf")
    cases = [("lock_ticket_then_wfe_wait", check_lock(funcs)),
             ("unlock_halfword_store_release", check_unlock(funcs)),
             ("every_ldaxrh_is_a_wfe_wait", check_all_waits(funcs)),
             ("no_lse_no_outline_atomics", check_lse(order, funcs)),
             ("lock_debugging_only_in_its_image", check_debug_split(funcs, debug_funcs))]
    print("KTAP version 1")
    print("1..%d" % len(cases))
    for i, (name, why) in enumerate(cases, 1):
        if why:
            print("# %s: %s" % (name, why))
        print("%s %d %s" % ("not ok" if why else "ok", i, name))
    return 1 if any(why for _, why in cases) else 0


if __name__ == "__main__":
    sys.exit(main())
