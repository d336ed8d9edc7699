/**
 * Evaluation metrics: RouteLLM-style strong/weak routing quality (PGR curve, APGR,
 * CPT) and multi-label-aware intent accuracy / macro-F1 / confusion matrix.
 */

/** One prompt of a strong/weak routing evaluation. */
export interface RoutedItem {
  /** Router score: higher = more likely to need the strong model. */
  score: number;
  /** Whether (or how well, in [0, 1]) each model answered. */
  strongCorrect: boolean | number;
  weakCorrect: boolean | number;
}

/** The PGR curve and its summary numbers. */
export interface RoutingQuality {
  n: number;
  strongAccuracy: number;
  weakAccuracy: number;
  /** Area under PGR as a function of the strong-call share (random routing = 0.5). */
  apgr: number;
  /** Smallest strong-call share whose PGR reaches 50% / 80%. */
  cpt50: number;
  cpt80: number;
  /** PGR at shares 0, 0.1, ..., 1 (for printing). */
  curve: Array<{ share: number; pgr: number }>;
}

/**
 * RouteLLM method: sort prompts by score (descending), send the top k to the strong
 * model for k = 0..n, read each point's quality from the per-model outcomes.
 * Ties in score are resolved by expectation (a partially routed tie group
 * contributes its mean strong/weak outcome), so the result does not depend on
 * input order.
 */
export function routingQuality(items: readonly RoutedItem[]): RoutingQuality {
  const n = items.length;
  const sorted = [...items].sort((a, b) => b.score - a.score);
  const strongTotal = items.reduce((s, i) => s + Number(i.strongCorrect), 0);
  const weakTotal = items.reduce((s, i) => s + Number(i.weakCorrect), 0);
  const qStrong = strongTotal / n;
  const qWeak = weakTotal / n;
  // quality(k) for k = 0..n, with tie groups interpolated.
  const quality = new Float64Array(n + 1);
  quality[0] = qWeak;
  let gained = 0; // sum over routed items of (strong - weak)
  let k = 0;
  while (k < n) {
    let j = k;
    while (j + 1 < n && sorted[j + 1]?.score === sorted[k]?.score) j++;
    const group = sorted.slice(k, j + 1);
    const groupGain = group.reduce((s, it) => s + (Number(it.strongCorrect) - Number(it.weakCorrect)), 0);
    for (let m = 1; m <= group.length; m++) {
      quality[k + m] = qWeak + (gained + (groupGain * m) / group.length) / n;
    }
    gained += groupGain;
    k = j + 1;
  }
  const pgr = (q: number): number => (q - qWeak) / (qStrong - qWeak);
  let area = 0;
  for (let i = 0; i < n; i++) area += (pgr(quality[i] ?? 0) + pgr(quality[i + 1] ?? 0)) / 2 / n;
  const cpt = (target: number): number => {
    for (let i = 0; i <= n; i++) if (pgr(quality[i] ?? 0) >= target - 1e-12) return i / n;
    return 1;
  };
  const curve: Array<{ share: number; pgr: number }> = [];
  for (let s = 0; s <= 10; s++) curve.push({ share: s / 10, pgr: pgr(quality[Math.round((s / 10) * n)] ?? 0) });
  return { n, strongAccuracy: qStrong, weakAccuracy: qWeak, apgr: area, cpt50: cpt(0.5), cpt80: cpt(0.8), curve };
}

/** Accuracy, macro-F1 and confusion for predictions judged against allowed-intent sets. */
export interface IntentScore {
  n: number;
  accuracy: number;
  macroF1: number;
  /** category -> predicted intent -> count */
  confusion: Map<string, Map<string, number>>;
  perCategory: Map<string, { n: number; correct: number }>;
}

/** One judged prediction. */
export interface JudgedItem {
  /** Display category (e.g. "coding" or "info-seek+reasoning"). */
  category: string;
  allowed: ReadonlySet<string>;
  /** Intent used as the gold label when the prediction is not allowed. */
  primary: string;
  predicted: string;
}

/**
 * Scores predictions. A prediction is correct if it is in the item's allowed set.
 * Macro-F1 uses gold = predicted when allowed, else the item's primary intent,
 * and averages F1 over the intents that occur as gold labels.
 */
export function scoreIntents(items: readonly JudgedItem[]): IntentScore {
  const confusion = new Map<string, Map<string, number>>();
  const perCategory = new Map<string, { n: number; correct: number }>();
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  let correct = 0;
  for (const it of items) {
    const ok = it.allowed.has(it.predicted);
    if (ok) correct++;
    const row = confusion.get(it.category) ?? new Map<string, number>();
    row.set(it.predicted, (row.get(it.predicted) ?? 0) + 1);
    confusion.set(it.category, row);
    const pc = perCategory.get(it.category) ?? { n: 0, correct: 0 };
    pc.n++;
    if (ok) pc.correct++;
    perCategory.set(it.category, pc);
    const gold = ok ? it.predicted : it.primary;
    if (gold === it.predicted) tp.set(gold, (tp.get(gold) ?? 0) + 1);
    else {
      fn.set(gold, (fn.get(gold) ?? 0) + 1);
      fp.set(it.predicted, (fp.get(it.predicted) ?? 0) + 1);
    }
  }
  const golds = new Set<string>([...tp.keys(), ...fn.keys()]);
  let f1sum = 0;
  for (const g of golds) {
    const t = tp.get(g) ?? 0;
    const p = t + (fp.get(g) ?? 0);
    const r = t + (fn.get(g) ?? 0);
    const prec = p > 0 ? t / p : 0;
    const rec = r > 0 ? t / r : 0;
    f1sum += prec + rec > 0 ? (2 * prec * rec) / (prec + rec) : 0;
  }
  return { n: items.length, accuracy: correct / Math.max(1, items.length), macroF1: f1sum / Math.max(1, golds.size), confusion, perCategory };
}

/** Spearman rank correlation (average ranks for ties). */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const rank = (v: readonly number[]): number[] => {
    const order = v.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(v.length).fill(0);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]?.[0] === order[i]?.[0]) j++;
      for (let k = i; k <= j; k++) r[order[k]?.[1] ?? 0] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const n = a.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let c = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    c += ((ra[i] ?? 0) - ma) * ((rb[i] ?? 0) - mb);
    va += ((ra[i] ?? 0) - ma) ** 2;
    vb += ((rb[i] ?? 0) - mb) ** 2;
  }
  return c / Math.sqrt(va * vb);
}

/** Percentile (nearest-rank) of a numeric sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[idx] ?? 0;
}

/** Minimal RFC 4180 CSV parser (quoted fields with commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += c;
      continue;
    }
    if (c === '"') inQuotes = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
