"""The project carries its own evidence, and no file names a path of the machine it was written on.

A user's clone has nothing beside it: the published figures the defaults rest on live in
``data/evidence/``, the scenario files cite them there (by section), and no committed text points
at a folder of the author's machine.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("data", "models", "workbook", "notebooks", "README.md")
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".ipynb", ".json", ".txt", ".toml", ".cfg", ".html"}

# As in the project's hook: an absolute path of two or more folders, such as /home/someone/...,
# at the start of a line or after a space, a quote or an opening parenthesis.
MACHINE_PATH = re.compile(r"""(^|[\s"(])/[a-z]+/[a-z]+/""", re.MULTILINE)
EVIDENCE_CITATION = re.compile(r"data/evidence/[\w./-]*\w")
SECTIONS_CITED = re.compile(r'data/evidence/facts\.md, sections? ((?:"[^"]+"(?:, )?)+)')


def _text_files() -> list[Path]:
    files: list[Path] = []
    for name in SCANNED:
        path = ROOT / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in candidates:
            if not file.is_file() or SKIPPED_PARTS & set(file.parts):
                continue
            if file.suffix in TEXT_SUFFIXES:
                files.append(file)
    return files


def _scenario_files() -> list[Path]:
    return [*sorted((ROOT / "data" / "scenarios").glob("*.yaml")), ROOT / "data" / "sources.yaml"]


def test_the_pattern_finds_machine_paths_and_nothing_else() -> None:
    for text in ("see /work/shared/facts.md", '"/home/me/data.csv"', "(/root/notes/x)", "/tmp/a/b"):
        assert MACHINE_PATH.search(text), text
    for text in ("data/evidence/facts.md", "pounds / day / vehicle", "a/b/c", "https://x.org/a/b/"):
        assert not MACHINE_PATH.search(text), text


def test_scanned_folders_exist_and_hold_files() -> None:
    files = _text_files()
    assert len(files) > 20
    assert ROOT / "data" / "evidence" / "facts.md" in files


@pytest.mark.parametrize("path", _text_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_file_names_a_path_of_this_machine(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    found = [
        f"line {text.count(chr(10), 0, m.start()) + 1}: {m.group(0).strip()}..."
        for m in MACHINE_PATH.finditer(text)
    ]
    assert not found, f"{path.relative_to(ROOT)} names an absolute path: {found}"


def test_the_evidence_folder_holds_the_published_figures() -> None:
    facts = (ROOT / "data" / "evidence" / "facts.md").read_text(encoding="utf-8")
    for section in ("Fleet", "Vehicle recovery and pounds", "Catering", "Costs and staff"):
        assert f"## {section}" in facts
    assert "| fact | value | grade | source |" in facts


@pytest.mark.parametrize("path", _scenario_files(), ids=lambda p: p.name)
def test_every_cited_evidence_file_and_section_exists(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for cited in EVIDENCE_CITATION.findall(text):
        assert (ROOT / cited).is_file(), f"{path.name} cites {cited}, which does not exist"
    facts = (ROOT / "data" / "evidence" / "facts.md").read_text(encoding="utf-8")
    headings = {line[3:].strip() for line in facts.splitlines() if line.startswith("## ")}
    for group in SECTIONS_CITED.findall(text):
        for section in re.findall(r'"([^"]+)"', group):
            assert section in headings, f"{path.name} cites section {section!r} of facts.md"


def test_the_baseline_cites_the_evidence_for_every_service_section() -> None:
    text = (ROOT / "data" / "scenarios" / "baseline.yaml").read_text(encoding="utf-8")
    cited = {s for group in SECTIONS_CITED.findall(text) for s in re.findall(r'"([^"]+)"', group)}
    assert {"Fleet", "Vehicle recovery and pounds", "Catering", "Costs and staff"} <= cited
