"""make site: every page opens in a real browser (headless Chromium) with its charts
visible, its navigation works, and no link inside the site is broken."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from workshop.build_site import build
from workshop.lessons import lessons, translated_lessons
from workshop.live_view_screenshot import CHROMIUM

ROOT = Path(__file__).resolve().parent.parent

SCREENSHOT = ROOT / "build" / "site_lesson01.png"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("site") / "site"
    build(output)
    return output


def test_the_site_has_an_index_every_lesson_and_the_guide_in_both_languages(site):
    names = sorted(path.name for path in site.glob("*.html"))
    translated = translated_lessons()
    assert len(translated) == 6
    assert names == sorted(["index.html", "teacher_guide.html", "index.zh.html", "teacher_guide.zh.html"]
                           + [p.stem + ".html" for p in lessons() + translated])
    index = (site / "index.html").read_text()
    for lesson in lessons():
        assert f'href="{lesson.stem}.html"' in index       # the lesson table links the pages
    chinese = (site / "index.zh.html").read_text()
    for lesson in translated:
        assert f'href="{lesson.stem}.html"' in chinese
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
                    # every lesson, the index and the guide; and the same page in the other language
                    assert page.locator("nav.course a:not(.language)").count() == len(lessons()) + 2
                assert page.locator("nav.course a.language").count() == 1, path.name
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

            # The switch: lesson 1 in Chinese, run in Chinese (its stored verdicts are), and back.
            page.goto(first.as_uri())
            page.click("nav.course a.language")
            assert page.url.endswith(lessons()[0].stem + ".zh.html")
            assert page.evaluate("document.documentElement.lang") == "zh-CN"
            assert page.title().startswith("第 1 课"), page.title()
            assert page.locator(".jp-OutputArea-output", has_text="你的预测").count() >= 1
            page.click('nav.steps a[rel="next"]')
            assert page.url.endswith(lessons()[1].stem + ".zh.html")
            page.click("nav.course a.language")
            assert page.url.endswith(lessons()[1].stem + ".html")
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 20_000
