"""Round-15 fresh held-out prompts, second part: questions whose TOPIC sounds like another intent
(stories, poems, films, translation, writing, categories, feelings, the assistant, AI) while the
TASK is an explanation or a single answer (open_qa), an inference (reasoning), or a list of ideas
(brainstorming); and the requests that really are that other intent, so both sides are measured.
Written for heldout/ only, never trained on."""

TOPIC_EN = [
    # open_qa about literature, film, music, art
    ('open_qa', "Who wrote Frankenstein, and is it true she was a teenager when she started it?"),
    ('open_qa', "My poetry homework assumes I know how a sonnet differs from a ballad. How do they differ?"),
    ('open_qa', "How does a book get from a finished manuscript to the shelves of a bookshop? Do I need an agent?"),
    ('open_qa', "Why do so many fairy tales have wicked stepmothers in them?"),
    ('open_qa', "What is magical realism, and which novelists are known for it?"),
    ('open_qa', "What happens at the end of the film Casablanca? I fell asleep."),
    ('open_qa', "How are film scores recorded, does the orchestra watch the movie while playing?"),
    ('open_qa', "When did jazz start, and where?"),
    ('open_qa', "What does the term 'unreliable narrator' mean in a novel?"),
    ('open_qa', "How did the Beatles get their name?"),
    # open_qa about categories, from world knowledge (not labelling given text)
    ('open_qa', "Botanically speaking, does a tomato count as fruit or veg?"),
    ('open_qa', "Are whales fish? My daughter insists they are."),
    ('open_qa', "Which blood type is the universal donor?"),
    ('open_qa', "Is Portuguese closer to Spanish or to Italian?"),
    ('open_qa', "Is coffee considered a diuretic, or is that a myth?"),
    # open_qa about feelings and personal life, asking for information or how-to
    ('open_qa', "How can I stop overthinking everything when I'm trying to fall asleep?"),
    ('open_qa', "What are the usual signs of burnout, and what sets it apart from ordinary tiredness?"),
    ('open_qa', "My friend's father died last month. How do I support her without saying the wrong thing?"),
    ('open_qa', "Is it normal to feel sad after a big achievement, like finishing a degree?"),
    # open_qa about writing, words and language
    ('open_qa', "When should I use 'whom' instead of 'who'?"),
    ('open_qa', "Where does the expression 'break a leg' come from?"),
    ('open_qa', "What makes a cover letter stand out to a recruiter who reads hundreds of them?"),
    ('open_qa', "How many languages are spoken in India, and which one has the most speakers?"),
    ('open_qa', "Why is English spelling so inconsistent compared to Spanish?"),
    # open_qa about AI and tech in general (not about this assistant)
    ('open_qa', "How do large language models actually produce their answers?"),
    ('open_qa', "What is the cloud, in simple words? Where are my photos physically stored?"),
    ('open_qa', "If a hacker already has my password, how exactly does a second login factor keep them out?"),
    # open_qa: single-answer advice and how-to in longer everyday wording
    ('open_qa', "I'm a first-time home buyer and the bank mentioned a 'loan-to-value ratio'. What is that and why does it change the interest rate they offer me?"),
    ('open_qa', "We just moved into an old house and the bathroom mirror fogs up and there's black spots on the ceiling. How should I clean off the mould, and how do I keep it from coming back?"),
    ('open_qa', "Switching from Samsung to iPhone this week. How do I move all my contacts across?"),
    ('open_qa', "What should I do immediately if I think I've been scammed and gave out my card details?"),
    ('open_qa', "How long should a newborn sleep in a day? Ours seems to sleep all the time."),
    # reasoning: inference, counterfactuals, weighing explanations
    ('reasoning', "What would happen to the tides, the seasons and life on Earth if the Moon suddenly disappeared? Reason through the consequences."),
    ('reasoning', "Historians disagree on why the Western Roman Empire fell. Weigh the main explanations against each other and say which you find most convincing."),
    ('reasoning', "My friend says ice cream must be dangerous because more people drown in the months when ice cream sells best. Where does his argument go wrong?"),
    ('reasoning', "If a train leaves at 9 and arrives at 11 but crosses a time zone going east, and the arrival board says 13:00, how far ahead is the new zone? Explain."),
    ('reasoning', "Would a four-day work week actually make a small accounting firm more productive? Think through the effects on clients, staff and deadlines before answering."),
    ('reasoning', "Why might a company deliberately sell its printer at a loss? Work through the business logic."),
    ('reasoning', "Our school has 600 pupils and one canteen with 120 seats; lunch is 50 minutes and each pupil needs about 20 minutes to eat. Can everyone be served in one break? Show your reasoning."),
    # brainstorming around the same topics
    ('brainstorming', "What are some classic novels a 14-year-old who loves adventure might enjoy?"),
    ('brainstorming', "Give me ideas for themes for a short-story competition at our library."),
    ('brainstorming', "Suggest some films for a cosy rainy Sunday, nothing too sad."),
    ('brainstorming', "What are some ways I could practise Spanish every day without paying for classes?"),
    ('brainstorming', "List some good questions for me to put to the interviewer when they ask if I have any."),
    ('brainstorming', "Give me a few tips so my photos of my paintings look good enough to sell online."),
    # the other intent, for real
    ('creative_writing', "Short story please: an old fisherman catches a talking fish and lets it go."),
    ('creative_writing', "Write a sonnet about missing the bus on a cold morning."),
    ('classification', "Label each of these as fruit or vegetable, the cooking sense: courgette, mango, spinach, fig, leek."),
    ('classification', "Tag each customer message with its topic (billing, delivery, product):\n1. My card was charged twice.\n2. The box arrived crushed.\n3. Does the blender come with a spare blade?"),
    ('chat', "Honestly I'm scared about starting my new job on Monday. Felt better to tell someone."),
    ('chat', "Do you actually understand what I write, or does it just look like it?"),
    ('writing', "Cover letter please, for a receptionist job at a dental clinic; I have two years of hotel front-desk experience."),
    ('translation', "How should I render 'good luck tonight, break a leg' in French the way actors there would say it? Please translate."),
    ('other', "Play my 'rainy day' playlist on the kitchen speaker."),
]

TOPIC_ML = [
    ('es', 'open_qa', "¿Quién escribió Cien años de soledad y de qué trata, sin destripar el final?"),
    ('es', 'open_qa', "¿Es verdad que el murciélago es un mamífero y no un ave?"),
    ('es', 'reasoning', "Si todos los países dejaran de usar dinero en efectivo mañana, ¿qué consecuencias tendría para la gente mayor y para los pequeños comercios? Razónalo paso a paso."),
    ('fr', 'open_qa', "Qu'est-ce que le Nouveau Roman, et pourquoi on en parle encore en cours de littérature ?"),
    ('fr', 'open_qa', "Comment aider un ami qui traverse un deuil sans être maladroit ?"),
    ('fr', 'brainstorming', "Quels romans policiers pourrais-je offrir à mon père qui a déjà lu tout Simenon ? Donne-moi plusieurs pistes."),
    ('de', 'open_qa', "Was genau ist ein Sonett, und woran erkennt man es?"),
    ('de', 'open_qa', "Ist eine Erdnuss eigentlich eine Nuss oder eine Hülsenfrucht?"),
    ('de', 'reasoning', "Warum verkaufen Hersteller Spielkonsolen manchmal mit Verlust? Denk die Geschäftslogik Schritt für Schritt durch."),
    ('pt', 'open_qa', "Quem foi Machado de Assis e por que ele é tão importante para a literatura brasileira?"),
    ('pt', 'open_qa', "Como os modelos de inteligência artificial como o ChatGPT aprendem a escrever?"),
    ('it', 'open_qa', "Perché Dante ha scritto la Divina Commedia in volgare e non in latino?"),
    ('it', 'open_qa', "Quando l'ansia è normale e quando invece conviene parlarne con uno specialista?"),
    ('ru', 'open_qa', "Чем роман отличается от повести в русской литературе?"),
    ('ru', 'open_qa', "Как работает двухфакторная аутентификация и почему она защищает, даже если пароль украли?"),
    ('nl', 'open_qa', "Waarom heet het Nederlands in het Engels 'Dutch'?"),
    ('nl', 'brainstorming', "Welke boeken kan ik lezen om mijn Nederlands te verbeteren? Noem er een paar van verschillend niveau."),
    ('zh', 'open_qa', "《红楼梦》为什么被称为中国古典小说的巅峰？"),
    ('zh', 'open_qa', "西红柿到底算水果还是蔬菜？"),
    ('ja', 'open_qa', "俳句と短歌の違いは何ですか？"),
    ('ja', 'reasoning', "もし明日から全ての会社が週休三日になったら、経済や働く人の生活にどんな影響が出るか、順を追って考えてください。"),
    ('ko', 'open_qa', "한글은 누가 언제 만들었고, 왜 과학적인 문자라고 하나요?"),
    ('ko', 'open_qa', "번아웃과 그냥 피곤한 것의 차이가 뭔가요?"),
    ('ar', 'open_qa', "من هو المتنبي ولماذا يعتبر من أعظم شعراء العرب؟"),
    ('ar', 'open_qa', "هل الحوت من الأسماك أم من الثدييات؟"),
    ('hi', 'open_qa', "प्रेमचंद की कहानियाँ आज भी क्यों पढ़ी जाती हैं?"),
    ('hi', 'reasoning', "अगर सब लोग अचानक मोबाइल फ़ोन इस्तेमाल करना बंद कर दें तो शहर की ज़िंदगी पर क्या असर पड़ेगा? कदम-ब-कदम सोचकर बताइए।"),
]
