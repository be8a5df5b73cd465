"""The progress line: shown on a terminal only, only after a second, step by step, and cleared."""

from __future__ import annotations

import io

import kg
from kg.exporters.csvfolder import write_csv_folder
from kg.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    """Seconds that pass only when told to, or by ``step`` at each reading."""

    def __init__(self, step: float = 0.0) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_nothing_shows_in_the_first_second_nor_off_a_terminal():
    clock, terminal, pipe = Clock(), Terminal(), io.StringIO()
    with Progress("loading", stream=terminal, clock=clock) as quick, Progress("loading", stream=pipe, clock=clock):
        quick.stage("reading deals.csv")
        quick.advance(5000)
        clock.now = 0.9
        quick.stage("checking references")
        clock.now = 5.0
    assert terminal.getvalue() == "" and pipe.getvalue() == ""


def test_after_a_second_each_step_shows_then_the_line_is_cleared():
    clock, terminal = Clock(), Terminal()
    with Progress("loading", stream=terminal, clock=clock) as progress:
        progress.stage("reading deals.csv")
        clock.now = 1.5
        progress.advance(999)
        assert terminal.getvalue() == ""  # counts are looked at every thousand
        progress.advance(1)
        assert terminal.getvalue() == "\rloading: reading deals.csv, 1,000 rows\x1b[K"
        clock.now = 1.6
        progress.advance(1000)  # within a fifth of a second: not redrawn
        assert terminal.getvalue().count("\r") == 1
        progress.stage("building the graph")  # a new step always is
        assert terminal.getvalue().endswith("\rloading: building the graph\x1b[K")
    assert terminal.getvalue().endswith("\r\x1b[K")


def _slow_terminal(monkeypatch) -> Terminal:
    """Standard error as a terminal, on a clock where each reading takes half a second. (Set within
    the test: pytest's capturing resets ``sys.stderr`` after fixtures.)"""
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr("kg.progress.time.monotonic", Clock(step=0.5))
    return terminal


def test_loading_a_csv_folder_shows_its_steps(bundled, tmp_path, monkeypatch):
    write_csv_folder(bundled.dataset, tmp_path)
    terminal = _slow_terminal(monkeypatch)
    assert kg.load(tmp_path) == bundled
    shown = terminal.getvalue()
    parties = sum(len(ids) for deal in bundled.deals() for ids in deal.parties.values())
    for step in ("loading: reading deals.csv", f"loading: reading deal_parties.csv, {parties:,} rows",
                 "loading: checking references", "loading: building the graph"):
        assert f"\r{step}" in shown
    assert shown.endswith("\r\x1b[K")


def test_loading_rdf_shows_its_steps(bundled, tmp_path, monkeypatch):
    from kg.exporters import write_exports

    [path] = write_exports(bundled, tmp_path, formats=("nt",), companions=False)
    terminal = _slow_terminal(monkeypatch)
    assert kg.load_rdf(path) == bundled
    shown = terminal.getvalue()
    for step in (f"loading: reading {path.name}, 10,000 triples", "loading: building records",
                 "loading: building the graph"):
        assert f"\r{step}" in shown
    assert shown.endswith("\r\x1b[K")
