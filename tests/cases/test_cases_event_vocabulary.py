"""Event words the cue lists once lacked: every arrest or conviction word is a legal cue, words for
the fallen, for surrender, for a return home, an amnesty and a state's advice, and words that only
look like an event (sentences written for these tests)."""

from __future__ import annotations

import pytest

from cases import extract_case
from cases.event_cues import ARREST_WORDS, CONVICTION_WORDS, EVENT_CUES


def test_every_arrest_and_conviction_word_is_a_legal_cue() -> None:
    legal = set(EVENT_CUES["legal_action"])
    assert set(ARREST_WORDS) <= legal and set(CONVICTION_WORDS) <= legal


@pytest.mark.parametrize(
    ("title", "lang", "event"),
    [
        ("Police detain five men who recruited fighters for Russia", "en", "legal_action"),
        ("Criminal case opened against two volunteers back from Syria", "en", "legal_action"),
        ("Polisi melakukan penangkapan tiga calon anggota ISIS", "id", "legal_action"),
        ("Dois portugueses julgados por terrorismo", "pt", "legal_action"),
        ("Jihadganger moet voor de rechter verschijnen", "nl", "legal_action"),
        ("Svensk jihadist utreds av polisen", "sv", "legal_action"),
        ("Sąd skazał werbownika najemników", "pl", "legal_action"),
        ("Súd odsúdil žoldniera, ktorého naverbovali do armády", "sk", "legal_action"),
        ("Indagine sui volontari italiani arruolati nel Donbass", "it", "legal_action"),
        ("Toshkentda jangarilar safiga qo‘shilmoqchi bo‘lgan shaxs qo‘lga olindi", "uz", "legal_action"),
        ("Ресейге жалдамалы жіберген азамат кармалган", "ky", "legal_action"),
        ("ইসলামিক স্টেটে যোগ দিতে যাওয়া দুই যুবক আটক", "bn", "legal_action"),
        ("ISIS参加を計画した学生、警視庁が捜索", "ja", "legal_action"),
        ("Familia busca o corpo do filho alistado no exército russo", "pt", "casualties"),
        ("Tropas rusas mataron a mercenarios extranjeros", "es", "casualties"),
        ("Zainabiyoun brigade ke Pakistani shuhada: شہدا کی تصاویر", "ur", "casualties"),
        ("Ang pagkamatay ng isang Pilipino sa Ukraine", "tl", "casualties"),
        ("Three foreign volunteers gave their lives near Bakhmut", "en", "casualties"),
        ("Eesti vabatahtlikud andsid oma elu Ukraina eest", "et", "casualties"),
        ("Az ukrán hadsereg foglyul ejtett két zsoldost", "hu", "captured"),
        ("Ukrainas armé visar upp infångad legosoldat", "sv", "captured"),
        ("ВСУ заловиха двама наемници", "bg", "captured"),
        ("ഐഎസിൽ ചേർന്ന മലയാളികൾ കീഴടങ്ങി", "ml", "captured"),
        ("Wapiganaji walioasi Al Shabaab wapewa mtaji", "sw", "return"),
        ("Mayakan Boko Haram sun koma kasarsu", "ha", "return"),
        ("تركيا تعيد المرتزقة إلى سوريا", "ar", "return"),
        ("Kenya yatoa cafis kwa vijana wa Al-Shabaab", "sw", "policy"),
        ("Prezident udělil svolení dobrovolníkům bojovat na Ukrajině", "cs", "policy"),
        ("Ulkoministeriö julkaisi ohjeet vapaaehtoisille taistelijoille", "fi", "policy"),
        ("Les recruteurs ciblent des Africains pour un travail meurtrier", "fr", "recruitment"),
    ],
)
def test_event_words_once_missing(title: str, lang: str, event: str) -> None:
    assert extract_case(title, "", lang).event == event


def test_azerbaijani_olub_is_been_not_died() -> None:
    """ "ölüb" (died) folds into "olub" ("has been"), so it is no cue; "həlak olub" still is."""
    assert extract_case("Terrorçuların haradan gəldiyi məlum olub", "", "az").event == "recruitment"
    assert extract_case("Azərbaycanlı döyüşçü həlak olub", "", "az").event == "casualties"
