"""The ``aikg`` command: a thin layer over the Python API, one command per call.

Heavy packages (rdflib, pyvis) are imported only by the commands that write exports, so that
``aikg --help`` and ``aikg show`` start fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

_DATA_OPTION = click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Data folder to read (default: the bundled data).",
)


class _Group(click.Group):
    """Turns the library's errors into a clear message and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as error:  # only the library's own errors are handled; the rest propagate
            from kg.errors import DataError, ExportError, OntologyError, UnknownEntityError

            if not isinstance(error, (DataError, ExportError, OntologyError, UnknownEntityError)):
                raise
            click.echo(f"error: {error}", err=True)
            if isinstance(error, DataError):
                click.echo("Fix the records named above, then run `aikg validate` again.", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aikg")
def main() -> None:
    """A knowledge graph of the AI industry's relationships, every fact sourced."""


@main.command()
@_DATA_OPTION
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("exports"),
              show_default=True, help="Folder to write the exports into.")
def build(data_dir: Path | None, out_dir: Path) -> None:
    """Validate the data and write aikg.ttl, aikg.nt, aikg.jsonld and aikg.html.

    All files are written or none: a failure leaves earlier exports as they were.
    """
    from kg.exporters import write_exports
    from kg.graph import load

    graph = load(data_dir)
    for path in write_exports(graph, out_dir):
        click.echo(f"wrote {path}")


@main.command()
@_DATA_OPTION
def validate(data_dir: Path | None) -> None:
    """Check the data against the ontology; report every problem with its file and line."""
    from kg.graph import load

    graph = load(data_dir)
    click.echo(f"ok: {len(graph.entities())} entities, {len(graph.deals())} deals, "
               f"{len(graph.dataset.valuations)} valuations, {len(graph.sources)} sources")


@main.command()
@click.argument("entity")
@_DATA_OPTION
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show(entity: str, data_dir: Path | None, output_format: str) -> None:
    """Show an entity: its kinds, parent, deals in and out with amounts, dates and sources."""
    from kg.graph import load

    graph = load(data_dir)
    record = graph.entity(entity)
    deals = graph.deals(product=record.id) if record.is_product else graph.deals(party=record.id)
    valuations = [] if record.is_product else graph.valuations(record.id)
    if output_format == "json":
        cited = sorted({s for item in (record, *deals, *valuations) for s in item.sources})
        document = {
            "entity": record.to_dict(),
            "deals": [deal.to_dict() for deal in deals],
            "valuations": [valuation.to_dict() for valuation in valuations],
            "sources": {source: graph.sources[source].to_dict() for source in cited},
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    _print_profile(graph, record, deals, valuations)


def _print_profile(graph, record, deals, valuations) -> None:
    """The text form of ``aikg show``: facts, then deals and valuations citing numbered sources."""
    from kg.humanize import describe_amount, describe_quantity
    from kg.model import format_partial_date

    cited: list[str] = list(record.sources)

    def marks(source_ids) -> str:
        for source_id in source_ids:
            if source_id not in cited:
                cited.append(source_id)
        return "[" + ", ".join(str(cited.index(s) + 1) for s in source_ids) + "]"

    click.echo(f"{record.name} ({record.id})")
    click.echo(f"  kinds: {', '.join(record.kinds)}")
    if record.aliases:
        click.echo(f"  also known as: {', '.join(record.aliases)}")
    for label, other in (("parent", record.parent), ("maker", record.maker)):
        if other:
            click.echo(f"  {label}: {graph.entity(other).name}")
    owned = sorted(graph.family(record.id) - {record.id})
    if owned:
        click.echo(f"  owns: {', '.join(graph.entity(o).name for o in owned)}")
    if record.sources:
        click.echo(f"  sources: {marks(record.sources)}")
    if deals:
        click.echo(f"\nDeals ({len(deals)}):")
    for deal in deals:
        role = next((r for r, ids in deal.parties.items() if record.id in ids), "product")
        others = ", ".join(f"{graph.entity(p).name} ({r})" for r, ids in deal.parties.items() for p in ids if p != record.id)
        capacity = "".join(f", {describe_quantity(q, unit)}" for q, unit in
                           ((deal.power, "GW"), (deal.chips, "chips")) if q is not None)
        click.echo(f"  {format_partial_date(deal.announced_on, deal.announced_precision):10}  {deal.kind:18}  "
                   f"as {role:9} {describe_amount(deal.amount):>20}  {deal.status:10}  with {others}{capacity}  "
                   f"{marks(deal.sources)}")
    if valuations:
        click.echo(f"\nValuations ({len(valuations)}):")
    for valuation in valuations:
        click.echo(f"  {format_partial_date(valuation.date, valuation.date_precision):10}  "
                   f"{describe_amount(valuation.amount):>20}  {valuation.basis or 'basis not stated':16}  "
                   f"{valuation.status:10}  {marks(valuation.sources)}")
    if cited:
        click.echo("\nSources:")
    for number, source_id in enumerate(cited, start=1):
        source = graph.sources[source_id]
        date = "" if source.published_on is None else \
            f", {format_partial_date(source.published_on, source.published_precision)}"
        url = f" <{source.url}>" if source.url else ""
        click.echo(f"  [{number}] {source.publisher}, \"{source.title}\"{date}{url}")
