import { ComplexityBand, Demand, Intent, PiiKind, Subject } from './gen/yardmaster/v1/classification_pb.js';
import type { ChatMessage } from './gen/yardmaster/v1/common_pb.js';

function lowerName(value: string): string {
  return value.toLowerCase();
}

/** The taxonomy name of an intent (`INTENT_OPEN_QA` → `open_qa`); `unspecified` for 0. */
export function intentName(intent: Intent): string {
  return lowerName(Intent[intent] ?? 'UNSPECIFIED');
}

/** The enum value of a taxonomy name (`open_qa` → `Intent.OPEN_QA`); `Intent.UNSPECIFIED` when unknown. */
export function intentFromName(name: string): Intent {
  const value = (Intent as unknown as Record<string, Intent | undefined>)[name.toUpperCase()];
  return typeof value === 'number' ? value : Intent.UNSPECIFIED;
}

/** `COMPLEXITY_BAND_HIGH` → `high`. */
export function bandName(band: ComplexityBand): string {
  return lowerName(ComplexityBand[band] ?? 'UNSPECIFIED');
}

/** `low` → `ComplexityBand.LOW`. */
export function bandFromName(name: string): ComplexityBand {
  const value = (ComplexityBand as unknown as Record<string, ComplexityBand | undefined>)[name.toUpperCase()];
  return typeof value === 'number' ? value : ComplexityBand.UNSPECIFIED;
}

/** The classifier's name of a subject (`Subject.COMPUTER_SCIENCE` → `computer_science`); `unspecified` for 0. */
export function subjectName(subject: Subject): string {
  return lowerName(Subject[subject] ?? 'UNSPECIFIED');
}

/** `computer_science` → `Subject.COMPUTER_SCIENCE`; `Subject.UNSPECIFIED` when unknown. */
export function subjectFromName(name: string): Subject {
  const value = (Subject as unknown as Record<string, Subject | undefined>)[name.toUpperCase()];
  return typeof value === 'number' ? value : Subject.UNSPECIFIED;
}

/** The classifier's name of a demand (`Demand.COMPUTATION` → `computation`); `unspecified` for 0. */
export function demandName(demand: Demand): string {
  return lowerName(Demand[demand] ?? 'UNSPECIFIED');
}

/** `reasoning` → `Demand.REASONING`; `Demand.UNSPECIFIED` when unknown. */
export function demandFromName(name: string): Demand {
  const value = (Demand as unknown as Record<string, Demand | undefined>)[name.toUpperCase()];
  return typeof value === 'number' ? value : Demand.UNSPECIFIED;
}

/** `payment_card` → `PiiKind.PAYMENT_CARD`. */
export function piiFromName(name: string): PiiKind {
  const value = (PiiKind as unknown as Record<string, PiiKind | undefined>)[name.toUpperCase()];
  return typeof value === 'number' ? value : PiiKind.UNSPECIFIED;
}

/** `PiiKind.PAYMENT_CARD` → `payment_card`. */
export function piiName(kind: PiiKind): string {
  return lowerName(PiiKind[kind] ?? 'UNSPECIFIED');
}

/** The concatenated text parts of a chat message. */
export function messageText(message: ChatMessage): string {
  let text = '';
  for (const part of message.content) {
    if (part.part.case === 'text') text += text.length > 0 ? `\n${part.part.value}` : part.part.value;
  }
  return text;
}

/** Number of image parts in a chat message. */
export function messageImageCount(message: ChatMessage): number {
  let n = 0;
  for (const part of message.content) if (part.part.case === 'image') n++;
  return n;
}
