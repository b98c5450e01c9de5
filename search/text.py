"""Text clean-up shared by every parser: whitespace, control characters, title identity."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

# C0/C1 control characters (tab and newline are folded as whitespace before this runs) and the
# bidi embedding/override/isolate controls, which can make a terminal show text out of order.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a character :func:`strip_controls` drops."""
    return _CONTROL.search(text) is not None


def strip_controls(text: str) -> str:
    """Drop control characters that must never reach a terminal; keep newlines and tabs."""
    return _CONTROL.sub("", text)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def path_text(path: str | os.PathLike[str]) -> str:
    """A file name as it is shown and stored in papers and messages: every character printed
    as itself, except those a terminal acts on or that hide the name's shape (newlines,
    controls, bidi overrides, line separators), which are written as escapes (``\\n``,
    ``\\x1b``, ``\\u202e``); bytes that are not UTF-8 (kept by ``os.fsdecode`` as lone
    surrogates) as ``\\xff``. The file itself is found by its real name, not by this text."""
    text = os.fsdecode(path)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
            out.append(f"\\x{code - 0xDC00:02x}")
        elif _CONTROL.match(ch) or 0xD800 <= code <= 0xDFFF or ch in "\u2028\u2029":
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def clean(text: str | None) -> str:
    """Normalise a one-paragraph field: controls dropped, runs of whitespace (hard wraps) folded."""
    if not text:
        return ""
    return _SPACE.sub(" ", strip_controls(text)).strip()


def title_key(title: str) -> str:
    """The identity of a title across copies that differ in typography.

    Case, accents, punctuation, whitespace and TeX math markers (``SE$(n)$`` vs ``SE(n)``) are
    ignored, so the same paper's title from an arXiv dump and from a page copy gives one key.
    """
    text = title
    if not text.isascii():  # ASCII has no decompositions: most titles skip a step per character
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\\[a-zA-Z]+", "", text)  # TeX commands such as \mathcal
    return re.sub(r"[\W_]+", "", text.casefold())


def title_id(title: str) -> str:
    """A stable id for a paper known only by its title: ``t-`` + 12 hex digits of its key."""
    return "t-" + hashlib.sha1(title_key(title).encode()).hexdigest()[:12]


_ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")
_ARXIV_OLD = re.compile(r"^([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?$")


def bare_arxiv_id(text: str | None) -> str | None:
    """``2407.01906`` from ``2407.01906v2``, ``arXiv:2407.01906`` or an abs/pdf URL; else None."""
    if not text:
        return None
    s = text.strip()
    s = re.sub(r"^(?:https?://)?(?:export\.)?arxiv\.org/(?:abs|pdf)/", "", s)
    s = re.sub(r"^arxiv:", "", s, flags=re.IGNORECASE)
    s = re.sub(r"\.pdf$", "", s)
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        m = pattern.match(s)
        if m:
            return m.group(1)
    return None


def arxiv_abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


_URL = re.compile(r"https?://[^\s<>\"'\]\[)(]+")


def find_urls(text: str) -> list[str]:
    """Links in free text, without trailing sentence punctuation."""
    return [m.group(0).rstrip(".,;:") for m in _URL.finditer(text or "")]
