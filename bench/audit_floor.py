"""Issue 26's item 4 bounded from below: the fastest ``auditor audit --format json`` could be here.

    python bench/audit_floor.py                      # typical and dense 50,000, three runs
    python bench/audit_floor.py --mixes dense --repeat 5

The goal (issue 26, item 4) compares the command with calamine's bare read:
at most 3x for the dense 50,000-worker workbook, 2.2x for the typical one.
This bench asks whether any arrangement of the present work could meet it on
this machine. For each workbook, in one run, the commands interleaved:

- ``bare_read_s``: python-calamine reading every sheet, in a fresh process
  (as ``bench/audit_cli.py`` measures it);
- ``read_s`` and ``read_cpu_s``: a fresh interpreter importing auditor and
  reading and validating the workbook (:func:`auditor.ingest.load.load`):
  the wall time from its launch until the records are made (its exit, which
  frees them, left out), and the processor time of it and its copies by then;
- ``json_s`` and ``json_cpu_s``: ``auditor audit FILE --format json`` as
  users run it (the isolated worker and its copies included);
  ``one_process_s`` and ``one_process_cpu_s``: the same in one process
  (``AUDITOR_PROCESSES=1``), which does the least work;
- ``floor_s`` = ``read_s + (least_cpu - read_cpu_s) / cores``, where
  ``least_cpu`` is the smaller of ``json_cpu_s`` and ``one_process_cpu_s``:
  the command's time had every stage after the reading kept every core busy,
  with nothing lost to handing work from one process to another. No real
  arrangement reaches it: the facts, the engine, the outcome and the JSON
  follow one another, and whatever crosses between processes is pickled.
  Every choice errs low (the least work, the parallel reading's processor
  time taken off), as a floor must;
- ``goal_s``: the issue's ratio times ``bare_read_s``.

Where ``floor_s`` exceeds ``goal_s``, the goal cannot be met by spreading
the present work over more processes: only doing less work can. Results go
to ``bench/results/audit-floor.json``, with the revision.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from audit_cli import bare_read  # bench/audit_cli.py: the same bare read
from revision import revision
from run import workbook  # bench/run.py: generated once, cached

RESULTS = BENCH / "results" / "audit-floor.json"
#: Issue 26, item 4: the most the command may take, as a multiple of the bare read.
GOALS = {"dense": 3.0, "typical": 2.2}

_READ = """
import os, resource, sys, time
from auditor.ingest.load import load
dataset, report = load(sys.argv[1])
assert dataset is not None, report
cpu = sum(
    usage.ru_utime + usage.ru_stime
    for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
)
print(time.time() - float(sys.argv[2]), cpu, flush=True)
os._exit(0)  # the read ends here: freeing the records at exit is no part of it
"""


def read(path: Path) -> tuple[float, float]:
    """Wall seconds from launch until the workbook is read and validated, and processor seconds
    spent by then (its threads and the copies it forked included); its exit is left out."""
    command = [sys.executable, "-c", _READ, str(path), repr(time.time())]
    done = subprocess.run(command, check=True, cwd=ROOT, capture_output=True, text=True)
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def measured(command: list[str], **environment: str) -> tuple[float, float]:
    """Wall and processor seconds (user and system, every process it waited for) of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env=os.environ | environment
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def bench_workbook(mix: str, size: int, repeat: int, cores: int) -> dict[str, object]:
    path = workbook(size, mix)
    runs: dict[str, list[float]] = {}

    def note(**figures: float) -> None:
        for name, value in figures.items():
            runs.setdefault(name, []).append(value)

    for _ in range(repeat):  # interleaved, so a slow minute touches each alike
        note(bare_read_s=bare_read(path))
        read_s, read_cpu_s = read(path)
        note(read_s=read_s, read_cpu_s=read_cpu_s)
        with tempfile.TemporaryDirectory() as out:
            command = [sys.executable, "-m", "auditor", "audit", str(path)]
            json_s, json_cpu_s = measured([*command, "--format", "json", "--out", out])
            one_s, one_cpu_s = measured(
                [*command, "--format", "json", "--out", out], AUDITOR_PROCESSES="1"
            )
        note(json_s=json_s, json_cpu_s=json_cpu_s)
        note(one_process_s=one_s, one_process_cpu_s=one_cpu_s)
        # The least work is the floor's: forked copies add some of their own (pages copied
        # on write, matches pickled), which a better arrangement might not need.
        note(floor_s=read_s + (min(json_cpu_s, one_cpu_s) - read_cpu_s) / cores)
    row: dict[str, object] = {"mix": mix, "workers": size}
    row |= {name: round(statistics.median(values), 2) for name, values in runs.items()}
    bare = statistics.median(runs["bare_read_s"])
    row["goal_ratio"] = GOALS[mix]
    row["goal_s"] = round(GOALS[mix] * bare, 2)
    row["json_ratio"] = round(statistics.median(runs["json_s"]) / bare, 2)
    row["floor_ratio"] = round(statistics.median(runs["floor_s"]) / bare, 2)
    row["runs"] = repeat
    print(f"  {mix} {size}: {row}", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description="The least time auditor audit could take here.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[50000])
    parser.add_argument("--mixes", nargs="+", default=["typical", "dense"], choices=sorted(GOALS))
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    report = {
        "machine": f"{platform.machine()}, {cores} cores, Python {platform.python_version()}",
        "revision": revision(ROOT),
        "workbooks": [
            bench_workbook(mix, size, arguments.repeat, cores)
            for size in arguments.sizes
            for mix in arguments.mixes
        ],
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
