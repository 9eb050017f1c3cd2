"""Node positions computed in Python, so the page draws at once with physics off.

igraph's Fruchterman-Reingold (its grid variant above 1,000 nodes) lays out 10,000 nodes
in well under a second (``perf_baselines.md`` section 3). igraph draws its random numbers
from a Python generator; a seeded one is installed for the call so the same graph always
gets the same, integer, positions.
"""

from __future__ import annotations

import contextlib
import random
import statistics
from collections.abc import Iterator, Sequence

import igraph

#: Seed of the layout's random generator.
SEED = 20260207
#: Median edge length on the page, in vis-network pixels.
EDGE_LENGTH = 90.0


@contextlib.contextmanager
def _seeded_igraph(seed: int) -> Iterator[None]:
    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)  # igraph's default: the random module


def layout(count: int, edges: Sequence[tuple[int, int]], seed: int = SEED) -> list[tuple[int, int]]:
    """Integer (x, y) positions for nodes ``0..count-1`` joined by ``edges``.

    Positions are scaled so that the median edge is ``EDGE_LENGTH`` pixels long.
    """
    if count == 0:
        return []
    graph = igraph.Graph(n=count, edges=list(edges), directed=False)
    with _seeded_igraph(seed):
        coords = graph.layout_fruchterman_reingold(niter=500).coords
    lengths = [
        ((coords[a][0] - coords[b][0]) ** 2 + (coords[a][1] - coords[b][1]) ** 2) ** 0.5 for a, b in edges if a != b
    ]
    median = statistics.median(lengths) if lengths else 1.0
    scale = EDGE_LENGTH / median if median > 0 else EDGE_LENGTH
    return [(round(x * scale), round(y * scale)) for x, y in coords]
