"""Writes corpus/real_round15_composed.jsonl (training) from the round-15 phrasings: everyday
assistant questions labelled by their task, not their topic (req_en.py explains the rules):
explanations and how-to questions about stories, films, words, languages, categories, feelings,
technology and AI (open_qa), lists of facts (open_qa), consequences, counterfactuals and argument
checks (reasoning), idea lists, picks and plans (brainstorming), shared news and questions to the
assistant (chat). English frames are filled from topic lists (each topic with FRAMES_PER frames);
whole prompts in all 13 languages are used as written and once more with a greeting or a
closing line of that language; COMPOSE > 0 also places each prompt after that many round-14
background paragraphs (a context-first prompt).

Asserts that no row shares a word 6-gram (CJK: a 12-gram with five Han characters) with any
heldout/ file, in particular heldout/real_round15_fresh.jsonl, which was written and committed
first. Nothing here is taken or paraphrased from ../shared/eval, the held-out files or public
benchmark or arena prompts.

    cd libs/classifier/corpus-src/round15 && python3 build.py ../../corpus/real_round15_composed.jsonl

Environment: FRAMES_PER (default 1), COMPOSE (default 0), VARIANTS (1: also the greeting/closing
copy, default 1), EXTRA (1: facts, answer options, overviews, comparisons, terms, questions to the
assistant, default 1), CONTRAST (1: the same topics with a creative task, and summaries of given
text; tried as variant F, left out: default 0).
"""
import collections, json, os, random, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.append(os.path.join(HERE, '..', 'round14'))
from overlap import clashes, heldout_files, index
import req_en as E
from req_ml_a import W as WA
from req_ml_b import W as WB

LANGS = ['en', 'es', 'fr', 'de', 'pt', 'it', 'ru', 'nl', 'zh', 'ja', 'ko', 'ar', 'hi']
FRAMES_PER = int(os.environ.get('FRAMES_PER', '1'))
COMPOSE = int(os.environ.get('COMPOSE', '0'))
VARIANTS = os.environ.get('VARIANTS', '1') == '1'
EXTRA = os.environ.get('EXTRA', '1') == '1'
CONTRAST = os.environ.get('CONTRAST', '0') == '1'

# (opening, closing) pieces per language; one of the two is added to the extra copy
OPEN = {
    'en': ["Hi! ", "Quick question: ", "hey, ", "I was wondering: ", "Sorry if this is a silly one, but ", "Something I've always wondered. ", "Good morning! "],
    'es': ["¡Hola! ", "Una pregunta: ", "Oye, ", "Tengo una duda: "],
    'fr': ["Bonjour ! ", "Petite question : ", "Salut, ", "Je me demandais : "],
    'de': ["Hallo! ", "Kurze Frage: ", "Hey, ", "Ich frage mich schon lange: "],
    'pt': ["Oi! ", "Uma dúvida: ", "Olá, ", "Pergunta rápida: "],
    'it': ["Ciao! ", "Una domanda: ", "Salve, ", "Mi chiedevo: "],
    'ru': ["Привет! ", "Вопрос: ", "Здравствуйте, ", "Давно хотел спросить: "],
    'nl': ["Hoi! ", "Even een vraag: ", "Hallo, ", "Ik vroeg me af: "],
    'zh': ["你好，", "请问，", "问一下，", "我一直想知道，"],
    'ja': ["こんにちは。", "質問です。", "ちょっと聞きたいんですが、", "ずっと気になっていたのですが、"],
    'ko': ["안녕하세요. ", "질문이 있어요. ", "궁금한 게 있는데요, ", "하나 물어볼게요. "],
    'ar': ["مرحباً، ", "سؤال سريع: ", "السلام عليكم، ", "كنت أتساءل: "],
    'hi': ["नमस्ते, ", "एक सवाल है: ", "सुनिए, ", "मैं सोच रहा था: "],
}
CLOSE = {
    'en': [" Thanks!", " Keep it short please.", " Explain it simply.", " thx", " Asking for my son's school project."],
    'es': [" ¡Gracias!", " Explícalo fácil, por favor."], 'fr': [" Merci !", " Explique simplement, s'il te plaît."],
    'de': [" Danke!", " Bitte einfach erklärt."], 'pt': [" Valeu!", " Explica de um jeito simples."],
    'it': [" Grazie!", " Spiegamelo in modo semplice."], 'ru': [" Спасибо!", " Объясни попроще."],
    'nl': [" Bedankt!", " Leg het simpel uit."], 'zh': ["谢谢！", "简单说说就行。"], 'ja': ["よろしくお願いします。", "簡単に教えてください。"],
    'ko': [" 감사합니다!", " 쉽게 설명해 주세요."], 'ar': [" شكراً!", " اشرحها ببساطة من فضلك."], 'hi': [" धन्यवाद!", " आसान भाषा में बताइए।"],
}


def english(rng):
    out = []

    def fill(frames, topics, intent, key='x'):
        for t in topics:
            for f in rng.sample(frames, min(FRAMES_PER, len(frames))):
                out.append((intent, f.format(**({key: t} if isinstance(t, str) else dict(zip('abc', t))))))
    fill(E.WORK_FRAMES, E.WORK_TOPICS, 'open_qa')
    fill(E.ART_FRAMES, E.ART_TOPICS, 'open_qa')
    fill(E.CAT_FRAMES, E.CAT_TOPICS, 'open_qa')
    fill(E.HOWTO_FRAMES, E.HOWTO_TOPICS, 'open_qa')
    fill(E.EVENT_FRAMES, E.EVENT_TOPICS, 'open_qa')
    fill(E.COND_FRAMES, E.COND_TOPICS, 'open_qa')
    fill(E.REASON_FRAMES, E.REASON_TOPICS, 'reasoning')
    fill(E.BRAIN_FRAMES, E.BRAIN_TOPICS, 'brainstorming')
    if EXTRA:
        fill(E.INFO_FRAMES, E.INFO_TOPICS, 'open_qa')
        fill(E.OVERVIEW_FRAMES, E.OVERVIEW_TOPICS, 'open_qa')
        fill(E.COMPARE_FRAMES, E.COMPARE_TOPICS, 'open_qa')
        for lst, it in [(E.MC_WHOLE, 'open_qa'), (E.TERM_WHOLE, 'open_qa'), (E.CHAT_ASSISTANT, 'chat')]:
            out += [(it, t) for t in lst]
    if CONTRAST:
        fill(E.WORK_CREATIVE_FRAMES, E.WORK_TOPICS, 'creative_writing')
        fill(E.ART_CREATIVE_FRAMES, E.ART_TOPICS, 'creative_writing')
        fill(E.SUMM_FRAMES, E.SUMM_PASSAGES, 'summarization')
    for lst, it in [(E.LIT_WHOLE, 'open_qa'), (E.LANG_WHOLE, 'open_qa'), (E.FEEL_WHOLE, 'open_qa'), (E.TECH_WHOLE, 'open_qa'),
                    (E.ADVICE_WHOLE, 'open_qa'), (E.REASON_WHOLE, 'reasoning'), (E.PLAN_WHOLE, 'brainstorming'), (E.CHAT_WHOLE, 'chat')]:
        out += [(it, t) for t in lst]
    return out


def vary(rng, l, text, intent):
    """The extra copy: a greeting before or a closing line after (chat keeps its own form)."""
    if intent == 'chat':
        return None
    question = text.rstrip()[-1:] in '?？؟'
    if rng.random() < 0.6:
        o = rng.choice(OPEN[l]) if question else OPEN[l][0]
        return o + (text[0].lower() + text[1:] if l == 'en' and o.rstrip()[-1] not in '.!?' and text[:2] != 'I ' else text)
    return text + (rng.choice(CLOSE[l]) if question else CLOSE[l][0])


def main():
    rng = random.Random(1515)
    by_lang = {'en': english(rng), **{l: list(v) for l, v in {**WA, **WB}.items()}}
    if EXTRA:
        from req_ml_extra import X
        for l, v in X.items():
            by_lang[l] += v
    if CONTRAST:
        for l, it, t in E.ML_CONTRAST:
            by_lang[l].append((it, t))
    assert set(by_lang) == set(LANGS)
    base = [(l, it, t) for l in LANGS for it, t in by_lang[l]]
    rows = []
    ctx = {}
    if COMPOSE:
        from ctx import CTX
        ctx = CTX
    for l, it, t in base:
        rows.append({'text': t, 'intent': it, 'lang': l})
        if VARIANTS:
            v = vary(rng, l, t, it)
            if v:
                rows.append({'text': v, 'intent': it, 'lang': l})
        for c in (rng.sample(ctx[l], COMPOSE) if COMPOSE else []):
            rows.append({'text': c + '\n\n' + t, 'intent': it, 'lang': l})
    seen = set()
    rows = [r for r in rows if not (r['text'] in seen or seen.add(r['text']))]
    # never share a word 6-gram with any held-out file (the fresh round-15 slice included)
    bad = clashes([r['text'] for r in rows], index(heldout_files()))
    assert not bad, 'training rows overlap a held-out file:\n' + '\n'.join(bad[:40])
    with open(sys.argv[1], 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    print(len(rows), dict(collections.Counter(r['lang'] for r in rows)), dict(collections.Counter(r['intent'] for r in rows)))


if __name__ == '__main__':
    main()
