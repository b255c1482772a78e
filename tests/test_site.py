"""make site: every page opens in a real browser (headless Chromium) with its charts
visible, its navigation works, and no link inside the site is broken."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from workshop.build_site import build
from workshop.lessons import lessons
from workshop.live_view_screenshot import CHROMIUM

ROOT = Path(__file__).resolve().parent.parent

SCREENSHOT = ROOT / "build" / "site_lesson01.png"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("site") / "site"
    build(output)
    return output


def test_the_site_has_an_index_every_lesson_and_the_guide(site):
    names = sorted(path.name for path in site.glob("*.html"))
    assert names == sorted(["index.html", "teacher_guide.html"] + [p.stem + ".html" for p in lessons()])
    index = (site / "index.html").read_text()
    for lesson in lessons():
        assert f'href="{lesson.stem}.html"' in index       # the lesson table links the pages
    assert (site / "programs" / "step1" / "worker.py").exists()


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM),
                    reason="needs a Chromium: Debian's chromium package, or CHROMIUM=path")
def test_every_page_renders_with_its_charts_and_working_links(site):
    from playwright.sync_api import sync_playwright

    pages = sorted(site.glob("*.html"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            failed = []
            page.on("requestfailed", lambda request: failed.append(request.url))
            for path in pages:
                page.goto(path.as_uri())
                images = page.locator("main img, .jp-OutputArea-output img")
                drawn = page.evaluate("""() => [...document.images].map(
                    image => image.complete && image.naturalWidth > 0 && image.getBoundingClientRect().width > 0)""")
                assert all(drawn), f"{path.name}: an image is not drawn"
                if path.stem[:2].isdigit():
                    if path.stem[2] == "_":  # a lesson, not an appendix (02a_...)
                        assert images.count() >= 1, f"{path.name}: no chart"
                    assert page.locator("nav.course a").count() == len(pages)
                for href in page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)"):
                    target, _ = urldefrag(href)
                    if urlparse(target).scheme == "file":
                        assert Path(unquote(urlparse(target).path)).exists(), f"{path.name}: broken link {href}"
            assert failed == [], failed

            # Navigation: from lesson 1, "next" leads to lesson 2, and its "previous" back.
            first = site / (lessons()[0].stem + ".html")
            page.goto(first.as_uri())
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=False)
            page.click('nav.steps a[rel="next"]')
            assert page.url.endswith(lessons()[1].stem + ".html")
            assert page.title().startswith("Lesson 2"), page.title()
            page.click('nav.steps a[rel="prev"]')
            assert page.url.endswith(lessons()[0].stem + ".html")
            page.click('nav.course a[href="index.html"]')
            assert page.locator("table a", has_text="Round-robin dispatch").count() == 1
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 20_000
