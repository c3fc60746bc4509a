"""The exceptions ``auditor`` raises, one hierarchy::

    AuditorError
     ├── InvalidInput        the workbook or dataset breaks the format (exit 2);
     │    │                  carries every problem with its location
     │    └── LimitExceeded  the input is over a configured size limit (exit 2)
     ├── UsageError          a command or call was misused, e.g. an unknown
     │                       --jurisdiction (exit 2)
     ├── RulePackError       a rule or profile file cannot be used (rule authors)
     ├── ResourceMissing     a file auditor ships (rules, report templates) is not
     │                       installed: a broken installation, not the input's fault
     └── EngineError         the rule engine failed; a defect, never the input's fault
          ├── EngineTimeout  an isolated audit did not finish in its time limit
          └── EngineCrash    an isolated audit's worker process died (a crash
                             in C code, or killed for memory)

Callers catch :class:`AuditorError` to handle everything the engine reports
on purpose; anything else escaping is a defect. Every error pickles with
its problems, so that an audit run in a worker process
(:mod:`auditor.runner.isolation`) raises in the caller exactly what it would have
raised in-process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: the errors sit below every part, the model included
    from auditor.model.problems import Problem


class AuditorError(Exception):
    """Base of every error ``auditor`` raises on purpose."""


class InvalidInput(AuditorError):
    """The input breaks the workbook format; ``problems`` lists every error, in order."""

    def __init__(self, problems: Sequence[Problem], warnings: Sequence[Problem] = ()) -> None:
        self.problems = list(problems)
        self.warnings = list(warnings)
        count = len(self.problems)
        first = f": {self.problems[0]}" if self.problems else ""
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(f"the input is not valid{first}{more}")

    def __reduce__(self) -> tuple[type[InvalidInput], tuple[list[Problem], list[Problem]]]:
        # The default rebuilds an exception from its message alone, which would
        # turn the message into the list of problems.
        return (type(self), (self.problems, self.warnings))


class LimitExceeded(InvalidInput):
    """The input is larger than a configured limit allows; checked before the expensive work."""


class UsageError(AuditorError):
    """A command-line option or API argument was misused."""


class RulePackError(AuditorError):
    """A rule or profile file cannot be used; the message lists every problem with a hint."""


class ResourceMissing(AuditorError):
    """A folder auditor ships (the rule pack, the report templates) is not where it was installed.

    The installation is incomplete; reinstalling the package puts it back.
    """


class EngineError(AuditorError):
    """The rule engine failed while auditing; the audit produced nothing."""


class EngineTimeout(EngineError):
    """An isolated audit ran past its time limit and its worker was stopped."""


class EngineCrash(EngineError):
    """An isolated audit's worker process died before answering (a signal, or out of memory)."""
