import { z } from 'zod'
import { formatPath } from '#app/utils/errors.ts'
import { isPlainObject, typeMismatch, typeName } from './json-values.ts'
import { MAX_EXTERNAL_ID_LENGTH, MAX_RESPONSE_ID_LENGTH, MAX_RESPONSES, MIN_RESPONSES } from './limits.ts'
import type { FieldError } from './types.ts'

const unionError = (expected: string) => ({
	error: (issue: { code?: string; input?: unknown }) =>
		issue.code === 'invalid_union' ? typeMismatch({ expected, input: issue.input }) : undefined,
})

const noSurroundingSpace = (value: string) => value.trim() === value

export const ChatRoleSchema = z.enum(['system', 'user', 'assistant'])

export const ChatMessageSchema = z.strictObject({ role: ChatRoleSchema, content: z.string() })

export const ChatMessagesSchema = z
	.array(ChatMessageSchema)
	.min(1)
	.superRefine((messages, ctx) => {
		if (messages.length > 0 && !messages.some((message) => message.role === 'user')) {
			ctx.addIssue({ code: 'custom', message: 'expected at least one turn with role "user"' })
		}
	})

export const PromptTextSchema = z.string().min(1)

/** Shorthand shapes take either a plain prompt or chat turns (TRL's conversational style). */
export const PromptSchema = z.union(
	[PromptTextSchema, ChatMessagesSchema],
	unionError('a string or a list of chat messages'),
)

export const JsonObjectSchema = z.custom<Record<string, unknown>>(isPlainObject, {
	error: (issue) => typeMismatch({ expected: 'an object', input: issue.input }),
})

export const MetadataSchema = JsonObjectSchema.nullish()

export const ExternalIdSchema = z
	.union(
		[
			z
				.string()
				.min(1)
				.max(MAX_EXTERNAL_ID_LENGTH)
				.refine(noSurroundingSpace, { message: 'must not start or end with whitespace' }),
			z.int(),
		],
		unionError('a string or an integer'),
	)
	.transform(String)

export const ResponseIdSchema = z
	.string()
	.min(1)
	.max(MAX_RESPONSE_ID_LENGTH)
	.refine(noSurroundingSpace, { message: 'must not start or end with whitespace' })

export const ResponseInputSchema = z.strictObject({
	id: ResponseIdSchema.optional(),
	model: z.string().nullish(),
	content: z.string(),
	metadata: MetadataSchema,
})

// Runs even when some responses are malformed, so a line reports all its problems at once.
const whenArray = { when: (payload: { value: unknown }) => Array.isArray(payload.value) }

export const ResponsesSchema = z.array(ResponseInputSchema).superRefine((responses, ctx) => {
	// Fewer than MIN_RESPONSES is allowed: such an item waits for a generation run to fill it.
	if (responses.length > MAX_RESPONSES) {
		ctx.addIssue({
			code: 'custom',
			message: `expected at most ${MAX_RESPONSES} responses (fewer than ${MIN_RESPONSES} wait for generated ones), got ${responses.length}`,
		})
	}
	const firstIndex = new Map<string, number>()
	responses.forEach((response: unknown, index) => {
		const given = isPlainObject(response) ? response.id : undefined
		if (given !== undefined && typeof given !== 'string') return
		const id = given ?? `r${index + 1}`
		const earlier = firstIndex.get(id)
		if (earlier === undefined) {
			firstIndex.set(id, index)
		} else if (given === undefined) {
			ctx.addIssue({
				code: 'custom',
				path: [index],
				message: `the default id "${id}" is already used by responses[${earlier}]; give every response an explicit id`,
			})
		} else {
			ctx.addIssue({
				code: 'custom',
				path: [index, 'id'],
				message: `duplicate response id "${id}" (also used by responses[${earlier}])`,
			})
		}
	})
}, whenArray)

export const GoldRankingSchema = z.strictObject({
	ranking: z
		.array(z.union([z.string(), z.array(z.string()).min(1)], unionError('a response id or a list of response ids')))
		.min(1),
})

/** A response id (the better one, for two responses) or `{ranking: [["r1"], ["r2", "r3"]]}`. */
export const GoldInputSchema = z.union(
	[z.string().min(1), GoldRankingSchema],
	unionError('a response id or an object like {"ranking": [["r1"], ["r2"]]}'),
)

export const CanonicalLineSchema = z
	.object({
		id: ExternalIdSchema,
		prompt: PromptTextSchema.optional(),
		messages: ChatMessagesSchema.optional(),
		responses: ResponsesSchema.optional(),
		metadata: MetadataSchema,
		gold: GoldInputSchema.nullish(),
	})
	.superRefine(
		(line: Record<string, unknown>, ctx) => {
			if (line.prompt !== undefined && line.messages !== undefined) {
				ctx.addIssue({ code: 'custom', path: ['messages'], message: 'give either prompt or messages, not both' })
			} else if (line.prompt === undefined && line.messages === undefined) {
				ctx.addIssue({
					code: 'custom',
					path: ['prompt'],
					message: 'missing: give prompt (a string) or messages (a list of chat turns)',
				})
			}
		},
		{ when: (payload) => isPlainObject(payload.value) },
	)

export const PairwiseLineSchema = z.object({
	id: ExternalIdSchema.nullish(),
	prompt: PromptSchema,
	response_a: z.string(),
	response_b: z.string(),
	model_a: z.string().nullish(),
	model_b: z.string().nullish(),
	metadata: MetadataSchema,
	gold: GoldInputSchema.nullish(),
})

export const PreferenceAnswerSchema = z.union(
	[z.string(), z.array(ChatMessageSchema).min(1)],
	unionError('a string or a list of chat messages'),
)

export const PreferenceLineSchema = z.object({
	id: ExternalIdSchema.nullish(),
	prompt: PromptSchema,
	chosen: PreferenceAnswerSchema,
	rejected: PreferenceAnswerSchema,
	metadata: MetadataSchema,
	gold: GoldInputSchema.nullish(),
})

export type CanonicalLine = z.infer<typeof CanonicalLineSchema>
export type PairwiseLine = z.infer<typeof PairwiseLineSchema>
export type PreferenceLine = z.infer<typeof PreferenceLineSchema>

const EXPECTED_LABELS: Record<string, string> = {
	string: 'a string',
	number: 'a number',
	int: 'an integer',
	boolean: 'true or false',
	array: 'a list',
	object: 'an object',
	record: 'an object',
	null: 'null',
}

const quote = (value: unknown) => JSON.stringify(value)

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, bound: number | bigint, word: string) {
	const input = issue.input
	const actual = typeof input === 'string' || Array.isArray(input) ? input.length : undefined
	if (word === 'at least' && Number(bound) === 1 && actual === 0) return 'must not be empty'
	const plural = Number(bound) === 1 ? '' : 's'
	const unit = issue.origin === 'array' ? `item${plural}` : issue.origin === 'string' ? `character${plural}` : ''
	const target = unit ? `${word} ${bound} ${unit}` : `${word === 'at least' ? '>=' : '<='} ${bound}`
	return actual === undefined ? `expected ${target}` : `expected ${target}, got ${actual}`
}

type Path = readonly PropertyKey[]

function collectErrors(issues: readonly z.core.$ZodIssue[], prefix: Path, out: { path: Path; message: string }[]) {
	const typeFailures = new Set(
		issues.filter((issue) => issue.code === 'invalid_type').map((issue) => formatPath([...prefix, ...issue.path])),
	)
	for (const issue of issues) {
		const path = [...prefix, ...issue.path]
		if (issue.code !== 'invalid_type' && typeFailures.has(formatPath(path))) continue
		switch (issue.code) {
			case 'invalid_type':
				out.push({
					path,
					message: typeMismatch({ expected: EXPECTED_LABELS[issue.expected] ?? issue.expected, input: issue.input }),
				})
				break
			case 'invalid_union': {
				// The branch that failed below its root is the one whose type the input had.
				const matching = issue.errors.find(
					(branch) => !branch.every((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
				)
				if (matching) {
					collectErrors(matching, path, out)
				} else {
					const expected = issue.errors
						.flatMap((branch) =>
							branch.map((inner) => (inner.code === 'invalid_type' ? EXPECTED_LABELS[inner.expected] : undefined)),
						)
						.filter((label): label is string => label !== undefined)
					const generic = typeMismatch({ expected: [...new Set(expected)].join(' or '), input: issue.input })
					out.push({ path, message: issue.message && issue.message !== 'Invalid input' ? issue.message : generic })
				}
				break
			}
			case 'unrecognized_keys':
				for (const key of issue.keys) out.push({ path: [...path, key], message: 'unknown field' })
				break
			case 'invalid_value':
				out.push({
					path,
					message: `expected one of ${issue.values.map(quote).join(', ')}, got ${
						typeof issue.input === 'string' ? quote(issue.input) : typeName(issue.input)
					}`,
				})
				break
			case 'too_small':
				out.push({ path, message: sizeMessage(issue, issue.minimum, 'at least') })
				break
			case 'too_big':
				out.push({ path, message: sizeMessage(issue, issue.maximum, 'at most') })
				break
			default:
				out.push({ path, message: issue.message })
		}
	}
}

/**
 * Turns zod issues into `{path, message}` pairs with readable paths (`responses[0].content`).
 * Issues must come from a parse with `reportInput: true`, so messages can name the type received.
 */
export function fieldErrorsFromIssues({
	issues,
	prefix = [],
}: {
	issues: readonly z.core.$ZodIssue[]
	prefix?: Path
}): FieldError[] {
	const out: { path: Path; message: string }[] = []
	collectErrors(issues, prefix, out)
	const seen = new Set<string>()
	const errors: FieldError[] = []
	for (const { path, message } of out) {
		const error = { path: formatPath(path), message }
		const key = `${error.path}\u0000${message}`
		if (seen.has(key)) continue
		seen.add(key)
		errors.push(error)
	}
	return errors
}
