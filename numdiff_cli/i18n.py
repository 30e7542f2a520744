"""The one translation layer: every sentence a person reads goes through here (gettext).

The message catalogs are the standard gettext ones, ``locale/<lang>/LC_MESSAGES/numdiff.po``
beside this file, compiled to the ``numdiff.mo`` beside it. The ``.mo`` is committed, so the
standard library reads it with no dependency and no build step (an editable install works as
it is); Babel, a test extra, is needed only to extract and compile (``python
tools/catalogs.py``), and a test fails when a ``.mo`` does not hold what its ``.po`` says. The language is
English unless the command line chooses another (``--lang``, or a Korean locale through
``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``); the library used from Python stays in
English until :func:`use` is called. A message without a translation is shown in English.

Sentences the core words with values in them are :class:`Message` objects: the English
template is the msgid, and the values are put in only after the template is translated, so
no sentence is ever translated after it was formatted. Numbers, JSON keys and CSV columns
never pass through here.
"""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

DOMAIN = "numdiff"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_active: gettext.NullTranslations = gettext.NullTranslations()


def use(language: str | None) -> None:
    """Translate into ``language`` (``en`` or ``ko``); with None, into the language the
    environment's locale asks for where numdiff has a catalog for it, else English."""
    global _active
    _active = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language] if language else None, fallback=True)


def current() -> gettext.NullTranslations:
    """The translations in use, to :func:`restore` after a command that chose others."""
    return _active


def restore(translations: gettext.NullTranslations) -> None:
    """Use ``translations`` (from :func:`current`) again."""
    global _active
    _active = translations


def language() -> str:
    """The language messages are shown in: ``ko`` or ``en``."""
    info = _active.info()
    return info.get("language", "en") if isinstance(_active, gettext.GNUTranslations) else "en"


def _(text: str) -> str:
    """``text`` in the chosen language (itself where there is no translation)."""
    return _active.gettext(text) if text else text  # gettext("") would be the catalog's header


def C_(context: str, text: str) -> str:
    """``text`` in the chosen language where the same English word is said otherwise in another
    place: ``context`` tells which (``C_("claim", "right")``, a claim that is right, not a learning rate)."""
    return _active.pgettext(context, text)


def N_(text: str) -> str:
    """Marks ``text`` as a message to translate where it is shown, not here (a module-level string)."""
    return text


class Message(str):
    """A sentence in English that keeps its template and values, so that it can be shown in
    another language: the string is the template formatted with the values (what JSON holds);
    :func:`translate` formats the translated template instead. A value that is itself a
    ``Message`` (a word such as ``minimum``, a clause) is translated with it.

    Examples
    --------
    >>> note = Message("x moved only {moved:.3g}", moved=1e-07)
    >>> note, note.template
    ('x moved only 1e-07', 'x moved only {moved:.3g}')
    """

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Message:
        self = super().__new__(cls, template.format(**values) if values else template)
        self.template, self.values = template, values
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # a str subclass with attributes: keep them when copied or pickled
        return _rebuild, (self.template, self.values)


def _rebuild(template: str, values: dict[str, Any]) -> Message:
    return Message(template, **values)


class Listing(Message):
    """Messages joined by a separator (``1 for forward, 2 for central``), each translated on its own.

    >>> Listing(", ", [Message("{p} for {m}", p=1, m="forward"), Message("{p} for {m}", p=2, m="central")])
    '1 for forward, 2 for central'
    """

    items: tuple[str, ...]

    def __new__(cls, separator: str, items: list[str] | tuple[str, ...]) -> Listing:  # type: ignore[override]
        self = str.__new__(cls, separator.join(items))
        self.template, self.values, self.items = separator, {}, tuple(items)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return Listing, (self.template, self.items)


def translate(text: str | None) -> str | None:
    """``text`` in the chosen language: a :class:`Message` by its template, any other string as
    it stands (a sentence without values is its own msgid). Where a translated template does not
    fit its values, the English sentence is shown: a catalog's mistake is never an error."""
    if text is None or not isinstance(text, Message):
        return None if text is None else _(text)
    if isinstance(text, Listing):
        return text.template.join(translate(item) or "" for item in text.items)
    values = {key: translate(value) if isinstance(value, Message) else value for key, value in text.values.items()}
    try:
        return _(text.template).format(**values) if values else _(text.template)
    except (KeyError, IndexError, ValueError):
        return text.template.format(**values)
