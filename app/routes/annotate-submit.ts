import { z } from 'zod'
import type { Route } from './+types/annotate-submit'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import { getWorkspaceProject, nextWorkspaceState, workspaceProgress } from '#app/modules/assignments/workspace.server.ts'
import { getUser } from '#app/modules/auth/require.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { apiRoute, json, methodNotAllowed, problem, readJsonBody } from '#app/utils/http.server.ts'

const SubmitSchema = z.object({ leaseId: z.string().min(1), judgment: z.unknown() })

/**
 * The workspace's outbox posts judgments here (session cookie, JSON both ways) so it can tell an
 * acknowledgement (201, or 200 for a replay of the same idempotency key) from a failure worth
 * retrying. The answer carries the next item, so submit → next stays one round trip.
 */
export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	const user = await getUser(request)
	if (!user) return problem(401, 'Your session has expired.', { code: 'session_expired' })
	const { project } = await getWorkspaceProject({ slug: params.slug, user, withGuidelines: false })
	const body = SubmitSchema.parse(await readJsonBody(request))
	const result = await submitJudgment({ leaseId: body.leaseId, user, input: body.judgment })
	// The judgment is stored: from here on a refusal must not make the client think otherwise.
	let next = null
	try {
		const [work, progress] = await Promise.all([nextWorkspaceState({ slug: params.slug, user, project }), workspaceProgress({ projectId: project.id, userId: user.id })])
		next = { work, progress }
	} catch (error) {
		if (!(error instanceof AppError)) throw error
	}
	return json({ judgmentId: result.judgment.id, replay: result.replay, work: next?.work ?? null, progress: next?.progress ?? null }, result.replay ? 200 : 201)
})

export const loader = methodNotAllowed(['POST'])
