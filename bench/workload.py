"""What the benchmark measures: the query mixes, how often each is run, the TUI's query.

Shared by the runner (bench/run.py), the probes and the report (bench/report.py), which prints
the mixes' sizes beside the figures.
"""

from __future__ import annotations

#: (label, query, sort, filters): the mix the issue asks for. Filters are Filters kwargs.
QUERY_MIX: list[tuple[str, str, str, dict]] = [
    ("single term", "learning", "relevance", {}),
    ("rare term", "magnetization", "relevance", {}),
    ("AND of two", "graph neural", "relevance", {}),
    ("phrase", '"language model"', "relevance", {}),
    ("prefix", "quant*", "relevance", {}),
    ("wide prefix", "re*", "relevance", {}),
    ("fuzzy", "transformr~", "relevance", {}),
    ("field", "title:diffusion", "relevance", {}),
    ("author", "author:wang", "relevance", {}),
    ("sorted by date", "quantum", "date", {}),
    ("filters", "learning", "relevance", {"since": "2020-01-01", "categories": ["cs.LG"]}),
    ("everything, by date", "", "relevance", {}),
]
QUERY_REPS = 5
CLI_REPS = 3
#: (label, query, sort): the cold-CLI mix of issue #18, each run as
#: ``paperbrowse search --json --limit 20`` in a new process, as a user's script meets it.
CLI_MIX: list[tuple[str, str, str]] = [
    ("term", "quantization", "relevance"),
    ("AND of two", "language model", "relevance"),
    ("phrase of common words", '"large language models"', "relevance"),
    ("prefix", "quant*", "relevance"),
    ("wide prefix", "re*", "relevance"),
    ("fuzzy", "quantizaton~", "relevance"),
    ("by date", "attention", "date"),
    ("author, by upvotes", "author:Wang", "upvotes"),
]
TUI_QUERY = "diffusion model"
