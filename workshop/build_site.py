"""Build a static site from the lessons as stored (outputs and charts included): make site.

    .venv/bin/python -m workshop.build_site [OUTPUT_FOLDER]     (default build/site)

Writes an index page (the README's introduction and lesson table), one page
per lesson rendered by nbconvert's "lab" template, the teacher's guide, and
the tutorial's programs the lessons link to (``programs/``, one folder a
step). Every page gets the same navigation bar (index, lessons, guide) and,
on a lesson, links to the previous and next one. Links between notebooks
are rewritten to the pages. Nothing is executed and nothing is fetched: it
builds offline, and a page needs nothing from outside the site (the
template's require.js and MathJax, loaded from a CDN, are left out: the
lessons have no widgets and no formulas).
"""

from __future__ import annotations

import html
import re
import shutil
import sys
from pathlib import Path
from typing import List, Optional, Tuple

import mistune
import nbformat
from nbconvert import HTMLExporter

from workqueue_helpers.language import ENGLISH
from workshop.lessons import NOTEBOOKS, language_of, lessons, translated_lessons

ROOT = Path(__file__).resolve().parent.parent
GUIDE = NOTEBOOKS / "teacher_guide.md"
# Each language's words for the site itself; its index comes from its README.
WORDS = {
    "en": {"name": "English", "home": "Work queues", "site": "RabbitMQ work queues", "guide": "Teacher's guide",
           "readme": "README.md", "lessons": "The lessons",
           "for teachers": "For teachers: [the teacher's guide](teacher_guide.md)."},
    "zh": {"name": "中文", "home": "工作队列", "site": "RabbitMQ 工作队列", "guide": "教师指南",
           "readme": "README.zh.md", "lessons": "课程",
           "for teachers": "教师请看：[教师指南](teacher_guide.zh.md)。"},
}
HTML_LANGUAGE = {"en": "en", "zh": "zh-CN"}
STYLE = """
nav.course { font: 15px/1.5 system-ui, sans-serif; background: #f4f4f4; border-bottom: 1px solid #ddd;
             padding: 8px 16px; position: sticky; top: 0; z-index: 10; }
nav.course a { margin-right: 14px; color: #1a4f8b; text-decoration: none; }
nav.course a.here { font-weight: bold; color: #222; }
nav.course a.language { float: right; margin-right: 0; }
nav.steps { font: 15px/1.5 system-ui, sans-serif; display: flex; justify-content: space-between;
            padding: 16px; border-top: 1px solid #ddd; margin-top: 24px; }
main.page { max-width: 960px; margin: 24px auto; padding: 0 16px; font: 16px/1.6 system-ui, sans-serif; }
main.page table { border-collapse: collapse; } main.page td, main.page th { border: 1px solid #ccc; padding: 4px 8px; }
main.page pre { background: #f6f6f6; padding: 8px; overflow-x: auto; }
"""


def title_of(notebook: Path) -> str:
    """The lesson's first heading, without the leading '#'."""
    first = nbformat.read(notebook, as_version=4).cells[0].source
    return first.splitlines()[0].lstrip("# ").strip()


def page_name(path: Path) -> str:
    return path.stem + ".html"


def navigation(here: str, pages: List[Tuple[str, str]], switch: Tuple[str, str]) -> str:
    """The bar on every page: the course's pages, and the same page in the other language."""
    links = "".join(f'<a href="{href}"{" class=here" if href == here else ""}>{html.escape(label)}</a>'
                    for href, label in pages)
    other = f'<a class=language href="{switch[0]}">{html.escape(switch[1])}</a>'
    return f'<nav class="course">{links}{other}</nav>'


def steps(previous: Optional[Tuple[str, str]], following: Optional[Tuple[str, str]]) -> str:
    left = f'<a rel="prev" href="{previous[0]}">← {html.escape(previous[1])}</a>' if previous else "<span></span>"
    right = f'<a rel="next" href="{following[0]}">{html.escape(following[1])} →</a>' if following else "<span></span>"
    return f'<nav class="steps">{left}{right}</nav>'


def link_pages(text: str) -> str:
    """Links to a lesson notebook (or its translation) or the guide point at its page instead."""
    text = re.sub(r'href="(?:notebooks/)?(\d\d[a-z]?_[\w-]+(?:\.[a-z]{2})?)\.ipynb', r'href="\1.html', text)
    text = re.sub(r'href="README((?:\.[a-z]{2})?)\.md', r'href="index\1.html', text)
    return re.sub(r'href="(?:notebooks/)?(teacher_guide(?:\.[a-z]{2})?)\.md', r'href="\1.html', text)


def wrap(body: str, title: str, nav: str, language: str, bottom: str = "") -> str:
    return (f"<!DOCTYPE html>\n<html lang={HTML_LANGUAGE[language]}><head><meta charset=utf-8>"
            f"<meta name=viewport content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
            f"<body>{nav}<main class=page>{body}</main>{bottom}</body></html>\n")


def markdown_page(markdown_text: str) -> str:
    render = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])
    return link_pages(render(markdown_text))


def index_markdown(language: str) -> str:
    """The README's title and introduction, and its lesson table, with links to the pages."""
    readme = (ROOT / WORDS[language]["readme"]).read_text(encoding="utf-8")
    introduction = readme.split("\n## ", 1)[0]
    heading = WORDS[language]["lessons"]
    section = readme.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    guide = f"\n\n{WORDS[language]['for teachers']}" if GUIDE.exists() else ""
    return re.sub(r"\(notebooks/", "(", f"{introduction}\n\n## {heading}\n\n{table}{guide}\n")


def suffixed(name: str, language: str) -> str:
    """``01_round_robin.html`` as the page of ``language``: ``01_round_robin.zh.html``."""
    stem, extension = name.rsplit(".", 1)
    return name if language == ENGLISH else f"{stem}.{language}.{extension}"


def counterpart(page: str, language: str, other: Optional[str]) -> Tuple[str, str]:
    """The language switch of ``page``: the same page in ``other``, if it has one; else
    ``other``'s index."""
    if other is None:
        return (page, WORDS[language]["name"])
    stem = page.split(".", 1)[0]
    wanted = suffixed(f"{stem}.html", other)
    exists = stem == "index" or (NOTEBOOKS / wanted.replace(".html", ".ipynb")).exists() or \
        (NOTEBOOKS / wanted.replace(".html", ".md")).exists()
    return (wanted if exists else suffixed("index.html", other), WORDS[other]["name"])


def build(output: Path) -> List[Path]:
    """Write the site into ``output`` (emptied first), in every language the lessons
    have; return the pages written."""
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    written: List[Path] = []
    exporter = HTMLExporter(template_name="lab")
    english = lessons()
    languages = [ENGLISH] + sorted({language_of(path) for path in translated_lessons()})
    for language in languages:
        other = ENGLISH if language != ENGLISH else (languages[1] if len(languages) > 1 else None)
        # A page in this language where there is one; an appendix stays English.
        notebooks = [path.with_name(f"{path.stem}.{language}.ipynb")
                     if language != ENGLISH and path.with_name(f"{path.stem}.{language}.ipynb").exists()
                     else path for path in english]
        guide = GUIDE if language == ENGLISH else GUIDE.with_name(f"{GUIDE.stem}.{language}.md")
        index = suffixed("index.html", language)
        pages = [(index, WORDS[language]["home"])] + [(page_name(n), n.stem[:3].rstrip("_")) for n in notebooks]
        if guide.exists():
            pages.append((page_name(guide), WORDS[language]["guide"]))
        titles = {page_name(n): title_of(n) for n in notebooks}

        def switch(page: str, language: str = language, other: Optional[str] = other) -> Tuple[str, str]:
            return counterpart(page, language, other)

        (output / index).write_text(
            wrap(markdown_page(index_markdown(language)), WORDS[language]["site"],
                 navigation(index, pages, switch(index)), language), encoding="utf-8")
        written.append(output / index)

        for number, notebook in enumerate(notebooks):
            if language != ENGLISH and language_of(notebook) == ENGLISH:
                continue  # an appendix: its English page, linked from this language's bar
            node = nbformat.read(notebook, as_version=4)
            node.metadata["title"] = title_of(notebook)  # the page's title, in its language
            body, _ = exporter.from_notebook_node(node)
            here = page_name(notebook)
            previous = (page_name(notebooks[number - 1]), titles[page_name(notebooks[number - 1])]) \
                if number else None
            following = (page_name(notebooks[number + 1]), titles[page_name(notebooks[number + 1])]) \
                if number + 1 < len(notebooks) else None
            # The lessons need neither require.js nor MathJax (no widgets, no formulas): drop
            # the template's scripts from a CDN, so that a page is whole offline.
            body = re.sub(r'<script[^>]*src="https?://[^"]*"[^>]*>\s*</script>', "", link_pages(body))
            header = f"<style>{STYLE}</style>" + navigation(here, pages, switch(here))
            body = re.sub(r"(<body[^>]*>)", lambda m, header=header: m.group(1) + header, body, count=1)
            body = body.replace("</body>", steps(previous, following) + "</body>", 1)
            body = re.sub(r"<html[^>]*>", f"<html lang={HTML_LANGUAGE[language]}>", body, count=1)
            (output / here).write_text(body, encoding="utf-8")
            written.append(output / here)

        if guide.exists():
            here = page_name(guide)
            (output / here).write_text(
                wrap(markdown_page(guide.read_text(encoding="utf-8")), WORDS[language]["guide"],
                     navigation(here, pages, switch(here)), language), encoding="utf-8")
            written.append(output / here)
    shutil.copytree(NOTEBOOKS / "programs", output / "programs",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return written


def main() -> int:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "site"
    written = build(output)
    print(f"site: {len(written)} pages in {output} (open {output / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
