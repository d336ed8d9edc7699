"""Writes heldout/real_round15_fresh.jsonl: the round-15 fresh held-out slice, never trained on.

Whole prompts written by hand for this file only (fresh_en.py, fresh_ml_a.py, fresh_ml_b.py,
fresh_topic.py), in
the style of everyday assistant traffic: explanations, how-to questions, advice, comparisons, idea
lists, itineraries, reasoning puzzles and decisions, chat, actions, and one or two of every other
intent, in all 13 corpus languages, weighted toward English; fresh_topic.py adds questions
whose topic sounds like another intent (a poem, a film, a category, a feeling, AI) while the task
is an explanation, an inference or an idea list, and requests that really are that other intent. Labelled by the taxonomy in
DESIGN.md and the corpus's conventions: an explanatory or how-to question with one answer is
open_qa; several ideas, names, options, an itinerary or a plan is brainstorming; a puzzle or a
decision weighed under the asker's constraints is reasoning.

Asserts that no prompt shares a word 6-gram (or, in Chinese/Japanese, a 12-character window with
five Han characters) with any corpus/*.jsonl row or any other heldout/ file.

    cd libs/classifier/corpus-src/round15 && python3 fresh.py ../../heldout/real_round15_fresh.jsonl

`--long` writes heldout/real_round15_long_fresh.jsonl instead, from fresh_long.py: longer everyday
requests with the asker's situation first, written after the round-15 training data (without
looking at any model output on them) and checked the same way.

    python3 fresh.py --long ../../heldout/real_round15_long_fresh.jsonl
"""
import collections, json, os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.append(os.path.join(HERE, '..', 'round14'))
from overlap import clashes, corpus_files, heldout_files, index
from fresh_en import EN
from fresh_ml_a import ML_A
from fresh_ml_b import ML_B
from fresh_topic import TOPIC_EN, TOPIC_ML

INTENTS = {'code', 'math', 'creative_writing', 'writing', 'open_qa', 'reasoning', 'translation', 'extraction',
           'brainstorming', 'other', 'summarization', 'classification', 'image_generation', 'rewrite', 'chat'}
LANGS = ['en', 'es', 'fr', 'de', 'pt', 'it', 'ru', 'nl', 'zh', 'ja', 'ko', 'ar', 'hi']


def rows():
    by_lang = {'en': EN, **ML_A, **ML_B}
    assert set(by_lang) == set(LANGS), set(LANGS) ^ set(by_lang)
    out = []
    for l in LANGS:
        for it, text in by_lang[l]:
            assert it in INTENTS, (l, it)
            out.append({'text': text, 'intent': it, 'lang': l})
    out += [{'text': text, 'intent': it, 'lang': 'en'} for it, text in TOPIC_EN]
    for l, it, text in TOPIC_ML:
        assert l in LANGS and it in INTENTS, (l, it)
        out.append({'text': text, 'intent': it, 'lang': l})
    return out


def long_rows():
    from fresh_long import LONG_EN, LONG_ML
    out = [{'text': t, 'intent': it, 'lang': 'en'} for it, t in LONG_EN]
    for l, it, t in LONG_ML:
        assert l in LANGS and it in INTENTS, (l, it)
        out.append({'text': t, 'intent': it, 'lang': l})
    return out


def main():
    long = sys.argv[1] == '--long'
    out = sys.argv[-1]
    rs = long_rows() if long else rows()
    assert len({r['text'] for r in rs}) == len(rs), 'duplicate prompt'
    others = corpus_files() + heldout_files(exclude=(os.path.basename(out),))
    bad = clashes([r['text'] for r in rs], index(others))
    assert not bad, 'held-out prompts overlap the corpus or another held-out file:\n' + '\n'.join(bad)
    with open(out, 'w', encoding='utf-8') as f:
        for r in rs:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    print(len(rs), dict(collections.Counter(r['lang'] for r in rs)), dict(collections.Counter(r['intent'] for r in rs)))


if __name__ == '__main__':
    main()
