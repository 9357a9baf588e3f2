import { arenaLeaderboard, BATTLE_WINNERS, type Battle, type BattleWinner } from './bradley-terry.ts'
import { cohenKappa } from './cohen.ts'
import { fleissKappa } from './fleiss.ts'
import { findJsonSyntaxProblem } from './json-syntax.ts'
import { ALPHA_LEVELS, krippendorffAlpha, type AlphaLevel } from './krippendorff.ts'
import { percentAgreement } from './percent-agreement.ts'

/** Bad input for an offline command; the message is one line naming the problem and where. */
export class OfflineInputError extends Error {
	override name = 'OfflineInputError'
}

export type AgreementMetric = 'krippendorff' | 'fleiss' | 'cohen' | 'percent'
export const AGREEMENT_METRICS: readonly AgreementMetric[] = ['krippendorff', 'fleiss', 'cohen', 'percent']
export type CohenWeights = 'linear' | 'quadratic'
const COHEN_WEIGHTS: readonly CohenWeights[] = ['linear', 'quadratic']

export interface AgreementCommandResult {
	metric: AgreementMetric
	level?: AlphaLevel
	weights?: CohenWeights
	value: number
	/** Units the statistic used: with two or more values (alpha, percent), rated by both (Cohen). */
	units: number
	/** Rows in the input. */
	observers: number
}

export interface RankCommandRow {
	model: string
	rating: number
	ci_low: number
	ci_high: number
	battles: number
	rank: number
}

export const DEFAULT_BOOTSTRAP_ROUNDS = 100
export const DEFAULT_SEED = 42

const METRIC_NAMES: Record<AgreementMetric, string> = {
	krippendorff: "Krippendorff's alpha",
	fleiss: "Fleiss' kappa",
	cohen: "Cohen's kappa",
	percent: 'percent agreement',
}

type Cell = number | string | null

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

function oneOf(values: readonly string[]): string {
	return values.map((v) => JSON.stringify(v)).join(', ')
}

function parseJson(text: string, where: string): unknown {
	try {
		return JSON.parse(text)
	} catch {
		const problem = findJsonSyntaxProblem(text)
		if (!problem) fail(`${where}invalid JSON`)
		const position = where ? `column ${problem.column}` : `line ${problem.line}, column ${problem.column}`
		fail(`${where}invalid JSON at ${position}: ${problem.message}`)
	}
}

function stripBom(text: string): string {
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/**
 * `quorum agreement`: one agreement statistic over `{"data": [[...], ...]}`, one row per
 * observer and one column per unit, null for a missing value.
 * - krippendorff: any level (default nominal); strings only with nominal; ratio needs values >= 0.
 * - fleiss: no missing values; categories are the values present.
 * - cohen: exactly two rows; units missing either rating are dropped; weights need numbers.
 * - percent: pairwise percent agreement (see percentAgreement).
 */
export function runAgreementCommand({
	inputText,
	metric,
	level,
	weights,
}: {
	inputText: string
	metric: AgreementMetric
	level?: AlphaLevel
	weights?: CohenWeights
}): AgreementCommandResult {
	if (!AGREEMENT_METRICS.includes(metric))
		fail(`unknown metric ${show(metric)}; expected one of ${oneOf(AGREEMENT_METRICS)}`)
	if (level !== undefined) {
		if (!ALPHA_LEVELS.includes(level)) fail(`unknown level ${show(level)}; expected one of ${oneOf(ALPHA_LEVELS)}`)
		if (metric !== 'krippendorff') fail(`a level applies only to krippendorff, not to ${metric}`)
	}
	if (weights !== undefined) {
		if (!COHEN_WEIGHTS.includes(weights))
			fail(`unknown weights ${show(weights)}; expected one of ${oneOf(COHEN_WEIGHTS)}`)
		if (metric !== 'cohen') fail(`weights apply only to cohen, not to ${metric}`)
	}
	const alphaLevel: AlphaLevel = level ?? 'nominal'

	const text = stripBom(inputText)
	if (text.trim() === '') fail('input is empty')
	const parsed = parseJson(text, '')
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		fail(`expected a JSON object like {"data": [[...], ...]}, got ${show(parsed)}`)
	}
	if (!('data' in parsed)) fail('"data" is missing: expected {"data": [[...], ...]}, one row per observer')
	const data = parsed.data
	if (!Array.isArray(data)) fail(`data: expected an array of rows (one per observer), got ${show(data)}`)
	if (data.length === 0) fail('data has no rows; need at least two observers (one row each)')
	for (const [r, row] of data.entries()) {
		if (!Array.isArray(row)) fail(`data[${r}]: expected an array of values (one per unit), got ${show(row)}`)
	}
	const rows = data as unknown[][]
	const width = (rows[0] as unknown[]).length
	for (const [r, row] of rows.entries()) {
		if (row.length !== width)
			fail(`data[${r}]: expected ${width} values (one per unit, like data[0]), got ${row.length}`)
	}
	if (metric === 'cohen' && rows.length !== 2) fail(`Cohen's kappa needs exactly two rows (raters), got ${rows.length}`)
	if (rows.length < 2) fail('data has 1 row; need at least two observers (one row each)')
	if (width < 2) fail(`data has ${width} unit${width === 1 ? '' : 's'} (columns); need at least two`)

	const needsNumbers =
		(metric === 'krippendorff' && alphaLevel !== 'nominal') || (metric === 'cohen' && weights !== undefined)
	const why = metric === 'cohen' ? `${weights} weights need numbers` : `the ${alphaLevel} metric needs numbers`
	for (const [r, row] of rows.entries()) {
		for (const [u, value] of row.entries()) {
			const where = `data[${r}][${u}]`
			if (value === null) {
				if (metric === 'fleiss') fail(`${where}: Fleiss' kappa needs every observer to rate every unit, got null`)
				continue
			}
			if (typeof value === 'number') {
				if (!Number.isFinite(value)) fail(`${where}: expected a finite number, got one out of range`)
				if (metric === 'krippendorff' && alphaLevel === 'ratio' && value < 0) {
					fail(`${where}: the ratio metric needs values >= 0, got ${value}`)
				}
				continue
			}
			if (typeof value === 'string') {
				if (needsNumbers) fail(`${where}: expected a number or null (${why}), got ${show(value)}`)
				continue
			}
			fail(`${where}: expected a number, a string or null, got ${show(value)}`)
		}
	}
	const cells = rows as Cell[][]
	const observers = cells.length

	if (metric === 'krippendorff' || metric === 'percent') {
		let value: number
		let units: number
		if (metric === 'krippendorff') {
			;({ alpha: value, units } = krippendorffAlpha({ data: cells, level: alphaLevel }))
		} else {
			;({ agreement: value, units } = percentAgreement({ data: cells }))
		}
		if (units < 2) fail(`only ${units} unit${units === 1 ? ' has' : 's have'} two or more values; need at least two`)
		if (Number.isNaN(value))
			fail(`${METRIC_NAMES[metric]} is undefined: every value is the same, so no disagreement is possible`)
		return metric === 'krippendorff'
			? { metric, level: alphaLevel, value, units, observers }
			: { metric, value, units, observers }
	}

	if (metric === 'cohen') {
		const [a, b] = cells as [Cell[], Cell[]]
		let units = 0
		for (let u = 0; u < width; u++) if (a[u] !== null && b[u] !== null) units++
		if (units < 2) fail(`only ${units} unit${units === 1 ? ' is' : 's are'} rated in both rows; need at least two`)
		const value = cohenKappa({ a, b, weights: weights ?? 'none' })
		if (Number.isNaN(value))
			fail("Cohen's kappa is undefined: both raters used a single category, so chance agreement is 1")
		return weights ? { metric, weights, value, units, observers } : { metric, value, units, observers }
	}

	const subjects = Array.from({ length: width }, (_, u) => cells.map((row) => row[u] as Cell))
	const value = fleissKappa({ ratings: subjects })
	if (Number.isNaN(value))
		fail("Fleiss' kappa is undefined: every rating is the same category, so chance agreement is 1")
	return { metric, value, units: width, observers }
}

/**
 * `quorum rank`: Bradley-Terry ratings on the Elo scale from JSONL battles (one
 * {"model_a", "model_b", "winner"} object a line; other fields are ignored), with percentile
 * bootstrap 95% intervals. Defaults: 100 bootstrap rounds and seed 42, so the same file always
 * gives the same intervals. Sorted best first.
 */
export function runRankCommand({
	inputText,
	bootstrap = DEFAULT_BOOTSTRAP_ROUNDS,
	seed = DEFAULT_SEED,
}: {
	inputText: string
	bootstrap?: number
	seed?: number
}): RankCommandRow[] {
	if (!Number.isInteger(bootstrap) || bootstrap < 0 || bootstrap > 100_000) {
		fail(`bootstrap must be a whole number of rounds from 0 to 100000, got ${show(bootstrap)}`)
	}
	if (!Number.isSafeInteger(seed)) fail(`seed must be an integer, got ${show(seed)}`)
	const text = stripBom(inputText)
	if (text.trim() === '') fail('input is empty')

	const battles: Battle[] = []
	const lines = text.split('\n')
	for (const [i, raw] of lines.entries()) {
		const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
		if (line.trim() === '') continue
		const where = `line ${i + 1}: `
		const record = parseJson(line, where)
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
			fail(`${where}unknown winner ${show(winner)}; expected one of ${oneOf(BATTLE_WINNERS)}`)
		}
		const modelA = fields.model_a as string
		const modelB = fields.model_b as string
		if (modelA === modelB) fail(`${where}model_a and model_b are the same model ${show(modelA)}`)
		battles.push({ model_a: modelA, model_b: modelB, winner: winner as BattleWinner })
	}

	return arenaLeaderboard({ battles, bootstrap, seed }).map((row) => ({
		model: row.model,
		rating: row.rating,
		ci_low: row.ciLow,
		ci_high: row.ciHigh,
		battles: row.battles,
		rank: row.rank,
	}))
}
