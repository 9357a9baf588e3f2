import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Assignment } from '#app/modules/assignments/serialize-assignment.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { buildExport } from '#app/modules/exports/build-export.server.ts'
import { annotatorPseudonym } from '#app/modules/exports/export-source.server.ts'
import { requestExport } from '#app/modules/exports/request-export.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import {
	bulkJudgments,
	goodResponseId,
	judgeAll,
	makeExportProject,
	preferGood,
	type Choice,
} from '#tests/factories/exports.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { makeUser } from '#tests/factories/users.ts'
import { checksumMismatches, exportNow, jsonlRows, openDuck } from './helpers/exports.ts'

const exportRoot = await mkdtemp(path.join(tmpdir(), 'quorum-exports-source-'))
process.env.EXPORT_DIR = exportRoot

let duck: Awaited<ReturnType<typeof openDuck>>
beforeAll(async () => {
	duck = await openDuck()
})
afterAll(async () => {
	duck.close()
	await rm(exportRoot, { recursive: true, force: true })
})

const contentOf = (externalId: string, responseId: string) => {
	const n = Number(/-(\d+)$/.exec(externalId)![1])
	return responseId === 'r1' ? `Answer 1 to item ${n}` : `Answer 2 to item ${n}!`
}
const promptOf = (externalId: string) => `Prompt item ${Number(/-(\d+)$/.exec(externalId)![1])}`
const itemOfPrompt = (prompt: string) => `item-${/(\d+)$/.exec(prompt)![1]}`

/**
 * Six pairwise items judged by three annotators through the engine. Everyone prefers the known
 * good response, except that the third annotator calls item-1 a tie and item-3 both bad.
 */
async function judgedProject() {
	const { project, annotators } = await makeExportProject({ annotators: 3, items: 6 })
	const third = annotators[2]!
	const judged = await judgeAll({
		slug: project.slug,
		annotators,
		choose: (assignment: Assignment, annotator: SessionUser): Choice => {
			if (annotator.id === third.id && assignment.item.externalId === 'item-1') return { ranking: [['r1', 'r2']] }
			if (annotator.id === third.id && assignment.item.externalId === 'item-3')
				return { ranking: [['r1', 'r2']], bothBad: true }
			return preferGood(assignment)
		},
	})
	expect(judged).toBe(18)
	const engineer = asSessionUser(await makeUser({ roles: ['engineer'] }))
	return { project, annotators, engineer }
}

/** A split seed that puts these six prompts into both splits at test 0.5. */
async function seedForBothSplits() {
	const { splitFor } = await import('#exports/split.ts')
	const prompts = Array.from({ length: 6 }, (_, i) => `Prompt item ${i + 1}`)
	return String(
		Array.from({ length: 200 }, (_, i) => i).find(
			(seed) =>
				new Set(prompts.map((prompt) => splitFor({ context: { prompt }, split: { test: 0.5, seed: String(seed) } })))
					.size === 2,
		),
	)
}

describe('export source: known preferences through every format', () => {
	test('trl-preference Parquet: the right way round, ties and both-bad dropped, splits disjoint, checksums valid', async () => {
		const { project, engineer } = await judgedProject()
		const seed = await seedForBothSplits()
		const { result, dir, manifest, view } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'trl-preference', options: { dedupe: false, split: { test: 0.5, seed } } },
		})
		expect(result.status).toBe('succeeded')
		expect(view.status).toBe('succeeded')
		expect(view.progress).toBe(1)
		expect(manifest.counts.judgments).toBe(18)
		expect(manifest.counts.skipped).toEqual({ 'both-bad': 1, tie: 1 })
		expect(manifest.counts.train + manifest.counts.test).toBe(16)
		expect(view.rows).toBe(16)
		expect(await checksumMismatches({ dir, manifest })).toEqual([])

		const prompts = { train: new Set<string>(), test: new Set<string>() }
		for (const split of ['train', 'test'] as const) {
			const file = path.join(dir, `data/${split}-00000-of-00001.parquet`)
			expect(existsSync(file), `${split} file`).toBe(true)
			expect(await duck.columns(file)).toMatchObject({ prompt: 'VARCHAR', chosen: 'VARCHAR', rejected: 'VARCHAR' })
			for (const row of await duck.rows(file)) {
				const item = itemOfPrompt(String(row.prompt))
				const good = goodResponseId(item)
				expect(row.chosen).toBe(contentOf(item, good))
				expect(row.rejected).toBe(contentOf(item, good === 'r1' ? 'r2' : 'r1'))
				expect(row.chosen).not.toBe(row.rejected)
				prompts[split].add(String(row.prompt))
			}
		}
		expect(prompts.train.size).toBeGreaterThan(0)
		expect(prompts.test.size).toBeGreaterThan(0)
		expect([...prompts.train].filter((prompt) => prompts.test.has(prompt))).toEqual([])
		expect(await readdir(exportRoot)).not.toContainEqual(expect.stringContaining('.tmp-'))
	})

	test('ties: raw keeps the tie and the both-bad pair, marked', async () => {
		const { project, engineer } = await judgedProject()
		const { dir, manifest } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'trl-preference', options: { dedupe: false, ties: 'raw' } },
		})
		expect(manifest.counts.train).toBe(18)
		const rows = await duck.rows(path.join(dir, 'data/train-00000-of-00001.parquet'))
		expect(rows.filter((row) => row.tie === true)).toHaveLength(2)
		expect(rows.filter((row) => row.tie === false)).toHaveLength(16)
	})

	test('openai-dpo: input messages, preferred and non-preferred outputs (Parquet and JSONL agree)', async () => {
		const { project, engineer } = await judgedProject()
		const { dir, manifest } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'openai-dpo', options: { files: ['parquet', 'jsonl'] } },
		})
		expect(await checksumMismatches({ dir, manifest })).toEqual([])
		const jsonl = await jsonlRows(path.join(dir, 'data/train-00000-of-00001.jsonl'))
		// Three annotators agreeing give one row per item after deduplication; item-1 and item-3 keep their two winners' row.
		expect(jsonl).toHaveLength(6)
		for (const row of jsonl as Array<{
			input: { messages: { role: string; content: string }[] }
			preferred_output: { role: string; content: string }[]
			non_preferred_output: { content: string }[]
		}>) {
			const prompt = row.input.messages.at(-1)!
			expect(prompt.role).toBe('user')
			const item = itemOfPrompt(prompt.content)
			const good = goodResponseId(item)
			expect(row.preferred_output).toEqual([{ role: 'assistant', content: contentOf(item, good) }])
			expect(row.non_preferred_output[0]!.content).toBe(contentOf(item, good === 'r1' ? 'r2' : 'r1'))
		}
		const parquet = await duck.rows(path.join(dir, 'data/train-00000-of-00001.parquet'))
		expect(parquet).toEqual(jsonl)
	})

	test('trl-kto: the preferred completion is labelled true, the other false', async () => {
		const { project, engineer } = await judgedProject()
		const { dir } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'trl-kto', options: {} },
		})
		const rows = await duck.rows(path.join(dir, 'data/train-00000-of-00001.parquet'))
		expect(await duck.columns(path.join(dir, 'data/train-00000-of-00001.parquet'))).toMatchObject({
			prompt: 'VARCHAR',
			completion: 'VARCHAR',
			label: 'BOOLEAN',
		})
		expect(rows.length).toBe(12)
		for (const row of rows) {
			const item = itemOfPrompt(String(row.prompt))
			const good = goodResponseId(item)
			expect(row.completion).toBe(contentOf(item, row.label ? good : good === 'r1' ? 'r2' : 'r1'))
		}
	})

	test('hh: chosen and rejected transcripts end in the right responses', async () => {
		const { project, engineer } = await judgedProject()
		const { dir } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'hh', options: {} },
		})
		const rows = await duck.rows(path.join(dir, 'data/train-00000-of-00001.parquet'))
		expect(rows).toHaveLength(6)
		for (const row of rows) {
			const prompt = /^\n\nHuman: (.*?)\n\nAssistant: /s.exec(String(row.chosen))![1]!
			const item = itemOfPrompt(prompt)
			const good = goodResponseId(item)
			expect(row.chosen).toBe(`\n\nHuman: ${promptOf(item)}\n\nAssistant: ${contentOf(item, good)}`)
			expect(row.rejected).toBe(
				`\n\nHuman: ${promptOf(item)}\n\nAssistant: ${contentOf(item, good === 'r1' ? 'r2' : 'r1')}`,
			)
		}
	})

	test('raw: one row per judgment, pseudonymous annotators, display order and tiers as judged', async () => {
		const { project, annotators, engineer } = await judgedProject()
		const { dir } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'raw', options: { files: ['parquet', 'jsonl'] } },
		})
		const rows = await duck.rows(path.join(dir, 'data/train-00000-of-00001.parquet'))
		expect(rows).toHaveLength(18)
		const pseudonyms = new Set(
			annotators.map((annotator) => annotatorPseudonym({ projectId: project.id, userId: annotator.id })),
		)
		expect(new Set(rows.map((row) => row.annotator))).toEqual(pseudonyms)
		for (const annotator of annotators) expect(JSON.stringify(rows)).not.toContain(annotator.email)
		const stored = await prisma.judgment.findMany({
			where: { projectId: project.id },
			select: { id: true, displayOrder: true, ranking: true, bothBad: true },
		})
		for (const judgment of stored) {
			const row = rows.find((candidate) => candidate.judgment_id === judgment.id)!
			expect(row.display_order).toEqual(judgment.displayOrder)
			expect(row.ranking).toEqual(judgment.ranking)
			expect(row.both_bad).toBe(judgment.bothBad)
			expect(row.agreement).toBeTypeOf('number')
			expect(row.adjudicated).toBe(false)
		}
		// Items come out in import order, each item's judgments in the order they were made.
		const order = rows.map((row) => Number(/(\d+)$/.exec(String(row.external_id))![1]))
		expect(order).toEqual([...order].sort((a, b) => a - b))
	})
})

describe('export source: consensus, adjudication and filters', () => {
	/** Two of three annotators prefer the good response on every item; item-2 is adjudicated the other way. */
	async function disputedProject() {
		const { project, annotators } = await makeExportProject({ annotators: 3, items: 4 })
		const dissenter = annotators[2]!
		await judgeAll({
			slug: project.slug,
			annotators,
			choose: (assignment, annotator) => {
				const choice = preferGood(assignment)
				return annotator.id === dissenter.id ? { ranking: [...choice.ranking].reverse(), strength: 1 } : choice
			},
		})
		const reviewer = await makeUser({ roles: ['reviewer'] })
		const item2 = await prisma.item.findFirstOrThrow({ where: { projectId: project.id, externalId: 'item-2' } })
		await prisma.adjudication.create({
			data: { itemId: item2.id, reviewerId: reviewer.id, ranking: [['r2'], ['r1']], strength: 3, note: 'r2 is right' },
		})
		const engineer = asSessionUser(await makeUser({ roles: ['engineer'] }))
		return { project, engineer }
	}

	test('one row per item from the majority, with its agreement; the adjudication wins', async () => {
		const { project, engineer } = await disputedProject()
		const { dir, manifest } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'raw', options: { aggregation: 'consensus' } },
		})
		expect(manifest.counts.judgments).toBe(4)
		const rows = await duck.rows(path.join(dir, 'data/train-00000-of-00001.parquet'))
		expect(rows).toHaveLength(4)
		for (const row of rows) {
			expect(row.judgment_id).toBeNull()
			expect(row.annotator).toBeNull()
			const item = String(row.external_id)
			if (item === 'item-2') {
				expect(row).toMatchObject({ adjudicated: true, ranking: [['r2'], ['r1']], strength: 3 })
				// item-2's good response is r1 (even), so the adjudication matches one vote in three.
				expect(row.agreement).toBeCloseTo(1 / 3, 5)
			} else {
				const good = goodResponseId(item)
				expect(row.ranking).toEqual([[good], [good === 'r1' ? 'r2' : 'r1']])
				expect(row.adjudicated).toBe(false)
				expect(row.agreement).toBeCloseTo(2 / 3, 5)
			}
		}
	})

	test('minAgreement keeps only agreed items (adjudicated pass); onlyAdjudicated keeps just those', async () => {
		const { project, engineer } = await disputedProject()
		const strict = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'trl-preference', options: { aggregation: 'consensus', minAgreement: 0.7 } },
		})
		expect(strict.manifest.counts.train).toBe(1)
		expect(strict.manifest.counts.skipped).toEqual({ 'below-min-agreement': 3 })
		const [row] = await duck.rows(path.join(strict.dir, 'data/train-00000-of-00001.parquet'))
		expect(row).toMatchObject({
			prompt: 'Prompt item 2',
			chosen: contentOf('item-2', 'r2'),
			rejected: contentOf('item-2', 'r1'),
		})

		const adjudicated = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'raw', options: { onlyAdjudicated: true } },
		})
		expect(adjudicated.manifest.counts.train).toBe(3)
		expect(adjudicated.manifest.counts.skipped).toEqual({ 'not-adjudicated': 9 })
	})

	test('annotators below the gold-accuracy bar are excluded, by pseudonym, and the manifest says who', async () => {
		const { project, annotators } = await makeExportProject({
			annotators: 3,
			items: 3,
			gold: 2,
			input: { goldRate: 0.5 },
		})
		const careless = annotators[0]!
		const { claimNext } = await import('#app/modules/assignments/claim-next.server.ts')
		const { submitJudgment } = await import('#app/modules/assignments/submit-judgment.server.ts')
		for (const annotator of annotators) {
			for (;;) {
				// Gold first (random() < goldRate), so every annotator sees both gold items.
				const assignment = await claimNext({ slug: project.slug, user: annotator, random: () => 0 })
				if (!assignment) break
				const gold = assignment.item.externalId.startsWith('gold')
				const right = gold ? { ranking: [['r1'], ['r2']], strength: 2 } : preferGood(assignment)
				const choice = gold && annotator.id === careless.id ? { ranking: [['r2'], ['r1']], strength: 2 } : right
				await submitJudgment({
					leaseId: assignment.lease.id,
					user: annotator,
					input: { ...choice, idempotencyKey: `${assignment.lease.id}-gold` },
				})
			}
		}
		const engineer = asSessionUser(await makeUser({ roles: ['engineer'] }))
		const { dir, manifest } = await exportNow({
			slug: project.slug,
			user: engineer,
			exportRoot,
			request: { format: 'raw', options: { minGoldAccuracy: 0.5 } },
		})
		const excluded = annotatorPseudonym({ projectId: project.id, userId: careless.id })
		expect(manifest.options.excludeAnnotators).toEqual([excluded])
		expect(manifest.counts.judgments).toBe(9)
		expect(manifest.counts.skipped).toEqual({ 'excluded-annotator': 3 })
		const rows = await duck.rows(path.join(dir, 'data/train-00000-of-00001.parquet'))
		expect(rows).toHaveLength(6)
		expect(rows.map((row) => row.annotator)).not.toContain(excluded)
		expect(rows.map((row) => row.external_id)).not.toContainEqual(expect.stringMatching(/^gold/))
	})
})

describe('export source: batches across connections, one snapshot', () => {
	test('one item per batch gives the same files as the default batches, in import order', async () => {
		const { project, engineer } = await judgedProject()
		const request = { format: 'raw' as const, options: { files: ['parquet' as const, 'jsonl' as const] } }
		const whole = await exportNow({ slug: project.slug, user: engineer, exportRoot, request })
		const created = await requestExport({ slug: project.slug, user: engineer, input: request })
		let batches = 0
		const result = await buildExport({
			exportId: created.id,
			batchItems: 1,
			hooks: { afterBatch: async () => void batches++ },
		})
		expect(result).toEqual({ status: 'succeeded', rows: 18 })
		expect(batches).toBe(6)
		for (const file of ['data/train-00000-of-00001.parquet', 'data/train-00000-of-00001.jsonl']) {
			expect(await readFile(path.join(exportRoot, created.id, file)), file).toEqual(
				await readFile(path.join(whole.dir, file)),
			)
		}
		const order = (await jsonlRows(path.join(whole.dir, 'data/train-00000-of-00001.jsonl'))).map((row) =>
			Number(/(\d+)$/.exec(String(row.external_id))![1]),
		)
		expect(order).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6])
	})

	test('judgments made after the export started stay out of it, on every connection', async () => {
		const { project, engineer } = await judgedProject()
		const late = await makeUser({ roles: ['annotator'] })
		const created = await requestExport({ slug: project.slug, user: engineer, input: { format: 'raw', options: {} } })
		let batches = 0
		const result = await buildExport({
			exportId: created.id,
			batchItems: 1,
			hooks: {
				afterBatch: async () => {
					// After the first item: a judgment on every item, the later ones still unread by either connection.
					if (++batches === 1) await bulkJudgments({ projectId: project.id, annotators: [late] })
				},
			},
		})
		expect(result).toEqual({ status: 'succeeded', rows: 18 })
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(24)
		const rows = await duck.rows(path.join(exportRoot, created.id, 'data/train-00000-of-00001.parquet'))
		expect(rows).toHaveLength(18)
		expect(rows.map((row) => row.annotator)).not.toContain(
			annotatorPseudonym({ projectId: project.id, userId: late.id }),
		)
	})
})
