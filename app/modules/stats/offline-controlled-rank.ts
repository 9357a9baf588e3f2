import { BATTLE_WINNERS, type BattleWinner } from './bradley-terry.ts'
import { findJsonSyntaxProblem } from './json-syntax.ts'
import { DEFAULT_BOOTSTRAP_ROUNDS, DEFAULT_SEED, OfflineInputError, type RankCommandRow } from './offline.ts'
import type { ResponseStyle } from './response-style.ts'
import { controlledLeaderboard, type ControlFeature, type ControlledBattle } from './style-control.ts'

export type CoefficientOutput = { value: number | null; ci_low: number | null; ci_high: number | null }

export type ControlledRankResult = {
	ratings: RankCommandRow[]
	coefficients: Partial<Record<ControlFeature, CoefficientOutput>>
}

/** FastChat's conv_metadata keys, per side, and what they measure. */
const METADATA_KEYS: Record<'a' | 'b', Record<keyof ResponseStyle, string>> = {
	a: { tokens: 'sum_assistant_a_tokens', headers: 'header_count_a', lists: 'list_count_a', bold: 'bold_count_a' },
	b: { tokens: 'sum_assistant_b_tokens', headers: 'header_count_b', lists: 'list_count_b', bold: 'bold_count_b' },
}

function fail(message: string): never {
	throw new OfflineInputError(message)
}

function show(value: unknown): string {
	if (value === undefined) return 'nothing'
	if (Array.isArray(value)) return 'an array'
	if (value !== null && typeof value === 'object') return 'an object'
	const text = JSON.stringify(value)
	return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

const isCount = (value: unknown): value is number =>
	typeof value === 'number' && Number.isSafeInteger(value) && value >= 0

/** A count is a whole number, or (as in Arena's public data) an object of whole numbers to sum. */
function count(metadata: Record<string, unknown>, key: string, where: string): number {
	const value = metadata[key]
	if (isCount(value)) return value
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		let sum = 0
		for (const [part, n] of Object.entries(value)) {
			if (!isCount(n))
				fail(`${where}"conv_metadata.${key}.${part}" must be a whole number of 0 or more, got ${show(n)}`)
			sum += n
		}
		return sum
	}
	fail(`${where}"conv_metadata.${key}" must be a whole number of 0 or more or an object of them, got ${show(value)}`)
}

/**
 * `quorum rank --style-control / --position-control`: FastChat's compute_style_control on JSONL
 * battles. Style control reads each line's `conv_metadata` (token, header, list and bold counts of
 * both answers); position control reads `"first": "model_a" | "model_b"`, the answer shown first.
 * Ratings as `quorum rank` prints them; coefficients are β, the change in log-odds of model a
 * winning per standard deviation of the feature, with percentile bootstrap intervals.
 */
export function runControlledRankCommand({
	inputText,
	style,
	position,
	bootstrap = DEFAULT_BOOTSTRAP_ROUNDS,
	seed = DEFAULT_SEED,
}: {
	inputText: string
	style: boolean
	position: boolean
	bootstrap?: number
	seed?: number
}): ControlledRankResult {
	if (!Number.isInteger(bootstrap) || bootstrap < 0 || bootstrap > 100_000) {
		fail(`bootstrap must be a whole number of rounds from 0 to 100000, got ${show(bootstrap)}`)
	}
	if (!Number.isSafeInteger(seed)) fail(`seed must be an integer, got ${show(seed)}`)
	const text = inputText.charCodeAt(0) === 0xfeff ? inputText.slice(1) : inputText
	if (text.trim() === '') fail('input is empty')

	const battles: ControlledBattle[] = []
	for (const [i, raw] of text.split('\n').entries()) {
		const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
		if (line.trim() === '') continue
		const where = `line ${i + 1}: `
		let record: unknown
		try {
			record = JSON.parse(line)
		} catch {
			const problem = findJsonSyntaxProblem(line)
			fail(problem ? `${where}invalid JSON at column ${problem.column}: ${problem.message}` : `${where}invalid JSON`)
		}
		if (record === null || typeof record !== 'object' || Array.isArray(record)) {
			fail(`${where}expected a JSON object with "model_a", "model_b" and "winner", got ${show(record)}`)
		}
		const fields = record as Record<string, unknown>
		for (const key of ['model_a', 'model_b'] as const) {
			const name = fields[key]
			if (typeof name !== 'string' || name.trim() === '')
				fail(`${where}"${key}" must be a non-empty string, got ${show(name)}`)
		}
		const winner = fields.winner
		if (typeof winner !== 'string' || !BATTLE_WINNERS.includes(winner as BattleWinner)) {
			fail(
				`${where}unknown winner ${show(winner)}; expected one of ${BATTLE_WINNERS.map((w) => JSON.stringify(w)).join(', ')}`,
			)
		}
		const battle: ControlledBattle = {
			model_a: fields.model_a as string,
			model_b: fields.model_b as string,
			winner: winner as BattleWinner,
		}
		if (battle.model_a === battle.model_b)
			fail(`${where}model_a and model_b are the same model ${show(battle.model_a)}`)
		if (style) {
			const metadata = fields.conv_metadata
			if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
				fail(`${where}"conv_metadata" must be an object of style counts (style control), got ${show(metadata)}`)
			}
			const side = (s: 'a' | 'b'): ResponseStyle => {
				const keys = METADATA_KEYS[s]
				const m = metadata as Record<string, unknown>
				return {
					tokens: count(m, keys.tokens, where),
					headers: count(m, keys.headers, where),
					lists: count(m, keys.lists, where),
					bold: count(m, keys.bold, where),
				}
			}
			battle.styleA = side('a')
			battle.styleB = side('b')
		}
		if (position) {
			const first = fields.first
			if (first !== 'model_a' && first !== 'model_b')
				fail(`${where}"first" must be "model_a" or "model_b" (position control), got ${show(first)}`)
			battle.aFirst = first === 'model_a'
		}
		battles.push(battle)
	}

	const result = controlledLeaderboard({ battles, style, position, bootstrap, seed })
	return {
		ratings: result.rows.map((row) => ({
			model: row.model,
			rating: row.rating,
			ci_low: row.ciLow,
			ci_high: row.ciHigh,
			battles: row.battles,
			rank: row.rank,
		})),
		coefficients: Object.fromEntries(
			result.coefficients.map((c) => [c.feature, { value: c.value, ci_low: c.ciLow, ci_high: c.ciHigh }]),
		),
	}
}
