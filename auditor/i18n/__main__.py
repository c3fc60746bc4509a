"""``python -m auditor.i18n``: compile the checkout's catalogues (make setup, make messages).

``python -m auditor.i18n --fix-format FILE...`` first marks the rule files'
texts ``no-python-format`` in the template and the catalogues: they are never
%-formatted, though Babel reads "99% of" as a format (``% o``) and flags it,
which ``msgfmt --check`` would then hold a translation to.
"""

import re
import sys
from pathlib import Path

from auditor.i18n.catalogue import compile_all

_RULE_ENTRY = re.compile(r"((?:#\. .*\n)*(?:#: rules/\S+\n)+)#, python-format\n")
_BOTH = re.compile(
    r"^#, (?:no-python-format, python-format|python-format, no-python-format)$", re.MULTILINE
)

if len(sys.argv) > 2 and sys.argv[1] == "--fix-format":
    for name in sys.argv[2:]:
        path = Path(name)
        text = _RULE_ENTRY.sub(r"\1#, no-python-format\n", path.read_text("utf-8"))
        path.write_text(_BOTH.sub("#, no-python-format", text), "utf-8")
for path in compile_all():
    print(f"compiled {path}")
