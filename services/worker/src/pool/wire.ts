import { ResponseFormat, Role, type InferenceRequest, type ToolSuggestion } from '@yardmaster/contracts';
import { openAIChatBody, type ChatCompletionRequest, type GenerationMessage, type GenerationRequest } from '@yardmaster/providers';

const ROLE: Record<Role, GenerationMessage['role']> = {
  [Role.UNSPECIFIED]: 'user',
  [Role.SYSTEM]: 'system',
  [Role.USER]: 'user',
  [Role.ASSISTANT]: 'assistant',
  [Role.TOOL]: 'tool',
};

/**
 * Translates a Yardmaster request into the provider-neutral {@link GenerationRequest} for
 * `model` (each adapter makes its own wire body from it); `tool` is the classifier's
 * suggestion, for the tool pool.
 */
export function toGenerationRequest(request: InferenceRequest, model: string, tool?: ToolSuggestion): GenerationRequest {
  const messages: GenerationMessage[] = request.messages.map((m) => ({
    role: ROLE[m.role],
    parts: m.content.map((p) =>
      p.part.case === 'image'
        ? { type: 'image' as const, ...(p.part.value.url ? { url: p.part.value.url } : { data: p.part.value.data }), ...(p.part.value.mimeType ? { mimeType: p.part.value.mimeType } : {}) }
        : { type: 'text' as const, text: p.part.case === 'text' ? p.part.value : '' },
    ),
    ...(m.name ? { name: m.name } : {}),
  }));
  const p = request.params;
  return {
    model,
    messages,
    ...(p?.temperature !== undefined ? { temperature: p.temperature } : {}),
    ...(p?.topP !== undefined ? { topP: p.topP } : {}),
    ...(p?.maxTokens !== undefined ? { maxTokens: p.maxTokens } : {}),
    ...(p?.stop.length ? { stop: p.stop } : {}),
    ...(p?.seed !== undefined ? { seed: Number(p.seed) } : {}),
    ...(p?.responseFormat === ResponseFormat.JSON ? { json: true } : {}),
    ...(tool?.name ? { tool: { name: tool.name, expression: tool.expression } } : {}),
  };
}

/** Translates a Yardmaster request into an OpenAI chat completions body for `model`. */
export function toChatCompletion(request: InferenceRequest, model: string): ChatCompletionRequest {
  return openAIChatBody(toGenerationRequest(request, model));
}
