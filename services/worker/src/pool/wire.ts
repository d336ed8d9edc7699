import { ResponseFormat, Role, type InferenceRequest } from '@yardmaster/contracts';
import type { ChatCompletionRequest, ChatMessageWire } from '@yardmaster/providers';

const ROLE: Record<Role, ChatMessageWire['role']> = {
  [Role.UNSPECIFIED]: 'user',
  [Role.SYSTEM]: 'system',
  [Role.USER]: 'user',
  [Role.ASSISTANT]: 'assistant',
  [Role.TOOL]: 'tool',
};

/** Translates a Yardmaster request into an OpenAI chat completions body for `model`. */
export function toChatCompletion(request: InferenceRequest, model: string): ChatCompletionRequest {
  const messages: ChatMessageWire[] = request.messages.map((m) => {
    const onlyText = m.content.every((p) => p.part.case === 'text');
    const content: ChatMessageWire['content'] = onlyText
      ? m.content.map((p) => (p.part.case === 'text' ? p.part.value : '')).join('\n')
      : m.content.map((p) =>
          p.part.case === 'image'
            ? { type: 'image_url' as const, image_url: { url: p.part.value.url || `data:${p.part.value.mimeType || 'image/png'};base64,${Buffer.from(p.part.value.data).toString('base64')}` } }
            : { type: 'text' as const, text: p.part.case === 'text' ? p.part.value : '' },
        );
    return { role: ROLE[m.role], content, ...(m.name ? { name: m.name } : {}) };
  });
  const p = request.params;
  return {
    model,
    messages,
    ...(p?.temperature !== undefined ? { temperature: p.temperature } : {}),
    ...(p?.topP !== undefined ? { top_p: p.topP } : {}),
    ...(p?.maxTokens !== undefined ? { max_tokens: p.maxTokens } : {}),
    ...(p?.stop.length ? { stop: p.stop } : {}),
    ...(p?.seed !== undefined ? { seed: Number(p.seed) } : {}),
    ...(p?.responseFormat === ResponseFormat.JSON ? { response_format: { type: 'json_object' as const } } : {}),
  };
}
