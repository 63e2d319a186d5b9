"""The Whoosh schema of the search index, its version stamp and the field names the rest of search uses."""

from __future__ import annotations

from whoosh import fields

from reader.core._search.positions import WordPositions
from reader.core._search.words import WordTokenizer

SCHEMA_VERSION = "backissue-search-7"  # 4: tag, hltag, archived (#16); 5: link, cites (#17); 6: positions (#20)
# 7: issue_id as a column (smart lists read it without unpickling each document)
"""Bump when the schema or what goes into it changes: an index with another stamp is rebuilt."""

ANALYZER = WordTokenizer()
"""Every text field is analysed alike, so a query word, a snippet and a match span agree (``words``)."""

# Words without a field are matched against TEXT alone: one posting list per word is what keeps a
# search fast in pure-Python Whoosh (a union over five fields cost four times as much). TEXT holds an
# issue's title (three times: the title boost), its headings (twice) and its body; a highlight's quote;
# a note's text. The other fields serve explicit filters (title:, section:, highlight:, note:...).
TEXT = "text"
HEADINGS = "headings"
HIGHLIGHT = "highlight"
NOTE = "note"
COLOR = "color"
HLTAG = "hltag"
CONTENT_FIELDS = frozenset({TEXT, HEADINGS, HIGHLIGHT, NOTE, COLOR, HLTAG})
"""A query with no word in these fields is a filter on issues only (not on their highlights)."""
SCORED_FIELDS = frozenset({TEXT, HEADINGS, HIGHLIGHT, NOTE, "title", "publication", "author"})
"""Text fields ranked with BM25F (the others are filters without a relevance score)."""
MARKED_FIELDS = frozenset({TEXT, HEADINGS, HIGHLIGHT, NOTE, "title"})
"""Fields whose query words are marked in snippets and in the reading pane."""
TITLE_REPEATS = 3
HEADING_REPEATS = 2

FIELD_ALIASES = {HEADINGS: ["section"]}
"""``section:word`` searches the section headings."""

KINDS = ("issue", "highlight", "note")


LINK = "link"
"""The cited works' sites (and parent domains), keys and ids: ``link:arxiv.org``, ``link:2212.06817``."""
CITES = "cites"
"""The link texts and cited titles: ``cites:"RT-1"``."""

DATE_PART = "date_part"
"""The year and the year-month of an issue's date ("2023 2023-01"): date:2023 is then one term."""


def build_schema() -> fields.Schema:
    """The schema: one document per issue (its whole text) and one per highlight and per note.

    Issue metadata (publication, title, author, number, date, is:, has:) is on every document of an
    issue, so a filter such as ``publication:superfast`` applies to its highlights and notes too.
    """
    text = _text_field(stored=False)
    stored_text = _text_field(stored=True)
    return fields.Schema(
        **{"is": fields.KEYWORD(lowercase=True, scorable=False)},
        key=fields.ID(unique=True, stored=True),
        issue_id=fields.ID(stored=True, sortable=True),  # a column: ids of many hits read fast
        kind=fields.ID(stored=True),
        highlight_id=fields.STORED(),
        texts=fields.STORED(),
        stems=fields.STORED(),
        text=text,
        headings=text,
        highlight=text,
        note=text,
        color=fields.KEYWORD(lowercase=True, scorable=False),
        title=stored_text,
        publication=stored_text,
        author=text,
        number=fields.NUMERIC(int, bits=64, signed=True, stored=True),
        date=fields.ID(stored=True, sortable=True),
        date_part=fields.KEYWORD(scorable=False),
        has=fields.KEYWORD(lowercase=True, scorable=False),
        tag=fields.KEYWORD(lowercase=True, scorable=False),  # the issue's tags, on each of its documents
        hltag=fields.KEYWORD(lowercase=True, scorable=False),  # a highlight's tags, on its documents
        # links (issue #17): link:arxiv.org, link:2212.06817 (LINK), cites:"RT-1" (the anchor texts, CITES)
        link=fields.KEYWORD(lowercase=True, scorable=False),
        cites=text,
    )


def _text_field(stored: bool) -> fields.TEXT:
    """A text field analysed by ``ANALYZER``, its positions computed in one pass (``WordPositions``)."""
    field = fields.TEXT(analyzer=ANALYZER, stored=stored)
    field.format = WordPositions(field_boost=field.format.field_boost)
    return field
