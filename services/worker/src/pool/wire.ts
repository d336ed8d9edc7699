import { ResponseFormat, Role, ToolChoiceMode, type InferenceRequest, type ToolSuggestion } from '@yardmaster/contracts';
import { openAIChatBody, type ChatCompletionRequest, type GenerationMessage, type GenerationRequest, type ToolChoiceSpec } from '@yardmaster/providers';

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
const TOOL_CHOICE: Record<ToolChoiceMode, ToolChoiceSpec['mode'] | undefined> = {
  [ToolChoiceMode.UNSPECIFIED]: undefined,
  [ToolChoiceMode.AUTO]: 'auto',
  [ToolChoiceMode.NONE]: 'none',
  [ToolChoiceMode.REQUIRED]: 'required',
  [ToolChoiceMode.FUNCTION]: 'function',
};

/** JSON text that the ingress checked is an object (a schema); `{}` when empty. */
function jsonObject(text: string): Record<string, unknown> {
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export function toGenerationRequest(request: InferenceRequest, model: string, tool?: ToolSuggestion): GenerationRequest {
  const toolParts = new Map(request.messageTools.map((t) => [t.messageIndex, t]));
  const messages: GenerationMessage[] = request.messages.map((m, i) => ({
    role: ROLE[m.role],
    parts: m.content.map((p) =>
      p.part.case === 'image'
        ? { type: 'image' as const, ...(p.part.value.url ? { url: p.part.value.url } : { data: p.part.value.data }), ...(p.part.value.mimeType ? { mimeType: p.part.value.mimeType } : {}) }
        : { type: 'text' as const, text: p.part.case === 'text' ? p.part.value : '' },
    ),
    ...(m.name ? { name: m.name } : {}),
    ...(toolParts.get(i)?.toolCalls.length ? { toolCalls: toolParts.get(i)!.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.argumentsJson })) } : {}),
    ...(toolParts.get(i)?.toolCallId ? { toolCallId: toolParts.get(i)!.toolCallId } : {}),
  }));
  const schema = request.jsonSchema;
  const choice = request.toolChoice ? TOOL_CHOICE[request.toolChoice.mode] : undefined;
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
    ...(schema?.schemaJson ? { json: true, jsonSchema: { name: schema.name, ...(schema.description ? { description: schema.description } : {}), schema: jsonObject(schema.schemaJson), strict: schema.strict } } : {}),
    ...(request.tools.length
      ? {
          tools: request.tools.map((t) => ({
            name: t.name,
            ...(t.description ? { description: t.description } : {}),
            ...(t.parametersJson ? { parameters: jsonObject(t.parametersJson) } : {}),
            ...(t.strict ? { strict: true } : {}),
          })),
        }
      : {}),
    ...(choice
      ? { toolChoice: { mode: choice, ...(choice === 'function' ? { name: request.toolChoice!.functionName } : {}), ...(request.toolChoice!.disableParallel ? { disableParallel: true } : {}) } }
      : {}),
  };
}

/** Translates a Yardmaster request into an OpenAI chat completions body for `model`. */
export function toChatCompletion(request: InferenceRequest, model: string): ChatCompletionRequest {
  return openAIChatBody(toGenerationRequest(request, model));
}
