"""The bottom floor: small process-wide facts every part may use, importing none of them.

The worker's process name (:mod:`~auditor.base.worker`), pausing and freezing
the cyclic collector (:mod:`~auditor.base.gcpause`), a forked copy of this
process (:mod:`~auditor.base.forked`), the input limits
(:mod:`~auditor.base.limits`), fast safe YAML (:mod:`~auditor.base.yamltext`),
where the shipped files live (:mod:`~auditor.base.resources`) and which
characters the report's fonts draw (:mod:`~auditor.base.glyphs`). Modules here
import only :mod:`auditor.errors`, :mod:`auditor.version` and each other.
"""
