"""Wall-clock time of each full (non-quick) option report, against the 2-minute budget.

Runs ``workbook run --only <report>`` on the baseline scenario for every service report, one at
a time with both cores given to its replications, into a temporary folder (the real reports are
left alone), and prints each time beside the budget.

    python benchmarks/bench_reports.py [report ...]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 120.0
REPORTS = ("recovery", "fleet", "catering")


def main(names: list[str]) -> int:
    chosen = [n for n in (names or REPORTS) if (ROOT / "notebooks" / f"{n}.ipynb").exists()]
    scenario = ROOT / "data" / "scenarios" / "baseline.yaml"
    print(f"full reports on {scenario.name}, budget {BUDGET_SECONDS:.0f} s each")
    failed = 0
    with tempfile.TemporaryDirectory() as reports:
        for name in chosen:
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "workbook", "run", "--only", name, "--scenario",
                 str(scenario), "--reports-dir", reports, "--jobs", "1", "--no-cache"],
                capture_output=True,
                text=True,
            )  # fmt: skip
            seconds = time.perf_counter() - start
            verdict = "within budget" if seconds <= BUDGET_SECONDS else "OVER budget"
            status = "ok" if done.returncode == 0 else f"FAILED ({done.returncode})"
            failed += done.returncode != 0
            print(f"  {name:<10} {seconds:6.1f} s  {status}, {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
