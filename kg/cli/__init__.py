"""The ``kg`` command line: a thin layer over the library.

Sub-commands are imported only when run, so ``kg --help`` answers at once without loading
spaCy or rdflib.
"""

from __future__ import annotations

import atexit
import gc
import importlib

import click

from kg import __version__

#: Thresholds of CPython's cyclic garbage collector while a command runs (see below).
GC_THRESHOLDS = (50_000, 20, 20)

#: command name -> "module:attribute" of its click command.
COMMANDS: dict[str, str] = {
    "build": "kg.cli.build:build",
    "query": "kg.cli.query:query",
    "stats": "kg.cli.stats:stats",
    "eval": "kg.cli.evaluate:evaluate",
    "export": "kg.cli.export:export",
    "view": "kg.cli.view:view",
    "serve": "kg.cli.serve:serve",
    "validate": "kg.cli.validate:validate",
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def __init__(self, *args, lazy_commands: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | self.lazy_commands.keys())

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy_commands:
            module_name, attribute = self.lazy_commands[name].split(":")
            return getattr(importlib.import_module(module_name), attribute)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="paperkg")
def main() -> None:
    """paperkg: build a knowledge graph of AI research from daily paper digests.

    \b
    Typical use:
      kg build                      # the bundled samples -> output/graph.ttl, output/graph.html
      kg build digests/ -o out/     # your own digests
      kg query --name top-benchmarks
      kg export --format neo4j-csv -o neo4j/
    """
    tune_garbage_collector()


def tune_garbage_collector() -> None:
    """Collect cyclic garbage less often, and not at exit.

    A build allocates millions of small objects and almost no reference cycles, yet CPython's
    default thresholds (700, 10, 10) run a collection every 700 allocations and a full one over
    the whole heap at exit; together they cost about 0.7 s of a 3.5 s sample build
    (docs/scaling.md). Freezing the heap at exit leaves atexit handlers and module teardown as
    they are."""
    gc.set_threshold(*GC_THRESHOLDS)
    atexit.register(gc.freeze)
