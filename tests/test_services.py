"""Services built in one place, and bookmarks that follow their papers through re-ingests."""

from __future__ import annotations

from datetime import date

from paperbrowse.search.paths import SAMPLE_CAPTURED
from paperbrowse.search.services import build_services, sample_paths
from paperbrowse.search.text import title_id

from tests.fixtures_dumps import JSONL, write_page, write_records

AS_OF = date(2025, 12, 20)


def test_bookmark_follows_its_paper_to_a_new_id_after_rebuild(tmp_path):
    (tmp_path / "dumps").mkdir()
    page = write_page(tmp_path / "dumps" / "b-page.txt")
    services = build_services(tmp_path / "data")
    services.library.ingest([page], as_of=AS_OF)
    page_id = title_id("Equivariant Flows on SE(n): Learning Rigid Motions")
    services.bookmarks.add(services.library.get(page_id), tags=["flows"], note="read it")

    # The arXiv record joins the same paper: the id stays, the bookmark's copy gains the arXiv id.
    write_records(tmp_path / "dumps" / "a-arxiv.jsonl", [JSONL])
    services.library.ingest([tmp_path / "dumps"], as_of=AS_OF)
    assert services.refresh_bookmarks() == 1
    assert services.bookmarks.get(page_id).paper.arxiv_id == "2412.01234"

    # A rebuild reads the arXiv dump first (sorted paths), so the paper's id is now the arXiv id:
    # the bookmark moves with it, tags and note intact.
    services.library.ingest([tmp_path / "dumps"], rebuild=True, as_of=AS_OF)
    assert services.library.get(page_id) is None
    assert services.refresh_bookmarks() == 1
    moved = services.bookmarks.get("2412.01234")
    assert moved is not None and moved.id == "2412.01234"
    assert moved.tags == ("flows",) and moved.note == "read it"
    assert services.bookmarks.ids() == frozenset({"2412.01234"})
    services.close()


def test_sample_library_when_the_user_has_none(tmp_path):
    services = build_services(tmp_path / "data", use_sample_if_empty=True)
    assert services.sample
    # Built later, by the app after its first paint (it takes seconds).
    assert services.sample_pending and services.library.count() == 0
    services.prepare_sample()
    assert not services.sample_pending
    assert services.library.count() == 462  # the five bundled pages, one record per paper
    assert services.library.search("segmentation").total > 0
    # The user's own library stays empty; bookmarks go to the user's store.
    own = build_services(tmp_path / "data")
    assert not own.sample and own.library.count() == 0
    own.close()
    assert services.locations.bookmarks_db == tmp_path / "data" / "bookmarks.sqlite3"
    services.close()


def test_own_library_state_and_leaving_the_sample(tmp_path):
    from paperbrowse.search.services import LibraryState

    services = build_services(tmp_path / "data", use_sample_if_empty=True)
    services.prepare_sample()
    assert services.own_library_state() == LibraryState(0, 0)  # the sample is not the user's
    assert services.use_own_library() is None  # nothing to switch to yet
    # An ingest into the user's library, as `paperbrowse ingest` in another shell does.
    other = build_services(tmp_path / "data")
    other.library.ingest([sample_paths()[0]], as_of=AS_OF)
    papers = other.library.count()
    other.close()
    state = services.own_library_state()
    assert state is not None and state.papers == papers > 0 and state.generation > 0
    sample = services.use_own_library()
    assert sample is not None and not services.sample
    sample.close()
    assert services.library.count() == papers
    assert services.use_own_library() is None  # once is enough
    services.close()


def test_library_state_of_a_data_dir_with_no_library_creates_nothing(tmp_path):
    from paperbrowse.search.paths import Locations
    from paperbrowse.search.services import LibraryState, read_library_state

    assert read_library_state(Locations(tmp_path / "none")) == LibraryState(0, 0)
    assert not (tmp_path / "none").exists()


def test_sample_dates_are_pinned_not_read_from_file_times(tmp_path):
    """The sample pages print "Sep 16" without a year; whatever the checkout's file times, the
    sample shows the dates of the README's pictures (ResidualViT: 2025-09-16), and ingesting it
    guesses nothing."""
    services = build_services(tmp_path / "data", use_sample_if_empty=True)
    services.prepare_sample()
    try:
        paper = services.library.find_by_title(
            "ResidualViT for Efficient Temporally Dense Video Encoding"
        )
        assert paper is not None and paper.published == date(2025, 9, 16)
        newest = max(p.published for p in services.library.records.iter_papers() if p.published)
        assert newest <= SAMPLE_CAPTURED
    finally:
        services.close()
