"""Resource lookup: full-text search over resources, with peers and suggestions.

`find` is the whole interface; the index keeps itself in step with the tables (triggers, see
migration 0003), so writers never call into this package.
"""

from storage.search.engine import MAX_QUERY_CHARS, Found, Hit, Peer, Volunteer, find

__all__ = ["MAX_QUERY_CHARS", "Found", "Hit", "Peer", "Volunteer", "find"]
