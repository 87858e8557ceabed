"""Display helpers: money formatting, escaping of scenario text, provenance contents."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from models.scenario import load_scenario, scenario_sha256
from workbook import display
from workbook.provenance import file_sha256, git_commit, package_versions

BASELINE = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "baseline.yaml"
HOSTILE = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0, "£0"),
        (3.456, "£3.46"),
        (-0.5, "-£0.50"),
        (99.996, "£100"),
        (789, "£789"),
        (789.4, "£789"),
        (999.5, "£1k"),
        (456_000, "£456k"),
        (999_499, "£999k"),
        (999_500, "£1.00m"),
        (1_234_567, "£1.23m"),
        (-1_234_567, "-£1.23m"),
        (2_500_000_000, "£2.50bn"),
        (float("nan"), "—"),
    ],
)
def test_money_short_form(amount: float, shown: str) -> None:
    assert display.money(amount) == shown


@pytest.fixture()
def hostile_scenario(tmp_path: Path):
    path = tmp_path / "hostile.yaml"
    path.write_text(
        f"extends: {BASELINE}\nname: '{HOSTILE}'\ndescription: 'A & B <i>x</i>'\nseed: 7\n",
        encoding="utf-8",
    )
    return load_scenario(path)


def test_title_block_escapes_scenario_text_and_flags_quick_runs(hostile_scenario) -> None:
    quick = display.title_block(hostile_scenario, "Vehicle recovery <options>", quick=True)
    full = display.title_block(hostile_scenario, "Vehicle recovery", quick=False)
    html = quick._repr_html_()
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A &amp; B &lt;i&gt;x&lt;/i&gt;" in html
    assert "Vehicle recovery &lt;options&gt;" in html
    assert "QUICK RUN" in html
    assert "QUICK RUN" not in full._repr_html_()


def test_provenance_states_hashes_seed_replications_commit_and_versions(hostile_scenario) -> None:
    html = display.provenance(hostile_scenario, seed=7, replications=5, quick=True)._repr_html_()
    assert scenario_sha256(hostile_scenario.source) in html
    assert file_sha256(hostile_scenario.source) in html
    assert file_sha256(BASELINE) in html  # the file it extends
    assert "<code>7</code>" in html
    assert "5 (quick run)" in html
    assert git_commit().removesuffix("-dirty") in html
    for name, version in package_versions().items():
        assert f"{name} {version}" in html
    assert HOSTILE not in html


def test_table_escapes_cells_headers_and_caption_and_hides_a_default_index() -> None:
    df = pd.DataFrame({"Option <b>": ["<i>In-house</i>", "Outsourced"], "Cost": ["£1m", "£2m"]})
    html = display.table(df, "Costs & <caption>")._repr_html_()
    assert "<i>" not in html and "<b>" not in html
    assert "&lt;i&gt;In-house&lt;/i&gt;" in html and "Option &lt;b&gt;" in html
    assert "Costs &amp; &lt;caption&gt;</caption>" in html
    assert "<th>0</th>" not in html
    labelled = display.table(df.set_index("Cost"), "by cost")._repr_html_()
    assert "£1m</th>" in labelled
