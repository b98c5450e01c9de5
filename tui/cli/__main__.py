"""``python -m paperbrowse.tui.cli``: the same entry point as the ``paperbrowse`` command."""

from paperbrowse.tui.cli import main

main()
