import { dawidSkene, majorityVote, type DawidSkeneResult } from './dawid-skene.ts'
import { findJsonSyntaxProblem } from './json-syntax.ts'
import { OfflineInputError } from './offline.ts'

export type AggregateMethod = 'dawid-skene' | 'majority'
export const AGGREGATE_METHODS: readonly AggregateMethod[] = ['dawid-skene', 'majority']

export interface AggregateCommandResult {
	method: AggregateMethod
	classes: number
	prior: number[]
	/** Units × classes. */
	posterior: number[][]
	labels: number[]
	confidence: number[]
	reliability: number[]
	/** Observers × true class × given label. */
	confusion: number[][][]
	iterations: number
	converged: boolean
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

function isLabel(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0
}

/**
 * `quorum aggregate`: the consensus label of each unit from `{"data": [[...], ...], "gold"?: [...]}`,
 * one row per observer and one column per unit, labels 0..K-1 or null; gold holds a label or
 * null per unit. K is `classes`, or else one more than the largest label (at least 2).
 */
export function runAggregateCommand({
	inputText,
	method,
	classes,
}: {
	inputText: string
	method: AggregateMethod
	classes?: number
}): AggregateCommandResult {
	if (!AGGREGATE_METHODS.includes(method))
		fail(
			`unknown method ${show(method)}; expected one of ${AGGREGATE_METHODS.map((m) => JSON.stringify(m)).join(', ')}`,
		)
	if (classes !== undefined && (!Number.isInteger(classes) || classes < 2 || classes > 1000))
		fail(`classes must be a whole number from 2 to 1000, got ${show(classes)}`)
	const text = inputText.charCodeAt(0) === 0xfeff ? inputText.slice(1) : inputText
	if (text.trim() === '') fail('input is empty')
	let parsed: unknown
	try {
		parsed = JSON.parse(text)
	} catch {
		const problem = findJsonSyntaxProblem(text)
		fail(
			problem ? `invalid JSON at line ${problem.line}, column ${problem.column}: ${problem.message}` : 'invalid JSON',
		)
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
		fail(`expected a JSON object like {"data": [[...], ...]}, got ${show(parsed)}`)
	if (!('data' in parsed)) fail('"data" is missing: expected {"data": [[...], ...]}, one row per observer')
	const data = parsed.data
	if (!Array.isArray(data)) fail(`data: expected an array of rows (one per observer), got ${show(data)}`)
	if (data.length === 0) fail('data has no rows; need at least one observer (one row each)')
	for (const [r, row] of data.entries()) {
		if (!Array.isArray(row)) fail(`data[${r}]: expected an array of labels (one per unit), got ${show(row)}`)
	}
	const rows = data as unknown[][]
	const width = rows[0]!.length
	if (width === 0) fail('data has no units (columns); need at least one')
	let largest = 1
	for (const [r, row] of rows.entries()) {
		if (row.length !== width)
			fail(`data[${r}]: expected ${width} labels (one per unit, like data[0]), got ${row.length}`)
		for (const [u, value] of row.entries()) {
			if (value === null) continue
			if (!isLabel(value))
				fail(`data[${r}][${u}]: expected a class label (a whole number from 0) or null, got ${show(value)}`)
			if (classes !== undefined && value >= classes)
				fail(`data[${r}][${u}]: label ${value} is not a class 0..${classes - 1} (--classes ${classes})`)
			largest = Math.max(largest, value)
		}
	}
	let gold: (number | null)[] | undefined
	if ('gold' in parsed && parsed.gold !== undefined && parsed.gold !== null) {
		const given = parsed.gold
		if (!Array.isArray(given)) fail(`gold: expected an array with a label or null per unit, got ${show(given)}`)
		if (given.length !== width) fail(`gold: expected ${width} entries (one per unit), got ${given.length}`)
		for (const [u, value] of given.entries()) {
			if (value === null) continue
			if (!isLabel(value))
				fail(`gold[${u}]: expected a class label (a whole number from 0) or null, got ${show(value)}`)
			if (classes !== undefined && value >= classes)
				fail(`gold[${u}]: label ${value} is not a class 0..${classes - 1} (--classes ${classes})`)
			largest = Math.max(largest, value)
		}
		gold = given as (number | null)[]
	}
	const K = classes ?? largest + 1
	if (K > 1000) fail(`labels go up to ${largest}; at most 1000 classes`)
	const input = { data: rows as (number | null)[][], classes: K, gold }
	const result: DawidSkeneResult = method === 'majority' ? majorityVote(input) : dawidSkene(input)
	const rowsOf = (values: Float64Array, size: number) =>
		Array.from({ length: values.length / size }, (_, i) => Array.from(values.subarray(i * size, (i + 1) * size)))
	return {
		method,
		classes: K,
		prior: Array.from(result.prior),
		posterior: rowsOf(result.posterior, K),
		labels: Array.from(result.labels),
		confidence: Array.from(result.confidence),
		reliability: Array.from(result.reliability),
		confusion: Array.from({ length: rows.length }, (_, o) =>
			rowsOf(result.confusion.subarray(o * K * K, (o + 1) * K * K), K),
		),
		iterations: result.iterations,
		converged: result.converged,
	}
}
