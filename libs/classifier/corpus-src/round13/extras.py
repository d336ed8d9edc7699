ROLE = {
'en': (["You are my patient, slightly sarcastic older sister who happens to know everything. Stay in character.","Act as a seasoned operations manager I'm having coffee with."], ["Pretend you're a retired headteacher giving advice over the garden fence."]),
'es': (["Eres mi tía abuela, una mujer práctica que ha visto de todo. Habla como ella.","Actúa como un consultor con veinte años de experiencia en pequeños negocios."], ["Haz de entrenador personal exigente pero cariñoso."]),
'fr': (["Tu es mon vieux voisin bricoleur qui a réponse à tout. Reste dans le personnage.","Joue le rôle d'une consultante en organisation que je rencontre pour un café."], ["Fais comme si tu étais une institutrice à la retraite qui me donne des conseils."]),
'de': (["Du bist mein geduldiger Onkel, der früher Handwerksmeister war. Bleib in der Rolle.","Spiel eine erfahrene Unternehmensberaterin, mit der ich einen Kaffee trinke."], ["Tu so, als wärst du ein pensionierter Schulleiter, der mir über den Gartenzaun Ratschläge gibt."]),
'pt': (["És a minha avó, prática e direta, que já viu de tudo. Fala como ela.","Faz de consultor com vinte anos de experiência em pequenos negócios."], ["Finge que és um treinador exigente mas simpático."]),
'it': (["Sei mia zia, pratica e schietta, che ne ha viste di tutti i colori. Resta nel personaggio.","Fai la parte di un consulente aziendale con vent'anni di esperienza."], ["Fingi di essere un maestro in pensione che mi dà consigli."]),
'ru': (["Ты — моя бабушка, практичная и прямолинейная, которая всё повидала. Говори как она.","Представь, что ты опытный бизнес-консультант, с которым я пью кофе."], ["Сыграй роль строгого, но доброго тренера."]),
'nl': (["Jij bent mijn nuchtere oom die vroeger aannemer was. Blijf in je rol.","Speel een ervaren organisatieadviseur met wie ik koffie drink."], ["Doe alsof je een gepensioneerde schooldirecteur bent die me advies geeft."]),
'zh': (["你现在扮演我那位经验丰富、说话直来直去的姑姑。","请你扮演一位有二十年经验的小企业顾问。"], ["假装你是一位退休的老校长，给我出出主意。"]),
'ja': (["あなたは何でも知っている、少し皮肉屋の姉です。その役のまま話してください。","経験豊富な経営コンサルタントとして振る舞ってください。"], ["引退した校長先生になったつもりで答えてください。"]),
'ko': (["너는 이제부터 뭐든 아는 좀 까칠한 우리 언니야. 그 역할로 말해 줘.","이십 년 경력의 소상공인 컨설턴트 역할을 해 주세요."], ["은퇴한 교장 선생님인 척하고 조언해 주세요."]),
'ar': (["أنت الآن عمّتي الحكيمة العملية التي رأت كل شيء. تكلّم مثلها.","تصرّف كمستشار أعمال لديه عشرون سنة من الخبرة."], ["تخيّل أنك مدير مدرسة متقاعد يقدّم لي النصيحة."]),
'hi': (["तुम अब मेरी समझदार और सीधी बात करने वाली मौसी हो। उसी अंदाज़ में बात करो।","एक अनुभवी बिज़नेस सलाहकार की भूमिका निभाओ।"], ["मान लो तुम एक रिटायर्ड प्रधानाध्यापक हो जो मुझे सलाह दे रहे हैं।"]),
}
PASTE = ([
"```python\ndef due_this_week(rows):\n    out = []\n    for r in rows:\n        if r['date'] - today() < 7:\n            out.append(r)\n    return out\n```",
"| month | income | costs |\n|---|---|---|\n| Jan | 4,210 | 3,980 |\n| Feb | 3,870 | 4,105 |\n| Mar | 4,530 | 4,020 |",
"2026-03-14 02:11:07 ERROR worker-3 timeout after 30000 ms (job=invoice-sync)\n2026-03-14 02:11:09 WARN retry 1/3\n2026-03-14 02:12:40 ERROR worker-3 timeout after 30000 ms (job=invoice-sync)",
"$$ C = P \\cdot \\frac{r(1+r)^n}{(1+r)^n - 1} $$",
"name,date,amount,status\nK. Ito,2026-02-03,120.00,paid\nM. Roy,2026-02-09,75.50,open\nA. Berg,2026-02-11,310.00,open",
"    while (queue.length > 0) {\n      const job = queue[0];\n      process(job);\n    }",
"<ul>\n  <li class=\"item\">Monday 18:00</li>\n  <li class=\"item\">Thursday 19:30</li>\n</ul>",
], [
"```js\nfunction total(items) {\n  let s = 0;\n  for (i = 0; i <= items.length; i++) s += items[i].price;\n  return s;\n}\n```",
"| week | visitors | sales |\n|---|---|---|\n| 1 | 320 | 41 |\n| 2 | 295 | 38 |\n| 3 | 410 | 57 |",
"[07:42:10] db-pool: connection refused (10.0.3.7:5432)\n[07:42:15] db-pool: connection refused (10.0.3.7:5432)\n[07:42:20] api: 503 returned to 14 clients",
"\\begin{align} A &= \\pi r^2 \\\\ r &= 2.4\\,\\text{m} \\end{align}",
])
