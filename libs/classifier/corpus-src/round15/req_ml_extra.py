"""Round-15 training phrasings, all 12 non-English languages: facts asked for (open_qa, not an idea
list), a knowledge question with answer options (open_qa), an overview of a topic from knowledge with
no text to condense (open_qa), a question to the assistant about its own tastes (chat)."""

X = {
    'es': [
        ('open_qa', "Dame algunos datos sobre las tortugas marinas."),
        ('open_qa', "¿Cuál es el río más largo de Europa? a) Danubio b) Volga c) Rin"),
        ('open_qa', "Resume en pocas líneas la historia de la Reconquista."),
        ('chat', "¿Cuál es tu canción favorita?"),
    ],
    'fr': [
        ('open_qa', "Donne-moi quelques informations sur les volcans d'Auvergne."),
        ('open_qa', "Quel est le plus grand désert du monde ? A) Sahara B) Antarctique C) Gobi"),
        ('open_qa', "Fais-moi un bref aperçu de la guerre de Cent Ans."),
        ('chat', "Tu préfères la mer ou la montagne ?"),
    ],
    'de': [
        ('open_qa', "Gib mir ein paar Fakten über Eisbären."),
        ('open_qa', "Welches ist das größte Bundesland? Bayern, Niedersachsen oder Sachsen?"),
        ('open_qa', "Fass die Geschichte der Hanse kurz zusammen."),
        ('chat', "Was ist dein Lieblingsessen, wenn du eins hättest?"),
    ],
    'pt': [
        ('open_qa', "Me dá algumas informações sobre o Pantanal."),
        ('open_qa', "Qual é o maior planeta do sistema solar? a) Saturno b) Júpiter c) Netuno"),
        ('open_qa', "Resume a história da independência do Brasil em poucas frases."),
        ('chat', "Qual é o seu filme preferido?"),
    ],
    'it': [
        ('open_qa', "Dammi qualche informazione sull'Etna."),
        ('open_qa', "Chi ha dipinto la Primavera? A) Raffaello B) Botticelli C) Tiziano"),
        ('open_qa', "Riassumi in breve la storia della Repubblica di Venezia."),
        ('chat', "Ti piace la musica? Che genere preferisci?"),
    ],
    'ru': [
        ('open_qa', "Расскажи несколько фактов о Байкале."),
        ('open_qa', "Какая планета самая горячая? а) Меркурий б) Венера в) Марс"),
        ('open_qa', "Кратко перескажи историю Петра Первого и его реформ."),
        ('chat', "А какая у тебя любимая книга?"),
    ],
    'nl': [
        ('open_qa', "Geef me wat informatie over de Waddenzee."),
        ('open_qa', "Welke rivier stroomt door Nijmegen? De Maas, de Waal of de IJssel?"),
        ('open_qa', "Vat de geschiedenis van de VOC kort samen."),
        ('chat', "Wat is jouw lievelingsseizoen?"),
    ],
    'zh': [
        ('open_qa', "给我讲几个关于大熊猫的知识。"),
        ('open_qa', "中国最长的河流是哪一条？A. 黄河 B. 长江 C. 珠江"),
        ('open_qa', "简单概括一下秦朝的历史。"),
        ('chat', "你最喜欢什么颜色？"),
    ],
    'ja': [
        ('open_qa', "富士山について基本的な情報を教えてください。"),
        ('open_qa', "日本で一番大きい湖はどれですか？A 琵琶湖 B 霞ヶ浦 C 浜名湖"),
        ('open_qa', "江戸時代の歴史を簡単にまとめて説明してください。"),
        ('chat', "好きな季節はありますか？"),
    ],
    'ko': [
        ('open_qa', "독도에 대한 기본 정보를 알려 주세요."),
        ('open_qa', "조선을 세운 사람은 누구인가요? ① 이성계 ② 왕건 ③ 세종"),
        ('open_qa', "고려 시대의 역사를 간단히 요약해서 설명해 주세요."),
        ('chat', "너는 제일 좋아하는 음식이 뭐야?"),
    ],
    'ar': [
        ('open_qa', "أعطني بعض المعلومات عن نهر النيل."),
        ('open_qa', "ما هي عاصمة المغرب؟ أ) الدار البيضاء ب) الرباط ج) فاس"),
        ('open_qa', "لخص لي تاريخ الدولة العباسية باختصار."),
        ('chat', "ما هو كتابك المفضل؟"),
    ],
    'hi': [
        ('open_qa', "हिमालय के बारे में कुछ जानकारी दीजिए।"),
        ('open_qa', "भारत का राष्ट्रीय पशु कौन सा है? (क) शेर (ख) बाघ (ग) हाथी"),
        ('open_qa', "मुग़ल साम्राज्य का इतिहास संक्षेप में बताइए।"),
        ('chat', "तुम्हारा पसंदीदा गाना कौन सा है?"),
    ],
}
