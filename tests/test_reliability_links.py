"""Opening links: the TUI hands only http(s) URLs to the ``webbrowser`` module, never a shell."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paperbrowse.search.links import paper_link
from paperbrowse.search.models import Paper
from paperbrowse.search.services import build_services

from tests.fixtures_app import make_app, pilot_test, settle

REPO = Path(__file__).resolve().parents[1]

HOSTILE_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.org/x",
    "-a --new-window",
    "; rm -rf ~",
    "$(touch /tmp/pwned)",
    "`id`",
    "vbscript:msgbox",
    " https://spaces-before.example",
    "http//missing-colon.example",
]


@settings(max_examples=100, deadline=None)
@given(
    urls=st.lists(st.one_of(st.sampled_from(HOSTILE_URLS), st.text(max_size=30)), max_size=5).map(
        tuple
    ),
    arxiv=st.one_of(st.none(), st.sampled_from(["2401.00001", "hep-th/9901001"])),
)
def test_paper_link_is_http_or_nothing(urls, arxiv) -> None:
    link = paper_link(Paper(id="t-1", title="T", urls=urls, arxiv_id=arxiv))
    if link is not None:
        assert re.match(r"(?i)https?://", link), link
    if arxiv:
        assert link is not None


def _hostile_link_dump(folder: Path) -> Path:
    entries = [
        {
            "paper": {
                "title": "Hostile links only",
                "summary": "Nothing to open here. javascript:alert(1) file:///etc/passwd",
                "githubRepo": "javascript:alert(document.cookie)",
                "projectPage": "file:///etc/passwd",
                "publishedAt": "2024-07-04T10:00:00.000Z",
            },
            "title": "Hostile links only",
            "publishedAt": "2024-07-05T10:00:00.000Z",
        },
        {
            "paper": {
                "title": "Mixed links first hostile",
                "summary": "Project page below.",
                "githubRepo": "file:///etc/shadow",
                "projectPage": "https://project.example/page",
                "publishedAt": "2024-07-04T10:00:00.000Z",
            },
            "title": "Mixed links first hostile",
            "publishedAt": "2024-07-05T10:00:00.000Z",
        },
    ]
    path = folder / "daily_papers_2024-07-05.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


@pilot_test
async def test_o_never_opens_a_non_web_link(tmp_path: Path, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("paperbrowse.tui.browser.open_link", lambda url: opened.append(url) or True)
    services = build_services(tmp_path / "data")
    services.library.ingest([_hostile_link_dump(tmp_path)])
    hostile = services.library.find_by_title("Hostile links only")
    mixed = services.library.find_by_title("Mixed links first hostile")
    assert hostile is not None and mixed is not None
    app = make_app(services)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            app.screen.set_current(hostile.id)
            await pilot.press("o")
            await settle(pilot)
            # None of its links is a web link: o opens arXiv's search for its title instead.
            assert opened == ["https://arxiv.org/search/?query=Hostile+links+only&searchtype=title"]
            opened.clear()
            app.screen.set_current(mixed.id)
            await pilot.press("o")
            await settle(pilot)
            assert opened == ["https://project.example/page"]
    finally:
        services.close()


@pytest.mark.parametrize("package", ["search", "tui"])
def test_no_shell_anywhere(package: str) -> None:
    """Nothing in the app runs a shell: links go to webbrowser, which execs a browser directly."""
    pattern = re.compile(r"shell\s*=\s*True|os\.system\(|os\.popen\(|subprocess\.getoutput")
    for path in (REPO / package).rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not pattern.search(text), path
