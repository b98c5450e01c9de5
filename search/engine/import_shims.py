"""Whoosh's query modules, imported without two modules a search never uses (issue #18).

A cold ``paperbrowse search`` pays for every module it imports. ``python -X importtime`` of one
at 100k papers found two of Whoosh's imports costing ~40 ms together for nothing:

- ``whoosh.lang.morph_en`` compiles hundreds of regular expressions when imported, for the
  ``Variations`` query, which our parser never builds (``whoosh.query.terms`` imports it at the
  top all the same);
- the ``cached_property`` package imports ``asyncio`` (~30 modules) for one decorator, on
  ``SegmentReader.deleted_docs_set`` (a plain method: ``functools.cached_property`` does the
  same, caching in the instance's ``__dict__``).

While Whoosh's query and reading modules are first imported, stand-ins for both sit in
``sys.modules``; they are taken out right after, so any later importer (Textual, a test) gets
the real modules. The ``variations`` stand-in loads the real module the first time it is called.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from collections.abc import Collection

_MORPH = "whoosh.lang.morph_en"
_CACHED = "cached_property"


def _variations(word: str) -> Collection[str]:
    """Whoosh's ``variations``, its module loaded on the first call."""
    found: Collection[str] = importlib.import_module(_MORPH).variations(word)
    return found


def import_whoosh_query() -> None:
    """Import ``whoosh.query`` and ``whoosh.reading`` with the stand-ins in place (no-op when
    they are loaded already)."""
    if "whoosh.query" in sys.modules and "whoosh.reading" in sys.modules:
        return
    stand_ins: dict[str, types.ModuleType] = {}
    if _MORPH not in sys.modules:
        morph = types.ModuleType(_MORPH, "stand-in: see paperbrowse.search.engine.import_shims")
        morph.variations = _variations  # type: ignore[attr-defined]
        stand_ins[_MORPH] = morph
    if _CACHED not in sys.modules:
        cached = types.ModuleType(_CACHED, "stand-in: see paperbrowse.search.engine.import_shims")
        cached.cached_property = functools.cached_property  # type: ignore[attr-defined]
        stand_ins[_CACHED] = cached
    sys.modules.update(stand_ins)
    try:
        importlib.import_module("whoosh.reading")
        importlib.import_module("whoosh.query")
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


# On import: search/engine/__init__.py imports this module before anything that imports Whoosh.
import_whoosh_query()
