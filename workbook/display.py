"""Display helpers for the report notebooks: title, provenance, tables, headline figures.

Notebooks call these so that every report looks the same and every piece of scenario text
is escaped (a scenario name is user input and ends up in HTML). The objects returned are
plain classes with ``_repr_html_``, so they render in JupyterLab and in the exported HTML
alike; styles are inline so they do not depend on the report template.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbook.provenance import PROJECT_ROOT, file_sha256, git_commit, package_versions

if TYPE_CHECKING:
    import pandas

    from models.scenario import Scenario

HEADLINE_MIME = "application/vnd.workbook.headline+json"
RESULT_MIME = "application/vnd.workbook.result+json"
"""Machine-readable results a notebook publishes (``{name: data}``): the runner writes each to
``reports/<scenario>/<notebook>-<name>.json`` beside the report, and nothing renders."""

MISSING = "—"
"""How a report shows a figure a run did not report (NaN): the same in every table."""

QUICK_BANNER = (
    "QUICK RUN: few replications over a short simulated period. "
    "These figures show that the workbook runs; they are not fit for decisions."
)

_BANNER_STYLE = (
    "border:3px solid #b35900;background:#fff3e0;color:#4d2600;"
    "padding:0.75em 1em;margin:0.75em 0;font-weight:700;font-size:1.1em"
)
_TABLE_STYLE = "border-collapse:collapse;margin:0.5em 0 1em 0"
_CELL_STYLE = "text-align:left;padding:0.25em 0.75em;border-bottom:1px solid #ddd"


@dataclass(frozen=True)
class HTMLBlock:
    """A piece of ready-escaped HTML that IPython displays as such."""

    markup: str
    summary: str = "HTML block"

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.summary


def title_block(scenario: Scenario, title: str, quick: bool) -> HTMLBlock:
    """Report heading: title, scenario name and description, run date, quick-run banner."""
    run_date = datetime.now().astimezone().strftime("%d %B %Y, %H:%M %Z").strip()
    parts = [
        '<header class="wb-title">',
        f'<h1 class="wb-report-title">{escape(title)}</h1>',
        f'<p class="wb-scenario"><strong>Scenario:</strong> {escape(scenario.name)}</p>',
        f'<p class="wb-description">{escape(scenario.description)}</p>',
        f'<p class="wb-run-date"><strong>Run:</strong> {escape(run_date)}</p>',
    ]
    if quick:
        banner = escape(QUICK_BANNER)
        parts.append(f'<div class="wb-quick" role="note" style="{_BANNER_STYLE}">{banner}</div>')
    parts.append("</header>")
    return HTMLBlock("\n".join(parts), summary=f"{title} ({scenario.name})")


def provenance(
    scenario: Scenario,
    *,
    seed: int,
    replications: int,
    quick: bool,
    started: datetime | None = None,
) -> HTMLBlock:
    """Table of what produced the report: scenario file and hashes, seed, code and packages."""
    from models.scenario import scenario_sha256

    source = Path(scenario.source)
    when = (started or datetime.now()).astimezone().isoformat(timespec="seconds")
    versions = ", ".join(f"{name} {version}" for name, version in package_versions().items())
    rows: list[tuple[str, str]] = [
        ("Scenario file", _display_path(source)),
        ("Scenario SHA-256 (resolved content)", scenario_sha256(source, model=type(scenario))),
    ]
    rows += [
        (f"File SHA-256: {_display_path(Path(path))}", file_sha256(path))
        for path in (scenario.chain or (source,))
    ]
    rows += [
        ("Seed", str(seed)),
        ("Replications", f"{replications} (quick run)" if quick else str(replications)),
        ("Code version (git commit)", git_commit()),
        ("Packages", versions),
        ("Run started", when),
    ]
    body = "\n".join(
        f'<tr><th scope="row" style="{_CELL_STYLE}">{escape(key)}</th>'
        f'<td style="{_CELL_STYLE}"><code>{escape(value)}</code></td></tr>'
        for key, value in rows
    )
    markup = (
        '<section class="wb-provenance">\n<h3>Provenance</h3>\n'
        f'<table class="wb-table" style="{_TABLE_STYLE}">\n<tbody>\n{body}\n</tbody>\n</table>\n'
        "</section>"
    )
    return HTMLBlock(markup, summary=f"Provenance of {scenario.name}")


def headline(figures: Mapping[str, str]) -> None:
    """Publish the report's headline figures for the index page (nothing shows in the report).

    The runner reads them from the executed notebook's display data under ``HEADLINE_MIME``;
    no ``text/plain`` is sent, so neither JupyterLab nor the HTML export renders anything.
    """
    from IPython.display import publish_display_data

    payload = {str(name): str(value) for name, value in figures.items()}
    publish_display_data({HEADLINE_MIME: payload})


def result(name: str, data: Any) -> None:
    """Publish a machine-readable result (plain JSON data) for the runner to write beside the
    report as ``<notebook>-<name>.json`` (:data:`RESULT_MIME`); nothing shows in the report."""
    from IPython.display import publish_display_data

    publish_display_data({RESULT_MIME: {name: data}})


def table(df: pandas.DataFrame, caption: str) -> HTMLBlock:
    """A readable HTML table of ``df`` with an escaped caption; every cell is escaped too.

    A default 0, 1, 2, ... row index means nothing to a reader and is left out.
    """
    import pandas

    show_index = not isinstance(df.index, pandas.RangeIndex)
    markup = df.to_html(escape=True, border=0, classes="wb-table", na_rep=MISSING, index=show_index)
    opening_end = markup.index(">") + 1
    markup = (
        markup[:opening_end]
        + f'\n<caption style="caption-side:top;text-align:left;font-weight:600">'
        f"{escape(caption)}</caption>" + markup[opening_end:]
    )
    return HTMLBlock(markup, summary=caption)


def display_all(*items: Any) -> None:
    """Show each item as a cell output (for report sections that show several things)."""
    from IPython.display import display

    for item in items:
        display(item)


def figure(
    fig: Any,
    *,
    alt: str,
    data: pandas.DataFrame | None = None,
    caption: str | None = None,
) -> None:
    """Show a matplotlib figure once, as one accessible HTML output, and release it.

    The output is ``<figure class="wb-figure">`` with the PNG embedded (as the inline backend
    renders it: the figure's dpi, tight bounding box), ``alt`` as its text alternative, and a
    caption (``caption``, else the figure's titles, else ``alt``); then, when ``data`` is given,
    the chart's numbers as a table in ``<details class="wb-chart-data">`` (WCAG 2.2 success
    criterion 1.1.1, non-text content; the table serves readers who cannot read the image).
    Every piece of text is escaped.
    """
    import base64

    import matplotlib.pyplot as plt
    from IPython.core.pylabtools import print_figure
    from IPython.display import display

    if not alt.strip():
        raise ValueError("a chart needs a text alternative that says what it shows")
    titles = [fig.get_suptitle(), *(axis.get_title() for axis in fig.axes)]
    shown = caption or "; ".join(" ".join(t.split()) for t in titles if t.strip()) or alt
    png = print_figure(fig, "png")
    plt.close(fig)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    source = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    parts = [
        '<figure class="wb-figure">',
        f'<img src="{source}" width="{width}" height="{height}" alt="{escape(alt)}">',
        f"<figcaption>{escape(shown)}</figcaption>",
        "</figure>",
    ]
    if data is not None:
        numbers = table(data, f"The numbers behind the chart: {shown}").markup
        parts += [
            '<details class="wb-chart-data">',
            "<summary>The numbers behind this chart</summary>",
            numbers,
            "</details>",
        ]
    display(HTMLBlock("\n".join(parts), summary=f"Chart: {alt}"))


WORKBOOK_FILE = "workbook.xlsx"
"""The scenario's spreadsheet, beside its reports (:mod:`workbook.spreadsheet` writes it)."""
CSV_FOLDER = "csv"


def downloads() -> HTMLBlock:
    """Links to the scenario's spreadsheet and tidy CSV, which the runner writes beside the
    reports once the scenario's service reports have run (relative links: the folder moves as
    one)."""
    return HTMLBlock(
        '<p class="wb-downloads">The figures of every report of this scenario, for a '
        f'spreadsheet: <a href="{WORKBOOK_FILE}">{WORKBOOK_FILE}</a> (assumptions, cash flows, '
        "present values, risks, should-cost, sensitivity) and "
        f'<a href="{CSV_FOLDER}/">the same tables as CSV</a>.</p>',
        summary="Downloads",
    )


def paragraph(text: str) -> HTMLBlock:
    """A paragraph of plain text (escaped), e.g. a conclusion written from computed figures."""
    return HTMLBlock(f'<p class="wb-paragraph">{escape(text)}</p>')


def money(x: float) -> str:
    """Pounds in the short form used in reports: ``£1.23m``, ``£456k``, ``£789``, ``£1.20bn``,
    and pence below £100 (``£3.45``: unit costs such as a meal); NaN is :data:`MISSING`.

    Rounding that would print ``£1000k`` moves up a unit instead (``£1.00m``); negative
    amounts carry a leading minus sign.
    """
    if math.isnan(x):
        return MISSING
    sign = "-" if x < 0 else ""
    amount = abs(x)
    if math.isinf(amount):
        return f"{sign}£∞"
    if 0 < round(amount, 2) < 100:
        return f"{sign}£{amount:.2f}"
    if round(amount) < 1_000:
        return f"{sign}£{amount:.0f}"
    if round(amount / 1e3) < 1_000:
        return f"{sign}£{amount / 1e3:.0f}k"
    if round(amount / 1e6, 2) < 1_000:
        return f"{sign}£{amount / 1e6:.2f}m"
    return f"{sign}£{amount / 1e9:.2f}bn"


def _display_path(path: Path) -> str:
    """A path relative to the project when it lies inside it, else absolute."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(resolved)
