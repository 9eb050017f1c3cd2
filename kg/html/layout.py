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
from collections import defaultdict
from collections.abc import Iterator, Sequence

import igraph
import numpy as np

#: Node count above which the grid variant (repulsion from nearby cells only) is used;
#: igraph's own threshold is 1,000, where the exact variant takes ~2.5 s.
GRID_ABOVE = 300
#: Seed of the layout's random generator.
SEED = 20260207
#: Radius of the drawing, in vis-network pixels, per square root of the node count: the
#: page's fit-to-screen zoom then shows only the labels of the biggest nodes.
SPREAD = 30.0
#: Free space kept around a node of the map, in vis-network pixels.
GAP = 6.0
#: Turning by the golden angle spreads points evenly (spirals, coincident points).
GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
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


def community_layout(
    count: int, edges: Sequence[tuple[int, int, int]], radii: Sequence[float], seed: int = SEED
) -> tuple[list[tuple[int, int]], list[int]]:
    """Positions and communities of nodes ``0..count-1`` joined by weighted ``edges``.

    Communities are igraph's multilevel (Louvain) modularity classes of the weighted graph,
    numbered by size. Each community is laid out on its own (Fruchterman-Reingold) and its
    nodes pushed off the nodes they overlap (``radii``), so that a click always hits the node
    drawn there; the communities are then packed as discs, each next to those it links to
    (:func:`_pack`). The same input gives the same output.
    """
    if count == 0:
        return [], []
    graph = igraph.Graph(n=count, edges=[(a, b) for a, b, _ in edges], directed=False)
    weights = [float(w) for _, _, w in edges]
    graph.es["weight"] = weights
    with _seeded_igraph(seed):
        membership = graph.community_multilevel(weights="weight" if weights else None).membership
        groups: dict[int, list[int]] = {}
        for node, group in enumerate(membership):
            groups.setdefault(group, []).append(node)
        ordered = sorted(groups.values(), key=lambda nodes: (-len(nodes), nodes[0]))
        community = [0] * count
        for number, nodes in enumerate(ordered):
            for node in nodes:
                community[node] = number
        local, extent = [], []
        for nodes in ordered:
            coords = [[0.0, 0.0]]
            if len(nodes) > 1:
                sub = graph.induced_subgraph(nodes)
                coords = sub.layout_fruchterman_reingold(niter=300, weights="weight" if sub.ecount() else None).coords
            local.append(_separate(_fit(coords, nodes, radii), [radii[n] + GAP for n in nodes]))
            extent.append(max(math.hypot(x, y) + radii[n] for n, (x, y) in zip(nodes, local[-1])))
    links: dict[tuple[int, int], float] = defaultdict(float)
    for (a, b, _), weight in zip(edges, weights):
        if community[a] != community[b]:
            links[community[a], community[b]] += weight
            links[community[b], community[a]] += weight
    centres = _pack(extent, links)
    positions = [(0.0, 0.0)] * count
    for (cx, cy), nodes, coords in zip(centres, ordered, local):
        for node, (x, y) in zip(nodes, coords):
            positions[node] = (cx + x, cy + y)
    return [(round(x), round(y)) for x, y in positions], community


def _fit(coords: Sequence[Sequence[float]], nodes: Sequence[int], radii: Sequence[float]) -> list[tuple[float, float]]:
    """Centre a community's layout and scale it so that its nodes' area fills about half of it."""
    cx = statistics.fmean(x for x, _ in coords)
    cy = statistics.fmean(y for _, y in coords)
    spread = max((math.hypot(x - cx, y - cy) for x, y in coords), default=0.0)
    wanted = 1.6 * math.sqrt(sum(radii[n] ** 2 for n in nodes))
    scale = wanted / spread if spread > 0 else 1.0
    return [((x - cx) * scale, (y - cy) * scale) for x, y in coords]


def _pack(extents: Sequence[float], links: dict[tuple[int, int], float]) -> list[tuple[float, float]]:
    """Centres for discs of radius ``extents`` (largest first), none overlapping another: each
    goes to the free spot nearest the weighted centre of the placed discs it links to (the
    origin when none), searched on a spiral, so linked communities sit side by side and
    unlinked ones fill the gaps around the middle."""
    centres = np.zeros((len(extents), 2))
    radii = np.asarray(extents, dtype=float)
    turns = np.arange(4096)
    spiral = np.stack([np.sqrt(turns) * np.cos(turns * GOLDEN_ANGLE), np.sqrt(turns) * np.sin(turns * GOLDEN_ANGLE)], axis=1)
    for disc in range(1, len(extents)):
        weights = [(links.get((disc, other), 0.0), other) for other in range(disc)]
        total = sum(w for w, _ in weights)
        target = sum((w * centres[o] for w, o in weights if w), np.zeros(2)) / total if total else np.zeros(2)
        step = max(radii[disc] * 0.5, 4.0)
        while True:
            candidates = target + spiral * step
            gaps = np.hypot(candidates[:, None, 0] - centres[None, :disc, 0], candidates[:, None, 1] - centres[None, :disc, 1])
            free = (gaps >= radii[None, :disc] + radii[disc] + 2 * GAP).all(axis=1)
            if free.any():
                centres[disc] = candidates[int(np.argmax(free))]
                break
            step *= 2
    return [(float(x), float(y)) for x, y in centres]


def _separate(points: Sequence[tuple[float, float]], radii: Sequence[float], rounds: int = 100) -> list[tuple[float, float]]:
    """Push apart every two discs (``points``, ``radii``) that overlap, half the overlap each,
    until none does (or ``rounds`` have passed). Coincident points part in a fixed direction."""
    xy = np.array(points, dtype=float).reshape(-1, 2)
    r = np.asarray(radii, dtype=float)
    n = len(xy)
    if n < 2:
        return [tuple(p) for p in xy.tolist()]
    angle = np.arange(n) * GOLDEN_ANGLE  # distinct directions for coincident points
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        overlap = (r[:, None] + r[None, :]) - dist
        np.fill_diagonal(overlap, -1.0)
        if (overlap <= 1e-6).all():
            break
        same = dist < 1e-9
        unit = np.where(same[..., None], np.stack([np.cos(angle)[:, None] - np.cos(angle)[None, :],
                                                    np.sin(angle)[:, None] - np.sin(angle)[None, :]], axis=-1), delta)
        norm = np.hypot(unit[..., 0], unit[..., 1])
        norm[norm == 0] = 1.0
        push = np.clip(overlap, 0.0, None)[..., None] * 0.5 * unit / norm[..., None]
        xy += push.sum(axis=1)
    return [tuple(p) for p in xy.tolist()]


def nudge_apart(positions: Sequence[tuple[int, int]], radii: Sequence[float]) -> list[tuple[int, int]]:
    """Move every node that shares its position with an earlier one out to a free spot next
    to it (a spiral of the node's radius), so that no two nodes of a large drawing coincide
    and a click selects the node drawn there."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for (x, y), radius in zip(positions, radii):
        step, turn = max(2, round(radius)), 0
        spot = (x, y)
        while spot in taken:
            turn += 1
            angle = turn * GOLDEN_ANGLE
            spot = (x + round(step * math.sqrt(turn) * math.cos(angle)), y + round(step * math.sqrt(turn) * math.sin(angle)))
        taken.add(spot)
        placed.append(spot)
    return placed
