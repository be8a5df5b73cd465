"""The README's benchmark table, from the records ``benchmarks/run.py --json FILE`` wrote.

    python benchmarks/table.py FILE [FILE ...]

Prints a Markdown table: a row a record, in the order run, the records of later files after the earlier
ones (``--only export-command --triples 3000000`` adds the command's peak at three million triples).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"


def markdown(records: list[dict], label: str = "") -> list[str]:
    """The table's rows for one run's records.

    >>> markdown([{"stage": "load", "ours_s": 1.0, "baseline": "networkx", "baseline_s": 0.5, "ratio": 2.0,
    ...            "peak_mib": 200}], "1M")
    ['| load (1M) | 1.00 | networkx | 0.50 | 2.00 | 200 |']
    """
    rows = []
    for record in records:
        stage = f"{record['stage']} ({label})" if label else record["stage"]
        ratio = "" if record["ratio"] is None else f"{record['ratio']:.2f}"
        peak = "" if not record["peak_mib"] else str(record["peak_mib"])
        rows.append(f"| {stage} | {_seconds(record['ours_s'])} | {record['baseline'] or ''} | "
                    f"{_seconds(record['baseline_s'])} | {ratio} | {peak} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--label", action="append", default=[], help="a label for each file's rows, in order")
    args = parser.parse_args()
    print("| stage | ours (s) | baseline | baseline (s) | ratio | peak MiB |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    for number, path in enumerate(args.files):
        label = args.label[number] if number < len(args.label) else ""
        print("\n".join(markdown(json.loads(path.read_text(encoding="utf-8")), label)))


if __name__ == "__main__":
    main()
