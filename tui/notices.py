"""What the app tells the user after an action: short, one line where it can be, and honest
about what it could not check (whether the terminal took the clipboard text)."""

from __future__ import annotations

import os

from paperbrowse.search.text import clean


def short_title(title: str, width: int = 60) -> str:
    """A title cut to ``width`` characters for a one-line notification."""
    title = clean(title)
    return title if len(title) <= width else title[: width - 1] + "…"


def clipboard_advice(environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """How `y` copied, and what to do when the text did not arrive.

    Textual copies with OSC 52, an escape code asking the terminal to fill the clipboard: the
    app cannot know whether the terminal obeyed (some ignore it, tmux drops it unless told).
    """
    advice = "Copied with OSC 52 (the terminal's clipboard code)."
    if environ.get("TMUX"):
        advice += " Nothing to paste? In tmux: set -g set-clipboard on."
    elif environ.get("STY"):
        advice += " GNU screen does not pass it on."
    else:
        advice += " Nothing to paste? Your terminal may ignore OSC 52."
    return advice + " Y shows the entry to select or save to a file."


def no_browser(url: str) -> str:
    """The notice when `o` found no browser to open ``url`` in."""
    return f"No browser could be opened (set $BROWSER to choose one). The link: {clean(url)}"
