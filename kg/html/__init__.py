"""The interactive, offline HTML view of a paperkg graph.

    >>> from kg.html import render_html, render_view, write_html
    >>> html = render_html(graph)                              # the whole graph
    >>> write_html(graph, "graph.html")                        # the same, streamed to a file
    >>> html = render_view(graph, "HELMET", hops=2, types=["Model", "Benchmark"])
"""

from kg.html.model import UnknownNameError
from kg.html.page import render_html, render_view, write_html

__all__ = ["UnknownNameError", "render_html", "render_view", "write_html"]
