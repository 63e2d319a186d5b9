"""SearchIndex: the Whoosh index the Library feeds with issues, highlights and notes, and asks."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from whoosh import collectors, writing
from whoosh import query as wquery
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError

from reader.core._search.conjunction import ConjunctionRanker, conjunction_of
from reader.core._search.documents import IssueDoc, issue_documents
from reader.core._search.folder import _TOC_NAME, open_folder
from reader.core._search.query import cleaned_text, make_parser, parse_query
from reader.core._search.schema import build_schema
from reader.core._search.snippets import QueryTerms, find_matches, make_snippet, match_spans, section_snippet
from reader.core._search.spelling import suggest
from reader.core._search.writer import SegmentWriter, tiered_merge
from reader.core.errors import QueryError, SearchIndexError
from reader.core.types import SearchHit, TextSpan

WRITER_MEMORY_MB = 32
SMALL_MERGE_BUDGET = 500
"""Documents a small write (a highlight, a note, a few new issues) may rewrite in merges: about a second."""
WRITER_LOCK_TIMEOUT = 5.0
SEARCHER_ATTEMPTS = 3
PROGRESS_EVERY = 50
_KIND_ORDER = {"issue": 0, "highlight": 1, "note": 2}


class SearchIndex:
    """The search index in one folder: derived data, rebuilt from the database whenever in doubt.

    Call ``open()`` first. One long-lived searcher answers queries and is refreshed after each write.
    """

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._ix: Any = None
        self._searcher: Any = None
        self._parser = make_parser(build_schema())
        self._ranker = ConjunctionRanker()
        self.merge_budget = SMALL_MERGE_BUDGET

    # -- lifecycle ---------------------------------------------------------------------------------
    def open(self) -> str | None:
        """Open the index, creating it if missing.

        Returns:
            None when the index is usable as it is; otherwise a message in words (missing, made by an
            older version, damaged, folder unusable): the index has then been reset to empty and the
            caller should ``rebuild`` it. Never raises for a bad folder, and deletes nothing in it but
            Whoosh's own files and the schema stamp.
        """
        self.close()
        self._ix, message = open_folder(self.index_dir)
        self._searcher = self._ix.searcher()
        return message

    def close(self) -> None:
        """Release the searcher and the index (open() may be called again)."""
        if self._searcher is not None:
            self._searcher.close()
        if self._ix is not None:
            self._ix.close()
        self._searcher = self._ix = None

    # -- writing -----------------------------------------------------------------------------------
    def rebuild(self, docs: Iterable[IssueDoc], progress: Callable[[int], bool | None] | None = None) -> bool:
        """Replace the whole index with ``docs``, in one writer.

        Args:
            docs: every issue of the library.
            progress: called with the number of issues done so far; returning False cancels.

        Returns:
            True when done; False when cancelled (the index then keeps what it held before).
        """
        count = 0
        with self._writing(mergetype=writing.CLEAR) as writer:
            for doc in docs:
                for whoosh_doc in issue_documents(doc):
                    writer.add_document(**whoosh_doc)
                count += 1
                if progress is not None and count % PROGRESS_EVERY == 0 and progress(count) is False:
                    writer.cancel()
                    return False
        if progress is not None:
            progress(count)
        return True

    def update(self, docs: Iterable[IssueDoc]) -> None:
        """Add these issues, or replace them with their highlight and note documents.

        At most ``merge_budget`` documents of older segments are rewritten into the new segment
        (``writer.tiered_merge``); see ``merging`` for a large import.
        """
        segment = self.open_segment()
        try:
            segment.add(docs)
        except BaseException:
            segment.cancel()
            raise
        segment.commit()

    def open_segment(self) -> OpenSegment:
        """A writer to which several batches of issues are added before they become one segment.

        A large catch-up writes fewer, larger segments this way: Whoosh merges segments by
        re-adding every posting, which costs more than indexing the documents did. Call
        ``commit`` (or ``cancel``) on it; until then other writers wait at the index's lock.
        """
        ix = self._require_open()
        try:
            writer = SegmentWriter(ix, limitmb=WRITER_MEMORY_MB, timeout=WRITER_LOCK_TIMEOUT)
        except LockError as exc:
            raise SearchIndexError("The search index is being written by another Back Issue window") from exc
        return OpenSegment(self, writer)

    def delete(self, issue_ids: Iterable[str]) -> None:
        """Remove these issues and their highlights and notes from the index."""
        ids = list(dict.fromkeys(issue_ids))
        if not ids:
            return
        with self._writing() as writer:
            _delete_issues(writer, ids)

    @contextmanager
    def merging(self, budget: int) -> Iterator[None]:
        """Within the block, writes may rewrite up to ``budget`` documents in merges (a large import)."""
        before, self.merge_budget = self.merge_budget, max(budget, SMALL_MERGE_BUDGET)
        try:
            yield
        finally:
            self.merge_budget = before

    def merge(self, budget: int) -> None:
        """Merge segments as ``tiered_merge(budget)`` would after a write, with nothing new to add.

        Small writes leave larger merges undone (their budget is small): this does them, e.g. when idle.
        """
        with self._writing(tiered_merge(budget)):
            pass

    def segment_sizes(self) -> list[int]:
        """The number of documents (deleted ones included) in each segment of the index."""
        return [segment.doc_count_all() for segment in self._require_open()._segments()]

    @contextmanager
    def _writing(self, mergetype: Any = None) -> Iterator[Any]:
        """One writer, committed at the end (unless cancelled), then the searcher sees the change."""
        segment = self.open_segment()
        try:
            yield segment.writer
        except BaseException:
            segment.cancel()
            raise
        segment.commit(mergetype)

    def _new_searcher(self) -> None:
        """Replace the searcher with one on the latest commit (of this process or another).

        A fresh searcher rather than refresh(): refresh reuses segment readers but leaves some of the
        old ones open (their files then close only when collected). Another process may delete a
        segment between our reading its table of contents and opening it: then read the newer one.
        """
        ix = self._require_open()
        for attempt in range(SEARCHER_ATTEMPTS):
            try:
                searcher = ix.searcher()
                break
            except OSError:
                if attempt + 1 == SEARCHER_ATTEMPTS:
                    raise
                time.sleep(0.05)
        self._searcher.close()
        self._searcher = searcher

    def _fresh(self) -> Any:
        """The searcher, first renewed if another process (a background job) has committed since."""
        self._require_open()
        try:
            if not self._searcher.up_to_date():
                self._new_searcher()
        except OSError as exc:
            raise SearchIndexError(f"The search index could not be read ({exc.strerror})") from exc
        return self._searcher

    # -- reading -----------------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20, sort: Literal["score", "date"] = "score",
               color_aliases: Mapping[str, str] | None = None) -> list[SearchHit]:
        """Search issues, highlights and notes.

        Args:
            query: what was typed (words, "phrases", AND/OR/NOT, field:value filters, prefix*).
            limit: at most this many hits.
            sort: "score" (best first) or "date" (newest first, issues without a date last).
            color_aliases: colour label -> colour key, so ``color:"Key idea"`` finds that colour.

        Returns:
            One hit per issue whose text matches (with its best section), and one per matching highlight
            or note; a query of only common words or operators returns []. Scores are 0.0 when sorted
            by date.

        Raises:
            QueryError: the query is blank or cannot be understood (the message says why).
        """
        self._fresh()
        q = parse_query(self._parser, query, color_aliases)
        if isinstance(q, type(wquery.NullQuery)) or limit <= 0:
            return []
        terms = QueryTerms.from_query(q)
        with _read_errors():
            hits = _dedupe(_to_hit(fields, score, terms) for fields, score in self._ranked(q, limit, sort))
        if sort == "date":  # within one date (one issue), the issue before its highlights and notes
            hits.sort(key=lambda hit: _KIND_ORDER[hit.kind])
            hits.sort(key=lambda hit: hit.date or "", reverse=True)
        return hits

    def _ranked(self, q: wquery.Query, limit: int, sort: str) -> Iterator[tuple[Mapping[str, Any], float]]:
        """(stored fields, score) of the best ``limit`` documents; words and phrases take the fast path."""
        conj = conjunction_of(q) if sort == "score" else None
        ranked = self._ranker.rank(self._searcher, conj, limit) if conj is not None else None
        if ranked is not None:
            for score, docnum in ranked:
                yield self._searcher.stored_fields(docnum), score
            return
        if sort == "date":
            # Sorted by date, Whoosh puts the sort key where the score would be: there is no score.
            for hit in self._searcher.search(q, limit=limit, sortedby="date", reverse=True):
                yield hit.fields(), 0.0
            return
        collector = _TopCollector(limit=limit)
        self._searcher.search_with_collector(q, collector)
        for hit in collector.results():
            yield hit.fields(), hit.score

    def count(self, query: str, color_aliases: Mapping[str, str] | None = None) -> int:
        """How many hits ``search`` would return with no limit (issues, highlights and notes).

        Reads every match's document number (no scores, no snippets): a common word at 10,000 issues
        is read in a few milliseconds; a phrase compares the positions of every candidate.

        Raises:
            QueryError: as for ``search``.
        """
        searcher = self._fresh()
        q = parse_query(self._parser, query, color_aliases)
        if isinstance(q, type(wquery.NullQuery)):
            return 0
        with _read_errors():
            return sum(1 for _ in searcher.docs_for_query(q))

    def issue_ids(self, query: str, color_aliases: Mapping[str, str] | None = None, ranked: bool = False) -> list[str]:
        """The distinct issues the query matches (by their text, highlights or notes), for smart lists.

        Best match first when ``ranked``; otherwise in index order. No snippets are made.

        Raises:
            QueryError: as for ``search``.
        """
        searcher = self._fresh()
        q = parse_query(self._parser, query, color_aliases)
        if isinstance(q, type(wquery.NullQuery)):
            return []
        with _read_errors():
            docnums = [hit.docnum for hit in searcher.search(q, limit=None)] if ranked else searcher.docs_for_query(q)
            return list(dict.fromkeys(_issue_ids_of(searcher, docnums)))

    def suggest(self, query: str, color_aliases: Mapping[str, str] | None = None) -> str | None:
        """``query`` with its words that no issue holds replaced by the nearest words that one does.

        None when every word is known or nothing near is ("Did you mean: robots" for ``robts``).

        Raises:
            QueryError: as for ``search``.
        """
        searcher = self._fresh()
        text = cleaned_text(query)
        q = parse_query(self._parser, text, color_aliases)
        if isinstance(q, type(wquery.NullQuery)):
            return None
        with _read_errors():
            return suggest(searcher, q, text)

    def match_spans(self, query: str, text: str) -> list[TextSpan]:
        """Where the query's words occur in ``text`` (stemmed, prefixes, each word of a phrase).

        Raises:
            QueryError: as for ``search``.
        """
        q = parse_query(self._parser, query)
        return match_spans(QueryTerms.from_query(q), text)

    def doc_count(self) -> int:
        """The number of issues in the index."""
        return sum(1 for _ in self._fresh().docs_for_query(wquery.Term("kind", "issue")))

    def _require_open(self) -> Any:
        if self._ix is None:
            raise SearchIndexError("The search index is not open")
        return self._ix

    # -- links: related issues and topics over time (issue #17) ------------------------------------
    def more_like(self, issue_id: str, text: str, top: int = 10, numterms: int = 25) -> list[tuple[str, float]]:
        """Issues most like one: Whoosh's more-like-this over the key terms of ``text`` (its plain text)
        in the TEXT field; (issue id, score) best first, the issue itself left out."""
        searcher = self._fresh()
        with _read_errors():
            terms = searcher.key_terms_from_text("text", text, numterms=numterms)
            if not terms:
                return []
            top_weight = max(weight for _, weight in terms) or 1.0
            q = wquery.Or([wquery.Term("text", word, boost=weight / top_weight) for word, weight in terms])
            issues_only = wquery.And([wquery.Term("kind", "issue"), wquery.Not(wquery.Term("issue_id", issue_id))])
            hits = searcher.search(q, limit=top, filter=issues_only)
            return [(hit["issue_id"], float(hit.score)) for hit in hits]

    def matching_issues(self, query: str, color_aliases: Mapping[str, str] | None = None
                        ) -> list[tuple[str, str | None, str]]:
        """(issue id, date, publication) of every issue matching ``query`` (once, whatever matched in it).

        Raises:
            QueryError: as for ``search``.
        """
        searcher = self._fresh()
        q = parse_query(self._parser, query, color_aliases)
        if isinstance(q, type(wquery.NullQuery)):
            return []
        with _read_errors():
            firsts: dict[str, int] = {}  # each issue's first matching document: its fields are read once
            docnums = list(searcher.docs_for_query(q))
            for issue_id, docnum in zip(_issue_ids_of(searcher, docnums), docnums, strict=True):
                firsts.setdefault(issue_id, docnum)
            found = []
            for issue_id, docnum in firsts.items():
                fields = searcher.stored_fields(docnum)
                found.append((issue_id, fields.get("date"), fields.get("publication", "")))
        return found

    # -- checks against the database (added for `check` and a deleted index folder) ----------------
    def vanished(self) -> bool:
        """True when the index folder lost its index under us (deleted while open); then ``open()`` again."""
        if self._ix is None or not isinstance(self._ix.storage, FileStorage):
            return False  # an in-memory index (unusable folder) cannot vanish
        try:
            names = os.listdir(self.index_dir)
        except OSError:
            return True
        return not any(_TOC_NAME.match(name) for name in names)

    def stored_keys(self) -> set[str]:
        """The key of every live document: an issue id, ``<id>/note``, ``<id>/h/<hl>``, ``<id>/n/<hl>``."""
        reader = self._fresh().reader()
        keys = set()
        for btext in reader.lexicon("key"):
            if any(not reader.is_deleted(doc) for doc in reader.postings("key", btext).all_ids()):
                keys.add(btext.decode("utf-8"))
        return keys


class _TopCollector(collectors.TopCollector):  # type: ignore[misc]
    """Whoosh's top-N collector, told its minimum score as soon as it holds ``limit`` documents.

    Whoosh only updates that minimum when a better document replaces one, so with equal scores (a
    prefix alone: every document scores the same) it never skipped anything and read every segment.
    A document scoring no more than the minimum can never enter, so skipping it changes nothing.
    """

    def _collect(self, global_docnum: int, score: float) -> float:
        key = float(super()._collect(global_docnum, score))
        if len(self.items) >= self.limit:
            self.minscore = self.items[0][0]
        return key


class OpenSegment:
    """A Whoosh writer being filled with issues (``SearchIndex.open_segment``)."""

    def __init__(self, index: SearchIndex, writer: Any) -> None:
        self._index = index
        self.writer = writer

    def add(self, docs: Iterable[IssueDoc]) -> None:
        """Add these issues (replacing their documents already committed), with their highlights and notes."""
        latest = {doc.issue.id: doc for doc in docs}
        _delete_issues(self.writer, list(latest))
        for doc in latest.values():
            for whoosh_doc in issue_documents(doc):
                self.writer.add_document(**whoosh_doc)

    def commit(self, mergetype: Any = None) -> None:
        """Write the segment (merging older ones as the index's merge budget allows); searches then see it."""
        if not self.writer.is_closed:
            try:
                self.writer.commit(mergetype=mergetype or tiered_merge(self._index.merge_budget))
            except OSError as exc:
                raise SearchIndexError(f"The search index could not be written ({exc.strerror})") from exc
        self._index._new_searcher()

    def cancel(self) -> None:
        """Drop what was added: the index stays as it was."""
        if not self.writer.is_closed:
            self.writer.cancel()


@contextmanager
def _read_errors() -> Iterator[None]:
    """A damaged index fails deep inside Whoosh in many ways: any of them is a SearchIndexError in words
    (a QueryError, raised while a query is read, goes through as it is)."""
    try:
        yield
    except QueryError:
        raise
    except Exception as exc:
        raise SearchIndexError(f"The search index could not be read ({type(exc).__name__})") from exc


def _issue_ids_of(searcher: Any, docnums: Iterable[int]) -> Iterator[str]:
    """The issue id of each document, from the ``issue_id`` column: a few bytes a document, where its
    stored fields (its texts, unpickled) took 1 s for a smart list at 10,000 issues. Every document
    has one, and an index made before the column existed carries another schema stamp (rebuilt)."""
    column = searcher.reader().column_reader("issue_id")
    return (column[docnum] for docnum in docnums)


def _delete_issues(writer: Any, issue_ids: list[str]) -> None:
    """Delete every document of these issues through one searcher over the writer's segments.

    ``delete_by_term`` opens a searcher per call (80 ms per issue at 10,000 issues, mostly opening
    segment files); an empty index (the first import) needs no searcher at all.
    """
    if not issue_ids or not any(segment.doc_count() for segment in writer.segments):
        return
    with writer.searcher() as searcher:
        writer.delete_by_query(wquery.Or([wquery.Term("issue_id", i) for i in issue_ids]), searcher=searcher)


def _to_hit(fields: Mapping[str, Any], score: float | None, terms: QueryTerms) -> SearchHit:
    texts = fields.get("texts") or [("", "")]
    kind = fields["kind"]
    if kind == "issue":
        section, snippet = section_snippet(terms, texts, fields.get("stems"))
    else:
        section, snippet = "", make_snippet(texts[0][1], find_matches(terms, texts[0][1]))
    return SearchHit(
        id=fields["issue_id"],
        publication=fields.get("publication", ""),
        title=fields.get("title", ""),
        number=fields.get("number"),
        date=fields.get("date"),
        section=section,
        snippet=snippet,
        score=float(score or 0.0),
        kind=kind,
        highlight_id=fields.get("highlight_id"),
    )


def _dedupe(hits: Iterable[SearchHit]) -> list[SearchHit]:
    """One hit per (issue, kind, highlight): the first, which ranks best."""
    seen: set[tuple[str, str, str | None]] = set()
    unique = []
    for hit in hits:
        key = (hit.id, hit.kind, hit.highlight_id)
        if key not in seen:
            seen.add(key)
            unique.append(hit)
    return unique
