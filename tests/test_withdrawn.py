"""A paper Hugging Face lists as withdrawn is marked as such everywhere a reader meets it: the
record (show), search output (table and JSON) and the app's detail pane."""

from __future__ import annotations

import json
from datetime import date

from paperbrowse.search.models import Paper

from tests.fixtures_cli import run


def _dump(folder) -> None:
    entries = [
        {
            "paper": {
                "id": "2502.00001",
                "title": "A Result We Took Back",
                "summary": "It was wrong.",
                "authors": [{"name": "A. Author"}],
                "upvotes": 4,
                "withdrawnAt": "2025-02-03T10:00:00.000Z",
            }
        },
        {"paper": {"id": "2502.00002", "title": "A Result That Stands", "summary": "Right."}},
    ]
    (folder / "2025-02-01.json").write_text(json.dumps(entries), encoding="utf-8")


def test_withdrawn_in_show_and_search(tmp_path):
    _dump(tmp_path)
    data = tmp_path / "data"
    assert run("ingest", str(tmp_path / "2025-02-01.json"), data_dir=data).returncode == 0
    shown = run("show", "2502.00001", data_dir=data).stdout.splitlines()
    assert shown[:2] == ["A Result We Took Back", "WITHDRAWN on 2025-02-03"]
    assert "Withdrawn:  2025-02-03" in shown
    assert "WITHDRAWN" not in run("show", "2502.00002", data_dir=data).stdout
    table = run("search", "result", data_dir=data).stdout
    assert "[withdrawn] A Result We Took Back" in table
    assert "[withdrawn] A Result That Stands" not in table
    rows = json.loads(run("search", "result", "--json", data_dir=data).stdout)
    assert {r["id"]: r["withdrawn"] for r in rows} == {
        "2502.00001": "2025-02-03",
        "2502.00002": None,
    }


def test_withdrawn_in_the_detail_pane():
    from paperbrowse.tui.widgets.detail import render_paper

    paper = Paper(
        id="2502.00001",
        title="A Result We Took Back",
        withdrawn=date(2025, 2, 3),
        featured=date(2025, 2, 1),
        featured_days=(date(2025, 2, 1), date(2025, 2, 5)),
    )
    lines = render_paper(paper).plain.splitlines()
    assert lines[:2] == ["A Result We Took Back", "WITHDRAWN on 2025-02-03"]
    assert "featured 2025-02-01 (+1 day)" in render_paper(paper).plain
    assert "WITHDRAWN" not in render_paper(Paper(id="x", title="Fine")).plain
