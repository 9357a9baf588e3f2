import { describe, expect, test } from 'vitest'
import { loader as dawidSkeneLoader } from '#app/routes/api/project-dawid-skene.ts'
import { loader as queueLoader } from '#app/routes/api/project-review-queue.ts'
import { loader as qualityLoader } from '#app/routes/project-quality.tsx'
import { loader as reviewLoader } from '#app/routes/project-review.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { itemNumber, judgeAll, prefer } from '#tests/factories/analytics.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { apiRequest, callRoute, makeUser, makeUserWithSession, makeUserWithToken } from '#tests/factories/users.ts'

type Json = Record<string, unknown>

async function call(
	handler: (args: never) => Promise<Response>,
	path: string,
	token: string | undefined,
	slug: string,
) {
	const response = await callRoute(handler, apiRequest(path, { token }), { slug })
	return { status: response.status, type: response.headers.get('Content-Type'), body: (await response.json()) as Json }
}

/**
 * Three annotators judge twelve pairwise items: `careful` always picks r1; `b` picks r2 alone on
 * items 1–4, `c` alone on items 5–8, and both together on item 9. The majority gives item 9 to
 * r2; Dawid–Skene, having learnt that b and c err and `careful` does not, gives it to r1.
 */
async function splitProject() {
	const [careful, b, c] = await Promise.all([1, 2, 3].map(() => makeUser()))
	const project = await makeProject({
		members: [careful!, b!, c!],
		items: 12,
		input: { overlap: 3, randomizeOrder: false, useStrength: false },
	})
	const errs = { [b!.id]: [1, 2, 3, 4, 9], [c!.id]: [5, 6, 7, 8, 9] } as Record<string, number[]>
	for (const annotator of [careful!, b!, c!]) {
		await judgeAll({
			slug: project.slug,
			annotator,
			decide: (assignment) => ({
				ranking: prefer(assignment, (errs[annotator.id] ?? []).includes(itemNumber(assignment)) ? 'r2' : 'r1'),
			}),
		})
	}
	return { project, careful: careful!, b: b!, c: c! }
}

describe('Dawid–Skene in the product', () => {
	test('the API gives reliabilities and the items where Dawid–Skene overrules the majority; the review queue filters them', async () => {
		const { project, careful, b } = await splitProject()
		const [engineer, annotator] = await Promise.all([
			makeUserWithToken({ roles: ['engineer'] }),
			makeUserWithToken({ roles: ['annotator'] }),
		])
		const path = `/api/v1/projects/${project.slug}/dawid-skene`
		expect((await call(dawidSkeneLoader, path, undefined, project.slug)).status).toBe(401)
		const forbidden = await call(dawidSkeneLoader, path, annotator.token, project.slug)
		expect(forbidden.status).toBe(403)
		expect(forbidden.type).toBe('application/problem+json')

		const result = await call(dawidSkeneLoader, path, engineer.token, project.slug)
		expect(result.status).toBe(200)
		expect(result.body).toMatchObject({
			status: 'ready',
			taskType: 'pairwise',
			items: 12,
			judgments: 36,
			converged: true,
			disagreeCount: 1,
		})
		const annotators = result.body.annotators as { userId: string; reliability: number }[]
		const reliability = new Map(annotators.map((row) => [row.userId, row.reliability]))
		expect(reliability.get(careful.id)!).toBeGreaterThan(reliability.get(b.id)! + 0.2)
		const [first] = result.body.itemList as {
			externalId: string
			disagrees: boolean
			consensus: { ranking: string[][] }
			majority: { ranking: string[][] }
		}[]
		expect(first).toMatchObject({
			externalId: 'item-9',
			disagrees: true,
			consensus: { ranking: [['r1'], ['r2']] },
			majority: { ranking: [['r2'], ['r1']] },
		})

		const queue = await call(
			queueLoader,
			`/api/v1/projects/${project.slug}/review-queue?disagreement=dawid-skene`,
			engineer.token,
			project.slug,
		)
		expect(queue.status).toBe(200)
		expect(queue.body).toMatchObject({
			disagreement: 'dawid-skene',
			dawidSkeneDisagreeCount: 1,
			total: 1,
			items: [{ externalId: 'item-9' }],
		})
		const all = await call(queueLoader, `/api/v1/projects/${project.slug}/review-queue`, engineer.token, project.slug)
		expect(all.body).toMatchObject({ disagreement: null, total: 9 })
	})

	test('the quality page joins each annotator’s reliability and lists the items Dawid–Skene is least sure of', async () => {
		const { project, careful, b } = await splitProject()
		const { cookie } = await makeUserWithSession({ roles: ['engineer'] })
		const request = (path: string) => new Request(`http://localhost${path}`, { headers: { Cookie: cookie } })
		const quality = await callRoute(
			qualityLoader,
			request(`/projects/${project.slug}/quality?sort=reliability&dir=desc`),
			{ slug: project.slug },
		)
		expect(quality.table.rows.map((row) => row.userId)[0]).toBe(careful.id)
		const rowB = quality.table.rows.find((row) => row.userId === b.id)!
		expect(rowB.reliability).toBeLessThan(quality.table.rows[0]!.reliability!)
		expect(quality.dawidSkene).toMatchObject({ disagreeCount: 1, items: 12 })
		expect(quality.dawidSkene!.itemList[0]).toMatchObject({ externalId: 'item-9', disagrees: true })
		const review = await callRoute(
			reviewLoader,
			request(`/projects/${project.slug}/review?status=all&disagreement=dawid-skene`),
			{ slug: project.slug },
		)
		expect(review).toMatchObject({ disagreement: 'dawid-skene', dawidSkeneDisagreeCount: 1, total: 1 })
		expect(await prisma.analyticsSnapshot.count({ where: { projectId: project.id } })).toBe(5)
	})
})
