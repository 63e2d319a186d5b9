"""A seeded synthetic corpus of newsletter issues shaped like the bundled Import-AI-like text dumps.

``generate_corpus(n, seed)`` returns the issues (with the metadata the FTS5 baseline indexes);
``write_corpus`` writes them as ``.txt`` files, mostly one issue per file and some files holding several
issues in a row, as the sample ``002_*.txt`` does. The same seed gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

from benchmarks.vocabulary import RARE_WORDS, Vocabulary, build_vocabulary

SEPARATOR = "#" * 52
FIRST_DAY = dt.date(2005, 1, 3)
SPAN_DAYS = 20 * 365
RARE_WORD_CHANCE = 0.005
"""Chance that a given rare word appears in a given issue (about 5 issues in 1,000)."""
BUNDLE_CHANCE = 0.08
"""Chance that a file holds 3-5 consecutive issues of one publication instead of one."""
MAX_SECTIONS = 12


@dataclass(frozen=True)
class Publication:
    """A synthetic newsletter: its name, its author and how its title lines carry the date."""

    name: str
    author: str
    style: str  # "numbered": "<Name> 12: ..." plus a date line; "dated": "<Name> 3/4/2019: ..."
    weight: float


PUBLICATIONS = (
    Publication("Import AI", "Jack Clark", "numbered", 3.0),
    Publication("The Gradient Digest", "Hugh Zhang", "numbered", 1.5),
    Publication("Synapse Weekly", "Maria Okafor", "dated", 1.5),
    Publication("Robot Letters", "Tomas Lindqvist", "numbered", 1.0),
    Publication("Data Points", "Priya Raman", "dated", 1.0),
    Publication("Margin Notes", "Ellen Marsh", "numbered", 1.0),
)
SOURCES = ("arXiv", "official website", "Google research blog", "GitHub", "PNAS", "Nature",
           "company blog", "Jason Wei blog", "CSIS", "DNI.gov, PDF")  # fmt: skip
PROPER_NOUNS = ("RT-1", "GPT-3", "PaLM", "Chinchilla", "LaMDA", "DeepMind", "OpenAI", "HuggingFace",
                "StableDiffusion", "BLOOM", "AlphaZero", "CICERO", "SayCan", "MOPRD", "Copilot")  # fmt: skip
LABELS = ("Why this matters:", "What they did:", "Results:", "What is it?", "Compounding returns:",
          "The catch:", "Things to think about:")  # fmt: skip


@dataclass(frozen=True)
class SyntheticIssue:
    """One generated issue: its text as written to the file and the metadata behind it."""

    publication: str
    number: int
    date: str
    author: str
    title: str
    headings: tuple[str, ...]
    text: str


class _Writer:
    """Draws sentences, paragraphs and sections from the Zipf vocabulary with one seeded RNG."""

    def __init__(self, rng: random.Random, vocab: Vocabulary) -> None:
        self.rng = rng
        self.vocab = vocab

    def words(self, count: int) -> list[str]:
        words = self.vocab.sample(self.rng, count)
        if self.rng.random() < 0.15:
            words[self.rng.randrange(count)] = self.rng.choice(PROPER_NOUNS)
        return words

    def sentence(self) -> str:
        words = self.words(self.rng.randint(6, 22))
        text = " ".join(words)
        return text[0].upper() + text[1:] + self.rng.choice(".....?!")

    def paragraph(self, sentences: int | None = None) -> str:
        count = sentences or self.rng.randint(2, 5)
        return " ".join(self.sentence() for _ in range(count))

    def phrase(self, low: int, high: int) -> str:
        words = [w for w in self.words(high * 2) if len(w) > 3][: self.rng.randint(low, high)]
        return " ".join(words) or "untitled"

    def headline(self) -> str:
        text = self.phrase(4, 9)
        return text[0].upper() + text[1:]

    def section(self) -> tuple[str, str]:
        """One news item: a headline ending with ':', an italic dek, paragraphs and a Read more line."""
        heading = self.headline()
        lines = [f"{heading}:", f"…{self.phrase(4, 10)}…", ""]
        for _ in range(self.rng.randint(2, 4)):
            label = self.rng.choice(LABELS) + " " if self.rng.random() < 0.4 else ""
            lines += [label + self.paragraph(), ""]
        source = self.rng.choice(SOURCES)
        lines.append(f"   Read more: {self.headline()} ({source}).")
        return heading, "\n".join(lines)

    def tech_tale(self) -> str:
        place = self.phrase(1, 2).title()
        year = self.rng.randint(2025, 2090)
        story = [self.paragraph(self.rng.randint(3, 6)) for _ in range(self.rng.randint(2, 4))]
        inspired = "; ".join(self.phrase(2, 5) for _ in range(3))
        parts = ["Tech Tales:", self.headline(), f"[{place}, {year}].", *story,
                 f"Things that inspired this story: {inspired}."]  # fmt: skip
        return "\n\n".join(parts)


def _issue_date(index: int, total: int, rng: random.Random) -> dt.date:
    offset = index * SPAN_DAYS // max(total, 1) + rng.randint(0, 3)
    if index >= total:  # the newer issues of generate_corpus(extra=...): after the span, a week apart
        offset = SPAN_DAYS + 7 * (index - total + 1)
    return FIRST_DAY + dt.timedelta(days=min(offset, SPAN_DAYS) if index < total else offset)


def _title_line(pub: Publication, number: int, date: dt.date, title: str) -> str:
    if pub.style == "dated":
        return f"{pub.name} {date.month}/{date.day}/{date.year}: {title}"
    return f"{pub.name} {number}: {title}"


def _inject_rare_words(body: str, rng: random.Random) -> str:
    words = body.split(" ")
    for rare in RARE_WORDS:
        if rng.random() < RARE_WORD_CHANCE:
            words[rng.randrange(len(words))] = rare
    return " ".join(words)


def _issue(writer: _Writer, pub: Publication, number: int, date: dt.date, target: int) -> SyntheticIssue:
    rng = writer.rng
    sections: list[str] = []
    headings: list[str] = []
    while sum(map(len, sections)) < target - 1500 and len(sections) < MAX_SECTIONS:
        heading, text = writer.section()
        headings.append(heading)
        sections.append(text)
    title = "; ".join(h.split(" ", 5)[-1] if len(h) > 50 else h for h in headings[:3])
    head = [_title_line(pub, number, date, title), "", f"by {pub.author}", ""]
    if pub.style == "numbered":
        head += [f"{date:%B} {date.day}, {date.year}", ""]
    head += [writer.paragraph(), "", ""]
    body = f"\n\n{SEPARATOR}\n\n".join([*sections, writer.tech_tale()])
    text = "\n".join(head) + _inject_rare_words(body, rng) + "\n"
    return SyntheticIssue(pub.name, number, date.isoformat(), pub.author, title, tuple(headings), text)


def generate_corpus(count: int, seed: int = 2024, extra: int = 0) -> list[SyntheticIssue]:
    """``count`` issues in date order over 20 years, spread over the publications by weight.

    Each issue is about 8 KB (6.5-11 KB). The result depends only on ``count`` and ``seed``.
    ``extra`` issues more follow, newer than the span (the next numbers of each publication): the
    issues a reader adds to a library of ``count``. The first ``count`` are the same with or without.
    """
    rng = random.Random(seed)
    writer = _Writer(rng, build_vocabulary(seed))
    numbers = {pub.name: rng.randint(1, 300) for pub in PUBLICATIONS}
    weights = [pub.weight for pub in PUBLICATIONS]
    issues = []
    for index in range(count + extra):
        pub = rng.choices(PUBLICATIONS, weights=weights)[0]
        numbers[pub.name] += 1
        date = _issue_date(index, count, rng)
        issues.append(_issue(writer, pub, numbers[pub.name], date, rng.randint(5500, 8500)))
    return issues


def bundle_files(issues: list[SyntheticIssue], seed: int) -> list[list[SyntheticIssue]]:
    """Group issues into files: one per file, sometimes 3-5 consecutive issues of one publication."""
    rng = random.Random(seed + 1)
    by_pub: dict[str, list[SyntheticIssue]] = {}
    for issue in issues:
        by_pub.setdefault(issue.publication, []).append(issue)
    files: list[list[SyntheticIssue]] = []
    for pub_issues in by_pub.values():
        start = 0
        while start < len(pub_issues):
            size = rng.randint(3, 5) if rng.random() < BUNDLE_CHANCE else 1
            files.append(pub_issues[start : start + size])
            start += size
    files.sort(key=lambda group: (group[0].date, group[0].publication))
    return files


def _file_text(group: list[SyntheticIssue]) -> str:
    if len(group) == 1:
        return group[0].text
    # Like the sample 002: the publication's name alone on the first line, then the issues in a row.
    return f"{group[0].publication}\n\n" + "\n".join(issue.text for issue in group)


def write_corpus(issues: list[SyntheticIssue], folder: Path, seed: int) -> tuple[int, int, str]:
    """Write the issues as UTF-8 ``.txt`` files under ``folder``.

    Returns:
        (number of files, total bytes, sha256 of every file's bytes in order) so runs can be compared.
    """
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    total = 0
    groups = bundle_files(issues, seed)
    for index, group in enumerate(groups):
        slug = group[0].publication.lower().replace(" ", "-")
        data = _file_text(group).encode("utf-8")
        (folder / f"{index:05d}-{slug}-{group[0].number}.txt").write_bytes(data)
        digest.update(data)
        total += len(data)
    return len(groups), total, digest.hexdigest()
