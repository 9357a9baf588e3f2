import { describe, expect, test } from 'vitest'
import { action as judgmentAction } from '#app/routes/api/assignment-judgment.ts'
import { action as skipAction } from '#app/routes/api/assignment-skip.ts'
import { action as nextAction, loader as nextLoader } from '#app/routes/api/assignments-next.ts'
import { action as editAction } from '#app/routes/api/judgment.ts'
import { loader as myJudgmentsLoader } from '#app/routes/api/me-judgments.ts'
import { loader as projectJudgmentsLoader } from '#app/routes/api/project-judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { apiRequest, callRoute, makeUserWithToken } from '#tests/factories/users.ts'

type Next = {
	lease: { id: string; expiresAt: string }
	item: { id: string; externalId: string; context: { prompt: string }; responses: { id: string; content: string }[] }
	project: { taskType: string; strength: boolean }
}

async function setup() {
	const annotator = await makeUserWithToken({ roles: ['annotator'] })
	const engineer = await makeUserWithToken({ roles: ['engineer'] })
	const project = await makeProject({ members: [annotator.user], items: 2 })
	return { annotator, engineer, project }
}

describe('assignment API', () => {
	test('next answers the documented shape, then 204 when nothing is left', async () => {
		const { annotator, project } = await setup()
		const first = await callRoute(
			nextAction,
			apiRequest(`/api/v1/projects/${project.slug}/assignments/next`, { token: annotator.token, method: 'POST' }),
			{ slug: project.slug },
		)
		expect(first.status).toBe(200)
		const body = (await first.json()) as Next
		expect(body.item.responses.map((r) => r.id).sort()).toEqual(['r1', 'r2'])
		expect(body.item.context.prompt).toMatch(/^Prompt item/)
		expect(body.project).toMatchObject({ taskType: 'pairwise', strength: true })
		expect(JSON.stringify(body)).not.toContain('model-a')

		const submit = (key: string, leaseId = body.lease.id, ranking = [['r1'], ['r2']]) =>
			callRoute(
				judgmentAction,
				apiRequest(`/api/v1/assignments/${leaseId}/judgment`, {
					token: annotator.token,
					method: 'POST',
					body: { ranking, strength: 1, idempotencyKey: key },
				}),
				{ leaseId },
			)
		const created = await submit('k1')
		expect(created.status).toBe(201)
		expect((await submit('k1')).status).toBe(200)

		const second = (await (
			await callRoute(
				nextAction,
				apiRequest(`/api/v1/projects/${project.slug}/assignments/next`, { token: annotator.token, method: 'POST' }),
				{ slug: project.slug },
			)
		).json()) as Next
		const skipped = await callRoute(
			skipAction,
			apiRequest(`/api/v1/assignments/${second.lease.id}/skip`, {
				token: annotator.token,
				method: 'POST',
				body: { reason: 'unsure' },
			}),
			{ leaseId: second.lease.id },
		)
		expect(skipped.status).toBe(200)
		const none = await callRoute(
			nextAction,
			apiRequest(`/api/v1/projects/${project.slug}/assignments/next`, { token: annotator.token, method: 'POST' }),
			{ slug: project.slug },
		)
		expect(none.status).toBe(204)
	})

	test('validation errors are 422 problem+json naming the field', async () => {
		const { annotator, project } = await setup()
		const next = (await (
			await callRoute(
				nextAction,
				apiRequest(`/api/v1/projects/${project.slug}/assignments/next`, { token: annotator.token, method: 'POST' }),
				{ slug: project.slug },
			)
		).json()) as Next
		const response = await callRoute(
			judgmentAction,
			apiRequest(`/api/v1/assignments/${next.lease.id}/judgment`, {
				token: annotator.token,
				method: 'POST',
				body: { ranking: [['r1']], idempotencyKey: 'x' },
			}),
			{ leaseId: next.lease.id },
		)
		expect(response.status).toBe(422)
		expect(response.headers.get('Content-Type')).toBe('application/problem+json')
		const problem = (await response.json()) as { errors: { path: string; message: string }[] }
		expect(problem.errors).toEqual([
			{ path: 'ranking', message: 'every response must be ranked exactly once; missing r2' },
		])
		const malformed = await callRoute(
			judgmentAction,
			apiRequest(`/api/v1/assignments/${next.lease.id}/judgment`, {
				token: annotator.token,
				method: 'POST',
				body: '{"ranking": [',
			}),
			{ leaseId: next.lease.id },
		)
		expect(malformed.status).toBe(400)
		const unknownLease = await callRoute(
			judgmentAction,
			apiRequest('/api/v1/assignments/not-a-uuid/judgment', {
				token: annotator.token,
				method: 'POST',
				body: { ranking: [['r1'], ['r2']], strength: 1, idempotencyKey: 'y' },
			}),
			{ leaseId: 'not-a-uuid' },
		)
		expect(unknownLease.status).toBe(404)
	})

	test('GET on next is 405, edits append revisions, and only readers list project judgments', async () => {
		const { annotator, engineer, project } = await setup()
		expect((await nextLoader()).status).toBe(405)
		const next = (await (
			await callRoute(
				nextAction,
				apiRequest(`/api/v1/projects/${project.slug}/assignments/next`, { token: annotator.token, method: 'POST' }),
				{ slug: project.slug },
			)
		).json()) as Next
		const created = (await (
			await callRoute(
				judgmentAction,
				apiRequest(`/api/v1/assignments/${next.lease.id}/judgment`, {
					token: annotator.token,
					method: 'POST',
					body: { ranking: [['r1'], ['r2']], strength: 3, idempotencyKey: 'a' },
				}),
				{ leaseId: next.lease.id },
			)
		).json()) as { judgment: { id: string } }
		const edited = await callRoute(
			editAction,
			apiRequest(`/api/v1/judgments/${created.judgment.id}`, {
				token: annotator.token,
				method: 'PATCH',
				body: { ranking: [['r2'], ['r1']], strength: 0 },
			}),
			{ id: created.judgment.id },
		)
		expect(edited.status).toBe(200)
		expect(((await edited.json()) as { judgment: { revision: number } }).judgment.revision).toBe(2)

		const mine = (await (
			await callRoute(myJudgmentsLoader, apiRequest('/api/v1/me/judgments', { token: annotator.token }))
		).json()) as { judgments: { id: string; ranking: string[][] }[] }
		expect(mine.judgments).toEqual([expect.objectContaining({ id: created.judgment.id, ranking: [['r2'], ['r1']] })])

		const forbidden = await callRoute(
			projectJudgmentsLoader,
			apiRequest(`/api/v1/projects/${project.slug}/judgments`, { token: annotator.token }),
			{ slug: project.slug },
		)
		expect(forbidden.status).toBe(403)
		const listed = await callRoute(
			projectJudgmentsLoader,
			apiRequest(`/api/v1/projects/${project.slug}/judgments?limit=1`, { token: engineer.token }),
			{ slug: project.slug },
		)
		expect(listed.status).toBe(200)
		const page = (await listed.json()) as { judgments: { id: string; revision: number }[]; nextCursor: string | null }
		expect(page.judgments).toEqual([expect.objectContaining({ id: created.judgment.id, revision: 2 })])
		expect(page.nextCursor).toBeNull()
		const badCursor = await callRoute(
			projectJudgmentsLoader,
			apiRequest(`/api/v1/projects/${project.slug}/judgments?cursor=nonsense`, { token: engineer.token }),
			{ slug: project.slug },
		)
		expect(badCursor.status).toBe(422)
	})
})
