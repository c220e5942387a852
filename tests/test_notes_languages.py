"""The mechanism pages' assumption notes in the chosen language (issue 22).

The merged-estates assumptions (scenarios/management/changping_merge.yaml), the
evaluation notes and the transfers pots' assumptions have Chinese text (the primary
field) and English (``*_en``): the Chinese page shows the Chinese notes and no English
sentence among them, the English page the English notes and no Chinese character; no
page points to the other language for them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from costshare import i18n
from costshare.community.transfers_model import Pot
from costshare.jobs import EvaluateJob, FileInput, MergeEstatesJob

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'()-]+[A-Za-z]{2,}){3,}")  # a run of 4 words
MERGE = ROOT / "scenarios" / "management" / "changping_merge.yaml"
POTS = sorted((ROOT / "scenarios" / "transfers").glob("*.yaml"))


def _open(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / page), default_timeout=60)
    at.session_state["lang"] = "English" if lang == "en" else "中文"
    at.run()
    assert not at.exception and not at.error
    return at


def _text(at: AppTest) -> list[str]:
    """What the page wrote as Markdown and captions, unescaped (the page escapes notes)."""
    shown = [str(e.value) for kind in ("markdown", "caption") for e in getattr(at, kind)]
    return [re.sub(r"\\(.)", r"\1", s) for s in shown]


def _clean(lang: str, notes: list[str]) -> None:
    """Chinese notes hold no English sentence (file names aside); English, no Chinese."""
    assert notes
    for n in notes:
        if lang == "en":
            assert not CJK.search(n), n
        else:
            assert not ENGLISH.search(re.sub(r"--[\w-]+", "", n)), n


def _no_pointer(at: AppTest, lang: str) -> None:
    pointer = i18n.t("common.notes_en_only", lang, n=0).split("0")[-1][:6]
    assert not any(pointer in s for s in _text(at))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_merged_estates_notes(lang):
    job = MergeEstatesJob.from_document(yaml.safe_load(MERGE.read_text("utf-8")), MERGE.name)
    mine, other = job.notes_in(lang), job.notes_in("zh" if lang == "en" else "en")
    assert len(mine) == len(other) == 4 and set(mine).isdisjoint(other)
    _clean(lang, mine)
    at = _open("after.py", lang)
    shown = _text(at)
    assert all(n in shown for n in mine) and not any(n in shown for n in other)
    _no_pointer(at, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_evaluation_notes(lang):
    survey = FileInput.from_path(ROOT / "scenarios" / "evaluation" / "sample_survey.csv")
    ev = EvaluateJob(survey=survey, households=36, on="2024-06-30").run().evaluation
    mine, other = ev.notes_in(lang), ev.notes_in("zh" if lang == "en" else "en")
    assert len(mine) == len(other) == 2  # the satisfied level (A) and the 9 non-answers
    _clean(lang, mine)
    at = _open("evaluation.py", lang)
    shown = [s.removeprefix("- ") for s in _text(at)]
    assert all(n in shown for n in mine) and not any(n in shown for n in other)
    _no_pointer(at, lang)


@pytest.mark.parametrize("path", POTS, ids=lambda p: p.stem)
def test_every_bundled_pot_has_both_languages(path):
    pot = Pot.from_yaml(path)
    assert pot.name_en and not CJK.search(pot.name_en)
    assert pot.description_en and not CJK.search(pot.description_en)
    for a in pot.assumptions:
        assert a.what_en and a.note_en
        _clean("zh", [a.what, a.note])
        _clean("en", [a.what_en, a.note_en])
    for w in pot.weights:
        if w.reason:
            assert w.reason_en
            _clean("zh", [w.reason])
            _clean("en", [w.reason_en])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_transfers_page_notes(lang):
    at = _open("transfers.py", lang)
    pot = Pot.from_yaml(ROOT / "scenarios" / "transfers" / "yancheng_reward_subsidy.yaml")
    shown = "\n".join(_text(at))
    other = "zh" if lang == "en" else "en"
    for a in pot.assumptions:
        assert a.words(lang)[1] in shown and a.words(other)[1] not in shown
    reasons = at.dataframe[0].value["reason"].tolist()
    assert reasons == [w.reason_en if lang == "en" else w.reason for w in pot.weights]
    _clean(lang, reasons)
    title = re.sub(r"\\(.)", r"\1", at.subheader[0].value)
    assert title == (pot.name_en if lang == "en" else pot.name)
    _no_pointer(at, lang)


def test_evaluation_workbook_has_the_notes_in_both_languages(tmp_path):
    from costshare.households.evaluate_report import write_evaluation_xlsx

    survey = FileInput.from_path(ROOT / "scenarios" / "evaluation" / "sample_survey.csv")
    ev = EvaluateJob(survey=survey, households=36, on="2024-06-30").run().evaluation
    write_evaluation_xlsx(ev, tmp_path / "e.xlsx")
    notes = pd.read_excel(tmp_path / "e.xlsx", sheet_name="说明 notes", dtype=str)
    assert notes["说明"].tolist() == ev.notes_in("zh") and notes["note"].tolist() == ev.notes
    _clean("zh", notes["说明"].tolist())
    _clean("en", notes["note"].tolist())
