function m(l){gc();gc();const u=process.memoryUsage();console.log(l.padEnd(14),'rss',(u.rss/1e6).toFixed(0),'heapUsed',(u.heapUsed/1e6).toFixed(1),'heapTotal',(u.heapTotal/1e6).toFixed(1),'ab',(u.arrayBuffers/1e6).toFixed(1));}
m('start');
require('gpt-tokenizer/encoding/o200k_base'); m('o200k');
const lang=require('./dist/language.js'); lang.warmLanguageDetector(); m('eld');
const idx=require('./dist/index.js'); m('index');
const {loadModelFile, defaultModelPath}=require('./dist/model.js'); const mm=loadModelFile(defaultModelPath()); m('model');
