"""Benchmarks: ingestion, whole audits and reports, on synthetic workbooks.

    python bench/run.py                       # every benchmark at 1,000, 10,000 and 50,000 workers
    python bench/run.py ingest --sizes 1000   # one benchmark, chosen sizes
    python bench/run.py --repeat 5            # more runs per figure (medians are reported)

Each figure is measured in a fresh Python process, so that peak memory
(``ru_maxrss``) belongs to that run alone. Workbooks come from
``bench/generate.py`` and are cached in ``bench/data/`` (not committed).
Results are printed as a table and written to ``bench/results/latest.json``.
Timings are never asserted in tests: this machine's noise is reported as
the spread of the runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
RESULTS = BENCH / "results"
sys.path[:0] = [str(ROOT), str(BENCH)]

#: Code run in a child process; prints one JSON line {"seconds": ..., "peak_mb": ...}.
PROBES: dict[str, str] = {
    "bare_read": """
import python_calamine
book = python_calamine.CalamineWorkbook.from_path(PATH)
for name in book.sheet_names:
    book.get_sheet_by_name(name).to_python(skip_empty_area=False)
""",
    "ingest": """
auditor.read_workbook(PATH)
""",
}

_CHILD = """
import json, resource, sys, time
PATH = sys.argv[1]
{setup}
start = time.perf_counter()
{body}
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak{extra}}}))
"""


def workbook(workers: int) -> Path:
    """The synthetic workbook for ``workers``, generated once and cached."""
    path = DATA / f"w{workers}.xlsx"
    if not path.exists():
        from generate import write

        started = time.perf_counter()
        write(workers, path)
        print(f"  generated {path.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def measure(probe: str, path: Path, *, setup: str = "", extra: str = "") -> dict[str, float]:
    """Run one probe in a fresh interpreter and return what it printed."""
    code = _CHILD.format(setup=setup, body=PROBES[probe], extra=extra)
    output = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def repeated(probe: str, path: Path, repeat: int, **kwargs: str) -> dict[str, float]:
    runs = [measure(probe, path, **kwargs) for _ in range(repeat)]
    seconds = [run["seconds"] for run in runs]
    return {
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        "max_s": max(seconds),
        "peak_mb": max(run["peak_mb"] for run in runs),
    }


def bench_ingest(sizes: list[int], repeat: int) -> list[dict[str, object]]:
    """Ingestion (read + validate into an AuditDataset) against calamine's bare read."""
    rows = []
    for size in sizes:
        path = workbook(size)
        bare = repeated("bare_read", path, repeat)
        ingest = repeated("ingest", path, repeat, setup="import auditor")
        rows.append(
            {
                "workers": size,
                "file_mb": round(path.stat().st_size / 2**20, 1),
                "bare_read_s": round(bare["median_s"], 2),
                "ingest_s": round(ingest["median_s"], 2),
                "ingest_spread_s": [round(ingest["min_s"], 2), round(ingest["max_s"], 2)],
                "ratio": round(ingest["median_s"] / bare["median_s"], 2),
                "ingest_peak_mb": round(ingest["peak_mb"]),
                "goal": "ratio <= 3, peak < 1536 MB at 50,000 workers",
            }
        )
        print(f"  ingest {size:>6}: {rows[-1]}", flush=True)
    return rows


BENCHMARKS: dict[str, Callable[[list[int], int], list[dict[str, object]]]] = {
    "ingest": bench_ingest,
}


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the benchmarks.")
    parser.add_argument("which", nargs="*", help=f"any of {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    chosen = arguments.which or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    report: dict[str, object] = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "repeat": arguments.repeat,
    }
    for name in chosen:
        print(f"{name}:", flush=True)
        report[name] = BENCHMARKS[name](arguments.sizes, arguments.repeat)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {(RESULTS / 'latest.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
