"""Russian lemmas: one reading, and the same lemma in tokens and in lexicon matching."""
from __future__ import annotations

import pytest

from corpuslib.text.lemmas import ru_lemma
from corpuslib.text.lexicon import Lexicon, fold
from corpuslib.text.tokens import tokenize_text

from tests.conftest import seed_text


@pytest.mark.parametrize("form, lemma", [
    ("постановления", "постановление"), ("съездом", "съезд"), ("партийного", "партийный"),  # seed 001
    ("кадровую", "кадровый"), ("объёма", "объем"),
    # unknown words are mostly Vietnamese names: their own lemma or a noun, never a guessed verb
    ("тханг", "тханг"),
    ("reform", "reform"), ("2024", "2024"),
])
def test_ru_lemma(form, lemma):
    assert ru_lemma(form) == lemma


def _seed_001_sentences() -> list[str]:
    from corpuslib.text.sentences import split_sentences

    return [s for s in split_sentences(seed_text("001"), "ru") if len(s.split()) > 5]


@pytest.mark.parametrize("sentence", _seed_001_sentences())
def test_tokens_and_lexicon_give_the_same_lemma(sentence):
    # the lemmas lexicon matching compares (of the folded sentence) are the tokens of the same words
    matcher = Lexicon.from_terms({"probe": ["партия"]}, langs=["ru"])._matcher("ru")
    _, forms, lemmas = matcher._keys(fold(sentence, "ru"))
    words = [(f, lemma) for f, lemma in zip(forms, lemmas) if f.isalpha() and len(f) > 1]
    assert len(words) > 3
    assert tokenize_text(" ".join(f for f, _ in words), "ru", stopwords=False) == [lemma for _, lemma in words]


def test_a_name_and_its_inflection_share_a_lemma_in_both_stages():
    # seed 001: "провинции Куангнинь" / "от провинции Куангниня"; a guessed verb ("куангнинуть") was the old
    # lexicon reading
    assert ru_lemma("куангнинь") == ru_lemma("куангниня") != "куангнинуть"
    lexicon = Lexicon.from_terms({"province": ["Куангнинь"]}, langs=["ru"])
    text = "секретарь Провинциального Комитета партии Куангниня"
    assert [text[h.start:h.end] for h in lexicon.find(text, "ru")] == ["Куангниня"]
    assert tokenize_text(text, "ru")[-1] == ru_lemma("куангнинь")
