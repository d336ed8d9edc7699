const {readCorpus}=require('./dist/train/corpus.js');
const texts=readCorpus().examples.map(e=>e.turns[0].content);
const prompts=[]; for(let i=0;i<32;i++){let s='';let k=i*97;while(s.length<8500){s+=texts[k++%texts.length]+'\n\n'} prompts.push(s.slice(0,8500));}
const t1500=prompts.map(p=>p.slice(0,1500));
const time=(name,f,arr)=>{for(const t of arr)f(t);const ds=[];for(let r=0;r<10;r++)for(const t of arr){const a=process.hrtime.bigint();f(t);ds.push(Number(process.hrtime.bigint()-a)/1000)}ds.sort((a,b)=>a-b);console.log(name.padEnd(14),'p50',ds[ds.length>>1].toFixed(1))};
const ANCHOR=/ignor|disregard|forget|overrid|bypass|\bdan\b|anything now|mode\b|jailbr|pretend|act as if|restriction|system|prompt|instruc|repeat the|<\/?(?:system|im_)|<\|im_|\[\/?(?:system|inst)\]|olvid|omite|descarta|oubli|n[ée]glige|vergiss|missacht|dimentica|esque[çc]|desconsidere|negeer|vergeet|игнор|забуд|систем|忽略|无视|忘|無視|系统|系統|システム|指示|ルール/giu;
time('anchor-scan',t=>{ANCHOR.lastIndex=0;let n=0;while(ANCHOR.exec(t))n++;return n},prompts);
time('anchor-noU',t=>{const re=new RegExp(ANCHOR.source,'gi');let n=0;while(re.exec(t))n++;return n},prompts);
time('lower8k',t=>t.toLowerCase(),prompts);
const NUMBER_WORDS=/\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|dozen|half|twice|double|triple|quadruple|third|quarter|fourth|fifth)\b/g;
time('numwords1500',t=>t.toLowerCase().match(NUMBER_WORDS),t1500);
time('entities1500',t=>{const re=/(?<![.!?]\s|^|\n)\b[A-Z][a-z]{2,}\b/g;return [...t.matchAll(re)].length},t1500);
const cx=require('./dist/complexity.js'); const fx=require('./dist/features.js');
time('cxfeat1500',t=>cx.complexityFeatures(t,fx.textStats(t)),t1500);
time('stats8k',t=>fx.textStats(t),prompts);
time('stats1500',t=>fx.textStats(t),t1500);
const pii=require('./dist/pii.js');
time('pii8k',t=>pii.detectPii(t),prompts);
