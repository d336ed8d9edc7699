const {Classifier}=require('./dist/index.js');
const c=Classifier.load();
const convs=[
 [['user','Write a poem about autumn leaves'],['assistant','Golden leaves drift down...'],['user','make it shorter']],
 [['user','Translate "good morning" into Spanish'],['assistant','Buenos días'],['user','and in Greek?']],
 [['user','Write a function in JavaScript that reverses a string'],['assistant','function r(s){return [...s].reverse().join("")}'],['user','now in python']],
 [['user','Who was the first president of the US?'],['assistant','George Washington.'],['user','and the second?']],
 [['user','Tell me a joke about cats'],['assistant','Why did the cat...'],['user','another one']],
 [['user','Summarize this: The meeting covered budgets, hiring and the new office. Everyone agreed to revisit hiring in May.'],['assistant','Budgets, hiring, office; hiring revisited in May.'],['user','shorter']],
 [['user','Write a poem about autumn leaves'],['assistant','Golden leaves drift down...'],['user','What is the capital of Australia?']],
 [['system','You are a helpful assistant.'],['user','hi']],
];
for (const cv of convs) { const r=c.classify({messages:cv.map(([role,content])=>({role,content}))}); console.log(r.intent, r.intentConfidence, r.runnerUp, '|', cv[cv.length-1][1]); }
