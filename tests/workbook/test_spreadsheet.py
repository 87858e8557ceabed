"""The scenario's workbook and tidy CSV, from the tables files of two real quick reports written
as the runner writes them: every sheet there, the cells and the CSV adding up to the files,
money and shares formatted, text never a formula, a bad file skipped in one line, and every
write atomic."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from tests.support import BASELINE, cost_study_scenario
from workbook import export, uncertainty
from workbook.context import ReportContext
from workbook.runner import published_results
from workbook.spreadsheet import CSV_FOLDER, WORKBOOK_NAME, write_workbook

REPLICATIONS = 2
HOSTILE = '=HYPERLINK("http://example.invalid","open me")'
CONTROL = "bell\x07here"
SECRET = "do-not-echo-this-content"


def _runner_files(ctx: ReportContext, folder: Path, with_study: bool) -> None:
    """Run the notebook's cells that publish results, and write what they publish as the
    runner does (``<notebook>-<name>.json``, ``allow_nan=False``)."""
    shell = InteractiveShell.instance()
    outputs: list[dict[str, Any]] = []
    shell.display_pub.publish = lambda data, **_: outputs.append(data)  # type: ignore[method-assign]
    result = ctx.compare()
    findings = uncertainty.study(ctx, result) if with_study else None
    export.publish(ctx, result, findings)
    cell = nbformat.v4.new_code_cell(
        outputs=[nbformat.v4.new_output("display_data", data=data) for data in outputs]
    )
    for name, data in published_results(nbformat.v4.new_notebook(cells=[cell])).items():
        text = json.dumps(data, indent=1, allow_nan=False)
        (folder / f"{ctx.service.name}-{name}.json").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def tables_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scenario folder as the runner leaves it: recovery with an uncertainty study (and its
    ``recovery-uncertainty.json``), fleet without; one input's source made hostile."""
    folder = tmp_path_factory.mktemp("baseline")
    studied = cost_study_scenario()
    recovery = ReportContext.from_parameters(studied, REPLICATIONS, True, None, "recovery")
    fleet = ReportContext.from_parameters(BASELINE, REPLICATIONS, True, None, "fleet")
    _runner_files(recovery, folder, with_study=True)
    _runner_files(fleet, folder, with_study=False)
    path = folder / "fleet-tables.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["tables"]["assumptions"][0]["source"] = HOSTILE
    data["tables"]["assumptions"][1]["source"] = CONTROL
    path.write_text(json.dumps(data, indent=1, allow_nan=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def written(tables_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("written")
    for path in tables_dir.iterdir():
        shutil.copy(path, folder / path.name)
    paths = write_workbook(folder, tag="testrun")
    assert paths[0] == folder / WORKBOOK_NAME
    assert sorted(paths[1:]) == sorted(folder / CSV_FOLDER / f"{t.name}.csv" for t in export.TABLES)
    return folder


@pytest.fixture(scope="module")
def book(written: Path) -> Workbook:
    return load_workbook(written / WORKBOOK_NAME)


@pytest.fixture(scope="module")
def payloads(tables_dir: Path) -> dict[str, dict[str, Any]]:
    return {
        service: json.loads((tables_dir / f"{service}-tables.json").read_text(encoding="utf-8"))
        for service in ("recovery", "fleet")
    }


def _stacked(payloads: dict[str, dict[str, Any]], table: str) -> list[dict[str, Any]]:
    return [
        {"service": service, **record}
        for service, payload in payloads.items()
        for record in payload["tables"][table]
    ]


def _numeric(table: export.Table) -> list[str]:
    return [c for c, unit in table.columns.items() if unit not in ("text", "flag")]


def _sum(values: Any) -> float:
    return math.fsum(v for v in values if isinstance(v, int | float) and not isinstance(v, bool))


# ------------------------------------------------------------------------------- the workbook


def test_every_sheet_has_a_frozen_filtered_header_and_widths(book: Workbook) -> None:
    assert book.sheetnames == ["About", *(t.sheet for t in export.TABLES)]
    for table in export.TABLES:
        sheet = book[table.sheet]
        header = [cell.value for cell in sheet[1]]
        assert header == ["service", *table.columns], table.sheet
        assert sheet.freeze_panes == "A2"
        last = get_column_letter(len(header))
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
        widths = [
            sheet.column_dimensions[get_column_letter(i + 1)].width for i in range(len(header))
        ]
        assert all(8 <= w <= 60 for w in widths), (table.sheet, widths)
        assert all(cell.font.bold for cell in sheet[1])


def test_the_cells_add_up_to_the_tables_files(
    book: Workbook, payloads: dict[str, dict[str, Any]]
) -> None:
    checked = 0
    for table in export.TABLES:
        records = _stacked(payloads, table.name)
        rows = list(book[table.sheet].iter_rows(min_row=2, values_only=True))
        assert len(rows) == len(records), table.sheet
        header = ["service", *table.columns]
        cells = [dict(zip(header, row, strict=True)) for row in rows]
        assert [c["service"] for c in cells] == [r["service"] for r in records]
        for column in _numeric(table):
            expected = _sum(r[column] for r in records)
            got = _sum(c[column] for c in cells)
            assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-9), (table.sheet, column)
            checked += 1
    assert checked > 60
    pv = [r for r in _stacked(payloads, "present_values") if r["service"] == "recovery"]
    assert all(r["prob_cheapest"] is not None for r in pv)  # the study reached the workbook


def test_the_csv_reads_back_as_the_tables_files(
    written: Path, payloads: dict[str, dict[str, Any]]
) -> None:
    for table in export.TABLES:
        frame = pd.read_csv(written / CSV_FOLDER / f"{table.name}.csv")
        records = _stacked(payloads, table.name)
        assert list(frame.columns) == ["service", *table.columns], table.name
        assert len(frame) == len(records), table.name
        assert list(frame["service"]) == [r["service"] for r in records]
        for column in _numeric(table):
            if column == "value":  # an input's value: a number, a name or a switch
                continue
            expected = _sum(r[column] for r in records)
            got = math.fsum(pd.to_numeric(frame[column]).dropna())
            assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-9), (table.name, column)
    flows = pd.read_csv(written / CSV_FOLDER / "economic_cash_flows.csv")
    assert set(flows["service"]) == {"recovery", "fleet"}


def test_money_is_in_pounds_and_shares_are_percentages(book: Workbook) -> None:
    sheet = book["Present values"]
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert row["pv_mean"].number_format == '"£"#,##0'
    assert row["prob_cheapest"].number_format == "0.0%"
    assert row["replications"].number_format == "0"
    flows = book["Economic cash flows"]
    header = [cell.value for cell in flows[1]]
    assert flows.cell(2, header.index("discount_factor") + 1).number_format == "0.0000"


def test_the_about_sheet_says_what_made_it_and_what_each_sheet_holds(
    book: Workbook, payloads: dict[str, dict[str, Any]]
) -> None:
    sheet = book["About"]
    text = "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    made = payloads["fleet"]["provenance"]
    for fact in ("scenario", "scenario_sha256", "code_version", "scenario_file"):
        assert str(made[fact]) in text, fact
    assert str(made["seed"]) in [str(v) for row in sheet.iter_rows(values_only=True) for v in row]
    assert "QUICK RUN" in text and "2013 prices" in text
    for table in export.TABLES:
        assert table.sheet in text and table.holds in text


def test_text_is_written_as_text_never_as_a_formula(book: Workbook, written: Path) -> None:
    sheet = book["Assumptions"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("source") + 1
    fleet = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "fleet"]
    hostile = sheet.cell(fleet[0], column)
    assert hostile.value == HOSTILE and hostile.data_type == "s"
    assert sheet.cell(fleet[1], column).value == "bell\ufffdhere"
    assert not list(written.rglob("*.tmp"))


# ------------------------------------------------------------------------------- bad files


def test_a_bad_tables_file_is_skipped_in_one_line_and_the_rest_written(
    tables_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(tables_dir / "fleet-tables.json", tmp_path / "fleet-tables.json")
    shutil.copy(tables_dir / "recovery-uncertainty.json", tmp_path / "recovery-uncertainty.json")
    (tmp_path / "x-tables.json").write_text('{"format": "workbook-tables/1", "tables": [')
    other_shape = {"format": "workbook-tables/1", "provenance": {"service": SECRET}, "tables": {}}
    (tmp_path / "y-tables.json").write_text(json.dumps(other_shape))
    paths = write_workbook(tmp_path)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2, lines
    assert str(tmp_path / "x-tables.json") in lines[0] and "JSON" in lines[0]
    assert str(tmp_path / "y-tables.json") in lines[1]
    assert not any(SECRET in line or "Traceback" in line for line in lines)
    assert paths[0] == tmp_path / WORKBOOK_NAME
    frame = pd.read_csv(tmp_path / CSV_FOLDER / "present_values.csv")
    assert set(frame["service"]) == {"fleet"}
    assert load_workbook(tmp_path / WORKBOOK_NAME, read_only=True).sheetnames[0] == "About"


def test_a_folder_without_tables_files_gets_no_workbook(tmp_path: Path) -> None:
    (tmp_path / "recovery-uncertainty.json").write_text("{}")
    assert write_workbook(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recovery-uncertainty.json"]


def _csv_folder_is_a_file(folder: Path) -> None:
    (folder / CSV_FOLDER).write_text("a file where the CSV folder goes")


def _a_csv_is_a_folder(folder: Path) -> None:
    """The temporary file is written, then cannot replace its target."""
    (folder / CSV_FOLDER / "sensitivity.csv" / "inside").mkdir(parents=True)


@pytest.mark.parametrize("block", [_csv_folder_is_a_file, _a_csv_is_a_folder])
def test_a_failed_write_leaves_the_earlier_workbook_whole(
    tables_dir: Path, tmp_path: Path, block: Any
) -> None:
    shutil.copy(tables_dir / "fleet-tables.json", tmp_path / "fleet-tables.json")
    (tmp_path / WORKBOOK_NAME).write_bytes(b"the earlier workbook")
    block(tmp_path)
    with pytest.raises(OSError):
        write_workbook(tmp_path, tag="failing")
    assert (tmp_path / WORKBOOK_NAME).read_bytes() == b"the earlier workbook"
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
