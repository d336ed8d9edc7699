"""Round-15 training phrasings, English: question frames ({x} is filled from the topic lists) and
whole prompts, grouped by the boundary they teach. The label is the TASK, not the topic:

- open_qa: an explanation, a fact, a how-to procedure, or one piece of advice from world knowledge,
  also when the topic is a story, a poem, a film, a word, a language, a feeling, a category or AI;
  a list of FACTS (causes, symptoms, famous examples, differences) is open_qa too.
- reasoning: an inference in several steps: a consequence, a counterfactual, an argument to check,
  explanations weighed against each other, a decision under the asker's constraints.
- brainstorming: several ideas, options, names, picks, tips, an itinerary or a plan to choose from.
- chat: the asker's own news or feelings shared for company, or questions to the assistant itself.
"""

# ---- open_qa: questions about works, authors, genres, art forms (topic = creative, task = explain)
WORK_FRAMES = [
    "What is {x} about? No spoilers for the ending please.",
    "Who wrote {x}, and when?",
    "why is {x} considered a classic",
    "What's the story of {x}, in a few sentences?",
    "I have to read {x} for school. What is it about and why does it matter?",
    "How did {x} influence the writers who came after?",
]
WORK_TOPICS = [
    "Don Quixote", "the Odyssey", "Pride and Prejudice", "the novel 1984", "Moby-Dick", "Waiting for Godot",
    "the Epic of Gilgamesh", "One Thousand and One Nights", "Jane Eyre", "the Tale of Genji", "Dracula by Bram Stoker",
    "The Little Prince", "Kafka's The Trial", "the musical Hamilton", "the opera Carmen", "War and Peace",
]
ART_FRAMES = [
    "Can you explain what {x} is known for?",
    "I keep hearing people mention {x}. What is it, briefly?",
    "why is {x} considered so important",
    "My teacher mentioned {x} today. What should I know about it?",
    "Give me a short explanation of {x} for someone who has never come across it.",
    "What's the history behind {x}?",
]
ART_TOPICS = [
    "the painting Guernica", "the Mona Lisa", "Beethoven's Ninth Symphony", "the Harlem Renaissance", "the Romantic poets",
    "film noir", "Italian neorealism", "the hero's journey structure", "Greek tragedy", "the Brothers Grimm collection",
    "Impressionism", "the Bauhaus movement", "the blues", "Bollywood cinema", "Shakespeare's Globe theatre", "Cubism",
]
LIT_WHOLE = [
    "Novel versus novella: is length the only thing separating them?",
    "How do publishers decide which manuscripts to accept?",
    "Why do so many old stories start with 'once upon a time'?",
    "What is iambic pentameter, in plain words?",
    "On average, how many years does an author spend writing one novel?",
    "Who was the first person to win the Nobel Prize in Literature?",
    "What does a literary agent actually do for a writer?",
    "Why are the endings of Greek tragedies always so grim?",
    "How do cartoon studios make an animated film, step by step?",
    "What makes a melody catchy? Is there any science behind it?",
    "What is a limerick and where does the form come from?",
    "Which instrument did Chopin mostly write for?",
    "How does a screenplay differ in format from a stage play script?",
    "What is the rhyme scheme of a villanelle?",
    "Why do critics call some films 'Kafkaesque'?",
    "How did people record songs before magnetic tape?",
    "Is it true that Tolkien invented whole languages for his books?",
    "What's the origin of the detective story as a genre?",
    "How are audiobooks recorded, does the narrator read the whole thing in one go?",
    "What's a ghostwriter, and is it legal to publish a book someone else wrote for you?",
]

# ---- open_qa: category questions answered from world knowledge (not labelling given text)
CAT_FRAMES = [
    "Is {a} a {b} or a {c}?",
    "Does {a} count as a {b} or a {c}?",
    "Scientifically speaking, is {a} a {b}? Or is it a {c}?",
    "My kid asked me whether {a} is a {b} or a {c} and I wasn't sure. Which is it?",
    "quick one: {a}, {b} or {c}?",
]
CAT_TOPICS = [
    ("a strawberry", "berry", "false fruit"), ("a penguin", "bird", "mammal"),
    ("a spider", "insect", "arachnid"), ("a mushroom", "plant", "fungus"), ("Pluto", "planet", "dwarf planet"),
    ("glass", "solid", "liquid"), ("a seahorse", "fish", "mammal"), ("a koala", "bear", "marsupial"),
    ("rice", "grain", "grass seed"), ("a virus", "living thing", "non-living particle"),
    ("a cucumber", "fruit", "vegetable"), ("Greenland", "continent", "island"), ("a shark", "fish", "mammal"),
    ("tea", "herb", "shrub leaf"), ("a coconut", "nut", "drupe"), ("the sun", "planet", "star"),
    ("Turkey", "European country", "country in Asia"), ("chocolate", "food", "drug"), ("an ostrich", "bird", "mammal"),
]

# ---- open_qa: words, grammar, idioms, languages (topic = language, task = explain)
LANG_WHOLE = [
    "When do you write 'affect' and when 'effect'?",
    "Where does the word 'salary' come from? Someone told me it has to do with salt.",
    "What's the difference between 'fewer' and 'less'?",
    "Why does English have so many words borrowed from French?",
    "What does the idiom 'bite the bullet' mean and where did it start?",
    "Is 'irregardless' a real word?",
    "How many people in the world speak Mandarin as a first language?",
    "Which is harder for English speakers to learn, Japanese or Arabic?",
    "What's the plural of 'octopus'? I've seen three different versions.",
    "Why do Americans and Brits spell 'colour' differently?",
    "Is Latin really a dead language if the Vatican still uses it?",
    "What is the oldest written language we know of?",
    "Why is Korean writing so easy to learn compared to Chinese characters?",
    "What does 'per se' mean and how do I use it correctly in a sentence?",
    "Can Danes and Norwegians understand each other without learning the other language?",
    "How did the English language change after the Norman conquest?",
    "When should I use a semicolon instead of a comma?",
    "Why is 'Q' almost always followed by 'U' in English?",
    "What does the phrase 'cost an arm and a leg' actually refer to?",
    "What languages are spoken in Switzerland, and which is most common?",
    "Where do linguists draw the line between a dialect and a separate language?",
    "Where does the word 'quarantine' come from?",
    "is it 'could of' or 'could have'? i always mix them up",
    "Why are there no articles like 'the' or 'a' in Russian?",
]

# ---- open_qa: feelings, relationships, wellbeing, asked as a question to be answered
FEEL_WHOLE = [
    "How do I stop comparing myself to people on social media?",
    "What's the best way to tell a friend they've hurt my feelings without starting a fight?",
    "Is it normal to feel anxious every Sunday evening before the work week?",
    "How can I calm down quickly before a job interview?",
    "How can someone tell their partner has become controlling?",
    "How do I deal with a coworker who takes credit for my work?",
    "Why do we feel lonely even when we're surrounded by people?",
    "How much sleep do teenagers actually need?",
    "Psychologist or psychiatrist: how do they differ, and which one treats anxiety?",
    "How do I set boundaries with parents who keep giving unwanted advice?",
    "Why do I procrastinate on things I actually want to do?",
    "How can you tell if a child is being bullied at school?",
    "What's a healthy way to handle anger when someone cuts me off in traffic?",
    "How do long-distance couples usually keep things working?",
    "Does journaling actually help with stress, or is that a myth?",
    "How do I politely end a friendship that has become one-sided?",
    "What is seasonal affective disorder and how is it treated?",
    "How do I help my elderly dad who refuses to admit he's lonely?",
    "Why does music make us emotional?",
    "What should I say to a colleague who just had a miscarriage?",
]

# ---- open_qa: technology and AI in general (not questions to the assistant about itself)
TECH_WHOLE = [
    "How do chatbots like the ones companies use for customer support work?",
    "What's the difference between artificial intelligence and machine learning?",
    "How does a search engine decide which page to show first?",
    "Can AI models really understand language, or do they just predict words?",
    "How does facial recognition on a phone work?",
    "What is an algorithm, explained for my grandmother?",
    "How does GPS know where I am without the internet?",
    "What is end-to-end encryption and which messaging apps use it?",
    "Why do computers slow down as they get older?",
    "What's the difference between RAM and storage?",
    "How do self-driving cars see the road?",
    "What is a deepfake and how can you spot one?",
    "How does wireless charging work?",
    "Is it bad to leave my laptop plugged in all the time?",
    "What does it mean when people say an AI model was 'trained'?",
    "How do recommendation systems on streaming sites pick what to show me?",
    "What is 5G and is it really that much faster than 4G?",
    "How do spam filters decide which emails are junk?",
]

# ---- open_qa: everyday how-to procedures and single advice
HOWTO_FRAMES = [
    "How do I {x}?",
    "what's the trick to {x}",
    "Can you explain how to {x}?",
    "Never done this before: how do you {x}?",
    "How should I {x}? Step by step would be great.",
    "I need to {x} this weekend. How is it done?",
    "Is there a simple way to {x}?",
    "Walk me through how to {x}.",
]
HOWTO_TOPICS = [
    "unclog a bathroom sink without chemicals", "change a flat tyre on a bicycle", "iron a shirt without creasing the collar",
    "renew a passport online", "set up automatic backups on a Windows laptop", "clean a cast-iron pan",
    "register to vote after moving house", "hang a heavy mirror on a plasterboard wall", "defrost a freezer quickly",
    "cook quinoa so it's fluffy", "sharpen a kitchen knife with a whetstone", "write a cheque correctly",
    "file a small claim against a company that won't refund me", "re-pot an orchid", "get a splinter out of a child's finger",
    "read a nutrition label", "check a used car before buying it", "brew loose-leaf green tea",
    "apply for a tax refund as a student", "remove a wine stain from a sofa", "wrap a sprained ankle",
    "transfer photos from a phone to a computer", "season a new wok", "train a puppy to stop biting",
    "fold a fitted sheet", "calculate how much paint a room needs", "prepare a garden bed for spring",
    "make yoghurt at home", "reset a home wifi router", "negotiate a higher salary at a job offer",
]
ADVICE_WHOLE = [
    "How often should I replace my toothbrush?",
    "How long should I let a steak rest after cooking?",
    "If I don't trust password manager apps, how should I keep my passwords safe?",
    "At what temperature should I wash towels to kill bacteria?",
    "Is it cheaper to run the dishwasher or wash by hand?",
    "How much water should I drink a day in hot weather?",
    "Do I need to rinse chicken before cooking it?",
    "When is the best time of year to buy a car?",
    "How much should I tip a hairdresser in the US?",
    "What's a good credit score, and how long does it take to build one?",
    "Should I stretch before or after running?",
    "How many hours of sleep does a two-year-old need?",
]

# ---- open_qa: lists of FACTS (not ideas to choose from)
EVENT_FRAMES = [
    "What were the main causes of {x}?",
    "What were the consequences of {x}?",
    "What are the key facts about {x}?",
    "What are the most common misconceptions about {x}?",
    "Why did {x} happen, in short?",
]
EVENT_TOPICS = [
    "the French Revolution", "the 2008 financial crisis", "the fall of the Berlin Wall", "the Great Depression",
    "the Industrial Revolution", "the Cold War", "the Black Death", "the Dust Bowl", "the Chernobyl disaster",
]
COND_FRAMES = [
    "What are the symptoms of {x}?",
    "What causes {x}, and who is most at risk?",
    "What are the most common misconceptions about {x}?",
    "How is {x} usually treated?",
]
COND_TOPICS = [
    "type 2 diabetes", "iron deficiency", "Lyme disease", "dehydration in older people", "migraine", "shingles",
    "acid reflux", "vitamin B12 deficiency",
]

# ---- reasoning: consequences, counterfactuals, argument checks, weighed explanations
REASON_FRAMES = [
    "What would happen if {x}? Reason through the consequences step by step.",
    "Suppose {x}. What are the knock-on effects? Think it through.",
    "If {x}, who would win and who would lose? Reason it out.",
    "Imagine {x}. Walk me through what would change, one step at a time.",
]
REASON_TOPICS = [
    "every car in a city became electric overnight", "the internet went down worldwide for a week",
    "a country abolished all homework", "bees went extinct", "people only worked four hours a day",
    "the price of oil doubled tomorrow", "nobody could lie for a whole day", "a town banned all cars from its centre",
    "water cost as much as petrol", "every job required a university degree", 
    "smartphones were banned for under-16s", "the minimum wage were doubled in one year", "everyone could read minds",
]
REASON_WHOLE = [
    "A study found that people who eat breakfast weigh less. Does that mean breakfast makes you thin? Explain what's wrong with jumping to that conclusion.",
    "Why would a supermarket put milk at the very back of the store? Work out the logic.",
    "My colleague argues that because our sales went up after we changed the logo, the logo caused it. Is that a sound argument? Reason it through.",
    "If a shop raises prices by 20% and then offers a 20% discount, are customers paying the original price? Explain why or why not.",
    "Every cat I've met hates water, so all cats hate water. What kind of reasoning is that, and is it valid?",
    "Why do some airlines overbook flights on purpose, and when does it stop paying off for them?",
    "Three explanations are given for why the dinosaurs died out: an asteroid, volcanoes, and disease. Compare how well each fits the evidence and tell me which is strongest.",
    "Is it fair to judge a teacher by the exam results of their pupils? Weigh the arguments and reach a conclusion.",
    "Why would a city build a ring road if it actually wants fewer cars in the centre? Think it through.",
    "A bat and a glove cost 11 euros together, and the bat costs 10 more than the glove. How much is the glove? Explain why the quick answer is wrong.",
    "Tom is older than Sara, Sara is older than Kim, and Kim is older than Ali. Is Ali older than Tom? Explain the chain.",
    "Why might a hospital with better doctors have a higher death rate than a worse one? Reason about it.",
    "My town wants to cut bus fares to zero. Is that likely to reduce traffic, and what could go wrong? Reason it out.",
    "Which is the stronger argument for school uniforms, equality or discipline? Compare them and conclude.",
    "Why does a heavier object not fall faster than a lighter one, if air is ignored? Lead me through the logic.",
    "If all my meetings are on Tuesdays or Thursdays, and none are in the afternoon, and I have one at 11 this week that isn't on Tuesday, what day is it? Explain.",
    "Two offers on the table: fixed 48k, or 40k plus a bonus that paid 12k, 3k and 10k over the past three years. With a mortgage to pay, which should I pick? Weigh it up.",
    "Why do people keep buying lottery tickets when they know the odds? Analyse it from a few angles and conclude.",
]

# ---- brainstorming: lists of ideas, picks, names, tips, plans (contrast side)
BRAIN_FRAMES = [
    "Give me some {x}.",
    "What are some {x}? A list is fine.",
    "Brainstorm {x} with me, as many as you can think of.",
    "Suggest a few {x}.",
    "I'm stuck, can you think of some {x}?",
    "List some {x}, with one line on each.",
]
BRAIN_TOPICS = [
    "novels for a book club that liked historical fiction", "films to watch with my grandparents",
    "themes for my daughter's 8th birthday party", "names for a podcast about old maps", "things to do on a rainy day in Edinburgh",
    "weekend projects to learn woodworking", "songs for a road-trip playlist", "poems to read at a funeral",
    "ways to practise a new language on the commute", "questions to ask on a first date", "presents for a teacher at the end of the year",
    "short stories that teenagers actually enjoy", "activities for a company away-day", "hobbies that get me outdoors in winter",
    "Halloween costumes for a couple", "side dishes for a Sunday roast", "ways to make a small bedroom feel bigger",
    "topics for a school science fair", "classic films every film student should see", "easy crafts for a toddler",
]
PLAN_WHOLE = [
    "Plan three days in Rome for two people who love food and hate queues.",
    "Make me a training plan to go from zero to running 5 km in eight weeks.",
    "Put together a study schedule for my biology exam in three weeks, I can do two hours a day.",
    "Sketch a weekend itinerary for Amsterdam with a toddler.",
    "Draw up a budget-friendly meal plan for a student for one week.",
    "Create a morning routine for me that fits in 30 minutes before I leave for work.",
]

# ---- chat: sharing news or feelings for company; questions to the assistant about itself
CHAT_WHOLE = [
    "I just got the keys to my first flat!! Had to tell someone.",
    "rough day. my presentation went badly and i'm just sitting in my car now",
    "Are you a real person or a program?",
    "Do you have feelings, like actually?",
    "what are you up to? bored at the airport, flight delayed 3 hours",
    "I think I'm finally getting over my breakup. Feels weird but good.",
    "Thanks for yesterday, the recipe worked and my parents loved it.",
    "Which company built you, and do you learn from our conversations?",
    "My cat just knocked a glass off the table while staring me in the eyes. Love her though.",
    "Good night! Talk tomorrow.",
    "Need to vent a bit. My sister forgot my birthday again.",
    "Do you ever sleep? What do you do when no one is talking to you?",
]

# ---- open_qa: "give me some information / facts about X" asks for facts, not ideas
INFO_FRAMES = [
    "Give me some information about {x}.",
    "Give me a few facts about {x}.",
    "Tell me some interesting facts about {x}.",
    "Share some background on {x}, please.",
    "I need some basic information on {x} for a presentation tomorrow.",
    "Could you give me the essential facts about {x}?",
]
INFO_TOPICS = [
    "the Amazon rainforest", "the planet Mars", "honeybees", "the Sahara desert", "the Ottoman Empire", "Antarctica",
    "the human heart", "the Panama Canal", "volcanoes in Iceland", "the Aztecs", "giant pandas", "the International Space Station",
    "Mount Kilimanjaro", "the Dead Sea", "Ancient Egypt's pyramids", "the Danube river",
]

# ---- open_qa: a knowledge question with answer options is still a question with one answer
MC_WHOLE = [
    "Which of these is the largest ocean: the Atlantic, the Indian or the Pacific?",
    "Which planet is closest to the sun? A) Venus B) Mercury C) Mars D) Earth",
    "Who wrote The Origin of Species?\nA. Gregor Mendel\nB. Charles Darwin\nC. Louis Pasteur\nD. Isaac Newton",
    "What is the chemical symbol for gold: Ag, Au or Gd?",
    "Which gas do plants absorb from the air? (a) oxygen (b) nitrogen (c) carbon dioxide (d) helium",
    "In which year did the First World War begin?\n1) 1912\n2) 1914\n3) 1916\n4) 1918",
    "Which organ produces insulin: the liver, the pancreas or the kidneys?",
    "Quiz question: which country has the most time zones? France, Russia or the USA?",
    "Which of these languages is not a Romance language? Romanian, Portuguese, Albanian, Catalan",
    "What is the hardest natural substance? a) quartz b) diamond c) granite d) iron",
    "Which of the following is a mammal?\nA. Salmon\nB. Platypus\nC. Gecko\nD. Frog",
    "The Great Fire of London happened in which century: 16th, 17th or 18th?",
    "Which vitamin does our skin make in sunlight? Options: A, B12, C, D",
    "Who painted The Starry Night? Choose one: Monet, Van Gogh, Cézanne, Gauguin",
]

# ---- open_qa: an overview or a summary of a TOPIC from knowledge (no text given to condense)
OVERVIEW_FRAMES = [
    "Summarize the history of {x} in a few sentences.",
    "Give me a brief overview of {x}.",
    "Sum up {x} for me in one paragraph.",
    "In a nutshell, what was {x}?",
    "Write a short explanation of {x} for a ten-year-old.",
    "Explain {x} in one paragraph.",
]
OVERVIEW_TOPICS = [
    "the space race", "the printing of the first newspapers", "the Meiji era", "the American civil rights movement",
    "the Hundred Years' War", "the discovery of penicillin", "the Renaissance in Florence", "the Mongol Empire", "the gold rush in California",
    "plate tectonics", "the history of the bicycle", "the water cycle", "how the euro was introduced",
]

# ---- open_qa: the word or term for something; brainstorming: names to choose from
TERM_WHOLE = [
    "What's the word for the fear of long words?",
    "What is the term for a word that reads the same backwards?",
    "What do you call a group of crows?",
    "Is there a name for the smell of rain on dry ground?",
    "What's the medical term for a brain freeze?",
    "What's the name of the line that divides the Earth into north and south?",
    "What do you call the little plastic tip at the end of a shoelace?",
    "What's the technical name for the fear of spiders?",
]

# ---- open_qa: comparing two things from world knowledge (no decision for the asker)
COMPARE_FRAMES = [
    "Compare {a} and {b}.",
    "How do {a} and {b} differ?",
    "{a} vs {b}: what are the main differences?",
    "What do {a} and {b} have in common, and where do they differ?",
]
COMPARE_TOPICS = [
    ("crocodiles", "alligators"), ("the Greek gods", "the Roman gods"), ("viruses", "bacteria"), ("baroque music", "classical music"),
    ("butter", "margarine"), ("hurricanes", "typhoons"), ("the Senate", "the House of Representatives"), ("LED bulbs", "halogen bulbs"),
    ("frogs", "toads"), ("espresso", "filter coffee"), ("stocks", "bonds"), ("the Arctic", "the Antarctic"),
]

# ---- chat: questions to the assistant about its own tastes and opinions
CHAT_ASSISTANT = [
    "What's your favourite book, if you had to pick one?",
    "Do you like music? What kind?",
    "If you could travel anywhere, where would you go?",
    "Which do you prefer, cats or dogs?",
    "What's your favourite word?",
    "Do you dream?",
    "Would you rather be a human for a day or stay as you are?",
    "What makes you laugh?",
]

# ---- contrast: the same topics with a creative task are creative_writing, and a summary of text
# the asker GIVES is summarization (the task decides, not the topic)
WORK_CREATIVE_FRAMES = [
    "Write a funny poem about trying to finish {x} on a beach holiday.",
    "Write a short story that picks up one year after the end of {x}.",
    "Write a limerick about a student who hasn't read {x} before the exam.",
    "Retell {x} as a bedtime story for a five-year-old, in your own words.",
]
ART_CREATIVE_FRAMES = [
    "Write a short story in the style of {x}.",
    "Write a poem inspired by {x}.",
    "Write a scene that feels like {x}, set in a modern supermarket.",
    "Compose a few verses that capture the mood of {x}.",
]
SUMM_FRAMES = [
    "Summarize the following in two sentences:\n\n{x}",
    "Sum up this passage for me:\n\n{x}",
    "Give me a brief overview of the text below.\n\n{x}",
    "{x}\n\nCan you condense that into one short paragraph?",
    "TL;DR please:\n\n{x}",
]
SUMM_PASSAGES = [
    "The town's first public library opened in 1887 in two rooms above the post office. It lent 600 books, mostly donated by a retired sea captain, and was open three evenings a week. By 1910 it had outgrown the rooms, and a mill owner paid for the red-brick building on Market Street that is still in use today, although the reading room was modernised in 1974 and again in 2019.",
    "Our cycling club had a busy season. Membership grew from 48 to 71 riders, mostly thanks to the beginners' Saturday rides. We ran eleven club events, including the charity ride that raised 3,200 for the hospice. The committee proposes raising the annual fee from 20 to 25 to cover insurance, and is looking for a volunteer to manage the website.",
    "Researchers followed 1,200 office workers for two years. Those who took a short walk after lunch reported less afternoon tiredness and slept slightly better, but there was no measurable effect on weight. The authors caution that walkers may differ from non-walkers in other ways, and call for a controlled trial.",
    "From next month, bulky waste will be collected on the first Tuesday of each month instead of on request. Residents must book a slot online by the Friday before, and each household may put out up to three items. Fridges and freezers are no longer collected and must be taken to the recycling centre on Mill Lane.",
    "The museum's new exhibition brings together 40 maps drawn between 1500 and 1800. Some were made for sailors and show coastlines in great detail, while others were made to impress kings and are covered in sea monsters. Visitors can use magnifying glasses to find the small jokes the mapmakers hid in the margins. The exhibition runs until March.",
    "After three months of testing, the team recommends moving our client records over to the new hosting provider. Costs fall by about 18%, backups are faster, and support answered every ticket within a day. The main risk is the migration itself, planned for a weekend in May, with a full rollback plan if checks fail.",
]

ML_CONTRAST = [
    ('es', 'creative_writing', "Escribe un poema divertido sobre un caballero que confunde molinos con gigantes, pero ambientado en una oficina moderna."),
    ('es', 'summarization', "Resume este texto en dos frases:\n\nEl ayuntamiento ha aprobado ampliar el horario de la piscina municipal durante el verano. Desde el 1 de julio abrirá de ocho de la mañana a diez de la noche, y los menores de doce años entrarán gratis por las tardes. Las obras del vestuario terminarán antes de esa fecha."),
    ('fr', 'creative_writing', "Écris une courte histoire dans le style d'un vieux film noir, mais qui se passe dans une boulangerie."),
    ('fr', 'summarization', "Résume ce texte en deux phrases :\n\nLa médiathèque du quartier fermera pour travaux du 3 au 24 avril. Pendant cette période, les retours de livres pourront se faire à la mairie annexe. À la réouverture, un nouvel espace jeux vidéo et une salle de travail silencieuse seront proposés."),
    ('de', 'creative_writing', "Schreib ein Gedicht im Stil der Romantik über eine nächtliche Zugfahrt."),
    ('de', 'summarization', "Fass diesen Text in zwei Sätzen zusammen:\n\nDer Sportverein hat im vergangenen Jahr 35 neue Mitglieder gewonnen, vor allem in der Kinderabteilung. Die Tennisplätze wurden saniert, die Kosten lagen unter dem Plan. Für das kommende Jahr schlägt der Vorstand vor, eine Yoga-Gruppe für Senioren zu gründen."),
    ('pt', 'creative_writing', "Escreve um conto curto inspirado em Dom Casmurro, mas contado pelo ponto de vista da Capitu."),
    ('it', 'creative_writing', "Scrivi una breve poesia ispirata alla Gioconda, come se fosse lei a parlare ai turisti."),
    ('ru', 'creative_writing', "Напиши короткий рассказ в духе «Мастера и Маргариты», но действие происходит в современном метро."),
    ('nl', 'creative_writing', "Schrijf een grappig gedicht over iemand die Max Havelaar probeert te lezen in de trein."),
    ('zh', 'creative_writing', "模仿《西游记》的风格，写一个孙悟空在现代超市购物的小故事。"),
    ('zh', 'summarization', "把下面这段话概括成两句话：\n\n小区下周一至周三将进行水管维修，每天上午九点到下午四点停水。请住户提前储水。维修期间电梯正常使用，如有问题请联系物业。"),
    ('ja', 'creative_writing', "『源氏物語』の雰囲気で、現代の会社員の恋を描いた短い物語を書いてください。"),
    ('ko', 'creative_writing', "고흐의 『별이 빛나는 밤』에서 영감을 받은 짧은 시를 써 주세요."),
    ('ar', 'creative_writing', "اكتب قصيدة قصيرة على طريقة الشعر الحر عن مدينة تستيقظ في الصباح."),
    ('hi', 'creative_writing', "प्रेमचंद की शैली में एक छोटी कहानी लिखिए, जो आज के किसी गाँव में घटती हो।"),
]
