"""One report rendered in the fork server, so that no worker's report is its process's first.

Imported once by the fork server of :mod:`auditor.runner.isolation` when a caller
that renders PDFs in its workers asks for it
(:func:`auditor.runner.isolation.warm_reports_in_workers`: the service's job
worker, as it starts). A process's first PDF is slower than its next: WeasyPrint
and Pango fill their caches, and the memory allocator maps the pages a
report's boxes take. Measured on the 40-worker sample, a worker forked from
a fork server that had rendered nothing took 2.90 s for its first PDF; from
one that had rendered this example, 2.72 s, and 2.58 s with the example's
objects then frozen out of the collector's reach (:func:`gc.freeze`, which
also spares the workers copying those pages when the collector would touch
them). An upload's two PDFs (both copies, rendered side by side) each start warm.

The example (:mod:`auditor.runner.example_report`) is a one-worker inspection with a
few norms broken, both copies. It costs the fork server about three seconds,
once. Anything raised is dropped (a broken rule directory or font is for the
audit that meets it to report), and the workers simply start cold.

Importing this module does all of that, the freeze included: it is meant
for the fork server alone, whose preload list names it.
"""

from __future__ import annotations

import gc
import logging

LOG = logging.getLogger(__name__)

try:
    from auditor.runner.example_report import render_an_example

    render_an_example()
    gc.collect()
    gc.freeze()
except Exception:  # the audit that meets the problem says it, located
    LOG.debug("the fork server's example report failed; workers start cold", exc_info=True)
