"""A local replica of a Hậu Giang district news portal that knows the truth of every article.

``Portal.generate()`` builds the site, ``ReplicaServer(portal)`` serves it on 127.0.0.1, and
``portal.expected_items(base_url)`` tells what extraction must produce for each article page.
"""

from .portal import Article, Category, Portal
from .server import ReplicaServer

__all__ = ["Article", "Category", "Portal", "ReplicaServer"]
