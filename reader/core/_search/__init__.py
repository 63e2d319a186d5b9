"""Full-text search of issues, highlights and notes: a Whoosh index kept as derived data.

The Library feeds ``SearchIndex`` with ``IssueDoc`` records and asks it; the database stays the
store of record, and the index folder can be deleted and rebuilt at any time.
"""

from reader.core._search.documents import IssueDoc
from reader.core._search.index import OpenSegment, SearchIndex

__all__ = ["IssueDoc", "OpenSegment", "SearchIndex"]
