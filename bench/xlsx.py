"""Issue 26's findings-workbook benchmark: the xlsx of a large result, time and memory.

    python bench/xlsx.py                                   # dense 50,000, this revision
    python bench/xlsx.py --baseline /tmp/before --repeat 3 # and another revision, alternating
    python bench/xlsx.py --mix typical --workers 10000

Each run is a fresh process that audits the workbook first (not timed),
then renders the inspector's findings workbook: ``seconds`` is the render
alone; ``peak_mb`` the process's peak resident size during the render (the
peak is reset with ``/proc/self/clear_refs`` once the audit is done, so it
is the result held plus what the writer needed) and ``rise_mb`` what the
render added to the resident size the audit left. ``--baseline DIR`` (an
unpacked checkout of another revision, e.g. ``git archive REV | tar -x -C
DIR``) runs that revision's writer too, alternating with this one's, so
before and after share the machine's load; medians of ``--repeat`` runs and
``speedup`` = baseline / this. The machine is shared (2 cores, other
engineers' work): compare the ratios, not the seconds across runs. Results
go to ``bench/results/xlsx.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from run import workbook  # bench/run.py: generated once, cached

from bench.revision import revision

RESULTS = BENCH / "results" / "xlsx.json"

_CHILD = """
import gc, json, sys, time
sys.path.insert(0, sys.argv[2])
from auditor.pipeline import inspect_records
from auditor.render import render_xlsx

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024

inspection = inspect_records(sys.argv[1])
inspection.result.findings  # noqa: B018  # built before the clock starts
gc.collect()
before = status("VmRSS")
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # resets VmHWM to the present resident size
start, cpu = time.perf_counter(), time.process_time()
data = render_xlsx(inspection)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = status("VmHWM")
print(json.dumps({"seconds": seconds, "cpu_s": cpu, "peak_mb": peak, "rise_mb": peak - before,
                  "bytes": len(data), "findings": len(inspection.result.findings)}))
"""


def measure(path: Path, checkout: Path) -> dict[str, Any]:
    """One render of the findings workbook in a fresh process of ``checkout``."""
    output = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(checkout)],
        capture_output=True,
        text=True,
        check=True,
        cwd=checkout,
    ).stdout
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return figures


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return round(statistics.median(run[key] for run in runs), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mix", default="dense")
    parser.add_argument("--workers", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--baseline", type=Path)
    arguments = parser.parse_args()
    path = workbook(arguments.workers, arguments.mix)
    this: list[dict[str, Any]] = []
    before: list[dict[str, Any]] = []
    for run in range(arguments.repeat):
        this.append(measure(path, ROOT))
        print(f"  this run {run + 1}: {this[-1]}", flush=True)
        if arguments.baseline is not None:
            before.append(measure(path, arguments.baseline))
            print(f"  baseline run {run + 1}: {before[-1]}", flush=True)
    record: dict[str, Any] = {
        "mix": arguments.mix,
        "workers": arguments.workers,
        "findings": this[0]["findings"],
        "revision": revision(ROOT),
        "seconds": _median(this, "seconds"),
        "spread_s": [round(min(r["seconds"] for r in this), 2),
                     round(max(r["seconds"] for r in this), 2)],
        "cpu_s": _median(this, "cpu_s"),
        "peak_mb": _median(this, "peak_mb"),
        "rise_mb": _median(this, "rise_mb"),
        "bytes": this[0]["bytes"],
        "runs": arguments.repeat,
    }  # fmt: skip
    if before:
        record.update(
            baseline_revision=revision(arguments.baseline or ROOT),
            baseline_seconds=_median(before, "seconds"),
            baseline_cpu_s=_median(before, "cpu_s"),
            baseline_peak_mb=_median(before, "peak_mb"),
            baseline_rise_mb=_median(before, "rise_mb"),
            baseline_bytes=before[0]["bytes"],
        )
        record["speedup"] = round(record["baseline_seconds"] / record["seconds"], 1)
        record["cpu_speedup"] = round(record["baseline_cpu_s"] / record["cpu_s"], 1)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": []}
    results["machine"] = (
        f"{platform.machine()}, shared 2 cores, CPython {platform.python_version()}"
    )
    results["goal"] = "dense 50,000: under 10 s and under 600 MB"
    results["runs"] = [
        r for r in results["runs"] if (r["mix"], r["workers"]) != (record["mix"], record["workers"])
    ] + [record]
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
