"""Check a built book: every chapter linked, executed, with figures, MathJax served locally,
the instructors' page linking the lecture plans, slide decks and live notebooks, and the
Chinese edition (html/zh/, issue 27) built beside the English with every page linked to its
twin, its translated pages in Chinese.

Run by ``make book`` after ``jupyter-book build``; exits non-zero with a message naming the
page at fault.  Usage: ``python book/check_build.py book/_build``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

BOOK = Path(__file__).resolve().parent


def toc_files() -> list[str]:
    """The documents listed in ``_toc.yml`` (root first), without suffix."""
    text = (BOOK / "_toc.yml").read_text(encoding="utf-8")
    root = re.search(r"^root:\s*(\S+)", text, re.M).group(1)
    return [root] + re.findall(r"-\s*file:\s*(\S+)", text)


def check(build: Path) -> list[str]:
    html = build / "html"
    problems = []
    if not (html / "index.html").is_file():
        return [f"{html / 'index.html'} is missing: did jupyter-book build fail?"]
    docs = toc_files()
    root_page = (html / f"{docs[0]}.html").read_text(encoding="utf-8")
    if "cdn.jsdelivr.net/npm/mathjax" in root_page or "mathjax/tex-chtml.js" not in root_page:
        problems.append("MathJax is not served from _static/mathjax (the book would need a network)")
    if not (html / "_static" / "mathjax" / "tex-chtml.js").is_file():
        problems.append("_static/mathjax/tex-chtml.js was not copied into the build")
    for doc in docs[1:]:
        page = html / f"{doc}.html"
        if not page.is_file():
            problems.append(f"{doc}: no page {page.name} in the build")
            continue
        if f'href="{doc}.html"' not in root_page:
            problems.append(f"{doc}: not linked from {docs[0]}.html")
        if (BOOK / f"{doc}.ipynb").is_file():
            text = page.read_text(encoding="utf-8")
            if "<img" not in text:
                problems.append(f"{doc}.ipynb: the executed page shows no figure")
            if "Traceback (most recent call last)" in text or 'class="output traceback' in text:
                problems.append(f"{doc}.ipynb: a cell raised (a traceback is in the page)")
    problems += check_instructors_page(html)
    problems += check_chinese_edition(html, docs)
    reports = html / "reports"
    for log in sorted(reports.glob("*.log")) if reports.is_dir() else []:
        problems.append(f"execution report {log.name}:\n{log.read_text(encoding='utf-8')[-2000:]}")
    return problems


def check_instructors_page(html: Path) -> list[str]:
    """The instructors' page links every chapter's deck and live notebook, and every lecture
    plan in book/lectures is a page of the book."""
    index = html / "lectures" / "index.html"
    if not index.is_file():
        return [f"{index} is missing: the instructors' page was not built"]
    text = index.read_text(encoding="utf-8")
    problems = []
    for chapter in sorted(BOOK.glob("[0-9][0-9]_*.ipynb")):
        for target in (f"slides/{chapter.stem}.slides.html", f"live/{chapter.stem}.ipynb"):
            if target not in text:
                problems.append(f"lectures/index.html: no link to {target}")
    for plan in sorted((BOOK / "lectures").glob("[0-9][0-9]_*.md")):
        if not (html / "lectures" / f"{plan.stem}.html").is_file():
            problems.append(f"lecture plan {plan.name}: not a page of the book (is it in _toc.yml?)")
        elif f'href="{plan.stem}.html"' not in text:
            problems.append(f"lecture plan {plan.name}: not linked from lectures/index.html")
    return problems


CJK = re.compile(r"[\u4e00-\u9fff]")
ZH = "zh"                                    # the Chinese edition's folder (courseware/i18n.py)
CATALOGS = BOOK / "locales" / "zh_CN" / "LC_MESSAGES"


def check_chinese_edition(html: Path, docs: list[str]) -> list[str]:
    """html/zh/ has every page, each linked to and from its English twin, with local maths,
    executed chapters (the English build's outputs) and Chinese prose where a catalog exists."""
    zh = html / ZH
    if not (zh / "index.html").is_file():
        return [f"{zh / 'index.html'} is missing: the Chinese edition was not built "
                "(python -m courseware.i18n build)"]
    problems = []
    root_page = (zh / f"{docs[0]}.html").read_text(encoding="utf-8")
    if 'lang="zh-CN"' not in root_page:
        problems.append(f"{ZH}/{docs[0]}.html: not built with language=zh_CN")
    if "cdn.jsdelivr.net/npm/mathjax" in root_page or "mathjax/tex-chtml.js" not in root_page:
        problems.append(f"{ZH}/: MathJax is not served from _static/mathjax")
    if not (zh / "_static" / "mathjax" / "tex-chtml.js").is_file():
        problems.append(f"{ZH}/_static/mathjax/tex-chtml.js was not copied into the build")
    translated = {p.relative_to(CATALOGS).with_suffix("").as_posix() for p in CATALOGS.rglob("*.po")}
    plans = [f"lectures/{plan.stem}" for plan in sorted((BOOK / "lectures").glob("[0-9][0-9]_*.md"))]
    for doc in dict.fromkeys(docs + plans):
        page, english = zh / f"{doc}.html", html / f"{doc}.html"
        if not page.is_file():
            problems.append(f"{ZH}/{doc}.html: no Chinese page")
            continue
        up = "../" * doc.count("/")
        text = page.read_text(encoding="utf-8")
        if f'href="../{up}{doc}.html" hreflang="en"' not in text:
            problems.append(f"{ZH}/{doc}.html: no link to the English page")
        if english.is_file() and f'href="{up}{ZH}/{doc}.html" hreflang="zh-CN"' not in english.read_text(encoding="utf-8"):
            problems.append(f"{doc}.html: no link to the Chinese page")
        if doc in translated and len(CJK.findall(text)) < 100:
            problems.append(f"{ZH}/{doc}.html: has a catalog but hardly any Chinese (was it compiled?)")
        if (BOOK / f"{doc}.ipynb").is_file():
            if "<img" not in text:
                problems.append(f"{ZH}/{doc}.html: the executed page shows no figure")
            if "Traceback (most recent call last)" in text or 'class="output traceback' in text:
                problems.append(f"{ZH}/{doc}.html: a cell raised (a traceback is in the page)")
    reports = zh / "reports"
    for log in sorted(reports.glob("*.log")) if reports.is_dir() else []:
        problems.append(f"Chinese edition, execution report {log.name}:\n{log.read_text(encoding='utf-8')[-2000:]}")
    return problems


def main(argv: list[str]) -> int:
    build = Path(argv[1] if len(argv) > 1 else BOOK / "_build")
    problems = check(build)
    for problem in problems:
        print(f"book check: {problem}", file=sys.stderr)
    if not problems:
        print(f"book check: {len(toc_files())} pages built, executed, with figures and offline maths,"
              " in English and in Chinese (html/zh/)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
