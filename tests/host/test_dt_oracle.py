#!/usr/bin/env python3
"""Checks lib/dt.c on real blobs against dtc and fdtdump as the oracle.

For every blob, build/host/dt_dump prints what the dt.h helpers return (the
line format is described in tests/host/dt_dump.c); this script derives the
same lines on its own from `dtc -I dtb -O dts` (tree and /memreserve/) and
`fdtdump` (header), then compares. A blob that dtc cannot read passes when
dt_check() refuses it too. Prints KTAP: one result per blob, the diff as "#"
lines on a mismatch; exits 1 when any blob fails.

usage: test_dt_oracle.py [--build DIR] [--dump TOOL] [BLOB...]
(default: every DIR/dtb/*.dtb, DIR defaulting to build/ of the repository)
"""
import argparse
import difflib
import glob
import os
import re
import subprocess
import sys

MAX_BANKS = 32     # DT_MAX_BANKS
MAX_RESERVED = 64  # DT_MAX_RESERVED


class DtError(Exception):
    """A libfdt error, named as fdt_strerror() names it."""

    def __init__(self, name):
        super().__init__(name)
        self.name = "FDT_ERR_" + name


class Node:
    def __init__(self, name, parent):
        self.name = name
        self.parent = parent
        self.props = []      # (name, bytes), blob order
        self.children = []
        if parent is None:
            self.path = "/"
        elif parent.parent is None:
            self.path = "/" + name
        else:
            self.path = parent.path + "/" + name

    def prop(self, name):
        for pname, value in self.props:
            if pname == name:
                return value
        return None

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


# ---- dts (as dtc writes it from a blob) -> tree ------------------------------

TOKEN = re.compile(r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:\\.|[^"\\])*")
  | (?P<cells><[^>]*>)
  | (?P<bytes>\[[^\]]*\])
  | (?P<keyword>/dts-v1/|/memreserve/)
  | (?P<punct>[{};=,])
  | (?P<word>[A-Za-z0-9,._+*#?@/-]+)
""", re.X | re.S)

ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13,
           "0": 0, "\\": 92, '"': 34, "'": 39}


def tokenize(text):
    pos = 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise ValueError("dts: cannot parse at %r" % text[pos:pos + 40])
        pos = m.end()
        if m.lastgroup != "space":
            yield m.lastgroup, m.group()


def unescape(literal):
    """dtc writes NUL as \\0 and other non-printables as \\xNN, never octal."""
    out = bytearray()
    s = literal[1:-1]
    i = 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out += c.encode("latin-1")
            i += 1
        elif s[i + 1] == "x":
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        else:
            out.append(ESCAPES[s[i + 1]])
            i += 2
    return bytes(out) + b"\0"


def value_bytes(kind, text):
    if kind == "string":
        return unescape(text)
    if kind == "cells":
        return b"".join(int(c, 0).to_bytes(4, "big") for c in text[1:-1].split())
    return bytes.fromhex(text[1:-1])


def parse_dts(text):
    toks = list(tokenize(text))
    pos = 0

    def take(kind=None, value=None):
        nonlocal pos
        k, v = toks[pos]
        if (kind and k != kind) or (value and v != value):
            raise ValueError("dts: expected %s %s, got %s %r" % (kind, value, k, v))
        pos += 1
        return v

    memreserve = []
    take("keyword", "/dts-v1/")
    take("punct", ";")
    while toks[pos] == ("keyword", "/memreserve/"):
        take()
        memreserve.append((int(take("word"), 0), int(take("word"), 0)))
        take("punct", ";")

    def node_body(node):
        while toks[pos] != ("punct", "}"):
            name = take("word")
            if toks[pos] == ("punct", "{"):
                take()
                child = Node(name, node)
                node.children.append(child)
                node_body(child)
                take("punct", "}")
                take("punct", ";")
                continue
            value = b""
            if toks[pos] == ("punct", "="):
                take()
                while True:
                    kind, text = toks[pos]
                    take()
                    value += value_bytes(kind, text)
                    if toks[pos] != ("punct", ","):
                        break
                    take()
            take("punct", ";")
            node.props.append((name, value))

    root = Node("", None)
    take("word", "/")
    take("punct", "{")
    node_body(root)
    take("punct", "}")
    take("punct", ";")
    return root, memreserve


# ---- the dt.h semantics, restated -------------------------------------------

def cstr(value):
    """dt_string(): the first string, if the value has a NUL at all."""
    if not value or b"\0" not in value:
        return None
    return value[:value.index(b"\0")]


def be(value):
    return int.from_bytes(value, "big")


def cells(node, name, default):
    value = node.prop(name)
    if value is None:
        return default
    if len(value) != 4 or be(value) not in (1, 2):
        raise DtError("BADNCELLS")
    return be(value)


def addr_cells(node):
    return cells(node, "#address-cells", 2)


def size_cells(node):
    return cells(node, "#size-cells", 1)


def entries(value, widths):
    """Splits value into tuples of big-endian numbers of widths cells each."""
    stride = 4 * sum(widths)
    if len(value) % stride:
        raise DtError("BADVALUE")
    out = []
    for off in range(0, len(value), stride):
        fields, p = [], off
        for w in widths:
            fields.append(be(value[p:p + 4 * w]))
            p += 4 * w
        out.append(tuple(fields))
    return out


def reg_entries(node, bus):
    na, ns = addr_cells(bus), size_cells(bus)
    return entries(node.prop("reg"), (na, ns))


def translate(node, addr):
    bus = node.parent
    while bus.parent is not None:
        ranges = bus.prop("ranges")
        if ranges is None:
            raise DtError("NOTFOUND")
        if ranges:
            try:
                widths = (addr_cells(bus), addr_cells(bus.parent), size_cells(bus))
            except DtError:
                raise DtError("BADNCELLS")
            for child, parent, size in entries(ranges, widths):
                if child <= addr < child + size:
                    addr = addr - child + parent
                    if addr >= 1 << 64:
                        raise DtError("BADVALUE")
                    break
            else:
                raise DtError("NOTFOUND")
        bus = bus.parent
    return addr


def available(node):
    status = cstr(node.prop("status"))
    return status is None or status in (b"okay", b"ok")


def name_matches(name, component):
    return name == component or ("@" not in component and
                                 name.startswith(component + "@"))


def subnode(node, component):
    for child in node.children:
        if name_matches(child.name, component):
            return child
    return None


def walk_path(node, path):
    for component in path.split("/"):
        if component:
            node = subnode(node, component)
            if node is None:
                raise DtError("NOTFOUND")
    return node


def find_node(root, query):
    if not query:
        raise DtError("BADPATH")
    node = root
    if not query.startswith("/"):
        name, slash, rest = query.partition("/")
        aliases = subnode(root, "aliases")
        target = aliases.prop(name) if aliases else None
        if target is None:
            raise DtError("BADPATH")
        if not target or target[:1] != b"/" or b"\0" not in target:
            raise DtError("BADVALUE")
        node = walk_path(root, cstr(target).decode("latin-1"))
        query = slash + rest
    return walk_path(node, query)


def esc(value):
    if isinstance(value, str):
        value = value.encode("latin-1")
    return "".join(chr(c) if 0x20 < c < 0x7f and c != 0x5c else "\\x%02x" % c
                   for c in value)


def result(fn):
    """fn()'s path, or "err <name>" as dt_dump prints a failed lookup."""
    try:
        return fn().path
    except DtError as e:
        return "err " + e.name


def memory_lines(root):
    banks = []
    try:
        for node in root.walk():
            if node.prop("device_type") != b"memory\0" or not available(node):
                continue
            if node.parent is None:
                raise DtError("NOTFOUND")
            if node.prop("reg") is None:
                continue
            for base, size in reg_entries(node, node.parent):
                if size:
                    if len(banks) == MAX_BANKS:
                        raise DtError("NOSPACE")
                    banks.append((base, size))
        if not banks:
            raise DtError("NOTFOUND")
    except DtError as e:
        return ["mem err " + e.name]
    banks.sort(key=lambda b: b[0])
    return ["mem 0x%x 0x%x" % b for b in banks]


def reserved_lines(root, memreserve):
    out = []

    def add(*entry):
        if len(out) == MAX_RESERVED:
            raise DtError("NOSPACE")
        out.append(entry)

    try:
        for base, size in memreserve:
            add("memreserve", "memreserve", base, size, "map")
        rm = subnode(root, "reserved-memory")
        for child in rm.children if rm else []:
            if not available(child) or child.prop("reg") is None:
                continue
            no_map = "no-map" if child.prop("no-map") is not None else "map"
            for base, size in reg_entries(child, rm):
                if size:
                    add("reserved-memory", child.name, base, size, no_map)
    except DtError as e:
        return ["rsv err " + e.name]
    return ["rsv %s %s 0x%x 0x%x %s" % (k, esc(n), b, s, m)
            for k, n, b, s, m in out]


def expected_lines(root, memreserve, totalsize):
    lines = ["check ok", "size %d" % totalsize]
    model = cstr(root.prop("model"))
    if model is None:
        model = cstr(root.prop("compatible"))
    lines.append("model " + esc(model if model is not None else b"unknown"))

    chosen = subnode(root, "chosen")
    args = cstr(chosen.prop("bootargs")) if chosen else None
    lines.append("bootargs " + esc(args or b""))

    if chosen is None:
        lines.append("stdout err FDT_ERR_NOTFOUND")
    else:
        path = cstr(chosen.prop("stdout-path"))
        if path is None:
            path = cstr(chosen.prop("linux,stdout-path"))
        if path is None:
            lines.append("stdout err FDT_ERR_NOTFOUND")
        else:
            node_part, colon, options = path.decode("latin-1").partition(":")
            found = result(lambda: find_node(root, node_part))
            if found.startswith("err "):
                lines.append("stdout " + found)
            else:
                lines.append("stdout %s %s" % (found, esc(options) if colon else "-"))

    seed, have_seed = 0, False
    rng = chosen.prop("rng-seed") if chosen else None
    if rng:
        padded = rng + bytes(-len(rng) % 8)
        for off in range(0, len(padded), 8):
            seed ^= be(padded[off:off + 8])
        have_seed = True
    kaslr = chosen.prop("kaslr-seed") if chosen else None
    if kaslr is not None and len(kaslr) == 8:
        seed ^= be(kaslr)
        have_seed = True
    lines.append("seed 0x%016x" % seed if have_seed else "seed none")

    lines += memory_lines(root)
    lines += reserved_lines(root, memreserve)

    for node in root.walk():
        lines.append("node " + node.path)
        for name, value in node.props:
            s = cstr(value)
            if s is not None:
                lines.append("str %s %s %s" % (node.path, name, esc(s)))
            if len(value) == 4:
                lines.append("u32 %s %s 0x%x" % (node.path, name, be(value)))
        if node.parent is None or node.prop("reg") is None:
            continue
        try:
            regs = reg_entries(node, node.parent)
        except DtError as e:
            lines.append("reg %s err %s" % (node.path, e.name))
            continue
        for i, (addr, size) in enumerate(regs):
            try:
                cpu = "0x%x" % translate(node, addr)
            except DtError as e:
                cpu = "err " + e.name
            lines.append("reg %s %d 0x%x 0x%x -> %s" % (node.path, i, addr, size, cpu))

    def find_line(query):
        return "find %s %s" % (esc(query), result(lambda: find_node(root, query)))

    aliases = subnode(root, "aliases")
    for name, _ in aliases.props if aliases else []:
        lines.append(find_line(name))
    for node in root.walk():
        lines.append(find_line(node.path))
        stripped = re.sub(r"@[^/]*", "", node.path)
        if stripped != node.path:
            lines.append(find_line(stripped))

    seen = set()
    for node in root.walk():
        compat = node.prop("compatible")
        if compat is None or (compat and not compat.endswith(b"\0")):
            continue
        for c in compat.split(b"\0")[:-1]:
            if c in seen:
                continue
            seen.add(c)
            first = next(n for n in root.walk()
                         if c in (n.prop("compatible") or b"").split(b"\0")[:-1])
            lines.append("compat %s %s" % (esc(c), first.path))
    return lines


# ---- driver -----------------------------------------------------------------

def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True,
                          text=True, encoding="latin-1").stdout


def check_blob(dump, blob):
    """Returns (problems as diff lines, empty when all agree; a note)."""
    got = subprocess.run([dump, blob], capture_output=True, text=True,
                         encoding="latin-1")
    out = got.stdout.splitlines()
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", blob],
                         capture_output=True, text=True, encoding="latin-1")
    if dts.returncode != 0:
        # A blob dtc cannot read (such as a deliberately broken one) must be
        # refused by dt_check() too.
        if got.returncode == 1 and out[:1] and out[0].startswith("check err "):
            return [], "dtc and dt_check both reject it: " + out[0][len("check err "):]
        return ["dtc rejects it: " + dts.stderr.strip().replace("\n", " "),
                "dt_dump exited with %d:" % got.returncode] + \
            (got.stdout + got.stderr).splitlines()[:20], None
    if got.returncode != 0:
        return ["dt_dump exited with %d" % got.returncode] + \
            (got.stdout + got.stderr).splitlines()[-40:], None
    header = run(["fdtdump", blob])
    totalsize = int(re.search(r"^// totalsize:\s+(0x[0-9a-f]+)", header, re.M)
                    .group(1), 16)
    root, memreserve = parse_dts(dts.stdout)
    want = expected_lines(root, memreserve, totalsize)
    return list(difflib.unified_diff(want, out, "oracle", "dt_dump",
                                     lineterm="", n=1)), None


def main():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(repo, "build"))
    ap.add_argument("--dump")
    ap.add_argument("blobs", nargs="*")
    args = ap.parse_args()
    dump = args.dump or os.path.join(args.build, "host", "dt_dump")
    blobs = args.blobs or sorted(glob.glob(os.path.join(args.build, "dtb", "*.dtb")))

    print("KTAP version 1")
    print("1..%d" % len(blobs))
    failed = 0
    for n, blob in enumerate(blobs, 1):
        name = os.path.basename(blob)
        try:
            problems, note = check_blob(dump, blob)
        except (OSError, ValueError, subprocess.CalledProcessError) as e:
            problems, note = ["oracle failed: %s" % e], None
        for line in problems[:200] + ([note] if note else []):
            print("# " + line)
        print("%s %d %s" % ("not ok" if problems else "ok", n, name))
        failed += bool(problems)
    print("# dt oracle: pass:%d fail:%d total:%d" % (len(blobs) - failed, failed, len(blobs)))
    return 1 if failed or not blobs else 0


if __name__ == "__main__":
    sys.exit(main())
