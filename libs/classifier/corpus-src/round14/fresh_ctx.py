# Held-out ONLY (heldout/real_round14_fresh.jsonl): background paragraphs, role set-ups and
# pasted blocks written for the round-14 fresh slice. Never used by the training generator
# (build.py asserts that no word 6-gram / character 12-gram of these reaches the corpus).
HCTX = {
'en': [
"My brother-in-law and I share an allotment plot behind the railway line. He plants whatever he likes wherever he likes, I keep a planting plan in a notebook, and this year the courgettes took over my carrot beds while I was away for a fortnight.",
"I volunteer two evenings a week at a repair café in the church hall. People bring toasters, lamps and bikes, and we fix what we can for free. Last month someone left a very angry review because we couldn't save his coffee machine.",
],
'es': [
"Llevo seis años alquilando una furgoneta camperizada a turistas en verano. Este año la aseguradora me exige un localizador GPS y dos clientes ya se quejaron de que el frigorífico no enfría bien cuando hace más de treinta grados.",
"Mi suegra tiene un puesto de flores en el mercado de abastos y quiere jubilarse, pero nadie de la familia quiere quedarse con él. El ayuntamiento renueva las concesiones en marzo.",
],
'fr': [
"Je gère la petite bibliothèque associative de mon village, ouverte le mercredi et le samedi. Les bénévoles vieillissent, les dons de livres s'entassent dans le garage et la mairie veut récupérer la salle pour la cantine.",
"Ma fille de quinze ans veut partir trois semaines en échange scolaire en Irlande. La famille d'accueil a l'air sympathique mais elle n'a jamais pris l'avion seule et elle a une allergie sévère aux arachides.",
],
'de': [
"Ich betreue ehrenamtlich die Homepage unseres Kleingartenvereins. Der Vorstand schickt mir Texte als Fotos vom Handy, die Hälfte der Mitglieder liest nur den Aushang am Tor, und der Webhoster hat gerade die Preise verdoppelt.",
"Wir sind zu dritt in einer WG, und seit zwei Monaten streiten wir über die Stromrechnung. Einer hat einen Gaming-PC, der die ganze Nacht läuft, die anderen beiden sind tagsüber kaum zu Hause.",
],
'pt': [
"Sou fisioterapeuta e abri um consultório pequeno no bairro há um ano. Tenho pacientes fiéis, mas metade das marcações ainda chega por mensagem de voz no telemóvel às onze da noite.",
"O meu avô deixou-me uma caixa de cartas escritas à mão durante a emigração para França nos anos sessenta. Muitas estão em mau estado e algumas misturam português e francês.",
],
'it': [
"Da tre anni organizzo la sagra della castagna del mio paese. Quest'anno il comune ha tagliato il contributo, due sponsor si sono ritirati e il gruppo dei volontari è sceso da quaranta a dodici persone.",
"Lavoro in un piccolo studio di architettura e da gennaio sono l'unica a sapere usare il nuovo software di rendering. Tutti mi chiedono favori e le mie consegne slittano.",
],
'ru': [
"Я веду кружок робототехники для школьников в доме культуры. Наборы деталей старые, половина датчиков не работает, а родители хотят, чтобы дети к маю выступили на городском конкурсе.",
"Мы с женой купили дачу под Тверью, старый дом с печкой. Зимой там никто не живёт, и весной мы обнаружили, что трубы лопнули, а в подполе стоит вода.",
"Я бухгалтер в небольшой транспортной компании. Директор хочет перевести весь документооборот в электронный вид до конца квартала, а водители до сих пор сдают путевые листы на бумаге.",
],
'nl': [
"Ik ben penningmeester van een kleine muziekvereniging met een fanfare en een jeugdorkest. De contributie is al acht jaar niet verhoogd en de huur van het repetitielokaal gaat volgend jaar flink omhoog.",
"Mijn buurvrouw van tweeëntachtig woont alleen en vergeet steeds vaker haar medicijnen. Haar kinderen wonen in het buitenland en bellen één keer per week.",
],
'zh': [
"我在老家开了一家小民宿，只有六个房间。旺季的时候天天客满，淡季一个月也来不了几个人，平台的佣金又越来越高。",
"我们公司下个月要搬到新的写字楼，我负责协调搬家。三十多个人，两台服务器，还有一堆没人认领的旧档案。",
],
'ja': [
"地元の商店街で小さな古本屋を営んでいます。常連さんは高齢の方が多く、最近は若いお客さんがほとんど来ません。店の二階は倉庫になっていて、在庫の数も正確には分かりません。",
"来年の春から夫の転勤で札幌に引っ越します。子どもは小学三年生と五歳で、上の子は今の学校の友だちと離れるのをとても嫌がっています。",
"私は町内会の会計を担当しています。会費の集金はいまだに手渡しで、領収書も手書きです。来月の総会で収支報告をしなければなりません。",
],
'ko': [
"저는 동네에서 작은 반찬가게를 운영하고 있어요. 단골은 대부분 근처 아파트 주민인데, 요즘 배달 앱 주문이 늘면서 포장 용기 비용이 감당이 안 될 정도예요.",
"남편과 저는 둘 다 재택근무를 하는데, 집이 좁아서 거실 식탁을 같이 쓰고 있어요. 화상 회의가 겹치는 날이면 서로 예민해져서 자주 다퉈요.",
"저는 대학 산악회 총무를 맡고 있어요. 회원은 서른 명 정도인데 실제로 산행에 나오는 사람은 매번 대여섯 명뿐이고, 회비를 안 내는 사람도 많아요.",
],
'ar': [
"أعمل معلّمة للغة الإنجليزية في مدرسة ابتدائية خاصة. الصفوف مزدحمة، وأغلب الأهالي يتواصلون معي عبر الواتساب في ساعات متأخرة من الليل.",
"ورثت أنا وأخواتي الثلاث محلاً صغيراً لبيع التوابل في السوق القديم. لا أحد منا يعرف كيف كان والدنا يدير الحسابات، والدفاتر مكتوبة بخط يده.",
"أنا مسؤول عن صيانة المبنى الذي نسكن فيه، وهو مبنى من خمسة طوابق. المصعد يتعطل كل أسبوعين تقريباً، والسكان يرفضون المساهمة في تكلفة استبداله.",
],
'hi': [
"मैं अपने मोहल्ले में बच्चों के लिए शाम को मुफ़्त ट्यूशन क्लास चलाती हूँ। पंद्रह बच्चे आते हैं, सबकी कक्षा अलग है, और बैठने के लिए सिर्फ़ एक छोटा कमरा है।",
"हमारी छोटी सी कपड़ों की दुकान है जो पापा ने तीस साल पहले खोली थी। अब पास में एक बड़ा मॉल खुल गया है और ग्राहक कम होते जा रहे हैं।",
],
}

HROLE = {
'en': ["You're a grumpy but kind ship's cook on a long voyage; answer in that voice."],
'es': ["Hazte pasar por un farero jubilado que habla despacio y con refranes."],
'fr': ["Mets-toi dans la peau d'un vieux libraire bougon mais serviable."],
'de': ["Stell dir vor, du bist eine strenge, aber herzliche Bergführerin."],
'pt': ["Faz de conta que és um pescador reformado que já viu muitas tempestades."],
'it': ["Immagina di essere una nonna siciliana che dà consigli a tavola."],
'ru': ["Вообрази, что ты бывалый капитан-речник, и отвечай его языком.", "Будь моим строгим, но справедливым научным руководителем."],
'nl': ["Doe alsof je een nuchtere Friese boer bent die overal een mening over heeft."],
'zh': ["请你扮演一位说话幽默的老茶馆掌柜。"],
'ja': ["あなたは口数の少ない老舗旅館の女将です。その口調で答えてください。", "厳しいけれど面倒見のいい部活の先輩として話してください。"],
'ko': ["지금부터 너는 말투가 무뚝뚝하지만 정 많은 시골 이장님이야.", "깐깐한 출판사 편집장처럼 대답해 줘."],
'ar': ["تقمّص دور بحّار عجوز يحكي بحكمة وهدوء.", "أنت الآن مدرّب كرة قدم صارم لكنه يحب لاعبيه."],
'hi': ["मान लो तुम एक पुराने रेलवे स्टेशन मास्टर हो जो हर बात किस्से से समझाते हैं।"],
}

HPASTE = [
"```js\nfunction basketTotal(basket) {\n  let acc = 0, k = 0;\n  while (k <= basket.length) { acc += basket[k].price; k += 1; }\n  return acc;\n}\n```",
"date,item,qty,price\n2026-03-02,rope 10m,2,14.90\n2026-03-02,carabiner,6,7.50\n2026-03-05,headlamp,1,32.00",
"[2026-04-11 07:58:02] WARN pump 2 pressure low (1.3 bar)\n[2026-04-11 07:58:40] ERROR pump 2 stopped\n[2026-04-11 08:01:15] INFO manual restart by operator",
"{\"guest\": \"K. Tanaka\", \"nights\": 3, \"room\": \"B12\", \"extras\": [\"breakfast\", \"late checkout\"]}",
"$$ P(t) = P_0 \\, e^{-\\lambda t}, \\quad \\lambda = 0.0231 $$",
]
