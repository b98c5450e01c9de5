"""``paperbrowse top`` (the most upvoted papers of a week or a month, by the day Hugging Face
featured them) and ``paperbrowse trend`` (papers per month, one bar each, plain text)."""

import shutil
from datetime import date
from typing import Annotated

import typer
from paperbrowse.search.jsonout import json_text
from paperbrowse.search.models import Filters, QueryError
from paperbrowse.search.periods import Period, month_of, months_between, parse_period, week_of
from paperbrowse.search.serialize import paper_to_dict
from paperbrowse.search.tex2text import tex_to_text
from paperbrowse.tui.cli.common import date_option, fail, plain, quoted, services


def top(
    ctx: typer.Context,
    period: Annotated[
        str | None,
        typer.Argument(
            metavar="[YYYY-Www|YYYY-MM]",
            help="Which week or month (default: the current one).",
            show_default=False,
        ),
    ] = None,
    by_week: Annotated[bool, typer.Option("--week", help="A week (the default).")] = False,
    by_month: Annotated[bool, typer.Option("--month", help="A month.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many papers.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The most upvoted papers featured on Hugging Face in a week or a month."""
    if by_week and by_month:
        raise fail("--week and --month: choose one", 2)
    kind = "month" if by_month else "week" if by_week else None
    try:
        chosen = _period(period, kind, date.today())
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    library = services(ctx).library
    filters = Filters(featured_since=chosen.first, featured_until=chosen.last)
    result = library.search("", filters, sort="upvotes", limit=limit, all_ids=False)
    if as_json:
        data = {
            "period": chosen.name,
            "first": chosen.first.isoformat(),
            "last": chosen.last.isoformat(),
            "total": result.total,
            "papers": [paper_to_dict(h.paper) for h in result.hits],
        }
        typer.echo(json_text(data))
        return
    span = f"{chosen.name} ({chosen.first.isoformat()} – {chosen.last.isoformat()})"
    if not result.hits:
        latest = library.featured_bounds()[1] if not library.is_empty() else None
        hint = ""
        if latest is not None:
            nearest = week_of(latest) if chosen.kind == "week" else month_of(latest)
            hint = f"; the latest featured day is {latest.isoformat()} (top {nearest.name})"
        typer.echo(f"No papers featured in {span}{hint}.", err=True)
        return
    typer.echo(f"Top papers featured in {span}, by upvotes")
    width = shutil.get_terminal_size((100, 24)).columns
    up = max(len(str(h.paper.upvotes or 0)) for h in result.hits)
    rank = len(str(len(result.hits)))
    title_width = max(20, width - rank - up - 16)
    for n, hit in enumerate(result.hits, 1):
        p = hit.paper
        title = ("[withdrawn] " if p.withdrawn else "") + plain(tex_to_text(p.title))
        if len(title) > title_width:
            title = title[: title_width - 1] + "…"
        day = p.featured.isoformat() if p.featured else "-"
        typer.echo(f"{n:>{rank}}  {p.upvotes or 0:>{up}}  {day}  {title}".rstrip())
    if result.total > len(result.hits):
        typer.echo(f"{len(result.hits)} of {result.total} papers (--limit for more)", err=True)


def _period(text: str | None, kind: str | None, today: date) -> Period:
    if text:
        return parse_period(text, kind)
    return month_of(today) if kind == "month" else week_of(today)


#: The longest bar ``trend`` draws, and the eighths that end a bar.
_BAR_MAX = 50
_EIGHTHS = " ▏▎▍▌▋▊▉"


def trend(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help="What to count (default: every paper).", show_default=False)
    ] = "",
    since: Annotated[str | None, typer.Option("--since", help="Published on or after.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Published on or before.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: month → count.")] = False,
) -> None:
    """Papers per month (by their date) for a query or the whole library: one bar a month."""
    filters = Filters(
        since=date_option("--since", since), until=date_option("--until", until, end=True)
    )
    library = services(ctx).library
    try:
        counts = library.month_counts(query, filters)
        # Papers without a date are in no month: said, so that the count matches `search`.
        matching = library.search(query, filters, sort="date", limit=0, all_ids=False).total
    except QueryError as exc:
        raise fail(str(exc)) from None
    months = months_between(counts)
    if as_json:
        typer.echo(json_text(dict(months)))
        return
    if not months:
        what = f" match {quoted(query)}" if query.strip() else " in the library have a date"
        typer.echo(f"No papers{what}.", err=True)
        return
    width = shutil.get_terminal_size((80, 24)).columns
    most = max(n for _, n in months)
    digits = len(str(most))
    room = max(10, min(_BAR_MAX, width - 7 - digits - 3))
    for name, n in months:
        typer.echo(f"{name}  {n:>{digits}}  {bar(n, most, room)}".rstrip())
    total = sum(n for _, n in months)
    undated = f" ({matching - total} without a date left out)" if matching > total else ""
    typer.echo(f"{total} papers in {len(months)} months{undated}", err=True)


def bar(value: int, most: int, room: int) -> str:
    """A bar of block characters ``room`` cells long at ``most``, in eighths of a cell; any
    non-zero value shows at least a sliver."""
    if value <= 0 or most <= 0:
        return ""
    eighths = max(1, round(value * room * 8 / most))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")
