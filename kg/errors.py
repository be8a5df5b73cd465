"""The errors ``kg`` raises: one type per kind of failure, each saying where and what to do."""

from __future__ import annotations

from dataclasses import dataclass


def shown(value, width: int = 120) -> str:
    """A value as a message quotes it: its repr, cut to ``width`` characters.

    >>> shown("x" * 500)[-24:]
    'xxxx... (502 characters)'
    """
    text = repr(value)
    return text if len(text) <= width else f"{text[:width]}... ({len(text)} characters)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what is wrong, and how to fix it.

    >>> print(Problem("data/deals.yaml", 12, "amazon-anthropic", "unknown role 'investr'", "did you mean 'investor'?"))
    data/deals.yaml:12: amazon-anthropic: unknown role 'investr' (did you mean 'investor'?)
    """

    file: str
    line: int | None
    record: str | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = self.message if self.hint is None else f"{self.message} ({self.hint})"
        if len(what) > 1000:  # a value quoted whole would bury the message
            what = f"{what[:1000]}... ({len(what):,} characters)"
        return f"{where}: {what}" if self.record is None else f"{where}: {self.record}: {what}"


class DataError(Exception):
    """The data cannot be loaded. ``problems`` lists every problem found, in file and line order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.message))
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} in the data"
        super().__init__("\n".join([summary + ":", *(f"  {problem}" for problem in self.problems)]))


class UnknownEntityError(LookupError):
    """No entity has the id, name or alias asked for. ``suggestions`` holds the nearest names."""

    def __init__(self, reference: str, suggestions: list[str]) -> None:
        self.reference = reference
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"no entity is called {reference!r}{hint}")

    def __str__(self) -> str:
        return self.args[0]


class OntologyError(Exception):
    """The ontology file cannot be read: it names the file, the line and what is wrong."""


class NoPathError(LookupError):
    """Nothing links the two entities asked about."""


class ExportError(Exception):
    """An export could not be written; earlier exports are left as they were."""


class QueryError(Exception):
    """A SPARQL query could not be read or run: it says which query and why."""


class PushError(Exception):
    """The export could not be loaded into a SPARQL endpoint; the endpoint's graph is as it was."""
