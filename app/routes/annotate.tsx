import { data, isRouteErrorResponse, type ShouldRevalidateFunctionArgs } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/annotate'
import { Workspace } from '#app/components/workspace/workspace.tsx'
import { renewLease } from '#app/modules/assignments/renew-lease.server.ts'
import { saveDraft } from '#app/modules/assignments/save-draft.server.ts'
import { skipLease } from '#app/modules/assignments/skip-lease.server.ts'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import {
	getWorkspaceProject,
	lastJudgmentId,
	nextWorkspaceState,
	workspaceProgress,
} from '#app/modules/assignments/workspace.server.ts'
import { getUser, requireUser } from '#app/modules/auth/require.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { route } from '#app/utils/route.server.ts'
import katexStyles from 'katex/dist/katex.min.css?url'
import highlightStyles from 'highlight.js/styles/github.css?url'

export const links: Route.LinksFunction = () => [
	{ rel: 'stylesheet', href: katexStyles },
	{ rel: 'stylesheet', href: highlightStyles },
]

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.project.name ?? 'Annotate'} · Quorum` }]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	const { project, guidelines } = await getWorkspaceProject({ slug: params.slug, user })
	const [work, progress, lastId] = await Promise.all([
		nextWorkspaceState({ slug: params.slug, user, project }),
		workspaceProgress({ projectId: project.id, userId: user.id }),
		lastJudgmentId({ projectId: project.id, userId: user.id }),
	])
	return { project, guidelines, work, progress, lastJudgmentId: lastId }
})

// The workspace keeps its own state between items, so submitting does not reload the page.
export function shouldRevalidate({ formAction, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
	if (formAction && /\/annotate$/.test(formAction)) return false
	return defaultShouldRevalidate
}

const ActionSchema = z.discriminatedUnion('intent', [
	z.object({ intent: z.literal('submit'), leaseId: z.string(), judgment: z.unknown() }),
	z.object({ intent: z.literal('skip'), leaseId: z.string(), reason: z.string().max(500).optional() }),
	z.object({ intent: z.literal('renew'), leaseId: z.string() }),
	z.object({ intent: z.literal('draft'), leaseId: z.string(), draft: z.json() }),
	z.object({ intent: z.literal('next') }),
])

export async function action({ request, params }: Route.ActionArgs) {
	// An expired session must not navigate away from a half-done item: answer 401 and let the page
	// keep the draft while the person logs in again.
	const user = await getUser(request)
	if (!user)
		return data({ ok: false as const, error: 'session_expired', message: 'Your session has expired.' }, { status: 401 })
	try {
		const body = ActionSchema.parse(await request.json())
		if (body.intent === 'renew')
			return { ok: true as const, intent: body.intent, lease: await renewLease({ leaseId: body.leaseId, user }) }
		if (body.intent === 'draft') {
			await saveDraft({ leaseId: body.leaseId, user, draft: body.draft })
			return { ok: true as const, intent: body.intent }
		}
		let judgmentId: string | null = null
		if (body.intent === 'submit') {
			const result = await submitJudgment({ leaseId: body.leaseId, user, input: body.judgment })
			judgmentId = result.judgment.id
		}
		if (body.intent === 'skip') await skipLease({ leaseId: body.leaseId, user, input: { reason: body.reason } })
		const { project } = await getWorkspaceProject({ slug: params.slug, user, withGuidelines: false })
		const [work, progress] = await Promise.all([
			nextWorkspaceState({ slug: params.slug, user, project }),
			workspaceProgress({ projectId: project.id, userId: user.id }),
		])
		return { ok: true as const, intent: body.intent, judgmentId, work, progress }
	} catch (error) {
		if (error instanceof AppError) {
			return data(
				{
					ok: false as const,
					error: error.code,
					message: error.message,
					fieldErrors: error.fieldErrors ?? [],
					reason: (error.extra?.reason as string) ?? null,
				},
				{ status: error.status },
			)
		}
		if (error instanceof z.ZodError)
			return data(
				{ ok: false as const, error: 'BAD_REQUEST', message: 'Malformed request', fieldErrors: [], reason: null },
				{ status: 400 },
			)
		throw error
	}
}

// Offline, a draft save or a lease renewal must not replace the workspace with the error page.
export async function clientAction({ serverAction }: Route.ClientActionArgs) {
	try {
		return await serverAction()
	} catch (error) {
		if (isRouteErrorResponse(error)) throw error
		return {
			ok: false as const,
			error: 'unreachable',
			message: 'The server cannot be reached. Check your connection; nothing you chose is lost.',
			fieldErrors: [],
			reason: null,
		}
	}
}

export default function AnnotatePage({ loaderData }: Route.ComponentProps) {
	return <Workspace key={loaderData.project.id} {...loaderData} />
}
