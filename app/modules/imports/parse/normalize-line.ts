import type { z } from 'zod'
import type { TaskType } from '#app/generated/prisma/enums.ts'
import { formatPath } from '#app/utils/errors.ts'
import { canonicalJson, sha256Hex } from './canonical-json.ts'
import {
	CanonicalLineSchema,
	ExternalIdSchema,
	fieldErrorsFromIssues,
	PairwiseLineSchema,
	PreferenceLineSchema,
	type CanonicalLine,
	type PairwiseLine,
	type PreferenceLine,
} from './import.schema.ts'
import { findUnstorableText, isPlainObject, scanJson, typeName } from './json-values.ts'
import { MAX_JSON_DEPTH, MAX_RANKED_RESPONSES, MAX_RESPONSES } from './limits.ts'
import type { CanonicalItem, CanonicalResponse, ChatMessage, FieldError, GoldAnswer, ItemContext } from './types.ts'

export type LineShape = 'canonical' | 'pairwise' | 'preference'

/** What to do with top-level fields a shape does not define, such as extra columns of a dataset. */
export type ExtraFieldsPolicy = 'metadata' | 'reject'

export type NormalizeLineOptions = {
	value: unknown
	taskType: TaskType
	maxResponseBytes: number
	extraFields: ExtraFieldsPolicy
}

/** On failure, `externalId` is the line's explicit id when that much was readable. */
export type NormalizeLineResult =
	{ item: CanonicalItem; derivedId: boolean } | { errors: FieldError[]; externalId: string | null }

const SHAPES: Record<LineShape, { schema: z.ZodType; markers: string[]; description: string }> = {
	canonical: {
		schema: CanonicalLineSchema,
		markers: ['responses'],
		description: '"responses" (canonical shape)',
	},
	pairwise: {
		schema: PairwiseLineSchema,
		markers: ['response_a', 'response_b'],
		description: '"response_a" and "response_b" (pairwise shape)',
	},
	preference: {
		schema: PreferenceLineSchema,
		markers: ['chosen', 'rejected'],
		description: '"chosen" and "rejected" (preference shape)',
	},
}

const SHAPE_FIELDS: Record<LineShape, ReadonlySet<string>> = {
	canonical: new Set(Object.keys(CanonicalLineSchema.shape)),
	pairwise: new Set(Object.keys(PairwiseLineSchema.shape)),
	preference: new Set(Object.keys(PreferenceLineSchema.shape)),
}

const SHAPE_NAMES = Object.keys(SHAPES) as LineShape[]

export const SHAPE_MARKER_FIELDS: readonly string[] = SHAPE_NAMES.flatMap((shape) => SHAPES[shape].markers)

export const ACCEPTED_SHAPES = `expected ${SHAPE_NAMES.map((shape) => SHAPES[shape].description).join(', or ')}`

export function detectShape({
	record,
}: {
	record: Record<string, unknown>
}): { shape: LineShape } | { error: FieldError } {
	const found = SHAPE_NAMES.filter((shape) => SHAPES[shape].markers.some((key) => Object.hasOwn(record, key)))
	const [first, ...rest] = found
	// A prompt or messages with no responses: a canonical item that waits for generated responses.
	if (first === undefined && (Object.hasOwn(record, 'prompt') || Object.hasOwn(record, 'messages')))
		return { shape: 'canonical' }
	if (first === undefined) return { error: { path: '', message: `unrecognized item: ${ACCEPTED_SHAPES}` } }
	if (rest.length > 0) {
		const keys = found.flatMap((shape) => SHAPES[shape].markers.filter((key) => Object.hasOwn(record, key)))
		return {
			error: {
				path: '',
				message: `the item mixes shapes (${keys.map((key) => `"${key}"`).join(', ')}); use one shape per line: ${ACCEPTED_SHAPES}`,
			},
		}
	}
	return { shape: first }
}

type DraftResponse = CanonicalResponse & { contentPath: string; modelPath?: string; idPath?: string }

type Draft = {
	explicitId: string | null
	context: ItemContext
	responses: DraftResponse[]
	metadata: Record<string, unknown> | null
	reservedMetadata: Record<string, unknown>
	gold: unknown
	goldAliases: Record<string, string>
	errors: FieldError[]
}

const nullIfEmpty = (value: string | null | undefined) => (value ? value : null)

function contextFromPrompt(prompt: string | ChatMessage[]): ItemContext {
	return typeof prompt === 'string' ? { prompt } : { messages: prompt }
}

function contextTurns(context: ItemContext): ChatMessage[] {
	return 'prompt' in context ? [{ role: 'user', content: context.prompt }] : context.messages
}

function draftFromCanonical(line: CanonicalLine): Draft {
	return {
		explicitId: line.id,
		context: line.messages ? { messages: line.messages } : { prompt: line.prompt ?? '' },
		responses: (line.responses ?? []).map((response, index) => ({
			id: response.id ?? `r${index + 1}`,
			model: nullIfEmpty(response.model),
			content: response.content,
			metadata: response.metadata ?? null,
			contentPath: `responses[${index}].content`,
			modelPath: `responses[${index}].model`,
			idPath: `responses[${index}].id`,
		})),
		metadata: line.metadata ?? null,
		reservedMetadata: {},
		gold: line.gold,
		goldAliases: {},
		errors: [],
	}
}

function draftFromPairwise(line: PairwiseLine): Draft {
	return {
		explicitId: line.id ?? null,
		context: contextFromPrompt(line.prompt),
		responses: [
			{
				id: 'r1',
				model: nullIfEmpty(line.model_a),
				content: line.response_a,
				metadata: null,
				contentPath: 'response_a',
				modelPath: 'model_a',
			},
			{
				id: 'r2',
				model: nullIfEmpty(line.model_b),
				content: line.response_b,
				metadata: null,
				contentPath: 'response_b',
				modelPath: 'model_b',
			},
		],
		metadata: line.metadata ?? null,
		reservedMetadata: {},
		gold: line.gold,
		goldAliases: { a: 'r1', b: 'r2', response_a: 'r1', response_b: 'r2' },
		errors: [],
	}
}

const sameTurn = (a: ChatMessage | undefined, b: ChatMessage | undefined) =>
	a !== undefined && b !== undefined && a.role === b.role && a.content === b.content

/**
 * A preference answer is a string, a single assistant message, or (as in UltraFeedback) the whole
 * conversation: the prompt's turns followed by one assistant message.
 */
function answerContent({
	answer,
	field,
	context,
}: {
	answer: string | ChatMessage[]
	field: string
	context: ItemContext
}): { content: string } | { error: FieldError } {
	if (typeof answer === 'string') return { content: answer }
	const lastIndex = answer.length - 1
	const last = answer[lastIndex]
	if (last === undefined || last.role !== 'assistant') {
		return {
			error: { path: `${field}[${lastIndex}].role`, message: 'expected the last message to have role "assistant"' },
		}
	}
	if (answer.length > 1) {
		const turns = contextTurns(context)
		const prefix = answer.slice(0, lastIndex)
		if (prefix.length !== turns.length || !prefix.every((turn, index) => sameTurn(turn, turns[index]))) {
			return {
				error: {
					path: field,
					message: 'expected one assistant message, or the prompt turns followed by one assistant message',
				},
			}
		}
	}
	return { content: last.content }
}

function draftFromPreference(line: PreferenceLine): Draft {
	const context = contextFromPrompt(line.prompt)
	const errors: FieldError[] = []
	const responses = (['chosen', 'rejected'] as const).map((field, index): DraftResponse => {
		const answer = line[field]
		const result = answerContent({ answer, field, context })
		if ('error' in result) errors.push(result.error)
		return {
			id: `r${index + 1}`,
			model: null,
			content: 'content' in result ? result.content : '',
			metadata: null,
			contentPath: typeof answer === 'string' ? field : `${field}[${answer.length - 1}].content`,
		}
	})
	return {
		explicitId: line.id ?? null,
		context,
		responses,
		metadata: line.metadata ?? null,
		reservedMetadata: { original_preference: { chosen: 'r1', rejected: 'r2' } },
		gold: line.gold,
		goldAliases: { chosen: 'r1', rejected: 'r2' },
		errors,
	}
}

function normalizeGold({
	gold,
	aliases,
	responseIds,
}: {
	gold: unknown
	aliases: Record<string, string>
	responseIds: string[]
}): { gold: GoldAnswer | null } | { errors: FieldError[] } {
	if (gold === undefined || gold === null) return { gold: null }
	const known = new Set(responseIds)
	const resolve = (id: string) => (known.has(id) ? id : (aliases[id] ?? id))
	const listed = responseIds.map((id) => `"${id}"`).join(', ')
	if (typeof gold === 'string') {
		const better = resolve(gold)
		if (!known.has(better)) {
			return { errors: [{ path: 'gold', message: `unknown response id "${gold}" (the responses are ${listed})` }] }
		}
		if (responseIds.length !== 2) {
			return {
				errors: [
					{
						path: 'gold',
						message: `a single response id only works with 2 responses; give {"ranking": [...]} for ${responseIds.length}`,
					},
				],
			}
		}
		return { gold: { ranking: [[better], responseIds.filter((id) => id !== better)] } }
	}
	if (!isPlainObject(gold) || !Array.isArray(gold.ranking)) {
		return {
			errors: [{ path: 'gold', message: `expected a response id or {"ranking": [...]}, got ${typeName(gold)}` }],
		}
	}
	const errors: FieldError[] = []
	const firstSeen = new Map<string, string>()
	const ranking = gold.ranking.map((tier: unknown, tierIndex) => {
		const members = Array.isArray(tier) ? (tier as unknown[]) : [tier]
		return members.map((member, memberIndex) => {
			const path = Array.isArray(tier) ? `gold.ranking[${tierIndex}][${memberIndex}]` : `gold.ranking[${tierIndex}]`
			const id = resolve(String(member))
			if (!known.has(id)) {
				errors.push({ path, message: `unknown response id "${String(member)}" (the responses are ${listed})` })
			} else if (firstSeen.has(id)) {
				errors.push({ path, message: `response "${id}" is ranked twice (first at ${firstSeen.get(id)})` })
			} else {
				firstSeen.set(id, path)
			}
			return id
		})
	})
	const missing = responseIds.filter((id) => !firstSeen.has(id))
	if (missing.length > 0 && errors.length === 0) {
		errors.push({
			path: 'gold.ranking',
			message: `every response must be ranked exactly once; missing ${missing.map((id) => `"${id}"`).join(', ')}`,
		})
	}
	return errors.length > 0 ? { errors } : { gold: { ranking } }
}

function mergeMetadata({ draft, extras }: { draft: Draft; extras: [string, unknown][] }): {
	metadata: Record<string, unknown> | null
	errors: FieldError[]
} {
	const errors: FieldError[] = []
	const base = draft.metadata ?? {}
	for (const [key] of extras) {
		if (Object.hasOwn(base, key)) {
			errors.push({ path: key, message: `"${key}" is also a key of metadata; rename one of them` })
		}
	}
	for (const key of Object.keys(draft.reservedMetadata)) {
		if (Object.hasOwn(base, key)) {
			errors.push({ path: `metadata.${key}`, message: 'reserved: this key is filled in from chosen and rejected' })
		}
	}
	const added = [...extras, ...Object.entries(draft.reservedMetadata)]
	if (draft.metadata === null && added.length === 0) return { metadata: null, errors }
	return { metadata: Object.fromEntries([...Object.entries(base), ...added]), errors }
}

/**
 * A comparison item's responses come from different models; a response's model is its `model`, or
 * its id when the model is left out (as the claim and the leaderboard count them).
 */
function duplicateModels(responses: DraftResponse[]): FieldError[] {
	const errors: FieldError[] = []
	const seen = new Map<string, number>()
	responses.forEach((response, index) => {
		const model = response.model ?? response.id
		const earlier = seen.get(model)
		if (earlier === undefined) seen.set(model, index)
		else
			errors.push({
				path: (response.model !== null ? response.modelPath : response.idPath) ?? response.contentPath,
				message: `model "${model}" already answers in response ${earlier + 1}; a comparison item needs its responses from different models`,
			})
	})
	return errors
}

function finish({
	draft,
	record,
	shape,
	taskType,
	maxResponseBytes,
	extraFields,
}: {
	draft: Draft
	record: Record<string, unknown>
	shape: LineShape
	taskType: TaskType
	maxResponseBytes: number
	extraFields: ExtraFieldsPolicy
}): NormalizeLineResult {
	const errors = [...draft.errors]
	if (taskType === 'pairwise' && draft.responses.length > 2) {
		errors.push({
			path: 'responses',
			message: `a pairwise project needs exactly 2 responses, got ${draft.responses.length}`,
		})
	}
	if (taskType === 'ranking' && draft.responses.length > MAX_RANKED_RESPONSES) {
		errors.push({
			path: 'responses',
			message: `a ranking project takes at most ${MAX_RANKED_RESPONSES} responses, got ${draft.responses.length}; a comparison project takes up to ${MAX_RESPONSES}`,
		})
	}
	if (taskType === 'comparison') errors.push(...duplicateModels(draft.responses))
	if (draft.responses.length < 2 && draft.gold !== undefined && draft.gold !== null) {
		errors.push({
			path: 'gold',
			message: 'a gold answer needs the responses it ranks; this item waits for generated responses',
		})
	}
	for (const response of draft.responses) {
		// A UTF-16 code unit takes at most 3 bytes of UTF-8, so most responses need no exact count.
		if (response.content.length * 3 <= maxResponseBytes) continue
		const bytes = Buffer.byteLength(response.content, 'utf8')
		if (bytes > maxResponseBytes) {
			errors.push({
				path: response.contentPath,
				message: `the response is ${bytes} bytes of UTF-8, over the limit of ${maxResponseBytes}`,
			})
		}
	}
	const gold =
		draft.responses.length < 2
			? { gold: null }
			: normalizeGold({
					gold: draft.gold,
					aliases: draft.goldAliases,
					responseIds: draft.responses.map((response) => response.id),
				})
	if ('errors' in gold) errors.push(...gold.errors)

	const extras = Object.entries(record).filter(([key, value]) => !SHAPE_FIELDS[shape].has(key) && value !== undefined)
	const merged = mergeMetadata({ draft, extras: extraFields === 'metadata' ? extras : [] })
	errors.push(...merged.errors)

	if ('errors' in gold || errors.length > 0) return { errors, externalId: draft.explicitId }

	const responses: CanonicalResponse[] = draft.responses.map(({ id, model, content, metadata }) => ({
		id,
		model,
		content,
		metadata,
	}))
	const content = { context: draft.context, responses, metadata: merged.metadata, gold: gold.gold }
	// Metadata and gold stay out of a derived id, so correcting them updates the item in place.
	const identity = {
		context: draft.context,
		responses: responses.map(({ id, model, content }) => ({ id, model, content })),
	}
	const externalId = draft.explicitId ?? `sha256:${sha256Hex(canonicalJson(identity)).slice(0, 16)}`
	return {
		item: { externalId, ...content, contentHash: sha256Hex(canonicalJson(content)) },
		derivedId: draft.explicitId === null,
	}
}

function readableId(record: Record<string, unknown>): string | null {
	const parsed = ExternalIdSchema.safeParse(record.id)
	return parsed.success ? parsed.data : null
}

/** Validates one decoded line of any accepted shape and turns it into the canonical item. */
export function normalizeLine({
	value,
	taskType,
	maxResponseBytes,
	extraFields,
}: NormalizeLineOptions): NormalizeLineResult {
	if (!isPlainObject(value)) {
		return { errors: [{ path: '', message: `expected an object, got ${typeName(value)}` }], externalId: null }
	}
	const scan = scanJson({ value, maxDepth: MAX_JSON_DEPTH })
	if (scan.tooDeep) {
		return {
			errors: [{ path: '', message: `objects and lists are nested more than ${MAX_JSON_DEPTH} levels deep` }],
			externalId: null,
		}
	}
	const detected = detectShape({ record: value })
	if ('error' in detected) return { errors: [detected.error], externalId: readableId(value) }
	const { shape } = detected

	const errors: FieldError[] = []
	if (extraFields === 'reject') {
		const allowed = [...SHAPE_FIELDS[shape]].join(', ')
		for (const key of Object.keys(value)) {
			if (!SHAPE_FIELDS[shape].has(key)) {
				errors.push({ path: key, message: `unknown field for the ${shape} shape (allowed: ${allowed})` })
			}
		}
	}
	if (scan.unstorable) {
		errors.push(...findUnstorableText({ value }).map(({ path, message }) => ({ path: formatPath(path), message })))
	}

	const { schema } = SHAPES[shape]
	const parsed = schema.safeParse(value)
	if (!parsed.success) {
		// Parsed again with inputs reported only on failure, where the messages need them.
		const reported = schema.safeParse(value, { reportInput: true })
		errors.unshift(...fieldErrorsFromIssues({ issues: reported.error?.issues ?? parsed.error.issues }))
	}
	if (!parsed.success || errors.length > 0) return { errors, externalId: readableId(value) }

	const draft =
		shape === 'canonical'
			? draftFromCanonical(parsed.data as CanonicalLine)
			: shape === 'pairwise'
				? draftFromPairwise(parsed.data as PairwiseLine)
				: draftFromPreference(parsed.data as PreferenceLine)
	return finish({ draft, record: value, shape, taskType, maxResponseBytes, extraFields })
}
