"""Opening a link from inside the app, in a browser that will not take over its terminal."""

from __future__ import annotations

import os
import webbrowser

#: Browsers that run in the terminal they are started from: started from the app, they would
#: draw over it and fight it for the keyboard.
TERMINAL_BROWSERS = frozenset({"www-browser", "links", "links2", "elinks", "lynx", "w3m"})


def open_link(url: str) -> bool:
    """Ask the system's browser to open ``url``; False when none could (no browser found, only
    a terminal one, or it refused). Can block for a while: call it from a worker thread."""
    try:
        first = webbrowser.get()
    except webbrowser.Error:
        return False
    name = os.path.basename(str(getattr(first, "name", "") or "")).split()[0:1]
    if name and name[0] in TERMINAL_BROWSERS:
        return False
    try:
        return bool(webbrowser.open(url))
    except (webbrowser.Error, OSError):
        return False
