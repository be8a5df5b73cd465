"""The ``aikg`` command: a thin layer over the Python API, one command per call.

Heavy packages (rdflib, pyvis) are imported only by the commands that write exports, so that
``aikg --help`` and ``aikg show`` start fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.exporters import FORMATS  # the registry itself is light: each format's module loads when used

_DATA_OPTION = click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Data folder to read (default: the bundled data).",
)


_FLOW_TYPE_CHOICE = click.Choice(["money", "equity", "compute", "service", "licence"])
_READING_OPTION = click.option(
    "--reading", default="committed", show_default=True, type=click.Choice(["ceiling", "committed", "closed"]),
    help="Which deals count: every announced figure with contingent ones (ceiling), not contingent ones "
         "(committed), or completed deals only (closed).")
_MAX_LENGTH_OPTION = click.option("--max-length", default=5, show_default=True, type=click.IntRange(2, 6),
                                  help="Longest loop: 2 is pairs, 3 adds A → B → C → A, ...")
_TYPES_OPTION = click.option("--type", "types", multiple=True, type=_FLOW_TYPE_CHOICE,
                             help="Only flows of this type (repeat for several); default: every type.")


def _load_graph(data_dir: Path | None, as_of: str | None):
    """The graph from a data folder, as of a date when one is given."""
    from kg.loaders import load

    graph = load(data_dir)
    if as_of is None:
        return graph
    try:
        return graph.as_of(as_of)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--as-of") from None


class _Group(click.Group):
    """Turns the library's errors into a clear message and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as error:  # only the library's own errors are handled; the rest propagate
            from kg import errors

            handled = (errors.DataError, errors.ExportError, errors.OntologyError, errors.UnknownEntityError,
                       errors.QueryError, errors.PushError, errors.NoPathError)
            if not isinstance(error, handled):
                raise
            click.echo(f"error: {error}", err=True)
            if isinstance(error, errors.DataError):
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
    from kg.loaders import load

    graph = load(data_dir)
    for path in write_exports(graph, out_dir):
        click.echo(f"wrote {path}")


@main.command("export")
@_DATA_OPTION
@click.option("--format", "format_name", type=click.Choice(list(FORMATS)),
              default=None, help="Format to write; by default the one --out's extension names.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: exports/aikg.<extension>). CSV writes FILE.nodes.csv and FILE.edges.csv.")
def export_command(data_dir: Path | None, format_name: str | None, out_file: Path | None) -> None:
    """Write the graph in one format: RDF, HTML, GraphML, GEXF or CSV."""
    from kg.exporters import export
    from kg.loaders import load

    if format_name is None and out_file is None:
        raise click.UsageError("give --format, --out, or both")
    target = out_file or Path("exports") / f"aikg{FORMATS[format_name].extension}"
    for path in export(load(data_dir), target, format_name):
        click.echo(f"wrote {path}")


@main.command()
@click.argument("query", required=False)
@_DATA_OPTION
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="table: aligned text; csv and json: the SPARQL 1.1 results formats.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="The embedded store that answers: Oxigraph (fast at any size) or rdflib.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds the query may run.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Rows to print at most (default: 1,000 in a table, all in CSV and JSON).")
@click.option("--allow-service", is_flag=True, help="Let the query call other endpoints (SERVICE).")
def sparql(query: str | None, data_dir: Path | None, output_format: str, engine: str, timeout: float,
           limit: int | None, allow_service: bool) -> None:
    """Run a SPARQL SELECT query over the graph: a shipped query's name, a .rq file, or the query text.

    Without a query, list the shipped ones. The query reads this graph only: federated queries
    (SERVICE) need --allow-service.
    """
    from kg.sparql import FORMATTERS, run_query, shipped_queries

    if query is None:
        for name, path in shipped_queries().items():
            first = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
            click.echo(f"{name:22} {first}")
        return
    from kg.loaders import load

    if limit is None and output_format == "table":
        limit = 1000
    result = run_query(load(data_dir), query, engine, allow_service=allow_service, timeout=timeout, limit=limit)
    click.echo(FORMATTERS[output_format](result), nl=False)
    if result.truncated:
        click.echo(f"(only the first {limit:,} rows; use --limit, or --format csv or json for all)", err=True)


@main.command()
@_DATA_OPTION
@click.option("--endpoint", required=True, help="Graph Store endpoint, e.g. http://localhost:7878/store for Oxigraph.")
@click.option("--graph", "graph_iri", default="https://w3id.org/aikg/data", show_default=True,
              help="IRI of the named graph to replace.")
def push(data_dir: Path | None, endpoint: str, graph_iri: str) -> None:
    """Load the graph into a SPARQL server, replacing one named graph in a single request."""
    from kg.exporters.rdf import generate_ntriples
    from kg.loaders import load
    from kg.push import push as push_graph

    text = generate_ntriples(load(data_dir))
    status = push_graph(text, endpoint, graph_iri)
    click.echo(f"pushed {text.count(chr(10))} triples to <{graph_iri}> at {endpoint} (HTTP {status})")


@main.command()
@click.argument("entity", required=False)
@_DATA_OPTION
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 6),
              help="How many deals away from ENTITY to reach.")
@click.option("--as-of", "as_of", default=None, metavar="DATE", help="The graph as known on a date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--kind", "kinds", multiple=True, metavar="KIND", help="Only entities of this kind (repeatable).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the page (default: exports/view-ENTITY.html, or exports/view.html).")
@click.option("--open", "open_page", is_flag=True, help="Open the page in a browser.")
def view(entity, data_dir, depth, as_of, kinds, out_file, open_page) -> None:
    """Write an interactive HTML view: the whole graph, or ENTITY's neighbourhood."""
    from kg.loaders import load

    graph = load(data_dir)
    try:
        page = graph.view(entity, depth=depth, as_of=as_of, kinds=kinds or None)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    target = out_file or Path("exports") / (f"view-{graph.entity(entity).id}.html" if entity else "view.html")
    page.save(target)
    click.echo(f"wrote {target} ({len(page.graph.entities())} entities, {len(page.graph.deals())} deals)")
    if open_page:
        import webbrowser

        webbrowser.open(target.resolve().as_uri())


@main.command("report")
@_DATA_OPTION
@click.option("--as-of", "as_of", default=None, metavar="DATE", help="The graph as known on a date: YYYY, YYYY-MM or YYYY-MM-DD.")
@_READING_OPTION
@click.option("--runs", default=1000, show_default=True, type=click.IntRange(2), help="Rewired graphs for the null model.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the null model.")
@click.option("--format", "format_name", type=click.Choice(["html", "md"]), default=None,
              help="html (charts inline) or md (the same tables); by default the one --out's extension names, else html.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write it (default: exports/report.html or exports/report.md).")
def report(data_dir, as_of, reading, runs, seed, format_name, out_file) -> None:
    """Write the circularity report: one offline file with the index over time, the top loops and their
    sources, hubs with their significance, and who is exposed if a large lab fails to pay."""
    from kg.report import write_report

    if format_name is None:
        format_name = "md" if out_file is not None and out_file.suffix.lower() in (".md", ".markdown") else "html"
    graph = _load_graph(data_dir, as_of)
    target = out_file or Path("exports") / f"report.{format_name}"
    write_report(graph, target, format_name, reading, runs, seed)
    click.echo(f"wrote {target}")


@main.command()
@_DATA_OPTION
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--core", "show_core", is_flag=True,
              help="Also list the core organizations the folder's coverage.yaml names, with their large deals.")
def stats(data_dir: Path | None, output_format: str, show_core: bool) -> None:
    """Count entities and deals by kind and by year, show how well they are sourced, and what the data
    claims to cover."""
    from kg.analysis.stats import core_organizations
    from kg.humanize import format_usd
    from kg.loaders import load
    from kg.loaders.coverage import read_coverage
    from kg.resources import DATA_DIR

    graph = load(data_dir)
    numbers = graph.stats()
    coverage = read_coverage(data_dir or DATA_DIR)
    core = [] if coverage is None or not show_core else core_organizations(
        graph, coverage.core_organizations, coverage.core_since, coverage.core_above_usd)
    if output_format == "json":
        click.echo(json.dumps({**numbers.to_dict(), "coverage": None if coverage is None else coverage.__dict__,
                               "core": [member.__dict__ for member in core]}, indent=2))
        return

    def share(part: int, whole: int) -> str:
        return f"{part} of {whole} ({100 * part / whole:.0f}%)" if whole else "0"

    click.echo(f"{numbers.organizations} organizations, {numbers.products} products, {numbers.deals} deals, "
               f"{numbers.valuations} valuations, {numbers.sources} sources from {numbers.publishers} publishers")
    if coverage is not None:
        click.echo(f"Current to {coverage.current_until} (newest deal {numbers.newest_deal}); complete for the core: "
                   f"the {coverage.core_organizations} organizations with the most money, every deal above "
                   f"{format_usd(coverage.core_above_usd)} since {coverage.core_since} (see data/README.md)")
    for title, counts in (("Entities by kind", numbers.entities_by_kind), ("Deals by kind", numbers.deals_by_kind),
                          ("Deals by status", numbers.deals_by_status), ("Deals by year", numbers.deals_by_year)):
        click.echo(f"\n{title}:")
        width = max(len(str(key)) for key in counts) if counts else 0
        for key, count in counts.items():
            click.echo(f"  {str(key):{width}}  {count:4}  {'#' * max(1, round(40 * count / max(counts.values())))}")
    click.echo("\nSourcing (independent: from two writers or more; a republished story counts for its writer):")
    click.echo(f"  deals with a source             {share(numbers.deals_sourced, numbers.deals)}")
    click.echo(f"  deals with two sources or more  {share(numbers.deals_with_two_sources, numbers.deals)}")
    click.echo(f"  deals of $1B or more, independently sourced  "
               f"{share(numbers.large_deals_independently_sourced, numbers.large_deals)}")
    click.echo(f"  deals with an amount            {share(numbers.deals_with_amount, numbers.deals)}")
    click.echo(f"  sources with a URL              {share(numbers.sources_with_url, numbers.sources)}")
    click.echo(f"  sources with a date             {share(numbers.sources_with_date, numbers.sources)}")
    click.echo("\nSourcing by year:  deals  with an amount  independently sourced  $1B+ independently sourced")
    for year, row in numbers.sourcing_by_year.items():
        click.echo(f"  {year}  {row['deals']:13}  {row['amount']:14}  {row['independently_sourced']:21}  "
                   f"{row['large_independently_sourced']:>9} of {row['large']}")
    if core:
        click.echo(f"\nThe core: deals above {format_usd(coverage.core_above_usd)} since {coverage.core_since}")
        for rank, member in enumerate(core, 1):
            kinds = ", ".join(f"{kind} {count}" for kind, count in member.deals_by_kind.items())
            click.echo(f"  {rank:2}. {member.organization:32} {format_usd(member.money_usd):>9}  {member.deals:3}  {kinds}")


@main.command()
@_DATA_OPTION
@click.option("--sample", "size", default=40, show_default=True, type=click.IntRange(1), help="How many facts to draw.")
@click.option("--seed", default=0, show_default=True, type=int, help="The draw's seed: the same seed draws the same facts.")
@click.option("--baseline", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="An older data folder: draw only among the facts added or changed since.")
@click.option("--format", "output_format", type=click.Choice(["md", "json"]), default="md", show_default=True)
def audit(data_dir: Path | None, size: int, seed: int, baseline: Path | None, output_format: str) -> None:
    """Draw facts to re-check by hand, each with what the data states and its sources' addresses."""
    from kg.audit import as_json, as_markdown, audit_sample
    from kg.loaders import load

    graph = load(data_dir)
    sample = audit_sample(graph, size, seed, None if baseline is None else load(baseline))
    if output_format == "json":
        click.echo(as_json(sample), nl=False)
        return
    scope = f", among the facts new or changed since {baseline}" if baseline else ""
    click.echo(as_markdown(sample, f"Audit: {len(sample)} facts drawn with seed {seed}{scope}"), nl=False)


@main.command("import-crunchbase")
@click.argument("export_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the data into, in the bulk CSV layout.")
def import_crunchbase_command(export_dir: Path, out_dir: Path) -> None:
    """Turn a Crunchbase-style export (organizations, funding rounds, investments, acquisitions) into data."""
    import tempfile

    from kg.loaders.crunchbase import import_crunchbase
    from kg.exporters.csvfolder import write_csv_folder
    from kg.loaders import load

    dataset, skipped = import_crunchbase(export_dir)
    with tempfile.TemporaryDirectory() as trial:  # validate before writing anything where asked
        write_csv_folder(dataset, trial)
        graph = load(trial)
    write_csv_folder(dataset, out_dir)
    click.echo(f"wrote {out_dir}: {len(graph.entities())} organizations, {len(graph.deals())} deals, "
               f"{len(graph.dataset.valuations)} valuations"
               + (f"; {skipped} funding rounds without an investor left out" if skipped else ""))


@main.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@_DATA_OPTION
@click.option("--date", "published_on", default=None, metavar="YYYY-MM-DD",
              help="When the article was published (default: the date its dateline shows, else today, with a "
                   "warning); relative dates are read from it.")
@click.option("--source-url", default=None, help="The article's address, recorded as its source (one article only).")
@click.option("--publisher", default=None, help="Who published it (default: the address's host).")
@click.option("--title", default=None, help="Its headline (default: its first line; one article only).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the candidates (default: print them).")
@click.option("--extractor", type=click.Choice(["patterns", "llm"]), default="patterns", show_default=True,
              help="patterns: offline and deterministic; llm: ask a language model (needs --endpoint and --model).")
@click.option("--endpoint", default=None, metavar="URL",
              help="An OpenAI-compatible server's base URL, such as http://localhost:8080/v1 (with --extractor llm); "
                   "a key, if one is needed, in $AIKG_LLM_API_KEY.")
@click.option("--model", default=None, metavar="NAME", help="The model to ask (with --extractor llm).")
def ingest(articles, data_dir, published_on, source_url, publisher, title, out_file, extractor, endpoint, model) -> None:
    """Read news articles (text, Markdown or HTML) and propose the deals and valuations they state.

    The candidates come in the data's format, each quoting its sentence; review them with `aikg review`.
    Given several articles (a week of news), a fact two of them state is one candidate citing both.
    """
    import datetime as dt

    from kg.files import write_files
    from kg.loaders import load
    from kg.loaders.review import combine, dump
    from kg.loaders.review import ingest as ingest_article

    from kg.loaders.article import article_text
    from kg.loaders.figures import article_date

    try:
        day = dt.date.fromisoformat(published_on) if published_on else None
    except ValueError:
        raise click.BadParameter(f"{published_on!r} is not a date like 2026-04-21", param_hint="--date") from None
    if len(articles) > 1 and (source_url or title):
        raise click.UsageError("--source-url and --title describe one article: give them with one ARTICLE")
    read = None
    if extractor == "llm":
        if not endpoint or not model:
            raise click.UsageError("--extractor llm needs --endpoint URL and --model NAME")
        from kg.loaders.llm import ExtractorError, ask, check

        def read(graph, text, when, source_id):
            try:
                answer = check(graph, text, ask(endpoint, model, text, when), when, source_id)
            except ExtractorError as error:
                raise click.ClickException(str(error)) from None
            for rejected in answer.rejected:
                click.echo(f"rejected: {rejected.reason}: {json.dumps(rejected.fact, ensure_ascii=False)[:200]}", err=True)
            return answer.found
    graph = load(data_dir)
    documents = []
    for article in articles:
        try:
            raw = article.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise click.BadParameter(f"{article} is not UTF-8 text", param_hint="ARTICLE") from None
        when = day
        try:
            if when is None:
                when = article_date(article_text(raw))
                if when is None:
                    when = dt.date.today()
                    click.echo(f"warning: {article} shows no publication date, so its dates are read as of today "
                               f"({when}); pass --date YYYY-MM-DD", err=True)
                else:
                    click.echo(f"{article}: published on {when}, by the article's dateline (pass --date to say otherwise)",
                               err=True)
            documents.append(ingest_article(graph, raw, when, title, source_url, publisher, read))
        except ValueError as error:
            raise click.BadParameter(f"{article}: {error}", param_hint="ARTICLE") from None
    document = combine(documents)
    text = dump(document)
    if out_file is None:
        click.echo(text, nl=False)
        return
    write_files({out_file: text})
    repeated = sum(len(r["sources"]) > 1 for r in document["deals"] + document["valuations"])
    click.echo(f"wrote {out_file}: {len(document['deals'])} deals, {len(document['valuations'])} valuations, "
               f"{len(document['entities'])} new organizations to review"
               + (f", from {len(articles)} articles ({repeated} stated by more than one)" if len(articles) > 1 else ""))


@main.command()
@click.argument("candidates", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Data folder to merge into (default: the bundled data).")
def review(candidates, data_dir) -> None:
    """Walk through candidate facts: accept, edit or reject each, then merge the accepted into the data.

    Nothing is merged unless the data, with the accepted records, passes `aikg validate`.
    """
    import yaml

    from kg.loaders import load
    from kg.loaders.review import consequences, doubts, load_candidates, merge
    from kg.resources import DATA_DIR

    document = load_candidates(candidates)
    graph = load(data_dir)
    accepted: dict[str, list] = {section: [] for section in document}
    pending = [(section, record) for section in ("entities", "deals", "valuations") for record in document[section]]
    for number, (section, record) in enumerate(pending, start=1):
        quote = (record.get("candidate") or {}).get("quote", "")
        shown = {key: value for key, value in record.items() if key != "candidate"}
        singular = {"entities": "new organization", "deals": "deal", "valuations": "valuation"}[section]
        confidence = (record.get("candidate") or {}).get("confidence")
        click.echo(f"\n[{number}/{len(pending)}] {singular}{', low confidence' if confidence == 'low' else ''}  "
                   f"\u201c{quote}\u201d")
        for more in (record.get("candidate") or {}).get("also", []):
            click.echo(f"  and \u201c{more}\u201d")
        click.echo(yaml.safe_dump(shown, sort_keys=False, allow_unicode=True, width=110).rstrip())
        for doubt in doubts(graph, section, record):
            click.echo(f"! {doubt}")
        for line in consequences(graph, section, record):
            click.echo(f"= {line}")
        while True:
            choice = click.prompt("accept, edit, reject or quit", type=click.Choice(["a", "e", "r", "q"]),
                                  show_choices=True, default="r")
            if choice == "e":
                edited = click.edit(yaml.safe_dump(shown, sort_keys=False, allow_unicode=True))
                if edited is None:
                    continue
                try:
                    edited_record = yaml.safe_load(edited)
                except yaml.YAMLError as error:
                    click.echo(f"not YAML: {error}; the record is as it was", err=True)
                    continue
                if not isinstance(edited_record, dict) or not edited_record:
                    click.echo("the edit is not a record (field: value lines); the record is as it was", err=True)
                    continue
                shown = edited_record
                click.echo(yaml.safe_dump(shown, sort_keys=False, allow_unicode=True, width=110).rstrip())
                continue
            break
        if choice == "q":
            break
        if choice == "a":
            accepted[section].append({**shown, "candidate": record.get("candidate")})
    if not any(accepted[section] for section in ("entities", "deals", "valuations")):
        click.echo("nothing accepted; the data is unchanged")
        return
    cited = {s for section in ("entities", "deals", "valuations") for r in accepted[section] for s in r.get("sources", [])}
    accepted["sources"] = [source for source in document["sources"] if source.get("id") in cited]
    written = merge(accepted, data_dir or DATA_DIR)
    counts = ", ".join(f"{len(accepted[s])} {s}" for s in ("entities", "deals", "valuations", "sources") if accepted[s])
    click.echo(f"merged {counts} into {', '.join(str(p) for p in written)}")


@main.command()
@_DATA_OPTION
def validate(data_dir: Path | None) -> None:
    """Check the data against the ontology; report every problem with its file and line.

    Facts that cannot be true are errors (exit status 1); facts that fit together oddly are warnings,
    each worth a look, and leave the data valid.
    """
    from kg.loaders import load
    from kg.loaders.consistency import consistency_warnings
    from kg.resources import DATA_DIR

    graph = load(data_dir)
    for warning in consistency_warnings(graph.dataset, data_dir or DATA_DIR):
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"ok: {len(graph.entities())} entities, {len(graph.deals())} deals, "
               f"{len(graph.dataset.valuations)} valuations, {len(graph.sources)} sources")


@main.command()
@click.argument("entity")
@_DATA_OPTION
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show(entity: str, data_dir: Path | None, output_format: str) -> None:
    """Show an entity: its kinds, parent, deals in and out with amounts, dates and sources."""
    from kg.loaders import load

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
    from kg.humanize import describe_amount, describe_quantity, printable
    from kg.model import format_partial_date

    def say(text: str) -> None:  # the data's text, with no escape sequence reaching the terminal
        click.echo(printable(text))

    cited: list[str] = list(record.sources)

    def marks(source_ids) -> str:
        for source_id in source_ids:
            if source_id not in cited:
                cited.append(source_id)
        return "[" + ", ".join(str(cited.index(s) + 1) for s in source_ids) + "]"

    say(f"{record.name} ({record.id})")
    say(f"  kinds: {', '.join(record.kinds)}")
    if record.aliases:
        say(f"  also known as: {', '.join(record.aliases)}")
    if record.parent:
        dated = [f"{word} {format_partial_date(date, precision)}" for word, date, precision in
                 (("since", record.parent_since, record.parent_since_precision),
                  ("until", record.parent_until, record.parent_until_precision)) if date is not None]
        say(f"  parent: {graph.entity(record.parent).name}{' (' + ', '.join(dated) + ')' if dated else ''}")
    if record.maker:
        say(f"  maker: {graph.entity(record.maker).name}")
    owned = sorted(graph.family(record.id) - {record.id})
    if owned:
        say(f"  owns: {', '.join(graph.entity(o).name for o in owned)}")
    if record.sources:
        say(f"  sources: {marks(record.sources)}")
    if deals:
        say(f"\nDeals ({len(deals)}):")
    for deal in deals:
        role = next((r for r, ids in deal.parties.items() if record.id in ids), "product")
        others = ", ".join(f"{graph.entity(p).name} ({r})" for r, ids in deal.parties.items() for p in ids if p != record.id)
        capacity = "".join(f", {describe_quantity(q, unit)}" for q, unit in
                           ((deal.power, "GW"), (deal.chips, "chips")) if q is not None)
        say(f"  {format_partial_date(deal.announced_on, deal.announced_precision):10}  {deal.kind:18}  "
                   f"as {role:9} {describe_amount(deal.amount):>20}  {deal.status:10}  with {others}{capacity}  "
                   f"{marks(deal.sources)}")
    if valuations:
        say(f"\nValuations ({len(valuations)}):")
    for valuation in valuations:
        say(f"  {format_partial_date(valuation.date, valuation.date_precision):10}  "
                   f"{describe_amount(valuation.amount):>20}  {valuation.basis or 'basis not stated':16}  "
                   f"{valuation.status:10}  {marks(valuation.sources)}")
    if cited:
        say("\nSources:")
    for number, source_id in enumerate(cited, start=1):
        source = graph.sources[source_id]
        date = "" if source.published_on is None else \
            f", {format_partial_date(source.published_on, source.published_precision)}"
        url = f" <{source.url}>" if source.url else ""
        say(f"  [{number}] {source.publisher}, \"{source.title}\"{date}{url}")


# -------------------------------------------------------------------------------------------------
# Alliance queries: one command per method of KnowledgeGraph, each with --as-of and --format.


def _query_command(name: str, help_text: str, arguments: tuple[str, ...] = ()):
    """A command that loads the graph (as of a date), calls one query and prints its rows."""

    def decorate(produce):
        @click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table",
                      show_default=True, help="table: aligned, amounts in human units; json and csv: raw values.")
        @click.option("--as-of", "as_of", default=None, metavar="DATE",
                      help="Ask of the graph as known on a date: YYYY, YYYY-MM or YYYY-MM-DD.")
        @_DATA_OPTION
        def command(data_dir, as_of, output_format, **kwargs):
            from kg.render import format_rows

            rows, columns = produce(_load_graph(data_dir, as_of), **kwargs)
            click.echo(format_rows(rows, output_format, columns), nl=False)

        command.__doc__ = help_text
        command.__click_params__.extend(getattr(produce, "__click_params__", []))
        for argument in reversed(arguments):
            command = click.argument(argument)(command)
        return main.command(name)(command)

    return decorate


def _dicts(table, columns: list[str]) -> tuple[list[dict], list[str]]:
    return [{column: row[column] for column in columns} for row in table.to_dicts()], columns


def _investment_rows(table, side: str) -> tuple[list[dict], list[str]]:
    # Totals stay whole: the table prints "≥ $13.0B (+1 undisclosed)", JSON an object, CSV three columns.
    columns = [side, "committed", "contingent", "deals", "rounds", "shared", "secondary"]
    return [{column: getattr(r, column) for column in columns} for r in table], columns


@_query_command("investors", "Who funds ENTITY, and how much each put in (contingent money apart).", ("entity",))
def investors_command(graph, entity):
    return _investment_rows(graph.investors_of(entity), "investor")


@_query_command("investments", "Where ENTITY invested, and how much.", ("entity",))
def investments_command(graph, entity):
    return _investment_rows(graph.investments_by(entity), "investee")


@_query_command("allies", "ENTITY's closest allies: counterparties first, by tie strength.", ("entity",))
def allies_command(graph, entity):
    columns = ["ally", "strength", "counterparty", "money", "deals"]
    return [{column: getattr(r, column) for column in columns} for r in graph.allies(entity)], columns


@_query_command("alliances", "Blocs of corporate families that deal mostly with each other.")
@click.option("--backend", type=click.Choice(["networkx", "igraph"]), default="networkx", show_default=True,
              help="networkx: Louvain; igraph: Leiden, faster on large graphs (pip install \"aikg[fast]\").")
def alliances_command(graph, backend):
    try:
        blocs = graph.alliances(backend)
    except ImportError as error:
        raise click.ClickException(str(error)) from None
    return _dicts(blocs, ["hub", "members", "total_usd", "deals"])


@_query_command("path", "The shortest chain of deals and links from SOURCE to TARGET.", ("source", "target"))
def path_command(graph, source, target):
    return _dicts(graph.path(source, target), ["source", "target", "relation", "deal", "source_role", "target_role"])


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _arrow(families) -> str:
    return " → ".join(list(families) + list(families[:1]))


@_query_command("loops", "Loops of 2 to 5 corporate families that pay each other round, scored, with their evidence.")
@_MAX_LENGTH_OPTION
@_READING_OPTION
@_TYPES_OPTION
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the best N loops.")
def loops_command(graph, max_length, reading, types, limit):
    rows = []
    for loop in graph.loops(max_length, reading, types or None, limit):
        rows.append({"loop": _arrow(loop.families), "score": loop.score, "balance": _round(loop.balance),
                     "diversity": _round(loop.diversity), "evidence": _round(loop.evidence),
                     "circulating_usd": loop.circulating_usd, "closed_on": loop.closed_on.isoformat(),
                     "steps": [step.amount for step in loop.steps],
                     "exchanges": ["+".join(step.exchanges) for step in loop.steps],
                     "deals": [" + ".join(step.deals) for step in loop.steps],
                     "sources": [" + ".join(step.sources) for step in loop.steps], "reading": reading})
    return rows, ["loop", "score", "balance", "diversity", "evidence", "circulating_usd", "closed_on", "steps",
                  "exchanges", "deals", "sources", "reading"]


@_query_command("hubs", "Corporate families ranked by the loops that run through them, weighted by money.")
@_MAX_LENGTH_OPTION
@_READING_OPTION
@_TYPES_OPTION
def hubs_command(graph, max_length, reading, types):
    rows = [{"family": hub.family, "loops": hub.loops, "score": _round(hub.score), "share": _round(hub.share),
             "circulating": hub.circulating, "reading": reading} for hub in graph.hubs(max_length, reading, types or None)]
    return rows, ["family", "loops", "score", "share", "circulating", "reading"]


@_query_command("circularity", "The share of money that returns to its payer's family within a few steps.")
@_MAX_LENGTH_OPTION
@_READING_OPTION
@_TYPES_OPTION
@click.option("--by-year", is_flag=True, help="Year by year from --from to the graph's date, with the loops each closed.")
@click.option("--from", "first", default=2019, show_default=True, type=click.IntRange(1900, 2200),
              help="First year, with --by-year.")
def circularity_command(graph, max_length, reading, types, by_year, first):
    if by_year:
        rows = [{"year": year.year, "as_of": year.as_of.isoformat(), "loops": year.loops,
                 "index": _round(year.index, 4), "on_loops": _round(year.on_loops, 4), "total_usd": year.total_usd,
                 "closed": list(year.closed), "reading": reading}
                for year in graph.circularity_by_year(first, None, max_length, reading, types or None)]
        return rows, ["year", "as_of", "loops", "index", "on_loops", "total_usd", "closed", "reading"]
    index = graph.circularity_index(max_length, reading, types or None)
    row = {**index.to_dict(), "index": _round(index.index, 4), "on_loops": _round(index.on_loops, 4)}
    return [row], ["as_of", "reading", "max_length", "loops", "index", "on_loops", "returned_usd", "on_loops_usd",
                   "total_usd", "undisclosed_edges"]


@_query_command("significance", "The loops, circularity index and hub scores against rewired graphs: z and p.")
@click.option("--runs", default=1000, show_default=True, type=click.IntRange(2), help="Rewired graphs to draw.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the random rewiring.")
@click.option("--model", default="degree", show_default=True, type=click.Choice(["degree", "typed"]),
              help="Keep each family's in- and out-degree (degree), and also what each edge buys (typed).")
@_MAX_LENGTH_OPTION
@_READING_OPTION
@_TYPES_OPTION
@click.option("--workers", default=None, type=click.IntRange(1), metavar="N",
              help="Processes measuring the rewired graphs (default: every core, when the job is large).")
def significance_command(graph, runs, seed, model, max_length, reading, types, workers):
    rows = [{**row.to_dict(), "observed": _round(row.observed, 4), "mean": _round(row.mean, 4),
             "std": _round(row.std, 4), "z": _round(row.z, 2), "p": _round(row.p, 4)}
            for row in graph.significance(runs, seed, model, max_length, reading, types or None,
                                          workers=workers)]
    return rows, ["measure", "observed", "mean", "std", "z", "p", "runs", "model", "reading"]


def _exposure(graph, entity: str, shock: str, reading: str, max_order: int):
    try:
        return graph.exposure(entity, shock, reading, max_order)  # the library reads "default" or a share
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--shock") from None


@_query_command("exposure", "Who is exposed if ENTITY fails to pay, or loses a share of its value.", ("entity",))
@click.option("--shock", default="default", show_default=True,
              help="'default' (fails to pay) or a share of value lost, such as 0.5.")
@click.option("--max-order", default=3, show_default=True, type=click.IntRange(1, 6),
              help="How far to propagate: 1 is direct counterparties only.")
@_READING_OPTION
def exposure_command(graph, entity, shock, max_order, reading):
    rows = [{"family": row.family, "order": row.order, "path": " → ".join(row.path),
             "channels": list(row.channels), "at_risk": row.at_risk, "loss_usd": row.loss_usd,
             "knock_on_usd": row.knock_on_usd,
             "gigawatts": row.gigawatts, "stress": _round(row.stress), "deals": list(row.deals), "reading": reading}
            for row in _exposure(graph, entity, shock, reading, max_order)]
    return rows, ["family", "order", "path", "channels", "at_risk", "loss_usd", "knock_on_usd", "gigawatts", "stress",
                  "deals",
                  "reading"]


@_query_command("value-flows", "Every value flow of the deals that count: who pays whom, what, how much.")
@click.option("--type", "kind", default=None, type=_FLOW_TYPE_CHOICE, help="Only flows of this type.")
@click.option("--entity", default=None, help="Only flows to or from this organization's family.")
@_READING_OPTION
def value_flows_command(graph, kind, entity, reading):
    family = None if entity is None else graph.family(entity)
    rows = [flow.to_dict() for flow in graph.flows(kind, reading=reading)
            if family is None or family & {*flow.payers, *flow.payees}]
    return rows, ["announced_on", "deal", "type", "payers", "payees", "amount_usd", "amount_qualifier", "shared",
                  "principal", "status"]


@_query_command("compute", "Compute ENTITY has secured, with gigawatts totalled by layer and qualifier.", ("entity",))
def compute_command(graph, entity):
    secured = graph.compute_secured(entity)
    rows = [row.to_dict() for row in secured.commitments]
    rows += [{"deal": "total", "layer": total.layer, "power_gw": total.gigawatts, "power_qualifier": total.qualifier}
             for total in secured.totals]
    return rows, ["deal", "providers", "announced_on", "status", "layer", "power_gw", "power_qualifier", "chips",
                  "amount_usd", "amount_qualifier"]


@_query_command("timeline", "Every dated deal and valuation of ENTITY, oldest first.", ("entity",))
def timeline_command(graph, entity):
    from kg.model import format_partial_date

    rows = [{**event.to_dict(), "date": format_partial_date(event.date, event.precision)}
            for event in graph.timeline(entity)]
    return rows, ["date", "kind", "id", "amount_usd", "qualifier", "status", "title"]


@_query_command("conflicts", "Figures that different sources report differently.")
def conflicts_command(graph):
    rows = [{"subject": conflict.subject, "topic": conflict.topic, "record": claim.record,
             "amount_usd": claim.amount_usd, "qualifier": claim.qualifier, "detail": claim.detail,
             "sources": list(claim.sources)}
            for conflict in graph.conflicts() for claim in conflict.claims]
    return rows, ["subject", "topic", "record", "amount_usd", "qualifier", "detail", "sources"]
