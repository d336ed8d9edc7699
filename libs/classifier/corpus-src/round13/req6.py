# knowledge questions that name alternatives ("X or Y") are open questions, not labelling tasks
ORQ = {
'en': ["Why do some dogs bark at every stranger while others stay calm, and is it breed or upbringing?","Why do some people remember their dreams every morning while others never do?","How do birds know whether to fly south or stay for the winter?","Why does bread go stale faster in the fridge than on the counter?","Is a tomato botanically a fruit or a vegetable, and why does the kitchen disagree?","Why do some children pick up languages easily while others struggle, even in the same family?","How do bees decide whether a flower is worth visiting or not?","Why do some people love spicy food and others can't stand it?","What makes some songs stick in your head for days while others fade immediately?","Why do cats sometimes ignore their name and other times come running?","Do plants grow better with tap water or rainwater, and what is the reason?","How can a historian tell whether an old letter is genuine or a later forgery?"],
'es': ["¿Por qué a algunas personas les encanta el picante y otras no lo soportan?","¿Cómo saben las aves si deben emigrar al sur o quedarse en invierno?"],
'fr': ["Pourquoi certaines personnes adorent les plats épicés alors que d'autres ne les supportent pas ?","Comment les oiseaux savent-ils s'ils doivent migrer vers le sud ou rester l'hiver ?"],
'de': ["Warum lieben manche Menschen scharfes Essen, während andere es gar nicht vertragen?","Woher wissen Vögel, ob sie nach Süden ziehen oder im Winter hierbleiben sollen?"],
'pt': ["Porque é que algumas pessoas adoram comida picante e outras não a suportam?","Como é que as aves sabem se devem migrar para sul ou ficar no inverno?"],
'it': ["Perché ad alcune persone piace il piccante e ad altre no?","Come fanno gli uccelli a sapere se migrare a sud o restare d'inverno?"],
'ru': ["Почему одни люди обожают острую еду, а другие её терпеть не могут?","Как птицы понимают, улетать на юг или оставаться на зиму?"],
'nl': ["Waarom houden sommige mensen van pittig eten en kunnen anderen er niet tegen?","Hoe weten vogels of ze naar het zuiden moeten trekken of hier moeten overwinteren?"],
'zh': ["为什么有的人特别爱吃辣，有的人一点都吃不了？","鸟是怎么知道冬天该飞去南方还是留下来的？"],
'ja': ["辛い料理が大好きな人と全く食べられない人がいるのはなぜですか？","鳥は冬に南へ渡るか留まるかをどうやって決めているのですか？"],
'ko': ["왜 어떤 사람은 매운 음식을 좋아하고 어떤 사람은 못 먹나요?","새들은 겨울에 남쪽으로 갈지 남을지를 어떻게 아나요?"],
'ar': ["لماذا يحب بعض الناس الطعام الحار بينما لا يتحمله آخرون؟","كيف تعرف الطيور هل تهاجر جنوباً أم تبقى في الشتاء؟"],
'hi': ["कुछ लोगों को तीखा खाना बहुत पसंद क्यों होता है और कुछ बिल्कुल नहीं खा पाते?","पक्षियों को कैसे पता चलता है कि सर्दियों में दक्षिण जाना है या यहीं रुकना है?"],
}
