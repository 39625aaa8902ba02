"""The book in Simplified Chinese (中文版, issue 27): gettext catalogs kept in step with the English.

The English text is the source.  Sphinx's ``gettext`` builder cuts every document of the book
into messages (paragraphs, headings, table cells, captions, admonitions; never code, outputs
or figures, see ``gettext_additional_targets`` in ``book/_config.yml``) and writes one
template per document; :func:`update` merges each template into the document's catalog
``book/locales/zh_CN/LC_MESSAGES/<doc>.po`` as ``sphinx-intl update`` does: translations of
unchanged sentences are kept, a sentence whose English changed keeps its old translation
marked *fuzzy* (with the old English beside it, ``#| msgid``), a new sentence is untranslated.
Sphinx uses neither a fuzzy nor an empty translation, so the Chinese page shows the English
sentence until a translator has confirmed it, and :func:`problems` (the tests) fails on it.

Commands (run from the repository root)::

    python -m courseware.i18n update              # refresh every existing catalog
    python -m courseware.i18n update 03_optimizers lectures/03_optimizers   # + new catalogs
    python -m courseware.i18n stats               # translated / fuzzy / untranslated per document
    python -m courseware.i18n check               # exit 1 naming every stale sentence
    python -m courseware.i18n build               # the Chinese edition into book/_build/html/zh

Translating a chapter is then only filling its ``.po`` file: every ``msgstr`` written, every
``#, fuzzy`` line removed once the translation says what the new English says.
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

BOOK = Path(__file__).resolve().parent.parent / "book"
LANGUAGE = "zh_CN"
EDITION_FOLDER = "zh"  # the Chinese edition lives in _build/html/zh/ (book/_ext/language_switch.py)


def catalog_dir(book: Path = BOOK) -> Path:
    return book / "locales" / LANGUAGE / "LC_MESSAGES"


def toc_documents(book: Path = BOOK) -> list[str]:
    """The documents of the book in ``_toc.yml`` order (root first), without suffix."""
    text = (book / "_toc.yml").read_text(encoding="utf-8")
    documents = [re.search(r"^root:\s*(\S+)", text, re.M).group(1)]
    for kind, name in re.findall(r"-\s*(file|glob):\s*(\S+)", text):
        if kind == "file":
            documents.append(name)
        else:
            matches = {
                p.relative_to(book).with_suffix("").as_posix()
                for p in book.glob(name)
                if p.suffix in (".md", ".ipynb")
            }
            documents += sorted(matches - set(documents))
    return documents


def translated_documents(book: Path = BOOK) -> list[str]:
    """The documents that have a catalog, e.g. ``intro`` or ``lectures/01_mini_batches``."""
    base = catalog_dir(book)
    return sorted(p.relative_to(base).with_suffix("").as_posix() for p in base.rglob("*.po"))


def _sphinx(
    book: Path, builder: str, output: Path, doctrees: Path, overrides: dict, quiet: bool = True
) -> None:
    """Run jupyter-book's Sphinx with the book's _config.yml and _toc.yml, in a subprocess
    (Sphinx and docutils keep global state)."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from jupyter_book.sphinx import build_sphinx\n"
        f"book = Path({str(book)!r})\n"
        f"overrides = dict({overrides!r}, external_toc_path=(book / '_toc.yml').as_posix(), latex_individualpages=False)\n"
        f"result = build_sphinx(book, Path({str(output)!r}), noconfig=True,\n"
        f"    path_config=str(book / '_config.yml'), confoverrides=overrides,\n"
        f"    doctreedir=Path({str(doctrees)!r}), builder={builder!r}, keep_going=True,\n"
        f"    quiet={quiet!r})\n"
        "sys.exit(0 if result == 0 else 1)\n"
    )
    done = subprocess.run([sys.executable, "-c", script])
    if done.returncode:
        raise RuntimeError(f"sphinx {builder} build of {book} failed (see the messages above)")


def extract(book: Path = BOOK) -> Path:
    """Sphinx's message templates (``<doc>.pot``) of every document, from the English source.

    The notebooks are not executed: the committed chapters have no outputs, so no output text
    reaches a template (and code is never a message)."""
    output = book / "_build" / "gettext"
    _sphinx(
        book,
        "gettext",
        output,
        book / "_build" / ".doctrees-gettext",
        {"nb_execution_mode": "off", "html_static_path": []},
    )
    return output


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # no source line numbers (they would change the catalog at every edit of the English);
    # the old English of a fuzzy message stays beside it (#| msgid) for the translator;
    # sentences gone from the English are dropped
    write_po(
        buffer, catalog, width=0, no_location=True, include_previous=True, ignore_obsolete=True
    )
    text = buffer.getvalue()
    undated = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*$', re.M)
    if path.is_file() and undated.sub(b"", path.read_bytes()) == undated.sub(b"", text):
        return  # nothing changed but the extraction's date: keep the file as it is
    path.write_bytes(text)


HEADER = """\
# 《神经网络是如何优化的》中文版: the translation of book/{document} (issue 27).
# The English is the source: edit it there, run `python -m courseware.i18n update`, then
# write each empty msgstr and confirm each fuzzy one (delete its `#, fuzzy` line) here.
# Terms as the glossary (book/glossary.md) gives them; formulas, symbols and code untouched."""

# what is left of a message once its code, maths, homework names and numbers are taken out
_NOTHING_TO_TRANSLATE = re.compile(r"``?[^`]*``?|\$\$?[^$]*\$\$?|\bhw\d\d\b|[^A-Za-z]")


def nothing_to_translate(text: str) -> bool:
    """A message that is only code, maths, homework names, numbers or Chinese (``$m$``,
    ```X.shape[1]```, ``hw01``, ``梯度下降``): its translation is itself."""
    return not _NOTHING_TO_TRANSLATE.sub("", text)


def merge(template: Catalog, catalog: Catalog | None, document: str) -> Catalog:
    """``catalog`` brought up to ``template``: kept, fuzzy or new messages (a new catalog if None)."""
    if catalog is None:
        catalog = Catalog(
            locale=LANGUAGE,
            domain=document,
            fuzzy=False,
            header_comment=HEADER.format(document=document),
        )
    catalog.update(template, update_header_comment=False)
    catalog.fuzzy = False
    catalog.project, catalog.version = "How neural networks are optimized", "1"
    catalog.language_team = "Chinese (Simplified)"
    for message in catalog:
        if message.id and not message.string and nothing_to_translate(message.id):
            message.string = message.id
    return catalog


def update(
    book: Path = BOOK, add: tuple[str, ...] = (), templates: Path | None = None
) -> dict[str, Catalog]:
    """Refresh the catalog of every translated document, and create one for each of ``add``
    (from the ``templates`` given, or extracted now)."""
    known = set(toc_documents(book))
    unknown = [doc for doc in add if doc not in known]
    if unknown:
        raise SystemExit(f"not documents of the book (see _toc.yml): {', '.join(unknown)}")
    templates = templates or extract(book)
    updated = {}
    for document in sorted(set(translated_documents(book)) | set(add)):
        pot = templates / f"{document}.pot"
        if not pot.is_file():
            print(
                f"warning: {document}.po has no English document any more (remove it?)",
                file=sys.stderr,
            )
            continue
        path = catalog_dir(book) / f"{document}.po"
        catalog = merge(_read(pot), _read(path) if path.is_file() else None, document)
        _write(catalog, path)
        updated[document] = catalog
    return updated


@dataclass
class Counts:
    translated: int
    fuzzy: list[str]
    untranslated: list[str]

    @property
    def total(self) -> int:
        return self.translated + len(self.fuzzy) + len(self.untranslated)


def count(catalog: Catalog) -> Counts:
    """The messages of ``catalog`` (not its header, not its obsolete ones) by state."""
    translated, fuzzy, untranslated = 0, [], []
    for message in catalog:
        if not message.id:
            continue
        if not message.string:
            untranslated.append(message.id)
        elif message.fuzzy:
            fuzzy.append(message.id)
        else:
            translated += 1
    return Counts(translated, fuzzy, untranslated)


def stale_messages(path: Path, template: Catalog | None = None) -> list[str]:
    """Every English message of a catalog without a current translation, as a readable line.

    With the ``template`` extracted from the English now, a message the catalog does not have
    yet (the English changed and nobody ran ``update``) is stale too."""
    catalog = _read(path)
    counts = count(catalog)
    lines = [f"{path.name}: untranslated: {text!r}" for text in counts.untranslated]
    lines += [f"{path.name}: fuzzy (the English changed): {text!r}" for text in counts.fuzzy]
    if template is not None:
        lines += [
            f"{path.name}: not in the catalog (run `python -m courseware.i18n update`): "
            f"{message.id!r}"
            for message in template
            if message.id and message.id not in catalog
        ]
    return lines


def problems(book: Path = BOOK, templates: Path | None = None) -> list[str]:
    """Every stale message of every catalog (against fresh templates when given)."""
    found = []
    for document in translated_documents(book):
        pot = templates / f"{document}.pot" if templates else None
        template = _read(pot) if pot and pot.is_file() else None
        found += stale_messages(catalog_dir(book) / f"{document}.po", template)
    return found


def translated_title(book: Path = BOOK) -> str | None:
    """The book's title (``title:`` in _config.yml) as the root document's catalog translates it."""
    title = re.search(r"^title:\s*(.+)$", (book / "_config.yml").read_text(encoding="utf-8"), re.M)
    root = catalog_dir(book) / f"{toc_documents(book)[0]}.po"
    if not title or not root.is_file():
        return None
    message = _read(root).get(title.group(1).strip().strip("\"'"))
    return message.string if message and message.string and not message.fuzzy else None


def _executed_notebooks(cache: Path) -> set[int]:
    """The records of the jupyter-cache the English build filled (one per executed notebook)."""
    if not cache.is_dir():
        return set()
    from jupyter_cache import get_cache

    return {record.pk for record in get_cache(cache).list_cache_records()}


@dataclass(frozen=True)
class Term:
    english: tuple[str, ...]  # the names a sentence may use: "stochastic gradient descent", "SGD"
    chinese: str  # the edition's name: the glossary's first ("小批量梯度下降"),
    # or the one in the same place ("step, iteration" | "步 / 迭代")
    cells: tuple[str, str]  # the glossary's two cells, which are names, not sentences


def _names(cell: str) -> list[str]:
    """``"exponentially weighted (moving) average, EWMA"`` -> the four names it allows."""
    names = []
    for part in re.split(r",\s*", cell):
        abbreviation = re.fullmatch(r"(.+?)\s*\(([^)]+)\)", part)
        if abbreviation and not re.search(r"\w\s*\(\w+\)\s*\w", part):  # "momentum (SGD)"
            names += [abbreviation.group(1), abbreviation.group(2)]
        elif "(" in part:  # an optional word
            names += [re.sub(r"\s*\(([^)]+)\)", r" \1", part), re.sub(r"\s*\([^)]+\)", "", part)]
        else:
            names.append(part)
    return [" ".join(name.split()) for name in names]


def glossary_terms(book: Path = BOOK) -> list[Term]:
    """The glossary's table (book/glossary.md): English names and the edition's Chinese term."""
    terms = []
    for line in (book / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if (
            not line.startswith("|")
            or len(cells) < 2
            or cells[0] in ("English", "")
            or set(cells[0]) <= set("-: ")
        ):
            continue
        chinese = [re.sub(r"\s*\([^)]*\)", "", name).strip() for name in cells[1].split("/")]
        english = re.split(r",\s*(?![^(]*\))", cells[0])
        if len(english) > 1 and len(english) == len(chinese):  # "step, iteration" | "步 / 迭代"
            terms += [
                Term(tuple(_names(e)), c, (cells[0], cells[1])) for e, c in zip(english, chinese)
            ]
        else:
            terms.append(Term(tuple(_names(cells[0])), chinese[0], (cells[0], cells[1])))
    return terms


def _pattern(name: str) -> re.Pattern:
    words = [re.escape(word) for word in re.split(r"[\s-]+", name)]
    last = words[-1].replace("minimum", "minim(?:um|a)")
    return re.compile(
        r"(?<![\w-])" + r"[\s-]+".join(words[:-1] + [last]) + r"(?:s|es)?(?![\w-])",
        re.I if name != name.upper() else 0,
    )


_CODE_AND_MATHS = re.compile(r"``?[^`]*``?|\$\$?[^$]*\$\$?|\]\([^)]*\)")


def term_problems(book: Path = BOOK) -> list[str]:
    """Every translation that does not use the glossary's Chinese term for a term its English
    uses (code, maths and link targets are not looked at; the glossary's own name cells are
    names, not sentences)."""
    terms = glossary_terms(book)
    patterns = [(term, [_pattern(name) for name in term.english]) for term in terms]
    names = {cell for term in terms for cell in term.cells}
    found = []
    for document in translated_documents(book):
        for message in _read(catalog_dir(book) / f"{document}.po"):
            if not message.id or not message.string or message.fuzzy or message.id in names:
                continue
            if message.string == message.id and re.search(r"\\[A-Za-z]+", message.id):
                continue  # a display formula, kept as it is: its \text{...} words are symbols
            english = _CODE_AND_MATHS.sub(" ", message.id)
            for term, term_patterns in patterns:
                if (
                    any(p.search(english) for p in term_patterns)
                    and term.chinese.lower() not in message.string.lower()
                ):
                    found.append(
                        f"{document}.po: {term.english[0]!r} is {term.chinese!r} in the "
                        f"glossary, not in: {message.id!r} -> {message.string!r}"
                    )
    return found


def build(book: Path = BOOK) -> float:
    """The Chinese edition into ``_build/html/zh``, reusing the English build's executed
    notebooks (the same jupyter-cache, so no chapter is executed again: a warning names any
    that was).  Returns the seconds it took."""
    start = time.perf_counter()
    build_dir = book / "_build"
    cache = build_dir / ".jupyter_cache"
    before = _executed_notebooks(cache)
    overrides = {"language": LANGUAGE, "nb_execution_cache_path": str(cache)}
    if title := translated_title(book):
        overrides["html_title"] = title
    _sphinx(
        book,
        "html",
        build_dir / "html" / EDITION_FOLDER,
        build_dir / ".doctrees-zh",
        overrides,
        quiet=False,
    )
    executed = len(_executed_notebooks(cache) - before)
    if executed:
        print(
            f"warning: the Chinese build executed {executed} notebook(s) the English build had "
            "not cached (did the English build fail?)",
            file=sys.stderr,
        )
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m courseware.i18n", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--book", type=Path, default=BOOK, help="the book folder (default: book/)")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser(
        "update", help="refresh the catalogs from the English (and create new ones)"
    )
    add.add_argument("documents", nargs="*", help="documents to give a catalog, e.g. 03_optimizers")
    commands.add_parser("stats", help="translated / fuzzy / untranslated messages per document")
    commands.add_parser(
        "check",
        help="fail naming every stale message (extracts the English afresh) "
        "and every glossary term not translated as the glossary says",
    )
    commands.add_parser("build", help="build the Chinese edition into book/_build/html/zh")
    args = parser.parse_args(argv)
    book = args.book.resolve()
    if args.command == "update":
        for document, catalog in update(book, tuple(args.documents)).items():
            counts = count(catalog)
            print(
                f"{document}.po: {counts.translated}/{counts.total} translated, "
                f"{len(counts.fuzzy)} fuzzy, {len(counts.untranslated)} untranslated"
            )
        return 0
    if args.command == "stats":
        have = set(translated_documents(book))
        for document in toc_documents(book):
            if document in have:
                counts = count(_read(catalog_dir(book) / f"{document}.po"))
                print(
                    f"{document:40} {counts.translated:4}/{counts.total:<4} translated, "
                    f"{len(counts.fuzzy)} fuzzy, {len(counts.untranslated)} untranslated"
                )
            else:
                print(f"{document:40} no catalog (python -m courseware.i18n update {document})")
        return 0
    if args.command == "check":
        found = problems(book, extract(book)) + term_problems(book)
        for line in found:
            print(line, file=sys.stderr)
        print(f"{len(translated_documents(book))} catalogs, {len(found)} stale messages")
        return 1 if found else 0
    if args.command == "build":
        print(
            f"Chinese edition built in {build(book):.0f} s: {book / '_build' / 'html' / EDITION_FOLDER}"
        )
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
