"""--lang ko and Korean locales: the catalog is compiled from its .po, complete for what the tour and
the README's examples show, falls back to English, and never touches JSON."""

from __future__ import annotations

import gettext
import importlib.util
import re
import shlex
from pathlib import Path

import pytest
import test_widths
from test_readme import examples
from typer.testing import CliRunner

from numdiff_cli import i18n
from numdiff_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
NO_LOCALE = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}


def _catalogs():
    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "tools" / "catalogs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def language_kept():
    """A test that chooses a language in this process leaves the one before it (English, by the locale)."""
    before = i18n.current()
    yield
    i18n.restore(before)


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "120", **NO_LOCALE, **(env or {})})


def test_each_compiled_catalog_holds_what_its_po_says():
    catalogs = _catalogs()
    assert catalogs.po_files(), "no .po file"
    for path in catalogs.po_files():
        translated = {f"{m.context}\x04{m.id}" if m.context else m.id: m.string
                      for m in catalogs.read(path) if m.id and m.string and not m.fuzzy}
        with path.with_suffix(".mo").open("rb") as file:
            compiled = {k: v for k, v in gettext.GNUTranslations(file)._catalog.items() if k}
        assert compiled == translated, f"{path.with_suffix('.mo')} is stale: run python tools/catalogs.py compile"


def test_every_translation_keeps_its_messages_fields():
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}

    for path in _catalogs().po_files():
        for message in _catalogs().read(path):
            if message.id and message.string:
                assert fields(message.string) == fields(message.id), message.id


def _recording(monkeypatch) -> set[str]:
    """Every msgid looked up in a catalog that has no translation for it, from now on."""
    missing: set[str] = set()
    original = gettext.GNUTranslations.gettext

    def gettext_recording(self, message):
        if message not in self._catalog:
            missing.add(message)
        return original(self, message)

    def pgettext_recording(self, context, message):
        if f"{context}\x04{message}" not in self._catalog:
            missing.add(f"{context}: {message}")
        return original_p(self, context, message)

    original_p = gettext.GNUTranslations.pgettext
    monkeypatch.setattr(gettext.GNUTranslations, "gettext", gettext_recording)
    monkeypatch.setattr(gettext.GNUTranslations, "pgettext", pgettext_recording)
    return missing


def test_everything_the_tour_shows_has_a_korean_translation(monkeypatch):
    missing = _recording(monkeypatch)
    result = invoke("tour", "--lang", "ko")
    assert result.exit_code == 0, result.output
    assert missing == set()
    assert "해석미분" in result.stdout and "경사하강법" in result.stdout
    # and no English word is left but names a student types: commands, options, methods, functions
    typed = {"numdiff", "repl", "diff", "grad", "descend", "sweep", "wrt", "method", "from", "ascent", "json", "csv",
             "auto", "central", "forward", "richardson", "sgd", "sin", "exp", "lim", "float", "max", "step"}
    assert set(re.findall(r"[A-Za-z]{3,}", result.stdout)) <= typed


@pytest.mark.parametrize(("args", "_output"), examples(), ids=[args for args, _ in examples()])
def test_everything_a_readme_example_shows_has_a_korean_translation(args, _output, monkeypatch):
    missing = _recording(monkeypatch)
    result = invoke("--lang", "ko", *shlex.split(args))
    assert result.exit_code in (0, 1), result.output
    assert missing == set()


def test_a_message_without_a_translation_is_english():
    i18n.use("ko")
    assert i18n.language() == "ko"
    assert i18n._("no such message, surely") == "no such message, surely"
    assert i18n.translate(i18n.Message("{n} apples and {what}", n=3, what=i18n.Message("pears"))) == "3 apples and pears"


def test_a_translation_that_does_not_fit_its_values_falls_back_to_english(monkeypatch):
    i18n.use("ko")
    monkeypatch.setattr(i18n._active, "_catalog", {**i18n._active._catalog, "f is {value}": "f는 {valeur}"})
    assert i18n.translate(i18n.Message("f is {value}", value="2.0")) == "f is 2.0"


def test_a_korean_locale_chooses_korean_and_lang_en_overrides_it():
    korean = {"LANG": "ko_KR.UTF-8"}
    assert "해석미분" in invoke("tour", "--stop", "8", env=korean).stdout or "학습률" in invoke(
        "tour", "--stop", "8", env=korean).stdout
    assert "학습률" not in invoke("tour", "--stop", "8", "--lang", "en", env=korean).stdout
    assert "학습률" not in invoke("tour", "--stop", "8").stdout  # English stays the default


def test_lang_may_stand_after_the_command():
    assert "학습률" in invoke("tour", "--stop", "8", "--lang", "ko").stdout
    assert "학습률" in invoke("tour", "--stop", "8", "--lang=ko").stdout
    assert "학습률" in invoke("--lang", "ko", "tour", "--stop", "8").stdout


def test_an_unknown_language_is_a_usage_error():
    result = invoke("diff", "x", "--at", "1", "--lang", "fr")
    assert result.exit_code == 2 and "'fr' is not one of 'en', 'ko'" in result.stderr


@pytest.mark.parametrize("args", [
    ["diff", "x^2", "--at", "3", "--at", "0"], ["diff", "abs(x)", "--at", "0"], ["grad", "x0^2 - x1^2", "--at", "0,0", "--hessian"],
    ["descend", "--lr", "0.1,10,1e-10"], ["diff", "sin(x)", "--at", "1", "--sweep"],
])
@pytest.mark.parametrize("fmt", ["--json", "--csv"])
def test_json_and_csv_are_the_same_in_every_language(args, fmt):
    english, korean = invoke(*args, fmt), invoke(*args, fmt, "--lang", "ko")
    assert english.stdout == korean.stdout and english.exit_code == korean.exit_code


@pytest.mark.parametrize("args", test_widths.COMMANDS)
def test_korean_tables_fit_80_columns_and_cut_no_number(args, monkeypatch):
    # The lines that say how many digits a table shows are prose about the table, in either language.
    monkeypatch.setattr(test_widths, "SAYING_SO", (*test_widths.SAYING_SO, "유효숫자", "더 있음"))
    test_widths.check(args + " --lang ko", 80)
    # nor any word cut short: no ellipsis the English table does not have too ("… 1 more step")
    assert test_widths.run(args + " --lang ko", 80).count("…") == test_widths.run(args, 80).count("…")


@pytest.mark.parametrize(("args", "code", "sentence"), [
    (["diff", "x^2", "--at", "3,4"], 2, "오류: --at '3,4': 값 2개를 주었지만 식에는 변수 1개가 있습니다(x)"),
    (["descend", "x^2", "--from", "1", "--lr", "-1"], 2, "오류: --lr 값은 양수여야 합니다. 받은 값: -1"),
    (["diff", "sinx", "--at", "1"], 2, "오류: 'sinx': 변수 하나로 읽힙니다. sin(x)을(를) 뜻했나요?"),
    (["diff", "abs(x)", "--at", "0"], 1, "오류: x = 0.0에서 도함수가 존재하지 않습니다"),
    # what typer's parser finds (its click words these in English f-strings: numdiff words them again)
    (["diff", "x^2", "--at", "1", "--bogus"], 2, "오류: 그런 옵션이 없습니다: --bogus ('numdiff diff --help' 참고)"),
    (["grad"], 2, "오류: 인자 'expression'이(가) 빠졌습니다 ('numdiff grad --help' 참고)"),
    (["descend", "--steps", "x"], 2, "오류: '--steps'의 값이 잘못되었습니다: 'x'은(는) 정수가 아닙니다"),
    (["diff", "x", "--at", "1", "--dtype", "f16"], 2, "오류: '--dtype'의 값이 잘못되었습니다: 'f16'은(는) 'float64', 'float32' 중 하나가 아닙니다"),
])
def test_errors_are_one_korean_sentence_with_the_same_exit_code(args, code, sentence):
    korean, english = invoke(*args, "--lang", "ko"), invoke(*args)
    assert korean.exit_code == english.exit_code == code
    assert korean.stderr.startswith(sentence) and korean.stderr.count("\n") == 1, korean.stderr


def test_a_descent_verdict_is_translated_whole_with_its_numbers():
    english = invoke("descend", "--lr", "1e-10").stdout
    korean = invoke("descend", "--lr", "1e-10", "--lang", "ko").stdout
    assert "x moved only 1e-07 in 100 steps although ‖∇f‖ = 10: the learning rate 1e-10 is too small" in english
    assert "‖∇f‖ = 10인데도 x는 100단계 동안 1e-07밖에 움직이지 않았습니다: 학습률(1e-10)이 너무 작습니다" in korean
    assert "정체" in korean and "stalled" not in korean


def test_messages_survive_copying_with_their_template():
    import copy
    import pickle

    message = i18n.Message("f went from {f0:.4g}", f0=25.0)
    listing = i18n.Listing(", ", [message, i18n.Message("minimum")])
    for twin in (copy.deepcopy(message), pickle.loads(pickle.dumps(message))):
        assert twin == message and twin.template == message.template and twin.values == message.values
    assert pickle.loads(pickle.dumps(listing)).items == listing.items


def test_a_commands_language_ends_with_it():
    """In one process (the tests, the REPL, a notebook), --lang ko does not outlive its command."""
    before = i18n.current()
    assert "오류:" in invoke("diff", "x", "--at", "1,2", "--lang", "ko").stderr
    assert i18n.current() is before and i18n.language() == "en"


def test_the_prompt_keeps_the_language_it_was_opened_in_and_a_line_may_choose_its_own():
    lines = "diff x^2 --at 3,4\ndiff x^2 --at 3,4 --lang en\ndiff x^2 --at 3,4\n"
    result = CliRunner().invoke(app, ["--lang", "ko", "repl"], input=lines, env={"NO_COLOR": "1", **NO_LOCALE})
    errors = [line.split(":")[0] for line in result.stderr.splitlines() if line.strip()]
    assert errors == ["오류", "error", "오류"], result.stderr
    english = CliRunner().invoke(app, ["repl"], input="diff x^2 --at 3,4 --lang ko\ndiff x^2 --at 3,4\n",
                                 env={"NO_COLOR": "1", **NO_LOCALE})
    assert [line.split(":")[0] for line in english.stderr.splitlines() if line.strip()] == ["오류", "error"]
