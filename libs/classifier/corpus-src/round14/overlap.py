"""Near-duplicate check shared by fresh.py and build.py: word 6-grams (whitespace tokens,
lower-cased, punctuation stripped) and, for text in Chinese or Japanese script, character
12-grams without spaces (with at least five Han characters, so that kana request endings
such as してください do not count). Two texts that share none are treated as disjoint."""
import glob, json, os, re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
CJK = re.compile(r'[\u3040-\u30ff\u3400-\u9fff]')
HAN = re.compile(r'[\u3400-\u9fff]')
import unicodedata


def _strip(text):
    # punctuation and symbols become spaces; letters, digits and combining marks (Devanagari
    # vowel signs) stay
    return ''.join(' ' if unicodedata.category(c)[0] in 'PSZ' else c for c in text)


def grams(text):
    out = set()
    words = _strip(text.lower()).split()
    for i in range(len(words) - 5):
        out.add(' '.join(words[i:i + 6]))
    if CJK.search(text):
        s = re.sub(r'\s+', '', text)
        for i in range(len(s) - 11):
            g = s[i:i + 12]
            if len(CJK.findall(g)) >= 8 and len(HAN.findall(g)) >= 5:
                out.add(g)
    return out


def texts_of(path):
    for line in open(path, encoding='utf-8'):
        line = line.strip()
        if not line:
            continue
        r = json.loads(line)
        if 'text' in r:
            yield r['text']
        for m in r.get('messages', []):
            yield m.get('content', '')


def index(paths):
    idx = set()
    for p in paths:
        for t in texts_of(p):
            idx |= grams(t)
    return idx


def corpus_files(exclude=()):
    return [p for p in sorted(glob.glob(os.path.join(ROOT, 'corpus', '*.jsonl'))) if os.path.basename(p) not in exclude]


def heldout_files(exclude=()):
    return [p for p in sorted(glob.glob(os.path.join(ROOT, 'heldout', '*.jsonl'))) if os.path.basename(p) not in exclude]


def clashes(pieces, idx):
    """The pieces that share a gram with the index."""
    return [p for p in pieces if grams(p) & idx]
