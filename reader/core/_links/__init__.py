"""The link and citation index: what the newsletters point to (issue #17)."""

from reader.core._links.extract import FoundCitation, cited_texts, extract_citations, link_terms, title_key
from reader.core._links.store import LinkIndex
from reader.core._links.urls import WorkRef, clean_url, link_term, work_from_query, work_of

__all__ = [
    "FoundCitation",
    "LinkIndex",
    "WorkRef",
    "cited_texts",
    "clean_url",
    "extract_citations",
    "link_term",
    "link_terms",
    "title_key",
    "work_from_query",
    "work_of",
]
