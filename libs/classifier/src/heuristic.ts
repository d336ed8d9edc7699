/**
 * Keyword fallback used only when no trained model file is available (e.g. a
 * deployment that forgot to ship model/). Deliberately simple; the trained model
 * is the real classifier.
 */
import { INTENTS, type Intent } from './types';

const RULES: ReadonlyArray<[Intent, RegExp]> = [
  ['image_generation', /\b(?:draw|generate|create|render|make|design)\b.{0,30}\b(?:image|picture|logo|illustration|photo|drawing|icon|poster)\b/i],
  ['translation', /\btranslat\w*|\bin (?:english|spanish|french|german|greek|italian|chinese|japanese)\b/i],
  ['summarization', /\bsummari[sz]\w*|\btl;?dr\b|\bkey points\b/i],
  ['rewrite', /\b(?:rewrite|rephrase|paraphrase|proofread|make it (?:shorter|longer|more)|fix the grammar)\b/i],
  ['extraction', /\bextract\w*|\bpull out\b|\blist all (?:the )?(?:names|dates|emails)\b/i],
  ['classification', /\bclassif\w*|\bsentiment\b|\bcategori[sz]\w*|\bis this (?:spam|positive|negative)\b/i],
  ['code', /```|\b(?:python|javascript|typescript|java|sql|regex|bash|function|compile|bug|code)\b/i],
  ['math', /\d\s*[-+*/^]\s*\d|\b(?:solve|equation|integral|derivative|probability|percent)\b/i],
  ['creative_writing', /\b(?:poem|story|haiku|lyrics|joke|fiction|limerick|role-?play)\b/i],
  ['writing', /\b(?:email|essay|cover letter|blog post|speech|report|letter|announcement)\b/i],
  ['brainstorming', /\b(?:ideas|suggest|names for|brainstorm|itinerary|recommend)\b/i],
  ['reasoning', /\b(?:puzzle|riddle|logic|trade-?off|should i)\b/i],
  ['chat', /^(?:hi|hello|hey|thanks|thank you|good (?:morning|night)|how are you)\b/i],
];

/** Returns per-intent scores (INTENTS order) from keyword rules. */
export function heuristicScores(text: string): Float64Array {
  const scores = new Float64Array(INTENTS.length).fill(0.02);
  let hit = false;
  for (const [intent, re] of RULES) {
    if (re.test(text)) {
      scores[INTENTS.indexOf(intent)] = hit ? 0.3 : 0.6;
      hit = true;
    }
  }
  if (!hit) scores[INTENTS.indexOf(text.trim().endsWith('?') ? 'open_qa' : 'other')] = 0.5;
  let sum = 0;
  for (const v of scores) sum += v;
  for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] ?? 0) / sum;
  return scores;
}
