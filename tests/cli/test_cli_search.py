"""``backissue`` search and the first hour at the command line, in a subprocess, on real data dirs."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from reader.cli import output
from reader.core.types import IssueSummary
from tests.cli.test_cli import backissue


@pytest.fixture(scope="module")
def samples_dir(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the 13 samples (a copy, so this module's highlights stay here)."""
    target = tmp_path_factory.mktemp("cli-search") / "data"
    shutil.copytree(seeded_template, target)
    return target


def _issue(data_dir: Path, number: int) -> dict[str, object]:
    return next(i for i in json.loads(backissue(data_dir, "list", "--json").stdout) if i["number"] == number)


# -- search ------------------------------------------------------------------------------------------------
def test_cpp_is_found(samples_dir: Path) -> None:
    result = backissue(samples_dir, "search", "C++", "--json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) == 2 and all("<b>c++</b>" in h["snippet"].lower() for h in hits)  # 304 and 308


def test_search_says_how_many_it_left_out_and_limit_0_shows_all(samples_dir: Path) -> None:
    every = backissue(samples_dir, "search", "model", "--json", "--limit", "0")
    assert every.returncode == 0, every.stderr
    total = len(json.loads(every.stdout))
    assert total > 2 and "use --limit" not in every.stderr
    two = backissue(samples_dir, "search", "model", "--json", "--limit", "2")
    assert len(json.loads(two.stdout)) == 2  # stdout stays clean JSON
    assert f"2 of {total} results — use --limit" in two.stderr
    assert backissue(samples_dir, "search", "model", "--limit", "-1").returncode == 2


def test_search_suggests_a_spelling(samples_dir: Path) -> None:
    result = backissue(samples_dir, "search", "modle")
    assert result.returncode == 0
    assert "Did you mean: model" in result.stderr
    assert "Did you mean" not in backissue(samples_dir, "search", "model").stderr


def test_search_refuses_an_unknown_field_in_words(samples_dir: Path) -> None:
    result = backissue(samples_dir, "search", "foo:bar")
    assert result.returncode == 1
    assert "no field “foo:”" in result.stderr and "title:" in result.stderr and "Traceback" not in result.stderr


def test_hits_of_one_issue_are_grouped_and_say_their_kind(samples_dir: Path) -> None:
    issue = _issue(samples_dir, 313)
    made = backissue(samples_dir, "annotate", str(issue["id"]), "--quote", "CodeGeeX", "--occurrence", "1",
                     "--note", "a coding model")
    assert made.returncode == 0, made.stderr
    text = backissue(samples_dir, "search", "codegeex").stdout
    assert text.count(f"[{issue['id']}]") == 1  # one heading for the issue and its highlight and note
    assert "\n  highlight: *CodeGeeX*" in text and "\n  text: " in text
    hits = json.loads(backissue(samples_dir, "search", "codegeex", "--json").stdout)
    assert {h["kind"] for h in hits} == {"issue", "highlight"}
    assert all({"id", "title", "snippet", "section", "score", "kind"} <= set(h) for h in hits)


# -- the command line -------------------------------------------------------------------------------------
def test_read_only_commands_do_not_import_the_samples(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for args in (["stats"], ["search", "robots"], ["search", "robots", "--json"], ["highlights"],
                 ["show", "0123456789abcdef"], ["check"]):
        result = backissue(data, *args)
        assert "importing the bundled sample" not in result.stderr, args
        assert "Traceback" not in result.stderr
    assert json.loads(backissue(data, "stats", "--json").stdout)["issues"] == 0
    assert "the library is empty" in backissue(data, "search", "robots").stderr
    assert len(json.loads(backissue(data, "list", "--json").stdout)) == 13  # list still shows the samples


def test_annotate_a_quote_that_occurs_several_times(samples_dir: Path) -> None:
    issue = _issue(samples_dir, 313)
    text = backissue(samples_dir, "show", str(issue["id"])).stdout
    plain = text.split("\n\n", 1)[1]  # show prints title, byline, a blank line, then the plain text
    quote = "robots"
    count = plain.count(quote)
    assert count > 2
    ambiguous = backissue(samples_dir, "annotate", str(issue["id"]), "--quote", quote)
    assert ambiguous.returncode == 1
    assert f"occurs {count} times" in ambiguous.stderr and "--occurrence" in ambiguous.stderr
    made = backissue(samples_dir, "annotate", str(issue["id"]), "--quote", quote, "--occurrence", "2")
    assert made.returncode == 0, made.stderr
    highlights = json.loads(backissue(samples_dir, "highlights", "--json", "--issue", str(issue["id"])).stdout)
    (second,) = [h for h in highlights if h["id"] == made.stdout.strip()]
    assert second["start"] == plain.index(quote, plain.index(quote) + 1)
    beyond = backissue(samples_dir, "annotate", str(issue["id"]), "--quote", quote, "--occurrence", "99")
    assert beyond.returncode == 1 and "occurrence 99 does not exist" in beyond.stderr


def test_list_is_not_cut_when_piped(samples_dir: Path) -> None:
    titles = [i["title"] for i in json.loads(backissue(samples_dir, "list", "--json").stdout)]
    listed = backissue(samples_dir, "list").stdout  # a pipe, not a terminal
    assert all(title in listed for title in titles)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_list_fits_the_terminal(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))  # what shutil.get_terminal_size reads first
    title = "This Week in AI: a title long enough to need most of a wide terminal, and then some more words"
    issue = IssueSummary(id="0123456789abcdef", publication="This Week in AI", title=title, number=12,
                         date="2024-01-02", author=None, read=False, starred=False, highlight_count=0)
    out = _Terminal()
    output.table(output.issue_rows([issue]), ["ID", "DATE", "PUBLICATION", "NO.", "TITLE"], flexible=4, out=out)
    lines = out.getvalue().splitlines()
    assert all(len(line) <= columns for line in lines)
    fits = len(lines[1]) + len(title) - len(lines[1].split("  ")[-1]) <= columns
    assert (title in lines[1]) == fits
    assert lines[1].endswith("…") != fits


def test_a_long_publication_leaves_the_title_room(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    publication = "This Week in Machine Learning, Robotics and the Future of Everything Else"
    title = "This Week: robots learn to fold laundry, and a new benchmark for long documents"
    issue = IssueSummary(id="0123456789abcdef", publication=publication, title=title, number=7, date="2024-01-02")
    out = _Terminal()
    output.table(output.issue_rows([issue]), ["ID", "DATE", "PUBLICATION", "NO.", "TITLE"], flexible=4, out=out)
    row = out.getvalue().splitlines()[1]
    assert len(row) <= 120 and row.startswith("0123456789abcdef  2024-01-02  This Week in")
    assert title[:50] in row  # not "This Week…"


def test_plurals(samples_dir: Path, tmp_path: Path) -> None:
    issue = _issue(samples_dir, 313)
    assert [output.plural(n, "issue") for n in (0, 1, 2)] == ["0 issues", "1 issue", "2 issues"]
    assert output.plural(1, "new issue") == "1 new issue"
    fresh = tmp_path / "fresh"
    assert backissue(fresh, "list", "--json").returncode == 0
    made = backissue(fresh, "annotate", str(issue["id"]), "--quote", "CodeGeeX", "--occurrence", "1")
    assert made.returncode == 0, made.stderr
    exported = backissue(fresh, "export", "--format", "json", "--out", str(tmp_path / "a.json"))
    assert "Exported 1 annotation to" in exported.stderr
    exported = backissue(fresh, "export", "--format", "markdown", "--out", str(tmp_path / "md"))
    assert "Exported 1 issue to" in exported.stderr
