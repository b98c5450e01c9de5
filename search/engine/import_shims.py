"""Whoosh's query modules, imported without two modules a search never uses (issue #18).

A cold ``paperbrowse search`` pays for every module it imports. ``python -X importtime`` of one
at 100k papers found three of Whoosh's imports costing ~45 ms together for nothing:

- ``whoosh.lang.morph_en`` compiles hundreds of regular expressions when imported, for the
  ``Variations`` query, which our parser never builds (``whoosh.query.terms`` imports it at the
  top all the same);
- the ``cached_property`` package imports ``asyncio`` (~30 modules) for one decorator, on
  ``SegmentReader.deleted_docs_set`` (a plain method: ``functools.cached_property`` does the
  same, caching in the instance's ``__dict__``);
- ``whoosh.automata.lev`` (with ``whoosh.automata.fsa``, ~5 ms), imported by
  ``whoosh.codec.base`` for the spelling corrector's automata, which a search never builds.

While Whoosh's query and reading modules are first imported, stand-ins for both sit in
``sys.modules``; they are taken out right after, so any later importer (Textual, a test) gets
the real modules. The ``variations`` and ``levenshtein_automaton`` stand-ins load the real
module the first time they are called.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from collections.abc import Collection
from typing import Any

_MORPH = "whoosh.lang.morph_en"
_CACHED = "cached_property"
_LEV = "whoosh.automata.lev"


def _variations(word: str) -> Collection[str]:
    """Whoosh's ``variations``, its module loaded on the first call."""
    found: Collection[str] = importlib.import_module(_MORPH).variations(word)
    return found


def _levenshtein_automaton(*args: Any, **kwargs: Any) -> Any:
    """Whoosh's ``levenshtein_automaton``, its module loaded on the first call."""
    return importlib.import_module(_LEV).levenshtein_automaton(*args, **kwargs)


_LEAN = ("whoosh.reading", "whoosh.query", "whoosh.codec.whoosh3")


def import_whoosh_query() -> None:
    """Import ``whoosh.query``, ``whoosh.reading`` and the W3 codec with the stand-ins in place
    (no-op when they are loaded already)."""
    if all(name in sys.modules for name in _LEAN):
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
    if _LEV not in sys.modules:
        lev = types.ModuleType(_LEV, "stand-in: see paperbrowse.search.engine.import_shims")
        lev.levenshtein_automaton = _levenshtein_automaton  # type: ignore[attr-defined]
        stand_ins[_LEV] = lev
    sys.modules.update(stand_ins)
    try:
        for name in _LEAN:
            importlib.import_module(name)
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


# On import: search/engine/__init__.py imports this module before anything that imports Whoosh.
import_whoosh_query()
