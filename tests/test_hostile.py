"""Hostile input and failing servers: each case ends in a clear message and a non-zero exit, never a
traceback, a hang, a leak or lost data. Time bounds are generous: they catch a quadratic step or a hang,
not a slow machine."""

from __future__ import annotations

import http.server
import os
import socket
import socketserver
import stat
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.errors import PushError, QueryError
from kg.files import write_files
from kg.push import push
from kg.sparql import run_query

from conftest import MINIMAL, write_data


@pytest.fixture(autouse=True)
def no_thread_outlives_its_test():
    """Worker threads a timed-out query or push left behind finish before the next test, so that none
    frees objects while another test counts them."""
    before = set(threading.enumerate())
    yield
    for thread in set(threading.enumerate()) - before:
        if thread.name.startswith(("aikg-", "hostile-")):
            thread.join(15)
            assert not thread.is_alive(), f"{thread.name} outlived its test"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- 1. exports write through devices, pipes and links -------------------------------------------

def test_an_export_to_dev_null_leaves_it_a_device(tmp_path):
    data = write_data(tmp_path / "data")
    result = run("export", "--format", "ttl", "--out", "/dev/null", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_an_export_through_a_link_replaces_its_target_and_keeps_the_link(tmp_path):
    data = write_data(tmp_path / "data")
    target, link = tmp_path / "real.ttl", tmp_path / "link.ttl"
    target.write_text("old", encoding="utf-8")
    link.symlink_to(target)
    assert run("export", "--out", str(link), "--data", str(data)).exit_code == 0
    assert link.is_symlink() and "big-co" in target.read_text(encoding="utf-8")


def test_an_export_into_a_pipe_streams_through_it(tmp_path):
    data = write_data(tmp_path / "data")
    fifo = tmp_path / "pipe.nt"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    assert run("export", "--format", "nt", "--out", str(fifo), "--data", str(data)).exit_code == 0
    reader.join(10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and "big-co" in received[0]


def test_a_link_to_nowhere_is_refused_before_anything_is_written(tmp_path):
    link = tmp_path / "out" / "dangling.ttl"
    link.parent.mkdir()
    link.symlink_to(tmp_path / "missing-folder" / "x.ttl")
    kept = tmp_path / "out" / "kept.nt"
    with pytest.raises(kg.ExportError, match="whose folder does not exist"):
        write_files({kept: "new", link: "text"})
    assert not kept.exists()


def test_writers_into_one_folder_take_turns(tmp_path):
    import fcntl

    folder = tmp_path / "exports"
    folder.mkdir()
    handle = os.open(folder, os.O_RDONLY)
    fcntl.flock(handle, fcntl.LOCK_EX)  # another build holds the folder
    writer = threading.Thread(target=write_files, args=({folder / "a.nt": "mine"},), daemon=True)
    writer.start()
    writer.join(0.5)
    assert writer.is_alive() and not (folder / "a.nt").exists()
    os.close(handle)  # the other build is done
    writer.join(10)
    assert (folder / "a.nt").read_text(encoding="utf-8") == "mine"


# --- 2 and 10. push builds its URL safely and bounds the exchange --------------------------------

class _Recorder(socketserver.ThreadingTCPServer):
    """A loopback server that records each request line and answers as ``respond`` says."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, respond) -> None:
        self.requests: list[str] = []
        self.stopping = threading.Event()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                data = b""
                self.request.settimeout(5)
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = self.request.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                except OSError:
                    return
                outer.requests.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
                try:
                    respond(self.request, outer.stopping)
                except OSError:
                    pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True, name="hostile-server").start()

    def process_request(self, request, client_address) -> None:
        worker = threading.Thread(target=self.process_request_thread, args=(request, client_address),
                                  daemon=True, name="hostile-handler")
        worker.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def server(request):
    made = []

    def start(respond):
        made.append(_Recorder(respond))
        return made[-1]

    yield start
    for recorder in made:
        recorder.stopping.set()
        recorder.shutdown()
        recorder.server_close()


@pytest.mark.parametrize("endpoint", ["{url}/store#x", "http://[::1", "http://a b/", "{url}:99999/store",
                                      "ftp://example.org/store"])
def test_push_refuses_urls_it_would_mangle_and_sends_nothing(server, endpoint):
    recorder = server(lambda sock, stopping: sock.sendall(b"HTTP/1.1 204 No Content\r\n\r\n"))
    endpoint = endpoint.format(url=recorder.url)
    result = run("push", "--endpoint", endpoint, "--graph", "https://example.org/mine", "--data",
                 str(write_data(Path(os.environ.get("TMPDIR", "/tmp")) / f"push-{os.getpid()}")))
    assert result.exit_code == 1 and "error:" in result.output and "Traceback" not in result.output
    assert recorder.requests == []


def test_push_puts_the_graph_parameter_in_the_query(server):
    recorder = server(lambda sock, stopping: sock.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"))
    assert push("<a:b> <a:c> <a:d> .\n", f"{recorder.url}/store?x=1", "https://example.org/mine", timeout=10) == 204
    assert recorder.requests == ["PUT /store?x=1&graph=https%3A%2F%2Fexample.org%2Fmine HTTP/1.1"]


def test_push_survives_a_short_error_body(server):
    recorder = server(lambda sock, stopping: sock.sendall(b"HTTP/1.1 500 Oops\r\nContent-Length: 100\r\n\r\nshort"))
    with pytest.raises(PushError, match="500|broke off"):
        push("<a:b> <a:c> <a:d> .\n", f"{recorder.url}/store", timeout=10)


def test_push_reads_little_of_a_huge_error_body(server):
    def huge(sock, stopping):
        sock.sendall(b"HTTP/1.1 500 Oops\r\nContent-Length: 100000000000\r\n\r\n" + b"x" * 1_000_000)

    recorder = server(huge)
    started = time.monotonic()
    with pytest.raises(PushError, match="HTTP 500") as caught:
        push("<a:b> <a:c> <a:d> .\n", f"{recorder.url}/store", timeout=10)
    assert len(str(caught.value)) < 700 and time.monotonic() - started < 10


def test_push_gives_up_on_a_server_that_trickles(server):
    def trickle(sock, stopping):
        for byte in b"HTTP/1.1 204 No Content\r\n\r\n":
            sock.sendall(bytes([byte]))
            if stopping.wait(0.5):
                sock.close()  # the push's worker sees the end of the answer, and stops
                return

    recorder = server(trickle)
    started = time.monotonic()
    with pytest.raises(PushError, match="did not answer within 2 s"):
        push("<a:b> <a:c> <a:d> .\n", f"{recorder.url}/store", timeout=2)
    assert time.monotonic() - started < 6


# --- 3. YAML alias bombs -------------------------------------------------------------------------

BOMB = "- id: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  {name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi"))


def test_a_billion_laughs_is_refused_at_once(tmp_path):
    data = write_data(tmp_path / "data")
    (data / "deals.yaml").write_text(BOMB, encoding="utf-8")
    started = time.monotonic()
    result = run("validate", "--data", str(data))
    assert result.exit_code == 1 and "anchors and aliases expand to more than 1,000,000 values" in result.output
    assert time.monotonic() - started < 10


def test_an_alias_inside_itself_is_refused(tmp_path):
    data = write_data(tmp_path / "data")
    (data / "deals.yaml").write_text("- id: &a [*a]\n", encoding="utf-8")
    started = time.monotonic()
    result = run("validate", "--data", str(data))
    assert result.exit_code == 1 and "anchors and aliases expand" in result.output and time.monotonic() - started < 10


def test_a_few_aliases_are_fine(tmp_path):
    data = write_data(tmp_path / "data")
    edit(data, "entities.yaml", "kinds: [company, investor]", "kinds: &both [company, investor]")
    edit(data, "entities.yaml", "kinds: [ai-lab]", "kinds: *both")
    assert run("validate", "--data", str(data)).exit_code == 0


# --- 4. SPARQL reads this graph only -------------------------------------------------------------

@pytest.fixture
def silent_server():
    """A loopback port that accepts connections, records them, and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)  # closing a socket does not wake a thread blocked in accept()
    accepted: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        while not done.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    threading.Thread(target=accept, daemon=True, name="hostile-accept").start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql", accepted
    done.set()
    listener.close()
    for connection in accepted:
        connection.close()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_federated_query_is_refused_unless_allowed(bundled, silent_server, engine):
    endpoint, accepted = silent_server
    query = f"SELECT * {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryError, match="--allow-service"):
        run_query(bundled, query, engine)
    time.sleep(0.2)
    assert accepted == []


def test_an_allowed_federated_query_still_times_out(bundled, silent_server):
    endpoint, accepted = silent_server
    started = time.monotonic()
    with pytest.raises(QueryError, match="did not finish within 1 s"):
        run_query(bundled, f"SELECT * {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}", allow_service=True, timeout=1)
    assert time.monotonic() - started < 10


def test_rdflib_never_fetches_the_graph_a_from_names(bundled, tmp_path):
    secret = tmp_path / "secret.nt"
    secret.write_text("<https://example.org/secret> <https://example.org/p> \"leaked\" .\n", encoding="utf-8")
    result = run_query(bundled, f"SELECT ?o FROM <{secret.as_uri()}> {{ ?s ?p ?o }}", "rdflib")
    assert all("leaked" not in str(value) for row in result.rows for value in row)


def test_tables_stop_at_a_limit_and_say_so(tmp_path):
    data = write_data(tmp_path / "data")
    result = CliRunner().invoke(main, ["sparql", "SELECT * { ?s ?p ?o }", "--data", str(data), "--limit", "3"])
    assert result.exit_code == 0 and "(3 rows)" in result.output
    assert "only the first 3 rows" in result.output
    long = run("sparql", "SELECT * { ?s ?p ?o }", "--data", str(data), "--format", "csv")
    assert len(long.output.splitlines()) > 4


def test_a_syntax_error_names_the_line_of_the_query_as_written(bundled):
    with pytest.raises(QueryError, match=r"error at 3:"):
        run_query(bundled, "SELECT *\nWHERE {\n  ?s ?p ?o . FILTER( }")


# --- 5. spreadsheets and terminals ---------------------------------------------------------------

def test_formulas_in_names_reach_a_spreadsheet_as_text(tmp_path):
    data = write_data(tmp_path / "data")
    edit(data, "entities.yaml", "name: Big Co", 'name: "=HYPERLINK(\\"https://evil.example\\")"')
    edit(data, "entities.yaml", "name: Small Lab", 'name: "+cmd|\' /C calc\'!A0"')
    assert run("export", "--format", "csv", "--out", str(tmp_path / "g.csv"), "--data", str(data)).exit_code == 0
    nodes = (tmp_path / "g.nodes.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in nodes and "'+cmd|" in nodes
    assert not any(cell.startswith(("=", "+")) for line in nodes.splitlines() for cell in line.split(","))


def test_show_never_sends_an_escape_sequence_to_the_terminal(tmp_path):
    data = write_data(tmp_path / "data")
    edit(data, "entities.yaml", "name: Big Co", 'name: "Big\\e]8;;https://evil.example\\aCo\\x9b2J"')
    result = run("show", "big-co", "--data", str(data))
    assert result.exit_code == 0 and "\x1b" not in result.output and "\x07" not in result.output
    assert "\x9b" not in result.output and "Big\\x1b]8;;https://evil.example\\x07Co" in result.output
    table = run("investors", "small-lab", "--data", str(data))
    assert "\x1b" not in table.output


# --- 6 and 7. addresses and figures every tool reads ---------------------------------------------

@pytest.mark.parametrize("url", ["https://a.example/a%", "https://a.example/%zz", "https://a.example/#a#b",
                                 "https://a.example:99999/", "https://a.example:8x/", "https://[bad/",
                                 "https://a.example/\x7f", "https://a.example/\x85", "https://a.example/\ue000"])
def test_a_url_that_is_not_an_iri_is_refused(tmp_path, url):
    data = write_data(tmp_path / "data")
    edit(data, "sources.yaml", "url: https://example.org/news/big-co-small-lab", f"url: {url!r}".replace("'", '"'))
    result = run("validate", "--data", str(data))
    assert result.exit_code == 1 and "sources.yaml:5: example-2024-01-02: url" in result.output
    assert "not a valid http(s) address" in result.output


def test_an_infinite_or_absurd_figure_is_refused(tmp_path):
    data = write_data(tmp_path / "data")
    edit(data, "valuations.yaml", "value: 10000000", "value: 1e400")
    result = run("validate", "--data", str(data))
    assert result.exit_code == 1 and "amount.value must be a finite, non-negative number, found '1e400'" in result.output


def test_a_valuation_above_ten_trillion_needs_confirming(tmp_path):
    data = write_data(tmp_path / "data")
    edit(data, "valuations.yaml", "value: 10000000", "value: 20000000000000")
    result = run("validate", "--data", str(data))
    assert result.exit_code == 1 and "a valuation of more than $10 trillion is implausible" in result.output
    edit(data, "valuations.yaml", "status: reported", "status: reported\n  large_amount_confirmed: true")
    assert run("validate", "--data", str(data)).exit_code == 0


# --- 8. missing, broken and empty data files -----------------------------------------------------

@pytest.mark.parametrize("how", ["broken link", "link to itself", "folder", "missing", "empty"])
def test_a_bad_data_file_is_named_and_nothing_is_built(tmp_path, how):
    data = write_data(tmp_path / "data")
    target = data / "sources.yaml"
    target.unlink()
    if how == "broken link":
        target.symlink_to(tmp_path / "nowhere.yaml")
    elif how == "link to itself":
        target.symlink_to(target)
    elif how == "folder":
        target.mkdir()
    elif how == "empty":
        target.write_text("", encoding="utf-8")
    out = tmp_path / "exports"
    out.mkdir()
    (out / "aikg.nt").write_text("earlier export\n", encoding="utf-8")
    result = run("build", "--data", str(data), "--out", str(out))
    expected = {"broken link": "is a link to nothing", "link to itself": "is a link to nothing",
                "folder": "is not a file", "missing": "is missing", "empty": "holds no records"}[how]
    assert result.exit_code == 1 and f"sources.yaml: {expected}" in result.output
    assert "unknown" not in result.output  # one message, not one per reference to the sources
    assert (out / "aikg.nt").read_text(encoding="utf-8") == "earlier export\n"


# --- 9. values of the wrong YAML type ------------------------------------------------------------

@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("entities.yaml", "kinds: [company, investor]", "kinds: [[company]]", "entities.yaml:3: big-co: kind must be one word"),
    ("deals.yaml", "kind: investment", "kind: [investment]", "deals.yaml:2: big-co-small-lab-2024: kind must be one word"),
    ("deals.yaml", "status: completed", "status: {a: 1}", "deals.yaml:6: big-co-small-lab-2024: status must be one word"),
    ("deals.yaml", "currency: USD}", "currency: USD, qualifier: [up-to]}", "qualifier must be one word"),
    ("deals.yaml", "{investor: [big-co]", "{[investor]: [big-co]", "deals.yaml:4: a key must be a word"),
    ("deals.yaml", "  status: completed", "  ? [x]\n  : 1\n  status: completed", "deals.yaml:6: a key must be a word"),
])
def test_a_value_of_the_wrong_type_is_named_with_its_line(tmp_path, file, old, new, message):
    data = write_data(tmp_path / "data")
    edit(data, file, old, new)
    result = run("validate", "--data", str(data))
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


# --- 11. ingestion stays linear and bounded ------------------------------------------------------

@pytest.mark.parametrize("text", ["*a " * 20000, "[" * 60000, "_x " * 20000 + "](" * 10000,
                                  # one run-on "sentence" repeating a construction: every frame must stay linear
                                  "Small Lab, which is backed by Big Co " * 5000, "Small Lab's $5 billion valuation " * 5000,
                                  "Small Lab raised $5 million led by " + "Big Co, " * 20000, "Big Co invested $1 billion in Small Lab " * 5000])
def test_ingestion_of_hostile_text_is_fast(tmp_path, text):
    article = tmp_path / "article.md"
    article.write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = run("ingest", str(article), "--date", "2026-01-01", "--data", str(write_data(tmp_path / "data")))
    assert result.exit_code == 0 and time.monotonic() - started < 20


def test_an_oversized_article_is_refused_with_a_message(tmp_path):
    article = tmp_path / "huge.txt"
    article.write_text("Amazon invests in Anthropic. " * 40000, encoding="utf-8")
    result = run("ingest", str(article), "--date", "2026-01-01")
    assert result.exit_code == 2 and "more than the 500,000 an article can" in result.output


# --- 12. review keeps the data unchanged on bad edits --------------------------------------------

def test_review_refuses_a_candidate_file_of_non_records(tmp_path):
    data = write_data(tmp_path / "data")
    before = (data / "deals.yaml").read_text(encoding="utf-8")
    candidates = tmp_path / "c.yaml"
    candidates.write_text("deals: [1, 2]\n", encoding="utf-8")
    result = run("review", str(candidates), "--data", str(data))
    assert result.exit_code == 1 and "deals 1: expected a record" in result.output
    assert (data / "deals.yaml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize("edited", ["", "just a string\n", "- a\n- list\n"])
def test_review_keeps_the_record_when_an_edit_is_not_one(tmp_path, monkeypatch, edited):
    import click

    data = write_data(tmp_path / "data")
    candidates = tmp_path / "c.yaml"
    candidates.write_text("sources: []\nentities:\n- id: new-co\n  name: New Co\n  kinds: [company]\n",
                          encoding="utf-8")
    monkeypatch.setattr(click, "edit", lambda text: edited)
    result = CliRunner().invoke(main, ["review", str(candidates), "--data", str(data)], input="e\nq\n")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "is not a record" in result.output or "not YAML" in result.output or edited == ""
    assert "new-co" not in (data / "entities.yaml").read_text(encoding="utf-8")


# --- 13. suggestions are bounded -----------------------------------------------------------------

def test_a_huge_id_or_name_gets_an_answer_at_once(tmp_path):
    data = write_data(tmp_path / "data")
    edit(data, "deals.yaml", "investee: [small-lab]", f"investee: [{'x' * 100_000}]")
    started = time.monotonic()
    result = run("validate", "--data", str(data))
    assert result.exit_code == 1 and "characters)" in result.output and time.monotonic() - started < 10
    started = time.monotonic()
    result = run("show", "y" * 90_000, "--data", str(write_data(tmp_path / "other")))
    assert result.exit_code == 1 and "no entity is called" in result.output and time.monotonic() - started < 10


# --- 14. smaller cases ---------------------------------------------------------------------------

def test_crunchbase_export_that_is_not_utf8_is_named(tmp_path):
    folder = tmp_path / "cb"
    folder.mkdir()
    (folder / "organizations.csv").write_bytes(b"uuid,name,roles\n1,Soci\xe9t\xe9,company\n")
    result = run("import-crunchbase", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and "organizations.csv:2: is not UTF-8 text" in result.output


def test_csv_data_with_a_byte_order_mark_or_a_repeated_column(tmp_path):
    data = write_data(tmp_path / "data")
    from kg.exporters.csvfolder import write_csv_folder

    csv_folder = tmp_path / "csv"
    write_csv_folder(kg.load(data).dataset, csv_folder)
    sources = csv_folder / "sources.csv"
    sources.write_text("\ufeff" + sources.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("validate", "--data", str(csv_folder)).exit_code == 0
    header, rest = sources.read_text(encoding="utf-8-sig").split("\n", 1)
    sources.write_text(header + ",title\n" + rest, encoding="utf-8")
    result = run("validate", "--data", str(csv_folder))
    assert result.exit_code == 1 and "sources.csv:1: the header names 'title' twice" in result.output


def test_a_cell_too_long_for_csv_keeps_its_line(tmp_path):
    from kg.exporters.csvfolder import write_csv_folder

    csv_folder = tmp_path / "csv"
    write_csv_folder(kg.load(write_data(tmp_path / "data")).dataset, csv_folder)
    deals = csv_folder / "deals.csv"
    lines = deals.read_text(encoding="utf-8").splitlines()
    deals.write_text("\n".join([lines[0], lines[1].replace("Big Co invests", "x" * 200_000)]) + "\n", encoding="utf-8")
    result = run("validate", "--data", str(csv_folder))
    assert result.exit_code == 1 and "deals.csv:2: cannot read the row" in result.output


def test_the_cache_sees_an_edit_that_keeps_size_and_time(tmp_path, monkeypatch):
    monkeypatch.setenv("AIKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("AIKG_NO_CACHE", raising=False)
    data = write_data(tmp_path / "data")
    assert kg.load(data).entity("big-co").name == "Big Co"
    path = data / "entities.yaml"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("name: Big Co", "name: Big Cx"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert kg.load(data).entity("big-co").name == "Big Cx"


def test_minimal_data_still_builds(tmp_path):
    data = write_data(tmp_path / "data")
    assert set(MINIMAL) <= {path.name for path in data.iterdir()}
    assert run("build", "--data", str(data), "--out", str(tmp_path / "out")).exit_code == 0


# Keep the server helper honest: a plain HTTP server is what push talks to in the happy case.
assert issubclass(http.server.HTTPServer, socketserver.TCPServer)
