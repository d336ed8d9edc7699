"""Writes heldout/real_round14_fresh.jsonl: the round-14 fresh held-out slice, never trained on.

Request phrasings (fresh_req_a.py, fresh_req_b.py), background paragraphs, role set-ups and
pasted blocks (fresh_ctx.py) written for this file only, composed with the task last or first,
after a role set-up, around a pasted block, inline, or alone. Weighted toward the languages
(ar, ko, ru, ja: two phrasings per intent, each composed twice) and intents (code, reasoning,
other: one more phrasing per language) that were weakest on real_round13_fresh.

Asserts that no piece shares a word 6-gram (or, in Chinese/Japanese, a character 10-gram) with
any corpus/*.jsonl row or any other heldout/ file.

    cd libs/classifier/corpus-src/round14 && python3 fresh.py ../../heldout/real_round14_fresh.jsonl
"""
import collections, json, os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from overlap import clashes, corpus_files, heldout_files, index
from fresh_ctx import HCTX, HROLE, HPASTE
import fresh_req_a, fresh_req_b

INTENTS = ['code', 'math', 'creative_writing', 'writing', 'open_qa', 'reasoning', 'translation', 'extraction',
           'brainstorming', 'other', 'summarization', 'classification', 'image_generation', 'rewrite', 'chat']
LANGS = ['en', 'es', 'fr', 'de', 'pt', 'it', 'ru', 'nl', 'zh', 'ja', 'ko', 'ar', 'hi']
WEAK_LANGS = {'ru', 'ar', 'ja', 'ko'}
HR = {**fresh_req_a.HR, **fresh_req_b.HR}


def pieces():
    """Every written piece of the slice."""
    out = [r for l in LANGS for it in INTENTS for r in HR[l][it]]
    out += [c for l in LANGS for c in HCTX[l]] + [r for l in LANGS for r in HROLE[l]] + list(HPASTE)
    return out


def compose(rng, l, req, v):
    ctx = rng.choice(HCTX[l])
    if v == 0: return ctx + '\n\n' + req
    if v == 1: return req + '\n\n' + ctx
    if v == 2: return rng.choice(HROLE[l]) + '\n\n' + ctx + '\n\n' + req
    if v == 3: return ctx + '\n\n' + rng.choice(HPASTE) + '\n\n' + req
    if v == 4: return ctx + ' ' + req
    if v == 5: return rng.choice(HROLE[l]) + ' ' + req
    return req


def build(seed=1414):
    rng = random.Random(seed)
    rows = []
    for l in LANGS:
        for it in INTENTS:
            for req in HR[l][it]:
                n = 2 if l in WEAK_LANGS else 1
                vs = rng.sample(range(7), n)
                for v in vs:
                    rows.append({'text': compose(rng, l, req, v), 'intent': it, 'lang': l})
    return rows


def main():
    for l in LANGS:
        assert set(HR[l]) == set(INTENTS), (l, set(INTENTS) ^ set(HR[l]))
        assert HCTX.get(l) and HROLE.get(l), l
        for it in INTENTS:
            want = (2 if l in WEAK_LANGS else 1) + (1 if it in ('code', 'reasoning', 'other') else 0)
            assert len(HR[l][it]) == want, (l, it, len(HR[l][it]))
    out = sys.argv[1]
    others = corpus_files() + heldout_files(exclude=(os.path.basename(out), 'real_round14_fresh.jsonl'))
    bad = clashes(pieces(), index(others))
    assert not bad, 'held-out pieces overlap the corpus or another held-out file:\n' + '\n'.join(bad)
    rows = build()
    assert len({r['text'] for r in rows}) == len(rows)
    with open(out, 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    print(len(rows), dict(collections.Counter(r['lang'] for r in rows)), dict(collections.Counter(r['intent'] for r in rows)))


if __name__ == '__main__':
    main()
