#!/usr/bin/env python3
"""mk64 test runner (what `make test` runs), modelled on kvm-unit-tests.

Runs every config of tests/configs.cfg (INI: one section per config), in
parallel, and checks each one's KTAP output:

  qemu     boots the kernel (or a disk through U-Boot) in qemu-system-aarch64
           and parses the UART log; the kernel must print a complete KTAP run
           ending in "# Totals:" and power off. With expect = diagnose the log
           must instead match expect_line and QEMU must exit by itself.
  command  runs a host program whose stdout is KTAP; it must exit with 0.

Prints one line per config ("PASS name (N tests, M skipped)" or
"FAIL name (reason)"), each failing test case, a summary table and, as the
very last line, "<N> passed, <M> failed". When every config ran, a case
skipped in one config must run (pass or fail) in another: the
"skip-coverage" check fails once per case that ran nowhere. Exits 1 on any
failure, 2 on a usage or config-file error. Logs go to
<build>/test-logs/<config>.log.

Python 3.11 standard library only.
"""

import argparse
import configparser
import fnmatch
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import types
from concurrent.futures import ThreadPoolExecutor, as_completed

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CONFIGS = os.path.join(REPO, "tests", "configs.cfg")

# printk's "[    0.001234] " time stamp, and terminal escapes (U-Boot).
PRINTK_PREFIX = re.compile(r"^\[\s*\d+\.\d+\]\s?")
ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")

# Any of these anywhere in the log fails the config.
CRASH_MARKERS = [
    r"Kernel panic",
    r"Unhandled exception",
    r"Internal error",
    r"Synchronous Abort",  # U-Boot's exception dump
    r"BUG:",
    r"Oops",
]
CRASH_RE = re.compile("|".join("(?:%s)" % m for m in CRASH_MARKERS))

KTAP_VERSION = re.compile(r"^(?:KTAP version \d+|TAP version \d+)\s*$")
KTAP_PLAN = re.compile(r"^1\.\.(\d+)\s*(?:#.*)?$")
KTAP_RESULT = re.compile(r"^(not ok|ok)\s+(\d+)\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(.*))?$")
KTAP_SUBTEST = re.compile(r"^#\s*Subtest:\s*(.*?)\s*$")
KTAP_TOTALS = re.compile(r"^#\s*Totals:")
KTAP_BENCH = re.compile(r"^#\s*bench:\s*(.*)$")

TAIL_LINES = 15

QEMU_KEYS = {"kind", "timeout", "requires", "qemu", "machine", "cpu", "smp",
             "mem", "append", "extra", "kernel", "expect", "expect_line",
             "allow_crash", "halt_line"}
COMMAND_KEYS = {"kind", "timeout", "requires", "command"}

print_lock = threading.Lock()
live_procs = set()   # running children, killed on Ctrl-C
live_lock = threading.Lock()


def say(*args, **kwargs):
    with print_lock:
        print(*args, **kwargs, flush=True)


# ---- KTAP parsing -------------------------------------------------------------

class Group:
    """One KTAP (sub)test list: its plan and the results seen so far."""

    def __init__(self, depth):
        self.depth = depth
        self.name = None       # from "# Subtest:" or the parent's result line
        self.plan = None
        self.nresults = 0
        self.has_children = False  # a child group reported results
        self.diags = []        # "#" lines since the last result, for the next
        self.leaves = []       # every leaf result in this group's subtree


class Leaf:
    def __init__(self, groups, name, status, directive, diags):
        self.groups = groups   # enclosing groups, outermost first
        self.name = name
        self.status = status   # "pass", "fail" or "skip"
        self.directive = directive
        self.diags = diags

    def full_name(self):
        parts = [g.name for g in self.groups[1:] if g.name]
        parts.append(self.name or "?")
        return ".".join(parts)


class KtapResult:
    def __init__(self):
        self.seen = False          # any KTAP line at all
        self.leaves = []
        self.problems = []         # truncation and the like
        self.totals = False
        self.bench = []
        self.restarted = False

    @property
    def passed(self):
        return sum(1 for l in self.leaves if l.status == "pass")

    @property
    def failed(self):
        return [l for l in self.leaves if l.status == "fail"]

    @property
    def skipped(self):
        return sum(1 for l in self.leaves if l.status == "skip")


def clean_line(raw):
    line = ANSI_ESCAPE.sub("", raw).replace("\r", "").rstrip("\n")
    return PRINTK_PREFIX.sub("", line, count=1).rstrip()


def parse_ktap(lines):
    """Parses KTAP version 1 out of a log that may hold other output too.

    Nesting is by indentation, 4 spaces a level. Counts leaf results: a result
    line whose depth+1 saw no results since this depth's previous result.
    """
    res = KtapResult()
    stack = []   # open groups, stack[i].depth strictly increasing

    def close_below(depth):
        """Closes the groups deeper than depth, checking their plans."""
        while stack and stack[-1].depth > depth:
            g = stack.pop()
            check_plan(g)

    def check_plan(g):
        where = "top level" if g.depth == 0 else (
            "subtest %s" % (g.name or "depth %d" % g.depth))
        if g.plan is None:
            # Only the top level must have a plan; subtests may leave it out.
            if g.depth == 0:
                res.problems.append("truncated: no plan at %s" % where)
        elif g.nresults < g.plan:
            res.problems.append("truncated: %s planned 1..%d but only %d "
                                "result(s) came" % (where, g.plan, g.nresults))
        elif g.nresults > g.plan:
            res.problems.append("%s planned 1..%d but %d results came"
                                % (where, g.plan, g.nresults))

    def group_at(depth, create=True):
        if stack and stack[-1].depth == depth:
            return stack[-1]
        close_below(depth)
        if stack and stack[-1].depth == depth:
            return stack[-1]
        if not create:
            return None
        if not stack and depth > 0:
            # Results before any top level: make one so naming still works.
            stack.append(Group(0))
        g = Group(depth)
        stack.append(g)
        return g

    top_started = False
    for raw in lines:
        line = clean_line(raw)
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        depth = indent // 4
        if not body:
            continue

        if KTAP_VERSION.match(body):
            res.seen = True
            if depth == 0:
                if top_started:
                    res.restarted = True
                    close_below(-1)
                top_started = True
            # A new list at this depth replaces any finished one there.
            close_below(depth - 1)
            group_at(depth)
            continue

        m = KTAP_SUBTEST.match(body)
        if m:
            res.seen = True
            g = group_at(depth)
            if g.nresults:   # a new subtest without a version line
                close_below(depth - 1)
                g = group_at(depth)
            g.name = m.group(1)
            continue

        m = KTAP_PLAN.match(body)
        if m:
            res.seen = True
            if depth == 0:
                top_started = True
            g = group_at(depth)
            if g.plan is not None or g.nresults:
                close_below(depth - 1)
                g = group_at(depth)
            g.plan = int(m.group(1))
            continue

        m = KTAP_RESULT.match(body)
        if m:
            res.seen = True
            ok, _num, name, directive = m.groups()
            directive = (directive or "").strip()
            child = stack[-1] if stack and stack[-1].depth == depth + 1 else None
            close_below(depth)
            g = group_at(depth)
            g.nresults += 1
            diags, g.diags = g.diags, []
            skip = directive.upper().startswith("SKIP")
            if child is not None and child.nresults:
                # A suite's result line: its children were the leaves.
                if child.name is None:
                    child.name = name
                g.has_children = True
                if ok == "not ok" and not skip and not any(
                        l.status == "fail" for l in child.leaves):
                    leaf = Leaf(list(stack), name, "fail", directive,
                                diags + ["# suite reported not ok but no case failed"])
                    for anc in stack:
                        anc.leaves.append(leaf)
                    res.leaves.append(leaf)
                continue
            status = "skip" if skip else ("pass" if ok == "ok" else "fail")
            leaf = Leaf(list(stack), name, status, directive, diags)
            for anc in stack:
                anc.leaves.append(leaf)
            res.leaves.append(leaf)
            continue

        if body.startswith("#"):
            if KTAP_TOTALS.match(body):
                res.totals = True
            mb = KTAP_BENCH.match(body)
            if mb:
                res.bench.append(mb.group(1))
            for g in reversed(stack):
                if g.depth <= depth:
                    if g.depth == depth:
                        g.diags.append(body)
                    break
            continue
        # Anything else is ordinary console output.

    close_below(-1)
    if res.restarted:
        res.problems.append("KTAP output started twice (kernel restarted?)")
    return res


# ---- configs ------------------------------------------------------------------

class ConfigError(Exception):
    pass


class Config:
    def __init__(self, name, section, build):
        self.name = name
        keys = dict(section)
        kind = keys.get("kind") or ("command" if "command" in keys else "qemu")
        if kind not in ("qemu", "command"):
            raise ConfigError("[%s]: unknown kind %r" % (name, kind))
        allowed = QEMU_KEYS if kind == "qemu" else COMMAND_KEYS
        unknown = sorted(set(keys) - allowed)
        if unknown:
            raise ConfigError("[%s]: unknown key(s) for kind %s: %s"
                              % (name, kind, ", ".join(unknown)))
        self.kind = kind

        def sub(s):
            return s.replace("{build}", build)

        try:
            self.timeout = float(keys.get("timeout", "60"))
        except ValueError:
            raise ConfigError("[%s]: bad timeout %r" % (name, keys["timeout"]))
        self.requires = shlex.split(sub(keys.get("requires", "")))
        if kind == "command":
            if not keys.get("command", "").strip():
                raise ConfigError("[%s]: empty command" % name)
            self.command = sub(keys["command"])
            self.expect = "ktap"
            return
        self.qemu = keys.get("qemu", "qemu-system-aarch64")
        self.machine = keys.get("machine", "virt")
        self.cpu = keys.get("cpu", "cortex-a53")
        self.smp = keys.get("smp", "")
        self.mem = keys.get("mem", "512M")
        self.append = sub(keys.get("append", ""))
        self.extra = shlex.split(sub(keys.get("extra", "")))
        self.kernel = sub(keys.get("kernel", "{build}/Image")).strip()
        self.expect = keys.get("expect", "ktap")
        if self.expect not in ("ktap", "diagnose"):
            raise ConfigError("[%s]: expect must be ktap or diagnose" % name)
        self.expect_line = keys.get("expect_line", "")
        # A boot that must crash on purpose (the exception report's test).
        self.allow_crash = keys.get("allow_crash", "no") == "yes"
        if self.allow_crash and self.expect != "diagnose":
            raise ConfigError("[%s]: allow_crash needs expect = diagnose" % name)
        if self.expect == "diagnose":
            if not self.expect_line:
                raise ConfigError("[%s]: expect = diagnose needs expect_line" % name)
            try:
                self.expect_re = re.compile(self.expect_line)
            except re.error as e:
                raise ConfigError("[%s]: bad expect_line: %s" % (name, e))
        # A boot that ends halted, with no way to power off: the runner stops
        # QEMU once this line appears, which counts as a clean exit.
        self.halt_re = None
        if keys.get("halt_line"):
            if self.expect != "diagnose":
                raise ConfigError("[%s]: halt_line needs expect = diagnose" % name)
            try:
                self.halt_re = re.compile(keys["halt_line"])
            except re.error as e:
                raise ConfigError("[%s]: bad halt_line: %s" % (name, e))
        if self.kernel:
            self.requires.insert(0, self.kernel)

    def argv(self, opts):
        """The command to run, as argv (qemu) or a shell string (command)."""
        if self.kind == "command":
            return self.command
        args = [self.qemu, "-M", self.machine, "-cpu", self.cpu, "-m", self.mem]
        if self.smp:
            args += ["-smp", self.smp]
        args += ["-nographic", "-no-reboot", "-nic", "none"]
        append = self.append
        if self.kernel:
            args += ["-kernel", self.kernel]
            extra_append = []
            if opts.filter:
                extra_append.append("ktest.filter=" + opts.filter)
            if opts.bench:
                extra_append.append("ktest.bench=1")
                args += ["-icount", "shift=0,sleep=off"]
            append = " ".join(x for x in [append] + extra_append if x)
            if append:
                args += ["-append", append]
        args += self.extra
        return args

    def describe(self, opts):
        a = self.argv(opts)
        return a if isinstance(a, str) else shlex.join(a)


def load_configs(path, build):
    cp = configparser.ConfigParser(interpolation=None, default_section="\0none")
    cp.optionxform = str
    try:
        with open(path) as f:
            cp.read_file(f)
    except (OSError, configparser.Error) as e:
        raise ConfigError("%s: %s" % (path, e))
    return [Config(name, cp[name], build) for name in cp.sections()]


# ---- running ------------------------------------------------------------------

class Outcome:
    def __init__(self, cfg):
        self.cfg = cfg
        self.reasons = []     # config-level failures
        self.ktap = KtapResult()
        self.log_lines = []
        self.stderr_lines = []
        self.log_path = None
        self.diagnosed = None
        self.ran = False

    @property
    def npass(self):
        if self.cfg.expect == "diagnose":
            return 0 if self.reasons else 1
        return self.ktap.passed

    @property
    def nfail(self):
        return len(self.ktap.failed) + (1 if self.reasons else 0)

    @property
    def ok(self):
        return self.nfail == 0


def run_one(cfg, opts, build_abs):
    out = Outcome(cfg)
    logdir = os.path.join(build_abs, "test-logs")
    os.makedirs(logdir, exist_ok=True)
    out.log_path = os.path.join(logdir, cfg.name + ".log")

    missing = [p for p in cfg.requires
               if not os.path.exists(os.path.join(REPO, p))]
    if missing:
        out.reasons.append("missing " + ", ".join(missing))
        with open(out.log_path, "w") as f:
            f.write("not run: missing %s\n" % ", ".join(missing))
        return out

    argv = cfg.argv(opts)
    timeout = cfg.timeout * opts.timeout_scale
    env = dict(os.environ)
    if cfg.kind == "command":
        if opts.filter:
            env["KTEST_FILTER"] = opts.filter
        if opts.bench:
            env["KTEST_BENCH"] = "1"

    with open(out.log_path, "w", errors="replace") as log:
        log.write("# %s: %s\n" % (cfg.name, cfg.describe(opts)))
        log.flush()
        try:
            proc = subprocess.Popen(
                argv, shell=isinstance(argv, str), cwd=REPO, env=env,
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, start_new_session=True)
        except OSError as e:
            out.reasons.append("cannot run: %s" % e)
            log.write("cannot run: %s\n" % e)
            return out
        out.ran = True
        with live_lock:
            live_procs.add(proc)
        halted = threading.Event()
        halt_re = getattr(cfg, "halt_re", None)

        def pump_stdout():
            for raw in iter(proc.stdout.readline, b""):
                line = raw.decode("utf-8", "replace")
                out.log_lines.append(line)
                log.write(line)
                log.flush()
                if opts.verbose:
                    say("[%s] %s" % (cfg.name, line.rstrip("\r\n")))
                if halt_re and not halted.is_set() and halt_re.search(clean_line(line)):
                    halted.set()
                    kill_group(proc)

        def pump_stderr():
            for raw in iter(proc.stderr.readline, b""):
                line = raw.decode("utf-8", "replace")
                out.stderr_lines.append(line)
                if opts.verbose:
                    say("[%s stderr] %s" % (cfg.name, line.rstrip("\r\n")))

        threads = [threading.Thread(target=pump_stdout, daemon=True),
                   threading.Thread(target=pump_stderr, daemon=True)]
        for t in threads:
            t.start()
        timed_out = False
        try:
            status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(proc)
            status = proc.wait()
        finally:
            with live_lock:
                live_procs.discard(proc)
        try:    # whatever it left running in its session goes too
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for t in threads:
            t.join(timeout=10)
        if out.stderr_lines:
            log.write("---- stderr ----\n")
            log.writelines(out.stderr_lines)
        log.write("---- %s ----\n" % ("timeout after %gs" % timeout if timed_out
                                       else "stopped at the halt line" if halted.is_set()
                                       else "exit status %d" % status))
        if halted.is_set() and not timed_out:
            status = 0

    if timed_out:
        reason = "timeout after %gs" % timeout
        if cfg.kind == "qemu" and cfg.expect == "ktap":
            k = parse_ktap(out.log_lines)
            if k.seen and k.totals and not k.problems:
                reason += " (tests done, but the kernel did not power off)"
        out.reasons.append(reason)
    elif status != 0:
        what = "qemu" if cfg.kind == "qemu" else "command"
        if status < 0:
            out.reasons.append("%s killed by signal %d" % (what, -status))
        else:
            out.reasons.append("%s exited with status %d" % (what, status))

    for raw in out.log_lines:
        line = clean_line(raw)
        if CRASH_RE.search(line) and not getattr(cfg, "allow_crash", False):
            out.reasons.append("crash: %s" % line.strip())
            break

    if cfg.expect == "diagnose":
        if timed_out:
            return out
        for raw in out.log_lines:
            if cfg.expect_re.search(clean_line(raw)):
                out.diagnosed = clean_line(raw).strip()
                break
        if out.diagnosed is None:
            out.reasons.append("no line matching /%s/" % cfg.expect_line)
        return out

    out.ktap = parse_ktap(out.log_lines)
    if timed_out:
        pass    # a cut-off log says nothing more than the timeout does
    elif not out.ktap.seen:
        out.reasons.append("no KTAP output")
    else:
        out.reasons.extend(out.ktap.problems)
        if cfg.kind == "qemu" and not out.ktap.totals:
            out.reasons.append("no '# Totals:' line")
    return out


def kill_group(proc):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=2)
            return
        except subprocess.TimeoutExpired:
            pass


# ---- reporting ----------------------------------------------------------------

def report(out, opts):
    cfg = out.cfg
    k = out.ktap
    lines = []
    ntests = len(k.leaves)
    if cfg.expect == "diagnose":
        counts = "diagnosed: %s" % out.diagnosed if out.diagnosed else ""
    else:
        counts = "%d tests, %s%d skipped" % (
            ntests, "%d failed, " % len(k.failed) if k.failed else "", k.skipped)
    if out.ok:
        lines.append("PASS %s (%s)" % (cfg.name, counts))
    else:
        detail = "; ".join(out.reasons)
        if k.leaves and cfg.expect != "diagnose":
            detail = "; ".join(x for x in (detail, counts) if x)
        lines.append("FAIL %s (%s)" % (cfg.name, detail))
    for leaf in k.failed:
        lines.append("  not ok %s: %s%s" % (
            cfg.name, leaf.full_name(),
            " # " + leaf.directive if leaf.directive else ""))
        for d in leaf.diags:
            lines.append("      " + d)
    if opts.bench:
        for b in k.bench:
            lines.append("  bench %s: %s" % (cfg.name, b))
    if out.reasons and out.ran:
        lines.append("  %s: %s" % (cfg.name, "; ".join(out.reasons)))
        tail = [ANSI_ESCAPE.sub("", l).replace("\r", "").rstrip()
                for l in out.log_lines + out.stderr_lines]
        tail = tail[-TAIL_LINES:]
        if tail:
            lines.append("  last %d lines of %s:" % (len(tail), rel(out.log_path)))
        else:
            lines.append("  (no output; see %s)" % rel(out.log_path))
        for l in tail:
            lines.append("  | " + l)
    say("\n".join(lines))


def rel(path):
    r = os.path.relpath(path)
    return path if r.startswith("..") else r


class CoverageCheck:
    """Cases skipped in some config and run (pass or fail) in none.

    A config skips what it cannot test (one node, no highmem=, ...) on the
    understanding that another config tests it; an edit to a config could
    otherwise leave a case running nowhere, unnoticed. Shaped like an
    Outcome for the summary: one pass when every skipped case ran
    somewhere, else one failure per case that did not.
    """

    def __init__(self, outcomes):
        self.cfg = types.SimpleNamespace(name="skip-coverage", kind="check")
        ran, skipped = set(), {}
        for o in outcomes:
            for leaf in o.ktap.leaves:
                if leaf.status == "skip":
                    skipped.setdefault(leaf.full_name(), []).append(
                        (o.cfg.name, leaf.directive))
                else:
                    ran.add(leaf.full_name())
        self.uncovered = {n: s for n, s in sorted(skipped.items())
                          if n not in ran}
        self.ktap = KtapResult()
        self.reasons = []
        if self.uncovered:
            self.reasons.append("%d skipped case%s run in no config" % (
                len(self.uncovered), "" if len(self.uncovered) == 1 else "s"))

    @property
    def ok(self):
        return not self.uncovered

    @property
    def npass(self):
        return 0 if self.uncovered else 1

    @property
    def nfail(self):
        return len(self.uncovered)

    def report(self):
        if self.ok:
            say("PASS skip-coverage (every skipped case runs in some config)")
            return
        lines = ["FAIL skip-coverage (skipped everywhere, run in no config: %s)"
                 % ", ".join(self.uncovered)]
        for name, where in self.uncovered.items():
            lines.append("  not run anywhere: %s" % name)
            for cfg, directive in where:
                lines.append("      %s: %s" % (cfg, directive))
        say("\n".join(lines))


# The smp_stress suite's line for the operations a config asked for and did.
STRESS_OPS = re.compile(r"^smp_stress: (\d+) operations on \d+ CPUs$")
STRESS_SUITE = "smp_stress"
STRESS_MIN_OPS = 1000000


class StressTotalCheck:
    """The smp_stress suite's operations, added up over the configs.

    Each config's run checks that it did exactly the operations its
    ktest.stress_ops= asks for, and prints them; issue 11 asks for at
    least a million in all. Applies once the suite ran somewhere (a table
    without it, as the runner's self-test uses, has nothing to add up).
    Shaped like an Outcome for the summary.
    """

    def __init__(self, outcomes):
        self.cfg = types.SimpleNamespace(name="stress-total", kind="check")
        self.applies = any(leaf.full_name().startswith(STRESS_SUITE + ".")
                           for o in outcomes for leaf in o.ktap.leaves)
        self.per_config = {}
        for o in outcomes:
            ops = sum(int(m.group(1)) for m in map(STRESS_OPS.match, map(clean_line, o.log_lines))
                      if m)
            if ops:
                self.per_config[o.cfg.name] = ops
        self.total = sum(self.per_config.values())
        self.ktap = KtapResult()
        self.reasons = []
        if not self.ok:
            self.reasons.append("%d operations, fewer than %d" % (self.total, STRESS_MIN_OPS))

    @property
    def ok(self):
        return self.total >= STRESS_MIN_OPS

    @property
    def npass(self):
        return 1 if self.ok else 0

    @property
    def nfail(self):
        return 0 if self.ok else 1

    def report(self):
        parts = ", ".join("%s %d" % kv for kv in self.per_config.items()) or "none"
        say("%s stress-total (%d smp_stress operations, at least %d wanted: %s)"
            % ("PASS" if self.ok else "FAIL", self.total, STRESS_MIN_OPS, parts))


def summary(outcomes):
    w = max([len("config")] + [len(o.cfg.name) for o in outcomes])
    say("")
    say("%-*s  %-7s  %-6s  %5s  %5s  %5s  %s"
        % (w, "config", "kind", "result", "pass", "fail", "skip", "note"))
    for o in outcomes:
        say("%-*s  %-7s  %-6s  %5d  %5d  %5d  %s" % (
            w, o.cfg.name, o.cfg.kind, "PASS" if o.ok else "FAIL", o.npass,
            o.nfail, o.ktap.skipped, note(o)))


def note(o):
    parts = list(o.reasons)
    if o.ktap.failed:
        n = len(o.ktap.failed)
        parts.append("%d failing case%s" % (n, "" if n == 1 else "s"))
    return "; ".join(parts)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Run mk64's test configs and summarise their KTAP output.")
    ap.add_argument("--build", default="build", help="build directory (build)")
    ap.add_argument("--configs", default=DEFAULT_CONFIGS, metavar="FILE",
                    help="config table (tests/configs.cfg)")
    ap.add_argument("--config", action="append", default=[], metavar="NAME",
                    help="run only configs matching this glob (repeatable)")
    ap.add_argument("--list", action="store_true",
                    help="list the configs and what they run, then exit")
    ap.add_argument("--filter", default="",
                    help="ktest filter (comma-separated globs) passed to the "
                         "kernel as ktest.filter=... (and KTEST_FILTER to commands)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2,
                    help="configs run in parallel (number of CPUs)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="stream every log line as it comes")
    ap.add_argument("--bench", action="store_true",
                    help="run the bench suites (ktest.bench=1 under -icount) and "
                         "print their '# bench:' lines")
    ap.add_argument("--timeout-scale", type=float, default=1.0, metavar="F",
                    help="multiply every timeout by F (slow machines)")
    opts = ap.parse_args(argv)
    if opts.filter and re.search(r"\s", opts.filter):
        ap.error("--filter must not contain white space")

    build_abs = os.path.abspath(opts.build)
    build = os.path.relpath(build_abs, REPO)
    if build.startswith(".."):
        build = build_abs
    try:
        configs = load_configs(opts.configs, build)
    except ConfigError as e:
        print("ktest_runner: %s" % e, file=sys.stderr)
        return 2
    if opts.config:
        chosen = [c for c in configs
                  if any(fnmatch.fnmatchcase(c.name, p) for p in opts.config)]
        if not chosen:
            print("ktest_runner: no config matches %s" % ", ".join(opts.config),
                  file=sys.stderr)
            return 2
        configs = chosen

    if opts.list:
        for c in configs:
            print("%-14s %-7s %4gs  %s" % (c.name, c.kind, c.timeout,
                                          c.describe(opts)))
        return 0

    outcomes = {}
    pool = ThreadPoolExecutor(max_workers=max(1, opts.jobs))
    try:
        futures = {pool.submit(run_one, c, opts, build_abs): c for c in configs}
        for fut in as_completed(futures):
            out = fut.result()
            outcomes[out.cfg.name] = out
            report(out, opts)
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        with live_lock:
            procs = list(live_procs)
        for p in procs:
            kill_group(p)
        print("\nktest_runner: interrupted", file=sys.stderr)
        return 130
    pool.shutdown()

    ordered = [outcomes[c.name] for c in configs]
    if not opts.config:
        # Only the whole table can say that a case runs nowhere.
        coverage = CoverageCheck(ordered)
        coverage.report()
        stress = StressTotalCheck(ordered)
        if stress.applies and not opts.filter:
            stress.report()
            ordered.append(stress)
        ordered.append(coverage)
    summary(ordered)
    npass = sum(o.npass for o in ordered)
    nfail = sum(o.nfail for o in ordered)
    say("%d passed, %d failed" % (npass, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
