"""Babel extractors: the texts of the rule files, for ``make messages``.

A rule's ``title``, ``finding``, ``remediation`` and ``referral`` are read
by people in every report, so they are msgids like the templates' texts.
The msgid is the rule file's text as written (the worker as "she"); a
translation words the worker neutrally, so it fits every subject. The
``norms`` are legal citations (convention and article numbers, the
resolution's paragraphs): printed as written, never translated away.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

import yaml

#: The rule file's keys whose texts a report prints.
RULE_TEXTS = ("title", "finding", "remediation", "referral")


def extract_rules(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extractor protocol: ``(line, function, message, comments)`` per rule text."""
    text = fileobj.read().decode("utf-8")
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    values = yaml.safe_load(text)
    if not isinstance(node, yaml.MappingNode) or not isinstance(values, dict):
        return
    rule_id = next((value.value for key, value in node.value if key.value == "id"), "a rule")
    for key, value in node.value:
        message = values.get(key.value)
        if key.value in RULE_TEXTS and isinstance(message, str) and message:
            yield value.start_mark.line + 1, None, message, [f"{rule_id} {key.value}"]
