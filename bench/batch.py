"""Batch throughput: N workbooks of W workers, serial, ``--jobs 2``, and two queue workers.

    python bench/batch.py                          # 200 workbooks of 200 workers (the full run)
    python bench/batch.py --agencies 20            # a small run, to see that it works
    python bench/batch.py --modes serial,jobs2     # without the queue (no redis-server needed)

Each mode runs ``auditor batch DIR --out <fresh folder> --format json`` in
a fresh process (a fresh output folder, so nothing is resumed): ``serial``
with ``--jobs 1``, ``jobs2`` with ``--jobs 2``, ``queue`` with ``--queue``
on a ``redis-server`` started on a free loopback port and two ``auditor
worker`` processes. Reported: seconds, workbooks per minute, the ratio to
serial, and peak memory (``VmHWM``, sampled five times a second): of the
batch process and of the largest process under it (an audit's), and for
the queue of each worker process and the largest audit process under
them. Workbooks come from ``bench/generate.py`` (each its own agency) and
are cached in ``bench/data/``. Results are printed and written to
``bench/results/batch.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from bench.generate import write
from bench.revision import revision

AUDITOR = [sys.executable, "-m", "auditor"]


def workbooks(agencies: int, workers: int) -> Path:
    """The folder of ``agencies`` workbooks of ``workers`` workers (made once, then cached)."""
    folder = BENCH / "data" / f"batch-{agencies}x{workers}"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(agencies):
        path = folder / f"agency-{number:04d}.xlsx"
        if not path.exists():
            write(workers, path, seed=number, mix="typical", agency=number)
    return folder


class _Peaks(threading.Thread):
    """Samples the peak memory (VmHWM) of every process under some roots, five times a second."""

    def __init__(self, roots: list[int]) -> None:
        super().__init__(daemon=True)
        self.roots = roots
        self.peaks: dict[int, int] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.2):
            for pid in [*self.roots, *_descendants(self.roots)]:
                self.peaks[pid] = max(self.peaks.get(pid, 0), _peak_kib(pid))

    def stop(self) -> dict[int, int]:
        self.stopping.set()
        self.join()
        return self.peaks


def _descendants(roots: list[int]) -> list[int]:
    found, frontier = [], list(roots)
    while frontier:
        parent = frontier.pop()
        children = []
        for task in Path(f"/proc/{parent}/task").glob("*"):  # any thread may start a process
            try:
                children += [int(pid) for pid in (task / "children").read_text().split()]
            except OSError:
                continue
        found.extend(children)
        frontier.extend(children)
    return found


def _mib(kib: int) -> float:
    return round(kib / 1024, 1)


def _batch(
    folder: Path,
    out: Path,
    *extra: str,
    env: dict[str, str] | None = None,
    checkout: Path = ROOT,
) -> tuple[float, dict[int, int], int]:
    """Seconds, the peak memory of each process under the batch, and the batch's pid.

    ``checkout``: the revision whose auditor runs (``python -m auditor`` there).
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        [*AUDITOR, "batch", str(folder), "--out", str(out), "--format", "json", *extra],
        env=env,
        cwd=checkout,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    watch = _Peaks([process.pid])
    watch.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - started
    peaks = watch.stop()
    if process.returncode != 0:
        raise SystemExit(f"auditor batch failed ({process.returncode}):\n{err[-2000:]}")
    return elapsed, peaks, process.pid


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _peak_kib(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def local(folder: Path, scratch: Path, jobs: int, checkout: Path = ROOT) -> dict[str, Any]:
    seconds, peaks, pid = _batch(
        folder, scratch / f"jobs{jobs}", "--jobs", str(jobs), checkout=checkout
    )
    audits = [kib for other, kib in peaks.items() if other != pid]
    return {
        "seconds": seconds,
        "batch_process_mib": _mib(peaks.get(pid, 0)),
        "largest_audit_process_mib": _mib(max(audits, default=0)),
    }


def queue(folder: Path, scratch: Path, count: int = 2) -> dict[str, Any]:
    """Two ``auditor worker`` processes on a fresh redis-server; the batch sent with --queue."""
    server = shutil.which("redis-server")
    if server is None:
        raise SystemExit("the queue mode needs redis-server (Debian: apt-get install redis-server)")
    port = _free_port()
    redis = subprocess.Popen(
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(scratch)],
        stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITOR_")}
    workers = [
        subprocess.Popen(
            [*AUDITOR, "worker"],
            # A data folder each, as on two machines (the service's own database is not used).
            env=dict(env, AUDITOR_QUEUE_URL=url, AUDITOR_DATA_DIR=str(scratch / f"data-{n}")),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for n in range(count)
    ]
    try:
        time.sleep(3.0)  # the workers connect
        watch = _Peaks([w.pid for w in workers])
        watch.start()
        seconds, _, _ = _batch(folder, scratch / "queue", "--queue", url, env=env)
        peaks = watch.stop()
        if any(w.poll() is not None for w in workers):
            raise SystemExit("a queue worker stopped during the benchmark")
        audits = [kib for pid, kib in peaks.items() if pid not in {w.pid for w in workers}]
        worker_peaks = [_mib(peaks.get(w.pid, 0)) for w in workers]
    finally:
        for process in [*workers, redis]:
            os.killpg(process.pid, signal.SIGTERM)
        for process in [*workers, redis]:
            process.wait(30)
    return {
        "seconds": seconds,
        "worker_process_mib": worker_peaks,
        "largest_audit_process_mib": _mib(max(audits, default=0)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--workers", type=int, default=200)
    parser.add_argument("--modes", default="serial,jobs2,queue")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="an unpacked checkout of another revision: its serial and jobs2 run too, "
        "alternating with this one's (baseline_serial, baseline_jobs2)",
    )
    arguments = parser.parse_args()
    folder = workbooks(arguments.agencies, arguments.workers)
    modes = [m.strip() for m in arguments.modes.split(",") if m.strip()]
    if arguments.baseline is not None:
        modes = [m for mode in modes for m in (mode, f"baseline_{mode}") if m != "baseline_queue"]
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="auditor-bench-batch-") as scratch:
        for mode in modes:
            where = Path(scratch) / mode
            where.mkdir()
            if mode == "serial":
                results[mode] = local(folder, where, 1)
            elif mode == "jobs2":
                results[mode] = local(folder, where, 2)
            elif mode == "baseline_serial":
                results[mode] = local(folder, where, 1, arguments.baseline)
            elif mode == "baseline_jobs2":
                results[mode] = local(folder, where, 2, arguments.baseline)
            elif mode == "queue":
                results[mode] = queue(folder, where)
            else:
                raise SystemExit(f"unknown mode {mode}; choose among serial, jobs2, queue")
            figure = results[mode]
            figure["workbooks_per_minute"] = round(arguments.agencies / figure["seconds"] * 60, 2)
            figure["seconds"] = round(figure["seconds"], 1)
            print(f"{mode:>7}: {figure}", flush=True)
    for name, figure in results.items():
        serial = results.get("baseline_serial" if name.startswith("baseline_") else "serial")
        if serial:
            figure["ratio_to_serial"] = round(
                figure["workbooks_per_minute"] / serial["workbooks_per_minute"], 2
            )
    report = {
        "revision": revision(ROOT),
        **({"baseline_revision": revision(arguments.baseline)} if arguments.baseline else {}),
        "agencies": arguments.agencies,
        "workers_per_workbook": arguments.workers,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "results": results,
    }
    target = BENCH / "results" / "batch.json"
    target.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
