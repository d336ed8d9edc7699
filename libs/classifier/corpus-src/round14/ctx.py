# Round-14 training background paragraphs, role set-ups and pasted blocks (written for this project).
CTX = {
'en': [
"I run the after-school chess club at the primary school. Twenty-two children signed up this term, the youngest is six and the oldest eleven, and two of the parents keep asking why their child hasn't won a single game yet.",
"We bought a hundred-year-old terraced house last summer. The surveyor missed the damp in the cellar, the boiler is older than the two of us together, and my partner wants to knock the kitchen through before we've fixed any of it.",
"I'm a delivery driver for a parcel company, around 140 stops a day. The app keeps reordering my route in ways that make no sense, and my manager says the numbers are the numbers.",
],
'es': [
"Soy la presidenta de la comunidad de vecinos de un edificio de los años setenta. El ascensor se avería cada dos semanas, la mitad de los vecinos no paga las derramas y el administrador solo contesta por correo.",
"Mi pareja y yo tenemos un pequeño viñedo heredado en La Rioja. Lo llevamos los fines de semana, pero este año el granizo destrozó media cosecha y la cooperativa paga cada vez menos.",
"Trabajo de enfermera en urgencias con turnos de doce horas. Mi hija de nueve años se queda con mi madre, que ya tiene ochenta, y empiezo a notar que no puedo con todo.",
],
'fr': [
"Je suis chef de chantier dans une petite entreprise de rénovation. On a trois chantiers en même temps, deux ouvriers en arrêt maladie, et un client qui appelle tous les soirs à vingt-deux heures.",
"Avec mon compagnon, on élève des chèvres et on fait du fromage dans le Larzac. Les ventes au marché baissent, les touristes achètent surtout en août, et la coopérative nous propose un prix ridicule.",
"Je suis étudiante en deuxième année de médecine. Je travaille le week-end dans une pharmacie pour payer mon loyer, et mes résultats du premier semestre étaient moyens.",
],
'de': [
"Ich leite eine kleine Fahrradwerkstatt in Leipzig mit zwei Mechanikern. Im Frühling stapeln sich die Reparaturen, im Winter ist kaum etwas los, und die Ersatzteile werden jeden Monat teurer.",
"Meine Mutter ist seit einem Jahr in Rente und lebt allein in einem Dorf ohne Busverbindung am Wochenende. Sie fährt noch Auto, aber nachts sieht sie schlecht.",
"Ich bin Erzieherin in einer Kita mit vierzig Kindern. Uns fehlen seit Monaten zwei Stellen, und die Eltern beschweren sich über verkürzte Öffnungszeiten.",
],
'pt': [
"Tenho uma pequena loja de bicicletas em Coimbra com um mecânico. Na primavera não damos vazão às reparações, no inverno quase não entra ninguém, e as peças estão cada vez mais caras.",
"A minha mãe reformou-se há um ano e vive sozinha numa aldeia sem autocarro ao fim de semana. Ainda conduz, mas à noite vê mal.",
"Sou educadora num infantário com quarenta crianças. Faltam-nos duas pessoas há meses e os pais queixam-se do horário reduzido.",
],
'it': [
"Gestisco una piccola officina di biciclette a Bologna con un meccanico. In primavera le riparazioni si accumulano, d'inverno non entra quasi nessuno e i ricambi costano ogni mese di più.",
"Mia madre è in pensione da un anno e vive da sola in un paese senza autobus nel fine settimana. Guida ancora, ma di notte ci vede poco.",
"Faccio l'educatrice in un asilo con quaranta bambini. Da mesi mancano due colleghe e i genitori si lamentano dell'orario ridotto.",
],
'nl': [
"Ik heb een kleine fietsenwerkplaats in Zwolle met één monteur. In het voorjaar stapelen de reparaties zich op, in de winter komt er bijna niemand en onderdelen worden elke maand duurder.",
"Mijn moeder is sinds een jaar met pensioen en woont alleen in een dorp waar in het weekend geen bus rijdt. Ze rijdt nog auto, maar 's avonds ziet ze slecht.",
"Ik werk als pedagogisch medewerker op een kinderdagverblijf met veertig kinderen. We missen al maanden twee collega's en ouders klagen over de kortere openingstijden.",
],
'zh': [
"我在杭州开了一家小自行车修理铺，只有一个师傅。春天修车的人排长队，冬天几乎没人来，配件却每个月都在涨价。",
"我妈退休一年了，一个人住在乡下，周末没有公交车。她还能开车，但晚上看不太清楚。",
"我在一家幼儿园当老师，园里有四十个孩子。已经缺了两个老师好几个月了，家长们都在抱怨开放时间缩短。",
],
'hi': [
"मैं जयपुर में साइकिल रिपेयर की एक छोटी दुकान चलाता हूँ, एक ही मिस्त्री है। गर्मियों से पहले काम बहुत आता है, सर्दियों में कोई नहीं आता, और पुर्ज़े हर महीने महँगे होते जा रहे हैं।",
"माँ को रिटायर हुए एक साल हो गया है और वे गाँव में अकेली रहती हैं जहाँ रविवार को बस नहीं चलती। वे अभी भी गाड़ी चलाती हैं, पर रात में ठीक से नहीं दिखता।",
"मैं एक प्ले स्कूल में टीचर हूँ जहाँ चालीस बच्चे हैं। महीनों से दो टीचरों की कमी है और माता-पिता कम समय की शिकायत करते हैं।",
],
'ru': [
"Я держу маленькую велосипедную мастерскую в Казани, у меня один механик. Весной ремонтов столько, что не успеваем, зимой почти никого, а запчасти дорожают каждый месяц.",
"Мама уже год на пенсии и живёт одна в посёлке, куда по выходным не ходит автобус. Она ещё водит машину, но в темноте видит плохо.",
"Я воспитатель в детском саду, в группе двадцать восемь детей. Уже полгода не хватает двух сотрудников, а родители жалуются на сокращённые часы работы.",
"Наша семья третий год строит баню на участке своими руками. Фундамент залили, сруб поставили, а крышу никак не доделаем, потому что брат с отцом спорят о материалах.",
"Я фрилансер-переводчик, работаю из дома. Заказчики платят с опозданием по два-три месяца, а налоговая прислала письмо с вопросами по прошлому году.",
],
'ar': [
"أدير ورشة صغيرة لتصليح الدراجات في عمّان ومعي ميكانيكي واحد. في الربيع تتكدّس الطلبات، وفي الشتاء لا يأتي أحد تقريباً، وقطع الغيار يرتفع سعرها كل شهر.",
"تقاعدت والدتي منذ عام وتعيش وحدها في قرية لا تصلها الحافلات يوم الجمعة. ما زالت تقود السيارة، لكن نظرها ضعيف في الليل.",
"أعمل مربّية في روضة أطفال فيها أربعون طفلاً. ينقصنا شخصان منذ أشهر، والأهالي يشتكون من تقليص ساعات الدوام.",
"نملك أنا وزوجي مزرعة زيتون صغيرة ورثناها عن جدّه. هذا الموسم كان الحصاد ضعيفاً بسبب الجفاف، والمعصرة رفعت أسعارها، ولا نعرف هل نبيع الزيت بالجملة أم نعبّئه بأنفسنا.",
"أنا طالب هندسة في السنة الأخيرة، وأعمل مساءً في مطعم لأدفع الإيجار. مشروع التخرّج متأخّر، والمشرف لا يردّ على رسائلي إلا نادراً.",
],
'ja': [
"大阪で小さな自転車修理店をやっていて、整備士は一人だけです。春は修理が追いつかず、冬はほとんどお客さんが来ないのに、部品の値段は毎月上がっています。",
"母は去年退職して、週末はバスが走らない田舎で一人暮らしをしています。まだ車の運転はしますが、夜は目がよく見えないそうです。",
"保育園で保育士をしています。子どもは四十人いるのに、何か月も二人分の人手が足りず、保護者からは開園時間が短くなったと苦情が来ています。",
"夫の実家の農家を手伝っています。今年は長雨で野菜の出来が悪く、直売所での売り上げも半分になりました。義父は新しいことを始めるのに反対です。",
"フリーランスでウェブデザインの仕事をしています。取引先からの支払いが二、三か月遅れることがよくあり、確定申告の時期も近づいています。",
],
'ko': [
"부산에서 작은 자전거 수리점을 하고 있고 정비사는 한 명뿐이에요. 봄에는 수리가 밀려서 못 따라가고 겨울엔 손님이 거의 없는데 부품값은 매달 올라요.",
"어머니가 작년에 은퇴하시고 주말에는 버스가 안 다니는 시골에서 혼자 사세요. 아직 운전은 하시는데 밤에는 잘 안 보이신대요.",
"어린이집 교사로 일하는데 아이가 마흔 명이에요. 몇 달째 선생님 두 명이 부족하고 학부모님들은 운영 시간이 줄었다고 항의하세요.",
"시댁 과수원 일을 돕고 있어요. 올해는 장마가 길어서 사과 품질이 떨어졌고 직거래 매출도 반으로 줄었어요. 시아버지는 새로운 판매 방식에 반대하세요.",
"프리랜서로 영상 편집 일을 하고 있어요. 거래처 입금이 두세 달씩 늦는 일이 잦고 종합소득세 신고 기간도 다가오고 있어요.",
],
}

ROLE = {
'en': ["You're a blunt but warm football coach from Yorkshire; talk to me like one of your players.", "Play the part of a calm airline pilot explaining things to a nervous passenger."],
'es': ["Eres un taxista madrileño con mucha calle que da su opinión de todo.", "Haz el papel de una bibliotecaria tranquila y muy precisa."],
'fr': ["Tu es un chef cuisinier lyonnais exigent mais généreux ; parle-moi comme à ton commis.", "Joue un pilote de ligne calme qui rassure un passager anxieux."],
'de': ["Du bist ein norddeutscher Fischer, wortkarg, aber ehrlich.", "Spiel einen ruhigen Piloten, der einem nervösen Fluggast alles erklärt."],
'pt': ["És um taxista de Lisboa com opinião sobre tudo.", "Faz de bibliotecária calma e muito precisa."],
'it': ["Sei un tassista romano che ha un'opinione su tutto.", "Fai la parte di una bibliotecaria calma e precisissima."],
'nl': ["Je bent een Rotterdamse havenarbeider: direct, eerlijk en zonder omwegen.", "Speel een rustige piloot die een zenuwachtige passagier geruststelt."],
'zh': ["你现在是一位直爽的东北出租车司机，什么都能聊两句。", "请扮演一位冷静的机长，给紧张的乘客解释情况。"],
'hi': ["तुम मुंबई के एक टैक्सी ड्राइवर हो जिसकी हर बात पर राय होती है।", "एक शांत पायलट की तरह बात करो जो घबराए यात्री को समझा रहा है।"],
'ru': ["Ты таксист из Питера, который за словом в карман не лезет.", "Сыграй спокойного пилота, который объясняет всё встревоженному пассажиру.", "Отвечай как строгая, но добрая учительница литературы."],
'ar': ["أنت سائق أجرة قاهري خفيف الظل له رأي في كل شيء.", "تقمّص شخصية طيّار هادئ يطمئن راكباً خائفاً.", "تكلّم معي كأنك جدّي الذي يحب الأمثال الشعبية."],
'ja': ["あなたは江戸っ子のタクシー運転手で、何にでも一言あります。", "落ち着いた機長として、不安な乗客に説明するように話してください。", "厳しいけれど優しい国語の先生として答えてください。"],
'ko': ["너는 뭐든 한마디씩 하는 서울 택시 기사님이야.", "불안해하는 승객에게 차분히 설명하는 기장처럼 말해 주세요.", "엄하지만 다정한 국어 선생님처럼 대답해 줘."],
}

PASTE = [
"```python\ndef average(scores):\n    return sum(scores) / len(scores)\n\nprint(average([]))\n```",
"name;team;hours\nAisha;north;12\nBruno;south;7\nChen;north;15",
"2026-02-03 14:02:11 ERROR payment gateway timeout after 30s (order 88213)\n2026-02-03 14:02:15 WARN retry 1/3\n2026-02-03 14:02:48 ERROR retry failed",
"{\"order\": 5521, \"status\": \"delayed\", \"items\": [{\"sku\": \"TX-9\", \"qty\": 2}], \"eta\": \"2026-05-02\"}",
"SELECT c.name, COUNT(o.id)\nFROM customers c JOIN orders o ON o.customer_id = c.id\nGROUP BY c.name;",
"\\[ \\int_0^1 x^2 \\ln x \\, dx \\]",
"| month | income | costs |\n|---|---|---|\n| Jan | 4200 | 3900 |\n| Feb | 3800 | 4100 |",
]
