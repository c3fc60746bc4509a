"""One audit in this process: ingest, enrich, engine, verdict, in order.

:mod:`~auditor.pipeline.run` wires the stages (reading it shows the whole
flow); :mod:`~auditor.pipeline.logs` says, in one line per audit, what ran
and how long each stage took. It may import the stages and the verdict,
never the worker process that runs it (:mod:`auditor.runner`), the
command line or the service.
"""

from auditor.pipeline.run import (
    Inspection,
    audit,
    build_result,
    inspect_records,
    rule_pack,
    run_rules,
)

__all__ = ["Inspection", "audit", "build_result", "inspect_records", "rule_pack", "run_rules"]
