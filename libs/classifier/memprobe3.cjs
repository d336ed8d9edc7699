function m(l){gc();gc();const u=process.memoryUsage();console.log(l.padEnd(14),'rss',(u.rss/1e6).toFixed(0),'heapUsed',(u.heapUsed/1e6).toFixed(1),'heapTotal',(u.heapTotal/1e6).toFixed(1),'ab',(u.arrayBuffers/1e6).toFixed(1));}
m('start');
const r=require(require('path').join(__dirname,'../../node_modules/gpt-tokenizer/cjs/bpeRanks/o200k_base.js')); m('ranks');
const t=require('gpt-tokenizer/encoding/o200k_base'); m('encoding');
t.countTokens('hello world, how are you'); m('count');
console.log(Array.isArray(r.default), r.default.length, typeof r.default[0], r.default.slice(1000,1003));
