"""arXiv API Atom XML: both wire formats, the error feed, truncated and hostile XML."""

from __future__ import annotations

from datetime import date

from paperbrowse.search.dumps import read_dump
from paperbrowse.search.dumps.arxiv_atom import parse_text
from paperbrowse.search.models import Paper, ParseNote

from tests.dumps_paths import DUMPS, needs_dumps, read_split

ATOM_DIR = DUMPS / "arxiv-atom"
OLD = ATOM_DIR / "query_au_del_maestro_2016.xml"
NEW = ATOM_DIR / "query_testing_2026.xml"
ERROR = ATOM_DIR / "error_bad_id_2026.xml"


@needs_dumps
def test_2016_wire_format_every_field():
    papers, problems = read_split(OLD)
    assert problems == []
    assert len(papers) == 10
    first = papers[0]
    assert first == Paper(
        id="1201.4869",
        title="A Luttinger Liquid Core Inside Helium-4 Filled Nanopores",
        abstract=first.abstract,
        authors=("Adrian Del Maestro",),
        n_authors=1,
        published=date(2012, 1, 23),
        categories=("cond-mat.mes-hall", "cond-mat.other"),
        doi="10.1142/S021797921244002X",
        journal_ref="Int. J. Mod. Phys. B, 26, 1244002 (2012)",
        comments="26 pages, 10 figures",
        urls=("https://arxiv.org/abs/1201.4869",),
        sources=(str(OLD),),
        kinds=("arxiv-atom",),
        arxiv_id="1201.4869",
        updated=date(2012, 1, 23),
    )
    # Hard-wrapped with two leading spaces in the file; one paragraph here.
    assert first.abstract.startswith("As helium-4 is cooled below 2.17 K it undergoes a phase")
    assert first.abstract.endswith(
        "exciting possibility of the experimental detection of this "
        "intriguing low dimensional state of matter."
    )

    old_style = papers[1]
    # ".../abs/cond-mat/0412498v1": old-style id, version dropped.
    assert old_style.id == old_style.arxiv_id == "cond-mat/0412498"
    assert old_style.title == "Thermal melting of density waves on the square lattice"
    assert old_style.authors == ("Adrian Del Maestro", "Subir Sachdev")
    assert old_style.categories == ("cond-mat.str-el", "cond-mat.stat-mech")
    assert old_style.doi == "10.1103/PhysRevB.71.184511"
    assert old_style.journal_ref == "Physical Review B 71, 184511 (2005)"
    assert "(p >= 3, integer)" in old_style.abstract  # &gt; decoded
    assert old_style.urls == ("https://arxiv.org/abs/cond-mat/0412498",)

    revised = papers[4]
    assert revised.id == "1303.6954"
    assert (revised.published, revised.updated) == (date(2013, 3, 27), date(2013, 9, 3))
    assert revised.authors == ("B. Kulchytskyy", "G. Gervais", "A. Del Maestro")


@needs_dumps
def test_2026_wire_format_every_field():
    papers, problems = read_split(NEW)
    assert problems == []
    assert [p.id for p in papers] == [
        "2202.12139",
        "2405.13786",
        "2005.14124",
        "2204.08348",
        "2302.03287",
        "1202.4527",
        "2503.05378",
        "1205.1866",
        "2502.07719",
        "1812.11470",
    ]
    first = papers[0]
    assert first.title == (
        "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"
    )
    assert first.authors == ("Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker")
    assert first.n_authors == 3
    assert first.categories == ("cs.SE", "cs.LG")
    assert first.doi == "10.1109/ICSTW55395.2022.00035"
    assert first.comments == "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022"
    assert first.journal_ref.startswith("Artificial Intelligence in Software Testing @ 2022 IEEE")
    assert (first.published, first.updated) == (date(2022, 2, 24), date(2022, 2, 24))
    assert first.abstract.startswith("Deep Learning (DL) has revolutionized the capabilities")
    assert first.abstract.endswith("used in VBS and discuss its results.")
    assert first.urls == ("https://arxiv.org/abs/2202.12139",)

    second = papers[1]
    # The file has the names double-encoded ("RamÃ­rez"); they are repaired.
    assert second.authors == ("Aurora Ramírez", "Mario Berrios", "José Raúl Romero", "Robert Feldt")
    assert second.categories == ("cs.SE", "cs.AI")
    assert second.doi == "10.1109/ICSTW58534.2023.00023"

    fuzzing = papers[2]
    assert fuzzing.categories == ("cs.SE", "cs.CR", "cs.LG")
    assert (fuzzing.published, fuzzing.updated) == (date(2020, 5, 28), date(2020, 7, 16))


@needs_dumps
def test_error_feed_is_a_note_not_a_paper():
    items = list(read_dump(ERROR))
    assert items == [
        ParseNote(
            str(ERROR), "arXiv API error response, no papers in it: incorrect id format for abc"
        )
    ]


@needs_dumps
def test_truncated_xml_keeps_complete_entries(tmp_path):
    text = OLD.read_text(encoding="utf-8")
    cut = text.index("<entry>", text.index("<entry>", text.index("<entry>") + 1) + 1) + 40
    path = tmp_path / "cut.xml"
    path.write_text(text[:cut], encoding="utf-8")
    papers, problems = read_split(path)
    assert [p.id for p in papers] == ["1201.4869", "cond-mat/0412498"]
    [problem] = problems
    assert problem.message.startswith("truncated XML: ")
    assert problem.line == text[:cut].count("\n") + 1


def test_malformed_xml_in_the_middle():
    text = (
        '<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><id>http://arxiv.org/abs/2401.00001v1'
        "</id><title>One</title></entry>\n<entry><id>x</id><title>Two & three</title></entry>\n"
        + "<!-- padding -->\n" * 5
        + "</feed>\n"
    )
    items = list(parse_text(text, "mem"))
    assert isinstance(items[0], Paper) and items[0].id == "2401.00001"
    assert items[1].message.startswith("malformed XML: ")
    assert items[1].line == 3


def test_entities_are_refused():
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY lol "lol">]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol;</title></entry></feed>'
    )
    [problem] = list(parse_text(text, "mem"))
    assert problem.message == "XML with entity or DTD declarations refused"


def test_affiliations_and_primary_category_first():
    text = """<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>https://arxiv.org/abs/2510.14968v1</id>
    <title>A New Paper</title>
    <summary>Text with a link https://github.com/a/b.</summary>
    <published>2025-10-16T17:59:59Z</published>
    <updated>2025-10-17T01:00:00Z</updated>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.AI" scheme="http://arxiv.org/schemas/atom"/>
    <arxiv:primary_category term="cs.AI"/>
    <author><name>Ann Author</name><arxiv:affiliation>Uni A</arxiv:affiliation>
      <arxiv:affiliation>Lab B</arxiv:affiliation></author>
    <author><name>Bob Author</name></author>
  </entry>
</feed>"""
    [paper] = list(parse_text(text, "mem"))
    assert paper.id == "2510.14968"
    assert paper.categories == ("cs.AI", "cs.LG")
    assert paper.authors == ("Ann Author", "Bob Author")
    assert paper.affiliations == ("Uni A; Lab B", "")
    assert paper.urls == ("https://github.com/a/b", "https://arxiv.org/abs/2510.14968")
    assert (paper.published, paper.updated) == (date(2025, 10, 16), date(2025, 10, 17))


def test_not_a_feed():
    [problem] = list(parse_text("<html><body/></html>", "mem"))
    assert problem.message == "not an Atom feed (expected <feed>)"


def test_empty_feed_gives_nothing():
    assert list(parse_text('<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "mem")) == []
