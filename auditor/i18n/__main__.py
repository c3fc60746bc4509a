"""``python -m auditor.i18n``: compile the checkout's catalogues (make setup, make messages).

``python -m auditor.i18n --fix-pot FILE`` first marks the rule files' texts
``no-python-format`` in the template: they are never %-formatted, though
Babel reads "99% of" as a format (``% o``), which msgfmt would then check.
"""

import re
import sys
from pathlib import Path

from auditor.i18n.catalogue import compile_all

_RULE_ENTRY = re.compile(r"((?:#\. .*\n)*(?:#: rules/\S+\n)+)#, python-format\n")

if len(sys.argv) == 3 and sys.argv[1] == "--fix-pot":
    pot = Path(sys.argv[2])
    pot.write_text(_RULE_ENTRY.sub(r"\1#, no-python-format\n", pot.read_text("utf-8")), "utf-8")
for path in compile_all():
    print(f"compiled {path}")
