"""``paperbrowse mark``, ``new``, ``watch …`` and ``digest``: read state, what is new, watches.

Registered by tui/cli; thin over search/reading.py and search/watches.py. Output is plain
text (control codes stripped) or JSON through the one JSON writer.
"""

import re
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from paperbrowse.search.jsonout import json_text
from paperbrowse.search.models import Filters, Paper, QueryError
from paperbrowse.search.reading import (
    ReadState,
    Sessions,
    last_ingest_ids,
    new_ids,
    parse_since,
    resolve_ids,
)
from paperbrowse.search.serialize import paper_to_dict
from paperbrowse.search.tex2text import display_text
from paperbrowse.search.text import arxiv_abs_url
from paperbrowse.search.watches import (
    Watch,
    Watches,
    count_new_unread,
    filters_to_dict,
    new_unread,
)
from paperbrowse.tui.cli.common import IdsArg, date_option, fail, group, out, services

mark_app = group("Mark papers read or unread (any paper, bookmarked or not).")
watch_app = group(
    "Saved searches: a name for a query and filters, with a count of new unread papers."
)

SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help="Arrived in the library since: 1d, 12h, 2w or a date."),
]


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_since(value)
    except ValueError as exc:
        raise fail(f"--since: {exc}", 2) from None


def _new(svc: Any, since: datetime | None) -> tuple[list[str], str]:
    """The new papers' ids and what they are new since (said to the user)."""
    if since is not None:
        return new_ids(svc.library, since), f"since {since:%Y-%m-%d %H:%M} UTC"
    last = Sessions(svc.bookmarks).last_seen()
    if last is not None:
        return new_ids(svc.library, last), "since your last session"
    return last_ingest_ids(svc.library), "in the last ingest"


def _mark(ctx: typer.Context, ids: list[str], read: bool) -> None:
    svc = services(ctx)
    found, unknown = resolve_ids(svc.library, ids)
    if unknown:
        raise fail(f"not in the library: {', '.join(unknown)} (nothing marked)")
    # One paper named twice (its id and its link) is one paper: counted once.
    found = list(dict.fromkeys(found))
    changed = ReadState(svc.bookmarks).mark(found, read)
    state = "read" if read else "unread"
    already = len(found) - changed
    out(f"{changed} marked {state}; {already} {'was' if already == 1 else 'were'} {state} already")


@mark_app.command("read")
def mark_read(ctx: typer.Context, ids: IdsArg) -> None:
    """Mark papers read."""
    _mark(ctx, ids, True)


@mark_app.command("unread")
def mark_unread(ctx: typer.Context, ids: IdsArg) -> None:
    """Mark papers unread."""
    _mark(ctx, ids, False)


def _newest_first(paper: Paper) -> tuple:
    return (-(paper.published.toordinal() if paper.published else 0), paper.id)


def _line(paper: Paper, read: frozenset[str]) -> str:
    date = paper.published.isoformat() if paper.published else "----------"
    flag = " " if paper.id in read else "*"
    return f"{flag} {paper.id:<16} {date}  {paper.title}"


def new(
    ctx: typer.Context,
    since: SinceOpt = None,
    last_ingest: Annotated[
        bool, typer.Option("--last-ingest", help="What the latest ingest (or fetch) brought.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    ids_only: Annotated[bool, typer.Option("--ids", help="Print only the ids.")] = False,
) -> None:
    """Papers new in the library: since your last session (default), --since, or --last-ingest.
    Unread papers are starred."""
    svc = services(ctx)
    if last_ingest:
        ids, what = last_ingest_ids(svc.library), "in the last ingest"
    else:
        ids, what = _new(svc, _since(since))
    # Newest paper first (one ingest brings every paper at the same moment).
    papers = sorted(svc.library.get_many(ids), key=_newest_first)
    read = ReadState(svc.bookmarks).ids()
    if as_json:
        rows = [{**paper_to_dict(p), "read": p.id in read} for p in papers]
        typer.echo(json_text(rows))
    elif ids_only:
        for paper in papers:
            out(paper.id)
    else:
        unread = sum(p.id not in read for p in papers)
        out(f"{len(papers)} new {what} ({unread} unread)")
        for paper in papers:
            out(_line(paper, read))


def _filters(
    since: str | None, until: str | None, min_upvotes: int | None, has_code: bool
) -> Filters:
    return Filters(
        since=date_option("--published-since", since),
        until=date_option("--published-until", until, end=True),
        min_upvotes=min_upvotes,
        has_code=has_code,
    )


@watch_app.command("add")
def watch_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The watch's name.")],
    query: Annotated[str, typer.Argument(help='The query, as for search ("" = every paper).')],
    since: Annotated[
        str | None, typer.Option("--published-since", help="Published on or after.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--published-until", help="Published on or before.")
    ] = None,
    min_upvotes: Annotated[
        int | None, typer.Option("--min-upvotes", min=0, help="At least N upvotes.")
    ] = None,
    has_code: Annotated[bool, typer.Option("--has-code", help="Only papers with code.")] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace a watch of that name.")
    ] = False,
) -> None:
    """Save a search under a name."""
    svc = services(ctx)
    watch = Watch(name, query, _filters(since, until, min_upvotes, has_code))
    if not svc.library.is_empty():
        try:  # a query the index cannot read is refused now, not at every digest
            svc.library.search(query, limit=0)
        except QueryError as exc:
            raise fail(f"bad query {query!r}: {exc}", 2) from None
    try:
        saved = Watches(svc.bookmarks).add(watch, replace=replace)
    except ValueError as exc:
        raise fail(str(exc)) from None
    out(f"watching {saved.name}: {saved.describe()}")


@watch_app.command("list")
def watch_list(
    ctx: typer.Context,
    since: SinceOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """Every watch, with how many new papers it has that you have not read."""
    svc = services(ctx)
    watches = Watches(svc.bookmarks).list()
    ids, what = _new(svc, _since(since))
    new, read = frozenset(ids), ReadState(svc.bookmarks).ids()
    rows = []
    for watch in watches:
        try:
            count: int | None = count_new_unread(svc.library, watch, new, read)
        except QueryError:
            count = None
        rows.append((watch, count))
    if as_json:
        data = [
            {"name": w.name, "query": w.query, "filters": filters_to_dict(w.filters), "new": c}
            for w, c in rows
        ]
        typer.echo(json_text(data))
        return
    if not rows:
        out('no watches yet: paperbrowse watch add NAME "QUERY"')
        return
    # As the app's watch list draws it: the count first, in columns, what it counts said once.
    out(f"new unread papers {what}, per watch:")
    counts = ["?" if count is None else str(count) for _, count in rows]
    digits = max(len(c) for c in counts)
    names = max(len(w.name) for w, _ in rows)
    for (watch, _), shown in zip(rows, counts, strict=True):
        out(f"{shown:>{digits}}  {watch.name:<{names}}  {watch.describe()}")


@watch_app.command("remove")
def watch_remove(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The watch's name.")]
) -> None:
    """Forget a watch."""
    if not Watches(services(ctx).bookmarks).remove(name):
        raise fail(f"no watch named {name!r}")
    out(f"removed watch {name}")


def _link(paper: Paper) -> str:
    aid = paper.arxiv_id or None
    if aid:
        return arxiv_abs_url(aid)
    return next(iter(paper.urls), "")


def _digest_entry(paper: Paper) -> dict:
    authors = list(paper.authors)
    return {
        "id": paper.id,
        "title": paper.title,
        "authors": authors,
        "published": paper.published.isoformat() if paper.published else None,
        "upvotes": paper.upvotes,
        "link": _link(paper) or None,
        "summary": paper.ai_summary or None,
    }


def _authors(names: list[str], most: int = 4) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


#: Characters Markdown (CommonMark, and GitHub's ``~`` and ``$`` math) would read as syntax.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&$~|#])")


def _md(text: str) -> str:
    """Text from a dump as Markdown that shows it as it is: never emphasis, a link, HTML or
    math (a title such as ``S*: Test Time Scaling``, or one with a link or a tag in it)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_link(url: str) -> str:
    """A link target that cannot end early or break out: what would end it (a bracket, a
    space) percent-encoded, as a browser would send it anyway."""
    return "".join(f"%{ord(c):02X}" if c in "()<> \\\n\t" else c for c in url)


def _digest_text(sections: list[tuple[Watch, list[dict]]], since: datetime, md: bool) -> str:
    head = f"paperbrowse digest: new since {since:%Y-%m-%d %H:%M} UTC"
    lines = [f"# {head}" if md else head, ""]
    for watch, entries in sections:
        title = f"{watch.name} ({len(entries)} new)"
        lines += [f"## {_md(title)}" if md else title, ""]
        if not md:
            lines[-2] = title + "\n" + "-" * len(title)
        for e in entries:
            facts = [e["published"] or "no date"]
            if e["upvotes"] is not None:
                facts.append(f"{e['upvotes']} upvotes")
            title = display_text(e["title"])  # TeX as text, as the app and `show` print it
            if md:
                name = f"[{_md(title)}]({_md_link(e['link'])})" if e["link"] else _md(title)
                lines.append(f"- **{name}**  ")
                lines.append(f"  {_md(_authors(e['authors']))} · {' · '.join(facts)}  ")
                if e["summary"]:
                    lines.append(f"  {_md(e['summary'])}")
            else:
                lines.append(f"* {title}")
                lines.append(f"  {_authors(e['authors'])} · {' · '.join(facts)}")
                if e["link"]:
                    lines.append(f"  {e['link']}")
                if e["summary"]:
                    lines.append(f"  {e['summary']}")
        if not entries:
            lines.append("(nothing new)")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def digest(
    ctx: typer.Context,
    since: Annotated[
        str, typer.Option("--since", help="New since: 1d (default), 12h, 2w or a date.")
    ] = "1d",
    markdown: Annotated[bool, typer.Option("--markdown", help="Markdown, for email.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON, for scripts.")] = False,
) -> None:
    """The new papers per watch (title, authors, date, upvotes, link, summary), for cron."""
    svc = services(ctx)
    start = _since(since) or datetime.now(UTC)
    new = frozenset(new_ids(svc.library, start))
    sections = []
    for watch in Watches(svc.bookmarks).list():
        try:
            papers = new_unread(svc.library, watch, new, frozenset())
        except QueryError as exc:
            typer.echo(f"paperbrowse: watch {watch.name}: bad query: {exc}", err=True)
            continue
        sections.append((watch, [_digest_entry(p) for p in papers]))
    if as_json:
        data = {
            "since": start.isoformat(),
            "watches": [{"name": w.name, "query": w.query, "papers": e} for w, e in sections],
        }
        typer.echo(json_text(data))
        return
    if not sections:
        raise fail('no watches to digest: paperbrowse watch add NAME "QUERY"')
    out(_digest_text(sections, start, markdown).rstrip("\n"))
