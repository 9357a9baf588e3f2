import { describe, expect, test } from 'vitest'
import { judgment } from '#tests/fixtures/exports/judgments.ts'
import { getDatasetFormat } from './formats/index.ts'
import { ExportOptionsSchema, type ExportOptionsInput } from './options.ts'
import { formatJudgments } from './pipeline.ts'
import type { SourceJudgment } from './types.ts'

/** One item's judgments as the source yields them: consecutive, sharing one context object. */
function item(externalId: string, rankings: string[][][]): SourceJudgment[] {
	const context = { prompt: 'Which is the larger planet?' }
	const responses = [
		{ id: 'r1', model: 'model-alpha', content: 'Jupiter.' },
		{ id: 'r2', model: 'model-beta', content: 'Saturn.' },
	]
	return rankings.map((ranking, index) =>
		judgment({ externalId, judgmentId: `j-${externalId}-${index}`, context, responses, ranking, strength: 2 }),
	)
}

function run(judgments: SourceJudgment[], options: ExportOptionsInput = {}) {
	const result = formatJudgments({
		judgments,
		format: getDatasetFormat({ name: 'trl-preference' }),
		options: ExportOptionsSchema.parse({ split: { test: 0, seed: 0 }, ...options }),
	})
	return {
		pairs: result.train.map((row) => `${JSON.stringify(row.chosen)}>${JSON.stringify(row.rejected)} ${row.group_id}`),
		skipped: result.skipped,
	}
}

describe('deduplication', () => {
	const first = item('p-1', [
		[['r1'], ['r2']],
		[['r1'], ['r2']],
		[['r2'], ['r1']],
	])
	// The same texts imported again under another id: a distinct item whose rows repeat the first's.
	const reimported = item('p-2', [
		[['r2'], ['r1']],
		[['r1'], ['r2']],
	])

	test('drops a pair repeated within an item and across items, keeping the first', () => {
		expect(run([...first, ...reimported])).toEqual({
			pairs: ['"Jupiter.">"Saturn." p-1:j-p-1-0', '"Saturn.">"Jupiter." p-1:j-p-1-2'],
			skipped: { duplicate: 3 },
		})
	})

	test('compares conversational rows, whose parts are objects, by content', () => {
		const { pairs, skipped } = run([...first, ...reimported], { style: 'conversational' })
		expect(pairs).toHaveLength(2)
		expect(skipped).toEqual({ duplicate: 3 })
	})

	test('keeps every row when deduplication is off', () => {
		expect(run([...first, ...reimported], { dedupe: false }).pairs).toHaveLength(5)
	})
})
