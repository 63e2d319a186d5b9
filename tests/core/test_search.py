"""SearchIndex on a real Whoosh index in tmp_path: matching, filters, snippets, writes, odd queries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core._search import IssueDoc, SearchIndex
from reader.core._search.documents import issue_documents
from reader.core._search.expansion import MAX_EXPANSION, expanded_terms
from reader.core._search.query import parse_query
from reader.core._search.snippets import QueryTerms, best_section
from reader.core.errors import QueryError
from reader.core.types import Highlight, Issue, SearchHit, TextSpan


def _highlight(hid: str, issue_id: str, quote: str, color: str, note: str = "") -> Highlight:
    return Highlight(id=hid, issue_id=issue_id, quote=quote, prefix="", suffix="", start=0,
                     end=len(quote), color=color, note=note)


ROBOTS = IssueDoc(
    Issue(id="robots", publication="Superfast AI", title="Robots are coming", number=310,
          date="2023-01-15", author="Jack Clark", starred=True, note="Remember to cite this in the essay"),
    [
        ("", "Welcome to this week's issue about <script>alert(1)</script> & friends."),
        ("Factory robots", "Many robots now work in car factories. A robot arm welds the frame."),
        ("Policy", "Regulators discuss machine ethics and safety rules."),
    ],
    [
        _highlight("h1", "robots", "A robot arm welds the frame.", "yellow", note="great example of automation"),
        _highlight("h2", "robots", "machine ethics and safety", "blue"),
    ],
)
LANGUAGE = IssueDoc(
    Issue(id="language", publication="Import AI", title="Language models grow", number=311,
          date="2023-02-03", author="Jack Clark", read=True),
    [("", "Large language models learn from text."),
     ("Compute", "Training costs millions of dollars in compute. Robots are not covered this week.")],
)
CATS = IssueDoc(
    Issue(id="cats", publication="The Batch", title="Cats and dogs", author="Andrew Ng"),
    [("", "A study of cats, dogs and their owners. Cats sleep a lot.")],
)
OLD = IssueDoc(
    Issue(id="old", publication="Superfast AI", title="Year in review", number=300, date="2022-12-20"),
    [("", "The year saw progress in speech recognition and robotics research.")],
)
CORPUS = (ROBOTS, LANGUAGE, CATS, OLD)


def _open(folder: Path, docs: tuple[IssueDoc, ...] = CORPUS) -> SearchIndex:
    index = SearchIndex(folder)
    index.open()
    index.rebuild(docs)
    return index


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SearchIndex]:
    idx = _open(tmp_path / "index")
    yield idx
    idx.close()


@pytest.fixture(scope="module")
def shared_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """A read-only index for the tests that only search."""
    idx = _open(tmp_path_factory.mktemp("search") / "index")
    yield idx
    idx.close()


def _ids(hits: list[SearchHit], kind: str = "issue") -> set[str]:
    return {hit.id for hit in hits if hit.kind == kind}


# -- matching -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("word", ["robot", "robots", "Robots"])
def test_stemming_finds_every_form(shared_index: SearchIndex, word: str) -> None:
    # "robotics" (old) stems to "robot" too, as in the index analyzer.
    assert _ids(shared_index.search(word)) == {"robots", "language", "old"}


def test_phrase_needs_the_words_in_order(shared_index: SearchIndex) -> None:
    assert _ids(shared_index.search('"robot arm"')) == {"robots"}
    assert shared_index.search('"arm robot"') == []


def test_words_are_anded_by_default(shared_index: SearchIndex) -> None:
    assert _ids(shared_index.search("robots ethics")) == {"robots"}
    assert _ids(shared_index.search("robots AND compute")) == {"language"}


def test_or_and_not(shared_index: SearchIndex) -> None:
    assert _ids(shared_index.search("cats OR speech")) == {"cats", "old"}
    assert _ids(shared_index.search("robots NOT ethics")) == {"language", "old"}
    assert _ids(shared_index.search("(cats OR speech) AND research")) == {"old"}


def test_title_ranks_above_body(shared_index: SearchIndex) -> None:
    hits = [hit for hit in shared_index.search("robots") if hit.kind == "issue"]
    assert hits[0].id == "robots"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("publication:superfast", {"robots", "old"}),
        ("publication:\"import ai\"", {"language"}),
        ("title:robots", {"robots"}),
        ("author:clark", {"robots", "language"}),
        ("number:310", {"robots"}),
        ("number:[305 to 320]", {"robots", "language"}),
        ("date:2023", {"robots", "language"}),
        ("date:2023-01", {"robots"}),
        ("date:2023-02-03", {"language"}),
        ("date:[2022-12-01 to 2023-01-31]", {"old", "robots"}),
        ("date:[2022-12 to 2023-01]", {"old", "robots"}),
        ("section:policy", {"robots"}),
        ("section:compute robots", {"language"}),
        ("is:unread", {"robots", "cats", "old"}),
        ("is:starred", {"robots"}),
        ("has:highlights", {"robots"}),
        ("has:notes", {"robots"}),
        ("is:unread research", {"old"}),
    ],
)
def test_field_filters(shared_index: SearchIndex, query: str, expected: set[str]) -> None:
    assert _ids(shared_index.search(query)) == expected


def test_filters_alone_return_issues_not_their_highlights(shared_index: SearchIndex) -> None:
    assert {hit.kind for hit in shared_index.search("publication:superfast")} == {"issue"}


def test_prefix_matches_words_starting_with_it(shared_index: SearchIndex) -> None:
    assert _ids(shared_index.search("robo*")) == {"robots", "language", "old"}
    assert _ids(shared_index.search("recog*")) == {"old"}
    assert _ids(shared_index.search("Robots*")) == {"robots", "language", "old"}  # "robots" is indexed "robot"


def test_wildcard(shared_index: SearchIndex) -> None:
    assert _ids(shared_index.search("c?ts")) == {"cats"}


# -- highlights and notes -------------------------------------------------------------------------------
def test_highlight_and_note_hits_say_what_matched(shared_index: SearchIndex) -> None:
    hits = shared_index.search("highlight:welds")
    assert [(h.kind, h.id, h.highlight_id) for h in hits] == [("highlight", "robots", "h1")]
    hits = shared_index.search("note:automation")
    assert [(h.kind, h.highlight_id) for h in hits] == [("note", "h1")]
    assert "<b>automation</b>" in hits[0].snippet


def test_issue_note_is_a_note_hit_without_highlight(shared_index: SearchIndex) -> None:
    hits = shared_index.search("essay")
    assert [(h.kind, h.id, h.highlight_id) for h in hits] == [("note", "robots", None)]


def test_plain_words_find_issues_highlights_and_notes(shared_index: SearchIndex) -> None:
    kinds = {(h.kind, h.highlight_id) for h in shared_index.search("welds")}
    assert kinds == {("issue", None), ("highlight", "h1")}


def test_color_by_key_and_by_label(shared_index: SearchIndex) -> None:
    assert {h.highlight_id for h in shared_index.search("color:yellow")} == {"h1"}
    hits = shared_index.search('color:"Key idea"', color_aliases={"key IDEA": "blue"})
    assert [(h.kind, h.highlight_id) for h in hits] == [("highlight", "h2")]
    assert shared_index.search("color:Yellow welds", color_aliases={"Key idea": "blue"})[0].highlight_id == "h1"


# -- results --------------------------------------------------------------------------------------------
def test_sort_by_date_newest_first_undated_last(shared_index: SearchIndex) -> None:
    hits = shared_index.search("robo* OR cats", sort="date")
    assert [h.id for h in hits if h.kind == "issue"] == ["language", "robots", "old", "cats"]


def test_one_hit_per_issue(shared_index: SearchIndex) -> None:
    hits = shared_index.search("robots OR robot OR factories")
    keys = [(h.id, h.kind, h.highlight_id) for h in hits]
    assert len(keys) == len(set(keys))


def test_limit(shared_index: SearchIndex) -> None:
    assert len(shared_index.search("robo*", limit=2)) == 2


def test_snippet_is_escaped_and_marks_words(shared_index: SearchIndex) -> None:
    (hit,) = shared_index.search("script")
    assert "&lt;<b>script</b>&gt;alert(1)&lt;/<b>script</b>&gt; &amp; friends" in hit.snippet
    assert "<script>" not in hit.snippet


def test_snippet_is_one_short_line(index: SearchIndex) -> None:
    long_text = "\n\n".join(f"Paragraph {i} talks about gardening and soil.\tMore." for i in range(200))
    index.update([IssueDoc(Issue(id="long", publication="P", title="Long"), [("", long_text + " zebra")])])
    (hit,) = index.search("zebra")
    assert "\n" not in hit.snippet and "\t" not in hit.snippet
    assert "<b>zebra</b>" in hit.snippet
    assert 150 <= len(hit.snippet.replace("<b>", "").replace("</b>", "")) <= 230


@pytest.mark.parametrize(
    ("query", "section"),
    [("welds", "Factory robots"), ("ethics", "Policy"), ("friends", ""), ("policy", "Policy")],
)
def test_section_attribution(shared_index: SearchIndex, query: str, section: str) -> None:
    (hit,) = [h for h in shared_index.search(query) if h.kind == "issue"]
    assert hit.section == section


def test_section_with_more_query_words_beats_a_heading_match(index: SearchIndex) -> None:
    sections = [("", "Intro."), ("Models", "Some models here."), ("Other", "Foundation models are big.")]
    index.update([IssueDoc(Issue(id="m", publication="P", title="T"), sections)])
    (hit,) = index.search("foundation models")
    assert hit.section == "Other"
    assert hit.snippet == "<b>Foundation</b> <b>models</b> are big."


@pytest.mark.parametrize("query", ["robots", "robot arm", "ethics safety", "language models", "welcome friends",
                                   "compute robots", "zebra", "factory policy"])
def test_stored_stems_pick_the_same_section_as_the_texts(shared_index: SearchIndex, query: str) -> None:
    terms = QueryTerms.from_query(parse_query(shared_index._parser, query))
    for doc in CORPUS:
        (stored,) = [d for d in issue_documents(doc) if d["kind"] == "issue"]
        assert best_section(terms, stored["texts"], stored["stems"]) == best_section(terms, stored["texts"])


@pytest.mark.parametrize("query", ["robo*", "ethic* safety", "lang* mod*", "zeb*", "comp* robots"])
def test_stored_stems_pick_a_section_holding_the_prefix(shared_index: SearchIndex, query: str) -> None:
    # Prefixes read the stored stems by bisection; the section chosen holds the prefix, as the texts say.
    terms = QueryTerms.from_query(parse_query(shared_index._parser, query))
    assert terms.prefixes and not terms.stems_only
    for doc in CORPUS:
        (stored,) = [d for d in issue_documents(doc) if d["kind"] == "issue"]
        by_stems, by_texts = best_section(terms, stored["texts"], stored["stems"]), best_section(terms, stored["texts"])
        assert (by_stems == -1) == (by_texts == -1)
        if by_stems >= 0:
            heading, text = stored["texts"][by_stems]
            assert terms.matching_words(heading) or terms.matching_words(text)


def test_stems_in_finds_prefixes_by_bisection() -> None:
    terms = QueryTerms(stems=["safeti"], prefixes=["rob"])
    assert terms.stems_in("alpha robot robust rocket safeti zebra") == {"robot", "robust", "safeti"}
    assert terms.stems_in("") == set()


def test_title_only_match_snippet_is_the_start(shared_index: SearchIndex) -> None:
    (hit,) = shared_index.search("title:review")
    assert hit.section == ""
    assert hit.snippet.startswith("The year saw progress")


def test_hit_carries_issue_fields(shared_index: SearchIndex) -> None:
    (hit,) = shared_index.search("title:robots")
    assert (hit.id, hit.publication, hit.title, hit.number, hit.date) == (
        "robots", "Superfast AI", "Robots are coming", 310, "2023-01-15")
    assert hit.score > 0


# -- writes ---------------------------------------------------------------------------------------------
def test_update_replaces_without_duplicates(index: SearchIndex) -> None:
    changed = IssueDoc(ROBOTS.issue, [("", "Now about bicycles.")], [])
    index.update([changed, changed])
    assert index.doc_count() == 4
    assert _ids(index.search("bicycles")) == {"robots"}
    assert "robots" not in _ids(index.search("factories"))
    assert index.search("highlight:welds") == []  # its highlights went with the old version
    assert len(index.search("bicycles")) == 1


def test_update_adds_new_issues(index: SearchIndex) -> None:
    index.update([IssueDoc(Issue(id="new", publication="P", title="Gardening"), [("", "Soil and seeds.")])])
    assert index.doc_count() == 5
    assert _ids(index.search("seeds")) == {"new"}


def test_update_replaces_across_segments_in_one_batch(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "ix")
    index.open()
    index.update([ROBOTS])  # into an empty index: nothing to delete
    index.update([CATS, LANGUAGE])  # a second segment
    gardening = IssueDoc(Issue(id="new", publication="P", title="Gardening"), [("", "Soil and seeds.")])
    index.update([IssueDoc(ROBOTS.issue, [("", "Now about bicycles.")]),
                  IssueDoc(CATS.issue, [("", "Bicycles for cats.")]), gardening])
    assert index.doc_count() == 4
    assert _ids(index.search("bicycles")) == {"robots", "cats"}
    assert index.search("welds") == [] and index.search("owners") == []
    assert _ids(index.search("compute")) == {"language"}
    index.close()


def test_delete_removes_issue_highlights_and_notes(index: SearchIndex) -> None:
    index.delete(["robots", "unknown-id"])
    assert index.doc_count() == 3
    assert index.search("welds") == []
    assert index.search("essay") == []
    assert _ids(index.search("robots")) == {"language", "old"}


def test_rebuild_reports_progress_and_replaces(index: SearchIndex) -> None:
    seen: list[int] = []
    assert index.rebuild([CATS], progress=seen.append) is True
    assert seen[-1] == 1
    assert index.doc_count() == 1
    assert index.search("robots") == []


def test_cancelled_rebuild_keeps_the_index(index: SearchIndex) -> None:
    many = [IssueDoc(Issue(id=f"n{i}", publication="P", title=f"T{i}"), [("", "filler")]) for i in range(120)]
    assert index.rebuild(many, progress=lambda count: False) is False
    assert index.doc_count() == 4
    assert _ids(index.search("cats")) == {"cats"}


def test_reopen_keeps_the_index(tmp_path: Path) -> None:
    _open(tmp_path / "index").close()
    again = SearchIndex(tmp_path / "index")
    assert again.open() is None
    assert again.doc_count() == 4
    again.close()


# -- marking matches in the reading pane ---------------------------------------------------------------
def test_match_spans_stems_prefixes_and_phrases(shared_index: SearchIndex) -> None:
    text = "Robots and a robot; robotics. Rob's arm."
    def marked(query: str) -> list[str]:
        return [text[s.start:s.end] for s in shared_index.match_spans(query, text)]
    assert marked("robot") == ["Robots", "robot", "robotics"]
    assert marked("rob*") == ["Robots", "robot", "robotics", "Rob"]
    assert marked('"robot arm"') == ["Robots", "robot", "robotics", "arm"]
    assert marked("arm NOT robot") == ["arm"]
    assert marked("publication:robots arm") == ["arm"]


def test_match_spans_are_python_indexes(shared_index: SearchIndex) -> None:
    text = "😀 café robots"
    assert shared_index.match_spans("robots", text) == [TextSpan(7, 13)]
    assert shared_index.match_spans("café", text) == [TextSpan(2, 6)]


# -- queries that are odd or hostile --------------------------------------------------------------------
@pytest.mark.parametrize("query", ["", "   ", "\n\t", "title:"])
def test_blank_query_is_a_query_error(shared_index: SearchIndex, query: str) -> None:
    with pytest.raises(QueryError, match="Type something"):
        shared_index.search(query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"robot arm', {"robots"}),  # unbalanced quote: read as words
        ("(cats", {"cats"}),
        ("cats)", {"cats"}),
        ("Title:cats", {"cats"}),  # a field name in capitals
        ('"owners:cats"', {"cats"}),  # in quotes: the phrase "owners. Cats", not a field
        ("cats AND", {"cats"}),
        ("title: cats", {"cats"}),
    ],
)
def test_lenient_parses(shared_index: SearchIndex, query: str, expected: set[str]) -> None:
    assert _ids(shared_index.search(query)) == expected


@pytest.mark.parametrize("query", ["AND (", "((((", "the", ")", "NOT NOT", '""'])
def test_queries_with_nothing_to_find_return_nothing(shared_index: SearchIndex, query: str) -> None:
    assert shared_index.search(query) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("*", "before \\* or \\?"),
        ("*bots", "before \\* or \\?"),
        ("date:notadate", "not a date"),
        ("date:[2023 to someday]", "not a date"),
        ("number:abc", "not a valid number"),
        ("date:2023-13", "not a date"),
        ("date:2023-02-30", "not a date"),
        ("date:[2023-01 to 2023-13]", "not a date"),
        ("foo:bar", "no field “foo:”; search by title:, publication:, author:, section:"),
        ("owners:cats", "no field"),
        ("is:bogus", "is: takes read, unread, starred, unstarred or archived"),
        ("has:nothing", "has: takes highlights or notes"),
        ("NOT robots", "not only what to leave out"),
        ("(" * 999 + "cats", "nested"),
        ("(" * 400 + "cats" + ")" * 400, "nested"),
    ],
)
def test_query_errors_say_why(shared_index: SearchIndex, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        shared_index.search(query)


def test_unknown_colour_lists_the_colours(shared_index: SearchIndex) -> None:
    colours = "yellow, blue, green, pink, orange, key idea"
    with pytest.raises(QueryError, match=f"no highlight colour “mauve”; choose one of {colours}"):
        shared_index.search("color:mauve", color_aliases={"Key idea": "yellow", "Question": "blue"})
    assert {h.highlight_id for h in shared_index.search("color:blue", color_aliases={"Key idea": "yellow"})} == {"h2"}


def test_has_accepts_the_singular(shared_index: SearchIndex) -> None:
    assert _ids(shared_index.search("has:highlight")) == _ids(shared_index.search("has:highlights")) == {"robots"}


def test_urls_and_times_are_not_fields(shared_index: SearchIndex) -> None:
    assert shared_index.search("https://example.com") == []
    assert shared_index.search("10:30") == []


def test_very_long_query(shared_index: SearchIndex) -> None:
    assert _ids(shared_index.search("cats " * 2000)) == {"cats"}
    assert _ids(shared_index.search("cats " + "OR " * 3000 + "dogs")) == {"cats"}
    with pytest.raises(QueryError):
        shared_index.search("NOT " * 2000 + "cats")
    assert shared_index.search("x" * 10_000) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80) | st.text(alphabet='ab*?"():[]-^~ ANDORNOT date:title', max_size=40))
def test_any_text_gives_hits_or_query_error(shared_index: SearchIndex, query: str) -> None:
    outcome: object
    try:
        outcome = (shared_index.search(query), shared_index.match_spans(query, "ab robots cats"))
    except QueryError as exc:
        outcome = exc
    if isinstance(outcome, QueryError):
        assert str(outcome).strip()  # a message in words
    else:
        assert isinstance(outcome, tuple) and all(isinstance(part, list) for part in outcome)


# -- bounded expansion ----------------------------------------------------------------------------------
def test_prefix_expansion_is_capped(tmp_path: Path) -> None:
    words = " ".join(f"zq{i:05d}" + "x" * (i % 7) for i in range(3000))
    common = " ".join(["zq00042x"] * 5)
    docs = (IssueDoc(Issue(id="many", publication="P", title="T"), [("", words)]),
            IssueDoc(Issue(id="other", publication="P", title="U"), [("", common)]))
    index = _open(tmp_path / "index", docs)
    query = parse_query(index._parser, "zq*")
    reader = index._searcher.reader()
    assert 1 <= len(list(expanded_terms(query, reader))) <= MAX_EXPANSION
    assert ("text", b"zq00042x") in set(expanded_terms(query, reader))  # the most frequent is kept
    assert {h.id for h in index.search("zq*")} == {"many", "other"}
    index.close()


def test_searching_an_empty_library_finds_nothing_rather_than_failing(library) -> None:
    assert library.search("Tesla") == []
    assert library.search('"language model" robots') == []


def test_date_ranges_stay_one_id_union_after_whoosh_normalises_the_query(shared_index: SearchIndex) -> None:
    from reader.core._search.expansion import UnionRange
    from reader.core._search.query import parse_query

    q = parse_query(shared_index._parser, "robots date:[2022-12 to 2023-01]").normalize()

    assert [type(sub) for sub in q.children() if sub.field() == "date"] == [UnionRange]
    assert _ids(shared_index.search("robots date:[2022-12 to 2023-01]")) == {"robots", "old"}
