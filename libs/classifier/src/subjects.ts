/**
 * Subject vocabulary: words that name or belong to a subject area, in the corpus
 * languages, pooled into one feature per subject. Why: the subject model learns from
 * a few thousand of our own rows, which cannot contain every term of fourteen fields;
 * a question about "tort" or "Anfechtung" should benefit from what the model learned
 * about "lawsuit" and "contract". The model still learns every weight (this only says
 * which words belong together), and the words themselves stay features.
 *
 * Matching is on the word hashes the feature extractor already computes (no regex,
 * no string slicing on the hot path): single words by their FNV-1a hash, and
 * two-character CJK terms ("法律", "化学") as a pair of consecutive one-character
 * tokens. Latin, Cyrillic, Arabic and Devanagari entries are whole words, so common
 * inflections are listed.
 */
import type { Subject } from './types';

/** Subject -> words (lower case) and two-character CJK terms. */
const LEXICON: Readonly<Record<Exclude<Subject, 'other'>, readonly string[]>> = {
  law: [
    'law', 'laws', 'legal', 'illegal', 'lawyer', 'lawyers', 'attorney', 'court', 'courts', 'judge', 'sue', 'sued', 'lawsuit',
    'contract', 'contracts', 'clause', 'tort', 'negligence', 'liability', 'liable', 'plaintiff', 'defendant', 'statute',
    'statutory', 'constitutional', 'constitution', 'amendment', 'felony', 'misdemeanor', 'crime', 'criminal', 'custody',
    'lease', 'landlord', 'tenant', 'eviction', 'deposit', 'warrant', 'copyright', 'trademark', 'patent', 'gdpr', 'nda',
    'indemnification', 'jurisdiction', 'verdict', 'appeal', 'testimony', 'evidence', 'hearsay', 'prosecutor', 'precedent',
    'ley', 'leyes', 'abogado', 'abogada', 'tribunal', 'juez', 'demanda', 'contrato', 'arrendamiento', 'casero', 'delito',
    'loi', 'avocat', 'avocate', 'juridique', 'tribunal', 'contrat', 'bail', 'licenciement', 'prud', 'hommes',
    'gesetz', 'recht', 'rechtlich', 'anwalt', 'anwältin', 'gericht', 'vertrag', 'klage', 'vermieter', 'mieter', 'kündigung',
    'gewährleistung', 'lei', 'advogado', 'advogada', 'processo', 'contrato', 'judicial', 'legge', 'avvocato', 'tribunale',
    'contratto', 'sentenza', 'закон', 'закону', 'юрист', 'адвокат', 'суд', 'суда', 'договор', 'договора', 'иск', 'wet',
    'advocaat', 'rechter', 'huurder', 'verhuurder', 'قانون', 'القانون', 'محامي', 'محكمة', 'عقد', 'कानून', 'अदालत', 'वकील',
    '法律', '律师', '合同', '法院', '起诉', '判決', '弁護', '契約', '裁判', '법률', '변호사', '계약', '소송', '법원',
  ],
  medicine: [
    'medicine', 'medical', 'doctor', 'doctors', 'nurse', 'nurses', 'patient', 'patients', 'hospital', 'clinic', 'symptom',
    'symptoms', 'diagnosis', 'diagnosed', 'disease', 'diseases', 'infection', 'virus', 'fever', 'pain', 'headache', 'cancer',
    'tumor', 'tumour', 'diabetes', 'diabetic', 'insulin', 'blood', 'pressure', 'hypertension', 'stroke', 'heart', 'cardiac',
    'medication', 'medications', 'drug', 'drugs', 'dose', 'dosage', 'mg', 'tablet', 'tablets', 'pills', 'prescription',
    'antibiotic', 'antibiotics', 'vaccine', 'vaccines', 'surgery', 'therapy', 'pregnancy', 'pregnant', 'ecg', 'mri',
    'anemia', 'asthma', 'allergy', 'ibuprofen', 'paracetamol', 'warfarin', 'dementia', 'médico', 'médica', 'enfermera',
    'síntomas', 'enfermedad', 'hospital', 'médecin', 'infirmière', 'maladie', 'symptômes', 'médicament', 'médicaments',
    'arzt', 'ärztin', 'krankheit', 'symptome', 'krankenhaus', 'medikament', 'medikamente', 'tabletten', 'schlaganfall',
    'doença', 'sintomas', 'remédio', 'medico', 'malattia', 'sintomi', 'farmaco', 'врач', 'врача', 'болезнь', 'симптомы',
    'лекарство', 'таблетки', 'давление', 'arts', 'ziekte', 'huisarts', 'طبيب', 'مرض', 'أعراض', 'دواء', 'डॉक्टर', 'बीमारी',
    'दवा', 'शुगर', '医生', '医院', '症状', '药物', '血压', '血糖', '病院', '医師', '薬を', '의사', '병원', '증상',
  ],
  biology: [
    'biology', 'biological', 'cell', 'cells', 'gene', 'genes', 'genetic', 'genetics', 'dna', 'rna', 'protein', 'proteins',
    'enzyme', 'enzymes', 'evolution', 'species', 'organism', 'organisms', 'bacteria', 'bacterial', 'photosynthesis',
    'mitochondria', 'chromosome', 'chromosomes', 'mitosis', 'meiosis', 'ecosystem', 'ecology', 'plant', 'plants', 'animal',
    'animals', 'insect', 'insects', 'bees', 'mutation', 'allele', 'alleles', 'heterozygous', 'homozygous', 'crispr',
    'biología', 'célula', 'células', 'especies', 'biologie', 'cellule', 'cellules', 'espèces', 'zelle', 'zellen',
    'photosynthese', 'biologia', 'célula', 'cellula', 'биология', 'клетка', 'клетки', 'гены', 'ген', 'biologie', 'cel',
    'خلية', 'الخلية', 'جينات', 'कोशिका', '细胞', '基因', '生物', '遗传', '細胞', '遺伝', '세포', '유전자',
  ],
  chemistry: [
    'chemistry', 'chemical', 'chemicals', 'molecule', 'molecules', 'atom', 'atoms', 'reaction', 'reactions', 'acid',
    'acids', 'base', 'ph', 'molar', 'moles', 'mole', 'mol', 'solution', 'concentration', 'compound', 'compounds',
    'oxidation', 'bond', 'bonds', 'ionic', 'covalent', 'catalyst', 'titration', 'organic', 'polymer', 'lye', 'naoh',
    'sodium', 'chloride', 'carbon', 'oxygen', 'hydrogen', 'nitrogen', 'electron', 'electrons', 'periodic', 'química',
    'químico', 'reacción', 'ácido', 'molécula', 'chimie', 'chimique', 'réaction', 'acide', 'molécule', 'chemie',
    'chemisch', 'reaktion', 'säure', 'molekül', 'química', 'chimica', 'chimico', 'химия', 'химический', 'реакция',
    'кислота', 'молекула', 'scheikunde', 'كيمياء', 'تفاعل', 'रसायन', '化学', '分子', '反应', '化合', '화학', '분자',
  ],
  physics: [
    'physics', 'physical', 'force', 'forces', 'energy', 'momentum', 'velocity', 'acceleration', 'gravity', 'gravitational',
    'mass', 'friction', 'quantum', 'relativity', 'electromagnetic', 'wavelength', 'frequency', 'photon', 'photons',
    'thermodynamics', 'entropy', 'kinetic', 'potential', 'newton', 'joule', 'joules', 'watt', 'circuit', 'resistor',
    'voltage', 'current', 'magnetic', 'orbit', 'pendulum', 'optics', 'lens', 'física', 'fuerza', 'energía', 'gravedad',
    'physique', 'énergie', 'gravité', 'vitesse', 'physik', 'kraft', 'energie', 'schwerkraft', 'geschwindigkeit', 'fisica',
    'forza', 'energia', 'физика', 'сила', 'энергия', 'скорость', 'гравитация', 'natuurkunde', 'فيزياء', 'طاقة', 'भौतिकी',
    'ऊर्जा', '物理', '能量', '速度', '引力', '重力', '물리', '에너지',
  ],
  mathematics: [
    'math', 'maths', 'mathematics', 'mathematical', 'equation', 'equations', 'integral', 'derivative', 'calculus',
    'algebra', 'geometry', 'theorem', 'proof', 'prove', 'probability', 'matrix', 'matrices', 'eigenvalues', 'polynomial',
    'prime', 'primes', 'integer', 'integers', 'function', 'limit', 'series', 'logarithm', 'triangle', 'quadratic',
    'fraction', 'fractions', 'percent', 'percentage', 'ratio', 'statistics', 'variance', 'permutation', 'combination',
    'matemáticas', 'ecuación', 'integral', 'derivada', 'mathématiques', 'équation', 'dérivée', 'mathe', 'mathematik',
    'gleichung', 'ableitung', 'matemática', 'equação', 'matematica', 'equazione', 'математика', 'уравнение', 'интеграл',
    'производная', 'wiskunde', 'vergelijking', 'رياضيات', 'معادلة', 'गणित', 'समीकरण', '数学', '方程', '函数', '积分',
    '概率', '微分', '積分', '確率', '수학', '방정식', '확률',
  ],
  computer_science: [
    'code', 'coding', 'program', 'programming', 'software', 'algorithm', 'algorithms', 'python', 'javascript', 'java',
    'typescript', 'sql', 'database', 'api', 'server', 'script', 'function', 'bug', 'debug', 'compiler', 'runtime', 'memory',
    'cpu', 'complexity', 'recursion', 'array', 'hash', 'queue', 'stack', 'thread', 'threads', 'linux', 'bash', 'git',
    'html', 'css', 'react', 'node', 'docker', 'kubernetes', 'excel', 'spreadsheet', 'computer', 'computers', 'app',
    'website', 'browser', 'tcp', 'http', 'network', 'encryption', 'código', 'programa', 'programación', 'informática',
    'programme', 'informatique', 'programmieren', 'informatik', 'datenbank', 'skript', 'programação', 'programmazione',
    'программа', 'программирование', 'код', 'скрипт', 'базу', 'данных', 'programmeren', 'برمجة', 'بايثون', 'كود',
    'प्रोग्रामिंग', 'कोड', '代码', '编程', '程序', '算法', '数据', '脚本', 'プログ', '関数', '코드', '프로그램', '파이썬',
  ],
  engineering: [
    'engineering', 'engineer', 'engineers', 'beam', 'beams', 'load', 'stress', 'strain', 'torque', 'motor', 'motors',
    'pump', 'valve', 'pid', 'controller', 'sensor', 'sensors', 'concrete', 'steel', 'weld', 'welding', 'bridge', 'structural',
    'mechanical', 'electrical', 'wiring', 'transformer', 'turbine', 'hvac', 'plc', 'cad', 'tolerance', 'gearbox',
    'heat', 'pump', 'solar', 'panels', 'inverter', 'drone', 'ingeniería', 'ingeniero', 'ingénierie', 'ingénieur',
    'ingenieur', 'technik', 'wärmepumpe', 'engenharia', 'engenheiro', 'ingegneria', 'ingegnere', 'инженер', 'инженерия',
    'насос', 'двигатель', 'techniek', 'warmtepomp', 'هندسة', 'مهندس', 'इंजीनियर', '工程', '电机', '电路', '工学', '공학',
  ],
  economics: [
    'economics', 'economy', 'economic', 'economist', 'inflation', 'gdp', 'recession', 'unemployment', 'monetary',
    'fiscal', 'interest', 'rates', 'demand', 'supply', 'elasticity', 'market', 'markets', 'trade', 'tariff', 'tariffs',
    'exchange', 'currency', 'central', 'bank', 'deficit', 'debt', 'growth', 'productivity', 'wages', 'wage', 'equilibrium',
    'economía', 'inflación', 'economie', 'économie', 'inflation', 'wirtschaft', 'volkswirtschaft', 'inflation', 'zinsen',
    'economia', 'inflação', 'inflazione', 'экономика', 'инфляция', 'ставка', 'inflatie', 'اقتصاد', 'التضخم', 'अर्थव्यवस्था',
    'मुद्रास्फीति', '经济', '通胀', '利率', '経済', '物価', '경제', '물가', '금리',
  ],
  business: [
    'business', 'company', 'startup', 'customers', 'customer', 'sales', 'revenue', 'profit', 'margin', 'marketing',
    'brand', 'pricing', 'price', 'budget', 'invoice', 'invoices', 'accounting', 'bookkeeping', 'management', 'manager',
    'strategy', 'investors', 'investor', 'shop', 'store', 'retail', 'restaurant', 'bakery', 'cafe', 'employees', 'staff',
    'hiring', 'kpi', 'okr', 'ltv', 'cac', 'churn', 'saas', 'b2b', 'negocio', 'empresa', 'clientes', 'ventas', 'tienda',
    'entreprise', 'clients', 'ventes', 'boutique', 'unternehmen', 'firma', 'kunden', 'umsatz', 'laden', 'negócio',
    'empresa', 'vendas', 'loja', 'azienda', 'clienti', 'vendite', 'negozio', 'бизнес', 'компания', 'клиенты', 'продажи',
    'выручка', 'bedrijf', 'klanten', 'omzet', 'winkel', 'شركة', 'عملاء', 'مبيعات', 'متجر', 'बिज़नेस', 'दुकान', 'ग्राहक',
    '公司', '客户', '营收', '销售', '生意', '売上', '会社', '顧客', '매출', '회사', '고객', '가게',
  ],
  history: [
    'history', 'historical', 'historian', 'century', 'centuries', 'empire', 'emperor', 'war', 'wars', 'revolution',
    'dynasty', 'ancient', 'medieval', 'kingdom', 'king', 'queen', 'colonial', 'colonialism', 'treaty', 'civilization',
    'pharaoh', 'roman', 'romans', 'wwi', 'wwii', 'renaissance', 'reformation', 'independence', 'historia', 'histórico',
    'guerra', 'imperio', 'histoire', 'historique', 'guerre', 'empire', 'révolution', 'geschichte', 'krieg', 'reich',
    'história', 'storia', 'storico', 'impero', 'история', 'война', 'империя', 'века', 'geschiedenis', 'oorlog',
    'تاريخ', 'التاريخ', 'الحرب', 'इतिहास', 'साम्राज्य', '历史', '朝代', '战争', '帝国', '歴史', '戦争', '역사', '전쟁', '왕조',
  ],
  philosophy: [
    'philosophy', 'philosopher', 'philosophical', 'ethics', 'ethical', 'moral', 'morality', 'metaphysics',
    'epistemology', 'existentialism', 'utilitarianism', 'stoicism', 'kant', 'plato', 'aristotle', 'nietzsche', 'descartes',
    'hume', 'determinism', 'consciousness', 'fallacy', 'logic', 'virtue', 'existence', 'filosofía',
    'ética', 'moral', 'philosophie', 'éthique', 'morale', 'philosophie', 'ethik', 'filosofia', 'ética', 'etica',
    'философия', 'этика', 'мораль', 'filosofie', 'ethiek', 'فلسفة', 'أخلاق', 'दर्शन', 'नैतिकता', '哲学', '伦理', '道德',
    '倫理', '철학', '윤리',
  ],
  psychology: [
    'psychology', 'psychological', 'psychologist', 'therapist', 'therapy', 'anxiety', 'depression', 'stress', 'trauma',
    'ptsd', 'adhd', 'autism', 'cognitive', 'bias', 'biases', 'behavior', 'behaviour', 'emotions', 'emotional', 'motivation',
    'personality', 'memory', 'attachment', 'burnout', 'self-esteem', 'mindset', 'psicología', 'ansiedad', 'psychologie',
    'anxiété', 'psychologie', 'angst', 'psicologia', 'ansia', 'ansiedade', 'психология', 'тревога', 'депрессия',
    'psychologie', 'angst', 'نفسية', 'القلق', 'मनोविज्ञान', 'तनाव', '心理', '焦虑', '抑郁', '不安', '심리', '불안', '우울',
  ],
};

/** Subjects that have vocabulary, in a fixed order (the feature order). */
export const LEXICON_SUBJECTS: readonly Subject[] = Object.keys(LEXICON) as Subject[];

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of a word as the tokenizer computes it (lower case, no seed). */
function wordHash(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** Word hash -> subject bit set (a word may belong to several subjects). */
const WORDS = new Map<number, number>();
/** Pair key of two one-character CJK tokens -> subject bit set. */
const PAIRS = new Map<number, number>();

/** Key of two consecutive token hashes. */
export function pairKey(a: number, b: number): number {
  return (Math.imul(a ^ 0x27d4eb2d, 0x01000193) ^ b) >>> 0;
}

function isCjkChar(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf);
}

LEXICON_SUBJECTS.forEach((subject, i) => {
  for (const term of LEXICON[subject as Exclude<Subject, 'other'>]) {
    const bit = 1 << i;
    if (term.length >= 2 && [...term].every((ch) => isCjkChar(ch.charCodeAt(0)))) {
      // The tokenizer makes every CJK character its own token: match the first two.
      const k = pairKey(wordHash(term[0] ?? ''), wordHash(term[1] ?? ''));
      PAIRS.set(k, (PAIRS.get(k) ?? 0) | bit);
    } else {
      const h = wordHash(term);
      WORDS.set(h, (WORDS.get(h) ?? 0) | bit);
    }
  }
});

/**
 * A read-only uint32 -> bit set table with open addressing, for the per-word lookups
 * (a Map with uint32 keys hashes heap numbers: most of countSubjectTerms' cost).
 * Bit sets are never 0, so 0 marks an empty slot.
 */
class BitsTable {
  private readonly keys: Uint32Array;
  private readonly bits: Int32Array;
  private readonly mask: number;
  constructor(entries: ReadonlyMap<number, number>) {
    let size = 16;
    while (size < entries.size * 4) size *= 2;
    this.keys = new Uint32Array(size);
    this.bits = new Int32Array(size);
    this.mask = size - 1;
    for (const [k, b] of entries) {
      if (b === 0) throw new Error('subject bit sets are never empty');
      let slot = Math.imul(k, 0x9e3779b1) & this.mask;
      while (this.bits[slot] !== 0) slot = (slot + 1) & this.mask;
      this.keys[slot] = k;
      this.bits[slot] = b;
    }
  }
  /** The bit set of key k (a uint32), or 0. */
  get(k: number): number {
    let slot = Math.imul(k, 0x9e3779b1) & this.mask;
    for (;;) {
      const b = this.bits[slot] as number;
      if (b === 0 || this.keys[slot] === k) return b;
      slot = (slot + 1) & this.mask;
    }
  }
}

const WORD_BITS = new BitsTable(WORDS);
const PAIR_BITS = new BitsTable(PAIRS);

/**
 * Adds, for every word hash of `hashes[0..n)` that belongs to a subject's vocabulary,
 * one count to `counts[subject index]` (LEXICON_SUBJECTS order).
 */
export function countSubjectTerms(hashes: Uint32Array, n: number, counts: Float64Array): void {
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const h = hashes[i] ?? 0;
    let bits = WORD_BITS.get(h);
    if (prev >= 0) bits |= PAIR_BITS.get(pairKey(prev, h));
    prev = h;
    if (bits === 0) continue;
    for (let s = 0; bits !== 0; s++, bits >>>= 1) if (bits & 1) counts[s] = (counts[s] ?? 0) + 1;
  }
}
