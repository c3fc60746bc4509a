"""Service benchmark (issue 10): upload to ``done`` through ``auditor serve``, and its memory.

    python bench/service.py                           # 20 uploads, 4 clients: embedded, then Redis
    python bench/service.py --uploads 4 --clients 2   # a quick check that it works
    python bench/service.py --skip-redis              # the embedded default only
    python bench/service.py --workers 2               # the embedded run with AUDITOR_WORKERS=2

Everything is real and on loopback: ``auditor serve`` started as the tests
start it (``tests/service/harness.py``), in a fresh data folder, with the
service's own default settings (none of the tests' fast-heartbeat ones).

* ``embedded``: SQLite and the embedded Huey queue, with serve's default
  number of job workers (``AUDITOR_WORKERS`` is left unset unless
  ``--workers`` is given).
* ``redis``: the same with ``AUDITOR_QUEUE_URL`` naming a ``redis-server``
  started here on a free port, and two job workers, both started by
  ``serve`` (``AUDITOR_WORKERS=2``), so that the memory figure covers every
  process of the service.

Each client (a thread) takes the next workbook, uploads it through the API
and polls it (the harness's ``wait_final``, every 0.3 s) until it is final,
then takes the next. Each workbook is a distinct variant of the 40-worker
sample (another zip comment), so idempotent ``POST`` does not collapse them.
An upload's time runs from the start of its request to the first poll that
sees it final; the 95th percentile is by nearest rank (with 20 uploads,
the 19th fastest). Uploads per minute count the uploads that ended ``done``
over the wall time from the first upload to the last final poll.

Memory is the resident set (RSS) summed over ``serve`` and every process
below it (job workers, their isolated audits), read from ``/proc``: at rest
after start, its peak under the load (sampled every 0.2 s), and at rest
after the load. A summed RSS counts pages shared between processes once per
process, so the proportional set (PSS, each shared page split between its
sharers) is given beside it. ``redis-server`` is not part of the service and
not counted.

Issue 26 adds, per scenario: ``first_pdf_after_done_s``, for three more
uploads one at a time once the load is over, the time from the poll that
sees the audit done to the inspector's PDF downloaded (the first download:
the PDF is rendered after ``done`` now); and the memory at rest after the
load is taken once the service has rendered every report it renders in
the background (at most ``--budget`` seconds). ``--baseline DIR`` (an
unpacked checkout of another revision) runs the embedded scenario with
that revision's auditor too (``baseline_embedded``), before this one's,
in the same run; every process then runs from a scratch folder, with
``PYTHONPATH`` naming the revision.

Results are printed as a table and written to
``bench/results/service-<date>.json``. The loops are bounded: a run gives
up on uploads not final within ``--budget`` seconds (and says so).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import queue
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
sys.path[:0] = [str(ROOT), str(BENCH)]

# The benchmark measures the embedded default: never the suite's PostgreSQL test server.
os.environ.pop("AUDITOR_TEST_DATABASE_URL", None)

# Imported after the checkout is on sys.path (E402 is not enabled here).
from bench.revision import revision
from tests.service.harness import (
    FAST_JOBS,
    Service,
    redis_server,
    service_env,
    start_serve,
    stop,
)
from tests.service.test_resilience import _variants

SAMPLE_WORKERS = 40
PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_EVERY_S = 0.2
#: Seconds left for the service to settle before a memory figure "at rest" is taken.
SETTLE_S = 3.0
GOAL = (
    "issue 26: upload-to-done median <= 3 s and p95 <= 6 s with 4 concurrent clients; the first "
    "inspector PDF <= 4 s after done; serve and workers at rest after 20 audits < 400 MB Pss"
)


# -- processes and memory ------------------------------------------------------------------


def descendants(root: int) -> list[int]:
    """``root`` and every process below it, from the parent ids in ``/proc/*/stat``.

    All of ``/proc`` is read rather than ``/proc/<pid>/task/<pid>/children``,
    which lists only children forked by the main thread (a job worker starts
    its isolated audits from a queue thread)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # gone since the directory was listed
        # The command name is in parentheses and may hold spaces: the parent id follows ")".
        parent = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found = [root]
    for pid in found:  # grows while iterating: a breadth-first walk
        found.extend(children.get(pid, []))
    return found


def _rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as handle:
        return int(handle.read().split()[1]) * PAGE


def _pss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/smaps_rollup") as handle:
        for line in handle:
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    return 0


@dataclass
class Memory:
    """The summed memory of a process tree at one moment."""

    rss_mb: float
    pss_mb: float
    processes: int
    workers: int

    @classmethod
    def of(cls, root: int) -> Memory:
        rss = pss = count = workers = 0
        for pid in descendants(root):
            try:
                resident, proportional = _rss_bytes(pid), _pss_bytes(pid)
                command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue  # an isolated audit that ended between the walk and the read
            rss += resident
            pss += proportional
            count += 1
            workers += command[1:4] == [b"-m", b"auditor", b"worker"]
        return cls(round(rss / 2**20, 1), round(pss / 2**20, 1), count, workers)

    def row(self) -> dict[str, float | int]:
        return {"rss_mb": self.rss_mb, "pss_mb": self.pss_mb, "processes": self.processes}


def at_rest(root: int) -> Memory:
    """Memory once the service has had ``SETTLE_S`` seconds of quiet: the largest of five looks."""
    time.sleep(SETTLE_S)
    looks = []
    for _ in range(5):
        looks.append(Memory.of(root))
        time.sleep(SAMPLE_EVERY_S)
    return max(looks, key=lambda memory: memory.rss_mb)


class PeakSampler(threading.Thread):
    """Samples the tree's memory every 0.2 s until stopped; keeps the peaks."""

    def __init__(self, root: int) -> None:
        super().__init__(name="memory-sampler", daemon=True)
        self.root = root
        self.stopping = threading.Event()
        self.peak_rss_mb = 0.0
        self.peak_pss_mb = 0.0
        self.peak_processes = 0
        self.samples = 0

    def run(self) -> None:
        while not self.stopping.wait(SAMPLE_EVERY_S):
            memory = Memory.of(self.root)
            self.peak_rss_mb = max(self.peak_rss_mb, memory.rss_mb)
            self.peak_pss_mb = max(self.peak_pss_mb, memory.pss_mb)
            self.peak_processes = max(self.peak_processes, memory.processes)
            self.samples += 1

    def finish(self) -> dict[str, float | int]:
        self.stopping.set()
        self.join(10)
        return {
            "rss_mb": self.peak_rss_mb,
            "pss_mb": self.peak_pss_mb,
            "processes": self.peak_processes,
            "samples": self.samples,
        }


# -- the service and the load -----------------------------------------------------------------


def start(env: dict[str, str], data_dir: Path) -> Service:
    """``auditor serve`` with ``env`` as given (the embedded run measures the default workers)."""
    return start_serve(env, data_dir, workers=None)


@dataclass
class Upload:
    seconds: float
    request_s: float
    status: str


def load(
    service: Service, token: str, workbooks: list[Path], clients: int, budget_s: float
) -> tuple[list[Upload], float, int]:
    """``clients`` threads upload ``workbooks`` one after another and poll each until final."""
    pending: queue.Queue[Path] = queue.Queue()
    for workbook in workbooks:
        pending.put(workbook)
    deadline = time.monotonic() + budget_s
    results: list[Upload] = []
    ends: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        while time.monotonic() < deadline:
            try:
                workbook = pending.get_nowait()
            except queue.Empty:
                return
            began = time.perf_counter()
            code, answer = service.upload(token, workbook)
            sent = time.perf_counter()
            if code != 202:
                outcome = Upload(sent - began, sent - began, f"http {code}: {answer}")
            else:
                try:
                    audit = service.wait_final(
                        token, answer["id"], timeout_s=max(1.0, deadline - time.monotonic())
                    )
                    status = str(audit["status"])
                    if status != "done":  # say why: the failed audit's sentence, or its problems
                        why = audit.get("error") or audit.get("problems")
                        status = f"{status}: {json.dumps(why)[:300]}"
                except AssertionError as error:  # not final within the budget
                    status = f"not final: {error}"
                outcome = Upload(time.perf_counter() - began, sent - began, status)
            with lock:
                results.append(outcome)
                ends.append(time.perf_counter())

    started = time.perf_counter()
    threads = [threading.Thread(target=client, name=f"client-{n}") for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(budget_s + 120)  # wait_final's own deadline ends each client before this
    wall = (max(ends) if ends else time.perf_counter()) - started
    return results, wall, pending.qsize()


def nearest_rank(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def rendered_settled(data_dir: Path, audits: int, budget_s: float, checkout: Path) -> float:
    """Wait until the reports rendered after ``done`` are all there (4 an audit), for a
    revision that renders them after ``done``; the seconds waited."""
    if not (checkout / "auditor" / "service" / "rendered.py").exists():
        return 0.0  # this revision renders every report before done
    began = time.monotonic()
    audits_dir = data_dir / "audits"
    while time.monotonic() - began < budget_s:
        made = sum(
            1 for path in audits_dir.glob("*/rendered/*.*") if path.suffix in (".pdf", ".xlsx")
        )
        if made >= 4 * audits:
            break
        time.sleep(0.5)
    return round(time.monotonic() - began, 1)


def first_pdfs(service: Service, token: str, workbooks: list[Path]) -> list[float]:
    """For each workbook in turn: upload, wait for done, then the inspector's PDF downloaded;
    the seconds from done seen to the PDF received."""
    seconds = []
    for workbook in workbooks:
        code, answer = service.upload(token, workbook)
        if code != 202:
            continue
        audit = service.wait_final(token, answer["id"], timeout_s=180)
        if audit["status"] != "done":
            continue
        seen = time.perf_counter()
        while True:
            status, _, body = service.api(
                "GET", f"/api/v1/audits/{answer['id']}/report.pdf?copy=inspector", token=token
            )
            if status != 409:  # 409 rendering: the wait was bounded; ask again, as a client does
                break
        if status == 200 and body.startswith(b"%PDF-"):
            seconds.append(time.perf_counter() - seen)
    return seconds


def scenario(
    name: str,
    workdir: Path,
    arguments: argparse.Namespace,
    *,
    workers: int | None,
    queue_url: str | None = None,
    checkout: Path = ROOT,
) -> dict[str, Any]:
    """One service, one load, and its figures."""
    print(f"{name}:", flush=True)
    data_dir = workdir / name / "data"
    env = service_env(data_dir)
    env["PYTHONPATH"] = str(checkout)
    for setting in FAST_JOBS:  # the service's own heartbeat and requeue defaults
        env.pop(setting, None)
    if workers is not None:
        env["AUDITOR_WORKERS"] = str(workers)
    if queue_url is not None:
        env["AUDITOR_QUEUE_URL"] = queue_url
    (workdir / name).mkdir(parents=True)
    workbooks = _variants(workdir / name, arguments.uploads + 3)
    workbooks, probes = workbooks[: arguments.uploads], workbooks[arguments.uploads :]
    service = start(env, data_dir)
    try:
        token = service.account("bench", office="BENCH").token
        rest_before = at_rest(service.process.pid)
        print(f"  at rest after start: {rest_before.row()}", flush=True)
        sampler = PeakSampler(service.process.pid)
        sampler.start()
        uploads, wall, not_started = load(
            service, token, workbooks, arguments.clients, arguments.budget
        )
        peak = sampler.finish()
        done_count = sum(1 for upload in uploads if upload.status == "done")
        settled_s = rendered_settled(data_dir, done_count, arguments.budget, checkout)
        rest_after = at_rest(service.process.pid)
        pdf_after_done = first_pdfs(service, token, probes)
    except BaseException:
        print(f"  serve's log ({service.log}):\n{service.log.read_text()[-4000:]}", file=sys.stderr)
        raise
    finally:
        stop(service.process)
    done = [upload.seconds for upload in uploads if upload.status == "done"]
    others = [upload.status for upload in uploads if upload.status != "done"]
    row: dict[str, Any] = {
        "scenario": name,
        "queue": "redis (AUDITOR_QUEUE_URL; workers started by serve)"
        if queue_url
        else "embedded (SQLite)",
        "workers_env": "unset (serve's default)" if workers is None else str(workers),
        "job_workers": rest_before.workers,
        "uploads": arguments.uploads,
        "clients": arguments.clients,
        "done": len(done),
        "not_done": others + [f"{not_started} never started (budget spent)"] * bool(not_started),
        "median_s": round(statistics.median(done), 2) if done else None,
        "p95_s": round(nearest_rank(done, 0.95), 2) if done else None,
        "min_s": round(min(done), 2) if done else None,
        "max_s": round(max(done), 2) if done else None,
        "upload_request_median_s": round(statistics.median(u.request_s for u in uploads), 3)
        if uploads
        else None,
        "wall_s": round(wall, 1),
        "budget_s": arguments.budget,
        "uploads_per_min": round(len(done) / wall * 60, 1) if done else 0.0,
        "memory_at_rest_after_start": rest_before.row(),
        "memory_peak_under_load": peak,
        "memory_at_rest_after_load": rest_after.row(),
        "background_renders_waited_s": settled_s,
        "first_pdf_after_done_s": [round(x, 2) for x in pdf_after_done],
        "first_pdf_after_done_median_s": round(statistics.median(pdf_after_done), 2)
        if pdf_after_done
        else None,
        "revision": revision(checkout),
    }
    print(f"  {json.dumps(row)}", flush=True)
    return row


# -- report ---------------------------------------------------------------------------------------


def table(rows: list[dict[str, Any]]) -> str:
    header = (
        f"{'scenario':<10} {'workers':>7} {'done':>7} {'median s':>9} {'p95 s':>7} "
        f"{'per min':>8} {'rest MB':>8} {'peak MB':>8} {'after MB':>9}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row['scenario']:<10} {row['job_workers']:>7} "
            f"{str(row['done']) + '/' + str(row['uploads']):>7} "
            f"{row['median_s'] if row['median_s'] is not None else '-':>9} "
            f"{row['p95_s'] if row['p95_s'] is not None else '-':>7} "
            f"{row['uploads_per_min']:>8} "
            f"{row['memory_at_rest_after_start']['rss_mb']:>8} "
            f"{row['memory_peak_under_load']['rss_mb']:>8} "
            f"{row['memory_at_rest_after_load']['rss_mb']:>9}"
        )
    lines.append("(memory: RSS summed over serve and its descendants; PSS in the JSON)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the service: upload to done, memory.")
    parser.add_argument("--uploads", type=int, default=20, help="uploads per scenario (20)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (4)")
    parser.add_argument(
        "--workers", type=int, help="AUDITOR_WORKERS for the embedded run (default: unset)"
    )
    parser.add_argument("--skip-redis", action="store_true", help="the embedded run only")
    parser.add_argument(
        "--budget", type=float, default=180, help="seconds a scenario's load may take (180)"
    )
    parser.add_argument("--out", type=Path, help="default: bench/results/service-<date>.json")
    parser.add_argument(
        "--baseline", type=Path, help="an unpacked checkout of another revision, run first"
    )
    arguments = parser.parse_args()
    if arguments.uploads < 1 or arguments.clients < 1:
        parser.error("--uploads and --clients must be at least 1")
    if arguments.out is not None:
        arguments.out = arguments.out.resolve()  # the run changes folder (os.chdir below)
    today = dt.datetime.now(dt.UTC)
    report: dict[str, Any] = {
        "benchmark": "service",
        "date": today.isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cpus, "
        f"{platform.python_implementation()} {platform.python_version()}",
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
        "sample": f"sample_audits/agency-with-problems.xlsx ({SAMPLE_WORKERS} workers)",
        "poll_interval_s": 0.3,
        "goal": GOAL,
        "scenarios": [],
    }
    rows: list[dict[str, Any]] = report["scenarios"]
    with tempfile.TemporaryDirectory(prefix="auditor-bench-service-") as temporary:
        workdir = Path(temporary)
        os.chdir(workdir)  # no checkout on a process's path but the one PYTHONPATH names
        if arguments.baseline is not None:
            rows.append(
                scenario(
                    "baseline_embedded",
                    workdir,
                    arguments,
                    workers=arguments.workers,
                    checkout=arguments.baseline.resolve(),
                )
            )
        rows.append(scenario("embedded", workdir, arguments, workers=arguments.workers))
        if arguments.skip_redis:
            report["redis"] = "skipped (--skip-redis)"
        else:
            try:
                with redis_server(workdir) as url:
                    rows.append(scenario("redis", workdir, arguments, workers=2, queue_url=url))
            except (FileNotFoundError, ImportError) as missing:
                report["redis"] = f"skipped: {missing}"
                print(f"redis: skipped: {missing}", flush=True)
    report["load_average_at_end"] = [round(load, 2) for load in os.getloadavg()]
    print()
    print(table(rows))
    out = arguments.out or RESULTS / f"service-{today:%Y-%m-%d}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
