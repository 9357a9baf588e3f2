import { useMemo } from 'react'
import { data, Link, redirect, useFetcher } from 'react-router'
import type { Route } from './+types/annotate-edit'
import { ItemWorkspace } from '#app/components/workspace/workspace.tsx'
import type { Selection } from '#app/components/workspace/types.ts'
import { editJudgment } from '#app/modules/assignments/edit-judgment.server.ts'
import { getJudgmentForEdit } from '#app/modules/assignments/edit-view.server.ts'
import { getWorkspaceProject } from '#app/modules/assignments/workspace.server.ts'
import { judgedAsPair } from '#app/modules/projects/arena-settings.ts'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { route } from '#app/utils/route.server.ts'
import katexStyles from 'katex/dist/katex.min.css?url'
import highlightStyles from 'highlight.js/styles/github.css?url'

export const links: Route.LinksFunction = () => [
	{ rel: 'stylesheet', href: katexStyles },
	{ rel: 'stylesheet', href: highlightStyles },
]

export const meta: Route.MetaFunction = () => [{ title: 'Revise judgment · Quorum' }]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	const { project } = await getWorkspaceProject({ slug: params.slug, user })
	const edit = await getJudgmentForEdit({ judgmentId: params.id, user })
	return { project, ...edit }
})

export async function action({ request, params }: Route.ActionArgs) {
	const user = await requireUser(request)
	const body = (await request.json()) as { judgment?: unknown }
	try {
		await editJudgment({ judgmentId: params.id, user, input: body.judgment })
	} catch (error) {
		if (error instanceof AppError)
			return data(
				{ ok: false as const, error: error.code, message: error.message, fieldErrors: error.fieldErrors ?? [] },
				{ status: error.status },
			)
		throw error
	}
	return redirect(`/projects/${params.slug}/annotate`)
}

export default function EditJudgmentPage({ loaderData }: Route.ComponentProps) {
	const { project, view, judgment, projectStatus } = loaderData
	const fetcher = useFetcher<typeof action>()
	const selection = useMemo<Selection>(() => {
		const [a, b] = view.item.responses.map((r) => r.id)
		const top = judgment.ranking[0] ?? []
		const choice = !judgedAsPair(project.taskType)
			? null
			: judgment.bothBad
				? 'bothBad'
				: top.length > 1
					? 'tie'
					: top[0] === a
						? 'A'
						: top[0] === b
							? 'B'
							: null
		return {
			idempotencyKey: crypto.randomUUID(),
			choice,
			strength: judgment.strength,
			order: judgment.ranking.flat(),
			tiedWithPrevious: judgment.ranking.flatMap((tier) => tier.slice(1)),
			criteria: judgment.criteria,
			flags: judgment.flags,
			rationale: judgment.rationale,
			activeMs: judgment.activeMs,
			savedAt: 0,
		}
	}, [view, judgment, project.taskType])
	const error = fetcher.data && !fetcher.data.ok ? fetcher.data : null
	return (
		<main className="mx-auto max-w-[1600px] px-4 py-4">
			<div className="mb-3 flex items-center gap-4">
				<h1 className="text-lg font-semibold">Revise your judgment</h1>
				<span className="text-sm text-slate-500">
					revision {judgment.revision} · first submitted {new Date(judgment.createdAt).toLocaleString()}
				</span>
				<Link to={`/projects/${project.slug}/annotate`} className="btn-secondary ml-auto">
					Back to work
				</Link>
			</div>
			{projectStatus !== 'active' ? (
				<p role="alert" className="mb-3 rounded-md bg-amber-50 px-4 py-2 text-sm text-amber-900">
					This project is {projectStatus}; judgments can be revised only while it is active.
				</p>
			) : null}
			{error ? (
				<div role="alert" className="mb-3 rounded-md bg-rose-50 px-4 py-2 text-sm text-rose-900">
					{error.message}
				</div>
			) : null}
			<ItemWorkspace
				project={project}
				assignment={view}
				busy={fetcher.state !== 'idle'}
				send={() => {}}
				globalKeys={() => false}
				showLegend={false}
				editing={{
					selection,
					onSave: (payload) =>
						fetcher.submit({ judgment: { ...payload, idempotencyKey: undefined } } as never, {
							method: 'post',
							encType: 'application/json',
						}),
				}}
			/>
		</main>
	)
}
