"""Both copies' reports at once: the agency's rendered on a second core.

The service renders every format of both copies for each upload, and
``auditor audit --copy inspector,agency`` does the same: two PDFs, each
seconds of WeasyPrint in one core. The two copies share nothing once the
inspection is made, so with a PDF among the formats the second copy renders
in a forked copy of this process (:mod:`auditor.base.forked`) while this process
renders the first: an upload's reports take the time of one copy, not two.

The files are the same bytes in the same order either way (a test compares
them). Should the forked copy fail, its copy is rendered again here, where
it raises, or not, exactly as it would have in one process.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from auditor.base import forked
from auditor.render import RENDERERS, Copy
from auditor.verdict.inspection import Inspection

LOG = logging.getLogger(__name__)

Files = dict[tuple[Copy, str], bytes]


def render_copies(
    inspection: Inspection,
    copies: Sequence[Copy],
    formats: Sequence[str],
    langs: Mapping[Copy, str | None] | None = None,
) -> Files:
    """Every format of every copy, keyed ``(copy, format)``, copy by copy in the order asked.

    ``langs`` gives each copy's language (issue 27: ``--copy inspector:ne,agency:en``);
    a copy without one is English.
    """
    langs = langs or {}
    if len(copies) == 2 and "pdf" in formats and forked.can_fork():
        first, second = copies
        mine: Files = {}
        try:
            _, theirs = forked.beside(
                lambda: mine.update(_render(inspection, first, formats, langs.get(first))),
                lambda: _render(inspection, second, formats, langs.get(second)),
            )
        except forked.CopyFailed as error:
            LOG.warning("the %s copy is rendered again in one process: %s", second.value, error)
            theirs = _render(inspection, second, formats, langs.get(second))
        return mine | theirs
    files: Files = {}
    for copy in copies:
        files |= _render(inspection, copy, formats, langs.get(copy))
    return files


def _render(inspection: Inspection, copy: Copy, formats: Sequence[str], lang: str | None) -> Files:
    return {(copy, name): RENDERERS[name](inspection, copy, lang) for name in formats}
