"""Regenerate the numbers and command examples in README.md from the bundled data, so they never drift.

A generated part of the README sits between two markers. A command's output:

    <!-- aikg investors anthropic | lines 8 -->
    ```
    $ aikg investors anthropic
    ...
    ```
    <!-- /aikg -->

runs the command on the bundled data and keeps its first ``lines`` lines (all by default), each cut at
110 characters, with ``...`` where something was cut. The data's counts:

    <!-- aikg counts -->329 organizations, ...<!-- /aikg -->

    python docs/regenerate.py           # rewrite README.md
    python docs/regenerate.py --check   # exit 1, naming the parts, if README.md is out of date

The Python examples need none of this: they are doctests, run by the test suite.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
WIDTH = 110
_COMMAND = re.compile(r"<!-- aikg (?P<command>(?!counts)[^|>]+?)(?: \| lines (?P<lines>\d+))? -->\n```\n.*?```\n<!-- /aikg -->",
                      re.S)
_COUNTS = re.compile(r"<!-- aikg counts -->.*?<!-- /aikg -->", re.S)


def run(arguments: list[str]) -> str:
    """What ``aikg ARGUMENTS`` prints on the bundled data."""
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, arguments)
    if result.exit_code != 0:
        raise SystemExit(f"aikg {shlex.join(arguments)} failed:\n{result.output}")
    return result.output


def _cut(output: str, lines: int | None) -> str:
    kept = output.splitlines()
    shown = kept[:lines] if lines else kept
    shown = [line if len(line) <= WIDTH else line[:WIDTH - 4].rstrip() + " ..." for line in shown]
    if lines and len(kept) > lines:
        shown.append("...")
    return "\n".join(shown)


def counts() -> str:
    """The data's size in words, from ``aikg stats``."""
    import kg

    g = kg.load()
    numbers = g.stats()
    years = sorted(deal.announced_on.year for deal in g.deals())
    return (f"{numbers.organizations:,} organizations, {numbers.products:,} products, {numbers.deals:,} deals "
            f"({years[0]}–{years[-1]}) and {numbers.valuations:,} valuations, from {numbers.sources:,} published pages")


def regenerate(text: str) -> str:
    """The README with every generated part made anew."""
    def command(match: re.Match) -> str:
        arguments = shlex.split(match["command"])
        lines = int(match["lines"]) if match["lines"] else None
        head = match.group(0).split("\n", 1)[0]
        return f"{head}\n```\n$ aikg {shlex.join(arguments)}\n{_cut(run(arguments), lines)}\n```\n<!-- /aikg -->"

    text = _COMMAND.sub(command, text)
    return _COUNTS.sub(lambda match: f"<!-- aikg counts -->{counts()}<!-- /aikg -->", text)


def stale_parts(before: str, after: str) -> list[str]:
    """The markers of the generated parts that differ."""
    parts = [m.group(0) for m in (*_COMMAND.finditer(before), *_COUNTS.finditer(before))]
    fresh = [m.group(0) for m in (*_COMMAND.finditer(after), *_COUNTS.finditer(after))]
    return [old.split("\n", 1)[0][:80] for old, new in zip(parts, fresh) if old != new]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if README.md is out of date")
    options = parser.parse_args(argv)
    before = README.read_text(encoding="utf-8")
    after = regenerate(before)
    if options.check:
        stale = stale_parts(before, after)
        for part in stale:
            print(f"out of date: {part}", file=sys.stderr)
        return 1 if stale else 0
    if after != before:
        README.write_text(after, encoding="utf-8")
        print(f"rewrote {README.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
