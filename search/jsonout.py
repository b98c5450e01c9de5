"""The one JSON writer: every ``--json`` output and every JSON file paperbrowse writes.

``json.dumps`` escapes C0 controls itself; with ``ensure_ascii=False`` (readable UTF-8) it writes
DEL, C1 controls (8-bit CSI) and bidi overrides raw, and a terminal may act on them. They are
escaped here, so the JSON value is unchanged and nothing reaches a terminal that it acts on.
"""

from __future__ import annotations

import json
import re
from typing import Any

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _safe(text: str) -> str:
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_text(data: Any) -> str:
    """``--json`` output: UTF-8 text kept readable, every character a terminal acts on escaped."""
    return _safe(json.dumps(data, ensure_ascii=False, indent=2))


def json_line(data: Any) -> str:
    """One JSON Lines record, deterministic (keys sorted, no spaces), safe like json_text."""
    return _safe(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
