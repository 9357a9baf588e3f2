import { z } from 'zod'
import type { Route } from './+types/annotate-submit'
import { submitAndNext } from '#app/modules/assignments/submit-and-next.server.ts'
import { workspaceStateAfterSubmit, workspaceProgress } from '#app/modules/assignments/workspace.server.ts'
import { sessionCredential } from '#app/modules/auth/credential.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { apiRoute, json, methodNotAllowed, problem, readJsonBody } from '#app/utils/http.server.ts'

const SubmitSchema = z.object({ leaseId: z.string().min(1), judgment: z.unknown() })

const sessionExpired = () => problem(401, 'Your session has expired.', { code: 'session_expired' })

/**
 * The workspace's outbox posts judgments here (session cookie, JSON both ways) so it can tell an
 * acknowledgement (201, or 200 for a replay of the same idempotency key) from a failure worth
 * retrying. The session check, the submission and the next claim are one round trip
 * (`submitAndNext`); the answer carries the next item and the progress.
 */
export const action = apiRoute(async ({ request }: Route.ActionArgs) => {
	const credential = sessionCredential(request.headers.get('Cookie'))
	if (!credential) return sessionExpired()
	const body = SubmitSchema.parse(await readJsonBody(request))
	let result
	try {
		result = await submitAndNext({ credential, leaseId: body.leaseId, input: body.judgment, next: true })
	} catch (error) {
		if (error instanceof AppError && error.status === 401) return sessionExpired()
		throw error
	}
	// The judgment is stored: from here on a refusal must not make the client think otherwise.
	let next = null
	try {
		const [work, progress] = await Promise.all([
			workspaceStateAfterSubmit({ next: result.next, project: result.project, user: result.user }),
			workspaceProgress({ projectId: result.project.id, userId: result.user.id }),
		])
		next = { work, progress }
	} catch (error) {
		if (!(error instanceof AppError)) throw error
	}
	return json(
		{
			judgmentId: result.judgment.id,
			replay: result.replay,
			work: next?.work ?? null,
			progress: next?.progress ?? null,
		},
		result.replay ? 200 : 201,
	)
})

export const loader = methodNotAllowed(['POST'])
