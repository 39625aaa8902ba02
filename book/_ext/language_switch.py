"""A link on every page of the book to the same page in the other language (issue 27).

The English edition is built into ``_build/html/`` and the Chinese one, with
``language=zh_CN``, into ``_build/html/zh/`` (``python -m courseware.i18n build``).  Each
page gets, above its text, a link to the page of the same name in the other edition, and a
``<link rel="alternate" hreflang=...>`` in its head.  Links are relative, so the book works
from ``file://`` and from any web server.  A Chinese page whose document is not translated
yet (no catalog) says so above its English text.
"""

from __future__ import annotations

from pathlib import Path

# language code -> (the name a reader looks for, the edition's folder under _build/html)
EDITIONS = {"en": ("English", ""), "zh_CN": ("中文", "zh")}


def _hreflang(language: str) -> str:
    return language.replace("_", "-")


def other_editions(language: str, pagename: str) -> list[tuple[str, str, str]]:
    """(language, name, relative URL) of ``pagename`` in every other edition, from this one."""
    here = EDITIONS.get(language, EDITIONS["en"])[1]
    up = "../" * (pagename.count("/") + (1 if here else 0))
    links = []
    for other, (name, folder) in EDITIONS.items():
        if folder != here:
            links.append(
                (
                    other,
                    name,
                    f"{up}{folder + '/' if folder else ''}{pagename}.html",
                )
            )
    return links


# shown above a page of a translated edition whose document has no catalog yet
PENDING = {"zh_CN": "本页尚未译成中文，以下是英文原文。"}


def _awaits_translation(app, pagename: str) -> bool:
    """A document of a translated edition without its catalog (``<doc>.po``)."""
    language = app.config.language or "en"
    if language not in PENDING or pagename not in app.env.found_docs:
        return False
    srcdir = Path(app.srcdir)
    return not any(
        (srcdir / d / language / "LC_MESSAGES" / f"{pagename}.po").is_file()
        for d in app.config.locale_dirs
    )


def add_language_links(app, pagename, templatename, context, doctree):
    if app.builder.format != "html" or not isinstance(
        context.get("body"), str
    ):
        return
    links = other_editions(app.config.language or "en", pagename)
    anchors = " · ".join(
        f'<a href="{url}" hreflang="{_hreflang(lang)}" lang="{_hreflang(lang)}">{name}</a>'
        for lang, name, url in links
    )
    switch = f'<p class="language-switch">{anchors}</p>\n'
    if _awaits_translation(app, pagename):
        switch += f'<p class="translation-pending">{PENDING[app.config.language]}</p>\n'
    context["body"] = switch + context["body"]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{_hreflang(lang)}" href="{url}" />'
        for lang, _, url in links
    )


def setup(app):
    app.connect("html-page-context", add_language_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
