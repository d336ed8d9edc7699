"""Prints, for each clashing prompt, the shared grams (a helper for writing disjoint pieces)."""
import os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE); sys.path.append(os.path.join(HERE, '..', 'round14'))
from overlap import grams, corpus_files, heldout_files, index


def show(texts, exclude=()):
    idx = index(corpus_files() + heldout_files(exclude=exclude))
    n = 0
    for t in texts:
        g = grams(t) & idx
        if g:
            n += 1
            print(repr(t[:70]), '->', sorted(g)[:4])
    print(n, 'clashing')


if __name__ == '__main__':
    import fresh
    show([r['text'] for r in fresh.rows()], exclude=('real_round15_fresh.jsonl',))
