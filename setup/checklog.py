"""Read an Odoo test log and decide: fail on failed or errored tests, on any
WARNING, ERROR or CRITICAL record (as OCA's checklog does), and on skipped
tests (a browser tour without Chromium is skipped, and Odoo still reports 0
failed). Prints the offending lines and a closing 'N passed, N failed' line.
"""

import argparse
import re
import sys

RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>\S+): (?P<msg>.*)$"
)
RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
SKIP = re.compile(r"\bskipped\b|SkipTest|skipTest", re.IGNORECASE)

# Records that are not about the suite and that Odoo emits on any run here.
IGNORED = (
    # Odoo warns about running as root; harmless in a throw-away environment.
    re.compile(r"Running as user 'root'"),
)


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("--exit-status", type=int, default=0)
    parser.add_argument(
        "--no-tests",
        action="store_true",
        help="a log of an install without tests: only its records count",
    )
    return parser.parse_args()


def scan(path):
    """``(problems, failed, errors, total, seen_result)`` of the log at
    ``path``: its offending ``(number, line)`` and its test result figures."""
    problems = []
    failed = errors = total = 0
    seen_result = False
    with open(path, encoding="utf-8", errors="replace") as handle:
        lines = handle.read().splitlines()
    for number, line in enumerate(lines, 1):
        match = RECORD.match(line)
        if not match:
            continue
        level, msg = match["level"], match["msg"]
        if any(pattern.search(msg) for pattern in IGNORED):
            continue
        result = RESULT.search(msg)
        if result and match["logger"].startswith("odoo.tests.result"):
            seen_result = True
            failed += int(result[1])
            errors += int(result[2])
            total += int(result[3])
        # a browser's console (a tour's step naming a "Skipped" status, say)
        # reports no skipped test
        is_skip = (
            SKIP.search(msg)
            and "test" in match["logger"]
            and not match["logger"].endswith(".browser")
        )
        if level in ("WARNING", "ERROR", "CRITICAL") or is_skip:
            problems.append((number, line))
    return problems, failed, errors, total, seen_result


def verdict_install(problems, exit_status):
    """The exit code of an install without tests, its line printed."""
    ok = not problems and exit_status == 0
    print(
        "[demo] installed without warnings"
        if ok
        else f"[demo] {len(problems)} warning/error line(s), exit status "
        f"{exit_status}: failing"
    )
    return 0 if ok else 1


def verdict_tests(problems, failed, errors, total, seen_result, exit_status):
    """The exit code of a test run, its closing lines printed."""
    if not seen_result:
        print("No test result line in the log: the run did not reach the tests.")
    bad = failed + errors
    ok = seen_result and total > 0 and bad == 0 and not problems and exit_status == 0
    if problems and not bad:
        print(f"[tests] {len(problems)} warning/error/skip line(s) in the log: failing")
    if exit_status and not bad:
        print(f"[tests] Odoo exited with status {exit_status}")
    print(f"{total - bad} passed, {bad if ok or bad else max(bad, 1)} failed")
    return 0 if ok else 1


def main():
    args = parse_args()
    problems, failed, errors, total, seen_result = scan(args.log)
    for number, line in problems:
        print(f"{args.log}:{number}: {line}")
    if args.no_tests:
        return verdict_install(problems, args.exit_status)
    return verdict_tests(problems, failed, errors, total, seen_result, args.exit_status)


if __name__ == "__main__":
    sys.exit(main())
