"""The terminal front end: the Typer CLI and the Textual app (imported lazily)."""
