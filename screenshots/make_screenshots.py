"""Write the README's pictures: screenshots/{main,detail,filters,bookmarks,help,reader,theme,
chart,watches}.svg.

They show the same fixed library and states as the snapshot tests (tests/fixtures_app.py):
the bundled sample pages read as of a pinned day. Run from anywhere:

    python screenshots/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))  # for tests.fixtures_app when run as a plain script

from tests.fixtures_app import (  # noqa: E402
    add_watches,
    bookmark_a_few,
    make_app,
    sample_services,
    scene_bookmarks,
    scene_chart,
    scene_detail,
    scene_filters,
    scene_help,
    scene_reader,
    scene_search,
    scene_theme,
    scene_watches,
)

SIZE = (120, 36)
SCENES = {
    "main": scene_search,
    "detail": scene_detail,
    "filters": scene_filters,
    "bookmarks": scene_bookmarks,
    "help": scene_help,
    "reader": scene_reader,
    "theme": scene_theme,
    "chart": scene_chart,
    "watches": scene_watches,
}


async def shoot(name: str, scene, folder: Path) -> Path:
    """Drive a fresh app into ``scene`` and save what it shows as ``<name>.svg``."""
    from textual.widgets import Input

    Input.cursor_blink = False  # type: ignore[assignment]  # a still picture: no blink phase
    with tempfile.TemporaryDirectory() as tmp:
        services = sample_services(Path(tmp), sample=True)
        try:
            if name in ("bookmarks", "theme"):
                bookmark_a_few(services)
            if name == "watches":
                add_watches(services)
            app = make_app(services)
            async with app.run_test(size=SIZE) as pilot:
                await scene(pilot)
                app.title = "paperbrowse"
                return Path(app.save_screenshot(f"{name}.svg", str(folder)))
        finally:
            services.close()


def main() -> None:
    os.chdir(REPO)  # dump paths show relative to the repo, as in the snapshot tests
    for name, scene in SCENES.items():
        path = asyncio.run(shoot(name, scene, HERE))
        print(f"wrote {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
