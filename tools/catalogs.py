"""The message catalogs: extract the messages from the code, merge them into each ``.po``, compile ``.mo``.

    python tools/catalogs.py          # extract, update every .po, compile every .mo
    python tools/catalogs.py compile  # only compile (after editing a translation)

Uses Babel (the ``test`` extra). numdiff reads the compiled ``.mo`` with the standard library's
``gettext`` at run time, so Babel is needed only here and in the tests; a test fails when a
committed ``.mo`` does not hold what its ``.po`` says.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "numdiff_cli"
LOCALE = PACKAGE / "locale"
DOMAIN = "numdiff"
# The calls whose first argument is a message: gettext's own, the core's sentences with values
# (Message) and the errors (a NumdiffError's template is its msgid).
KEYWORDS = {name: None for name in (
    "_", "N_", "Message", "NumdiffError", "UsageError", "MathError", "ParseError", "LimitError", "Interrupted",
    "OutputError", "CodeError",
)} | {"C_": ((1, "c"), 2), "time_limit": (2,)}  # C_(context, message): gettext's pgettext; a limit's task


def extract() -> Catalog:
    """Every message in the package's code, with where it stands."""
    template = Catalog(project="numdiff", domain=DOMAIN)
    for filename, line, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        if isinstance(message, str) and message:
            template.add(message, locations=[(f"numdiff_cli/{filename}", line)], auto_comments=comments,
                         context=context)
    return template


def po_files() -> list[Path]:
    return sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=path.parent.parent.name, domain=DOMAIN)


def update() -> None:
    """Merge the messages of the code into each ``.po`` (new ones untranslated, gone ones dropped)."""
    template = extract()
    for path in po_files():
        catalog = read(path)
        created = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True)
        catalog.creation_date = created  # the header changes only with the messages, so merges stay quiet
        with path.open("wb") as file:
            write_po(file, catalog, width=100, omit_header=False, ignore_obsolete=True)


def compile_all() -> None:
    """Write each ``.mo`` beside its ``.po``."""
    for path in po_files():
        with path.with_suffix(".mo").open("wb") as file:
            write_mo(file, read(path), use_fuzzy=False)


if __name__ == "__main__":
    if sys.argv[1:] != ["compile"]:
        update()
    compile_all()
