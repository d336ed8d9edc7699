const v8=require('v8');
function m(l){global.gc&&gc();global.gc&&gc();const u=process.memoryUsage();console.log(l.padEnd(14),'rss',(u.rss/1e6).toFixed(0),'heapUsed',(u.heapUsed/1e6).toFixed(1),'heapTotal',(u.heapTotal/1e6).toFixed(1),'ext',(u.external/1e6).toFixed(1),'ab',(u.arrayBuffers/1e6).toFixed(1));}
m('start');
const mods=process.argv.slice(2);
for(const x of mods){require(x);m(x.split('/').slice(-2).join('/'));}
if (process.env.LOAD) { const {Classifier}=require('./dist/index.js'); const c=Classifier.load({preloadCalculator: !!process.env.CALC}); m('loaded'); c.classify({messages:[{role:'user',content:'hello there how are you'}]}); m('classified'); }
