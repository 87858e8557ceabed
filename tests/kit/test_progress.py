"""Progress files: written atomically and throttled, read back, described in one line, and kept
up to date by run_replications."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from models.kit.cache import ResultCache
from models.kit.progress import ENV, ProgressFile, describe, read_progress
from models.kit.replications import run_replications
from models.kit.streams import Streams


class Clock:
    """A clock the test moves by hand (for exact throttling and time-left figures)."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def model(option: float, streams: Streams) -> dict[str, float]:
    return {"draw": float(streams["x"].random()) * option}


def test_report_writes_what_the_runner_reads(tmp_path: Path) -> None:
    clock = Clock()
    progress = ProgressFile(tmp_path / "progress.json", clock=clock)
    progress.report("uncertainty", 12, 432)  # e.g. 12 runs found in the cache at once
    first = read_progress(progress.path)
    assert first is not None
    assert (first["label"], first["done"], first["total"], first["unit"]) == (
        "uncertainty",
        12,
        432,
        "runs",
    )
    assert first["elapsed_s"] == 0.0 and first["eta_s"] is None
    clock.now += 20.0
    progress.report("uncertainty", 132, 432)  # 120 runs in 20 s: 300 left take 50 s
    second = read_progress(progress.path)
    assert second is not None and second["eta_s"] == pytest.approx(50.0)
    assert describe(second) == "uncertainty: 132/432 runs, about 50 s left"
    assert isinstance(second["updated"], float)
    assert json.loads(progress.path.read_text(encoding="utf-8"))["done"] == 132
    assert list(tmp_path.iterdir()) == [progress.path]  # no temporary file left


def test_writes_are_throttled_but_the_last_one_always_lands(tmp_path: Path) -> None:
    clock = Clock()
    progress = ProgressFile(tmp_path / "progress.json", clock=clock)
    progress.report("study", 0, 10)
    for done in range(1, 5):
        clock.now += 0.1
        progress.report("study", done, 10)
    assert read_progress(progress.path)["done"] == 0  # type: ignore[index]
    clock.now += 0.2  # 0.6 s after the first write
    progress.report("study", 5, 10)
    assert read_progress(progress.path)["done"] == 5  # type: ignore[index]
    clock.now += 0.01
    progress.report("study", 10, 10)  # the last write is never held back
    final = read_progress(progress.path)
    assert final is not None and final["done"] == 10 and final["eta_s"] == 0.0
    assert describe(final) == "study: 10/10 runs, done"
    progress.report("next study", 0, 4)  # a new study writes at once, timed from its start
    assert read_progress(progress.path)["label"] == "next study"  # type: ignore[index]


def test_a_reader_never_sees_half_a_file(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    progress = ProgressFile(path, min_interval_s=0.0)
    progress.report("warm-up", 0, 1000, unit="samples")
    seen: list[int] = []
    unreadable = 0
    stop = threading.Event()

    def read() -> None:
        nonlocal unreadable
        while not stop.is_set():
            state = read_progress(path)
            if state is None:
                unreadable += 1
            else:
                seen.append(state["done"])  # type: ignore[arg-type]

    reader = threading.Thread(target=read)
    reader.start()
    for done in range(1, 1001):
        progress.report("warm-up", done, 1000, unit="samples")
    stop.set()
    reader.join()
    assert unreadable == 0 and len(seen) > 10 and seen == sorted(seen)
    assert read_progress(path)["unit"] == "samples"  # type: ignore[index]


def test_an_unwritable_progress_file_is_ignored(tmp_path: Path) -> None:
    progress = ProgressFile(tmp_path / "no such folder" / "progress.json")
    progress.report("study", 1, 2)
    progress.report("study", 2, 2)
    assert read_progress(progress.path) is None


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{",
        "[1, 2]",
        '{"label": "x", "done": 1}',
        '{"label": "x", "done": -1, "total": 2, "unit": "runs", "elapsed_s": 0, "eta_s": null,'
        ' "updated": 0}',
        '{"label": "x", "done": "1", "total": 2, "unit": "runs", "elapsed_s": 0, "eta_s": null,'
        ' "updated": 0}',
    ],
)
def test_read_progress_of_a_corrupt_file_is_none(tmp_path: Path, content: str) -> None:
    path = tmp_path / "progress.json"
    path.write_text(content, encoding="utf-8")
    assert read_progress(path) is None
    assert read_progress(tmp_path / "absent.json") is None


@pytest.mark.parametrize(
    ("eta", "text"),
    [
        (None, "uncertainty: 120/432 runs"),
        (0.4, "uncertainty: 120/432 runs, about 0 s left"),
        (70.2, "uncertainty: 120/432 runs, about 1 min 10 s left"),
        (120.0, "uncertainty: 120/432 runs, about 2 min left"),
        (754.0, "uncertainty: 120/432 runs, about 13 min left"),
        (3900.0, "uncertainty: 120/432 runs, about 1 h 5 min left"),
        (7200.0, "uncertainty: 120/432 runs, about 2 h left"),
    ],
)
def test_describe(eta: float | None, text: str) -> None:
    progress = {"label": "uncertainty", "done": 120, "total": 432, "unit": "runs", "eta_s": eta}
    assert describe(progress) == text
    assert describe({**progress, "label": ""}) == text.removeprefix("uncertainty: ")


def test_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert ProgressFile.from_environment() is None
    monkeypatch.setenv(ENV, "")
    assert ProgressFile.from_environment() is None
    monkeypatch.setenv(ENV, str(tmp_path / "p.json"))
    assert ProgressFile.from_environment().path == tmp_path / "p.json"  # type: ignore[union-attr]


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_replications_reports_its_progress(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, jobs: int
) -> None:
    path = tmp_path / "progress.json"
    monkeypatch.setenv(ENV, str(path))
    options = {"a": 1.0, "b": 2.0, "c": 3.0}
    arguments = {"replications": 8, "seed": 1, "jobs": jobs, "progress": False}
    run_replications(model, options, description="recovery: uncertainty", **arguments)
    state = read_progress(path)
    assert state is not None
    assert (state["label"], state["done"], state["total"]) == ("recovery: uncertainty", 24, 24)
    cache = ResultCache(tmp_path / "cache")
    run_replications(model, options, description="cached", cache=cache, **arguments)
    path.unlink()
    run_replications(model, options, description="cached", cache=cache, **arguments)
    state = read_progress(path)  # every run found: done at once
    assert state is not None and (state["done"], state["total"]) == (24, 24)
    assert cache.hits == 24
