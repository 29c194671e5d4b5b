"""Every stored page against its golden file (tests/fixtures/pages).

Goldens change only through ``python -m pipeline.extract.update_goldens``;
this test never writes them.
"""

from __future__ import annotations

import pytest

from pipeline.extract import NotAnArticle
from pipeline.extract.goldens import FIXTURES, Fixture, check, iter_fixtures, run

FIXTURE_LIST = list(iter_fixtures())
BY_NAME = {f.name: f for f in FIXTURE_LIST}


@pytest.mark.parametrize("fixture", FIXTURE_LIST, ids=[f.name for f in FIXTURE_LIST])
def test_golden(fixture: Fixture) -> None:
    assert fixture.html_path.exists(), f"{fixture.html_path} missing"
    assert check(fixture, run(fixture)) == []


def test_goldens_are_complete() -> None:
    for fixture in FIXTURE_LIST:
        golden = fixture.golden
        assert golden.get("url"), fixture.name
        assert "expected" in golden, f"{fixture.name}: run python -m pipeline.extract.update_goldens"
        if not golden.get("reject"):
            assert set(golden["expected"]) >= {"title", "published", "author", "canonical_url", "article_id"}
            assert golden.get("must_contain") or golden.get("must_contain_exact"), fixture.name


def test_corpus_covers_the_cases_the_issue_names() -> None:
    articles = [f for f in FIXTURE_LIST if not f.golden.get("reject")]
    assert len(FIXTURE_LIST) >= 30
    assert len({f.template for f in articles}) >= 6
    assert any(f.golden.get("reject") for f in FIXTURE_LIST), "a listing page that is rejected"
    names = " ".join(BY_NAME)
    for needed in ("cp1252", "utf8-declared-latin1", "broken-markup", "amp", "page-all", "page-2"):
        assert needed in names, needed
    assert sum("Baca juga" in s or "Baca Juga" in s for f in articles for s in f.golden.get("must_not_contain", [])) >= 10


@pytest.mark.parametrize("fixture", [f for f in FIXTURE_LIST if f.golden.get("same_story_as")],
                         ids=lambda f: f.name)
def test_variants_share_the_story_id(fixture: Fixture) -> None:
    original = BY_NAME[fixture.golden["same_story_as"]]
    ours, theirs = run(fixture), run(original)
    assert not isinstance(ours, NotAnArticle) and not isinstance(theirs, NotAnArticle)
    assert ours.article_id == theirs.article_id
    assert ours.canonical_url == theirs.canonical_url


def test_page_two_is_its_own_part() -> None:
    page2 = run(BY_NAME["tribunnews/slasherrb-tribunnews-page-2"])
    page1 = run(BY_NAME["tribunnews/slasherrb-tribunnews"])
    assert not isinstance(page2, NotAnArticle) and not isinstance(page1, NotAnArticle)
    assert "page=2" in page2.canonical_url
    assert page2.article_id != page1.article_id


def test_fixtures_live_in_the_repository() -> None:
    assert FIXTURES.is_dir()
    for fixture in FIXTURE_LIST:
        assert FIXTURES in fixture.html_path.parents
