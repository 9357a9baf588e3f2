import { hash } from 'node:crypto'
import { applyFilters } from './filters.ts'
import { addsConfidence, type DatasetFormat } from './formats/index.ts'
import type { ExportOptions } from './options.ts'
import { countSkip } from './pairs.ts'
import { splitFor } from './split.ts'
import {
	ExportInputError,
	type JsonValue,
	type Row,
	type SkipCounts,
	type SourceJudgment,
	type SplitName,
} from './types.ts'

export type SplitRow = { split: SplitName; row: Row }

export function checkOptionsForFormat({ format, options }: { format: DatasetFormat; options: ExportOptions }) {
	if (options.margin !== 'none' && !format.usesMargin) {
		throw new ExportInputError(`margin: the ${format.name} format has no margin column; use "none"`)
	}
}

/**
 * Turns judgments into split rows: filters, the format's rows, the split and deduplication.
 * Deduplication keeps a digest per distinct row, the only state that grows with the export.
 * Rows with equal keys share a prompt and so a split, so one set serves both splits.
 */
export function createRowPipeline({ format, options }: { format: DatasetFormat; options: ExportOptions }) {
	checkOptionsForFormat({ format, options })
	const skipped: SkipCounts = {}
	const seen = new Set<string>()
	const annotators = new Set<string>()
	let judgmentsRead = 0
	let judgmentsKept = 0
	const dedupeKey = options.dedupe ? format.dedupeKey : null
	const withConfidence = addsConfidence({ format, options })
	// A source yields an item's judgments together, sharing one context object: its split is computed once.
	let lastContext: SourceJudgment['context'] | undefined
	let lastSplit: SplitName = 'train'
	// The dedupe keys of the current item's rows: a row equal to one of them part for part is a
	// duplicate without hashing, which is the common case (annotators agreeing on an item).
	const itemKeys: JsonValue[][] = []

	function push(judgment: SourceJudgment): SplitRow[] {
		judgmentsRead++
		const filter = applyFilters({ judgment, options })
		if (!filter.keep) {
			countSkip(skipped, filter.reason)
			return []
		}
		judgmentsKept++
		if (judgment.annotator !== null) annotators.add(judgment.annotator)
		const output = format.rowsFor({ judgment, options })
		for (const reason in output.skipped)
			countSkip(skipped, reason as keyof SkipCounts, output.skipped[reason as keyof SkipCounts])
		if (output.rows.length === 0) return []
		if (withConfidence) for (const row of output.rows) row.confidence = judgment.confidence
		if (judgment.context !== lastContext) {
			lastContext = judgment.context
			lastSplit = splitFor({ context: judgment.context, split: options.split })
			itemKeys.length = 0
		}
		const split = lastSplit
		const rows: SplitRow[] = new Array(output.rows.length)
		let kept = 0
		for (const row of output.rows) {
			if (dedupeKey) {
				const key = dedupeKey(row)
				if (Array.isArray(key)) {
					if (itemKeys.some((earlier) => sameParts(earlier, key))) {
						countSkip(skipped, 'duplicate')
						continue
					}
					itemKeys.push(key)
				}
				// 96 bits of SHA-256 as a 12-character one-byte string: about half the memory of the full
				// digest, and a collision stays out of reach at billions of rows.
				const digest = hash('sha256', keyText(key), 'binary').slice(0, 12)
				if (seen.has(digest)) {
					countSkip(skipped, 'duplicate')
					continue
				}
				seen.add(digest)
			}
			rows[kept++] = { split, row }
		}
		rows.length = kept
		return rows
	}

	return {
		push,
		summary: () => ({
			judgmentsRead,
			judgmentsKept,
			annotators: annotators.size,
			skipped: sortedSkips(skipped),
		}),
	}
}

/** Equal strings and numbers, part for part; object parts never match, and are left to the digest. */
function sameParts(a: JsonValue[], b: JsonValue[]) {
	if (a.length !== b.length) return false
	for (let i = 0; i < a.length; i++) {
		if (a[i] !== b[i] || (typeof a[i] === 'object' && a[i] !== null)) return false
	}
	return true
}

/**
 * An unambiguous text for a dedupe key: each string part length-prefixed as it is, anything else
 * as JSON. Cheaper than JSON.stringify on long texts, which escapes every character.
 */
function keyText(key: JsonValue) {
	if (!Array.isArray(key)) return `j${JSON.stringify(key)}`
	let text = ''
	for (const part of key)
		text += typeof part === 'string' ? `s${part.length}:${part}` : `j${JSON.stringify(part)}\u0000`
	return text
}

export function sortedSkips(skipped: SkipCounts): SkipCounts {
	return Object.fromEntries(Object.entries(skipped).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** The whole pipeline over an in-memory list, for tests and previews. */
export function formatJudgments({
	judgments,
	format,
	options,
}: {
	judgments: Iterable<SourceJudgment>
	format: DatasetFormat
	options: ExportOptions
}) {
	const pipeline = createRowPipeline({ format, options })
	const splits: Record<SplitName, Row[]> = { train: [], test: [] }
	for (const judgment of judgments) {
		for (const { split, row } of pipeline.push(judgment)) splits[split].push(row)
	}
	return { ...splits, ...pipeline.summary() }
}
