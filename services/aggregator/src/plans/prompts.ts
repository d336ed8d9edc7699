import { ChatMessageSchema, ContentPartSchema, Role, create, type ChatMessage } from '@yardmaster/contracts';

/**
 * The messages the aggregator sends for the plan steps that build on earlier answers:
 * a judge choosing among candidates, a reviewer improving a draft, and a chain step
 * working on the previous step's output. The caller's own messages always come first and
 * unchanged; our instructions are a system message of their own, so a provider sees a
 * normal conversation.
 */

function text(role: Role, body: string): ChatMessage {
  return create(ChatMessageSchema, { role, content: [create(ContentPartSchema, { part: { case: 'text', value: body } })] });
}

/** The text of a message's text parts. */
export function messageText(m: ChatMessage): string {
  return m.content.map((p) => (p.part.case === 'text' ? p.part.value : '')).join('');
}

const DEFAULT_RUBRIC = 'Pick the answer that is most correct, complete and helpful for the request, and that follows its instructions. Prefer correctness over length.';

/**
 * The judge's conversation: the request, the numbered candidate answers, and an
 * instruction to reply with the number of the best one on a line `Choice: <n>`.
 */
export function judgeMessages(request: readonly ChatMessage[], candidates: readonly string[], rubric = DEFAULT_RUBRIC): ChatMessage[] {
  const conversation = request.map((m) => `${Role[m.role].toLowerCase()}: ${messageText(m)}`).join('\n');
  const numbered = candidates.map((c, i) => `### Candidate ${i + 1}\n${c}`).join('\n\n');
  return [
    text(Role.SYSTEM, `You are a strict judge of answers. ${rubric} Reply with one short sentence of justification, then a final line exactly of the form "Choice: <number>".`),
    text(Role.USER, `## Request\n${conversation}\n\n## Candidate answers\n${numbered}\n\nWhich candidate is best?`),
  ];
}

/**
 * The candidate the judge chose (0-based), or null when its reply names none in range.
 * Reads the last `Choice: n` line; failing that, a JSON `{"choice": n}`; failing that, a
 * lone number.
 */
export function parseJudgeChoice(reply: string, candidates: number): number | null {
  const inRange = (n: number) => (Number.isInteger(n) && n >= 1 && n <= candidates ? n - 1 : null);
  const lines = [...reply.matchAll(/choice\s*[:#=]?\s*(?:candidate\s*)?(\d+)/gi)];
  if (lines.length > 0) return inRange(Number(lines[lines.length - 1]![1]));
  try {
    const parsed = JSON.parse(reply.trim()) as { choice?: unknown };
    if (typeof parsed.choice === 'number') return inRange(parsed.choice);
  } catch {
    // not JSON
  }
  const lone = /^\s*(?:candidate\s*)?(\d+)\s*\.?\s*$/i.exec(reply);
  return lone ? inRange(Number(lone[1])) : null;
}

/** The reviewer's conversation: the request, then the draft to improve, returning only the final text. */
export function reviewMessages(request: readonly ChatMessage[], draft: string, instruction?: string): ChatMessage[] {
  return [
    text(
      Role.SYSTEM,
      instruction ||
        'You review a draft answer written by another assistant. Correct any errors, fill gaps and improve clarity while keeping what is right. Reply with the final answer only, with no comments about the draft.',
    ),
    ...request,
    text(Role.ASSISTANT, draft),
    text(Role.USER, 'Review the draft answer above and reply with the improved final answer only.'),
  ];
}

/**
 * A chain step's conversation: the step's instruction applied to the previous step's
 * output (for the first step, to the request itself). The calculator's exact result
 * phrased by a small model is the typical chain: instruction "State the result for the
 * user's question in one sentence."
 */
export function chainMessages(request: readonly ChatMessage[], previous: string | undefined, instruction: string): ChatMessage[] {
  if (previous === undefined) return instruction ? [text(Role.SYSTEM, instruction), ...request] : [...request];
  return [text(Role.SYSTEM, instruction || 'Continue the task using the previous step\'s result.'), ...request, text(Role.USER, `Result of the previous step:\n${previous}`)];
}
