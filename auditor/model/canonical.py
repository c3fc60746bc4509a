"""Canonical JSON: sorted keys, no spaces, UTF-8, decimals written exactly.

The digest of a dataset given as dicts or objects (``input_sha256``) is
taken over this text, so it must not depend on float formatting or on the
order keys were given in.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from enum import Enum
from typing import Any


def canonical_json(value: Any) -> str:
    """``value`` as canonical JSON text."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: Any, out: list[str]) -> None:
    if value is None or (isinstance(value, bool | int | str) and not isinstance(value, Enum)):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Enum):
        _write(value.value, out)
    elif isinstance(value, Decimal):
        out.append(format(value, "f"))
    elif isinstance(value, float):
        out.append(repr(value))
    elif isinstance(value, dt.date):
        out.append(json.dumps(value.isoformat()))
    elif isinstance(value, dict):
        out.append("{")
        for index, key in enumerate(sorted(value, key=str)):
            if index:
                out.append(",")
            out.append(json.dumps(str(key), ensure_ascii=False))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        raise TypeError(f"cannot write {type(value).__name__} as canonical JSON")
