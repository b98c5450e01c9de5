"""The terminal front end: the Typer CLI and the Textual app (imported lazily)."""

import time

#: When paperbrowse's own code started: the package is imported before the CLI's imports, so
#: ``paperbrowse search --timing`` counts them in its start-up figure.
STARTED = time.perf_counter()
