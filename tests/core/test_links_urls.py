"""Link normalisation: every form of a link to one work gives the same work (issue #17).

The shapes are the ones newsletters send: arXiv abs/pdf/versioned links, doi.org and dx.doi.org,
GitHub with .git and trailing paths, YouTube watch/youtu.be/embed, utm_*/mc_*/ref tracking, and
click-tracking redirects: Substack's ``/redirect/2/<base64 JSON>.<signature>?j=…`` (the address is
the JSON's "e"), Google's ``/url?q=``, ConvertKit's base64 last segment, Mailchimp's
``list-manage.com/track/click?u=…&id=…`` (ids only: nothing to unwrap).
"""

from __future__ import annotations

import base64
import json

import pytest

from reader.core._links import clean_url, link_term, work_from_query, work_of


def _substack(address: str) -> str:
    payload = json.dumps({"e": address, "p": 96842871, "s": 44380, "f": True, "u": 1, "iat": 1673830000,
                          "exp": 1676422000, "iss": "pub-44380", "sub": "link-redirect"}, separators=(",", ":"))
    token = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    return f"https://substack.com/redirect/2/{token}.kP3mQ1x0sRb9QmJ3yR0lW2nV8cXy?j=eyJ1IjoxfQ"


@pytest.mark.parametrize("link", [
    "https://arxiv.org/abs/2212.06817",
    "https://arxiv.org/abs/2212.06817v2",
    "http://arxiv.org/pdf/2212.06817v2.pdf",
    "https://arxiv.org/pdf/2212.06817",
    "https://www.arxiv.org/abs/2212.06817v1/",
    "https://export.arxiv.org/abs/2212.06817?utm_source=importai",
    _substack("https://arxiv.org/pdf/2212.06817v2.pdf?utm_source=substack&utm_medium=email"),
])
def test_every_arxiv_form_is_one_paper(link: str) -> None:
    work = work_of(link)
    assert work is not None
    assert (work.key, work.site, work.url) == ("arxiv:2212.06817", "arxiv.org", "https://arxiv.org/abs/2212.06817")


@pytest.mark.parametrize("link", [
    "https://doi.org/10.1126/science.abq1158",
    "http://dx.doi.org/10.1126/SCIENCE.ABQ1158",
    "https://dx.doi.org/10.1126/science.abq1158/",
])
def test_doi_org_and_dx_doi_org_are_one_work(link: str) -> None:
    work = work_of(link)
    assert work is not None and work.key == "doi:10.1126/science.abq1158"


@pytest.mark.parametrize("link", [
    "https://github.com/google-research/robotics_transformer",
    "https://github.com/google-research/robotics_transformer.git",
    "https://github.com/Google-Research/robotics_transformer/tree/master/tokenizers",
    "https://github.com/google-research/robotics_transformer/blob/main/README.md#usage",
    "http://www.github.com/google-research/robotics_transformer/",
])
def test_github_repository_with_and_without_git_and_paths(link: str) -> None:
    work = work_of(link)
    assert work is not None and work.key == "github:google-research/robotics_transformer"


def test_github_pages_that_are_not_repositories_stay_pages() -> None:
    work = work_of("https://github.com/features/copilot")
    assert work is not None and work.kind == "url"


@pytest.mark.parametrize("link", [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&feature=share&utm_source=thebatch",
    "https://youtu.be/dQw4w9WgXcQ?si=Xk2b9",
    "https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
    "https://www.youtube.com/embed/dQw4w9WgXcQ",
])
def test_youtube_video_in_every_form(link: str) -> None:
    work = work_of(link)
    assert work is not None and work.key == "youtube:dQw4w9WgXcQ"


@pytest.mark.parametrize(("link", "clean"), [
    ("https://Example.COM/Post/?utm_source=newsletter&utm_medium=email&id=3&ref=importai",
     "https://example.com/Post?id=3"),
    ("https://www.science.org/doi/10.1126/science.adg1234?utm_campaign=SciMag&mc_cid=8c3e1&mc_eid=f00ba4",
     "https://science.org/doi/10.1126/science.adg1234"),
    ("https://www.theverge.com/2023/1/5/robots/amp", "https://theverge.com/2023/1/5/robots"),
    ("https://en.m.wikipedia.org/wiki/Transformer_(machine_learning_model)",
     "https://en.wikipedia.org/wiki/Transformer_(machine_learning_model)"),
    ("https://twitter.com/jackclarkSF/status/1610000000000000000?s=20&t=abcDEF",
     "https://twitter.com/jackclarkSF/status/1610000000000000000"),
    ("https://importai.substack.com/p/import-ai-313?r=5x1z&utm_campaign=post", "https://importai.substack.com/p/import-ai-313"),
    ("https://example.com/search?s=robots&q=arm", "https://example.com/search?q=arm&s=robots"),
    ("https://www.google.com/url?q=https://example.com/paper/&sa=D&ust=1673", "https://example.com/paper"),
    ("https://click.convertkit-mail2.com/v8u0kz3n5q/9qhzhnhmkx/"
     "aHR0cHM6Ly9naXRodWIuY29tL2h1Z2dpbmdmYWNlL3RyYW5zZm9ybWVycy90cmVlL21haW4vZXhhbXBsZXM=",
     "https://github.com/huggingface/transformers/tree/main/examples"),
])
def test_tracking_removed_and_redirects_unwrapped(link: str, clean: str) -> None:
    assert clean_url(link) == clean


def test_mailchimp_click_without_the_address_is_kept_as_it_is() -> None:
    link = "https://deeplearning.us20.list-manage.com/track/click?u=0b1a2c3d4e5f&id=6a7b8c9d0e&e=1f2a3b4c5d"
    work = work_of(link)
    assert work is not None and work.kind == "url"
    assert work.site == "deeplearning.us20.list-manage.com"
    assert "id=6a7b8c9d0e" in work.url  # the ids are what tells one click from another


@pytest.mark.parametrize("link", ["mailto:jack@jack-clark.net", "javascript:alert(1)", "ftp://example.com/x", ""])
def test_not_web_links(link: str) -> None:
    assert work_of(link) is None


@pytest.mark.parametrize(("typed", "key"), [
    ("2212.06817", "arxiv:2212.06817"),
    ("arXiv:2212.06817v2", "arxiv:2212.06817"),
    ("10.1126/science.abq1158", "doi:10.1126/science.abq1158"),
    ("github.com/google-research/robotics_transformer", "github:google-research/robotics_transformer"),
])
def test_work_from_what_a_person_types(typed: str, key: str) -> None:
    work = work_from_query(typed)
    assert work is not None and work.key == key


def test_link_terms_for_queries() -> None:
    assert link_term("arxiv.org") == "arxiv.org"
    assert link_term("www.GitHub.com") == "github.com"
    assert link_term("https://arxiv.org/pdf/2212.06817v2") == "arxiv:2212.06817"
