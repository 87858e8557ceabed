"""Runs sharing a reports folder never lose index rows: the index is updated under a lock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from workbook.index import MANIFEST_NAME, load_manifest

UPDATES = 100
_ADD_ROWS = """
import sys
from pathlib import Path

from workbook.index import ReportEntry, update_index

reports, worker, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sys.stdin.readline()  # start together
for number in range(count):
    entry = ReportEntry(
        scenario_slug=f"worker{worker}", scenario_name=f"Worker {worker}", notebook=f"nb{number}",
        status="ok", reason="", duration_s=1.0, run_date="2013-03-08T14:05:00+00:00",
    )
    update_index(reports, [entry])
"""


def test_two_processes_updating_the_index_keep_every_row(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _ADD_ROWS, str(reports), str(worker), str(UPDATES)],
            stdin=subprocess.PIPE,
            text=True,
        )
        for worker in (1, 2)
    ]
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.close()
    for writer in writers:
        writer.wait(timeout=300)
    assert [writer.returncode for writer in writers] == [0, 0]
    json.loads((reports / MANIFEST_NAME).read_text())  # complete, valid JSON
    assert len(load_manifest(reports)) == 2 * UPDATES
    assert not [p for p in reports.iterdir() if p.name.endswith(".tmp")]
