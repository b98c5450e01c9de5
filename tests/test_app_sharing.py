"""`o`, `y`/`Y` and `e`: what leaves the app (a link, a BibTeX entry, an export) and what the app
says about it; and the one export flow in the core that `paperbrowse export bibtex` shares."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from paperbrowse.search.atomic import write_atomically
from paperbrowse.search.export import (
    EXPORT_NAME,
    ExportError,
    default_export_path,
    export_bookmarks,
)
from paperbrowse.search.links import paper_link
from paperbrowse.search.models import Paper
from paperbrowse.tui import browser
from paperbrowse.tui.notices import clipboard_advice, short_title
from paperbrowse.tui.screens.export import ExportScreen
from paperbrowse.tui.screens.text import TextScreen
from textual.widgets import Input, RadioButton, TextArea

from tests.fixtures_app import SIZE, make_app, notices, pilot_test, search_for, settle, started

pytestmark = pytest.mark.usefixtures("no_blink")


@pytest.fixture
def services(extra_services):
    return extra_services


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A home folder of the test's own: `e` offers to write there."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


def bookmark_two(services) -> None:
    library = services.library
    services.bookmarks.add(library.get("2511.00002"))
    services.bookmarks.add(library.get(library.search("", limit=None).ids[0]))


# -- the pieces -----------------------------------------------------------------------------------


def test_paper_link_prefers_arxiv_and_takes_only_web_links():
    paper = Paper(id="x", title="t", urls=("javascript:alert(1)", "file:///etc/passwd"))
    assert paper_link(paper) is None
    paper = Paper(id="x", title="t", urls=("file:///a", "https://github.com/a/b"))
    assert paper_link(paper) == "https://github.com/a/b"
    paper = Paper(id="x", title="t", urls=("https://github.com/a/b",), arxiv_id="2401.00001")
    assert paper_link(paper) == "https://arxiv.org/abs/2401.00001"


def test_short_title_is_one_clean_line():
    assert short_title("A\x1b[31m title\nover lines") == "A[31m title over lines"
    assert len(short_title("word " * 40)) == 60


def test_clipboard_advice_names_osc52_and_what_to_do_in_tmux():
    plain = clipboard_advice({})
    assert "OSC 52" in plain and "Y shows the entry" in plain
    assert "set -g set-clipboard on" in clipboard_advice({"TMUX": "/tmp/tmux-0/default,1,0"})


def test_a_terminal_browser_is_never_started(monkeypatch):
    started = []

    class Lynx:
        name = "lynx"

    monkeypatch.setattr("webbrowser.get", lambda *a: Lynx())
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: started.append(url) or True)
    assert browser.open_link("https://arxiv.org/abs/2511.00002") is False
    assert started == []


def test_no_browser_at_all_is_false(monkeypatch):
    import webbrowser

    def none(*args):
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr("webbrowser.get", none)
    assert browser.open_link("https://arxiv.org/abs/2511.00002") is False


def test_write_atomically_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    out = tmp_path / "refs.bib"
    out.write_text("old", encoding="utf-8")

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomically(out, "new")
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["refs.bib"]  # no temp file left


def test_export_with_no_bookmarks_writes_nothing(services, tmp_path):
    out = tmp_path / EXPORT_NAME
    out.write_text("% the user's earlier export\n", encoding="utf-8")
    done = export_bookmarks(services.bookmarks, path=out)
    assert done.count == 0 and done.path is None
    assert done.summary() == "no bookmarks to export"
    assert out.read_text(encoding="utf-8") == "% the user's earlier export\n"


def test_export_is_one_flow_with_tags_and_errors(services, tmp_path):
    library = services.library
    services.bookmarks.add(library.get("2511.00002"), tags=["cite"])
    services.bookmarks.add(library.get(library.search("", limit=None).ids[0]))
    out = tmp_path / "refs.bib"
    done = export_bookmarks(services.bookmarks, tag="cite", path=out)
    assert done.count == 1 and done.path == out
    assert out.read_text(encoding="utf-8") == done.text and "Quokka" in done.text
    assert done.summary() == f"wrote 1 entry to {out}"
    assert all(b.key for b in services.bookmarks.list(tag="cite"))  # keys stored on export
    with pytest.raises(ExportError, match="no bookmark is tagged 'nothing'"):
        export_bookmarks(services.bookmarks, tag="nothing")
    with pytest.raises(ExportError, match="no such folder"):
        export_bookmarks(services.bookmarks, path=tmp_path / "missing" / "x.bib")
    with pytest.raises(ExportError, match="is a folder"):
        export_bookmarks(services.bookmarks, path=tmp_path)


def test_default_export_path_is_home_not_the_working_dir(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    assert default_export_path(tmp_path / "data", home) == home / EXPORT_NAME
    assert default_export_path(tmp_path / "data", tmp_path / "nohome") == (
        tmp_path / "data" / EXPORT_NAME
    )


def test_the_cli_and_the_app_share_the_export_flow():
    import inspect

    from paperbrowse.tui.cli import bookmarks as cli_bookmarks
    from paperbrowse.tui.screens import sharing

    for module in (cli_bookmarks, sharing):
        source = inspect.getsource(module)
        assert "export_bookmarks(" in source
        assert "render_bibtex" not in source and "mkstemp" not in source
    assert not Path(sharing.__file__).with_name("citing.py").exists()


# -- o ------------------------------------------------------------------------------------------


@pilot_test
async def test_o_says_it_opened_the_link(services, monkeypatch):
    opened = []
    monkeypatch.setattr(browser, "open_link", lambda url: opened.append(url) or True)
    async with started(services) as (app, pilot):
        await search_for(pilot, "quokka")
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://arxiv.org/abs/2511.00002"]
        assert "Opened in the browser: https://arxiv.org/abs/2511.00002" in notices(app)
        # A paper from a page copy with no link at all opens arXiv's search for its title.
        no_link = [
            paper_id
            for paper_id in services.library.search("", limit=None).ids
            if paper_link(services.library.get(paper_id)) is None
        ]
        assert no_link, "the sample pages have papers without any link"
        app.screen.set_current(no_link[0])
        await pilot.press("o")
        await settle(pilot)
        assert len(opened) == 2
        assert opened[1].startswith("https://arxiv.org/search/?query=")
        assert "No web link of its own: searching arXiv for the title" in notices(app)


@pilot_test
async def test_o_without_a_browser_says_so_and_shows_the_url(services, monkeypatch):
    import webbrowser

    def none(*args):
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr("webbrowser.get", none)
    async with started(services) as (app, pilot):
        await search_for(pilot, "quokka")
        await pilot.press("o")
        await settle(pilot)
        url = "https://arxiv.org/abs/2511.00002"
        assert any(m.startswith("No browser could be opened") and url in m for m in notices(app))
        assert isinstance(app.screen, TextScreen)
        assert app.screen.query_one(TextArea).text == url  # there to select
        await pilot.press("escape")
        assert not isinstance(app.screen, TextScreen)


# -- y / Y --------------------------------------------------------------------------------------


@pilot_test
async def test_y_copies_bibtex_and_says_how(services, monkeypatch):
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    app = make_app(services)
    copied = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search_for(pilot, "quokka")
        await pilot.press("y")
        await settle(pilot)
        assert len(copied) == 1
        assert copied[0].lstrip().startswith("@")
        assert "Quokka" in copied[0] and "2511.00002" in copied[0]
        (said,) = [m for m in notices(app) if "BibTeX" in m]
        assert "OSC 52" in said and "set -g set-clipboard on" in said and "Y shows" in said


@pilot_test
async def test_Y_shows_the_bibtex_and_saves_it_to_a_file(services, home):
    async with started(services) as (app, pilot):
        await search_for(pilot, "quokka")
        await pilot.press("Y")
        await settle(pilot)
        assert isinstance(app.screen, TextScreen)
        shown = app.screen.query_one(TextArea).text
        assert shown.lstrip().startswith("@") and "Quokka" in shown
        key = shown.split("{", 1)[1].split(",", 1)[0]
        assert key.isalnum()
        path_input = app.screen.query_one("#save-path", Input)
        assert path_input.value == str(home / f"{key}.bib")  # named after the entry's key
        assert app.focused is path_input
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, TextScreen)
        assert (home / f"{key}.bib").read_text(encoding="utf-8") == shown
        assert f"Wrote the BibTeX entry to {home / f'{key}.bib'}" in notices(app)


# -- e ------------------------------------------------------------------------------------------


@pilot_test
async def test_e_asks_where_and_never_writes_to_the_working_dir(
    services, home, tmp_path, monkeypatch
):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    bookmark_two(services)
    async with started(services) as (app, pilot):
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        path_input = app.screen.query_one("#export-path", Input)
        assert path_input.value == str(home / EXPORT_NAME)
        await pilot.press("escape")  # cancelled: nothing anywhere
        await settle(pilot)
        assert not list(cwd.iterdir()) and not list(home.iterdir())
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        out = home / EXPORT_NAME
        text = out.read_text(encoding="utf-8")
        assert text.count("@") == 2 and "Quokka" in text and text.isascii()
        assert f"Wrote 2 entries to {out}" in notices(app)
        assert all(b.key for b in services.bookmarks.list())  # cited the same way next time
        assert not list(cwd.iterdir())
        assert sorted(p.name for p in home.iterdir()) == [EXPORT_NAME]  # no temp file


@pilot_test
async def test_e_writes_where_asked_in_the_format_asked(services, home, tmp_path):
    services.bookmarks.add(services.library.get("2511.00001"))  # authors "Ada Lovelace"…
    services.bookmarks.add(
        Paper(id="t-0000000000aa", title="Ørsted's magnet", authors=("Zoë Ørsted",))
    )
    async with started(services) as (app, pilot):
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#utf8", RadioButton).value = True
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "refs.bib")
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "author = {Ørsted, Zoë}" in (tmp_path / "refs.bib").read_text(encoding="utf-8")
        assert not (home / EXPORT_NAME).exists()


@pilot_test
async def test_e_into_a_missing_folder_says_why(services, home, tmp_path):
    bookmark_two(services)
    async with started(services) as (app, pilot):
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "no" / "refs.bib")
        await pilot.press("enter")
        await settle(pilot)
        missing = tmp_path / "no"
        assert f"Could not export to {missing / 'refs.bib'}: no such folder: {missing}" in (
            notices(app)
        )


@pilot_test
async def test_e_with_no_bookmarks_says_so(services, home):
    async with started(services) as (app, pilot):
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert any(m.startswith("No bookmarks to export yet") for m in notices(app))


@pilot_test
async def test_e_offers_ris_and_csl_json_and_the_file_ending_follows(services, home):
    import json

    import rispy
    from textual.widgets import RadioButton

    bookmark_two(services)
    async with started(services) as (app, pilot):
        for button, ending in (("ris", ".ris"), ("csl", ".json")):
            await pilot.press("e")
            await settle(pilot)
            app.screen.query_one(f"#{button}", RadioButton).value = True
            await settle(pilot)
            path_input = app.screen.query_one("#export-path", Input)
            assert path_input.value == str((home / EXPORT_NAME).with_suffix(ending))
            app.screen.set_focus(path_input)
            await pilot.press("enter")
            await settle(pilot)
        keys = {b.id: b.key for b in services.bookmarks.list()}
        ris = rispy.loads((home / EXPORT_NAME).with_suffix(".ris").read_text(encoding="utf-8"))
        csl = json.loads((home / EXPORT_NAME).with_suffix(".json").read_text(encoding="utf-8"))
        # The same keys in every format: the ones the bookmarks store.
        assert sorted(r["id"] for r in ris) == sorted(keys.values())
        assert sorted(i["id"] for i in csl) == sorted(keys.values())
        assert any("Quokka" in r["title"] for r in ris)
