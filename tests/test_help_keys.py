"""The help screen's hand-kept rows for keys that widgets handle match those widgets' bindings."""

from __future__ import annotations

from tui.screens.help import MOVEMENT, key_table
from tui.widgets.results_list import ResultsList


def _keys(spec: str) -> set[str]:
    return {k.strip() for k in spec.split(",") if k.strip()}


def test_every_results_list_key_is_in_the_help_and_nothing_else():
    bound: set[str] = set()
    for binding in ResultsList.BINDINGS:
        bound |= _keys(binding.key)
    described: set[str] = set()
    for _, _, keys in MOVEMENT:
        described |= _keys(keys)
    assert described == bound


def test_the_help_table_shows_every_hand_kept_row():
    table = key_table([])
    assert table.row_count == len(MOVEMENT)
