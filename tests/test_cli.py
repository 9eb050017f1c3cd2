"""The command line as a whole: options mean the same in every command, help reads whole."""

from __future__ import annotations

import click
from click.testing import CliRunner

from kg.cli import COMMANDS, main


def commands() -> dict[str, click.Command]:
    ctx = click.Context(main)
    return {name: main.get_command(ctx, name) for name in COMMANDS}


def options(command: click.Command) -> list[click.Option]:
    return [param for param in command.params if isinstance(param, click.Option)]


def test_every_command_reading_a_graph_takes_it_as_g_or_graph():
    for name, command in commands().items():
        for option in options(command):
            if "--graph" in option.opts:
                assert "-g" in option.opts, f"kg {name} --graph has no -g"
    readers = {name for name, command in commands().items()
               if any("--graph" in option.opts for option in options(command))}
    assert readers == set(COMMANDS) - {"build"}


def test_a_short_option_means_the_same_in_every_command():
    meanings: dict[str, dict[str, set[str]]] = {}
    for name, command in commands().items():
        for option in options(command):
            longs = {opt for opt in option.opts + option.secondary_opts if opt.startswith("--")}
            for short in (opt for opt in option.opts if not opt.startswith("--")):
                meanings.setdefault(short, {})[name] = longs
    for short, by_command in meanings.items():
        shared = set.intersection(*by_command.values())
        assert shared, f"{short} means {by_command}"


def test_help_summaries_end_in_whole_words():
    out = CliRunner().invoke(main, ["--help"], terminal_width=80)
    assert out.exit_code == 0
    summaries = out.output.split("Commands:", 1)[1].strip().splitlines()
    assert len(summaries) == len(COMMANDS)
    for line in summaries:
        assert not line.rstrip().endswith("..."), line
