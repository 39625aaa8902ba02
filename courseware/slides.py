"""A reveal.js deck from an executed chapter, that opens from ``file://`` with no network.

The slide structure comes from the chapter itself (nbconvert's ``slideshow`` cell metadata,
filled in where a cell has none):

- a markdown cell that starts with a ``#`` or ``##`` heading starts a slide, a ``###``
  heading a sub-slide (reveal's vertical slides);
- a cell that would overflow the current (sub-)slide starts a sub-slide of its own, so long
  derivations and figures get the room they need;
- a cell that already has ``slideshow`` metadata keeps it;
- cells tagged ``remove-cell`` are dropped; cells tagged ``remove-input`` (the book's hidden
  claim checks) are dropped unless they show a figure, which is kept without its code;
  ``remove-output`` drops the outputs; ``live`` cells are shown as the code they are;
- stylesheets that outputs load from the network (matplotlib's animations link Font
  Awesome on a CDN) are dropped: the deck draws those icons itself.

reveal.js and MathJax 3 are vendored into ``book/_vendor`` by the Makefile (``npm pack``) and
copied beside the decks into ``_static/``; the page loads them with relative URLs.
"""

from __future__ import annotations

import copy
import math
import re
import shutil
from pathlib import Path

from jinja2 import DictLoader

__all__ = ["VENDOR", "slide_notebook", "deck_html", "write_deck"]

VENDOR = Path(__file__).resolve().parents[1] / "book" / "_vendor"
SLIDE_LINES = 20  # lines of text that fit on a 960x700 slide at the deck's font size
FIGURE_LINES = 14  # a figure takes about this many lines
CHARACTERS_PER_LINE = 80
_NETWORK_STYLESHEET = re.compile(r"<link\b[^>]*\bhref=[\"']?(?:https?:)?//[^>]*>", re.I)

# nbconvert's reveal template loads jQuery, RequireJS and Mermaid from CDNs, MathJax 2 from a
# CDN and reveal.js through RequireJS: this template keeps its layout and styles and loads
# only the vendored reveal.js and MathJax 3 with plain script tags.
TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}
<script>
window.MathJax = {
  tex: {inlineMath: [['$', '$'], ['\\(', '\\)']], displayMath: [['$$', '$$'], ['\\[', '\\]']],
        processEscapes: true, processEnvironments: true, tags: 'ams'},
  options: {ignoreHtmlClass: 'jp-OutputArea|highlight', processHtmlClass: 'jp-MarkdownOutput'},
  chtml: {fontURL: '_static/mathjax/output/chtml/fonts/woff-v2'}
};
</script>
<script src="_static/mathjax/tex-chtml.js"></script>
{%- endblock html_head_js_mathjax -%}
{%- block html_head_css -%}
<style>
/* a slide taller than the screen scrolls instead of being cut off; code and printed
   tables keep their lines (90 characters fit) and scroll sideways if longer */
.reveal .slides > section, .reveal .slides > section > section { height: 100%; overflow-y: auto; }
:root { --jp-code-font-size: 15px; }
.reveal pre { white-space: pre; overflow-x: auto; word-wrap: normal; }
/* matplotlib's animations (to_jshtml) take their button icons from Font Awesome on a CDN:
   the deck drops that link and draws the icons with plain characters */
.anim-buttons .fa { font-style: normal; }
.fa-play::before { content: "\25B6"; } .fa-pause::before { content: "\2016"; }
.fa-flip-horizontal { display: inline-block; transform: scaleX(-1); }
.fa-step-forward::before { content: "\25B6\007C"; } .fa-step-backward::before { content: "\007C\25C0"; }
.fa-fast-forward::before { content: "\25B6\25B6"; } .fa-fast-backward::before { content: "\25C0\25C0"; }
.fa-plus::before { content: "+"; } .fa-minus::before { content: "\2212"; }
</style>
{%- endblock html_head_css -%}
{%- block footer_js -%}
<script src="{{ reveal_url_prefix }}/dist/reveal.js"></script>
<script src="{{ reveal_url_prefix }}/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({
  controls: true, progress: true, history: true, center: false,
  transition: "{{ reveal_transition }}", slideNumber: "{{ reveal_number }}",
  width: {{ reveal_width }}, height: {{ reveal_height }},
  plugins: [RevealNotes]
});
</script>
{%- endblock footer_js -%}
"""


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _heading_level(cell) -> int:
    """The level of the heading a markdown cell starts with (0 if it starts with none)."""
    if cell.cell_type != "markdown":
        return 0
    first = cell.source.lstrip().split("\n", 1)[0]
    hashes = len(first) - len(first.lstrip("#"))
    return hashes if hashes and first[hashes : hashes + 1] == " " else 0


def _text_lines(text: str) -> int:
    return sum(max(1, math.ceil(len(line) / CHARACTERS_PER_LINE)) for line in text.splitlines())


def _height(cell) -> int:
    """About how many lines of a slide the cell fills (its source and its outputs)."""
    lines = _text_lines(cell.source) if cell.source.strip() else 0
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if any(kind.startswith("image/") for kind in data):
            lines += FIGURE_LINES
        elif re.search(
            r"<(img|video)\b", data.get("text/html", "")
        ):  # an animation and its controls
            lines += FIGURE_LINES + 4
        elif output.get("output_type") == "stream":
            lines += _text_lines(output.get("text", ""))
        elif "text/plain" in data:
            lines += _text_lines(data["text/plain"])
    return lines


def _shows_figure(cell) -> bool:
    return any(
        kind.startswith("image/")
        for output in cell.get("outputs", [])
        for kind in output.get("data", {})
    )


def slide_notebook(notebook):
    """A copy of an executed notebook, with the cells the deck shows and each cell's
    ``slideshow.slide_type`` set (see the module's docstring for the rules)."""
    deck = copy.deepcopy(notebook)
    kept = []
    for cell in deck.cells:
        tags = _tags(cell)
        if "remove-cell" in tags:
            continue
        if "remove-input" in tags:
            if not _shows_figure(cell):
                continue
            cell.metadata.setdefault("transient", {})["remove_source"] = True
        if "remove-output" in tags:
            cell.outputs = []
        for output in cell.get("outputs", []):
            if "text/html" in output.get("data", {}):
                output["data"]["text/html"] = _NETWORK_STYLESHEET.sub(
                    "", output["data"]["text/html"]
                )
        kept.append(cell)
    deck.cells = kept
    used = 0
    for position, cell in enumerate(deck.cells):
        height, level = _height(cell), _heading_level(cell)
        given = cell.metadata.get("slideshow", {}).get("slide_type")
        if given:
            slide_type = given
        elif position == 0 or level in (1, 2):
            slide_type = "slide"
        elif level >= 3 or used + height > SLIDE_LINES:
            slide_type = "subslide"
        else:
            slide_type = "-"
        if slide_type in ("slide", "subslide"):
            used = 0
        if slide_type != "skip":
            used += height
        cell.metadata["slideshow"] = {"slide_type": slide_type}
    return deck


def deck_html(notebook, title: str) -> str:
    """The deck's HTML for an executed notebook (reveal.js and MathJax from ``_static/``)."""
    from nbconvert import SlidesExporter

    exporter = SlidesExporter(
        extra_loaders=[DictLoader({"dldemos_slides.html.j2": TEMPLATE})],
        template_file="dldemos_slides.html.j2",
        reveal_url_prefix="_static/reveal.js",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    deck = slide_notebook(notebook)
    deck.metadata["title"] = title
    body, _ = exporter.from_notebook_node(deck, resources={"metadata": {"name": title}})
    return body


def _copy_vendored(static: Path) -> None:
    """Copy the parts of the vendored reveal.js and MathJax that a deck loads."""
    needed = {
        "reveal.js/dist": VENDOR / "reveal.js" / "dist",
        "reveal.js/plugin/notes": VENDOR / "reveal.js" / "plugin" / "notes",
        "mathjax/tex-chtml.js": VENDOR / "mathjax" / "tex-chtml.js",
        "mathjax/output/chtml/fonts": VENDOR / "mathjax" / "output" / "chtml" / "fonts",
        "mathjax/input/tex/extensions": VENDOR / "mathjax" / "input" / "tex" / "extensions",
    }
    missing = [str(source) for source in needed.values() if not source.exists()]
    if missing:
        raise FileNotFoundError(
            f"vendored files missing: {', '.join(missing)}; run `make slides` "
            "(it vendors reveal.js and MathJax with npm)"
        )
    for target, source in needed.items():
        destination = static / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, dirs_exist_ok=True)
        else:
            shutil.copy2(source, destination)


def write_deck(notebook, stem: str, out_dir: Path) -> Path:
    """Write ``out_dir/<stem>.slides.html`` (and the vendored scripts into ``out_dir/_static``)."""
    _copy_vendored(out_dir / "_static")
    title = next(
        (
            cell.source.lstrip().split("\n", 1)[0].lstrip("# ").strip()
            for cell in notebook.cells
            if _heading_level(cell) == 1
        ),
        stem,
    )
    path = out_dir / f"{stem}.slides.html"
    path.write_text(deck_html(notebook, title), encoding="utf-8")
    return path
