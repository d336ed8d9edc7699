const L=require('./dist/index.js');
const lang=require('./dist/language.js'); const cx=require('./dist/complexity.js'); const fx=require('./dist/features.js');
const {readCorpus}=require('./dist/train/corpus.js');
const texts=readCorpus().examples.map(e=>e.turns[0].content);
const prompts=[]; for(let i=0;i<32;i++){let s='';let k=i*97;while(s.length<8500){s+=texts[k++%texts.length]+'\n\n'} prompts.push(s.slice(0,8500));}
console.log('tokens', L.countTextTokens(prompts[0]));
const clf=L.Classifier.load();
const parts={
 pii:t=>L.detectPii(t), inj:t=>L.detectInjection(t), tool:t=>L.detectCalculator(t), lang:t=>lang.detectConversationLanguage([t]), tok:t=>L.countTextTokens(t),
 cx:t=>cx.complexityFeatures(t, fx.textStats(t)), feat:t=>{const b=new fx.FeatureBuffer(); fx.extractMessageFeatures(t,b)}, stats:t=>fx.textStats(t), split:t=>fx.splitInstruction(t),
 conv:t=>{const b=new fx.FeatureBuffer(); fx.extractConversationFeatures([{role:'user',content:t}],b)},
 probs:t=>clf.intentProbabilities([{role:'user',content:t}]),
 all:t=>clf.classify({messages:[{role:'user',content:t}]}),
};
for (let r=0;r<3;r++) for (const t of prompts) for (const f of Object.values(parts)) f(t);
for (const [k,f] of Object.entries(parts)) { const ds=[]; for (let r=0;r<5;r++) for (const t of prompts){const a=process.hrtime.bigint(); f(t); ds.push(Number(process.hrtime.bigint()-a)/1000);} ds.sort((a,b)=>a-b); console.log(k.padEnd(6),'p50',ds[Math.floor(ds.length*.5)].toFixed(1),'p99',ds[Math.floor(ds.length*.99)].toFixed(1)); }
