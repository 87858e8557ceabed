"""The result cache: keys, identity, storage that survives crashes and concurrent writers, and
run_replications giving the same frame, bit for bit, whatever it finds in the cache."""

from __future__ import annotations

import enum
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pydantic import BaseModel, ConfigDict

from models.kit.cache import (
    HEADER,
    MISSING,
    ResultCache,
    canonical_json,
    code_version,
    identity,
)
from models.kit.replications import run_replications
from models.kit.runs import ServiceRun
from models.kit.streams import Streams
from models.registry import SERVICES
from models.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
REPLICATIONS = 6


def noisy_model(option: Mapping[str, Any], streams: Streams) -> dict[str, float]:
    """Full-precision metrics; each call appends a line to ``option["calls"]`` (so a test can
    count the runs simulated, in any process)."""
    with open(option["calls"], "a", encoding="utf-8") as log:
        log.write(f"{streams.replication}\n")
    draws = streams["work"].exponential(option["scale"], size=50)
    return {"mean": float(draws.mean()), "max": float(draws.max()), "third": 1.0 / 3.0}


def calls(path: Path) -> int:
    """How many runs ``noisy_model`` has simulated (and forget them)."""
    if not path.exists():
        return 0
    count = len(path.read_text(encoding="utf-8").splitlines())
    path.unlink()
    return count


@pytest.fixture
def options(tmp_path: Path) -> dict[str, dict[str, Any]]:
    log = str(tmp_path / "calls.log")
    return {"in_house": {"scale": 2.0, "calls": log}, "outsourced": {"scale": 1.5, "calls": log}}


def run(options: Mapping[str, Any], cache: ResultCache | None, **kwargs: Any) -> pd.DataFrame:
    arguments: dict[str, Any] = {"replications": REPLICATIONS, "seed": 11, "jobs": 1}
    arguments.update(kwargs)
    return run_replications(noisy_model, options, progress=False, cache=cache, **arguments)


def assert_bit_identical(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(left, right, check_exact=True)
    assert np.array_equal(
        left["value"].to_numpy().view(np.int64), right["value"].to_numpy().view(np.int64)
    )


def entries(cache: ResultCache) -> list[Path]:
    return sorted(p for p in cache.root.glob("??/*") if not p.name.startswith("."))


# --------------------------------------------------------------------------- run_replications


@pytest.mark.parametrize("jobs", [1, 2])
def test_frame_identical_with_and_without_cache_and_second_run_simulates_nothing(
    tmp_path: Path, options: dict[str, Any], jobs: int
) -> None:
    log = Path(options["in_house"]["calls"])
    plain = run(options, None, jobs=jobs)
    assert calls(log) == 2 * REPLICATIONS
    cache = ResultCache(tmp_path / "cache")
    first = run(options, cache, jobs=jobs)
    assert (cache.hits, cache.misses, cache.stored) == (0, 12, 12)
    assert calls(log) == 12 and len(entries(cache)) == 12
    second = run(options, cache, jobs=jobs)
    assert (cache.hits, cache.misses) == (12, 12) and calls(log) == 0
    assert_bit_identical(plain, first)
    assert_bit_identical(plain, second)
    assert cache.summary() == f"12 of 24 results came from the cache ({cache.root})"


@pytest.mark.parametrize("jobs", [1, 2])
def test_partial_hits_simulate_only_the_missing_runs(
    tmp_path: Path, options: dict[str, Any], jobs: int
) -> None:
    log = Path(options["in_house"]["calls"])
    plain = run(options, None)
    calls(log)
    cache = ResultCache(tmp_path / "cache")
    run(options, cache, jobs=jobs)
    calls(log)
    for entry in entries(cache)[::3]:  # 4 of the 12 runs, spread over options and replications
        entry.unlink()
    again = ResultCache(cache.root)
    with ThreadPoolExecutor(max_workers=2) as executor:
        partial = run(options, again, jobs=jobs, executor=executor if jobs == 2 else None)
    assert (again.hits, again.misses, again.stored) == (8, 4, 4) and calls(log) == 4
    assert_bit_identical(plain, partial)
    assert_bit_identical(plain, run(options, again, jobs=jobs))
    assert calls(log) == 0


def test_a_real_service_study_is_identical_from_the_cache(tmp_path: Path) -> None:
    service = SERVICES["recovery"]
    section = load_scenario(ROOT / "data" / "scenarios" / "baseline.yaml").recovery
    runs = {
        f"{option}@{year}": service.run_class(section, option, year=year, **service.quick)
        for option in list(section.options)[:2]
        for year in (0.0, 5.0)
    }
    arguments: dict[str, Any] = {"replications": 2, "seed": 3, "progress": False}
    plain = run_replications(service.simulate, runs, jobs=1, **arguments)
    cache = ResultCache(tmp_path / "cache")
    stored = run_replications(service.simulate, runs, jobs=2, cache=cache, **arguments)
    found = run_replications(service.simulate, runs, jobs=1, cache=cache, **arguments)
    assert (cache.hits, cache.misses) == (8, 8)
    assert_bit_identical(plain, stored)
    assert_bit_identical(plain, found)


def test_seed_or_parameters_changed_miss(tmp_path: Path, options: dict[str, Any]) -> None:
    cache = ResultCache(tmp_path / "cache")
    run(options, cache)
    run(options, cache, seed=12)
    assert (cache.hits, cache.misses) == (0, 24)
    changed = {**options, "outsourced": {**options["outsourced"], "scale": 1.25}}
    run(changed, cache)
    assert (cache.hits, cache.misses) == (6, 30)  # in_house unchanged: its runs are found
    run(options, cache, replications=REPLICATIONS + 2)
    assert (cache.hits, cache.misses) == (18, 34)  # only the two new replications run


def test_options_with_equal_parameters_share_entries(
    tmp_path: Path, options: dict[str, Any]
) -> None:
    cache = ResultCache(tmp_path / "cache")
    run(options, cache)
    renamed = {"mixed": options["outsourced"], "in_house": options["in_house"]}
    frame = run(renamed, cache)
    assert cache.misses == 12 and cache.hits == 12
    assert set(frame["option"]) == {"mixed", "in_house"}


def test_uncacheable_parameters_are_refused_not_guessed(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache")
    with pytest.raises(TypeError, match=r"option 'b' cannot be cached.*set"):
        run_replications(noisy_model, {"b": {1, 2}}, replications=1, seed=1, cache=cache)


def test_a_cache_that_cannot_be_written_warns_once_and_results_still_come(
    tmp_path: Path, options: dict[str, Any]
) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    cache = ResultCache(blocked / "cache")  # cannot be created, even by root
    plain = run(options, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = run(options, cache)
    assert [str(w.message) for w in caught if "cannot be written" in str(w.message)] != []
    assert len([w for w in caught if issubclass(w.category, RuntimeWarning)]) == 1
    assert cache.stored == 0
    assert_bit_identical(plain, frame)


# --------------------------------------------------------------------------- damaged entries


def damage_flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01
    path.write_bytes(bytes(data))


def damage_truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-5])


def damage_header(path: Path) -> None:
    data = path.read_bytes()
    magic, _version, key, digest, length = HEADER.unpack_from(data)
    path.write_bytes(HEADER.pack(magic, 99, key, digest, length) + data[HEADER.size :])


@pytest.mark.parametrize("damage", [damage_flip, damage_truncate, damage_header])
def test_damaged_entry_is_a_miss_removed_and_recomputed(
    tmp_path: Path, options: dict[str, Any], damage: Any
) -> None:
    log = Path(options["in_house"]["calls"])
    cache = ResultCache(tmp_path / "cache")
    plain = run(options, cache)
    calls(log)
    victim = entries(cache)[5]
    damage(victim)
    again = ResultCache(cache.root)
    frame = run(options, again)
    assert (again.hits, again.misses, again.stored) == (11, 1, 1) and calls(log) == 1
    assert_bit_identical(plain, frame)
    assert ResultCache(cache.root).get(victim.name) is not MISSING  # replaced by a sound entry


def test_another_keys_entry_is_not_read(tmp_path: Path, options: dict[str, Any]) -> None:
    cache = ResultCache(tmp_path / "cache")
    plain = run(options, cache)
    first, second = entries(cache)[:2]
    shutil.copyfile(first, second)  # sound bytes, but of another key
    assert cache.get(second.name) is MISSING and not second.exists()
    assert_bit_identical(plain, run(options, cache))


def test_leftover_temp_files_are_ignored_and_cleared(
    tmp_path: Path, options: dict[str, Any]
) -> None:
    cache = ResultCache(tmp_path / "cache")
    plain = run(options, cache)
    victim = entries(cache)[0]
    # a crash between writing the temporary file and moving it: the entry is not there yet
    temp = victim.parent / f".{victim.name}.crashed.tmp"
    os.replace(victim, temp)
    again = ResultCache(cache.root)
    assert_bit_identical(plain, run(options, again))
    assert again.misses == 1 and victim.exists() and temp.exists()
    foreign = cache.root / "notes.txt"
    foreign.write_text("keep me", encoding="utf-8")
    assert cache.clear() == 12
    assert not temp.exists() and entries(cache) == [] and foreign.exists()
    assert cache.clear() == 0


# --------------------------------------------------------------------------- storage


@dataclass(frozen=True)
class Trace:
    option: str
    hourly: np.ndarray


def test_memo_computes_once_and_round_trips_arrays(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache")
    made: list[int] = []

    def compute() -> Trace:
        made.append(1)
        return Trace("in_house", np.linspace(0.0, 1.0, 7) / 3.0)

    first = cache.memo(("trace", "in_house", 1), compute)
    second = ResultCache(cache.root).memo(("trace", "in_house", 1), compute)
    assert made == [1]
    assert second.option == first.option and second.hourly.tobytes() == first.hourly.tobytes()
    assert cache.summary() == f"0 of 1 result came from the cache ({cache.root})"


def test_summary_names_the_default_folder_relative_to_the_project() -> None:
    cache = ResultCache(ResultCache.default_root())
    assert ResultCache.default_root() == ROOT / ".cache" / "results"
    assert cache.summary() == "No results were looked up in the cache (.cache/results)"


def test_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for off in ("", "off", " OFF "):
        monkeypatch.setenv("WORKBOOK_CACHE", off)
        assert ResultCache.from_environment() is None
    monkeypatch.delenv("WORKBOOK_CACHE")
    assert ResultCache.from_environment() is None
    monkeypatch.setenv("WORKBOOK_CACHE", "default")
    assert ResultCache.from_environment().root == ResultCache.default_root()  # type: ignore[union-attr]
    monkeypatch.setenv("WORKBOOK_CACHE", str(tmp_path / "elsewhere"))
    assert ResultCache.from_environment().root == tmp_path / "elsewhere"  # type: ignore[union-attr]


WRITER = textwrap.dedent(
    """
    import sys
    import numpy as np
    from models.kit.cache import ResultCache
    cache = ResultCache(sys.argv[1])
    for round_ in range(int(sys.argv[2])):
        for i, key in enumerate(sys.argv[3:]):
            value = np.full(60_000, float(i))  # ~0.5 MB: writes that take long enough to overlap
            cache.put(key, value)
    print(cache.stored)
    """
)


def test_concurrent_writers_of_the_same_keys_leave_every_entry_readable(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    reader = ResultCache(root)
    keys = [reader.key("concurrent", i) for i in range(20)]
    command = [sys.executable, "-c", WRITER, str(root), "5", *keys]
    writers = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE) for _ in range(2)]
    looked_up = torn = 0
    while any(w.poll() is None for w in writers):  # read while they write
        for i, key in enumerate(keys):
            value = reader.get(key)
            looked_up += 1
            if value is not MISSING and not np.array_equal(value, np.full(60_000, float(i))):
                torn += 1
    outputs = [w.communicate(timeout=60)[0] for w in writers]
    assert [w.returncode for w in writers] == [0, 0] and outputs == [b"100\n", b"100\n"]
    assert torn == 0 and looked_up > 0 and reader.hits > 0
    for i, key in enumerate(keys):
        value = reader.get(key)
        assert value is not MISSING and np.array_equal(value, np.full(60_000, float(i)))
    assert list(root.glob("??/.*")) == []  # no temporary file left behind


# --------------------------------------------------------------------------- identity and keys


class Kind(enum.Enum):
    FORCE = "force"
    CONTRACTOR = "contractor"


class Section(BaseModel):
    rate: float
    names: tuple[str, ...] = ()


class Opaque:
    """Something with no canonical form."""


class HoldsOpaque(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    thing: Opaque


def local_function() -> None:
    def inner() -> None: ...

    return inner  # type: ignore[return-value]


@pytest.mark.parametrize(
    "thing",
    [
        {1, 2},
        object(),
        Path("data"),
        lambda: None,
        local_function(),
        np.array([object()]),
        [1, "two", {3}],
        {"nested": {"deeper": frozenset()}},
        [].append,
        HoldsOpaque(thing=Opaque()),
    ],
    ids=lambda thing: re.sub(r" at 0x[0-9a-f]+", "", repr(thing)),  # the same in every worker
)
def test_identity_refuses_what_it_cannot_canonicalise(thing: object) -> None:
    with pytest.raises(TypeError, match="cannot identify"):
        identity(thing)


def test_identity_refuses_code_defined_in_main() -> None:
    def simulate() -> None: ...

    simulate.__qualname__ = "simulate"
    simulate.__module__ = "__main__"
    with pytest.raises(TypeError, match="not a module-level function"):
        identity(simulate)


def test_floats_are_identified_bit_for_bit() -> None:
    x = 0.1
    near = math.nextafter(x, 1.0)
    assert canonical_json(x) != canonical_json(near)
    assert identity(0.0) != identity(-0.0)
    assert len({canonical_json(v) for v in (1, 1.0, True, "1", np.float64(1.0))}) == 5
    assert identity(x) == {"float": x.hex()}
    assert identity(np.array([x, near])) != identity(np.array([x, x]))
    assert identity(np.array([1.0, 2.0])) != identity(np.array([[1.0], [2.0]]))  # shape counts


def test_identity_forms_are_canonical_and_fixed_points() -> None:
    thing = {
        "b": (1, 2.5, None),
        "a": Section(rate=0.035, names=("x",)),
        "kind": Kind.FORCE,
        "trace": Trace("o", np.arange(3.0)),
        "function": noisy_model,
        7: "int key",
    }
    form = identity(thing)
    assert identity(form) == form
    assert canonical_json({"a": 1, "b": 2}) == canonical_json({"b": 2, "a": 1})
    assert identity(Section(rate=0.035)) == {
        "type": f"{__name__}.Section",
        "data": {"rate": {"float": (0.035).hex()}, "names": []},
    }
    assert identity(noisy_model) == f"{__name__}.noisy_model"
    assert identity(Kind.FORCE) != identity(Kind.CONTRACTOR)


def test_key_hashes_parts_and_code_version() -> None:
    cache = ResultCache("unused")
    key = cache.key("replication", noisy_model, {"scale": 2.0}, 11, 0)
    assert len(key) == 64 and key == cache.key("replication", noisy_model, {"scale": 2.0}, 11, 0)
    assert key != cache.key("replication", noisy_model, {"scale": 2.0}, 11, 1)
    assert key != cache.key("replication", noisy_model, {"scale": 2.0 + 1e-15}, 11, 0)
    parts = ("replication", noisy_model, identity({"scale": 2.0}), 11, 0)
    assert cache.key(*parts) == key  # a part may be given already identified
    assert ResultCache.key_of_json(*map(canonical_json, parts)) == key
    assert len(code_version()) == 64 and code_version() == code_version()


@dataclass(frozen=True)
class Period:
    warmup_days: float = 1.0
    window_days: float = 2.0


@dataclass(frozen=True)
class Config:
    options: dict[str, str]
    staff_cost: float
    period: Period = Period()

    def simulation_identity(self) -> dict[str, object]:
        """What the simulation reads: not the staff cost."""
        return {"options": self.options, "period": self.period}


@dataclass(frozen=True)
class DemoRun(ServiceRun[Config, str]):
    service = "demo"


def test_service_run_identity_leaves_out_what_only_costs_read() -> None:
    config = Config({"in_house": "spec"}, staff_cost=30_000.0)
    run = DemoRun(config, "in_house", year=2.0)
    form = run.cache_identity()
    assert form["run"] == f"{__name__}.DemoRun" and form["option"] == "in_house"
    assert form["year"] == {"float": (2.0).hex()} and form["window_days"] is None
    assert form["config"] == identity(config.simulation_identity())
    dearer = DemoRun(Config({"in_house": "spec"}, staff_cost=35_000.0), "in_house", year=2.0)
    assert canonical_json(dearer) == canonical_json(run)
    assert canonical_json(run.with_(year=3.0)) != canonical_json(run)
    assert canonical_json(run.with_(window_days=1.0)) != canonical_json(run)


def test_service_run_identity_of_a_real_section() -> None:
    section = load_scenario(ROOT / "data" / "scenarios" / "baseline.yaml").fleet
    run = SERVICES["fleet"].run_class(section, section.business_as_usual, year=1.0)
    assert identity(run) == identity(SERVICES["fleet"].run_class(section, run.option, year=1.0))
    other = next(name for name in section.options if name != run.option)
    assert identity(run) != identity(run.with_(option=other))
    assert identity(run)["run"] == "models.fleet.model.FleetRun"  # type: ignore[index]


STUDY = textwrap.dedent(
    """
    import hashlib, sys
    import models
    from models.kit.cache import ResultCache
    from models.kit.replications import run_replications
    from models.verification import standard_cases

    root, scale, replications = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    case = standard_cases(scale)[0]
    cache = None if root == "off" else ResultCache(root)
    frame = run_replications(type(case).simulate, {"case": case}, replications=replications,
                             seed=1, jobs=1, progress=False, cache=cache)
    digest = hashlib.sha256(frame["value"].to_numpy().tobytes()).hexdigest()
    print(models.__file__, cache and cache.hits, cache and cache.misses, digest)
    """
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's code (so that the code version is not changed by edits to the
    project while a test runs, and can be changed by the test)."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "models", copy / "models", ignore=shutil.ignore_patterns("*.pyc"))
    return copy


def study(project: Path, *arguments: object) -> subprocess.Popen[str]:
    """Start :data:`STUDY` on the copy of the code in ``project``."""
    command = [sys.executable, "-c", STUDY, *map(str, arguments)]
    environment = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.Popen(
        command, cwd=project, env=environment, stdout=subprocess.PIPE, text=True
    )


def study_output(project: Path, *arguments: object) -> list[str]:
    process = study(project, *arguments)
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0
    return out.split()


def test_a_change_of_code_misses(tmp_path: Path, project: Path) -> None:
    cache = tmp_path / "cache"
    first, second = study_output(project, cache, 0.02, 3), study_output(project, cache, 0.02, 3)
    with open(project / "models" / "kit" / "streams.py", "a", encoding="utf-8") as source:
        source.write("\n# a change of the code\n")
    third = study_output(project, cache, 0.02, 3)
    assert first[0] == str(project / "models" / "__init__.py")  # the copy ran, not the project
    assert first[1:3] == ["0", "3"] and second[1:3] == ["3", "0"] and third[1:3] == ["0", "3"]
    assert first[3] == second[3] == third[3]


def test_a_study_killed_midway_resumes_with_identical_results(
    tmp_path: Path, project: Path
) -> None:
    cache = ResultCache(tmp_path / "cache")
    running = study(project, cache.root, 0.1, 20)
    while len(entries(cache)) < 5 and running.poll() is None:
        time.sleep(0.02)
    running.send_signal(signal.SIGKILL)
    running.wait(timeout=30)
    assert running.returncode == -signal.SIGKILL  # killed before it finished
    kept = len(entries(cache))
    _, hits, misses, digest = study_output(project, cache.root, 0.1, 20)
    assert int(hits) == kept >= 5 and int(misses) == 20 - kept
    assert digest == study_output(project, "off", 0.1, 20)[3]
