import {
  dimensionIds,
  fieldIds,
  flagIds,
  structuredQuerySchema,
  type StructuredQuery,
} from '../domain/structured-query.js';
import type { Language } from '../domain/semantic-model.js';

/**
 * Fills the structured query from a question with a language model on an operator's own
 * OpenAI-compatible server (`LLM_URL`, e.g. llama.cpp, vLLM or Ollama). The model only proposes a
 * structured query; it never writes SQL. Its answer is validated against the same schema as a
 * correction from the console, then compiled and checked like any other query. Any failure (no
 * answer, bad JSON, a query outside the schema) returns undefined and the offline parser's reading stands.
 */
export interface QueryFiller {
  fill(question: string, language: Language, asOf: string): Promise<StructuredQuery | undefined>;
}

export interface LanguageModelOptions {
  url: string;
  model: string;
  timeoutMs: number;
}

export class OpenAiCompatibleQueryFiller implements QueryFiller {
  constructor(private readonly options: LanguageModelOptions) {}

  async fill(question: string, language: Language, asOf: string): Promise<StructuredQuery | undefined> {
    const endpoint = `${this.options.url.replace(/\/+$/, '')}/chat/completions`;
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
        body: JSON.stringify({
          model: this.options.model,
          temperature: 0,
          response_format: { type: 'json_object' },
          messages: [
            { role: 'system', content: systemPrompt(asOf) },
            { role: 'user', content: `(${language}) ${question}` },
          ],
        }),
      });
      if (!response.ok) return undefined;
      const body = (await response.json()) as { choices?: { message?: { content?: string } }[] };
      const content = body.choices?.[0]?.message?.content;
      if (!content) return undefined;
      const json = JSON.parse(content.replace(/^```(?:json)?|```$/g, '').trim()) as unknown;
      const parsed = structuredQuerySchema.safeParse(json);
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

function systemPrompt(asOf: string): string {
  return [
    "You translate customs officers' questions (Korean, English or French) into a JSON query. Answer with JSON only.",
    `Today is ${asOf}. Dates are YYYY-MM-DD; periods are inclusive {"from","to"}.`,
    'Shape: {"subject":"parcels"|"declarations","measure":{"aggregate":"count"|"sum"|"average"|"rate"|"share","field"?:FIELD,"condition"?:CONDITION},',
    '"groupBy":[DIMENSION],"filters":[CONDITION],"amounts":[{"field":FIELD,"op":">"|">="|"<"|"<=","amount":number}],',
    '"period"?:{"from","to"},"comparePeriod"?:{"from","to"},"order"?:"asc"|"desc","limit"?:number}',
    'CONDITION is {"flag":FLAG,"value":true|false} or {"dimension":DIMENSION,"values":[string],"negate":boolean}.',
    `FIELD: ${fieldIds.join(', ')}. FLAG: ${flagIds.join(', ')}. DIMENSION: ${dimensionIds.join(', ')}.`,
    'Countries are ISO alpha-2 codes (CN, US); HS chapters are two digits ("85"); lanes are green, yellow, red, blue.',
    'Fraud facts exist only for declarations; lanes, clearance states, duty and VAT only for parcels.',
  ].join('\n');
}
