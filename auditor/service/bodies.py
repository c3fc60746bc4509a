"""A JSON request body checked while it streams to storage, never parsed in the request.

``json.loads`` of a 30 MB body of ten million ``{}`` builds ten million dicts
(1.6 GB, over a minute); a request must stay within a bounded amount of memory
whatever the body (web.md 1.1, "fair use and bounded work"). So the request
only *looks* at the bytes as they pass, a chunk at a time, with C-speed byte
operations, and the job parses them. What the request checks is what it must
answer itself:

- the body is UTF-8 (else 400) and its first value opens an object (else 422);
- no value nests deeper than :data:`MAX_DATASET_DEPTH` (else 400, as before);
- no ``\\u`` escape is half of a surrogate pair (else 400): JavaScript's string
  slicing makes such strings, and they cannot be written back as UTF-8.

Anything else wrong with the JSON (a missing comma, ``NaN``) is the job's to
find, and it ends the audit ``invalid`` with a located problem, as it does for
the same bytes uploaded as a ``.json`` file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator

#: A dataset is an object of lists of records of values (a value may be a list): four levels.
MAX_DATASET_DEPTH = 16
CHUNK_BYTES = 1024 * 1024

_HIGH_SURROGATE = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}")
_KEEP = b'"[]{}'
_DROP = bytes(byte for byte in range(256) if byte not in _KEEP)
_STRING = re.compile(rb'"[^"]*"')
#: Bytes after which no escape sequence (``\\x``, ``\\uXXXX``, a surrogate pair) goes on.
_SAFE_ENDS = b",:[]{} \t\r\n"
_WHITESPACE = b" \t\r\n"


class BodyRefused(ValueError):
    """The body cannot be a dataset; ``status`` is 400 or 422."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class JsonBodyCheck:
    """Feed the body's bytes in order, then :meth:`finish`; raises :class:`BodyRefused`.

    Memory is a chunk plus what is carried between chunks (at most the open
    brackets, never more than :data:`MAX_DATASET_DEPTH` of them, and a few
    bytes of an escape that a chunk boundary split).
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._carry = b""
        self._in_string = False
        self._open = b""  # the brackets still open, outermost first
        self._started = False

    def feed(self, data: bytes) -> None:
        try:
            self._decoder.decode(data)
        except UnicodeDecodeError:
            raise BodyRefused(400, "malformed request: the body is not UTF-8 text") from None
        if not self._started:
            stripped = data.lstrip(_WHITESPACE)
            if not stripped:
                return
            self._started = True
            if not stripped.startswith(b"{"):
                raise BodyRefused(
                    422, "the body must be a JSON object: the dict form of the workbook"
                )
        buffer = self._carry + data
        cut = _cut(buffer)
        self._carry = buffer[cut:]
        self._scan(buffer[:cut])

    def finish(self) -> None:
        try:
            self._decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise BodyRefused(400, "malformed request: the body is not UTF-8 text") from None
        if not self._started:
            raise BodyRefused(400, "malformed request: the body is empty, not JSON")
        carry, self._carry = self._carry, b""
        self._scan(carry)

    def _scan(self, text: bytes) -> None:
        if not text:
            return
        if b"\\" in text:
            # Escaped backslashes first (left to right, as a reader pairs them); every
            # backslash left then starts an escape, and only ``\"`` can hide a bracket's
            # meaning (by hiding a quote), so only it is removed before quotes are counted.
            text = text.replace(b"\\\\", b"")
            if _lone_surrogate(text):
                raise BodyRefused(
                    400,
                    "malformed request: a \\u escape in the body is half of a surrogate pair "
                    "(a string cut in the middle of a character)",
                )
            text = text.replace(b'\\"', b"")
        text = text.translate(None, _DROP)
        if self._in_string:
            end = text.find(b'"')
            if end == -1:
                return
            text = text[end + 1 :]
            self._in_string = False
        text = _STRING.sub(b"", text)
        if b'"' in text:  # a string opens and goes on into the next chunk
            text = text[: text.index(b'"')]
            self._in_string = True
        self._brackets(self._open + text)

    def _brackets(self, brackets: bytes) -> None:
        """Drop matched pairs, innermost first: each pass is one level of nesting. The open
        brackets carried in, plus the passes, bound the depth from above; a real dataset (four
        or five levels) is far from the limit however its chunks fall."""
        carried = len(self._open)
        passes = 0
        while True:
            reduced = brackets.replace(b"{}", b"").replace(b"[]", b"")
            if reduced == brackets:
                break
            brackets = reduced
            passes += 1
            if passes + carried > MAX_DATASET_DEPTH:
                raise _too_deep()
        # What remains is closes (of brackets opened before: the job will see any mismatch)
        # then opens, still open at the end of the chunk.
        closes = len(brackets) - len(brackets.lstrip(b"]}"))
        self._open = brackets[closes:]
        if len(self._open) > MAX_DATASET_DEPTH:
            raise _too_deep()


#: Hex digits by what they say as the 1st and 2nd digit of a surrogate's escape: ``D``, a
#: high surrogate's second digit ``H`` (8-b), a low one's ``L`` (c-f, and ``D`` itself).
_CLASSES = bytes.maketrans(b"0123456789abcdefABCDEF", b"hhhhhhhhHHHHLDLLHHLDLL")
_ONE_CLASS = bytes.maketrans(b"hHLD", b"hhhh")


def _lone_surrogate(text: bytes) -> bool:
    """Whether a ``\\uD800``-``\\uDFFF`` escape in ``text`` (escaped backslashes removed) is
    not half of a high-then-low pair. Byte operations only, so a body of a million emoji is
    checked about as fast as one without: each high becomes ``\x01hh``, each low ``\x02hh``,
    and every one of them must be in a ``\x01hh\x02hh``."""
    if b"\\ud" not in text and b"\\uD" not in text:
        return False
    text = text.translate(_CLASSES)
    text = text.replace(b"\\uDH", b"\x01").replace(b"\\uDL", b"\x02").replace(b"\\uDD", b"\x02")
    text = text.translate(_ONE_CLASS)
    pairs = text.count(b"\x01hh\x02hh")
    return not (pairs == text.count(b"\x01") == text.count(b"\x02"))


def _cut(buffer: bytes) -> int:
    """Where to end this chunk's scan so that no escape, and no surrogate pair, is split: after
    the last byte that no escape contains, else (inside one huge string) before the last run
    of backslashes that does not follow a high surrogate's escape."""
    cut = max(buffer.rfind(bytes([end])) for end in _SAFE_ENDS) + 1
    if cut or len(buffer) <= CHUNK_BYTES:
        return cut
    last = buffer.rfind(b"\\")
    for _ in range(64):
        if last == -1:
            return len(buffer)
        start = last
        while start and buffer[start - 1] == 0x5C:
            start -= 1
        if not _HIGH_SURROGATE.fullmatch(buffer, max(0, start - 6), start):
            return start
        last = start - 6
    return start


def _too_deep() -> BodyRefused:
    return BodyRefused(
        400, f"malformed request: the JSON body nests more than {MAX_DATASET_DEPTH} levels deep"
    )


def read_checked(read: Callable[[int], bytes], check: JsonBodyCheck) -> Iterator[bytes]:
    """The request body in chunks of at most :data:`CHUNK_BYTES`, each checked as it passes."""
    while True:
        chunk = read(CHUNK_BYTES)
        if not chunk:
            check.finish()
            return
        check.feed(chunk)
        yield chunk
