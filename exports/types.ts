export type Role = 'system' | 'user' | 'assistant'
export type Message = { role: Role; content: string }

export type SourceContext = { prompt: string } | { messages: Message[] }

export type SourceResponse = { id: string; model: string | null; content: string }

/**
 * One judgment as the export worker reads it (its latest revision), or, for consensus
 * aggregation, one record per item synthesized from its judgments or adjudication.
 */
export type SourceJudgment = {
	judgmentId: string | null
	itemId: string
	externalId: string
	context: SourceContext
	responses: SourceResponse[]
	ranking: string[][]
	bothBad: boolean
	strength: number | null
	annotator: string | null
	displayOrder: string[]
	criteria: Record<string, Record<string, number>> | null
	flags: Record<string, string[]> | null
	rationale: string | null
	activeMs: number | null
	guidelineVersion: number | null
	createdAt: string
	updatedAt: string
	adjudicated: boolean
	agreement: number | null
	/**
	 * The Dawid–Skene confidence in the item's consensus (1 for an adjudicated item), when the
	 * source estimated it: under `dawid-skene` aggregation, with `minConfidence`, or for formats
	 * that read reliabilities.
	 */
	confidence: number | null
	/** The annotator's Dawid–Skene reliability in the project, when estimated; null for consensus records. */
	annotatorReliability: number | null
	revision: number
	/** Who made the judgment: a person or an AI judge (absent: a person); consensus records have none. */
	source?: 'human' | 'model'
}

/** A judgment's details: what it records beyond the ranking, read only by formats that use them. */
export type JudgmentDetails = Pick<
	SourceJudgment,
	| 'displayOrder'
	| 'criteria'
	| 'flags'
	| 'rationale'
	| 'activeMs'
	| 'guidelineVersion'
	| 'revision'
	| 'createdAt'
	| 'updatedAt'
>

/**
 * The details of a record read for a format that does not use them (`DatasetFormat.readsDetails`
 * false), and of a consensus record, which has no single judgment behind it.
 */
export const NO_DETAILS: Readonly<JudgmentDetails> = Object.freeze({
	displayOrder: Object.freeze([]) as unknown as string[],
	criteria: null,
	flags: null,
	rationale: null,
	activeMs: null,
	guidelineVersion: null,
	revision: 1,
	createdAt: '',
	updatedAt: '',
})

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
export type Row = Record<string, JsonValue>

export type SplitName = 'train' | 'test'

export type FieldType =
	/** `text`: free text (prompts, responses, transcripts), written without min/max statistics. */
	| { kind: 'string'; text?: boolean }
	| { kind: 'bool' }
	| { kind: 'int32' }
	| { kind: 'int64' }
	| { kind: 'float64' }
	| { kind: 'list'; element: FieldType }
	| { kind: 'struct'; fields: Field[] }

export type Field = { name: string; type: FieldType; nullable: boolean; description?: string }

export type SkipReason =
	| 'not-adjudicated'
	| 'excluded-annotator'
	| 'unknown-agreement'
	| 'below-min-agreement'
	| 'unknown-confidence'
	| 'below-min-confidence'
	| 'tie'
	| 'both-bad'
	| 'all-tied'
	| 'missing-model'
	| 'same-model'
	| 'duplicate'

export type SkipCounts = Partial<Record<SkipReason, number>>

export class ExportInputError extends Error {
	override name = 'ExportInputError'
}
