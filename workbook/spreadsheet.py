"""The scenario's workbook for commercial and finance teams: ``workbook.xlsx`` and tidy CSV.

Each service report leaves ``<notebook>-tables.json`` in the scenario's report folder
(:func:`workbook.export.publish`); :func:`write_workbook` stacks every service's tables into one
sheet a table (a ``service`` column first, a frozen header row with an autofilter, widths that
fit, pounds as pounds and shares as percentages) after an "About" sheet that says what produced
the figures and what each sheet holds, and writes the same tables as tidy CSV
(``csv/<table>.csv``), every service stacked. Both are built in memory and written atomically
(:mod:`workbook.atomic`); the workbook goes last, so a failure leaves the earlier one whole.

A ``*-tables.json`` that cannot be read or is not a tables payload is skipped with one line on
stderr naming the file (never its content); other JSON in the folder (``*-uncertainty.json``)
is not looked at. Every string is written to the workbook as text, never as a formula, so a
scenario's wording cannot run in a reader's spreadsheet.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from models.registry import SERVICES
from workbook.atomic import atomic_write_bytes, atomic_write_text
from workbook.display import CSV_FOLDER, QUICK_BANNER
from workbook.display import WORKBOOK_FILE as WORKBOOK_NAME
from workbook.export import FORMAT, TABLES, Table, Unit

__all__ = ["CSV_FOLDER", "TABLES_SUFFIX", "WORKBOOK_NAME", "read_tables", "write_workbook"]

TABLES_SUFFIX = "-tables.json"
SERVICE_COLUMN = "service"

NUMBER_FORMATS: dict[Unit, str] = {
    "money": '"£"#,##0',
    "share": "0.0%",
    "factor": "0.0000",
    "integer": "0",
    "year": "0",
    "number": "General",
    "text": "General",
    "flag": "General",
}
"""Excel number formats by unit: whole pounds, percentages to one decimal place."""

MIN_WIDTH, MAX_WIDTH = 8, 60
"""Column widths, in characters."""

UNITS_NOTE = (
    "Money is in pounds (£). The economic case (economic cash flows, present values, "
    "sensitivity, should-cost, risk register) is in real terms at base-year prices; the "
    "financial case and affordability are nominal cash. Shares are shown as percentages; "
    "an empty cell is a figure the run did not produce."
)

Cell = StrictBool | StrictInt | StrictFloat | StrictStr | None


class _Provenance(BaseModel):
    """Who made one service's tables (``workbook.export.provenance``)."""

    model_config = ConfigDict(extra="ignore")

    scenario: StrictStr
    scenario_description: StrictStr = ""
    scenario_slug: StrictStr
    scenario_file: StrictStr
    scenario_sha256: StrictStr
    seed: StrictInt
    service: StrictStr
    service_title: StrictStr = ""
    replications: StrictInt
    quick: StrictBool
    code_version: StrictStr
    started: StrictStr
    base_year: StrictInt
    period_years: StrictInt
    business_as_usual_label: StrictStr = ""
    uncertainty_samples: StrictInt | None = None


class _Payload(BaseModel):
    """One ``<notebook>-tables.json``, as :func:`workbook.export.publish` makes it."""

    model_config = ConfigDict(extra="ignore")

    format: StrictStr
    provenance: _Provenance
    tables: dict[str, list[dict[str, Cell]]]

    @field_validator("format")
    @classmethod
    def _this_format(cls, value: str) -> str:
        if value != FORMAT:
            raise ValueError("another format")
        return value


@dataclass(frozen=True)
class ServiceTables:
    """One service's tables, read from its file."""

    path: Path
    provenance: _Provenance
    tables: Mapping[str, Sequence[Mapping[str, Any]]]


# ----------------------------------------------------------------------------------- public


def read_tables(scenario_dir: Path) -> list[ServiceTables]:
    """Every readable ``*-tables.json`` of ``scenario_dir``, one a service, in the registry's
    order of services (others after them, by name); one line on stderr for each file
    skipped: unreadable, of another shape, or a second file of a service (the file named
    after the service, ``<service>-tables.json``, wins; else the first by name)."""
    by_service: dict[str, list[ServiceTables]] = {}
    for path in sorted(Path(scenario_dir).glob(f"*{TABLES_SUFFIX}")):
        payload = _read(path) if path.is_file() else None
        if payload is not None:
            one = ServiceTables(path, payload.provenance, payload.tables)
            by_service.setdefault(payload.provenance.service, []).append(one)
    found = []
    for service, files in by_service.items():
        files.sort(key=lambda one: one.path.name != f"{service}{TABLES_SUFFIX}")
        found.append(files[0])
        for other in files[1:]:
            _skip(other.path, f"a second file of service {service!r} ({files[0].path.name} read)")
    order = {name: i for i, name in enumerate(SERVICES.names)}
    return sorted(
        found,
        key=lambda one: (order.get(one.provenance.service, len(order)), one.provenance.service),
    )


def write_workbook(scenario_dir: Path, *, tag: str = "") -> list[Path]:
    """Write ``scenario_dir/workbook.xlsx`` and ``scenario_dir/csv/<table>.csv`` from every
    service's ``*-tables.json`` there (see the module notes) and return the paths written,
    the workbook first; nothing is written when no file can be read. ``tag`` (a run id) goes
    into the temporary files' names. A file-system error is raised (``OSError``) with every
    earlier file whole."""
    scenario_dir = Path(scenario_dir)
    services = read_tables(scenario_dir)
    if not services:
        return []
    stacked = {table.name: _stack(table, services) for table in TABLES}
    workbook = _workbook_bytes(services, stacked)
    texts = {name: _csv_text(columns, rows) for name, (columns, rows) in stacked.items()}
    written = [
        atomic_write_text(scenario_dir / CSV_FOLDER / f"{name}.csv", text, tag=tag)
        for name, text in texts.items()
    ]
    target = atomic_write_bytes(scenario_dir / WORKBOOK_NAME, workbook, tag=tag)
    return [target, *written]


# ----------------------------------------------------------------------------- reading


def _read(path: Path) -> _Payload | None:
    """The payload of ``path``, or ``None`` after one line on stderr saying why not."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        _skip(path, f"cannot be read ({error.strerror or type(error).__name__})")
        return None
    except UnicodeDecodeError:
        _skip(path, "is not UTF-8 text")
        return None
    except json.JSONDecodeError as error:
        _skip(path, f"is not valid JSON (line {error.lineno}, column {error.colno})")
        return None
    try:
        return _Payload.model_validate(data)
    except ValidationError as error:
        _skip(path, f"is not a tables file of this workbook ({error.error_count()} problems)")
        return None


def _skip(path: Path, why: str) -> None:
    print(f"{_printable(str(path))}: skipped: {why}", file=sys.stderr)


def _printable(text: str) -> str:
    """``text`` on one line: characters that are not printable become ``?``."""
    return "".join(c if c.isprintable() else "?" for c in text)


# ----------------------------------------------------------------------------- stacking

Rows = list[dict[str, Any]]


def _stack(table: Table, services: Sequence[ServiceTables]) -> tuple[list[str], Rows]:
    """Every service's rows of ``table`` with the service first; the table's columns in
    order, then any others the files carry."""
    columns = [SERVICE_COLUMN, *table.columns]
    rows: Rows = []
    for one in services:
        for record in one.tables.get(table.name, ()):
            rows.append({**record, SERVICE_COLUMN: one.provenance.service})
            columns += [c for c in record if c not in columns]
    return columns, rows


def _csv_text(columns: Sequence[str], rows: Rows) -> str:
    """Tidy CSV: a header row, then one line a record (an empty field for a missing figure)."""
    return pd.DataFrame(rows, columns=list(columns)).to_csv(index=False, lineterminator="\n")


# ----------------------------------------------------------------------------- the workbook


def _workbook_bytes(
    services: Sequence[ServiceTables], stacked: Mapping[str, tuple[list[str], Rows]]
) -> bytes:
    """The .xlsx, built in memory: the About sheet, then one sheet a table."""
    book = Workbook(write_only=True)
    _about(book.create_sheet("About"), services)
    for table in TABLES:
        columns, rows = stacked[table.name]
        _table_sheet(book.create_sheet(table.sheet), table, columns, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _about(sheet: WriteOnlyWorksheet, services: Sequence[ServiceTables]) -> None:
    """What produced the workbook, each service's run (one column a service), and what each
    sheet holds and where its figures come from."""
    first = services[0].provenance
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (30, 70, 50, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    title = f"Options appraisal workbook: {first.scenario}"
    rows: list[list[Any]] = [[_cell(sheet, title, font=Font(bold=True, size=14))]]
    if any(one.provenance.quick for one in services):
        rows.append([_cell(sheet, QUICK_BANNER, font=bold)])
    facts = [
        ("Scenario", first.scenario),
        ("Description", first.scenario_description),
        ("Scenario file", first.scenario_file),
        ("Scenario SHA-256 (resolved content)", first.scenario_sha256),
        ("Seed", first.seed),
        ("Prices", f"real terms at {first.base_year} prices (£) unless a sheet says nominal"),
        ("Appraisal period", f"{first.period_years} years from {first.base_year}"),
        ("Generated", datetime.now().astimezone().isoformat(timespec="seconds")),
        ("Units", UNITS_NOTE),
    ]
    rows += [[_cell(sheet, k, font=bold), _cell(sheet, v, alignment=wrap)] for k, v in facts]
    rows.append([])
    runs = [one.provenance for one in services]
    per_service = [
        ("Service", [p.service for p in runs]),
        ("Report", [p.service_title for p in runs]),
        ("Replications", [p.replications for p in runs]),
        ("Quick run", ["yes" if p.quick else "no" for p in runs]),
        ("Code version (git commit)", [p.code_version for p in runs]),
        ("Scenario SHA-256", [p.scenario_sha256 for p in runs]),
        ("Report run started", [p.started for p in runs]),
        ("Uncertainty samples", [p.uncertainty_samples or "no study" for p in runs]),
    ]
    for key, values in per_service:
        cells = [_cell(sheet, v, font=bold if key == "Service" else None) for v in values]
        rows.append([_cell(sheet, key, font=bold), *cells])
    rows.append([])
    heading = ("Sheet", "What it holds", "Where the figures come from")
    rows.append([_cell(sheet, text, font=bold) for text in heading])
    rows += [
        [
            _cell(sheet, table.sheet, font=bold, alignment=wrap),
            _cell(sheet, table.holds, alignment=wrap),
            _cell(sheet, table.source, alignment=wrap),
        ]
        for table in TABLES
    ]
    for row in rows:
        sheet.append(row)


def _table_sheet(
    sheet: WriteOnlyWorksheet, table: Table, columns: Sequence[str], rows: Rows
) -> None:
    """One table: a bold frozen header with an autofilter, each column formatted by its unit
    and as wide as its widest cell (within limits)."""
    units: list[Unit] = [table.columns.get(c, "text") for c in columns]
    for index, (column, unit) in enumerate(zip(columns, units, strict=True), start=1):
        values = (row.get(column) for row in rows)
        width = max([len(column), *(_width(v, unit) for v in values)])
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    bold = Font(bold=True)
    sheet.append([_cell(sheet, column, font=bold) for column in columns])
    formats = [NUMBER_FORMATS[unit] for unit in units]
    for row in rows:
        sheet.append(
            [
                _cell(sheet, row.get(column), number_format=fmt)
                for column, fmt in zip(columns, formats, strict=True)
            ]
        )


def _cell(
    sheet: WriteOnlyWorksheet,
    value: Any,
    *,
    font: Font | None = None,
    number_format: str = "General",
    alignment: Alignment | None = None,
) -> WriteOnlyCell:
    """A cell of ``value``; a string is always text (never a formula) and loses the control
    characters a workbook cannot hold."""
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
        cell.data_type = "s"
    else:
        cell = WriteOnlyCell(sheet, value=value)
        if not isinstance(value, bool) and value is not None:
            cell.number_format = number_format
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _width(value: Any, unit: Unit) -> int:
    """The characters ``value`` takes as its unit shows it."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return len(str(value))
    if isinstance(value, str):
        return len(value)
    if unit == "money":
        return len(f"£{value:,.0f}")
    if unit == "share":
        return len(f"{value:.1%}")
    if unit == "factor":
        return len(f"{value:.4f}")
    if unit in ("integer", "year"):
        return len(f"{value:.0f}")
    return len(f"{value:.10g}")
