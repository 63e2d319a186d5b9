"""The fixed query mix of the benchmark, each with its translation into SQLite FTS5 syntax."""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.vocabulary import Vocabulary


@dataclass(frozen=True)
class BenchQuery:
    """One benchmark query.

    Attributes:
        kind: its family (common, rare, phrase, field, prefix, boolean), for grouping results.
        text: what a user types into Back Issue's search box.
        fts5: the same intent in FTS5 MATCH syntax (columns: title, publication, author, date,
            headings, body; dates are tokenised by unicode61, so ``date:2019`` is the year token).
    """

    kind: str
    text: str
    fts5: str


def query_mix(vocab: Vocabulary) -> list[BenchQuery]:
    """The fixed mix: the same queries in the same order for a given vocabulary (seed)."""
    tail_word = vocab.words[-1]  # the rarest made-up word of this seed's vocabulary
    mid_word = vocab.words[len(vocab.words) // 2]
    q = BenchQuery
    return [
        q("common", "model", "model"),
        q("common", "data", "data"),
        q("common", "learning", "learning"),
        q("common", "robots", "robots"),
        q("common", "research safety", "research safety"),
        q("common", "training data performance", "training data performance"),
        q("rare", "chiplomacy", "chiplomacy"),
        q("rare", "demoscene", "demoscene"),
        q("rare", "heterodox robots", "heterodox robots"),
        q("rare", tail_word, tail_word),
        q("rare", mid_word, mid_word),
        q("rare", "zzqxvw", "zzqxvw"),
        q("phrase", '"language model"', '"language model"'),
        q("phrase", '"reinforcement learning"', '"reinforcement learning"'),
        q("phrase", '"open source" code', '"open source" code'),
        q("phrase", '"large language models"', '"large language models"'),
        q("field", "publication:gradient", "publication:gradient"),
        q("field", "publication:synapse robots", "publication:synapse robots"),
        q("field", "date:2019", "date:2019"),
        q("field", "date:2012-06", 'date:"2012 06"'),
        q("field", "robots date:2019", "robots date:2019"),
        q("field", "title:robots", "title:robots"),
        q("field", "author:clark safety", "author:clark safety"),
        q("field", "section:chess", "headings:chess"),
        q("prefix", "mar*", "mar*"),
        q("prefix", "a*", "a*"),
        q("prefix", "robo*", "robo*"),
        q("prefix", "tran*", "tran*"),
        q("prefix", "comp* data", "comp* data"),
        q("boolean", "robots AND safety", "robots AND safety"),
        q("boolean", "robots OR drones", "robots OR drones"),
        q("boolean", "language NOT model", "language NOT model"),
        q("boolean", "(chess OR music) AND reinforcement", "(chess OR music) AND reinforcement"),
        q("boolean", '"language model" NOT safety', '"language model" NOT safety'),
    ]
