import json, random, sys
import os as _os
sys.path.insert(0, _os.path.dirname(_os.path.abspath(__file__)))
from contexts import CTX
from extras import ROLE, PASTE
from contexts2 import CTX2, PASTE2
for _l in CTX2: CTX[_l] = (CTX[_l][0] + CTX2[_l], CTX[_l][1])
PASTE = (PASTE[0] + PASTE2, PASTE[1])
R = {}
for m in ['req_en', 'req_rom', 'req_gn', 'req_as', 'req_ah']:
    R.update(__import__(m).R)
for m in ['req2_a', 'req2_b', 'req2_c', 'req4_a', 'req4_b', 'req4_c']:
    for l, d in __import__(m).R.items():
        for it, lst in d.items():
            assert len(lst) == 3, (l, it)
            R[l][it] = (list(R[l][it][0]) + lst, R[l][it][1])
INTENTS = ['code','math','creative_writing','writing','open_qa','reasoning','translation','extraction','brainstorming','other','summarization','classification','image_generation','rewrite','chat']
LANGS = ['en','es','fr','de','pt','it','ru','nl','zh','ja','ko','ar','hi']
for l in LANGS:
    assert set(R[l]) == set(INTENTS), (l, set(INTENTS) ^ set(R[l]))
    assert l in CTX and l in ROLE, l

import os
STANDALONE = os.environ.get('STANDALONE') == '1'
def compose(rng, ctx, req, roles, pastes, v):
    sep = '\n\n'
    if v == 0: return ctx + sep + req
    if v == 1: return req + sep + ctx
    if v == 2: return rng.choice(roles) + sep + ctx + sep + req
    if v == 3: return ctx + sep + rng.choice(pastes) + sep + req
    if v == 4: return ctx + ' ' + req
    if v == 5: return rng.choice(roles) + ' ' + ctx + sep + rng.choice(pastes) + sep + req
    return ctx + sep + req

def build(split, per, seed):
    rng = random.Random(seed)
    rows = []
    for l in LANGS:
        ctxs = CTX[l][split]
        roles = ROLE[l][split]
        pastes = PASTE[split]
        for it in INTENTS:
            for req in R[l][it][split]:
                if split == 0 and STANDALONE:
                    rows.append({'text': req, 'intent': it, 'lang': l})
                n = int(os.environ.get('EN_PER', per)) if (l == 'en' and split == 0) else per
                cs = rng.sample(ctxs, min(n, len(ctxs)))
                for c in cs:
                    v = rng.randrange(6)
                    rows.append({'text': compose(rng, c, req, roles, pastes, v), 'intent': it, 'lang': l})
    return rows

def extra(seed):
    from req3 import OTHER3, NOREQ
    rng = random.Random(seed)
    rows = []
    for l in LANGS:
        for req in OTHER3[l]:
            if STANDALONE: rows.append({'text': req, 'intent': 'other', 'lang': l})
            for c in rng.sample(CTX[l][0], 2):
                rows.append({'text': compose(rng, c, req, ROLE[l][0], PASTE[0], rng.choice([0, 0, 4, 2])), 'intent': 'other', 'lang': l})
    from req6 import ORQ
    for l in (LANGS if os.environ.get('ORQ') == '1' else []):
        for req in ORQ[l]:
            rows.append({'text': req, 'intent': 'open_qa', 'lang': l})
    from req5 import INCHAR
    for l in LANGS:
        for req in INCHAR[l]:
            rows.append({'text': req, 'intent': 'creative_writing', 'lang': l})
    for p in PASTE[0]:
        if p.startswith('$') or p.startswith('\\['):
            continue
        for tail in rng.sample(NOREQ, 2):
            rows.append({'text': (p + '\n' + tail).strip(), 'intent': 'other', 'lang': 'en'})
    return rows
train = build(0, int(sys.argv[1]) if len(sys.argv) > 1 else 2, 1313)
held = build(1, 2, 2626)
train += extra(3939)
# never share a request phrasing or context between the two
trq = {r for l in LANGS for it in INTENTS for r in R[l][it][0]}
hq = {r for l in LANGS for it in INTENTS for r in R[l][it][1]}
assert not (trq & hq)
import collections
print(len(train), len(held), collections.Counter(r['lang'] for r in train))
with open(sys.argv[2], 'w') as f:
    for r in train: f.write(json.dumps(r, ensure_ascii=False) + '\n')
with open(sys.argv[3], 'w') as f:
    for r in held: f.write(json.dumps(r, ensure_ascii=False) + '\n')
