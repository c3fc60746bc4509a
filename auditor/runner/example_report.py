"""A small example inspection and its reports, for warming a renderer up.

The rule authors' compliant baseline inspection (:mod:`auditor.testing.baseline`:
one worker, one employer) with a few of its norms broken, so that its
report has findings, evidence, money owed and orders to remedy. Rendering
both copies' PDFs once fills what a process's first report would otherwise
fill (WeasyPrint's and Pango's caches, the memory its boxes take); see
:mod:`auditor.runner.warm_reports`, which does it in the fork server.
"""

from __future__ import annotations

from auditor.verdict.inspection import Inspection

#: Breaches of the baseline: a fee the worker paid the agency, her passport kept by the
#: employer, no pre-departure briefing, wages withheld.
BREACHES = {
    "workers": {
        "W1": {"passport_held_by": "employer", "briefing_received": "no", "wages_withheld": "yes"}
    },
    "fees": {"F1": {"paid_by": "worker", "paid_to": "agency"}},
}


def example_inspection() -> Inspection:
    from auditor.pipeline import inspect_records
    from auditor.testing.baseline import apply_changes, baseline

    return inspect_records(apply_changes(baseline(), change=BREACHES))


def render_an_example() -> None:
    """Both copies of the example's PDF, rendered and dropped."""
    from auditor.render import Copy, render_pdf

    inspection = example_inspection()
    for copy in Copy:
        render_pdf(inspection, copy)
