"""The column reader of the CSV layout against the row-by-row reader: it must accept exactly what the
row-by-row reader accepts, giving the same dataset, or step aside so that the problems are named.

Each test breaks one cell, row or header of a small folder that uses every column, and checks that
the column reader either declines or agrees with the row-by-row reader.
"""

from __future__ import annotations

import csv
import io
import shutil
import textwrap
from pathlib import Path

import pytest

import kg
from kg.loaders.csvcolumns import read_csv_dataset
from kg.csvlayout import COLUMNS
from kg.loaders.data import _read_rows

FOLDER = {
    "sources.csv": """
        id,publisher,title,published_on,url
        wire-2024-01-02,Example Wire,"Big Co invests, again",2024-01-02,https://example.org/a
        blog-2024-03,Example Blog,Lab raises,2024-03,
        annual-2023,Example Press,Annual review,2023,https://example.org/b?c=d
        """,
    "entities.csv": """
        id,name,kinds,aliases,parent,parent_since,parent_until,description,wikidata,sources
        big-co,Big Co,company; investor,BigCo; Big Company,,,,A big company,Q1,wire-2024-01-02
        big-cloud,Big Cloud,cloud-provider,,big-co,2020-05,,,,wire-2024-01-02; blog-2024-03
        small-lab,Small Lab,ai-lab,,,,,,,
        chip-co,Chip Co,chip-designer,,big-co,2021,2023-06-30,,,annual-2023
        """,
    "products.csv": """
        id,name,kinds,maker,aliases,description,wikidata,sources
        small-model,Small Model,ai-model,small-lab,SM,A model,,wire-2024-01-02
        """,
    "deals.csv": """
        id,kind,title,announced_on,status,amount,currency,amount_qualifier,amount_usd,power_gw,power_qualifier,chips,chips_qualifier,customers,customers_qualifier,duration_years,products,part_of,supersedes,alternative_of,conditions,notes,sources,large_amount_confirmed
        umbrella,compute-commitment,Small Lab commits to Big Cloud,2024-01,announced,100000000000,USD,more-than,,5,up-to,1000000,exact,100000,more-than,10,small-model,,,,If milestones are met,A note,wire-2024-01-02,
        tranche,investment,Big Co invests in Small Lab,2024-01-02,contingent,20000000000,USD,up-to,,,,,,,,,,umbrella,,,,,wire-2024-01-02; blog-2024-03,
        euro,investment,Euro deal,2024-03,reported,5000000,EUR,exact,5400000,,,,,,,,,,,,,,blog-2024-03,false
        euro-again,investment,Euro deal as another paper saw it,2024-03,reported,6000000,EUR,exact,,,,,,,,,,,,euro,,,blog-2024-03,
        huge,supply,Huge supply,2023,completed,2000000000000,USD,,2000000000000.0,,,,,,,,,,,,,,annual-2023,true
        huge-revised,supply,Huge supply revised,2024,reported,1500000000000,USD,,,,,,,,,,,,huge,,,,annual-2023,true
        """,
    "deal_parties.csv": """
        deal,role,party
        umbrella,customer,small-lab
        umbrella,provider,big-cloud
        tranche,investor,big-co
        tranche,investee,small-lab
        euro,investor,big-co
        euro,investor,chip-co
        euro,investee,small-lab
        huge,customer,small-lab
        huge,provider,chip-co
        euro-again,investor,big-co
        euro-again,investee,small-lab
        huge-revised,customer,small-lab
        huge-revised,provider,chip-co
        """,
    "valuations.csv": """
        id,entity,amount,currency,amount_qualifier,amount_usd,basis,date,status,deal,notes,sources,large_amount_confirmed
        small-lab-2024-01,small-lab,10000000,USD,,,post-money,2024-01,reported,tranche,A note,wire-2024-01-02,
        small-lab-offer,small-lab,800000000000,USD,more-than,,offer,2024-03-05,reported,,,blog-2024-03,false
        """,
}

# Values that break, bend or keep each kind of cell: ids, texts, numbers, dates, lists, choices, URLs.
VALUES = ["", " ", "x y", "1e400", "20000000000000", "https://x.org/a%", "https://x.org/#a#b", "https://x.org:99999/", "Bad_Id", "-5", "NaN", "Infinity", "1_000", "1e3", "abc", "2024-13-01", "2099-01-01",
          "2024", "2024-02", "a; ; b", ";", "TRUE", "yes", "USD", "usd", "EUR", "up-to", "reported", "offer",
          "investor", "ai-lab", "big-co", "small-model", "umbrella", "tranche", "wire-2024-01-02", "Q5", "Q0",
          "https://x.org/y z", "http://x.org/", "big-co; chip-co", "Big Co", "a\nb", "http://x.org/\nhttp://y.org/",
          "Q1\nQ2", "USD\nEUR"]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("columns")
    for name, text in FOLDER.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def _rows(folder: Path, name: str) -> list[list[str]]:
    with (folder / name).open(newline="", encoding="utf-8") as stream:
        return list(csv.reader(stream))


def _write(folder: Path, name: str, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (folder / name).write_text(buffer.getvalue(), encoding="utf-8")


def _row_by_row(folder: Path):
    try:
        return _read_rows(folder, kg.load_vocabulary())
    except kg.DataError:
        return None


def _agree(folder: Path, what: str):
    """The column reader declines, or gives exactly the row-by-row reader's dataset; returns its result."""
    fast, slow = read_csv_dataset(folder, kg.load_vocabulary()), _row_by_row(folder)
    assert fast is None or repr(fast) == repr(slow), f"the column reader accepted {what}"
    return fast, slow


def test_the_column_reader_reads_every_column_as_the_row_by_row_reader_does(base):
    fast, slow = _agree(base, "the valid folder")
    assert fast is not None and slow is not None
    assert len(fast.deals) == 6 and len(fast.valuations) == 2 and fast.deals[2].amount.usd is not None
    links = {(d.id, d.supersedes, d.alternative_of) for d in fast.deals}
    assert ("huge-revised", "huge", None) in links and ("euro-again", None, "euro") in links
    chip_co = next(e for e in fast.entities if e.id == "chip-co")
    assert (chip_co.parent, chip_co.parent_since.year, str(chip_co.parent_until), chip_co.parent_since_precision) == \
        ("big-co", 2021, "2023-06-30", "year")


@pytest.mark.parametrize("name,column", [(name, column) for name, columns in COLUMNS.items() for column in columns])
def test_a_broken_cell_never_passes_the_column_reader_alone(base, tmp_path, name, column):
    folder = tmp_path / "data"
    shutil.copytree(base, folder)
    rows = _rows(base, name)
    index = rows[0].index(column)
    declined = 0
    for row in (1, len(rows) - 1):
        for value in [*VALUES, f"  {rows[row][index]} "]:
            changed = [list(r) for r in rows]
            changed[row][index] = value
            _write(folder, name, changed)
            fast, slow = _agree(folder, f"{value!r} in {name}:{row + 1}, column {column}")
            declined += fast is None and slow is not None
    assert declined == 0, "the column reader declined a folder that is valid"


@pytest.mark.parametrize("change", [
    "extra cell", "short row", "blank line", "unknown column", "columns reordered", "optional column dropped",
    "id column dropped", "byte order mark", "party of no deal", "deal with one party", "deal with no party",
    "duplicate id across files", "file missing", "not UTF-8",
])
def test_a_broken_shape_never_passes_the_column_reader_alone(base, tmp_path, change):
    folder = tmp_path / "data"
    shutil.copytree(base, folder)
    deals, parties = _rows(base, "deals.csv"), _rows(base, "deal_parties.csv")
    if change == "extra cell":
        _write(folder, "deals.csv", [*deals[:2], deals[2] + ["surplus"], *deals[3:]])
    elif change == "short row":
        _write(folder, "deals.csv", [*deals[:2], deals[2][:-3], *deals[3:]])
    elif change == "blank line":
        (folder / "deals.csv").write_text((base / "deals.csv").read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    elif change == "unknown column":
        _write(folder, "deals.csv", [row + [value] for row, value in zip(deals, ["colour", "red", "", "", ""])])
    elif change == "columns reordered":
        _write(folder, "deals.csv", [row[::-1] for row in deals])
    elif change == "optional column dropped":
        notes = deals[0].index("notes")
        _write(folder, "deals.csv", [row[:notes] + row[notes + 1:] for row in deals])
    elif change == "id column dropped":
        _write(folder, "deals.csv", [row[1:] for row in deals])
    elif change == "byte order mark":
        (folder / "deals.csv").write_text("\ufeff" + (base / "deals.csv").read_text(encoding="utf-8"), encoding="utf-8")
    elif change == "party of no deal":
        _write(folder, "deal_parties.csv", [*parties, ["nowhere", "investor", "big-co"]])
    elif change == "deal with one party":
        _write(folder, "deal_parties.csv", [row for row in parties if row[:2] != ["tranche", "investee"]])
    elif change == "deal with no party":
        _write(folder, "deal_parties.csv", [row for row in parties if row[0] != "tranche"])
    elif change == "duplicate id across files":
        _write(folder, "deals.csv", [*deals, ["big-co", *deals[1][1:]]])
    elif change == "file missing":
        (folder / "valuations.csv").unlink()
    elif change == "not UTF-8":
        (folder / "sources.csv").write_bytes((base / "sources.csv").read_bytes().replace(b"Lab raises", b"Lab \xe9"))
    fast, slow = _agree(folder, change)
    sound = ("blank line", "columns reordered", "optional column dropped", "file missing", "byte order mark")
    if change in sound:  # a byte order mark is how spreadsheets mark UTF-8: YAML and CSV both accept it
        assert fast is not None and slow is not None
    if change not in (*sound, "short row"):
        assert slow is None, f"the row-by-row reader accepted {change}"


def test_a_folder_with_yaml_is_left_to_the_row_by_row_reader(base, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(base, folder)
    (folder / "deals.yaml").write_text("[]\n", encoding="utf-8")
    assert read_csv_dataset(folder, kg.load_vocabulary()) is None
