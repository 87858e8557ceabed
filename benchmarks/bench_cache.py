"""``workbook run`` on the baseline scenario twice with one fresh result cache: the second run
should take at most 30 s (every simulation a cache hit) and write the same reports but for their
run time.

"An unchanged tree": both runs use one snapshot of the project's code, notebooks and data,
copied to a temporary folder first (and first on ``PYTHONPATH``), so an edit made to the
project while the benchmark runs cannot change the code between the runs (which would change
every cache key). Both runs go to temporary reports folders, with ``--jobs 2`` as ``make
reports`` runs them and ``WORKBOOK_CACHE`` set to a new temporary folder, so neither the
project's reports nor its cache is touched. It prints both wall times, how many runs of each
report came from the cache, and, report by report, exactly what differs between the two runs'
HTML: the visible lines that changed and the number of embedded images that changed. Exit
status 1 if a run failed.

    python benchmarks/bench_cache.py            # the full baseline (the first run takes long)
    python benchmarks/bench_cache.py --quick    # the same with --quick reports
"""

from __future__ import annotations

import difflib
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ("models", "workbook", "notebooks", "data")
"""What the snapshot copies: the code, the notebooks and the scenarios."""
BASELINE = Path("data") / "scenarios" / "baseline.yaml"
GOAL_S = 30.0
SHOWN_PER_REPORT = 8
CACHE_NOTE = re.compile(r"(\d+) of the (\d+) results looked up")
IMAGE = re.compile(r"""<img[^>]+src=["'](data:[^"']+)["']""", re.IGNORECASE)
EXPECTED = (
    re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$"),  # "Run started" value
    re.compile(r"^\d{2} \w+ \d{4}, \d{2}:\d{2} \w+$"),  # the title block's date
    CACHE_NOTE,
    re.compile(r"^Simulations ran on: "),
)
"""Lines expected to differ: the run's start time and the note on where runs came from."""


def snapshot(into: Path) -> Path:
    """A copy of the project's code, notebooks and data under ``into``; returns its root."""
    for part in SNAPSHOT:
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
        shutil.copytree(ROOT / part, into / part, ignore=ignore)
    return into


def run_once(project: Path, reports: Path, cache: Path, quick: bool) -> float:
    """Seconds ``workbook run`` of ``project`` took on the baseline into ``reports``."""
    command = [sys.executable, "-m", "workbook", "run", "--scenario", str(project / BASELINE)]
    command += ["--jobs", "2", "--reports-dir", str(reports), *(["--quick"] if quick else [])]
    env = {**os.environ, "WORKBOOK_CACHE": str(cache), "PYTHONPATH": str(project)}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=project, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"workbook run failed (exit {done.returncode})")
    return seconds


def visible_lines(page: str) -> list[str]:
    """The text a reader sees, a line per element, without styles, scripts and images."""
    page = re.sub(r"<(style|script)\b.*?</\1>", "\n", page, flags=re.S | re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    return [line.strip() for line in text.splitlines() if line.strip()]


def images(page: str) -> list[str]:
    return [hashlib.sha256(src.encode()).hexdigest() for src in IMAGE.findall(page)]


def changed_lines(first: list[str], second: list[str]) -> list[tuple[str, str]]:
    """Each changed stretch of lines, as (before, after)."""
    matcher = difflib.SequenceMatcher(a=first, b=second, autojunk=False)
    return [
        (" / ".join(first[i1:i2]), " / ".join(second[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def expected(change: tuple[str, str]) -> bool:
    return all(any(p.search(side) for p in EXPECTED) for side in change if side)


def compare(first: Path, second: Path) -> bool:
    """Print what differs, report by report; True if nothing but the expected lines does."""
    only_expected = True
    for page in sorted(first.glob("*/*.html")):
        name = page.relative_to(first)
        other = second / name
        if not other.exists():
            print(f"  {name}: missing from the second run")
            only_expected = False
            continue
        a, b = page.read_text(encoding="utf-8"), other.read_text(encoding="utf-8")
        changes = changed_lines(visible_lines(a), visible_lines(b))
        moved = sum(x != y for x, y in zip(images(a), images(b), strict=False))
        moved += abs(len(images(a)) - len(images(b)))
        unexpected = [c for c in changes if not expected(c)]
        note = CACHE_NOTE.search(b)
        hits = f"{note.group(1)} of {note.group(2)} runs from the cache" if note else "no note"
        print(
            f"  {name}: {len(changes)} changed line(s), {len(unexpected)} unexpected; "
            f"{moved} image(s) changed; second run: {hits}"
        )
        for before, after in changes[:SHOWN_PER_REPORT]:
            print(f"      - {before[:150]}\n      + {after[:150]}")
        only_expected = only_expected and not unexpected and moved == 0
    return only_expected


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as folder:
        temp = Path(folder)
        project, cache = snapshot(temp / "project"), temp / "cache"
        print(
            f"workbook run --scenario {BASELINE} --jobs 2{' --quick' if quick else ''}, twice, "
            f"on a snapshot of the project in {project}, WORKBOOK_CACHE={cache} "
            f"(1-min load average before: {load:.2f})",
            flush=True,
        )
        first = run_once(project, temp / "first", cache, quick)
        second = run_once(project, temp / "second", cache, quick)
        print(f"  first run (empty cache)  : {first:7.1f} s")
        verdict = "ok" if second <= GOAL_S else "ABOVE GOAL"
        print(f"  second run (cache hits)  : {second:7.1f} s (goal <= {GOAL_S:g} s: {verdict})")
        print("what differs between the two runs' reports (visible text and embedded images):")
        same = compare(temp / "first", temp / "second")
        print(
            "  reports identical apart from their run time and cache note: "
            + ("yes" if same else "NO (see above)")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
