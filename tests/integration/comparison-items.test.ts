import { describe, expect, test } from 'vitest'
import { loader as itemsApiLoader } from '#app/routes/api/project-items.ts'
import { loader as itemsPageLoader } from '#app/routes/project-items.tsx'
import { createComparisonJudgment, makeComparisonProject } from '#tests/factories/comparison.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { apiRequest, callRoute, makeUser, makeUserWithSession, makeUserWithToken } from '#tests/factories/users.ts'

/** arena-1 of three responses (r3 without a model): (r1, r2) judged three times, (r2, r3) once. */
async function judgedArena() {
	const annotators = await Promise.all([1, 2, 3, 4].map(() => makeUser()))
	const project = await makeComparisonProject({
		members: annotators,
		items: [
			{
				externalId: 'arena-1',
				responses: [
					{ key: 'r1', model: 'alpha' },
					{ key: 'r2', model: 'beta' },
					{ key: 'r3', model: null },
				],
			},
			{ externalId: 'arena-2', responses: [{ key: 'r1' }, { key: 'r2' }] },
		],
		input: { overlap: 4 },
	})
	const judge = (
		i: number,
		shown: [string, string],
		outcome: Parameters<typeof createComparisonJudgment>[0]['outcome'],
	) =>
		createComparisonJudgment({
			projectId: project.id,
			externalId: 'arena-1',
			userId: annotators[i]!.id,
			shown,
			outcome,
		})
	await judge(0, ['r2', 'r1'], { winner: 'r1' })
	await judge(1, ['r1', 'r2'], { winner: 'r2' })
	await judge(2, ['r1', 'r2'], { tie: true })
	await judge(3, ['r3', 'r2'], { bothBad: true })
	return project
}

const arena1Battles = [
	{ pair: ['r1', 'r2'], battles: 3, wins: [1, 1], ties: 1, bothBad: 0 },
	{ pair: ['r2', 'r3'], battles: 1, wins: [0, 0], ties: 0, bothBad: 1 },
]

describe('items of a comparison project', () => {
	test('the items API gives each response its model and each item its battles per pair', async () => {
		const project = await judgedArena()
		const { token } = await makeUserWithToken({ roles: ['engineer'] })
		const response = await callRoute(itemsApiLoader, apiRequest(`/api/v1/projects/${project.slug}/items`, { token }), {
			slug: project.slug,
		})
		expect(response.status).toBe(200)
		const body = (await response.json()) as {
			items: { externalId: string; responses: { id: string; model: string | null }[]; battles: unknown[] }[]
		}
		const [first, second] = body.items
		expect(first!.responses.map((r) => [r.id, r.model])).toEqual([
			['r1', 'alpha'],
			['r2', 'beta'],
			['r3', null],
		])
		expect(first!.battles).toEqual(arena1Battles)
		expect(second!.battles).toEqual([])
	})

	test('the items page lists the models and the battles per pair; other projects show models only', async () => {
		const project = await judgedArena()
		const { cookie } = await makeUserWithSession({ roles: ['admin'] })
		const page = await callRoute(
			itemsPageLoader,
			new Request(`http://localhost/projects/${project.slug}/items?sort=seq`, { headers: { Cookie: cookie } }),
			{ slug: project.slug },
		)
		expect(page.items.map((item) => [item.externalId, item.models, item.battles])).toEqual([
			['arena-1', ['alpha', 'beta', null], arena1Battles],
			['arena-2', ['model-r1', 'model-r2'], []],
		])

		const pairwise = await makeProject({ items: 1 })
		const plain = await callRoute(
			itemsPageLoader,
			new Request(`http://localhost/projects/${pairwise.slug}/items`, { headers: { Cookie: cookie } }),
			{ slug: pairwise.slug },
		)
		expect(plain.items[0]).toMatchObject({ models: ['model-a', 'model-b'] })
		expect(plain.items[0]).not.toHaveProperty('battles')
	})
})
