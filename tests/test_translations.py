"""The translated lessons: the same code as the English ones, no stale text, and a kernel
that speaks the lesson's language (hints, verdicts, chart labels)."""

from __future__ import annotations

import ast
import re
import shutil
import string
from pathlib import Path

import nbformat
import pytest

from workqueue_helpers import language
from workqueue_helpers.exercises import checks
from workqueue_helpers.exercises.predict import reveal
from workqueue_helpers.show import chart
from workshop import translations
from workshop.learner_copies import learner_copy

from synthetic import killed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OTHERS = [code for code in language.LANGUAGES if code != language.ENGLISH]


def placeholders(text: str) -> set:
    return {(name, spec) for _, name, spec, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("code", OTHERS)
def test_every_lesson_and_the_guide_are_translated_and_up_to_date(code):
    assert len(translations.translations(code)) == len(translations.TRANSLATED) == 6
    found = [problem for english in translations.TRANSLATED
             for problem in translations.problems(english, translations.translation_path(english, code))]
    found += translations.guide_problems(code)
    assert found == [], "\n".join(map(str, found)) + "\n(python -m workshop.translations status)"


def test_a_translation_runs_exactly_the_english_code_cells():
    for english in translations.TRANSLATED:
        for code in OTHERS:
            theirs = nbformat.read(english, as_version=4).cells
            ours = nbformat.read(translations.translation_path(english, code), as_version=4).cells
            assert [(c.cell_type, c.source if c.cell_type == "code" else None) for c in ours] == \
                [(c.cell_type, c.source if c.cell_type == "code" else None) for c in theirs]


def test_an_english_change_makes_the_translation_stale_until_accepted(tmp_path):
    english = tmp_path / "01_round_robin.ipynb"
    translated = tmp_path / "01_round_robin.zh.ipynb"
    shutil.copy(translations.TRANSLATED[0], english)
    shutil.copy(translations.translation_path(translations.TRANSLATED[0], "zh"), translated)
    assert translations.problems(english, translated) == []
    notebook = nbformat.read(english, as_version=4)
    markdown = next(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "markdown")
    code = next(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code")
    notebook.cells[markdown].source += "\nOne more sentence."
    notebook.cells[code].source += "\nprint('one more line')"
    nbformat.write(notebook, english)
    assert [(p.cell, p.what.split(":")[0]) for p in translations.problems(english, translated)] == \
        [(markdown, "stale"), (code, "code differs from the English (run sync)")]
    assert translations.sync(english, translated) == 1          # the code follows by itself...
    assert [p.cell for p in translations.problems(english, translated)] == [markdown]
    translations.accept(english, translated, markdown)           # ...the words once translated
    assert translations.problems(english, translated) == []


def test_the_kernel_speaks_the_language_of_its_notebook(monkeypatch):
    monkeypatch.delenv(language.LANGUAGE_VARIABLE, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert language.current() == "en"
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/me/notebooks/learner/01_round_robin.zh.ipynb")
    assert language.current() == "zh"
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/me/notebooks/01_round_robin.ipynb")
    assert language.current() == "en"
    monkeypatch.setenv(language.LANGUAGE_VARIABLE, "zh")
    assert language.current() == "zh"


def string_constants(tree: ast.Module) -> dict:
    return {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}


def wrapped_texts(paths: list) -> set:
    """The texts these modules hand to ``translated``, ``chart_text`` or ``claim``: string literals
    in the first argument (both sides of an ``x if c else y``), or a module constant named
    there (``X_LABEL``, ``management.HOW_TO_ENABLE``)."""
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in paths]
    constants = {name: text for tree in trees for name, text in string_constants(tree).items()}
    texts = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("translated", "chart_text", "claim") \
                    and node.args:
                for part in ast.walk(node.args[0]):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        texts.add(part.value)
                    elif isinstance(part, (ast.Name, ast.Attribute)):
                        name = part.id if isinstance(part, ast.Name) else part.attr
                        if name in constants:
                            texts.add(constants[name])
    return texts


def english_texts() -> set:
    """Every text the package and the workshop translate, and the lessons' chart titles
    (the code cells pass them in English)."""
    texts = wrapped_texts([*(ROOT / "workqueue_helpers").rglob("*.py"), *(ROOT / "workshop").glob("*.py")])
    texts |= {*chart.LEGEND_LABELS.values(), *chart.AUTO_ACK_LABELS.values(), "killed", "stopped", "crashed"}
    for english in translations.TRANSLATED:
        for cell in nbformat.read(english, as_version=4).cells:
            if cell.cell_type == "code":
                texts |= set(re.findall(r'title="([^"]+)"', cell.source))
                for titles in re.findall(r"plot_timelines\(\[[^\]]*\],\s*(\[[^\]]*\])", cell.source):
                    texts |= set(ast.literal_eval(titles))
    return texts


@pytest.mark.parametrize("code", OTHERS)
def test_every_text_and_hint_has_a_translation_with_the_same_placeholders(code):
    tables = language.tables(code)
    texts = english_texts()
    assert {"Round-robin: five tasks, two workers", "Not yet: ", chart.X_LABEL} <= texts  # the scan works
    missing = sorted(texts - set(tables["TEXTS"]))
    assert missing == [], f"no {code} text for these"
    unused = sorted(set(tables["TEXTS"]) - texts)
    assert unused == [], "translations of texts the package no longer has"
    for english in texts:
        assert placeholders(tables["TEXTS"][english]) == placeholders(english), english
    assert list(tables["HINTS"]) == list(checks.HINTS)
    for key, english in checks.HINTS.items():
        assert placeholders(tables["HINTS"][key]) == placeholders(english), key


def test_a_chinese_lesson_gets_chinese_hints_and_verdicts(monkeypatch, capsys):
    monkeypatch.setenv(language.LANGUAGE_VARIABLE, "zh")
    verdict = checks.hint("published_twice", count=2)
    assert repr(verdict).startswith("还不对：") and "2" in verdict.text
    assert verdict.mistake == "published_twice"
    reveal([1, 3], [3, 5])
    assert capsys.readouterr().out.splitlines()[0] == "你的预测：  [1, 3]"
    monkeypatch.setenv(language.LANGUAGE_VARIABLE, "en")
    assert repr(checks.hint("published_twice", count=2)).startswith("Not yet: ")


def test_a_chinese_lesson_draws_its_chart_in_chinese(monkeypatch):
    import matplotlib.pyplot as plt
    monkeypatch.setenv(language.LANGUAGE_VARIABLE, "zh")
    if not chart._font_ready("zh"):
        pytest.skip("no Chinese font here (Debian: fonts-wqy-microhei); the labels stay English")
    ax = chart.plot_timeline(killed(redelivery=True), title="Round-robin: five tasks, two workers")
    try:
        assert ax.get_title(loc="left") == "循环调度：五个任务，两个 Worker"
        assert ax.get_xlabel() == "从第一个任务发布起的秒数"
        legend = [text.get_text() for text in ax.get_legend().get_texts()]
        assert "重新投递" in legend and "Worker 被杀死" in legend, legend
        assert not any(text.isascii() and text.isalpha() for text in legend), legend
    finally:
        plt.close(ax.figure)


def test_the_learner_copy_of_a_translation_folds_its_answers_in_its_language():
    english = translations.TRANSLATED[0]
    translated = nbformat.read(translations.translation_path(english, "zh"), as_version=4)
    copy = learner_copy(translated, "zh")
    folded = [cell.source for cell in copy.cells if "answer" in cell.metadata.get("tags", [])]
    assert folded and all("运行上面的单元格之后再打开" in source for source in folded)
    links = re.findall(r"\]\(([^)]+\.ipynb[^)]*)\)", "\n".join(c.source for c in copy.cells))
    assert links and all(not link.startswith("../") for link in links if ".zh.ipynb" in link)
    assert all(cell.outputs == [] for cell in copy.cells if cell.cell_type == "code")

