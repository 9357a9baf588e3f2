import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { annotatorPseudonym } from '#app/modules/exports/export-source.server.ts'
import { dawidSkene } from '#app/modules/stats/dawid-skene.ts'
import { prisma } from '#app/utils/db.server.ts'
import { makeExportProject } from '#tests/factories/exports.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { makeUser } from '#tests/factories/users.ts'
import { exportNow, jsonlRows } from './helpers/exports.ts'

const exportRoot = await mkdtemp(path.join(tmpdir(), 'quorum-exports-ds-'))
process.env.EXPORT_DIR = exportRoot
afterAll(async () => {
	await rm(exportRoot, { recursive: true, force: true })
})

const GOLD = 12
const ITEMS = 4
/** Gold answers alternate: r1 first on even gold items, r2 on odd ones. */
const goldFirst = (n: number) => (n % 2 === 0 ? 'r1' : 'r2')

/**
 * Two careful annotators and three careless ones who always pick r1. On the gold items the careful
 * are always right and the careless right half the time, so Dawid–Skene learns that a careless
 * vote says nothing. Then on the items:
 * - item-1: the careful two prefer r2, the careless three r1 (a majority for r1);
 * - item-2: everyone prefers r1;
 * - item-3: the careful two split (r1 and r2), the careless three say r1: uncertain;
 * - item-4: the careful two prefer r2, and only two careless annotators judged it, for r1.
 */
async function plantedProject() {
	const { project, annotators } = await makeExportProject({ annotators: 5, items: ITEMS, gold: GOLD })
	const [careful1, careful2, ...careless] = annotators as [SessionUser, SessionUser, ...SessionUser[]]
	await prisma.$executeRaw`UPDATE items SET gold = '{"ranking": [["r2"], ["r1"]]}'::jsonb
		WHERE project_id = ${project.id}::uuid AND is_gold AND (substring(external_id from '(\\d+)$'))::int % 2 = 1`
	const plan: { externalId: string; userId: string; first: 'r1' | 'r2' }[] = []
	for (let n = 1; n <= GOLD; n++) {
		plan.push(
			{ externalId: `gold-${n}`, userId: careful1.id, first: goldFirst(n) },
			{ externalId: `gold-${n}`, userId: careful2.id, first: goldFirst(n) },
		)
		for (const annotator of careless) plan.push({ externalId: `gold-${n}`, userId: annotator.id, first: 'r1' })
	}
	const items: Record<string, ['r1' | 'r2', 'r1' | 'r2', ...('r1' | 'r2')[]]> = {
		'item-1': ['r2', 'r2', 'r1', 'r1', 'r1'],
		'item-2': ['r1', 'r1', 'r1', 'r1', 'r1'],
		'item-3': ['r1', 'r2', 'r1', 'r1', 'r1'],
		'item-4': ['r2', 'r2', 'r1', 'r1'],
	}
	for (const [externalId, firsts] of Object.entries(items)) {
		firsts.forEach((first, index) => plan.push({ externalId, userId: annotators[index]!.id, first }))
	}
	let minute = 0
	for (const { externalId, userId, first } of plan) {
		const ranking = first === 'r1' ? [['r1'], ['r2']] : [['r2'], ['r1']]
		await prisma.$executeRaw`
			INSERT INTO judgments (project_id, item_id, user_id, idempotency_key, display_order, ranking, strength, active_ms, created_at, updated_at)
			SELECT i.project_id, i.id, ${userId}::uuid, ${randomUUID()}, ARRAY['r1', 'r2'], ${JSON.stringify(ranking)}::jsonb, 2, 1000,
				timestamp '2026-03-01 10:00' + ${minute++} * interval '1 minute', timestamp '2026-03-01 10:00' + ${minute} * interval '1 minute'
			FROM items i WHERE i.project_id = ${project.id}::uuid AND i.external_id = ${externalId}`
	}
	// The same estimate straight from the statistics module: observers × units, classes 0 (r1 first) and 1 (r2 first).
	const externalIds = [...Array.from({ length: GOLD }, (_, i) => `gold-${i + 1}`), ...Object.keys(items)]
	const data = annotators.map((annotator) =>
		externalIds.map((externalId) => {
			const entry = plan.find((p) => p.externalId === externalId && p.userId === annotator.id)
			return entry ? (entry.first === 'r1' ? 0 : 1) : null
		}),
	)
	const expected = dawidSkene({
		data,
		classes: 4,
		gold: externalIds.map((id, u) => (u < GOLD ? (goldFirst(u + 1) === 'r1' ? 0 : 1) : null)),
	})
	const engineer = asSessionUser(await makeUser({ roles: ['engineer'] }))
	return { project, annotators, engineer, expected, unitOf: (externalId: string) => externalIds.indexOf(externalId) }
}

type PreferenceRow = {
	prompt: string
	chosen: string
	rejected: string
	group_id: string
	agreement: number | null
	confidence: number | null
}
type RawRow = {
	judgment_id: string | null
	external_id: string
	annotator: string | null
	ranking: string[][]
	confidence: number | null
	annotator_reliability: number | null
	agreement: number | null
}

describe('Dawid–Skene exports', () => {
	test('a reliable minority outweighs an unreliable majority, with the estimated confidence', async () => {
		const { project, engineer, expected, unitOf } = await plantedProject()
		const { result, dir, manifest } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'trl-preference', options: { aggregation: 'dawid-skene', files: ['jsonl'] } },
		})
		expect(result.status).toBe('succeeded')
		expect(manifest.options).toMatchObject({ aggregation: 'dawid-skene' })
		const rows = (await jsonlRows(path.join(dir, 'data/train-00000-of-00001.jsonl'))) as PreferenceRow[]
		const byItem = new Map(rows.map((row) => [row.group_id, row]))
		expect([...byItem.keys()].sort()).toEqual(['item-1', 'item-2', 'item-3', 'item-4'])

		const disputed = byItem.get('item-1')!
		expect(disputed.chosen).toBe('Answer 2 to item 1!')
		expect(disputed.rejected).toBe('Answer 1 to item 1')
		// The posterior of the exported answer, as the statistics module computes it.
		expect(disputed.confidence).toBeCloseTo(expected.confidence[unitOf('item-1')]!, 9)
		expect(expected.labels[unitOf('item-1')]).toBe(1)
		expect(disputed.confidence).toBeGreaterThan(0.9)
		// Agreement is measured against the exported answer: two of five votes.
		expect(disputed.agreement).toBe(0.4)
		expect(byItem.get('item-4')!.chosen).toBe('Answer 2 to item 4!')
		expect(byItem.get('item-3')!.confidence).toBeCloseTo(expected.confidence[unitOf('item-3')]!, 9)
		expect(byItem.get('item-3')!.confidence).toBeLessThan(0.9)

		// The majority consensus of the same judgments picks the majority's answer.
		const majority = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'trl-preference', options: { aggregation: 'consensus', files: ['jsonl'] } },
		})
		const majorityRows = (await jsonlRows(
			path.join(majority.dir, 'data/train-00000-of-00001.jsonl'),
		)) as PreferenceRow[]
		const majorityDisputed = majorityRows.find((row) => row.group_id === 'item-1')!
		expect(majorityDisputed.chosen).toBe('Answer 1 to item 1')
		expect(majorityDisputed).not.toHaveProperty('confidence')
	})

	test('minConfidence leaves out the uncertain items and counts them', async () => {
		const { project, engineer, expected, unitOf } = await plantedProject()
		const threshold = 0.9
		const below = ['item-1', 'item-2', 'item-3', 'item-4'].filter((id) => expected.confidence[unitOf(id)]! < threshold)
		expect(below).toEqual(['item-3'])
		const { result, dir, manifest } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: {
				format: 'trl-preference',
				options: { aggregation: 'dawid-skene', minConfidence: threshold, files: ['jsonl'] },
			},
		})
		expect(result.status).toBe('succeeded')
		const rows = (await jsonlRows(path.join(dir, 'data/train-00000-of-00001.jsonl'))) as PreferenceRow[]
		expect(rows.map((row) => row.group_id).sort()).toEqual(['item-1', 'item-2', 'item-4'])
		expect(manifest.counts.skipped).toMatchObject({ 'below-min-confidence': 1 })

		// Per judgment, the filter drops every judgment of the uncertain item.
		const perJudgment = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'raw', options: { minConfidence: threshold, files: ['jsonl'] } },
		})
		const rawRows = (await jsonlRows(path.join(perJudgment.dir, 'data/train-00000-of-00001.jsonl'))) as RawRow[]
		expect(new Set(rawRows.map((row) => row.external_id))).toEqual(new Set(['item-1', 'item-2', 'item-4']))
		expect(perJudgment.manifest.counts.skipped).toMatchObject({ 'below-min-confidence': 5 })
	})

	test('raw rows carry each judgment annotator reliability', async () => {
		const { project, annotators, engineer, expected, unitOf } = await plantedProject()
		const { result, dir } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'raw', options: { files: ['jsonl'] } },
		})
		expect(result.status).toBe('succeeded')
		const rows = (await jsonlRows(path.join(dir, 'data/train-00000-of-00001.jsonl'))) as RawRow[]
		expect(rows).toHaveLength(19)
		const pseudonyms = annotators.map((annotator) =>
			annotatorPseudonym({ projectId: project.id, userId: annotator.id }),
		)
		for (const row of rows) {
			const o = pseudonyms.indexOf(row.annotator!)
			expect(o).toBeGreaterThanOrEqual(0)
			expect(row.annotator_reliability).toBeCloseTo(expected.reliability[o]!, 9)
			expect(row.confidence).toBeCloseTo(expected.confidence[unitOf(row.external_id)]!, 9)
		}
		expect(expected.reliability[0]).toBeGreaterThan(0.95)
		expect(expected.reliability[2]).toBeLessThan(0.6)

		// Under Dawid–Skene aggregation, raw gives one consensus record per item, with no annotator.
		const consensus = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'raw', options: { aggregation: 'dawid-skene', files: ['jsonl'] } },
		})
		const consensusRows = (await jsonlRows(path.join(consensus.dir, 'data/train-00000-of-00001.jsonl'))) as RawRow[]
		expect(consensusRows).toHaveLength(ITEMS)
		const disputed = consensusRows.find((row) => row.external_id === 'item-1')!
		expect(disputed).toMatchObject({
			judgment_id: null,
			annotator: null,
			annotator_reliability: null,
			ranking: [['r2'], ['r1']],
		})
	})

	test('rankings: each pair of responses is a unit, the answer ordered by wins, its confidence the lowest pair', async () => {
		const { project, annotators } = await makeExportProject({
			annotators: 5,
			items: 2,
			gold: GOLD,
			responses: 3,
			input: { taskType: 'ranking' },
		})
		const engineer = asSessionUser(await makeUser({ roles: ['engineer'] }))
		await prisma.$executeRaw`UPDATE items SET gold = '{"ranking": [["r3"], ["r2"], ["r1"]]}'::jsonb
			WHERE project_id = ${project.id}::uuid AND is_gold AND (substring(external_id from '(\\d+)$'))::int % 2 = 1`
		const forward = [['r1'], ['r2'], ['r3']]
		const backward = [['r3'], ['r2'], ['r1']]
		const goldRanking = (n: number) => (n % 2 === 0 ? forward : backward)
		// Careful annotators (0, 1) follow the gold; careless ones (2-4) always rank r1 > r2 > r3.
		const plan: { externalId: string; o: number; ranking: string[][] }[] = []
		for (let n = 1; n <= GOLD; n++)
			annotators.forEach((_, o) => plan.push({ externalId: `gold-${n}`, o, ranking: o < 2 ? goldRanking(n) : forward }))
		annotators.forEach((_, o) => plan.push({ externalId: 'item-1', o, ranking: o < 2 ? backward : forward }))
		annotators.forEach((_, o) => plan.push({ externalId: 'item-2', o, ranking: forward }))
		for (const { externalId, o, ranking } of plan) {
			await prisma.$executeRaw`
				INSERT INTO judgments (project_id, item_id, user_id, idempotency_key, display_order, ranking, active_ms, created_at, updated_at)
				SELECT i.project_id, i.id, ${annotators[o]!.id}::uuid, ${randomUUID()}, ARRAY['r1', 'r2', 'r3'], ${JSON.stringify(ranking)}::jsonb, 1000, now(), now()
				FROM items i WHERE i.project_id = ${project.id}::uuid AND i.external_id = ${externalId}`
		}
		// Units: three pairs per item, (r1, r2), (r1, r3), (r2, r3); classes better, tie, worse.
		const externalIds = [...Array.from({ length: GOLD }, (_, i) => `gold-${i + 1}`), 'item-1', 'item-2']
		const classOf = (ranking: string[][]) => (ranking === forward ? 0 : 2)
		const data = annotators.map((_, o) =>
			externalIds.flatMap((externalId) => {
				const entry = plan.find((p) => p.externalId === externalId && p.o === o)!
				return [classOf(entry.ranking), classOf(entry.ranking), classOf(entry.ranking)]
			}),
		)
		const gold = externalIds.flatMap((_, u) =>
			u < GOLD ? Array(3).fill(classOf(goldRanking(u + 1))) : [null, null, null],
		)
		const expected = dawidSkene({ data, classes: 3, gold })
		const disputedUnits = [GOLD * 3, GOLD * 3 + 1, GOLD * 3 + 2]

		const { result, dir } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'raw', options: { aggregation: 'dawid-skene', files: ['jsonl'] } },
		})
		expect(result.status).toBe('succeeded')
		const rows = (await jsonlRows(path.join(dir, 'data/train-00000-of-00001.jsonl'))) as RawRow[]
		const disputed = rows.find((row) => row.external_id === 'item-1')!
		expect(disputed.ranking).toEqual(backward)
		expect(disputed.confidence).toBeCloseTo(Math.min(...disputedUnits.map((u) => expected.confidence[u]!)), 9)
		expect(disputed.confidence).toBeGreaterThan(0.9)
		expect(rows.find((row) => row.external_id === 'item-2')!.ranking).toEqual(forward)
	})
})
