function m(l){gc();gc();const u=process.memoryUsage();console.log(l.padEnd(14),'rss',(u.rss/1e6).toFixed(0),'heapUsed',(u.heapUsed/1e6).toFixed(1),'heapTotal',(u.heapTotal/1e6).toFixed(1));}
m('start');
const fs=require('fs');
const {GptEncoding}=require('gpt-tokenizer/GptEncoding');const {getEncodingParams}=require('gpt-tokenizer/modelParams');
const dec=new TextDecoder('utf-8',{fatal:true});
const txt=fs.readFileSync(require.resolve('gpt-tokenizer/data/o200k_base.tiktoken'),'utf8');
const ranks=[];
for(const line of txt.split('\n')){if(!line)continue;const sp=line.indexOf(' ');const b=Buffer.from(line.slice(0,sp),'base64');const r=+line.slice(sp+1);let v;try{v=dec.decode(b);}catch{v=Array.from(b);}ranks[r]=v;}
m('ranks');
const enc=GptEncoding.getEncodingApi('o200k_base',()=>ranks);m('enc');
const ref=require('gpt-tokenizer/encoding/o200k_base');
const ranksRef=require(require('path').join(__dirname,'../../node_modules/gpt-tokenizer/cjs/bpeRanks/o200k_base.js')).default;
let diff=0;for(let i=0;i<ranksRef.length;i++){const a=ranksRef[i],b=ranks[i];if(JSON.stringify(a)!==JSON.stringify(b))diff++;}console.log('len',ranks.length,ranksRef.length,'diff',diff);
