"""The root command group: a command's module is imported only when that command is used.

Typer turns every registered command into a Click command when the app starts: it imports every
CLI module and reads every parameter of ~30 commands (~22 ms of CPU under cProfile in each cold
``paperbrowse search``, issue #18) though one command runs. This group knows the commands by
name only (a table: name -> module and attribute, in help order) and builds one when Click asks
for it: the command that runs, or all of them for ``paperbrowse --help``, which lists them.

Each command is built the way Typer would have built it on the root app: registered on a scratch
app with the root's settings (they decide the help's markup and option metavar), then turned
into Click by Typer itself, so help, errors and exit codes stay Typer's.
"""

from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import Any, ClassVar

import typer
import typer.main
from typer.core import TyperGroup

#: One command: its module in tui/cli/, the attribute holding it there (a function, or a
#: ``typer.Typer`` group), and, for a function, the attribute holding its ``command()``
#: settings (None: none).
Entry = tuple[str, str, str | None]


class LazyCommands(Mapping[str, Any]):
    """The group's commands by name: known without imports, each built on first use."""

    def __init__(self, table: Mapping[str, Entry], settings: Mapping[str, Any]) -> None:
        self._table = table
        self._settings = settings
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            module_name, attribute, settings_attribute = self._table[name]  # KeyError: unknown
            module = import_module(f"paperbrowse.tui.cli.{module_name}")
            what = getattr(module, attribute)
            scratch = typer.Typer(**self._settings)
            if isinstance(what, typer.Typer):
                scratch.add_typer(what, name=name)
            else:
                extra = getattr(module, settings_attribute) if settings_attribute else {}
                scratch.command(name, **extra)(what)
            self._built[name] = typer.main.get_group(scratch).commands[name]
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


class LazyGroup(TyperGroup):
    """A TyperGroup whose commands come from ``table`` (set by a subclass), built on demand.

    TyperGroup reads ``self.commands`` for everything (``get_command``, the names it suggests
    for a typo): a lazy mapping there keeps all of it. Only ``list_commands`` must change:
    Typer's walks ``items()``, which would build every command.
    """

    table: ClassVar[Mapping[str, Entry]] = {}
    #: The root app's Typer settings, for the scratch app each command is built on.
    settings: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        assert not self.commands, "register commands in the table, not on the app"
        self.commands = LazyCommands(self.table, self.settings)  # type: ignore[assignment]

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)
