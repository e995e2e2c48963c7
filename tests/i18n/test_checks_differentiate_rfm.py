"""The self-checks of lessons 02 and 03 explain a wrong answer in Spanish, and keep their English.

Each case is a student's function with a known mistake, checked twice as a
student would: the first wrong attempt gets the exercise's idea, the second
the mistake's concrete step. In Spanish the verdict is "Incorrecto, porque"
and the catalog's Spanish, with no English sentence left, and the hint after
"Pista:" is Spanish too; in English the verdict is, character for character,
what the checks printed before they were translated.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from babel.messages.pofile import read_po

from relmark_lab import i18n
from relmark_lab.checks import _rfm_cases, differentiate, rfm
from relmark_lab.checks._cases import unseen_label
from relmark_lab.i18n.catalogs import LOCALE

CATALOG = LOCALE / "es" / "LC_MESSAGES" / "checks_differentiate_rfm.po"
#: Words that mark an English sentence; the Spanish texts have none of them outside code.
ENGLISH = {"the", "and", "of", "is", "are", "was", "were", "with", "which", "this", "that",
           "from", "for", "each", "their", "what", "when", "how", "it", "be", "by", "not", "or",
           "an", "you", "your", "count", "use", "take", "keep", "answer"}


@pytest.fixture(scope="module")
def spanish():
    """The catalog's translations, read from the file (not through the kit's lookup)."""
    with CATALOG.open("rb") as handle:
        return {message.id: message.string for message in read_po(handle, locale="es")
                if message.id}


# --- students' functions, each with a known mistake ----------------------------------


def nps_with_passives_as_promoters(survey):
    scores = survey["recommend"]
    return 100 * ((scores >= 7).mean() - (scores <= 6).mean())


def channel_row_number(value, channels):
    net = channels["response_rate"] * value - channels["cost_per_contact"]
    return int(net.idxmax())


def orders_counting_lines(transactions):
    return transactions.groupby("customer_id").size()


def segments_with_strict_bounds(scores):
    recent, frequent = scores["r_score"] > 4, scores["f_score"] > 4
    names = np.select([recent & frequent, recent, scores["r_score"] < 2],
                      ["Champions", "Recent", "Lapsed"], "Others")
    return pd.Series(names, index=scores.index, dtype="object")


#: check, student's function, and the English of "because", the idea and the concrete step.
CASES = {
    "02.1": (differentiate.net_promoter_score, nps_with_passives_as_promoters,
             "passives (7–8) were counted as promoters: a passive is satisfied but would switch "
             "for a better offer, so it does not spread the word.",
             "NPS is the share of promoters (who would recommend the firm) minus the share of "
             "detractors (who would talk it down), in points from −100 to 100.",
             "promoters answer 9 or 10 only: `scores >= 9`."),
    "02.6": (differentiate.best_channel, channel_row_number,
             "that is the row number of the channel, not its name.",
             "a contact is worth the chance that the customer responds times what a response is "
             "worth, less what the contact costs; the best channel is the one that leaves the "
             "most, and it changes with the value of the tier.",
             "take the 'channel' of the row where the net value is largest, e.g. with .loc[...]."),
    "03.1": (rfm.orders_per_customer, orders_counting_lines,
             "you counted order lines: an order with three lines is one purchase.",
             "F counts how often a customer decided to buy: one order is one decision, however "
             "many lines it has, and a return undoes a purchase rather than adding one.",
             "count the distinct order_id values of each customer with .nunique()."),
    "03.4": (rfm.three_segments, segments_with_strict_bounds,
             "you used > and < at the score boundaries: the bounds are included: R ≥ 4 takes the "
             "customers with a 4 as well as a 5, and R ≤ 2 those with a 2 as well as a 1.",
             "a segment rule is a range of scores with its bounds included. When a customer fits "
             "two rules the first one in the table names them (a Champion is also recent, but "
             "stays a Champion), and a customer no rule fits is 'Others'.",
             "use >= 4 and <= 2."),
}


def _two_attempts(exercise: str) -> tuple[str, str]:
    check, student, *_texts = CASES[exercise]
    return str(check(student)), str(check(student))


def _english_words(text: str) -> list[str]:
    """The English words of a text outside `code`, column names and method calls."""
    prose = re.sub(r"`[^`]*`|'[^']*'|\S*(?:_|\.\w|\(|\[)\S*", " ", text)
    return [word for word in re.findall(r"[^\W\d_]+", prose) if word.lower() in ENGLISH]


@pytest.mark.parametrize("exercise", CASES)
def test_a_wrong_answer_is_explained_in_spanish(exercise, spanish):
    i18n.set_language("es")
    _check, _student, because, idea, concrete = CASES[exercise]
    first, second = _two_attempts(exercise)
    assert first == f"Incorrecto, porque {spanish[because]}\nPista: {spanish[idea]}"
    assert second == f"Incorrecto, porque {spanish[because]}\nPista: {spanish[concrete]}"
    for verdict in (first, second):
        reason, hint = verdict.split("\nPista: ")
        assert not _english_words(reason), reason
        assert not _english_words(hint), hint


@pytest.mark.parametrize("exercise", CASES)
def test_the_same_answer_in_english_is_what_it_always_was(exercise):
    _check, _student, because, idea, concrete = CASES[exercise]
    first, second = _two_attempts(exercise)
    assert first == f"Wrong, because {because}\nHint: {idea}"
    assert second == f"Wrong, because {because}\nHint: {concrete}"


def test_the_spanish_texts_keep_their_placeholders_and_are_spanish(spanish):
    for english, translation in spanish.items():
        assert sorted(re.findall(r"\{\w+\}", english)) == sorted(
            re.findall(r"\{\w+\}", translation)), english
        assert not _english_words(re.sub(r"\{\w+\}", " ", translation)), translation


def test_a_case_label_says_its_date_in_the_language_in_use():
    """03.2's earlier end is named in words; its cases are kept once per language."""
    english = _rfm_cases.recency_cases(None, rfm.recency_mistakes)[2].label
    i18n.set_language("es")
    spanish_label = _rfm_cases.recency_cases(None, rfm.recency_mistakes)[2].label
    assert english.endswith(" observed only up to 30 September 2025")
    assert spanish_label == (f"{i18n.gettext(unseen_label())}, observados solo hasta el 30 de "
                             "septiembre de 2025")
    i18n.set_language("en")
    assert _rfm_cases.recency_cases(None, rfm.recency_mistakes)[2].label == english
