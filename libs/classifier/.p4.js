const {readCorpus}=require('./dist/train/corpus.js');
const texts=readCorpus().examples.map(e=>e.turns[0].content);
const prompts=[]; for(let i=0;i<32;i++){let s='';let k=i*97;while(s.length<8500){s+=texts[k++%texts.length]+'\n\n'} prompts.push(s.slice(0,8500));}
const en=prompts.map(p=>p.replace(/[^\x00-\x7f]/g,'x'));
const {detectInjection}=require('./dist/injection.js');
const time=(name,f,arr)=>{for(const t of arr)f(t);const ds=[];for(let r=0;r<10;r++)for(const t of arr){const a=process.hrtime.bigint();f(t);ds.push(Number(process.hrtime.bigint()-a)/1000)}ds.sort((a,b)=>a-b);console.log(name.padEnd(14),'p50',ds[ds.length>>1].toFixed(1))};
time('inj mixed',detectInjection,prompts); time('inj ascii',detectInjection,en);
time('loop only',t=>{let n=0;for(let i=0;i<t.length;i++){const c=t.charCodeAt(i);if(c>=0x400)continue;n+=c}return n},prompts);
const stems={};const re=/\b(ignor|disregard|forget|overrid|bypass|abandon|skip|drop|you are|you're|do anything|developer|dev|god|jailbr|debug|sudo|enable|pretend|act|imagine|reveal|show|print|display|output|repeat|leak|tell|give|share|dump|write|recite|what|new|updated|muestra|revela|dime|imprime|oubli|neglige|montre|affiche|donne|vergiss|vergessen|missacht|zeig|verrate|gib|dimentica|esque|desconsidere|negeer|vergeet|olvid|omite|descarta)|[<\[]/gi;
let total=0;for(const t of en){for(const m of t.matchAll(re)){const k=(m[1]||m[0]).toLowerCase();stems[k]=(stems[k]||0)+1;total++}}
console.log('avg anchors per text', total/en.length, Object.entries(stems).sort((a,b)=>b[1]-a[1]).slice(0,12));
