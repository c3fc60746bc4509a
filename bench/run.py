"""Benchmarks: ingestion, whole audits and reports, on synthetic workbooks.

    python bench/run.py                       # every benchmark at 1,000, 10,000 and 50,000 workers
    python bench/run.py ingest --sizes 1000   # one benchmark, chosen sizes
    python bench/run.py --repeat 5            # more runs per figure (medians are reported)
    python bench/run.py memory                # 500 consecutive audits in one process
    python bench/run.py report                # PDF render time and pages at 50, 500, 50,000

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
    "audit": """
result = auditor.audit(PATH)
result.to_json()
""",
    "report": """
pdf = render_pdf(inspection)
""",
}
#: Set-up of the report probe: the audit is done before the clock starts.
_REPORT_SETUP = """
import io
from pypdf import PdfReader
from auditor.pipeline import inspect_records
from auditor.render import render_pdf
inspection = inspect_records(PATH)
render_pdf(inspect_records(WARM))  # fonts and templates loaded, as in a server
"""

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
# ru_maxrss is in kilobytes on Linux.


def workbook(workers: int, mix: str = "typical") -> Path:
    """The synthetic workbook for ``workers`` and ``mix``, generated once and cached."""
    path = DATA / f"{mix}-{workers}.xlsx"
    if not path.exists():
        from generate import write

        started = time.perf_counter()
        write(workers, path, mix=mix)
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
    summary = {
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        "max_s": max(seconds),
        "peak_mb": max(run["peak_mb"] for run in runs),
    }
    for key in runs[0]:
        if key not in ("seconds", "peak_mb"):
            summary[key] = runs[0][key]
    return summary


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


def bench_audit(sizes: list[int], repeat: int) -> list[dict[str, object]]:
    """The whole audit without PDF (ingest, enrich, engine, score, JSON) against ingestion alone."""
    rows = []
    for mix, mix_sizes in (("typical", sizes), ("stress", [max(sizes)])):
        for size in mix_sizes:
            path = workbook(size, mix)
            ingest = repeated("ingest", path, repeat, setup="import auditor")
            whole = repeated(
                "audit",
                path,
                repeat,
                setup="import auditor",
                extra=', "findings": len(result.findings), "gaps": len(result.data_gaps)',
            )
            rows.append(
                {
                    "mix": mix,
                    "workers": size,
                    "ingest_s": round(ingest["median_s"], 2),
                    "audit_s": round(whole["median_s"], 2),
                    "audit_spread_s": [round(whole["min_s"], 2), round(whole["max_s"], 2)],
                    "ratio": round(whole["median_s"] / ingest["median_s"], 2),
                    "audit_peak_mb": round(whole["peak_mb"]),
                    "findings": int(whole["findings"]),
                    "gaps": int(whole["gaps"]),
                    "goal": "ratio <= 2 at 50,000 workers",
                }
            )
            print(f"  audit {mix} {size:>6}: {rows[-1]}", flush=True)
    return rows


_MEMORY = """
import gc, json, sys
import auditor
path, count = sys.argv[1], int(sys.argv[2])
dataset = auditor.read_workbook(path)
def resident_mb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 2**20
samples = []
for number in range(1, count + 1):
    auditor.audit(dataset).to_json()
    if number in (1, 10, 50, 100, 200, count):
        gc.collect()
        samples.append((number, round(resident_mb(), 1)))
print(json.dumps(samples))
"""


def bench_report(sizes: list[int], repeat: int) -> list[dict[str, object]]:
    """Rendering the PDF of an audit already made: time, pages, size and memory."""
    rows = []
    warm = ROOT / "sample_audits" / "compliant-agency.xlsx"
    for size in sizes:
        path = workbook(size)
        run = repeated(
            "report",
            path,
            repeat,
            setup=_REPORT_SETUP.replace("WARM", repr(str(warm))),
            extra=', "pages": len(PdfReader(io.BytesIO(pdf)).pages), "kb": len(pdf) // 1024, '
            '"findings": len(inspection.result.findings)',
        )
        rows.append(
            {
                "workers": size,
                "findings": int(run["findings"]),
                "render_s": round(run["median_s"], 2),
                "render_spread_s": [round(run["min_s"], 2), round(run["max_s"], 2)],
                "pages": int(run["pages"]),
                "pdf_kb": int(run["kb"]),
                "peak_mb": round(run["peak_mb"]),
                "goal": "50 workers < 3 s; 50,000 workers < 60 s and < 150 pages",
            }
        )
        print(f"  report {size:>6}: {rows[-1]}", flush=True)
    return rows


#: Consecutive audits in one process for the memory benchmark (issue: 500 leave memory flat).
MEMORY_AUDITS = 500


def bench_memory(sizes: list[int], repeat: int) -> list[dict[str, object]]:
    """Resident memory over 500 consecutive audits in one process: engine sessions are cleaned."""
    del repeat
    size = min(sizes)
    path = workbook(size)
    output = subprocess.run(
        [sys.executable, "-c", _MEMORY, str(path), str(MEMORY_AUDITS)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    samples = json.loads(output.strip().splitlines()[-1])
    row = {
        "workers": size,
        "audits": MEMORY_AUDITS,
        "resident_mb_after": {str(number): mb for number, mb in samples},
        f"growth_10_to_{MEMORY_AUDITS}_mb": round(samples[-1][1] - samples[1][1], 1),
        "goal": f"no growth over {MEMORY_AUDITS} audits",
    }
    print(f"  memory: {row}", flush=True)
    return [row]


BENCHMARKS: dict[str, Callable[[list[int], int], list[dict[str, object]]]] = {
    "ingest": bench_ingest,
    "audit": bench_audit,
    "memory": bench_memory,
    "report": bench_report,
}
#: Sizes each benchmark runs at unless --sizes is given.
DEFAULT_SIZES = {"report": [50, 500, 50000]}


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the benchmarks.")
    parser.add_argument("which", nargs="*", help=f"any of {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--sizes", type=int, nargs="+", help="default: 1,000 10,000 50,000")
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    chosen = arguments.which or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    latest = RESULTS / "latest.json"
    report: dict[str, object] = json.loads(latest.read_text()) if latest.exists() else {}
    report["machine"] = (
        f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    )
    report["repeat"] = arguments.repeat
    for name in chosen:
        print(f"{name}:", flush=True)
        sizes = arguments.sizes or DEFAULT_SIZES.get(name, [1000, 10000, 50000])
        report[name] = BENCHMARKS[name](sizes, arguments.repeat)  # others keep their last run
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {(RESULTS / 'latest.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
