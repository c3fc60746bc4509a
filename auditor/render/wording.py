"""Rule texts in the words of the workers they concern: see :mod:`auditor.model.wording`.

The one source of the wording is in the model, so that the verdict (the
JSON's neutral ``title``) and every renderer word texts the same way; this
module keeps the renderers' import path.
"""

from __future__ import annotations

from auditor.model.wording import neutral, worded

__all__ = ["neutral", "worded"]
