"""The PDF renderer loaded in the fork server, for callers whose workers render PDFs.

Imported once by the fork server of :mod:`auditor.runner.isolation` when its
caller asks (:func:`auditor.runner.isolation.warm_pdf_in_workers`: a batch
asked for ``--format pdf``). WeasyPrint's import and the report's
stylesheet, its fonts unpacked and registered, take 0.85 s; done here, each
worker forks with them loaded instead of paying that for every workbook.
A caller that wants JSON only does not ask, and its fork server starts that
much sooner (issue 26: a batch's fixed start is what keeps ``--jobs 2`` from
doubling a serial run).

Anything raised is dropped: a missing font is for the report that needs it
to say, and the workers simply load the renderer themselves.
"""

from __future__ import annotations

import gc
import logging

LOG = logging.getLogger(__name__)

try:
    from auditor.render.pdf import report_style

    report_style()
    gc.collect()
    gc.freeze()
except Exception:  # the report that meets the problem says it
    LOG.debug("the fork server could not load the PDF renderer; workers load it", exc_info=True)
