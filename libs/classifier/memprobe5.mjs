function m(l){gc();gc();const u=process.memoryUsage();console.log(l.padEnd(14),'rss',(u.rss/1e6).toFixed(0),'heapUsed',(u.heapUsed/1e6).toFixed(1),'heapTotal',(u.heapTotal/1e6).toFixed(1));}
m('start');
const {ngramsData}=await import('../../node_modules/eld/src/ngrams/extrasmall.js');m('data');
const keys=Object.keys(ngramsData.ngrams);let entries=0;for(const k of keys)entries+=Object.keys(ngramsData.ngrams[k]).length;
console.log('ngrams',keys.length,'entries',entries);
