"""A problem's sentence that remembers how it was made, so it can be said in another language.

A :class:`Message` *is* its English text (a ``str``: the problems document,
logs and every caller comparing or printing it see exactly the English they
always did), and it also keeps its ``msgid`` (the English template with
named ``%(name)s`` placeholders, the key of the gettext catalogue) and its
parameters. :meth:`Message.localized` fills the translated template with the
same parameters. Parameters are data (cells, dates, ids, field names as the
format spells them) and are never translated, except a parameter that is
itself a :class:`Message` (a clause shared by several sentences), which is
said in the same language.

The model sits below the catalogues (:mod:`auditor.i18n`), so it takes the
translation as a function rather than importing it. ``make messages`` finds
every ``Message("...")`` literal (the ``Message`` keyword in the Makefile).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

#: A catalogue's lookup: the msgid in, the translated template out (gettext's ``gettext``).
Lookup = Callable[[str], str]


class Message(str):
    """English text built from ``msgid % params``, keeping both for a translation."""

    msgid: str
    params: Mapping[str, object]

    def __new__(cls, msgid: str, /, **params: object) -> Message:
        text = msgid % params if params else msgid
        made = super().__new__(cls, text)
        made.msgid = msgid
        made.params = params
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled into and out of isolated audit workers with its msgid and parameters.
        return (_rebuild, (self.msgid, dict(self.params)))

    def localized(self, lookup: Lookup) -> str:
        """The sentence in the language of ``lookup``; parameters unchanged."""
        template = lookup(self.msgid)
        if not self.params:
            return template
        return template % {name: said(value, lookup) for name, value in self.params.items()}


def _rebuild(msgid: str, params: dict[str, object]) -> Message:
    return Message(msgid, **params)


def said(text: object, lookup: Lookup) -> object:
    """``text`` in the language of ``lookup`` if it is a :class:`Message`, else unchanged."""
    return text.localized(lookup) if isinstance(text, Message) else text


def N_(msgid: str) -> str:  # gettext's name: "mark now, make the Message where it is said"
    """Mark a template for the catalogue; a :class:`Message` is made of it later."""
    return msgid
