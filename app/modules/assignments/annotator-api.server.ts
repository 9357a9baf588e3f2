import { requireCredential } from '#app/modules/auth/authenticate.server.ts'
import { bearerCredential } from '#app/modules/auth/credential.server.ts'
import { claimNextFor } from './claim-next-for.server.ts'
import { renewLease } from './renew-lease.server.ts'
import type { Assignment } from './serialize-assignment.ts'
import { skipLease } from './skip-lease.server.ts'
import { submitAndNext } from './submit-and-next.server.ts'

/**
 * The annotator's hot API endpoints, independent of the HTTP layer: the same code answers through
 * React Router's routes (`app/routes/api/assignment*.ts`) and through the plain Express handlers
 * the server mounts in front of them (`server/hot-routes.ts`). Each takes the request's parts and
 * returns a status and a JSON body, or throws an AppError for the one error map.
 */
export type Reply = { status: number; body: unknown }

type RequestParts = { authorization: string | null | undefined }

/** An assignment as the API answers it: without the workspace's draft and HTML. */
function withoutDraft({ draft: _draft, rendered: _rendered, ...assignment }: Assignment) {
	return assignment
}

/** POST /api/v1/projects/{slug}/assignments/next */
export async function nextReply({ authorization, slug }: RequestParts & { slug: string }): Promise<Reply> {
	const { assignment } = await claimNextFor({ credential: bearerCredential(authorization), slug })
	return assignment ? { status: 200, body: withoutDraft(assignment) } : { status: 204, body: null }
}

/** POST /api/v1/assignments/{leaseId}/judgment, with `"next": true` in the body or `?next=true` to claim the next item in the same round trip. */
export async function judgmentReply({
	authorization,
	leaseId,
	nextParam,
	readBody,
}: RequestParts & {
	leaseId: string
	nextParam: string | null | undefined
	readBody: () => Promise<unknown>
}): Promise<Reply> {
	const credential = bearerCredential(authorization)
	const body = await readBody().catch(async (error: unknown) => {
		await requireCredential(credential)
		throw error
	})
	const next =
		nextParam === 'true' || (typeof body === 'object' && body !== null && (body as { next?: unknown }).next === true)
	const result = await submitAndNext({ credential, leaseId, input: body, next })
	const status = result.replay ? 200 : 201
	if (!next) return { status, body: { judgment: result.judgment, replay: result.replay } }
	const following = result.next?.state === 'ready' ? withoutDraft(result.next.assignment) : null
	return { status, body: { judgment: result.judgment, replay: result.replay, next: following } }
}

/** POST /api/v1/assignments/{leaseId}/renew */
export async function renewReply({ authorization, leaseId }: RequestParts & { leaseId: string }): Promise<Reply> {
	const user = await requireCredential(bearerCredential(authorization))
	return { status: 200, body: { lease: await renewLease({ leaseId, user }) } }
}

/** POST /api/v1/assignments/{leaseId}/skip; the body (`{reason}`) is optional and a malformed one is ignored. */
export async function skipReply({
	authorization,
	leaseId,
	readBody,
}: RequestParts & { leaseId: string; readBody: () => Promise<unknown> }): Promise<Reply> {
	const user = await requireCredential(bearerCredential(authorization))
	const input = await readBody().catch(() => ({}))
	return { status: 200, body: await skipLease({ leaseId, user, input }) }
}
