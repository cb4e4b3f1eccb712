"""Resource lookup: full-text search over resources, with peers and suggestions.

`find` is the whole interface; the index keeps itself in step with the tables (triggers, see
migration 0003), so writers never call into this package.
"""

from storage.search.backends import MAX_RANKED
from storage.search.engine import MAX_QUERY_CHARS, Found, Hit, Peer, Volunteer, find

# Found.total counts matches up to MAX_RANKED (the newest that many are ranked): a total equal
# to it means "that many or more".
__all__ = ["MAX_QUERY_CHARS", "MAX_RANKED", "Found", "Hit", "Peer", "Volunteer", "find"]
