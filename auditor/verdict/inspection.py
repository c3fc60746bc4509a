"""One audit with what it was made from: what the reports and the pipeline share.

The pipeline makes an :class:`Inspection`; the renderers (``auditor.render``),
the isolated worker and a caller that stored a result read one. It lives
here, below both, so that the reports depend on neither the pipeline nor
the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditor.engine.pack import RulePack, rule_pack
from auditor.errors import UsageError
from auditor.model.dataset import AuditDataset
from auditor.model.problems import Problem
from auditor.model.profiles import Profile
from auditor.model.result import AuditResult
from auditor.verdict.compare import Comparison


@dataclass(frozen=True)
class Inspection:
    """One audit with what it was made from: the reports need the records and rule texts too.

    The result alone is the machine answer; the PDF also shows each rule's
    legal basis and order to remedy (from ``pack``), the workers by sex and
    age (from ``dataset``) and who may pay what (from ``profile``).
    """

    result: AuditResult
    dataset: AuditDataset
    pack: RulePack
    profile: Profile
    #: A follow-up audit's comparison with the previous audit (``auditor audit --previous``):
    #: the reports then add the section "Since the previous audit".
    comparison: Comparison | None = None
    #: The result's ``warnings`` as coded problem documents, in the same order (web.md 1.1):
    #: the input's with their own codes, then refunds not counted, then columns not recorded.
    #: Empty for an inspection rejoined from a stored result.
    warnings: tuple[Problem, ...] = ()

    @classmethod
    def of(
        cls, result: AuditResult, dataset: AuditDataset, *, rules_dir: str | Path | None = None
    ) -> Inspection:
        """Rejoin a stored result with its dataset, checking both came from the same audit."""
        pack = rule_pack(rules_dir)
        if pack.version != result.ruleset_version:
            raise UsageError(
                f"the result was made with rule pack {result.ruleset_version}, but the rules "
                f"in force are {pack.version}; pass the rule directory it was made with"
            )
        if dataset.input_sha256 != result.input_sha256:
            raise UsageError("the dataset is not the one this result was made from")
        profile = pack.profiles.get(result.jurisdiction)
        if profile is None:
            raise UsageError(f"there is no jurisdiction profile {result.jurisdiction!r}")
        return cls(result=result, dataset=dataset, pack=pack, profile=profile)
