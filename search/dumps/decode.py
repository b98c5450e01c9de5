"""Turning a dump's bytes into text: byte-order marks, UTF-16, Latin-1 fallback, binary files.

Listings are saved by browsers, editors and scripts on every platform, so the same page may
arrive as UTF-8 (with or without a BOM), UTF-16 from a Windows editor, or Latin-1/cp1252 from an
old tool. The parsers only ever see ``str``.
"""

from __future__ import annotations

import codecs
import os
import re

#: How much of a file detection looks at.
SNIFF_BYTES = 16 * 1024

_BOMS = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class BinaryFile(ValueError):
    """The bytes are not text (NUL bytes in a file that is not UTF-16/32)."""


def sniff_encoding(head: bytes) -> tuple[str | None, int]:
    """The encoding a file's first bytes announce and the BOM length to skip.

    Returns ``(None, 0)`` for "no BOM, try UTF-8 then the fallbacks". UTF-16 without a BOM is
    recognised by its pattern of NUL bytes in every other position (ASCII-heavy text).
    Raises :class:`BinaryFile` for NUL bytes that fit no Unicode encoding.
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    if b"\x00" not in head:
        return None, 0
    sample = head[:4096]
    even, odd = sample[0::2], sample[1::2]
    # Text in UTF-16 without a BOM: (nearly) all high bytes of ASCII characters are NUL.
    if odd and odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le", 0
    if even and even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be", 0
    raise BinaryFile("binary file (NUL bytes)")


def decode_bytes(data: bytes, *, partial: bool = False) -> str:
    """Decode a whole file (or, with ``partial``, its first bytes) to text.

    UTF-8 is tried first; text that is not valid UTF-8 falls back to cp1252 and then Latin-1
    (which decodes anything), so a legacy file is never rejected. ``partial`` tolerates a
    multi-byte character cut at the end of the sample.
    """
    encoding, skip = sniff_encoding(data)
    body = data[skip:]
    if encoding is not None:
        return body.decode(encoding, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if partial and exc.start >= len(body) - 3:
            return body[: exc.start].decode("utf-8")
    return decode_legacy(body)[0]


def decode_legacy(data: bytes) -> tuple[str, str]:
    """Bytes that are not UTF-8, as text, and the encoding used to read them.

    cp1252 rather than plain Latin-1 first: Windows tools write curly quotes in 0x80-0x9f;
    Latin-1 decodes anything, so a legacy file is never rejected.
    """
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def line_encoding(head: bytes) -> str | None:
    """The encoding of a file read line by line (JSON lines), from its first bytes.

    None means UTF-8 bytes lines (the fast path; a BOM is skipped by the reader). UTF-16 and
    UTF-32 with or without a BOM must be decoded as a whole stream instead: splitting their
    bytes at b"\\n" cuts characters in two and loses the first and last records. NUL bytes
    that fit no encoding are left to the line reader (bad lines, reported by number).
    """
    try:
        encoding, _ = sniff_encoding(head)
    except BinaryFile:
        return None
    return None if encoding in (None, "utf-8") else encoding


# Double-encoded UTF-8 (UTF-8 bytes read as Latin-1/cp1252 and saved again as UTF-8) shows as
# "RamÃ­rez". Lead characters of such sequences; a cheap test before trying the repair.
_MOJIBAKE_HINT = re.compile(
    "[ÃÂÅÄâ]"
    # what a UTF-8 continuation byte (0x80-0xbf) looks like in Latin-1 or cp1252
    "[\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc]"
)


def fix_mojibake(text: str) -> str:
    """Repair text that was UTF-8 decoded as Latin-1/cp1252 (``RamÃ­rez`` -> ``Ramírez``).

    Only applied when the whole string round-trips, so genuine Latin-1 text is left alone.
    """
    if not text or not _MOJIBAKE_HINT.search(text):
        return text
    for legacy in ("cp1252", "latin-1"):
        try:
            return text.encode(legacy).decode("utf-8")
        except UnicodeError:
            continue
    return text


def read_text(path: str | os.PathLike[str]) -> str:
    """A whole (small) dump file as text. Raises OSError or :class:`BinaryFile`."""
    with open(path, "rb") as fh:
        return decode_bytes(fh.read())
