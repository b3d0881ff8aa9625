"""Flask-Babel: Swedish first, the English source strings as fallback, catalogues compiled."""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request
from flask_babel import Babel, format_date, format_datetime

from web import translate

TRANSLATIONS = Path(__file__).parent / "translations"
LOCALES = ("sv", "en")
log = logging.getLogger(__name__)


def compile_catalogues(root: Path = TRANSLATIONS) -> list[Path]:
    """Write ``messages.mo`` next to every ``.po`` that is newer; return the files written.

    Compiled catalogues are build output (git-ignored), so every way of starting the app
    gets them without a separate step. A read-only tree keeps what it has and logs why.
    """
    written = []
    for po in sorted(root.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        try:
            with po.open("rb") as source:
                catalogue = read_po(source, locale=po.parts[-3])
            # Write then rename, so a second process starting at once never reads half a file.
            fd, tmp = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
            os.fchmod(fd, 0o644)  # mkstemp makes 0600: a server run as another user reads it
            with os.fdopen(fd, "wb") as out:
                write_mo(out, catalogue, use_fuzzy=False)
            os.replace(tmp, mo)
            written.append(mo)
        except OSError as exc:
            log.warning("could not compile %s (%s); the UI falls back to English", po, exc)
    return written


def select_locale() -> str:
    """Swedish whenever the browser accepts it at all; English only for browsers without it.

    The content (processes, rutiner) is Swedish, so a Swedish reader on an English-language
    browser should not get English menus around Swedish text.
    """
    accepted = request.accept_languages
    if accepted.best_match(["sv"]) or not accepted.best_match(["en"]):
        return "sv"
    return "en"


def _parsed(value: str | date | None) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def when(value: str | date | None, style: str = "medium") -> str:
    """A timestamp (audit stamps are ISO text) or a date, in the user's language and zone."""
    moment = _parsed(value)
    if isinstance(moment, datetime):
        return str(format_datetime(moment, style))
    return str(format_date(moment, style)) if moment is not None else ""


def day(value: str | date | None, style: str = "medium") -> str:
    """Only the date of a timestamp or a date, in the user's language and zone."""
    moment = _parsed(value)
    return str(format_date(moment, style)) if moment is not None else ""


def domains(root: Path = TRANSLATIONS) -> list[str]:
    """The catalogue names: ``messages`` for the portal, one more per feature (``quality-…``).

    A catalogue per feature keeps each feature's words beside each other and lets features
    be worked on side by side; Flask-Babel merges them into one translation.
    """
    return sorted(
        {po.stem for po in root.glob("*/LC_MESSAGES/*.po")}, key=lambda s: (s != "messages", s)
    )


def init_app(app: Flask) -> None:
    """Compile the catalogues, install Flask-Babel and the template helpers."""
    compile_catalogues()
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Stockholm")
    names = domains()
    # Flask-Babel pairs the n-th directory with the n-th domain.
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join([str(TRANSLATIONS)] * len(names))
    Babel(app, locale_selector=select_locale, default_locale="sv", default_domain=";".join(names))
    app.jinja_env.filters.update(when=when, day=day)
    translate.init_app(app)
    app.context_processor(lambda: {"locale": translate.locale()})
