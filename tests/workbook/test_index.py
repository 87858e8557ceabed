"""The reports index: escaped, self-contained, and it keeps rows of reports not re-run."""

from __future__ import annotations

import json
from pathlib import Path

from workbook.index import (
    INDEX_NAME,
    MANIFEST_NAME,
    STATUS_FAILED,
    STATUS_OK,
    ReportEntry,
    load_manifest,
    update_index,
)


def _entry(slug: str, notebook: str, **changes) -> ReportEntry:
    fields = {
        "scenario_slug": slug,
        "scenario_name": f"Scenario {slug}",
        "notebook": notebook,
        "status": STATUS_OK,
        "reason": "",
        "duration_s": 1.5,
        "run_date": "2013-03-08T14:05:00+00:00",
        "headline": {"NPV": "£1.23m"},
    }
    return ReportEntry(**(fields | changes))


def test_update_keeps_rows_of_reports_not_rerun(tmp_path: Path) -> None:
    update_index(tmp_path, [_entry("baseline", "recovery"), _entry("growth", "recovery")])
    update_index(tmp_path, [_entry("baseline", "recovery", status=STATUS_FAILED, reason="boom")])
    entries = load_manifest(tmp_path)
    assert set(entries) == {"baseline/recovery", "growth/recovery"}
    assert entries["baseline/recovery"].status == STATUS_FAILED
    assert entries["growth/recovery"].status == STATUS_OK


def test_page_escapes_scenario_text_reasons_and_figures(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    update_index(
        tmp_path,
        [
            _entry(
                "x",
                "nb",
                scenario_name=hostile,
                status=STATUS_FAILED,
                reason="ValueError: <b>bad</b>",
                headline={"<i>k</i>": "<u>v</u>"},
            )
        ],
    )
    page = (tmp_path / INDEX_NAME).read_text(encoding="utf-8")
    assert hostile not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "ValueError: &lt;b&gt;bad&lt;/b&gt;" in page
    assert "&lt;i&gt;k&lt;/i&gt;" in page and "&lt;u&gt;v&lt;/u&gt;" in page
    assert "http://" not in page and "https://" not in page


def test_links_only_to_reports_that_exist(tmp_path: Path) -> None:
    (tmp_path / "baseline").mkdir()
    (tmp_path / "baseline" / "recovery.html").write_text("<html></html>")
    update_index(tmp_path, [_entry("baseline", "recovery"), _entry("baseline", "fleet")])
    page = (tmp_path / INDEX_NAME).read_text(encoding="utf-8")
    assert 'href="baseline/recovery.html"' in page
    assert 'href="baseline/fleet.html"' not in page


def test_unreadable_manifest_is_replaced_not_fatal(tmp_path: Path, capsys) -> None:
    (tmp_path / MANIFEST_NAME).write_text("{ not json")
    update_index(tmp_path, [_entry("baseline", "recovery")])
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    assert [r["notebook"] for r in manifest["reports"]] == ["recovery"]
    assert "ignoring unreadable" in capsys.readouterr().err
