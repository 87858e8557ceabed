"""Run every benchmark in this folder, one after another, and print what each measured.

    python benchmarks/run_all.py          # or: make bench

Each benchmark runs as its own process with this interpreter, so one that ends early (a
``raise SystemExit``), fails or crashes cannot stop the others. Every benchmark is run; the
exit status is 0 only when every one exited 0, and the summary at the end names any that failed.

Run on an otherwise idle machine: each benchmark times things side by side, so the ratios are
fair, but a busy machine makes the parallel speed-up look worse than it is.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

__all__ = ["Outcome", "benchmarks", "main", "run_all"]


@dataclass(frozen=True)
class Outcome:
    """How one benchmark ended."""

    name: str
    returncode: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def benchmarks(folder: Path = HERE) -> list[Path]:
    """The benchmark scripts of ``folder`` (``bench_*.py``), in name order."""
    return sorted(folder.glob("bench_*.py"))


def run_all(scripts: Iterable[Path], python: str = sys.executable) -> list[Outcome]:
    """Run each script as ``python script``, one after another; its output goes straight through.

    A script counts as failed when its process exits non-zero, which includes an uncaught
    exception (Python exits 1 and prints the traceback) and being killed by a signal.
    """
    outcomes = []
    for script in scripts:
        script = Path(script)
        print(f"\n== {script.stem} ==", flush=True)
        start = time.perf_counter()
        try:
            code = subprocess.run([python, str(script)]).returncode
        except OSError as error:  # the interpreter or script could not be started at all
            print(f"could not run {script}: {error}", flush=True)
            code = 127
        seconds = time.perf_counter() - start
        status = "" if code == 0 else f", FAILED with exit status {code}"
        print(f"({script.stem} took {seconds:.1f} s{status})", flush=True)
        outcomes.append(Outcome(script.stem, code, seconds))
    return outcomes


def summary(outcomes: Sequence[Outcome]) -> str:
    """One line saying how many benchmarks ran and which, if any, failed."""
    failed = [o for o in outcomes if not o.ok]
    if not outcomes:
        return "no benchmarks found: nothing was measured"
    if not failed:
        return f"all {len(outcomes)} benchmarks ran and exited 0"
    names = ", ".join(f"{o.name} (exit {o.returncode})" for o in failed)
    return f"{len(failed)} of {len(outcomes)} benchmarks FAILED: {names}"


def main(scripts: Sequence[Path] | None = None) -> int:
    """Run ``scripts`` (default: every benchmark here); 1 if any failed (or none ran), else 0."""
    outcomes = run_all(benchmarks() if scripts is None else scripts)
    print(f"\n{summary(outcomes)}", flush=True)
    return 0 if outcomes and all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
