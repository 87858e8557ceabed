"""Run every benchmark in this folder, one after another, and print what each measured.

    python benchmarks/run_all.py          # or: make bench

Run on an otherwise idle machine: each benchmark times things side by side, so the ratios are
fair, but a busy machine makes the parallel speed-up look worse than it is.
"""

from __future__ import annotations

import runpy
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(p for p in HERE.glob("bench_*.py"))
    for script in scripts:
        print(f"\n== {script.stem} ==", flush=True)
        start = time.perf_counter()
        runpy.run_path(str(script), run_name="__main__")
        print(f"({script.stem} took {time.perf_counter() - start:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
