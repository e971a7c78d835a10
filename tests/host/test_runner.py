#!/usr/bin/env python3
"""Checks scripts/ktest_runner.py's skip-coverage and stress-total rules on
made-up configs.

Each scenario writes a config table of `command` configs that print fixed
KTAP, runs the runner on it in a temporary directory and checks its exit
status and the lines it must (or must not) print. Prints KTAP, one result
per scenario; exits 1 when any fails.
"""
import os
import shlex
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNNER = os.path.join(REPO, "scripts", "ktest_runner.py")


def ktap(cases, suite="s", log=()):
    """A one-suite KTAP log: cases are (name, "pass" | "fail" | "skip"),
    the lines of log printed before the suite's results."""
    lines = ["KTAP version 1", "1..1", "    KTAP version 1",
             "    # Subtest: %s" % suite, "    1..%d" % len(cases)] + list(log)
    for n, (name, status) in enumerate(cases, 1):
        lines.append("    %s %d %s%s" % ("not ok" if status == "fail" else "ok", n, name,
                                        " # SKIP not here" if status == "skip" else ""))
    failed = any(status == "fail" for _, status in cases)
    lines += ["%s 1 %s" % ("not ok" if failed else "ok", suite), "# Totals: done"]
    return "\n".join(lines) + "\n"


def run(configs, extra_args=()):
    """Runs the runner on configs ({name: cases, or (suite, cases, log lines)});
    returns (status, output)."""
    with tempfile.TemporaryDirectory() as tmp:
        table = []
        for name, cases in configs.items():
            log = os.path.join(tmp, name + ".ktap")
            with open(log, "w") as f:
                f.write(ktap(cases[1], cases[0], cases[2]) if isinstance(cases, tuple)
                        else ktap(cases))
            table.append("[%s]\ncommand = cat %s\n" % (name, shlex.quote(log)))
        cfg = os.path.join(tmp, "configs.cfg")
        with open(cfg, "w") as f:
            f.write("\n".join(table))
        p = subprocess.run([sys.executable, RUNNER, "--configs", cfg, "--build",
                            os.path.join(tmp, "build"), *extra_args],
                           capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr


def scenarios():
    """(name, configs, runner arguments, status, lines that must appear, must not)."""
    return [
        ("skipped_everywhere_fails",
         {"a": [("x", "pass"), ("y", "skip")], "b": [("x", "skip"), ("y", "skip")]},
         (), 1,
         ["FAIL skip-coverage (skipped everywhere, run in no config: s.y)",
          "  not run anywhere: s.y", "1 passed, 1 failed"],
         ["not run anywhere: s.x"]),
        ("failing_elsewhere_counts_as_run",
         {"a": [("x", "skip")], "b": [("x", "fail")]},
         (), 1,
         ["PASS skip-coverage (every skipped case runs in some config)",
          "1 passed, 1 failed"], []),
        ("all_covered_passes",
         {"a": [("x", "pass"), ("y", "skip")], "b": [("x", "skip"), ("y", "pass")]},
         (), 0,
         ["PASS skip-coverage (every skipped case runs in some config)",
          "3 passed, 0 failed"], []),
        ("not_checked_for_some_configs",
         {"a": [("x", "pass"), ("y", "skip")], "b": [("x", "pass"), ("y", "skip")]},
         ("--config", "a"), 0, ["1 passed, 0 failed"], ["skip-coverage"]),
        ("stress_ops_added_up",
         {"a": ("smp_stress", [("x", "pass")], ["[    1.000000] smp_stress: 600000 operations on 4 CPUs"]),
          "b": ("smp_stress", [("x", "pass")], ["smp_stress: 400000 operations on 6 CPUs"])},
         (), 0,
         ["PASS stress-total (1000000 smp_stress operations, at least 1000000 wanted: a 600000, b 400000)",
          "4 passed, 0 failed"], []),
        ("stress_ops_short_fails",
         {"a": ("smp_stress", [("x", "pass")], ["smp_stress: 999996 operations on 4 CPUs"]),
          "b": ("smp_stress", [("x", "skip")], [])},
         (), 1,
         ["FAIL stress-total (999996 smp_stress operations, at least 1000000 wanted: a 999996)",
          "2 passed, 1 failed"], []),
    ]


def main():
    failed = 0
    cases = scenarios()
    print("KTAP version 1")
    print("1..%d" % len(cases))
    for n, (name, configs, args, want_status, want, unwanted) in enumerate(cases, 1):
        status, output = run(configs, args)
        lines = output.splitlines()
        problems = []
        if status != want_status:
            problems.append("exit status %d, expected %d" % (status, want_status))
        problems += ["missing line: %r" % w for w in want if w not in lines]
        problems += ["unexpected: %r" % u for u in unwanted if u in output]
        if problems:
            failed += 1
            for line in problems + ["runner output:"] + lines:
                print("# " + line)
        print("%s %d %s" % ("not ok" if problems else "ok", n, name))
    print("# runner self-test: pass:%d fail:%d total:%d" % (len(cases) - failed, failed, len(cases)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
