"""Near misses the vocabulary must push away: a country's own mobilisation, civilians caught in a war,
Wagner news without recruiting, North Korea's weapons (not troops) for Russia. Sentences written for
these tests, not taken from any news item."""

from __future__ import annotations

import pytest

from classifiers.default_keywords import default_keywords
from classifiers.rules import compile_rules

# A country calling up its own reservists: each shares a "sent to the front" phrase with the topic,
# so without the near-miss rules it scores above zero.
OWN_MOBILISATION = [
    ("ru", "Частичная мобилизация: военкоматы рассылают повестки, резервистов отправляют на фронт"),
    ("cs", "Částečná mobilizace v Rusku: povolávací rozkazy pro záložníky poslané na frontu"),
    ("pl", "Częściowa mobilizacja w Rosji: karty powołania dla rezerwistów wysłanych na front"),
    ("hu", "Részleges mozgósítás Oroszországban: behívót kaptak a tartalékosok, akiket a frontra küldenek"),
    ("fi", "Osittainen liikekannallepano Venäjällä: kutsuntoja, reserviläiset lähetetään rintamalle"),
    ("fr", "Mobilisation partielle en Russie : ordre de mobilisation pour les réservistes envoyés au front"),
    (
        "de",
        "Teilmobilmachung in Russland: Einberufungsbescheid für Reservisten,"
        " die an die Front geschickt werden",
    ),
    ("it", "Mobilitazione parziale in Russia: cartolina precetto ai riservisti mandati al fronte"),
    (
        "nl",
        "Gedeeltelijke mobilisatie in Rusland: oproepingsbrief voor reservisten"
        " die naar het front worden gestuurd",
    ),
    ("ar", "التعبئة الجزئية في روسيا: استدعاء الاحتياط للقتال في أوكرانيا"),
    ("sv", "Partiell mobilisering i Ryssland: inkallelse till reservister som skickas till fronten"),
    ("es", "Movilización parcial en Rusia: llamamiento a filas de reservistas enviados al frente"),
    ("tr", "Rusya'da kısmi seferberlik: askerlik yaşındaki yedek askerler cepheye gönderiliyor"),
    ("id", "Mobilisasi parsial di Rusia: warga usia wajib militer dikirim ke garis depan perang"),
    (
        "pt",
        "Mobilização parcial na Rússia: reservistas em idade de serviço militar obrigatório"
        " enviados para a frente",
    ),
]

# Civilians caught in a war: no recruiting word, so the rules must count against them.
CIVILIANS_CAUGHT_IN_A_WAR = [
    ("en", "An evacuation flight brings home stranded students trapped by the fighting in Sudan"),
    ("ru", "Эвакуационный рейс вывез застрявших студентов из зоны боевых действий"),
    ("de", "Ein Evakuierungsflug holt gestrandete Studenten aus dem Kriegsgebiet"),
    ("es", "Un vuelo de evacuación trae a los estudiantes varados por la guerra en Sudán"),
    ("zh", "撤侨航班接回滞留的留学生"),
]

# Wagner news without recruiting: the Wagner name alone leans towards the topic.
WAGNER_WITHOUT_RECRUITING = [
    ("en", "Wagner massacre in a Mali village, a rights group says"),
    ("fr", "Sanctions contre le groupe Wagner pour des mines d'or"),
    ("de", "Sanktionen gegen die Wagner-Gruppe wegen Goldminen"),
    ("es", "Sanciones contra el grupo Wagner por minas de oro"),
    ("tr", "Wagner grubuna altın madenleri nedeniyle yaptırımlar"),
]

# North Korea's shells and missiles for Russia: arms aid, no one recruited or sent.
NORTH_KOREAN_WEAPONS = [
    (
        "en",
        "North Korea has shipped millions of artillery shells and ballistic missiles to Russia",
    ),
    ("ru", "КНДР передала России миллионы артиллерийских снарядов и баллистические ракеты, сообщает Сеул"),
    ("uk", "КНДР передала Росії мільйони артилерійських снарядів і балістичні ракети, повідомляє Сеул"),
    ("ko", "북한이 러시아에 포탄 수백만 발과 탄도미사일을 보냈다고 국방부가 밝혔다"),
    ("ja", "北朝鮮がロシアに数百万発の砲弾と弾道ミサイルを送ったと韓国国防省が発表した"),
    ("zh", "韩国国防部称朝鲜已向俄罗斯运送数百万枚炮弹和弹道导弹"),
    ("de", "Nordkorea hat Russland Millionen Artilleriegranaten und ballistische Raketen geliefert"),
    ("fr", "La Corée du Nord a livré des millions d'obus et des missiles balistiques à la Russie"),
    ("es", "Corea del Norte ha enviado millones de proyectiles de artillería y misiles balísticos a Rusia"),
]


@pytest.fixture(scope="module")
def vocabulary():
    return compile_rules(default_keywords())


def test_the_near_miss_sentences_cover_at_least_ten_languages():
    assert len({lang for lang, _ in OWN_MOBILISATION + CIVILIANS_CAUGHT_IN_A_WAR}) >= 10


@pytest.mark.parametrize(("lang", "text"), OWN_MOBILISATION)
def test_a_countrys_own_mobilisation_does_not_score_on_topic(vocabulary, lang, text):
    assert vocabulary.match(text, lang).score <= 0


@pytest.mark.parametrize(("lang", "text"), CIVILIANS_CAUGHT_IN_A_WAR)
def test_civilians_caught_in_a_war_count_against_a_story(vocabulary, lang, text):
    assert vocabulary.match(text, lang).score < 0


@pytest.mark.parametrize(("lang", "text"), WAGNER_WITHOUT_RECRUITING)
def test_wagner_news_without_recruiting_counts_against_a_story(vocabulary, lang, text):
    assert vocabulary.match(text, lang).score < 0


@pytest.mark.parametrize(("lang", "text"), NORTH_KOREAN_WEAPONS)
def test_north_korean_weapons_without_troops_count_against_a_story(vocabulary, lang, text):
    assert vocabulary.match(text, lang).score < 0


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Police say the racket was luring young men with fake job offers to fight for Russia"),
        (
            "en",
            "North Korean troops were sent to Kursk, and Pyongyang supplies artillery shells",
        ),
        ("ko", "북한군이 러시아 쿠르스크 전선에 파병됐고 북한은 포탄도 공급하고 있다"),
        ("ru", "Вербовщики обманом отправляли иностранцев воевать на фронт"),
        ("de", "Wagner-Söldner werben in Mali an"),
    ],
)
def test_recruiting_still_scores_on_topic(vocabulary, lang, text):
    assert vocabulary.match(text, lang).score > 0
