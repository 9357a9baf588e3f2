import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { dawidSkene as estimateDawidSkene } from '#app/modules/stats/dawid-skene.ts'
import { prisma } from '#app/utils/db.server.ts'
import { formatNames } from '#exports/formats/index.ts'
import { createComparisonJudgment, makeComparisonProject, type ComparisonOutcome } from '#tests/factories/comparison.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { makeUser } from '#tests/factories/users.ts'
import { checksumMismatches, exportNow, openDuck } from './helpers/exports.ts'

const exportRoot = await mkdtemp(path.join(tmpdir(), 'quorum-exports-comparison-'))
process.env.EXPORT_DIR = exportRoot

let duck: Awaited<ReturnType<typeof openDuck>>
beforeAll(async () => {
	duck = await openDuck()
})
afterAll(async () => {
	duck.close()
	await rm(exportRoot, { recursive: true, force: true })
})

const content = (externalId: string, key: string) => `Answer ${key} to ${externalId}`

/**
 * Three arena items of four responses (r4 has no model: it battles under its key). Seven
 * judgments over five (item, pair) units:
 * - arena-1 (r1, r2): r1 twice, shown in both orders; (r3, r4): r4.
 * - arena-2 (r2, r4): a tie, then r4; (r1, r3): both bad.
 * - arena-3 (r1, r3): r3.
 */
async function arenaProject() {
	const annotators = await Promise.all([1, 2, 3].map(() => makeUser()))
	const project = await makeComparisonProject({
		members: annotators,
		items: ['arena-1', 'arena-2', 'arena-3'].map((externalId) => ({
			externalId,
			prompt: `Prompt ${externalId}`,
			responses: ['r1', 'r2', 'r3', 'r4'].map((key, i) => ({
				key,
				model: i < 3 ? `model-${key}` : null,
				content: content(externalId, key),
			})),
		})),
		input: { overlap: 3 },
	})
	const [u1, u2, u3] = annotators as [(typeof annotators)[number], ...typeof annotators]
	const judgments: [string, string, [string, string], ComparisonOutcome, number | null][] = [
		['arena-1', u1.id, ['r2', 'r1'], { winner: 'r1' }, 2],
		['arena-1', u2!.id, ['r1', 'r2'], { winner: 'r1' }, 1],
		['arena-1', u3!.id, ['r3', 'r4'], { winner: 'r4' }, 3],
		['arena-2', u1.id, ['r4', 'r2'], { tie: true }, null],
		['arena-2', u2!.id, ['r1', 'r3'], { bothBad: true }, null],
		['arena-2', u3!.id, ['r2', 'r4'], { winner: 'r4' }, 1],
		['arena-3', u1.id, ['r3', 'r1'], { winner: 'r3' }, 2],
	]
	let minute = 0
	for (const [externalId, userId, shown, outcome, strength] of judgments)
		await createComparisonJudgment({
			projectId: project.id,
			externalId,
			userId,
			shown,
			outcome,
			strength,
			createdAt: new Date(Date.UTC(2026, 11, 1, 12, minute++)),
		})
	const engineer = asSessionUser(await makeUser({ roles: ['engineer'] }))
	return { project, engineer, judgments }
}

const parquetRows = (dir: string) => duck.rows(path.join(dir, 'data/train-00000-of-00001.parquet'))

describe('exports of a comparison project: one row per judged pair', () => {
	test('every format, per judgment, ties kept: the rows come from the two shown responses', async () => {
		const { project, engineer } = await arenaProject()
		// Per judgment, ties raw, no deduplication: one row per judged pair (two for KTO's pair,
		// none for KTO's plain tie and SFT's tie and both-bad, which name no preferred response).
		const expected: Record<string, number> = {
			raw: 7,
			arena: 7,
			'trl-preference': 7,
			hh: 7,
			'openai-dpo': 5,
			'trl-kto': 12,
			sft: 5,
		}
		expect(Object.keys(expected).sort()).toEqual([...formatNames].sort())
		for (const format of formatNames) {
			const { result, dir, manifest } = await exportNow({
				slug: project.slug,
				user: engineer,
				exportRoot,
				request: { format, options: { ties: 'raw', dedupe: false } },
			})
			expect(result.status, format).toBe('succeeded')
			expect(manifest.counts.judgments, format).toBe(7)
			expect(manifest.counts.train, format).toBe(expected[format])
			expect(await checksumMismatches({ dir, manifest }), format).toEqual([])
			const rows = await parquetRows(dir)
			expect(rows, format).toHaveLength(expected[format]!)
			for (const row of rows) {
				const text = JSON.stringify(row)
				// No row carries a response its judgment did not show.
				if (format !== 'raw' && format !== 'arena') {
					const externalId = /arena-\d/.exec(text)![0]
					const shownKeys = ['r1', 'r2', 'r3', 'r4'].filter((key) => text.includes(content(externalId, key)))
					expect(shownKeys.length, `${format} ${text}`).toBeGreaterThanOrEqual(1)
					expect(shownKeys.length, `${format} ${text}`).toBeLessThanOrEqual(2)
				}
			}
		}
	})

	test('raw keeps the two shown keys in the order shown, and only the two shown responses', async () => {
		const { project, engineer, judgments } = await arenaProject()
		const { dir } = await exportNow({ slug: project.slug, user: engineer, exportRoot, request: { format: 'raw' } })
		const rows = (await parquetRows(dir)) as {
			external_id: string
			display_order: string[]
			ranking: string[][]
			both_bad: boolean
			responses: { id: string; model: string; content: string }[]
		}[]
		// Item by item, pair by pair in stored order, then in the order judged.
		const pairOrder = (shown: string[]) => [...shown].sort().join()
		const expected = [...judgments]
			.map(([externalId, , shown], made) => ({ externalId, shown, made }))
			.sort(
				(x, y) =>
					x.externalId.localeCompare(y.externalId) ||
					pairOrder(x.shown).localeCompare(pairOrder(y.shown)) ||
					x.made - y.made,
			)
		expect(rows.map((row) => [row.external_id, row.display_order])).toEqual(
			expected.map(({ externalId, shown }) => [externalId, shown]),
		)
		for (const row of rows) {
			expect(row.responses.map((response) => response.id)).toEqual([...row.display_order].sort())
			for (const response of row.responses) {
				expect(response.content).toBe(content(row.external_id, response.id))
				expect(response.model).toBe(response.id === 'r4' ? 'r4' : `model-${response.id}`)
			}
		}
		expect(rows[3]).toMatchObject({ both_bad: true, ranking: [['r1', 'r3']], display_order: ['r1', 'r3'] })
	})

	test('arena: model_a is the model shown first; a model-less response battles under its key', async () => {
		const { project, engineer } = await arenaProject()
		const { dir } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'arena', options: { ties: 'raw' } },
		})
		const rows = await parquetRows(dir)
		expect(rows.map((row) => [row.model_a, row.model_b, row.winner])).toEqual([
			['model-r2', 'model-r1', 'model_b'],
			['model-r1', 'model-r2', 'model_a'],
			['model-r3', 'r4', 'model_b'],
			['model-r1', 'model-r3', 'tie (bothbad)'],
			['r4', 'model-r2', 'tie'],
			['model-r2', 'r4', 'model_b'],
			['model-r3', 'model-r1', 'model_a'],
		])
	})

	test('trl-preference: chosen and rejected are the two shown responses; margins from the pair strength', async () => {
		const { project, engineer } = await arenaProject()
		const { dir, manifest } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'trl-preference', options: { dedupe: false, margin: 'llama2-large' } },
		})
		expect(manifest.counts.skipped).toEqual({ tie: 1, 'both-bad': 1 })
		const rows = await parquetRows(dir)
		expect(rows.map((row) => [row.prompt, row.chosen, row.rejected, row.margin])).toEqual([
			['Prompt arena-1', content('arena-1', 'r1'), content('arena-1', 'r2'), 2],
			['Prompt arena-1', content('arena-1', 'r1'), content('arena-1', 'r2'), 1],
			['Prompt arena-1', content('arena-1', 'r4'), content('arena-1', 'r3'), 3],
			['Prompt arena-2', content('arena-2', 'r4'), content('arena-2', 'r2'), 1],
			['Prompt arena-3', content('arena-3', 'r3'), content('arena-3', 'r1'), 2],
		])
	})

	test('consensus aggregation: one record per (item, pair); ties and both-bad count as no winner', async () => {
		const { project, engineer } = await arenaProject()
		const raw = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'raw', options: { aggregation: 'consensus' } },
		})
		const units = (await parquetRows(raw.dir)) as {
			external_id: string
			responses: { id: string }[]
			ranking: string[][]
			agreement: number
		}[]
		expect(units.map((row) => [row.external_id, row.responses.map((response) => response.id), row.ranking])).toEqual([
			['arena-1', ['r1', 'r2'], [['r1'], ['r2']]],
			['arena-1', ['r3', 'r4'], [['r4'], ['r3']]],
			['arena-2', ['r1', 'r3'], [['r1', 'r3']]],
			['arena-2', ['r2', 'r4'], [['r2', 'r4']]],
			['arena-3', ['r1', 'r3'], [['r3'], ['r1']]],
		])
		expect(units.map((row) => row.agreement)).toEqual([1, 1, 1, 0.5, 1])

		const arena = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'arena', options: { aggregation: 'consensus', ties: 'raw' } },
		})
		expect(arena.manifest.counts.train).toBe(5)
		const preference = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'trl-preference', options: { aggregation: 'consensus' } },
		})
		expect(preference.manifest.counts.train).toBe(3)

		const dawidSkene = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'raw', options: { aggregation: 'dawid-skene' } },
		})
		const estimated = (await parquetRows(dawidSkene.dir)) as {
			external_id: string
			responses: { id: string }[]
			ranking: string[][]
			both_bad: boolean
			confidence: number
		}[]
		expect(estimated).toHaveLength(5)
		for (const row of estimated) {
			expect(row.responses).toHaveLength(2)
			expect(row.confidence).toBeGreaterThan(0)
		}
		// Each judged pair is a unit with the four pairwise classes, as on the quality page (a
		// both-bad vote is a class of its own): the same estimate straight from the statistics module.
		// Units in export order; observers u1, u2, u3; classes relative to the pair's stored order.
		const pairUnits: [string, string, string][] = [
			['arena-1', 'r1', 'r2'],
			['arena-1', 'r3', 'r4'],
			['arena-2', 'r1', 'r3'],
			['arena-2', 'r2', 'r4'],
			['arena-3', 'r1', 'r3'],
		]
		const expected = estimateDawidSkene({
			data: [
				[0, null, null, 2, 1],
				[0, null, 3, null, null],
				[null, 1, null, 1, null],
			],
			classes: 4,
			gold: pairUnits.map(() => null),
		})
		expect(estimated.map((row) => [row.external_id, ...row.responses.map((response) => response.id)])).toEqual(
			pairUnits,
		)
		estimated.forEach((row, u) => {
			const [, a, b] = pairUnits[u]!
			const label = expected.labels[u]!
			expect(row.ranking, pairUnits[u]!.join()).toEqual(label === 0 ? [[a], [b]] : label === 1 ? [[b], [a]] : [[a, b]])
			expect(row.both_bad, pairUnits[u]!.join()).toBe(label === 3)
			expect(row.confidence).toBeCloseTo(expected.confidence[u]!, 9)
		})
	})

	test("an adjudication decides its own pair's consensus, not the item's other pairs", async () => {
		const { project, engineer } = await arenaProject()
		const reviewer = await makeUser({ roles: ['reviewer'] })
		const item = await prisma.item.findFirstOrThrow({ where: { projectId: project.id, externalId: 'arena-2' } })
		await prisma.adjudication.create({
			data: { itemId: item.id, reviewerId: reviewer.id, ranking: [['r4'], ['r2']], strength: 2 },
		})
		const { dir } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'raw', options: { aggregation: 'consensus' } },
		})
		const rows = (await parquetRows(dir)) as { external_id: string; ranking: string[][]; adjudicated: boolean }[]
		const arena2 = rows.filter((row) => row.external_id === 'arena-2')
		expect(arena2.map((row) => [row.ranking, row.adjudicated])).toEqual([
			[[['r1', 'r3']], false],
			[[['r4'], ['r2']], true],
		])
	})
})
