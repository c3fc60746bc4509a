"""An audit in a worker process: a hang or a crash in C code ends in one plain error.

:mod:`~auditor.runner.isolation` runs :func:`auditor.pipeline.inspect_records`
in a process forked from a warm fork server, under a time limit;
:mod:`~auditor.runner.preload` is what that server imports once, and
:mod:`~auditor.runner.warm_reports` (with :mod:`~auditor.runner.example_report`)
renders one example report there so a job's first PDF is not its process's
first. It sits above the pipeline and the renderers, below the command
line, the batch and the service.
"""
