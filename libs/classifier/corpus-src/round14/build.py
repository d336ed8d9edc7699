"""Writes corpus/real_round14_composed.jsonl (training) from the round-14 request phrasings
(req_ar.py, req_ru.py, req_ja.py, req_ko.py: six to eight per intent; req_rest.py: the other nine
languages; req_more.py: `other` actions on the pasted material, small talk after venting,
reasoning about consequences, programs in everyday words, in all 13), background paragraphs, role set-ups and pasted blocks (ctx.py, plus the round-13
training contexts), composed with the task last or first, after a role set-up, around a pasted
block, after two background paragraphs (long context-first prompts), inline, or alone.

Asserts that no training piece shares a word 6-gram (CJK: a 12-gram with five Han characters)
with any heldout/ file, in particular heldout/real_round14_fresh.jsonl, which was written first.

    cd libs/classifier/corpus-src/round14 && python3 build.py ../../corpus/real_round14_composed.jsonl

Environment: MORE (1: include req_more.py, default 0), PER (compositions per phrasing, default 3), STANDALONE (1: also each phrasing on
its own, default 1), REUSE13 (n: also compose each round-13 training phrasing with n round-14
contexts, default 1). The defaults are the variant chosen on our held-out files.
"""
import collections, json, os, random, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from overlap import clashes, grams, heldout_files, index
from ctx import CTX, ROLE, PASTE
import fresh

INTENTS = fresh.INTENTS
LANGS = fresh.LANGS
R = {}
for m in ['req_ar', 'req_ru', 'req_ja', 'req_ko', 'req_rest']:
    R.update(__import__(m).R)
if os.environ.get('MORE', '0') == '1':
    from req_more import M
    for l, d in M.items():
        for it, lst in d.items():
            R[l][it] = R[l][it] + lst

PER = int(os.environ.get('PER', '3'))
STANDALONE = os.environ.get('STANDALONE', '1') == '1'
REUSE13 = int(os.environ.get('REUSE13', '1'))


def round13():
    """Round-13 training (split 0) phrasings, contexts, roles and pastes."""
    sys.path.insert(0, os.path.join(HERE, '..', 'round13'))
    import importlib
    cwd = os.getcwd()
    os.chdir(os.path.join(HERE, '..', 'round13'))
    try:
        c13 = importlib.import_module('contexts').CTX
        c13b = importlib.import_module('contexts2').CTX2
        e13 = importlib.import_module('extras')
        r13 = {}
        for m in ['req_en', 'req_rom', 'req_gn', 'req_as', 'req_ah']:
            r13.update(importlib.import_module(m).R)
        for m in ['req2_a', 'req2_b', 'req2_c', 'req4_a', 'req4_b', 'req4_c']:
            for l, d in importlib.import_module(m).R.items():
                for it, lst in d.items():
                    r13[l][it] = (list(r13[l][it][0]) + lst, r13[l][it][1])
    finally:
        os.chdir(cwd)
    ctx = {l: list(c13[l][0]) + list(c13b.get(l, [])) for l in LANGS}
    return {l: {it: list(r13[l][it][0]) for it in INTENTS} for l in LANGS}, ctx, {l: e13.ROLE[l][0] for l in LANGS}


def compose(rng, l, req, v, ctxs, roles, pastes):
    c = rng.choice(ctxs)
    if v == 0: return c + '\n\n' + req
    if v == 1: return req + '\n\n' + c
    if v == 2: return rng.choice(roles) + '\n\n' + c + '\n\n' + req
    if v == 3: return c + '\n\n' + rng.choice(pastes) + '\n\n' + req
    if v == 4:
        c2 = rng.choice([x for x in ctxs if x != c])
        return c + '\n\n' + c2 + '\n\n' + req
    if v == 5: return c + ' ' + req
    return rng.choice(roles) + ' ' + req


def main():
    for l in LANGS:
        assert set(R[l]) == set(INTENTS), (l, set(INTENTS) ^ set(R[l]))
        assert CTX.get(l) and ROLE.get(l), l
    pieces = [r for l in LANGS for it in INTENTS for r in R[l][it]]
    pieces += [c for l in LANGS for c in CTX[l]] + [r for l in LANGS for r in ROLE[l]] + PASTE
    # never share a phrasing, context, role or pasted block with any held-out file
    bad = clashes(pieces, index(heldout_files()))
    assert not bad, 'training pieces overlap a held-out file:\n' + '\n'.join(bad)
    fresh_grams = set()
    for p in fresh.pieces():
        fresh_grams |= grams(p)
    assert not any(grams(p) & fresh_grams for p in pieces)
    r13, c13, role13 = round13()
    rng = random.Random(1414)
    rows = []
    for l in LANGS:
        ctxs = CTX[l] + c13[l]
        roles = ROLE[l] + role13[l]
        for it in INTENTS:
            for req in R[l][it]:
                if STANDALONE:
                    rows.append({'text': req, 'intent': it, 'lang': l})
                for v in rng.sample(range(7), PER):
                    rows.append({'text': compose(rng, l, req, v, ctxs, roles, PASTE), 'intent': it, 'lang': l})
            for req in r13[l][it]:
                for v in rng.sample(range(6), REUSE13):
                    rows.append({'text': compose(rng, l, req, v, CTX[l], ROLE[l], PASTE), 'intent': it, 'lang': l})
    seen = set()
    rows = [r for r in rows if not (r['text'] in seen or seen.add(r['text']))]
    with open(sys.argv[1], 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    print(len(rows), dict(collections.Counter(r['lang'] for r in rows)))


if __name__ == '__main__':
    main()
