"""Issue 15's benchmark: ``auditor audit`` as users run it, against calamine's bare read.

    python bench/audit_cli.py                        # typical and dense, 10,000 and 50,000 workers
    python bench/audit_cli.py --sizes 10000 --repeat 3
    python bench/audit_cli.py --only sample          # the 40-worker sample's PDF, warm

For each mix and size, in one run (so the ratios share the machine's mood):

- ``bare_read_s``: python-calamine reading every sheet of the workbook, in a
  fresh process (the floor any audit of that file stands on);
- ``json_s``: ``auditor audit FILE --format json`` end to end, as a user runs
  it (an isolated worker process, the default), and ``json_ratio`` =
  ``json_s / bare_read_s``;
- ``pdf_json_s``: ``auditor audit FILE --format pdf,json`` end to end;
- ``*_peak_mb``: the largest resident size any one process of the command
  reached (``VmHWM``, polled from ``/proc`` every 20 ms), and
  ``*_tree_peak_mb``, the most the command's processes held at once (their
  resident sizes summed; pages a fork still shares are counted twice), and
  ``*_tree_pss_peak_mb``, the same with each shared page counted once (Pss,
  polled every 100 ms): the memory the command held. Memory is watched in a
  second run of each command, never in the timed one (the watching takes CPU);
- ``sample_pdf_warm_s``: the 40-worker sample's PDF rendered again in a
  process that has rendered one (as a service's worker does), median of 7;
  ``upload_s``: ``auditor audit`` of the sample with every format of both
  copies, what the service renders for an upload (median of ``--repeat``, at
  least 3); ``job_s``: the same work as a service's job does it, in a worker
  forked from the fork server (median of 4, after ``job_first_s``, the first,
  which starts the fork server; ``job_first_after_idle_s``, the first job
  10 s after the worker started, as after a restart). ``--only sample`` or ``--only workbooks``
  keeps the other part of the results file as it was.

``--baseline DIR`` (a checkout of another revision, e.g. ``git worktree add
/tmp/before <commit>``) runs each command of that revision too, alternating
with this one's, and adds its figures as ``baseline_*`` with
``speedup = baseline / this``: before and after measured in one run.

Goals (issue 15), on the dense 50,000-worker workbook: JSON within 4x the
bare read, with its PDF under 60 s and 1.5 GB; typical within 2.5x; the
sample's PDF under 1.5 s. Results go to ``bench/results/audit-cli.json``.
Workbooks come from ``bench/generate.py`` (cached in ``bench/data/``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from run import workbook  # bench/run.py: generated once, cached

RESULTS = BENCH / "results" / "audit-cli.json"
AUDITOR = [sys.executable, "-m", "auditor"]
SAMPLE = ROOT / "sample_audits" / "agency-with-problems.xlsx"

_BARE_READ = """
import sys, time, python_calamine
start = time.perf_counter()
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
for name in book.sheet_names:
    book.get_sheet_by_name(name).to_python(skip_empty_area=False)
print(time.perf_counter() - start)
"""

_SAMPLE_WARM = """
import statistics, sys, time
from auditor.pipeline import inspect_records
from auditor.render import render_pdf
inspection = inspect_records(sys.argv[1])
first = render_pdf(inspection)
runs = []
for _ in range(7):
    start = time.perf_counter()
    again = render_pdf(inspection)
    runs.append(time.perf_counter() - start)
    assert again == first, "the same inspection must give the same bytes"
from pypdf import PdfReader
import io
print(statistics.median(runs), min(runs), max(runs), len(PdfReader(io.BytesIO(first)).pages))
"""


# A service job's work without Django: audit and render every format of both copies in an
# isolated worker forked from the fork server, as auditor.service.jobs does; the first job
# starts the fork server (and, where the revision has it, its example report). With an idle
# time, the fork server is started as the service's worker starts it (where the revision
# does), and the first job comes that many seconds later, as after a restart.
_JOB = """
import datetime as dt, statistics, sys, time
from pathlib import Path
from auditor.runner import isolation
from auditor.cli.audit import ReportOrder, make_reports
if __name__ == "__main__":
    getattr(isolation, "warm_reports_in_workers", lambda: None)()
    if len(sys.argv) > 2:
        getattr(isolation, "start_fork_server", lambda: None)()
        time.sleep(float(sys.argv[2]))
    order = ReportOrder(source=Path(sys.argv[1]), jurisdiction=None, rules_dir=None,
        formats=("json", "pdf", "xlsx"), copies=("inspector", "agency"), previous=None,
        fail_on=None, day=dt.date(2026, 12, 3))
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        isolation.run_isolated(make_reports, (order,), timeout_s=600)
        runs.append(time.perf_counter() - start)
    print(runs[0], statistics.median(runs[1:]))
"""


def _kb(status: str, field: str) -> int:
    for line in status.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _tree(root: int) -> list[int]:
    """``root`` and every process descending from it, by /proc's parent links."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


class TreeMemory(threading.Thread):
    """Polls a process tree: the largest VmHWM of any process, the largest summed VmRSS, and
    the largest summed Pss (each page shared by a fork counted once, split between its
    sharers: the memory the command really holds), the last every fifth poll (reading it
    walks the page tables)."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.largest_kb = 0
        self.total_kb = 0
        self.pss_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        polls = 0
        while not self.done.is_set():
            total = pss = 0
            pids = _tree(self.root)
            for pid in pids:
                try:
                    with open(f"/proc/{pid}/status") as handle:
                        status = handle.read()
                    if polls % 5 == 0:
                        with open(f"/proc/{pid}/smaps_rollup") as handle:
                            pss += _kb(handle.read(), "Pss")
                except OSError:
                    continue
                self.largest_kb = max(self.largest_kb, _kb(status, "VmHWM"))
                total += _kb(status, "VmRSS")
            self.total_kb = max(self.total_kb, total)
            self.pss_kb = max(self.pss_kb, pss)
            polls += 1
            self.done.wait(0.02)


def timed_command(
    arguments: list[str], where: Path = ROOT, *, watch: bool = True
) -> dict[str, float]:
    """Wall time and memory of one command, which must succeed (exit 0 or 1: findings).

    ``python -m auditor`` run in ``where`` imports that checkout's auditor.
    The command runs twice: timed alone, then watched by :class:`TreeMemory`.
    The watcher reads ``/proc`` every 20 ms and walks the page tables every
    100 ms: on two cores that takes CPU from the command, more from one that
    uses both cores (a 50,000-worker audit timed while watched lost the
    whole of a 1.0 s gain), so no time is taken while it watches. ``watch=False``:
    the time alone.
    """
    start = time.perf_counter()
    code = subprocess.call(arguments, cwd=where, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(arguments)} exited with {code}")
    if not watch:
        return {"seconds": seconds}
    process = subprocess.Popen(arguments, cwd=where, stdout=subprocess.DEVNULL)
    memory = TreeMemory(process.pid)
    memory.start()
    process.wait()
    memory.done.set()
    memory.join()
    return {
        "seconds": seconds,
        "peak_mb": memory.largest_kb / 1024,
        "tree_peak_mb": memory.total_kb / 1024,
        "tree_pss_peak_mb": memory.pss_kb / 1024,
    }


def _python(code: str, path: Path, where: Path = ROOT, *more: str) -> str:
    """What ``code`` prints, run with ``path`` (and ``more``) as its arguments in a fresh
    interpreter in ``where`` (whose checkout's auditor it imports)."""
    arguments = [sys.executable, "-c", code, str(path), *more]
    return subprocess.run(arguments, capture_output=True, text=True, check=True, cwd=where).stdout


def bare_read(path: Path) -> float:
    return float(_python(_BARE_READ, path).strip())


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def bench_workbook(mix: str, size: int, repeat: int, baseline: Path | None) -> dict[str, object]:
    path = workbook(size, mix)
    checkouts = {"": ROOT} | ({"baseline_": baseline} if baseline else {})
    bare: list[float] = []
    runs: dict[str, list[dict[str, float]]] = {}
    pages: dict[str, int] = {}
    for _ in range(repeat):  # interleaved, so a slow minute touches each alike
        bare.append(bare_read(path))
        for prefix, where in checkouts.items():
            for formats in ("json", "pdf,json"):
                with tempfile.TemporaryDirectory() as out:
                    command = [*AUDITOR, "audit", str(path), "--format", formats, "--out", out]
                    runs.setdefault(prefix + formats, []).append(timed_command(command, where))
                    for pdf in Path(out).glob("*.pdf"):
                        pages[prefix] = _pages(pdf)
    bare_s = statistics.median(bare)
    row: dict[str, object] = {"mix": mix, "workers": size, "bare_read_s": round(bare_s, 2)}
    for prefix in checkouts:
        for formats, name in (("json", "json"), ("pdf,json", "pdf_json")):
            measured = runs[prefix + formats]
            seconds = _median(measured, "seconds")
            row[f"{prefix}{name}_s"] = round(seconds, 2)
            row[f"{prefix}{name}_ratio"] = round(seconds / bare_s, 2)
            row[f"{prefix}{name}_peak_mb"] = round(max(run["peak_mb"] for run in measured))
            row[f"{prefix}{name}_tree_peak_mb"] = round(
                max(run["tree_peak_mb"] for run in measured)
            )
            row[f"{prefix}{name}_tree_pss_peak_mb"] = round(
                max(run["tree_pss_peak_mb"] for run in measured)
            )
        row[f"{prefix}pdf_pages"] = pages.get(prefix)
        row[f"{prefix}revision"] = revision(checkouts[prefix])
    if baseline:
        for formats, name in (("json", "json"), ("pdf,json", "pdf_json")):
            before = _median(runs["baseline_" + formats], "seconds")
            row[f"{name}_speedup"] = round(before / _median(runs[formats], "seconds"), 2)
    row["runs"] = repeat
    print(f"  {mix} {size}: {row}", flush=True)
    return row


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


#: How long a restarted service's worker waits for its first job in ``job_first_after_idle_s``.
_IDLE_S = 10

#: What the service renders for an upload: every format of both copies.
_UPLOAD = ["--format", "pdf,json,xlsx", "--copy", "inspector,agency"]


def revision(where: Path) -> str:
    """The checkout's commit, ``-dirty`` when it has changes not committed."""
    command = ["git", "describe", "--always", "--dirty", "--exclude", "*"]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=where)
    return done.stdout.strip()


def bench_sample(baseline: Path | None, repeat: int) -> dict[str, object]:
    row: dict[str, object] = {"sample": SAMPLE.name, "goal": "under 1.5 s"}
    checkouts = {"": ROOT, **({"baseline_": baseline} if baseline else {})}
    for prefix, where in checkouts.items():
        row[f"{prefix}revision"] = revision(where)
    for prefix, where in checkouts.items():
        median, low, high, pages = _python(_SAMPLE_WARM, SAMPLE, where).split()
        row[f"{prefix}pdf_warm_median_s"] = round(float(median), 3)
        row[f"{prefix}pdf_warm_spread_s"] = [round(float(low), 3), round(float(high), 3)]
        row[f"{prefix}pages"] = int(pages)
    uploads: dict[str, list[float]] = {}
    for _ in range(max(repeat, 3)):  # interleaved, as the workbooks are
        for prefix, where in checkouts.items():
            with tempfile.TemporaryDirectory() as out:
                command = [*AUDITOR, "audit", str(SAMPLE), *_UPLOAD, "--out", out]
                uploads.setdefault(prefix, []).append(
                    timed_command(command, where, watch=False)["seconds"]
                )
    for prefix, seconds in uploads.items():
        row[f"{prefix}upload_s"] = round(statistics.median(seconds), 2)
    for prefix, where in checkouts.items():
        first, then = _python(_JOB, SAMPLE, where).split()
        row[f"{prefix}job_first_s"] = round(float(first), 2)
        row[f"{prefix}job_s"] = round(float(then), 2)
        first_after_idle, _ = _python(_JOB, SAMPLE, where, str(_IDLE_S)).split()
        row[f"{prefix}job_first_after_idle_s"] = round(float(first_after_idle), 2)
    print(f"  sample: {row}", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description="auditor audit as users run it (issue 15).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument("--mixes", nargs="+", default=["typical", "dense"])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", choices=["sample", "workbooks"])
    parser.add_argument("--baseline", type=Path, help="a checkout of another revision to compare")
    arguments = parser.parse_args()
    report: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()} "
        f"({os.path.realpath(sys.executable)})",
        "date": time.strftime("%Y-%m-%d"),
        "goals": "dense 50,000: json_ratio <= 4, pdf_json_s < 60 and peak < 1536 MB; "
        "typical: json_ratio <= 2.5; sample PDF warm < 1.5 s",
    }
    if arguments.only and RESULTS.exists():  # keep the part not measured this time
        report = json.loads(RESULTS.read_text()) | report
    if arguments.only != "workbooks":
        print("sample PDF, warm:", flush=True)
        report["sample"] = bench_sample(arguments.baseline, arguments.repeat)
    if arguments.only != "sample":
        print("auditor audit as users run it:", flush=True)
        report["workbooks"] = [
            bench_workbook(mix, size, arguments.repeat, arguments.baseline)
            for size in arguments.sizes
            for mix in arguments.mixes
        ]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
