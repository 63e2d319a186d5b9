"""``backissue links``, ``cited-by``, ``related``, ``timeline`` and ``stats`` (issue #17), in a subprocess.

The fixtures (tests/fixtures/links) are Markdown issues with YAML front matter whose links have the
shapes newsletters send (arXiv abs/pdf/v2, doi.org and dx.doi.org, GitHub .git and /tree paths,
Substack and ConvertKit click redirects, utm_* and mc_* tracking).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import backissue

LINKS = Path(__file__).resolve().parents[1] / "fixtures" / "links"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-links") / "data"
    result = backissue(path, "import", str(LINKS))
    assert result.returncode == 0, result.stderr
    return path


def test_links_by_site_as_json(data_dir: Path) -> None:
    result = backissue(data_dir, "links", "--site", "github.com", "--json")
    assert result.returncode == 0, result.stderr
    works = json.loads(result.stdout)
    assert [(w["key"], w["issues"]) for w in works] == [
        ("github:google-research/robotics_transformer", 3), ("github:huggingface/transformers", 1)]
    assert works[0]["title"] == "google-research/robotics_transformer"


def test_links_table_and_limit(data_dir: Path) -> None:
    result = backissue(data_dir, "links", "--limit", "2")
    assert result.returncode == 0, result.stderr
    assert "RT-1: Robotics Transformer for Real-World Control at Scale" in result.stdout
    assert "2 of 9 works" in result.stderr


def test_cited_by_any_form_of_the_address(data_dir: Path) -> None:
    result = backissue(data_dir, "cited-by", "http://arxiv.org/pdf/2212.06817v2.pdf")
    assert result.returncode == 0, result.stderr
    assert "cited by 3 issues in 2 publications" in result.stdout
    assert "“Researchers at Google trained RT-1, a transformer" in result.stdout
    data = json.loads(backissue(data_dir, "cited-by", "2212.06817", "--json").stdout)
    assert data["work"]["key"] == "arxiv:2212.06817" and len(data["citations"]) == 3
    assert {c["other_issues"] for c in data["citations"]} == {2}


def test_cited_by_an_unknown_work_says_so(data_dir: Path) -> None:
    result = backissue(data_dir, "cited-by", "https://example.com/never-cited")
    assert result.returncode == 1
    assert "No issue cites 'https://example.com/never-cited'" in result.stderr
    assert "Traceback" not in result.stderr


def test_related_and_timeline(data_dir: Path) -> None:
    issues = json.loads(backissue(data_dir, "list", "--json").stdout)
    batch = next(i["id"] for i in issues if i["publication"] == "The Batch")
    related = json.loads(backissue(data_dir, "related", batch, "--json").stdout)
    assert {r["number"] for r in related} == {314, 320}
    assert all(r["shared_works"] for r in related)
    timeline = json.loads(backissue(data_dir, "timeline", "robots", "--json").stdout)
    assert [(b["month"], b["publication"]) for b in timeline] == [
        ("2023-01", "Import AI"), ("2023-02", "The Batch"), ("2023-03", "Import AI")]


def test_stats_count_links(data_dir: Path) -> None:
    stats = json.loads(backissue(data_dir, "stats", "--json").stdout)
    assert (stats["linked works"], stats["citations"]) == (9, 15)
