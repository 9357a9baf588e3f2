import type { TaskType } from '#app/generated/prisma/enums.ts'
import { asksStrength, labelsFor, STRENGTH_WORDS } from './judge-template.ts'

/** A parsed verdict over response keys: `ranking` tiers, best first. */
export type Verdict = {
	ranking: string[][]
	strength?: number
	confidence?: number
	rationale?: string
}

export type VerdictRules = { taskType: TaskType; useStrength: boolean }

/** The `response_format` asked for: the ranking as tiers of the shown labels. */
export function verdictResponseFormat({ count, ...rules }: VerdictRules & { count: number }) {
	const labels = labelsFor(count)
	const properties: Record<string, unknown> = {
		ranking: {
			type: 'array',
			description: 'Tiers of response labels, best first; labels in one tier are tied',
			items: { type: 'array', items: { type: 'string', enum: labels }, minItems: 1 },
			minItems: 1,
		},
		confidence: { type: 'number', minimum: 0, maximum: 1 },
		rationale: { type: 'string' },
	}
	if (asksStrength(rules)) properties.strength = { type: 'integer', minimum: 0, maximum: 3 }
	return {
		type: 'json_schema' as const,
		json_schema: {
			name: 'verdict',
			strict: false,
			schema: { type: 'object', properties, required: ['ranking'], additionalProperties: false },
		},
	}
}

export type ParseResult = { ok: true; verdict: Verdict } | { ok: false; reason: string }

const THINK_BLOCK = /<think>[\s\S]*?<\/think>/gi
const OPEN_THINK = /<think>[\s\S]*$/i

/** Reasoning blocks are never the verdict; an unclosed one runs to the end. */
function stripThinking(text: string) {
	return text.replace(THINK_BLOCK, ' ').replace(OPEN_THINK, ' ')
}

/** Every balanced `{...}` in the text, outermost first, strings respected. */
function jsonObjects(text: string): string[] {
	const found: string[] = []
	for (let start = text.indexOf('{'); start !== -1;) {
		let depth = 0
		let inString = false
		let end = -1
		for (let i = start; i < text.length; i++) {
			const char = text[i]
			if (inString) {
				if (char === '\\') i++
				else if (char === '"') inString = false
				continue
			}
			if (char === '"') inString = true
			else if (char === '{') depth++
			else if (char === '}' && --depth === 0) {
				end = i
				break
			}
		}
		if (end === -1) break
		found.push(text.slice(start, end + 1))
		start = text.indexOf('{', end + 1)
	}
	return found
}

function parseLoose(candidate: string): unknown {
	try {
		return JSON.parse(candidate)
	} catch {
		// Trailing commas and single-quoted strings are the usual slips.
		try {
			return JSON.parse(candidate.replace(/,\s*([}\]])/g, '$1').replace(/'([^'"\\]*)'/g, '"$1"'))
		} catch {
			return undefined
		}
	}
}

/** "A", "a", "Response A", "[[B]]", "Assistant B", "(A)" → "A"; anything else → null. */
function normalizeLabel(value: unknown, labels: string[]): string | null {
	if (typeof value !== 'string') return null
	const cleaned = value
		.trim()
		.replace(/^[[("'`*\s]+|[\])"'`*.:\s]+$/g, '')
		.replace(/^(response|assistant|answer|output|option|model)\s*/i, '')
		.trim()
		.toUpperCase()
	return labels.includes(cleaned) ? cleaned : null
}

const TIE_WORDS = /^\s*(tie|tied|draw|equal|equally good|equally bad|same|both|neither|none|c)\s*$/i

function field(object: Record<string, unknown>, names: string[]) {
	for (const [key, value] of Object.entries(object)) if (names.includes(key.toLowerCase())) return value
	return undefined
}

type LabelRanking = { tiers: string[][] } | { error: string }

/** Tiers from `[["B"], ["A"]]`, `["B", "A"]`, `"B > A"`, or a winner. */
function rankingFrom(value: unknown, labels: string[]): LabelRanking | null {
	if (Array.isArray(value)) {
		const tiers: string[][] = []
		for (const entry of value) {
			const members = Array.isArray(entry) ? entry : [entry]
			const tier: string[] = []
			for (const member of members) {
				const label = normalizeLabel(member, labels)
				if (!label) return { error: `the ranking names "${String(member)}", which is not one of ${labels.join(', ')}` }
				tier.push(label)
			}
			if (tier.length) tiers.push(tier)
		}
		return { tiers }
	}
	if (typeof value === 'string') {
		if (TIE_WORDS.test(value) && labels.length === 2) return { tiers: [labels.slice()] }
		if (/[>,]/.test(value)) return rankingFrom(value.split(/\s*>\s*|\s*,\s*/), labels)
		const label = normalizeLabel(value, labels)
		if (label) return { tiers: [[label], labels.filter((other) => other !== label)] }
	}
	return null
}

function checkTiers(tiers: string[][], labels: string[]): string | null {
	const seen = new Set<string>()
	for (const label of tiers.flat()) {
		if (seen.has(label)) return `the ranking names ${label} twice`
		seen.add(label)
	}
	const missing = labels.filter((label) => !seen.has(label))
	if (missing.length) return `the ranking leaves out ${missing.join(', ')}`
	return null
}

function strengthFrom(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 3) return value
	if (typeof value === 'string') {
		const word = STRENGTH_WORDS.indexOf(value.trim().toLowerCase() as (typeof STRENGTH_WORDS)[number])
		if (word !== -1) return word
		if (/^[0-3]$/.test(value.trim())) return Number(value.trim())
	}
	return undefined
}

/** Confidence in words, for judges without structured output. */
const CONFIDENCE_WORDS: Record<string, number> = { low: 0.25, medium: 0.5, moderate: 0.5, high: 0.9, 'very high': 0.95 }

/**
 * A stated confidence as 0..1. One that is stated but cannot be read is 0, so that hybrid routing
 * never takes an unreadable confidence for a sure verdict.
 */
function confidenceFrom(value: unknown): number | undefined {
	if (value === undefined || value === null) return undefined
	const parsed = readConfidence(value)
	return parsed === undefined ? 0 : parsed
}

function readConfidence(value: unknown): number | undefined {
	if (typeof value === 'string' && CONFIDENCE_WORDS[value.trim().toLowerCase()] !== undefined)
		return CONFIDENCE_WORDS[value.trim().toLowerCase()]
	const number = typeof value === 'string' ? Number(value.trim().replace(/%$/, '')) : value
	if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) return undefined
	if (number <= 1) return number
	// A percentage.
	if (number <= 100) return number / 100
	return undefined
}

function verdictFromObject(object: Record<string, unknown>, labels: string[]): LabelRanking {
	const rankingValue = field(object, ['ranking', 'rank', 'order', 'ranks'])
	const winnerValue = field(object, [
		'winner',
		'choice',
		'preferred',
		'preference',
		'better',
		'verdict',
		'answer',
		'best',
	])
	const ranking = rankingFrom(rankingValue ?? winnerValue, labels)
	if (!ranking) return { error: 'the JSON has no "ranking" (or winner) the judge could be read from' }
	return ranking
}

/**
 * Reads a judge's answer, however it came: a JSON object (bare, in a code fence, amid prose or
 * after a `<think>` block), or failing that a plain verdict such as "A", "[[B]]", "tie" or
 * "B > A > C". Labels are matched in any case. Returns the ranking over `keys` (the response keys
 * in the order shown), or why it could not be read: such an answer is a failed call, never a
 * judgment.
 */
export function parseVerdict({
	text,
	keys,
	rules,
}: {
	text: string
	keys: string[]
	rules: VerdictRules
}): ParseResult {
	const labels = labelsFor(keys.length)
	const body = stripThinking(text ?? '').trim()
	if (!body) return { ok: false, reason: 'the answer is empty (or only reasoning)' }

	let parsed: (LabelRanking & { object?: Record<string, unknown> }) | null = null
	const fenced = [...body.matchAll(/```(?:json|JSON)?\s*([\s\S]*?)```/g)].map((match) => match[1]!)
	const candidates = [...fenced.flatMap(jsonObjects), ...jsonObjects(body)]
	let firstError: string | null = null
	for (const candidate of candidates) {
		const value = parseLoose(candidate)
		if (!value || typeof value !== 'object' || Array.isArray(value)) continue
		const object = value as Record<string, unknown>
		const ranking = verdictFromObject(object, labels)
		if ('tiers' in ranking) {
			parsed = { ...ranking, object }
			break
		}
		firstError ??= ranking.error
	}
	if (!parsed) {
		const plain = plainVerdict(body, labels)
		if (!plain)
			return {
				ok: false,
				reason: firstError ?? 'no verdict found: the answer holds no JSON object and no plain choice',
			}
		parsed = plain
	}
	if ('error' in parsed) return { ok: false, reason: parsed.error }
	const problem = checkTiers(parsed.tiers, labels)
	if (problem) return { ok: false, reason: problem }

	const byLabel = new Map(labels.map((label, i) => [label, keys[i]!]))
	const verdict: Verdict = { ranking: parsed.tiers.map((tier) => tier.map((label) => byLabel.get(label)!)) }
	const object = parsed.object
	if (object) {
		const strength = strengthFrom(field(object, ['strength', 'margin']))
		if (strength !== undefined && asksStrength(rules) && verdict.ranking.length > 1) verdict.strength = strength
		const confidence = confidenceFrom(field(object, ['confidence', 'certainty']))
		if (confidence !== undefined) verdict.confidence = confidence
		const rationale = field(object, ['rationale', 'reason', 'reasoning', 'explanation', 'justification'])
		if (typeof rationale === 'string' && rationale.trim()) verdict.rationale = rationale.trim().slice(0, 4000)
	}
	return { ok: true, verdict }
}

/** A verdict without JSON: "[[A]]", "Response B is better", "Tie", "B > A > C". */
function plainVerdict(body: string, labels: string[]): LabelRanking | null {
	const bracketed = /\[\[\s*([A-Za-z]+)\s*\]\]/.exec(body)
	if (bracketed) {
		const word = bracketed[1]!
		if (TIE_WORDS.test(word) && labels.length === 2) return { tiers: [labels.slice()] }
		return rankingFrom(word, labels)
	}
	const lines = body
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean)
	const last = lines.at(-1) ?? ''
	for (const line of [last, body.trim()]) {
		const stripped = line.replace(/^(final\s+)?(verdict|answer|winner|choice|ranking)\s*[:=-]\s*/i, '').trim()
		if (TIE_WORDS.test(stripped.replace(/[.!*]+$/, '')) && labels.length === 2) return { tiers: [labels.slice()] }
		if (/^[A-Za-z]{1,9}(\s*[>,]\s*[A-Za-z ]{1,20})+\.?$/.test(stripped)) {
			const ranking = rankingFrom(stripped.replace(/\.$/, ''), labels)
			if (ranking) return ranking
		}
		const single = normalizeLabel(stripped, labels)
		if (single) return { tiers: [[single], labels.filter((other) => other !== single)] }
	}
	if (labels.length === 2) {
		// Only the plain statement: "Response B is better". Anything looser ("Compared with
		// Response A, Response B is better", "A is not better") can name the wrong response, and a
		// verdict that agrees with itself in both orders would store it; such answers fail instead.
		const better =
			/\b(?:Response|Assistant)\s+([AB])\s+(?:is|was)\s+(?:(?:clearly|much|slightly|significantly|far|somewhat|definitely|overall)\s+)?(?:better|superior|preferred|stronger)\b/.exec(
				body,
			)
		if (better && !/\bnot\b/i.test(body.slice(better.index, better.index + better[0].length + 12)))
			return rankingFrom(better[1]!, labels)
		const prefer = /\bI prefer (?:Response|Assistant) ([AB])\b/.exec(body)
		if (prefer) return rankingFrom(prefer[1]!, labels)
	}
	return null
}
