# Round-14 training phrasings, second batch (written for this project): `other` requests that
# act on the pasted material or the situation (post, print, save, forward, file: things the
# assistant cannot do, not chat), small talk after venting (`chat`), reasoning about
# consequences and trade-offs, and programs described in everyday words.
M = {
'en': {
'other': ["Post this on the club's Instagram account with a nice caption.", "Print two copies of this and put them in the staff room.", "Save all of this to my Google Drive in the folder called Taxes."],
'chat': ["Sorry for rambling. Do you ever get bored of talking to people all day?", "Phew, that felt good to get off my chest. What would you do with a free Sunday?", "Anyway. Tell me something cheerful, I could use it."],
'reasoning': ["If we go ahead with the cheaper option, walk me through what could go wrong, one consequence leading to the next.", "Which of the two plans holds up better if half the volunteers drop out? Argue it step by step before you answer."],
'code': ["Could you make me a little web page where parents can pick a time slot for the parent-teacher meeting, and nobody can pick a slot that's already taken?", "I'd like a small app on my phone that buzzes me every two hours to drink water and keeps count of the glasses. Build it for me."],
},
'es': {
'other': ["Publica esto en el Instagram del club con un texto bonito.", "Imprime dos copias de esto y déjalas en la sala de profesores.", "Guarda todo esto en mi Google Drive, en la carpeta de Impuestos."],
'chat': ["Perdona el rollo. ¿Tú nunca te aburres de hablar con gente todo el día?", "Uf, qué bien me ha sentado desahogarme. ¿Qué harías tú con un domingo libre?", "En fin. Cuéntame algo alegre, que me hace falta."],
'reasoning': ["Si elegimos la opción más barata, explícame qué podría salir mal, una consecuencia tras otra.", "¿Cuál de los dos planes aguanta mejor si se nos cae la mitad de los voluntarios? Argumenta paso a paso antes de responder."],
'code': ["¿Me haces una pequeña página web donde los padres elijan hora para la tutoría y nadie pueda coger una hora ya ocupada?", "Quiero una aplicación sencilla en el móvil que me avise cada dos horas de beber agua y cuente los vasos. Créamela."],
},
'fr': {
'other': ["Publie ça sur l'Instagram du club avec une jolie légende.", "Imprime-moi ça en deux exemplaires et pose-les en salle des profs.", "Enregistre tout ça dans mon Google Drive, dossier Impôts."],
'chat': ["Désolé, je radote. Tu ne t'ennuies jamais à parler avec des gens toute la journée ?", "Ouf, ça fait du bien de vider son sac. Tu ferais quoi, toi, d'un dimanche libre ?", "Bref. Raconte-moi un truc joyeux, j'en ai besoin."],
'reasoning': ["Si on prend l'option la moins chère, déroule-moi ce qui pourrait mal tourner, une conséquence après l'autre.", "Lequel des deux plans tient le mieux si la moitié des bénévoles se désistent ? Argumente étape par étape avant de conclure."],
'code': ["Tu peux me faire une petite page web où les parents choisissent un créneau pour la réunion, sans pouvoir prendre un créneau déjà réservé ?", "Je voudrais une petite appli sur mon téléphone qui me rappelle de boire de l'eau toutes les deux heures et compte les verres. Fabrique-la-moi."],
},
'de': {
'other': ["Stell das mit einem netten Text auf den Instagram-Account vom Verein.", "Druck das zweimal aus und leg es ins Lehrerzimmer.", "Speicher das alles in meinem Google Drive im Ordner Steuern."],
'chat': ["Sorry, dass ich so viel rede. Wird dir das nie langweilig, den ganzen Tag mit Leuten zu quatschen?", "Puh, das musste mal raus. Was würdest du mit einem freien Sonntag anfangen?", "Egal. Erzähl mir was Schönes, das kann ich gerade brauchen."],
'reasoning': ["Wenn wir die billigere Variante nehmen, spiel mir durch, was schiefgehen kann, eine Folge nach der anderen.", "Welcher der beiden Pläne hält besser, wenn die Hälfte der Helfer abspringt? Argumentier Schritt für Schritt, bevor du antwortest."],
'code': ["Kannst du mir eine kleine Webseite bauen, auf der Eltern einen Termin für den Elternsprechtag wählen und keiner einen schon vergebenen nehmen kann?", "Ich hätte gern eine kleine App fürs Handy, die mich alle zwei Stunden ans Trinken erinnert und die Gläser zählt. Bau sie mir."],
},
'pt': {
'other': ["Publica isto no Instagram do clube com uma legenda gira.", "Imprime duas cópias disto e deixa-as na sala dos professores.", "Guarda tudo isto no meu Google Drive, na pasta Impostos."],
'chat': ["Desculpa a conversa comprida. Nunca te aborreces de falar com pessoas o dia todo?", "Ufa, soube bem desabafar. O que farias tu com um domingo livre?", "Enfim. Conta-me uma coisa alegre, que estou a precisar."],
'reasoning': ["Se formos pela opção mais barata, mostra-me o que pode correr mal, uma consequência a seguir à outra.", "Qual dos dois planos aguenta melhor se metade dos voluntários desistir? Argumenta passo a passo antes de responder."],
'code': ["Fazes-me uma pequena página web onde os pais escolhem um horário para a reunião, sem poderem escolher um já ocupado?", "Queria uma aplicação simples no telemóvel que me lembre de beber água de duas em duas horas e conte os copos. Faz-ma."],
},
'it': {
'other': ["Pubblica questo sull'Instagram della società con una bella didascalia.", "Stampane due copie e lasciale in sala professori.", "Salva tutto questo nel mio Google Drive, nella cartella Tasse."],
'chat': ["Scusa se mi sono dilungato. Non ti annoi mai a parlare con la gente tutto il giorno?", "Uff, mi ha fatto bene sfogarmi. Tu cosa faresti con una domenica libera?", "Comunque. Raccontami qualcosa di allegro, ne ho bisogno."],
'reasoning': ["Se scegliamo l'opzione più economica, fammi vedere cosa potrebbe andare storto, una conseguenza dopo l'altra.", "Quale dei due piani regge meglio se metà dei volontari si ritira? Argomenta passo per passo prima di rispondere."],
'code': ["Mi fai una paginetta web dove i genitori scelgono l'orario per il colloquio, senza poter prendere un orario già occupato?", "Vorrei una piccola app sul telefono che mi ricordi di bere ogni due ore e conti i bicchieri. Creamela tu."],
},
'nl': {
'other': ["Zet dit met een leuk onderschrift op het Instagram-account van de club.", "Print dit twee keer en leg het in de docentenkamer.", "Sla dit allemaal op in mijn Google Drive, in de map Belastingen."],
'chat': ["Sorry voor het gezeur. Verveel jij je nooit, de hele dag praten met mensen?", "Pff, dat lucht op. Wat zou jij doen met een vrije zondag?", "Nou ja. Vertel me eens iets vrolijks, dat kan ik wel gebruiken."],
'reasoning': ["Als we voor de goedkoopste optie gaan, loop dan met me door wat er mis kan gaan, het ene gevolg na het andere.", "Welk van de twee plannen houdt beter stand als de helft van de vrijwilligers afhaakt? Beargumenteer het stap voor stap voor je antwoordt."],
'code': ["Kun je een klein webpagina'tje maken waar ouders een tijd kiezen voor het oudergesprek, zonder dat iemand een al bezette tijd kan pakken?", "Ik wil een simpele app op mijn telefoon die me elke twee uur herinnert om water te drinken en de glazen telt. Maak hem voor me."],
},
'zh': {
'other': ["把这段发到俱乐部的 Instagram 上，配一句好听的文案。", "把这个打印两份，放到教师办公室。", "把这些全部存到我的网盘里，放在“报税”那个文件夹。"],
'chat': ["不好意思唠叨了这么多。你整天跟人聊天不会觉得无聊吗？", "呼，说出来舒服多了。要是你有一个空闲的周日，你会干什么？", "算了，不说了。给我讲点开心的事吧，我正需要。"],
'reasoning': ["如果我们选最便宜的方案，帮我一环扣一环地推演一下可能出什么问题。", "要是一半的志愿者退出，两个方案里哪个更站得住？先一步步论证，再给结论。"],
'code': ["能帮我做一个小网页吗？家长可以在上面选家长会的时间段，已经被选走的时间段别人就不能再选。", "我想要一个手机上的小应用，每两个小时提醒我喝水，还能记下喝了几杯。帮我做出来。"],
},
'hi': {
'other': ["इसे क्लब के इंस्टाग्राम पर एक अच्छे कैप्शन के साथ डाल दो।", "इसकी दो कॉपी प्रिंट करके स्टाफ़ रूम में रख दो।", "ये सब मेरी गूगल ड्राइव में 'टैक्स' वाले फ़ोल्डर में सेव कर दो।"],
'chat': ["माफ़ करना, बहुत बोल गया। तुम सारा दिन लोगों से बात करके कभी ऊबते नहीं?", "उफ़, मन हल्का हो गया। तुम्हें एक खाली रविवार मिले तो क्या करोगे?", "ख़ैर छोड़ो। कोई अच्छी सी बात सुनाओ, आज उसकी ज़रूरत है।"],
'reasoning': ["अगर हम सबसे सस्ता विकल्प चुनें, तो एक के बाद एक बताओ कि क्या-क्या गड़बड़ हो सकती है।", "अगर आधे स्वयंसेवक पीछे हट जाएँ तो दोनों योजनाओं में से कौन सी ज़्यादा टिकेगी? जवाब से पहले कदम दर कदम तर्क दो।"],
'code': ["क्या मेरे लिए एक छोटा सा वेब पेज बना सकते हो जहाँ माता-पिता मीटिंग का समय चुनें और पहले से लिया गया समय कोई दोबारा न चुन सके?", "मुझे फ़ोन पर एक छोटा ऐप चाहिए जो हर दो घंटे में पानी पीने की याद दिलाए और गिलास गिने। बना दो।"],
},
'ru': {
'other': ["Выложи это в инстаграм клуба с красивой подписью.", "Распечатай это в двух экземплярах и положи в учительскую.", "Сохрани всё это на мой Google Диск в папку «Налоги».", "Перешли этот текст моему бухгалтеру на почту."],
'chat': ["Прости, что разговорился. Тебе не надоедает целый день болтать с людьми?", "Фух, выговорился — полегчало. А ты бы что делал в свободное воскресенье?", "Ладно, проехали. Расскажи что-нибудь хорошее, мне сейчас надо.", "Что-то я совсем раскис. Поговори со мной просто так, ни о чём."],
'reasoning': ["Если выберем самый дешёвый вариант, распиши, что может пойти не так, одно следствие за другим.", "Какой из двух планов выдержит, если половина волонтёров откажется? Сначала рассуждай по шагам, потом отвечай.", "Взвесь по пунктам: стоит ли нам ремонтировать старое или покупать новое, и к какому выводу это ведёт?"],
'code': ["Сделай мне небольшую веб-страницу, где родители выбирают время для встречи с учителем, и никто не может занять уже занятое время.", "Хочу простое приложение на телефон, которое каждые два часа напоминает пить воду и считает стаканы. Собери его для меня.", "Нужна штука, которая сама будет проверять сайт с билетами и присылать мне сообщение, как только появятся места."],
},
'ar': {
'other': ["انشر هذا على حساب النادي في إنستغرام مع تعليق جميل.", "اطبع نسختين من هذا وضعهما في غرفة المعلمين.", "احفظ كل هذا في حسابي على غوغل درايف داخل مجلد الضرائب.", "أرسل هذا النص إلى المحاسب على بريده الإلكتروني."],
'chat': ["آسف على الإطالة. ألا تملّ من الحديث مع الناس طوال اليوم؟", "أوف، ارتحت بعد أن فضفضت. ماذا كنت ستفعل لو كان عندك يوم جمعة فارغ؟", "المهم، احكِ لي شيئاً مفرحاً، أحتاج إليه الآن.", "مزاجي سيئ قليلاً. دردش معي عن أي شيء."],
'reasoning': ["إذا اخترنا الحل الأرخص، فاشرح لي ما الذي قد يسوء، نتيجة تلو الأخرى.", "أي الخطتين تصمد أكثر إذا انسحب نصف المتطوعين؟ ناقش خطوة بخطوة قبل أن تجيب.", "وازن بين إصلاح القديم وشراء الجديد نقطة نقطة، ثم قل إلى أي استنتاج يقود ذلك."],
'code': ["اصنع لي صفحة ويب صغيرة يختار فيها الأهالي موعداً للقاء المعلم، ولا يستطيع أحد أن يحجز موعداً محجوزاً.", "أريد تطبيقاً بسيطاً على الهاتف يذكّرني بشرب الماء كل ساعتين ويعدّ الأكواب. ابنِه لي.", "أحتاج شيئاً يراقب موقع التذاكر وحده ويرسل لي رسالة فور توفّر مقاعد."],
},
'ja': {
'other': ["これをクラブのインスタグラムに、いい感じの一言を添えて投稿しておいて。", "これを二部印刷して職員室に置いておいてください。", "これを全部グーグルドライブの「税金」フォルダに保存しておいて。", "この文章を税理士さんにメールで転送してください。"],
'chat': ["長々と話してごめんね。一日中人と話していて飽きたりしないの？", "ふう、吐き出したらすっきりした。もし日曜日が丸一日空いていたら、あなたなら何をする？", "まあいいや。何か明るい話をしてよ、今それが必要なんだ。", "ちょっと落ち込んでるから、特に用はないけど話し相手になって。"],
'reasoning': ["一番安い案を選んだ場合に何がまずくなりうるか、原因と結果を一つずつたどって説明してください。", "ボランティアの半分が抜けたら、二つの計画のどちらが持ちこたえますか？結論の前に段階を追って論じてください。", "古いものを修理するか新しく買うか、一項目ずつ比べて、どういう結論になるか導いてください。"],
'code': ["保護者が面談の時間帯を選べて、すでに埋まった枠は選べないような小さなウェブページを作ってもらえますか？", "二時間ごとに水を飲むよう知らせてくれて、飲んだ杯数も数えてくれるスマホの簡単なアプリがほしいです。作ってください。", "チケットのサイトを自動で見張って、空席が出たらすぐ知らせてくれる仕組みがほしいです。"],
},
'ko': {
'other': ["이거 동호회 인스타그램에 멋진 문구랑 같이 올려 줘.", "이거 두 부 출력해서 교무실에 갖다 놔 줘.", "이 내용 전부 내 구글 드라이브 '세금' 폴더에 저장해 줘.", "이 글을 세무사님 이메일로 전달해 줘."],
'chat': ["말이 길어져서 미안해. 하루 종일 사람들이랑 얘기하면 지겹지 않아?", "휴, 털어놓으니까 좀 시원하다. 너라면 한가한 일요일에 뭐 할 거야?", "아무튼. 기분 좋아지는 얘기 하나만 해 줘, 지금 그게 필요해.", "좀 우울해서 그런데, 그냥 아무 얘기나 같이 하자."],
'reasoning': ["가장 싼 방법을 고르면 무엇이 잘못될 수 있는지, 원인과 결과를 하나씩 이어서 설명해 주세요.", "자원봉사자 절반이 빠지면 두 계획 중 어느 쪽이 더 버틸까요? 결론 전에 단계적으로 논증해 주세요.", "고쳐 쓸지 새로 살지 항목별로 따져 보고, 그게 어떤 결론으로 이어지는지 알려 주세요."],
'code': ["학부모가 상담 시간을 고를 수 있고 이미 찬 시간은 못 고르게 되는 작은 웹페이지를 만들어 줄 수 있어요?", "두 시간마다 물 마시라고 알려 주고 마신 잔 수도 세 주는 간단한 휴대폰 앱이 필요해요. 만들어 주세요.", "티켓 사이트를 알아서 지켜보다가 자리가 나면 바로 알려 주는 걸 만들고 싶어요."],
},
}
