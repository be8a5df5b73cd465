"""The optional language-model extractor, against a local fake server that answers with canned facts,
invented ones among them: whatever the model says, only what the article states gets through."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.loaders.llm import ExtractorError, ask, check, facts_schema
from kg.vocabulary import load_vocabulary

ARTICLE = ("Amazon adds $5 billion to Anthropic\n\nSEATTLE, April 20, 2026 (Wire) - Amazon will invest an additional "
           "$5 billion in Anthropic, the companies said. The deal values Anthropic at $350 billion. "
           "Anthropic plans to spend more than $100 billion on AWS over ten years.")
DAY = dt.date(2026, 4, 20)

GOOD = [
    {"kind": "investment", "parties": {"investor": ["Amazon"], "investee": ["Anthropic"]},
     "amount": {"value": 5e9, "currency": "USD", "qualifier": "exact"}, "status": "announced",
     "quote": "Amazon will invest an additional $5 billion in Anthropic, the companies said."},
    {"kind": "valuation", "entity": "Anthropic", "amount": {"value": 350e9, "currency": "USD"}, "status": "announced",
     "quote": "The deal values Anthropic at $350 billion."},
]
INVENTED = [
    {"kind": "investment", "parties": {"investor": ["Google"], "investee": ["Anthropic"]},  # not in the article
     "amount": {"value": 2e9, "currency": "USD"}, "status": "announced",
     "quote": "Google will invest $2 billion in Anthropic."},
    {"kind": "investment", "parties": {"investor": ["Amazon"], "investee": ["Anthropic"]},  # a figure not quoted
     "amount": {"value": 8e9, "currency": "USD"}, "status": "announced",
     "quote": "Amazon will invest an additional $5 billion in Anthropic, the companies said."},
    {"kind": "compute-commitment", "parties": {"customer": ["Anthropic"], "provider": ["Microsoft"]},  # a party not quoted
     "amount": {"value": 100e9, "currency": "USD", "qualifier": "more-than"}, "status": "announced",
     "quote": "Anthropic plans to spend more than $100 billion on AWS over ten years."},
    {"kind": "merger", "parties": {"partner": ["Amazon", "Anthropic"]}, "status": "announced",  # not a kind
     "quote": "Amazon will invest an additional $5 billion in Anthropic, the companies said."},
]


class FakeServer:
    """An OpenAI-compatible chat-completions endpoint on localhost that answers with given facts."""

    def __init__(self, facts, status: int = 200) -> None:
        self.requests: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                owner.requests.append({"path": self.path, "body": json.loads(self.rfile.read(int(self.headers["Content-Length"])))})
                body = json.dumps({"choices": [{"message": {"content": json.dumps({"facts": facts})}}]}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True, name="aikg-fake-llm")
        self.thread.start()
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def server():
    fake = FakeServer(GOOD + INVENTED)
    yield fake
    fake.close()


def test_the_schema_is_the_ontologys():
    vocabulary = load_vocabulary()
    item = facts_schema()["properties"]["facts"]["items"]["properties"]
    assert set(item["kind"]["enum"]) == set(vocabulary.deal_kinds) | {"valuation"}
    assert set(item["parties"]["properties"]) == set(vocabulary.roles)
    assert set(item["status"]["enum"]) == set(vocabulary.statuses)


def test_only_what_the_article_states_gets_through(server, bundled):
    facts = ask(server.endpoint, "fake-model", ARTICLE, DAY)
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["body"]["model"] == "fake-model"
    assert request["body"]["response_format"]["json_schema"]["schema"] == facts_schema()
    answer = check(bundled, ARTICLE, facts, DAY)
    assert [(d["kind"], d["parties"], d["amount"]["value"]) for d in answer.found.deals] == [
        ("investment", {"investee": ["anthropic"], "investor": ["amazon"]}, 5_000_000_000)]
    assert [(v["entity"], v["amount"]["value"]) for v in answer.found.valuations] == [("anthropic", 350_000_000_000)]
    assert sorted(r.reason for r in answer.rejected) == sorted([
        "its quote is not in the article word for word", "its figure is not in its quote",
        "a party of role 'provider' is not named in its quote", "'merger' is not a deal kind"])
    assert all(d["candidate"]["extractor"] == "llm" for d in answer.found.deals)
    for record in answer.found.deals + answer.found.valuations:  # each carries its evidence and a confidence
        start, end = record["candidate"]["span"]
        assert " ".join(ARTICLE[start:end].split()) == record["candidate"]["quote"]
        assert record["candidate"]["confidence"] == "high"


def test_a_party_new_to_the_data_makes_a_low_confidence_candidate(bundled):
    text = "Acme Robotics raised $10 million from Amazon."
    fact = {"kind": "funding-round", "parties": {"investor": ["Amazon"], "investee": ["Acme Robotics"]},
            "amount": {"value": 1e7, "currency": "USD"}, "status": "completed", "quote": text}
    [deal] = check(bundled, text, [fact], DAY).found.deals
    assert deal["candidate"]["confidence"] == "low"
    assert deal["candidate"]["doubts"] == ["Acme Robotics is not in the data: a name read from its capitals"]


def test_the_command_reads_with_the_model_and_reports_what_it_rejected(server, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(article), "--extractor", "llm", "--endpoint", server.endpoint,
                                       "--model", "fake-model"])
    assert result.exit_code == 0, result.output
    assert "investor:\n    - amazon" in result.stdout and "value: 5000000000" in result.stdout
    assert result.stderr.count("rejected: ") == 4
    missing = CliRunner().invoke(main, ["ingest", str(article), "--extractor", "llm"])
    assert missing.exit_code == 2 and "--extractor llm needs --endpoint URL and --model NAME" in missing.output


def test_a_failing_server_is_named_not_a_traceback(tmp_path):
    fake = FakeServer([], status=500)
    try:
        with pytest.raises(ExtractorError, match="answered 500"):
            ask(fake.endpoint, "m", ARTICLE, DAY)
    finally:
        fake.close()
    with pytest.raises(ExtractorError, match="cannot reach"):
        ask("http://127.0.0.1:9/v1", "m", ARTICLE, DAY, timeout=2)
    with pytest.raises(ExtractorError, match="not an http"):
        ask("file:///etc/passwd", "m", ARTICLE, DAY)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(article), "--extractor", "llm", "--endpoint",
                                       "http://127.0.0.1:9/v1", "--model", "m"])
    assert result.exit_code == 1 and "cannot reach" in result.output and "Traceback" not in result.output


def test_the_default_needs_no_model(bundled):
    assert kg.loaders.news.extract(bundled, ARTICLE, DAY).deals
