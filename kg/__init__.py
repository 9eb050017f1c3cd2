"""paperkg: knowledge graphs of AI research literature from daily paper digests."""

__version__ = "0.1.0"
