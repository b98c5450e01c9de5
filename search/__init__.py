"""paperbrowse's headless core: dump parsing, the paper model, the index, bookmarks and export.

Nothing under ``search`` imports Textual or Typer; ``tests/test_import_hygiene.py`` proves it.
"""
