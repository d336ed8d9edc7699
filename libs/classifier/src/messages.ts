/**
 * Parsing chat messages from JSON: content as a string or as OpenAI-style content
 * parts (`[{type:"text",text}, {type:"image_url",...}]`), image parts counted.
 */
import type { ChatTurn } from './types';

const ROLES: ReadonlySet<string> = new Set(['system', 'user', 'assistant', 'tool']);

/** Extracts text from a chat content field (string, or OpenAI-style parts). */
export function contentText(content: unknown): { text: string; images: number } {
  if (typeof content === 'string') return { text: content, images: 0 };
  if (Array.isArray(content)) {
    const texts: string[] = [];
    let images = 0;
    for (const part of content as unknown[]) {
      if (typeof part === 'string') texts.push(part);
      else if (part && typeof part === 'object') {
        const p = part as Record<string, unknown>;
        if (typeof p['text'] === 'string') texts.push(p['text']);
        else if (p['type'] === 'image_url' || p['type'] === 'image' || p['type'] === 'input_image') images++;
      }
    }
    return { text: texts.join('\n'), images };
  }
  return { text: '', images: 0 };
}

/** Parses a `messages` array into chat turns; null if malformed. */
export function parseMessages(value: unknown): ChatTurn[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const turns: ChatTurn[] = [];
  for (const m of value as unknown[]) {
    if (!m || typeof m !== 'object') return null;
    const r = (m as Record<string, unknown>)['role'];
    if (typeof r !== 'string' || !ROLES.has(r)) return null;
    const { text, images } = contentText((m as Record<string, unknown>)['content']);
    const turn: ChatTurn = { role: r as ChatTurn['role'], content: text };
    if (images > 0) turn.images = images;
    turns.push(turn);
  }
  return turns;
}

