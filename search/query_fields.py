"""The one table of the fields a query may name: what the README, ``paperbrowse search --help``
and the app's help screen all show (tests/test_search_quality_fields.py proves they agree), and
what :mod:`search.query_text` accepts. A field not in this table is an error that names these.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class QueryField:
    #: The name people type (``title`` in ``title:diffusion``).
    name: str
    #: Other names accepted for it.
    aliases: tuple[str, ...]
    #: A query that uses it, as the help shows it.
    example: str
    #: What it finds, in a few words.
    meaning: str


FIELDS: tuple[QueryField, ...] = (
    QueryField("title", (), "title:diffusion", "words of the title"),
    QueryField("author", ("authors",), "author:balazs", "an author's name (accents optional)"),
    QueryField("abstract", ("summary",), 'abstract:"we propose"', "words of the abstract"),
    QueryField("keyword", ("keywords",), 'keyword:"video diffusion"', "the paper's keywords"),
    QueryField("category", ("cat",), "category:cs.LG", "an arXiv category (bare cs.LG works too)"),
    QueryField("year", (), "year:2024", "the year published (year:2023-2025 for a range)"),
    QueryField("tag", (), "tag:to-read", "papers you bookmarked with this tag"),
    QueryField("source", ("kind",), "source:arxiv-jsonl", "the kind of dump a paper came from"),
    QueryField("has", (), "has:code", "papers with a code link"),
)

#: Every name a query may use for a field, to its table entry.
BY_NAME: dict[str, QueryField] = {name: f for f in FIELDS for name in (f.name, *f.aliases)}

#: The other query syntax, for the same help texts.
SYNTAX: tuple[tuple[str, str], ...] = (
    ("words", "every word must match (title, abstract, authors or keywords)"),
    ('"a phrase"', "the words together, in order"),
    ("a OR b", "either word"),
    ("-word, NOT word", "papers without the word"),
    ("quant*", "words starting with quant"),
    ("quantizaton~", "a word with one letter wrong (~2: two)"),
    ("2407.01906", "that paper (so does its arxiv.org or huggingface.co/papers link)"),
)


def known_fields_text() -> str:
    """``title:, author:, …`` for messages about an unknown field."""
    return ", ".join(f"{f.name}:" for f in FIELDS)


def help_lines() -> list[tuple[str, str]]:
    """(example, meaning) rows: the syntax, then one row per field (aliases named)."""
    rows = list(SYNTAX)
    for f in FIELDS:
        also = f" (also {', '.join(a + ':' for a in f.aliases)})" if f.aliases else ""
        rows.append((f.example, f.meaning + also))
    return rows


def help_text() -> str:
    """The rows as plain text, one a line (the CLI's ``search --help``)."""
    width = max(len(example) for example, _ in help_lines())
    return "\n".join(f"{example:<{width}}  {meaning}" for example, meaning in help_lines())


def markdown_table() -> str:
    """The rows as the README's Markdown table."""
    lines = ["| query | finds |", "|---|---|"]
    lines += [f"| `{example}` | {meaning} |" for example, meaning in help_lines()]
    return "\n".join(lines)
