"""From the text typed in the search box to a Whoosh query: parsing, leniency and field rewrites."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from whoosh import fields, qparser, query
from whoosh.qparser.common import attach

from reader.core._links import link_term
from reader.core._schema import DEFAULT_COLORS
from reader.core._search.expansion import CappedPrefix, CappedWildcard, UnionRange
from reader.core._search.schema import CONTENT_FIELDS, DATE_PART, FIELD_ALIASES, TEXT
from reader.core._search.words import RAW_WORD, WordTokenizer, analyse
from reader.core.errors import QueryError

MAX_QUERY_LENGTH = 1_000
"""Longer queries are cut here (at a space when there is one): nobody types more, and parsing is linear."""

MAX_NESTING = 20
"""Deeper parentheses are refused: query trees are walked recursively."""

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
# "name:value" outside quotes; not a URL ("https://..."), not a time ("10:30").
_FIELD_USE = re.compile(r"(?<![\w:.\-])([^\W\d]\w*):(?=[^\s/])")
_QUOTED = re.compile(r'"[^"]*"')
FIELD_NAMES = ("title", "publication", "author", "section", "highlight", "note", "color", "number", "date",
               "is", "has", "tag", "hltag", "link", "cites")
"""The fields a person may name in a search (``title:robots``), as the error messages list them."""
_IS_VALUES = ("read", "unread", "starred", "unstarred", "archived")
_HAS_VALUES = {"highlights": "highlights", "highlight": "highlights", "notes": "notes", "note": "notes"}
# A field name followed by nothing: "title:" alone, or "title: robots" (the user meant the next word).
_DANGLING_FIELD = re.compile(r"(?<![\w:])(\w+):(?=\s|$)")


class _CappedWildcardPlugin(qparser.WildcardPlugin):  # type: ignore[misc]
    """Wildcards that keep the text as typed (lowercased) and expand to a capped set of terms."""

    class WildcardNode(qparser.WildcardPlugin.WildcardNode):  # type: ignore[misc]
        def query(self, parser: Any) -> query.Query:
            fieldname = self.fieldname or parser.fieldname
            text = self.text.lower()
            q = CappedWildcard(fieldname, text, boost=self.boost).normalize()
            q.alternates = _analysed_variants(parser.schema, fieldname, q.text)
            return attach(q, self)

    nodetype = WildcardNode

    def do_wildcards(self, parser: Any, group: Any) -> Any:
        # Whoosh turns a top-level "robo*" into its own PrefixNode (stemmed, uncapped): take it back.
        group = super().do_wildcards(parser, group)
        for i, node in enumerate(group):
            if isinstance(node, qparser.PrefixPlugin.PrefixNode):
                wildcard = self.WildcardNode(node.text + "*")
                wildcard.startchar, wildcard.endchar = node.startchar, node.endchar
                group[i] = wildcard
        return group


def _analysed_variants(schema: fields.Schema, fieldname: str, text: str) -> tuple[str, ...]:
    """The prefix as the field's analyzer would index it ("robots" -> "robot"), when that differs."""
    if fieldname not in schema or not isinstance(schema[fieldname], fields.TEXT):
        return ()
    analysed = list(schema[fieldname].process_text(text, mode="query", tokenize=False, removestops=False))
    return tuple(t for t in analysed if t and t != text)


class _Parser(qparser.QueryParser):  # type: ignore[misc]
    """Whoosh's parser, but a hyphenated word finds its joined and spaced spellings (``word_query``)."""

    def term_query(self, fieldname: str, text: str, termclass: Any, boost: float = 1.0,
                   tokenize: bool = True, removestops: bool = True) -> query.Query | None:
        field = self.schema[fieldname] if self.schema and fieldname in self.schema else None
        if field is None or not isinstance(field.analyzer, WordTokenizer) or termclass is not query.Term \
                or not tokenize:
            return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        words = [q for q in (word_query(fieldname, raw, boost) for raw in RAW_WORD.findall(text)) if q is not None]
        if not words:
            return None
        return words[0] if len(words) == 1 else self.group.qclass(words)


def word_query(fieldname: str, word: str, boost: float = 1.0) -> query.Query | None:
    """The query for one word as typed (None for a stop word).

    ``Wi-Fi`` finds "wifi", "Wi-Fi" and "wi fi"; ``e-mail`` and ``GPT-4`` find their joined spellings
    ("email", "gpt4") but not "mail" or every "gpt": their one-letter parts are not indexed.
    """
    analysed = analyse(word)
    if analysed.joined is None:
        return query.Term(fieldname, analysed.parts[0], boost=boost) if analysed.parts else None
    joined = query.Term(fieldname, analysed.joined, boost=boost)
    if analysed.complete and len(analysed.parts) > 1:
        return query.Or([joined, query.Phrase(fieldname, list(analysed.parts), boost=boost)])
    return joined


def make_parser(schema: fields.Schema) -> qparser.QueryParser:
    """The query parser: words without a field match TEXT (title, headings, body, quotes, notes); AND."""
    parser = _Parser(TEXT, schema, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(_CappedWildcardPlugin())
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    return parser


def parse_query(parser: qparser.QueryParser, text: str,
                color_aliases: Mapping[str, str] | None = None) -> query.Query:
    """Parse what the user typed into a query ready to run.

    Leniency: unbalanced quotes and parentheses, dangling operators and unknown ``field:`` names are
    read as plain words; a dangling ``title:`` is ignored. A query that leaves nothing to search for
    (only common words or operators) becomes ``query.NullQuery`` (no results).

    Raises:
        QueryError: a blank query, one that only excludes, a bad date, or a leading wildcard.
    """
    text = cleaned_text(text)
    if not text:
        raise QueryError("Type something to search for")
    text = _check_fields(text, parser.schema)
    if _nesting(text) > MAX_NESTING:
        raise QueryError(f"Too many nested parentheses (at most {MAX_NESTING})")
    try:
        q = parser.parse(text, normalize=False)
    except Exception as exc:  # Whoosh's parser is not meant for hostile input; any failure is the query's
        raise QueryError(f"Could not understand the search {text[:60]!r}") from exc
    try:
        q = _rewrite(q, _normalised_aliases(color_aliases or {})).normalize()
    except RecursionError as exc:  # nesting by other means than parentheses (NOT NOT NOT ...)
        raise QueryError("The search is nested too deeply") from exc
    if isinstance(q, type(query.NullQuery)):
        return q
    if not any(True for _ in positive_leaves(q)):
        raise QueryError("Say what to search for, not only what to leave out (try: robots NOT ethics)")
    if not any(leaf.field() in CONTENT_FIELDS for leaf in positive_leaves(q)):
        # Only filters (title:, is:unread...): they select issues, not each of their highlights.
        q = query.And([q, query.Term("kind", "issue")])
    return q


def cleaned_text(text: str) -> str:
    """The query text as it is parsed: cut to MAX_QUERY_LENGTH, dangling ``field:`` names removed.

    Character ranges of the parsed query's words refer to this text.
    """
    return _DANGLING_FIELD.sub(" ", _truncate(text)).strip()


def _check_fields(text: str, schema: fields.Schema) -> str:
    """``text`` with field names lowercased (``Title:`` is ``title:``); QueryError for an unknown field."""
    known = set(schema.names()) | {alias for names in FIELD_ALIASES.values() for alias in names}
    quoted = [m.span() for m in _QUOTED.finditer(text)]

    def lower(match: re.Match[str]) -> str:
        name = match.group(1)
        if any(start <= match.start() < end for start, end in quoted):
            return match.group()
        if name.lower() not in known:
            raise QueryError(f"There is no field “{name}:”; search by {', '.join(f + ':' for f in FIELD_NAMES)}"
                             " (or put the words in quotes)")
        return name.lower() + ":"

    return _FIELD_USE.sub(lower, text)


def _nesting(text: str) -> int:
    """The deepest nesting of parentheses (unbalanced ones count too: Whoosh nests them as well)."""
    depth = deepest = 0
    for char in text:
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(0, depth - 1)
    return deepest


def _truncate(text: str) -> str:
    if len(text) <= MAX_QUERY_LENGTH:
        return text
    cut = text[:MAX_QUERY_LENGTH]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _normalised_aliases(aliases: Mapping[str, str]) -> dict[str, str]:
    return {" ".join(label.lower().split()): key.lower() for label, key in aliases.items()}


def positive_leaves(q: query.Query) -> Iterator[query.Query]:
    """The leaf queries that must or may match (not those under NOT)."""
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        yield from positive_leaves(q.a)
        return
    if q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from positive_leaves(child)


def _rewrite(q: query.Query, aliases: Mapping[str, str]) -> query.Query:
    """Field-specific meanings: dates as prefixes and ranges, colours through their labels."""
    error = getattr(q, "error", None)
    if error is not None:  # Whoosh marks a field value it cannot read (number:abc) this way
        raise QueryError(f"Part of the search could not be understood: {str(error)[:80]}")
    if q.is_leaf():
        return _rewrite_leaf(q, aliases)
    return q.apply(lambda child: _rewrite(child, aliases))


def _rewrite_leaf(q: query.Query, aliases: Mapping[str, str]) -> query.Query:
    field = q.field()
    if isinstance(q, query.PatternQuery) and field in CONTENT_FIELDS | {"title", "publication", "author"}:
        prefix = q.text if isinstance(q, CappedPrefix) else q.literal_prefix if isinstance(
            q, CappedWildcard) else q.text
        if not prefix:
            raise QueryError("Put at least one letter before * or ? (robo* rather than *bots)")
        return q
    if field == "date":
        return _date_query(q)
    if field == "link":
        return _link_query(q)
    if field == "color" and isinstance(q, query.Term | query.Phrase):
        label = q.text if isinstance(q, query.Term) else " ".join(q.words)
        keys = [key for key, _, _ in DEFAULT_COLORS]
        if aliases and label not in aliases and label not in keys:
            names = ", ".join(dict.fromkeys([*keys, *aliases]))
            raise QueryError(f"There is no highlight colour “{label}”; choose one of {names}")
        return query.Term("color", aliases.get(label, label))
    if field == "is" and isinstance(q, query.Term) and q.text not in _IS_VALUES:
        raise QueryError(f"is: takes {', '.join(_IS_VALUES[:-1])} or {_IS_VALUES[-1]}, not “{q.text}”")
    if field == "has" and isinstance(q, query.Term):
        if q.text not in _HAS_VALUES:
            raise QueryError(f"has: takes highlights or notes, not “{q.text}”")
        return query.Term("has", _HAS_VALUES[q.text], boost=q.boost)
    return q


def _date_query(q: query.Query) -> query.Query:
    """``date:2023``, ``date:2023-01`` (prefixes) and ``date:[2023-01 to 2023-03]`` (inclusive ranges)."""
    if isinstance(q, query.Term | query.PatternQuery):
        text = q.text.rstrip("*")
        _check_date(text)
        return query.Term("date", text) if len(text) == 10 else query.Term(DATE_PART, text)
    if isinstance(q, query.TermRange):
        start, end = q.start, q.end
        for bound in (start, end):
            if bound is not None:
                _check_date(bound)
        if end is not None and len(end) < 10 and not q.endexcl:
            end += "~"  # "2023-02" to the end of that month: "~" sorts after every digit and "-"
        return UnionRange("date", start, end, q.startexcl, q.endexcl)
    raise QueryError("Write dates as date:2023, date:2023-01, date:2023-01-15 or date:[2023-01 to 2023-03]")


def _check_date(text: str) -> None:
    if not _DATE.fullmatch(text) or not _real_date(text):
        raise QueryError(
            f"“{text}” is not a date: write date:2023, date:2023-01, date:2023-01-15 or "
            "date:[2023-01 to 2023-03]"
        )


def _real_date(text: str) -> bool:
    """True when a year, year-month or full date exists on the calendar (no month 13, no 30 February)."""
    try:
        date.fromisoformat((text + "-01-01")[:10] if len(text) < 10 else text)
    except ValueError:
        return False
    return True


def _link_query(q: query.Query) -> query.Query:
    """``link:arxiv.org`` (a site and its subdomains), ``link:2212.06817`` (an id), or an address in any
    form (``link:"https://arxiv.org/pdf/2212.06817v2"``): the term the index holds for it."""
    if isinstance(q, query.Term):
        return query.Term("link", link_term(q.text), boost=q.boost)
    if isinstance(q, query.Phrase):
        return query.Term("link", link_term("".join(q.words)), boost=q.boost)
    if isinstance(q, query.PatternQuery):
        return q
    raise QueryError("Write link:arxiv.org, link:2212.06817 or link:\"https://…\"")
