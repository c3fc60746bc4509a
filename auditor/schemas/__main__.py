"""``python -m auditor.schemas``: regenerate the shipped schema files and their docs copies."""

from pathlib import Path

from auditor.schemas import write_all

_ROOT = Path(__file__).resolve().parent
for _path in write_all(_ROOT, _ROOT.parent.parent / "docs" / "schemas"):
    print(_path)
