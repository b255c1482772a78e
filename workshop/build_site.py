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

from workshop.lessons import NOTEBOOKS, lessons

ROOT = Path(__file__).resolve().parent.parent
GUIDE = NOTEBOOKS / "teacher_guide.md"
STYLE = """
nav.course { font: 15px/1.5 system-ui, sans-serif; background: #f4f4f4; border-bottom: 1px solid #ddd;
             padding: 8px 16px; position: sticky; top: 0; z-index: 10; }
nav.course a { margin-right: 14px; color: #1a4f8b; text-decoration: none; }
nav.course a.here { font-weight: bold; color: #222; }
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


def navigation(here: str, pages: List[Tuple[str, str]]) -> str:
    links = "".join(f'<a href="{href}"{" class=here" if href == here else ""}>{html.escape(label)}</a>'
                    for href, label in pages)
    return f'<nav class="course">{links}</nav>'


def steps(previous: Optional[Tuple[str, str]], following: Optional[Tuple[str, str]]) -> str:
    left = f'<a rel="prev" href="{previous[0]}">← {html.escape(previous[1])}</a>' if previous else "<span></span>"
    right = f'<a rel="next" href="{following[0]}">{html.escape(following[1])} →</a>' if following else "<span></span>"
    return f'<nav class="steps">{left}{right}</nav>'


def link_pages(text: str) -> str:
    """Links to a lesson notebook or the guide point at its page instead."""
    text = re.sub(r'href="(\d\d[a-z]?_[\w-]+)\.ipynb', r'href="\1.html', text)
    text = re.sub(r'href="(?:notebooks/)?teacher_guide\.md', 'href="teacher_guide.html', text)
    return re.sub(r'href="notebooks/(\d\d[a-z]?_[\w-]+)\.ipynb', r'href="\1.html', text)


def wrap(body: str, title: str, nav: str, bottom: str = "") -> str:
    return (f"<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            f"<meta name=viewport content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
            f"<body>{nav}<main class=page>{body}</main>{bottom}</body></html>\n")


def markdown_page(markdown_text: str) -> str:
    render = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])
    return link_pages(render(markdown_text))


def index_markdown() -> str:
    """The README's title and introduction, and its lesson table, with links to the pages."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    introduction = readme.split("\n## ", 1)[0]
    section = readme.split("\n## The lessons\n", 1)[1].split("\n## ", 1)[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    guide = "\n\nFor teachers: [the teacher's guide](teacher_guide.md)." if GUIDE.exists() else ""
    return re.sub(r"\(notebooks/", "(", f"{introduction}\n\n## The lessons\n\n{table}{guide}\n")


def build(output: Path) -> List[Path]:
    """Write the site into ``output`` (emptied first); return the pages written."""
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    notebooks = lessons()
    pages = [("index.html", "Work queues")] + [(page_name(n), f"{n.stem[:2]}") for n in notebooks]
    titles = {page_name(n): title_of(n) for n in notebooks}
    if GUIDE.exists():
        pages.append(("teacher_guide.html", "Teacher's guide"))
    written = []

    (output / "index.html").write_text(
        wrap(markdown_page(index_markdown()), "RabbitMQ work queues", navigation("index.html", pages)),
        encoding="utf-8")
    written.append(output / "index.html")

    exporter = HTMLExporter(template_name="lab")
    for number, notebook in enumerate(notebooks):
        body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
        here = page_name(notebook)
        previous = (page_name(notebooks[number - 1]), titles[page_name(notebooks[number - 1])]) if number else None
        following = (page_name(notebooks[number + 1]), titles[page_name(notebooks[number + 1])]) \
            if number + 1 < len(notebooks) else None
        # The lessons need neither require.js nor MathJax (no widgets, no formulas): drop
        # the template's scripts from a CDN, so that a page is whole offline.
        body = re.sub(r'<script[^>]*src="https?://[^"]*"[^>]*>\s*</script>', "", link_pages(body))
        header = f"<style>{STYLE}</style>" + navigation(here, pages)
        body = re.sub(r"(<body[^>]*>)", lambda m, header=header: m.group(1) + header, body, count=1)
        body = body.replace("</body>", steps(previous, following) + "</body>", 1)
        (output / here).write_text(body, encoding="utf-8")
        written.append(output / here)

    if GUIDE.exists():
        guide = markdown_page(GUIDE.read_text(encoding="utf-8"))
        (output / "teacher_guide.html").write_text(
            wrap(guide, "Teacher's guide", navigation("teacher_guide.html", pages)), encoding="utf-8")
        written.append(output / "teacher_guide.html")
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
