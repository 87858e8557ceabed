"""Files that are not scenarios are refused without a word of their contents.

A scenario given as a link to a system file, one that ``extends`` a file outside its folder, a
named pipe, a device, or a key the size of a file: each is one short line naming the file the
user gave, and nothing of what the file holds is echoed (issue 8, item 1 and item 6).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from models.scenario import ScenarioError, load_scenario
from tests.support import run_workbook

SECRET = "hunter2-SECRET-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWD_LIKE = (
    f"root:x:0:0:root:/root:/bin/bash\nservice:{SECRET}:1001:1001::/home/service:/bin/sh\n"
)
CONFIG_LIKE = f"password: {SECRET}\napi_token: {SECRET}\nhost: db.internal\n"


def problems_of(path: Path, **kwargs) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, **kwargs)
    return info.value.problems


def command(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return run_workbook(*args, timeout=timeout)


def assert_quotes_nothing(lines: list[str], *secrets: str) -> None:
    text = "\n".join(lines)
    for secret in secrets:
        for piece in (secret, secret[:8], secret[-8:]):
            assert piece not in text, f"{piece!r} echoed in {text!r}"


@pytest.mark.parametrize("content", [PASSWD_LIKE, CONFIG_LIKE, SECRET + "\n"])
def test_a_link_to_a_file_that_is_not_a_scenario_quotes_none_of_it(tmp_path, content) -> None:
    target = tmp_path / "elsewhere" / "secret"
    target.parent.mkdir()
    target.write_text(content, encoding="utf-8")
    link = tmp_path / "scenario.yaml"
    link.symlink_to(target)
    (line,) = problems_of(link)
    assert line.startswith(f"{link}: top level: ")
    assert "not a scenario file, so nothing of it is shown" in line
    assert_quotes_nothing([line], SECRET, "root:x:0:0", "db.internal")

    result = command("validate", link)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [line]
    assert "Traceback" not in result.stderr


def test_a_link_to_the_systems_password_file_quotes_none_of_it(tmp_path) -> None:
    if not Path("/etc/passwd").is_file():
        pytest.skip("no /etc/passwd on this machine")
    link = tmp_path / "passwd.yaml"
    link.symlink_to("/etc/passwd")
    (line,) = problems_of(link)
    first = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    assert first.split(":")[0] + ":" not in line.removeprefix(f"{link}: ")
    assert "nothing of it is shown" in line


def scenario_extending(tmp_path: Path, target: str) -> Path:
    child = tmp_path / "scenarios" / "child.yaml"
    child.parent.mkdir(exist_ok=True)
    child.write_text(f"extends: {target}\nname: child\n", encoding="utf-8")
    return child


@pytest.mark.parametrize("how", ["absolute", "dotdot", "link"])
def test_extends_cannot_reach_a_file_outside_the_scenarios_folder(tmp_path, how) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(f"name: {SECRET}\nseed: {SECRET}\n", encoding="utf-8")
    target = {"absolute": str(secret), "dotdot": "../secret.yaml", "link": "inside.yaml"}[how]
    child = scenario_extending(tmp_path, target)
    if how == "link":
        (child.parent / "inside.yaml").symlink_to(secret)
    (line,) = problems_of(child)
    assert line.startswith(f"{child}: extends: must name a file in the scenario's own folder")
    assert "nothing was read" in line
    assert_quotes_nothing([line], SECRET)
    # Named explicitly, the folder may be reached (and its file is then a scenario's parent).
    problems = problems_of(child, roots=[tmp_path])
    assert problems and all(p.startswith(f"{child}: ") for p in problems)


def test_extends_of_a_system_file_by_absolute_path_reads_nothing(tmp_path) -> None:
    child = scenario_extending(tmp_path, "/etc/passwd")
    (line,) = problems_of(child)
    assert "extends: must name a file in the scenario's own folder" in line
    result = command("validate", child)
    assert result.returncode == 1 and result.stderr.splitlines() == [line]


def test_a_problem_up_the_chain_names_the_users_file_and_the_chain(tmp_path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "grandparent.yaml").write_text(CONFIG_LIKE, encoding="utf-8")
    (folder / "parent.yaml").write_text("extends: grandparent.yaml\nseed: 1\n", encoding="utf-8")
    child = folder / "child.yaml"
    child.write_text("extends: parent.yaml\nname: c\n", encoding="utf-8")
    (line,) = problems_of(child)
    assert line.startswith(f"{child}: top level: has none of the keys of a scenario")
    assert line.endswith(
        "(in grandparent.yaml; extends chain: child.yaml -> parent.yaml -> grandparent.yaml)"
    )
    assert_quotes_nothing([line], SECRET, "db.internal")


def test_a_huge_unknown_key_is_quoted_short_and_visibly_cut(tmp_path) -> None:
    key = "k" * 900_000
    path = tmp_path / "huge.yaml"
    path.write_text(f"name: x\n? {key}\n: 1\n", encoding="utf-8")  # an explicit key
    problems = problems_of(path)
    assert all(len(line) < 600 for line in problems)
    (huge,) = [line for line in problems if "unknown key" in line]
    assert "… (900,000 characters)" in huge


def test_a_long_value_is_quoted_by_its_start_only(tmp_path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(f"name: x\nseed: '{SECRET}'\n", encoding="utf-8")
    problems = problems_of(path)
    (seed,) = [line for line in problems if ": seed: " in line]
    assert f"({len(SECRET)} characters)" in seed
    assert SECRET not in seed and SECRET[-8:] not in seed


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_within_a_second(tmp_path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    started = time.perf_counter()
    (line,) = problems_of(fifo)
    assert time.perf_counter() - started < 1.0
    assert line == f"{fifo}: not a regular file (a pipe, device or socket)"
    for verb in (["validate", fifo], ["run", "--scenario", fifo, "--reports-dir", tmp_path]):
        result = command(*verb, timeout=30)
        assert result.returncode != 0
        assert line in result.stderr.splitlines()
        assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_up_the_chain_is_refused_too(tmp_path) -> None:
    child = scenario_extending(tmp_path, "pipe.yaml")
    os.mkfifo(child.parent / "pipe.yaml")
    started = time.perf_counter()
    (line,) = problems_of(child)
    assert time.perf_counter() - started < 1.0
    assert line.startswith(f"{child}: not a regular file")
    assert line.endswith("(in pipe.yaml, which child.yaml extends)")


def test_a_device_is_refused(tmp_path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    assert problems_of(link) == [f"{link}: not a regular file (a pipe, device or socket)"]
