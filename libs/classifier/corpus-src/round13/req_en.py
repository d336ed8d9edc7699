R = {}
R['en'] = {
'code': ([
"Could you turn this into a little browser game for the kids? Something where you click the falling items before they hit the ground and get points, plain HTML and JavaScript in one file.",
"Write me a Python script that reads a CSV of names and dates and sends me a list of whoever is due this week.",
"Imagine a story where a robot sorts letters into mailboxes by postcode. Now write that robot as a real function in JavaScript that takes an array of letters and returns them grouped.",
"Can you write a small Google Sheets Apps Script that colours a row red when the date in column C has passed?",
"My pasted loop above never stops. Find the bug and give me the corrected code.",
"Let's make it a game: a text adventure in Python where each room is a dictionary and the player types north, south, east or west. Keep it under 80 lines.",
], [
"Could you code a tiny quiz app, one HTML file, where each correct answer lights up a star and a wrong one shakes the screen?",
"Write a bash one-liner that finds every file over 100 MB in my home folder and prints them sorted by size.",
]),
'math': ([
"Quick calculation: if each session costs 18.50 and we run 34 sessions a year for 22 people, what is the total, and what's the cost per person per month?",
"Work out the probability that at least two of the 23 people in the group share a birthday, step by step.",
"Solve for x: 3(x - 4) + 2x = 5x - 12 + x. Show each step.",
"If the loan is 14,000 at 6.2% a year over 5 years, what is the monthly payment? Show the formula.",
"What's the area of a triangle with sides 7, 8 and 9? Use Heron's formula and show the working.",
"Compute the derivative of f(x) = x^2 e^{3x} and tell me where it equals zero.",
], [
"Help me with the numbers: 40 litres of paint cover 320 square metres; how many litres do I need for four walls 5.2 m long and 2.6 m high, minus a door of 2 square metres?",
"Find the integral of 1/(x^2 + 4) from 0 to 2 and explain each step.",
]),
'creative_writing': ([
"Write a short funny poem about all of this, four rhyming stanzas, that I could read out at the end-of-season party.",
"Turn this situation into a bedtime story for a six-year-old, with a brave hedgehog as the hero.",
"Could you write a haiku sequence, five haiku, about how this feels at three in the morning?",
"Write a one-page short story told from the point of view of the house itself, bittersweet rather than sad.",
"Make up a song with a chorus that the whole team can sing on the bus, silly is fine.",
"Write a limerick about the whole mess for the group chat.",
], [
"Could you write a little fable about this with talking animals and a moral at the end?",
"Write a sonnet about this, in the style of an old love poem but about something mundane.",
]),
'writing': ([
"Draft a polite but firm email to the landlord asking for an inspection within fourteen days.",
"Write a short announcement for the newsletter explaining the change and what people need to do.",
"Can you write a cover letter for this, one page, for a job as a team coordinator?",
"Please draft the agenda and a one-paragraph introduction for the meeting next week.",
"Write a LinkedIn post about this, professional but warm, no more than 150 words.",
"Put together a formal complaint letter I can send to the company, with the dates and what I expect them to do.",
], [
"Write a message to the other parents explaining what's going on and asking for their help, friendly tone.",
"Draft a short speech of thanks for the volunteers, about two minutes when read aloud.",
]),
'open_qa': ([
"Unrelated, but what actually causes condensation on the inside of windows?",
"By the way, how does the immune system decide what to attack?",
"What is the difference between a limited company and a partnership in the UK?",
"Who invented the first mechanical calculator, and when?",
"Why do we get jet lag more going east than going west?",
"What does the term 'opportunity cost' mean in economics?",
], [
"Out of curiosity, how do noise-cancelling headphones actually work?",
"What was the Marshall Plan and why was it created?",
]),
'reasoning': ([
"Given all that, what would you do in my place? Weigh the options and tell me which one is best and why.",
"Think this through with me: what are the likely causes, in order of probability, and how could I check each one?",
"Compare the three options on cost, risk and effort, and recommend one.",
"Is my reasoning sound, or am I missing something? Point out the weak spots.",
"What's the root cause here, do you think? Walk me through your logic.",
"Make a decision plan for the next three months: what first, what depends on what, and where the risks are.",
], [
"Play devil's advocate: what are the strongest arguments against what I'm planning, and how would you answer them?",
"Which of these two choices leads to fewer problems down the line? Reason it out step by step.",
]),
'translation': ([
"Please translate everything above into Spanish, keeping the informal tone.",
"Can you put this into German for my colleague in Munich?",
"Translate the paragraph above into Japanese, polite form.",
"I need this in French, as close to the original as possible.",
"Render the text above in Italian for the notice board.",
"Could you translate this into simple Portuguese?",
], [
"Put the whole thing above into Dutch, please, word for word where you can.",
"Translate this into Korean for my mother-in-law.",
]),
'extraction': ([
"From the text above, pull out every date and amount and list them in a table.",
"List all the people mentioned above and what each one is responsible for.",
"Extract the action items from this, one per line, nothing else.",
"Which numbers appear above? Give them to me as a JSON array with a short label each.",
"Pick out the place names and the times from the message and put them in two columns.",
"Get me just the email addresses and phone numbers from the log above.",
], [
"Go through the text and pull out every deadline, with who it applies to.",
"From the table above, list only the rows where the status is 'failed'.",
]),
'brainstorming': ([
"Give me fifteen ideas for how to approach this, from cautious to bold.",
"Brainstorm some names for the project, playful ones and serious ones.",
"What are ten fun activities I could try with them next week?",
"Throw some ideas at me for a theme, I'll pick one later.",
"List twelve small changes we could try this month, no idea is too silly.",
"Suggest a bunch of gift ideas that would fit, under 30 euros each.",
], [
"Help me come up with a dozen possible slogans for this, mix of funny and sincere.",
"Give me lots of ideas for fundraising around this, at least ten.",
]),
'other': ([
"Please book me a table for four at an Italian place near the station for Friday at eight.",
"Can you call the insurance company for me and tell them I'll be late with the payment?",
"Order two of those from the shop and have them delivered to my office.",
"Set an alarm for 6:15 tomorrow and remind me to take the forms.",
"Transfer 200 euros from my savings to my current account.",
"Post this on my Facebook page at nine tomorrow morning.",
], [
"Please send this to everyone in my contacts and let me know who opens it.",
"Cancel my gym membership and text me the confirmation.",
]),
'summarization': ([
"Summarise all of that in three bullet points for my manager.",
"Can you give me the short version of the above, two sentences?",
"TL;DR of this please.",
"Condense this into a paragraph that someone new to the situation could understand.",
"Sum up the main points of the log above for the incident report.",
"Boil this down to the three things that matter most.",
], [
"Give me a one-line summary of the text above for the subject line.",
"Summarise the discussion above, with the decision and the open questions.",
]),
'classification': ([
"Would you label each line above as complaint, question or praise?",
"Is this message urgent or not urgent? Just answer with one word.",
"Sort these items into needs and wants.",
"Categorise the expenses in the table as fixed, variable or one-off.",
"Is the tone of my text positive, neutral or negative?",
"Tag each entry above with the department it belongs to: sales, support or finance.",
], [
"Classify each comment above as spam or not spam.",
"Which category does this fall under: billing, technical or account? One word.",
]),
'image_generation': ([
"Generate a picture of this scene, cartoon style, bright colours.",
"Create an image for the poster: the team celebrating in the rain.",
"Draw me an illustration of the house as it could look after the renovation.",
"Make an image I can use as a banner, something calm and green.",
"Can you produce a logo for this, simple and round, two colours?",
"Paint a watercolour-style image of the scene described above.",
], [
"Generate an illustration of this for the cover page, retro comic style.",
"Create a photorealistic image of what I described, at sunset.",
]),
'rewrite': ([
"Rewrite the text above so it sounds less angry but still clear.",
"Can you make my paragraph shorter and more professional?",
"Rephrase this so a ten-year-old could follow it.",
"Fix the grammar and the flow of what I wrote, keep my voice.",
"Make this sound friendlier without changing what it says.",
"Polish the wording of the above, it feels clumsy.",
], [
"Rewrite my message above in a more formal register.",
"Tighten the text up: cut the repetition, same meaning.",
]),
'chat': ([
"Anyway, I just wanted to get that off my chest. Thanks for listening.",
"Sorry for the long rant. How are you doing today?",
"Honestly, do you ever get tired of people telling you their problems?",
"Ha, that's my life at the moment. Tell me something nice.",
"Good morning! Not really a question, just wanted to say hi.",
"Thanks, that really helped. You're nicer than my colleagues.",
], [
"Phew, long day. Do you have a favourite time of day?",
"Okay, that's all, I just needed to talk to someone for a minute. Have a good evening.",
]),
}
