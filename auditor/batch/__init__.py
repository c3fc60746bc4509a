"""Many workbooks at once: several audits, a ranked summary, the impact of a rule change.

Every workbook is one :class:`~auditor.batch.job.Job`, run in its own
isolated process (:func:`auditor.runner.isolation.run_isolated`) by a local pool
of threads (``--jobs``) or by any ``auditor worker`` on the service's queue
(``--queue``). A job writes its files and then its row (``row.json``) into
its own folder under the output folder, each through a temporary name, so
a job is either done or not there at all, and doing it twice gives the same
bytes: that is what makes a batch resumable, safe to interrupt, and safe on
a queue that delivers at most once (the client sends a lost job again).
Only when every job is done does the client give the files their final
names (:mod:`auditor.batch.outputs`) and write the summary.
"""
