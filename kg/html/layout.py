"""Node positions computed in Python, so the page draws at once with physics off.

igraph's Fruchterman-Reingold (its grid variant above 300 nodes) lays out 10,000 nodes
in well under a second (``perf_baselines.md`` section 3). igraph draws its random numbers
from a Python generator; a seeded one is installed for the call so the same graph always
gets the same, integer, positions.
"""

from __future__ import annotations

import contextlib
import math
import random
import statistics
from collections.abc import Iterator, Sequence

import igraph

#: Node count above which the grid variant (repulsion from nearby cells only) is used;
#: igraph's own threshold is 1,000, where the exact variant takes ~2.5 s.
GRID_ABOVE = 300
#: Seed of the layout's random generator.
SEED = 20260207
#: Radius of the drawing, in vis-network pixels, per square root of the node count: the
#: page's fit-to-screen zoom then shows only the labels of the biggest nodes.
SPREAD = 30.0
#: Nodes farther from the centre than this quantile of all distances are pulled in.
STRAGGLER_QUANTILE = 0.97


@contextlib.contextmanager
def _seeded_igraph(seed: int) -> Iterator[None]:
    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)  # igraph's default: the random module


def layout(count: int, edges: Sequence[tuple[int, int]], seed: int = SEED) -> list[tuple[int, int]]:
    """Integer (x, y) positions for nodes ``0..count-1`` joined by ``edges``.

    Positions are centred and scaled to a radius of ``SPREAD * sqrt(count)`` pixels.
    """
    if count == 0:
        return []
    graph = igraph.Graph(n=count, edges=list(edges), directed=False)
    with _seeded_igraph(seed):
        coords = graph.layout_fruchterman_reingold(niter=500, grid=count > GRID_ABOVE).coords
    coords, radius = _pull_in_stragglers(coords)
    scale = SPREAD * math.sqrt(count) / radius if radius > 0 else 1.0
    return [(round(x * scale), round(y * scale)) for x, y in coords]


def _pull_in_stragglers(coords: list[list[float]]) -> tuple[list[tuple[float, float]], float]:
    """Move far-flung small components close to the main one, keeping their direction.

    Fruchterman-Reingold pushes disconnected pieces far out, which shrinks the whole view
    when the page fits the graph to the screen. Distances beyond the quantile radius are
    compressed logarithmically. Returns the centred positions and that radius.
    """
    cx = statistics.fmean(x for x, _ in coords)
    cy = statistics.fmean(y for _, y in coords)
    radii = sorted(math.hypot(x - cx, y - cy) for x, y in coords)
    limit = radii[min(len(radii) - 1, int(len(radii) * STRAGGLER_QUANTILE))]
    pulled = []
    for x, y in coords:
        radius = math.hypot(x - cx, y - cy)
        if limit > 0 and radius > limit:
            factor = (limit + limit * 0.15 * math.log1p((radius - limit) / limit)) / radius
        else:
            factor = 1.0
        pulled.append(((x - cx) * factor, (y - cy) * factor))
    return pulled, limit
