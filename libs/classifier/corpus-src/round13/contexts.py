# Background paragraphs written for round 13. CTX[lang] = (train contexts, held-out contexts)
CTX = {
'en': ([
"I coach an under-12 girls' football team on Saturday mornings. Half the squad has played for years and the other half joined in September, and the gap is showing: the new ones hardly touch the ball and two of them cried after last week's match. The parents are starting to talk.",
"We moved into a rented flat in October and the bedroom wall gets black spots every winter. The landlord says it's our fault for drying clothes inside, we say the window frames are rotten. The letting agency just forwards emails and nobody has come to look.",
"I'm a night-shift nurse on a cardiology ward, four nights on and three off. I've been sleeping badly for months, I drink too much coffee and I've put on weight. My partner works days so we basically see each other on Sundays.",
"Our bakery has three shops in the same town. Since the new supermarket opened with a bake-off counter, the morning rush in the smallest shop has halved, but the other two are fine. We're wondering whether to close it, move it or change what it sells.",
"I run a tiny open-source project, a command-line tool for renaming photos by their date. It has maybe two thousand users, one other maintainer who disappeared last year, and forty open issues, some of them three years old.",
"My grandmother is moving in with us after her hip operation. She's 84, proud, and hates being helped. The house has stairs everywhere and our spare room is on the top floor.",
], [
"I'm the treasurer of a small rowing club. We own six boats, two of them older than me, and the insurance renewal just came in forty percent higher. The committee meets next Thursday and expects me to explain what happened.",
"Last spring I started keeping bees in the back garden with two hives. One colony swarmed in June and the other one seems weak now, with fewer bees at the entrance every week. The local association meets only once a month.",
]),
'es': ([
"Trabajo como administrativa en una clínica dental con cuatro dentistas. Cada lunes la agenda está llena de huecos porque los pacientes cancelan a última hora, y los viernes no damos abasto. El jefe quiere que lo arregle yo.",
"Mi hermano y yo heredamos la casa de nuestros padres en un pueblo de Cuenca. Él quiere venderla y yo quiero conservarla para los veranos, pero los gastos de mantenimiento los pago casi siempre yo.",
"Soy profesor de música en un instituto. Este año tengo un grupo de segundo de la ESO que no quiere tocar la flauta ni cantar, solo escuchar reguetón en el móvil. El trimestre pasado suspendieron la mitad.",
"Llevo dos años con una pequeña tienda online de cerámica hecha a mano. Vendo sobre todo por Instagram, pero los envíos rotos me están comiendo el margen: este mes han llegado cinco tazas en pedazos.",
], [
"Organizo cada año la cena de antiguos alumnos de mi promoción. Este año cumplimos veinte años desde que terminamos el bachillerato y hay mucha gente que vive fuera de España, así que las fechas son un rompecabezas.",
"Mi perra tiene nueve años y desde hace un mes cojea de la pata trasera cuando se levanta por la mañana. Por la tarde parece que se le pasa. El veterinario dice que podría ser artrosis.",
]),
'fr': ([
"Je suis responsable d'une petite médiathèque dans un village de l'Ain. Les prêts baissent depuis trois ans, les bénévoles vieillissent et la mairie parle de réduire les horaires d'ouverture à deux après-midi par semaine.",
"Avec mon compagnon, on rénove une longère en Bretagne. Les murs en pierre sont humides, le devis pour l'isolation varie du simple au double selon les artisans, et on vit pour l'instant dans une caravane dans le jardin.",
"Je travaille dans le service client d'un opérateur internet. On reçoit chaque jour des centaines de messages, souvent en colère, et l'équipe a perdu trois personnes depuis janvier. Ma cheffe veut un nouveau processus d'ici la fin du mois.",
"Mon fils de quinze ans passe ses nuits sur les jeux vidéo et ses notes ont chuté au deuxième trimestre. Quand on en parle, il se ferme complètement. Son père pense qu'il faut couper le wifi, moi je ne suis pas sûre.",
], [
"Je gère le planning d'une équipe de douze aides à domicile en zone rurale. Les trajets entre les bénéficiaires sont longs, l'essence coûte cher et deux salariées ont demandé à passer à temps partiel.",
"J'ai repris l'année dernière le potager partagé de ma résidence. Cet été, une partie des tomates a disparu la nuit et les voisins s'accusent entre eux dans le groupe de discussion.",
]),
'de': ([
"Ich leite ein kleines Team in der Buchhaltung eines Maschinenbauers. Seit der Umstellung auf die neue Software dauert der Monatsabschluss doppelt so lange, und zwei Kolleginnen machen regelmäßig Überstunden.",
"Meine Eltern haben einen Schrebergarten in Leipzig, aber mein Vater kann nach seiner Knie-OP kaum noch graben. Der Verein droht mit einer Abmahnung, wenn die Hecke nicht bis Juni geschnitten ist.",
"Ich bin Erzieherin in einer Kita mit zwanzig Kindern zwischen drei und sechs. Ein Junge beißt seit ein paar Wochen andere Kinder, und die Eltern der gebissenen Kinder beschweren sich jetzt direkt bei der Leitung.",
"Wir sind eine Wohngemeinschaft aus fünf Studierenden. Die Nebenkostenabrechnung ist gekommen und wir müssen 600 Euro nachzahlen, aber einer ist im Sommer ausgezogen und will nichts davon wissen.",
], [
"Ich betreue ehrenamtlich den Internetauftritt unseres Sportvereins. Die Seite ist uralt, niemand weiß mehr das Passwort des Hosters, und der Vorstand möchte bis zum Jubiläum im Herbst etwas Neues.",
"Mein Kollege und ich teilen uns seit Jahren ein Büro. Seit er befördert wurde, gibt er mir Aufgaben, als wäre er mein Chef, obwohl wir formal gleichgestellt sind.",
]),
'pt': ([
"Sou enfermeira num centro de saúde no interior e faço visitas domiciliárias a idosos que vivem sozinhos. Muitos esquecem a medicação e as famílias estão longe, em Lisboa ou no estrangeiro.",
"Eu e a minha sócia abrimos um café perto de uma universidade. Durante as aulas temos fila, mas nas férias o movimento cai tanto que mal pagamos a renda.",
"O meu filho entrou agora no primeiro ano e a professora diz que ele não consegue ficar sentado nem cinco minutos. Em casa ele passa horas a montar legos sem se levantar.",
"Trabalho numa pequena empresa de transportes com quinze camiões. Os motoristas reclamam das rotas, os clientes reclamam dos atrasos e o gasóleo está cada vez mais caro.",
], [
"Faço parte da direção de uma associação de moradores num bairro antigo do Porto. A câmara quer transformar a nossa praça num parque de estacionamento e a maioria dos vizinhos é contra.",
"Comprei um apartamento usado e descobri depois da escritura que a varanda foi fechada sem licença. O condomínio diz que tenho de a reabrir à minha custa.",
]),
'it': ([
"Gestisco un agriturismo sulle colline vicino a Siena con otto camere. Quest'anno le prenotazioni dall'estero sono calate e due recensioni negative sulla colazione ci stanno facendo molto male.",
"Insegno italiano agli stranieri in un centro serale. Ho una classe molto mista: ci sono ingegneri ucraini, badanti peruviane e ragazzi del Bangladesh appena arrivati, con livelli diversissimi.",
"Mia madre ha ottant'anni, vive da sola in Calabria e non vuole saperne di trasferirsi da noi a Torino. Le telefono ogni sera, ma ultimamente mi sembra più confusa.",
"Lavoro nel reparto acquisti di un'azienda tessile. I fornitori cinesi hanno aumentato i prezzi e allungato i tempi di consegna, e la direzione vuole un piano per trovare alternative in Europa.",
], [
"Sono la capitana di una squadra di pallavolo amatoriale femminile. Da quando l'allenatore si è trasferito ci alleniamo da sole e l'atmosfera è peggiorata, con due giocatrici che non si parlano più.",
"Abbiamo comprato un vecchio camper per viaggiare con i bambini d'estate. Il motore va bene, ma dentro c'è odore di umido e il frigorifero funziona solo a gas.",
]),
'ru': ([
"Я работаю бухгалтером в небольшой строительной фирме. Директор каждый месяц просит отчёты в новом формате, а данные мне присылают прорабы в виде фотографий накладных в мессенджере.",
"Мы с мужем купили дачу под Тверью. Дом старый, печка дымит, а соседи говорят, что весной участок заливает. Хотим к лету сделать там что-то пригодное для жизни с детьми.",
"Я учительница начальных классов. В этом году у меня тридцать два ученика, из них пятеро почти не говорят по-русски, потому что семьи недавно переехали.",
"Мой отец после инсульта плохо говорит и быстро устаёт. Он всю жизнь был инженером, а теперь злится, что не может найти нужные слова, и отказывается от занятий с логопедом.",
], [
"Я администрирую чат жильцов нашего подъезда на сто квартир. Там постоянно ругаются из-за парковки и ремонта, а управляющая компания на сообщения не отвечает.",
"Я занимаюсь бегом третий год и записался на первый марафон в сентябре. После длинных пробежек начинает болеть колено, а до старта осталось четыре месяца.",
]),
'nl': ([
"Ik ben vrijwilliger bij de voedselbank in onze gemeente. Het aantal gezinnen dat zich aanmeldt is dit jaar verdubbeld, maar de supermarkten leveren minder en we hebben te weinig chauffeurs.",
"Mijn vriend en ik willen samen een huis kopen in Utrecht, maar ik ben zzp'er en de bank doet moeilijk over mijn inkomen. We huren nu een te kleine flat voor veel te veel geld.",
"Ik werk als planner in een distributiecentrum. Sinds de nieuwe klant erbij is komen er 's nachts veel meer vrachtwagens tegelijk aan en staat het parkeerterrein vol.",
"Onze dochter van zeventien wil na de zomer een tussenjaar nemen en in Australië werken. Wij vinden haar te jong, zij vindt dat we overdreven bezorgd zijn.",
], [
"Ik ben penningmeester van een koor met veertig leden. De zaalhuur is verhoogd, de dirigent wil meer betaald krijgen en de contributie hebben we al twee keer verhoogd.",
"Sinds ik thuiswerk heb ik last van mijn nek en schouders. Mijn werkgever heeft een bureaustoel betaald, maar ik werk nog steeds aan de keukentafel met mijn laptop.",
]),
'zh': ([
"我在一家小型设计公司做项目经理，团队只有六个人。最近客户越来越多，但大家经常加班到深夜，上个月有两个同事提出辞职。",
"我和老公在成都开了一家火锅店，开了两年了。周末生意很好，但是工作日中午几乎没人，房租和员工工资压力很大。",
"我女儿今年上初二，数学成绩一直不太好，每次考试前都很紧张，晚上睡不着。我们给她报了补习班，但效果不明显。",
"我们小区的业主群里最近在讨论要不要换物业公司。现在的物业收费高，服务也差，但是换物业需要一半以上业主投票同意。",
], [
"我在老家承包了二十亩果园，主要种猕猴桃。今年结果很多，但是收购价格压得很低，我在考虑要不要自己在网上卖。",
"我是一家医院的行政人员，负责安排医生的排班。儿科医生人手不够，冬天流感季节一到，急诊就排长队。",
]),
'ja': ([
"私は地方の小さな旅館の三代目です。両親が高齢になり、私が経営を引き継ぎましたが、予約サイトの手数料が高く、常連のお客様も年々減っています。",
"夫の転勤で大阪から札幌に引っ越しました。子どもは小学三年生で、新しい学校になかなか馴染めず、朝になるとお腹が痛いと言います。",
"社内の情報システム部に一人しかいないので、パソコンの故障からネットワークの設定まで全部私がやっています。最近は業務時間内に終わらず、毎日残業です。",
"大学のテニスサークルで会計をしています。合宿の費用を集めたのですが、何人かがまだ払っておらず、宿への支払い期限が来週に迫っています。",
], [
"実家の農家を継ぐかどうか迷っています。父は米作りを続けてほしいと言っていますが、私は東京でエンジニアとして働いていて、収入も安定しています。",
"近所の公民館で毎週、高齢者向けのスマホ教室を開いています。参加者は熱心ですが、毎回同じところでつまずいてしまいます。",
]),
'ko': ([
"저는 동네에서 작은 꽃집을 운영하고 있습니다. 어버이날이나 졸업 시즌에는 정신없이 바쁜데, 평소에는 손님이 거의 없어서 월세 내기도 빠듯합니다.",
"남편과 맞벌이를 하는데 아이가 어린이집에서 자주 아파서 데려와야 합니다. 회사에서는 눈치가 보이고 친정은 지방이라 도움을 받기 어렵습니다.",
"저는 중소기업 인사팀에서 일합니다. 올해 신입사원 다섯 명 중 세 명이 육 개월 안에 퇴사해서 대표님이 원인을 찾아오라고 하셨습니다.",
"대학교 동아리에서 밴드 보컬을 맡고 있어요. 축제 공연이 한 달 남았는데 드러머가 갑자기 휴학을 해서 연습을 제대로 못 하고 있습니다.",
], [
"아파트 관리사무소에서 일하고 있습니다. 층간소음 민원이 하루에도 몇 건씩 들어오는데 주민들끼리 직접 싸움이 날 때도 있어서 걱정입니다.",
"부모님이 운영하시던 작은 식당을 제가 물려받게 되었습니다. 단골손님은 많지만 메뉴가 이십 년째 그대로이고 배달은 전혀 하지 않았습니다.",
]),
'ar': ([
"أعمل معلمة لغة إنجليزية في مدرسة ثانوية للبنات. الطالبات يفهمن القواعد جيداً لكنهن يخجلن من التحدث أمام الصف، والامتحانات الشفوية بعد شهرين.",
"افتتحت مع أخي محلاً صغيراً لبيع الهواتف المستعملة وإصلاحها. الزبائن كثيرون لكن الأرباح قليلة، ونخسر أحياناً عندما نشتري أجهزة مسروقة دون أن نعرف.",
"والدي مريض بالسكري منذ عشر سنوات، ويرفض اتباع النظام الغذائي الذي وصفه الطبيب. أمي متعبة من الطبخ له بشكل منفصل، وأنا أسكن في مدينة أخرى.",
"أنا مسؤول عن تنظيم بطولة كرة قدم للأحياء في مدينتنا. سجّل ستة عشر فريقاً، لكن لدينا ملعبان فقط والحكام متطوعون.",
], [
"أدير صفحة على الإنترنت لبيع الحلويات المنزلية التي تصنعها أمي. الطلبات تزداد في رمضان والأعياد لكنها تكاد تتوقف باقي السنة.",
"انتقلت مؤخراً للعمل في شركة جديدة، ومديري يرسل الرسائل في منتصف الليل ويتوقع رداً فورياً. لا أعرف إن كان هذا طبيعياً هنا.",
]),
'hi': ([
"मैं एक छोटे शहर में कोचिंग सेंटर चलाता हूँ जहाँ दसवीं और बारहवीं के बच्चे पढ़ते हैं। पिछले साल से ऑनलाइन ऐप्स की वजह से नए दाख़िले कम हो गए हैं।",
"मेरी माँ को घुटनों में दर्द रहता है और डॉक्टर ने ऑपरेशन की सलाह दी है। वे डरती हैं और कहती हैं कि घरेलू इलाज से ठीक हो जाएँगी।",
"हम पाँच दोस्त मिलकर गोवा घूमने जाने की योजना बना रहे हैं। सबका बजट अलग है, कोई होटल चाहता है तो कोई सस्ता हॉस्टल, और छुट्टियाँ भी सबकी अलग-अलग तारीख़ों पर हैं।",
"मैं एक आईटी कंपनी में टीम लीड हूँ। मेरी टीम के दो लोग अक्सर देर से आते हैं और बाकी लोग शिकायत करते हैं कि उन पर ज़्यादा काम डाला जाता है।",
], [
"मेरे पिताजी की किराने की दुकान है और अब मोहल्ले में एक बड़ा सुपरमार्केट खुल गया है। ग्राहक कम हो रहे हैं और पिताजी उधार देना बंद नहीं करना चाहते।",
"मैं अपने गाँव के स्कूल में हर शनिवार बच्चों को मुफ़्त में कंप्यूटर सिखाता हूँ। वहाँ सिर्फ़ तीन पुराने कंप्यूटर हैं और बिजली अक्सर चली जाती है।",
]),
}
