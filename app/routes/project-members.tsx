import { data, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/project-members'
import { DataTable, type DataTableColumn } from '#app/components/data-table.tsx'
import { ProjectHeader } from '#app/components/project-header.tsx'
import type { MemberRole } from '#app/generated/prisma/enums.ts'
import { requireUser, requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { addMember, listMembers, removeMember } from '#app/modules/projects/members.server.ts'
import { assertCanReadProjects, canManageProjects } from '#app/modules/projects/policies.ts'
import { AnnotatorListQuerySchema } from '#app/modules/projects/project.schema.ts'
import { listAnnotatorStats } from '#app/modules/projects/project-stats.server.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { UserListQuerySchema } from '#app/modules/users/users.schema.ts'
import { listUsers } from '#app/modules/users/users.server.ts'
import { AppError, fieldErrorMap } from '#app/utils/errors.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [
	{ title: `Members · ${data?.project.name ?? 'Project'} · Quorum` },
]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	assertCanReadProjects(user)
	const project = await getProjectForUser({ slug: params.slug, user, access: 'read' })
	const query = AnnotatorListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	const canManage = canManageProjects(user)
	const [annotators, members, candidates] = await Promise.all([
		listAnnotatorStats({ projectId: project.id, query }),
		listMembers({ projectId: project.id }),
		canManage
			? listUsers(UserListQuerySchema.parse({ status: 'active', sort: 'email', dir: 'asc', pageSize: 200 }))
			: null,
	])
	return {
		project: serializeProject(project),
		canManage,
		...annotators,
		reviewers: members.filter((member) => member.role === 'reviewer'),
		candidates: (candidates?.users ?? [])
			.filter((candidate) => candidate.roles.some((role) => role === 'annotator' || role === 'reviewer'))
			.map((candidate) => candidate.email),
	}
})

export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUserWithPermission(request, 'manage:projects')
	const form = await request.formData()
	const intent = form.get('intent')
	const input = { email: form.get('email'), role: form.get('role') }
	try {
		if (intent === 'remove') {
			await removeMember({ slug: params.slug, user, input })
			return { intent, errors: null, message: `Removed ${String(input.email)} (${String(input.role)}).` }
		}
		const result = await addMember({ slug: params.slug, user, input })
		return {
			intent: 'add',
			errors: null,
			message: result.added
				? `Added ${result.member.email} as ${result.member.role}.`
				: `${result.member.email} is already a ${result.member.role}.`,
		}
	} catch (error) {
		if (error instanceof AppError && (error.code === 'INVALID' || error.code === 'NOT_FOUND')) {
			return data(
				{
					intent,
					errors: error.fieldErrors?.length ? fieldErrorMap(error.fieldErrors) : { form: [error.message] },
					message: null,
				},
				{ status: error.status },
			)
		}
		throw error
	}
})

type AnnotatorRow = Awaited<ReturnType<typeof loader>>['annotators'][number]

const seconds = (ms: number | null) =>
	ms === null ? '—' : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`

function RemoveButton({ email, role, label }: { email: string; role: MemberRole; label: string }) {
	return (
		<Form
			method="post"
			onSubmit={(event) => {
				if (!confirm(`Remove ${email} as ${role}? Their judgments stay; open assignments go back to the queue.`))
					event.preventDefault()
			}}
		>
			<input type="hidden" name="intent" value="remove" />
			<input type="hidden" name="email" value={email} />
			<input type="hidden" name="role" value={role} />
			<button type="submit" className="btn-secondary px-2 py-0.5 text-xs" aria-label={label}>
				Remove
			</button>
		</Form>
	)
}

function columnsFor(canManage: boolean): DataTableColumn<AnnotatorRow>[] {
	return [
		{
			id: 'displayName',
			accessorKey: 'displayName',
			header: 'Annotator',
			cell: ({ row }) => (
				<span>
					{row.original.displayName} <span className="text-xs text-slate-500">{row.original.email}</span>
					{row.original.isMember ? null : (
						<span className="ml-2 rounded bg-slate-100 px-1.5 text-xs text-slate-600">former member</span>
					)}
				</span>
			),
		},
		{ id: 'judged', accessorKey: 'judged', header: 'Judged' },
		{ id: 'skipped', accessorKey: 'skipped', header: 'Skipped' },
		{
			id: 'medianActiveMs',
			accessorKey: 'medianActiveMs',
			header: 'Median time',
			cell: ({ row }) => seconds(row.original.medianActiveMs),
		},
		{
			id: 'lastActiveAt',
			accessorKey: 'lastActiveAt',
			header: 'Last active',
			cell: ({ row }) => (row.original.lastActiveAt ? new Date(row.original.lastActiveAt).toLocaleString() : 'never'),
		},
		...(canManage
			? [
					{
						id: 'actions',
						header: () => <span className="sr-only">Actions</span>,
						enableSorting: false,
						cell: ({ row }) =>
							row.original.isMember ? (
								<RemoveButton
									email={row.original.email}
									role="annotator"
									label={`Remove ${row.original.email} as annotator`}
								/>
							) : null,
					} satisfies DataTableColumn<AnnotatorRow>,
				]
			: []),
	]
}

export default function ProjectMembersPage() {
	const { project, canManage, annotators, total, reviewers, candidates } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const errors = actionData?.errors as Record<string, string[]> | null | undefined
	return (
		<main className="mx-auto max-w-6xl space-y-6 px-6 py-10">
			<ProjectHeader project={project} canManage={canManage} />

			{canManage ? (
				<Form method="post" className="card space-y-3" aria-labelledby="add-heading">
					<h2 id="add-heading" className="font-semibold">
						Add a member
					</h2>
					<input type="hidden" name="intent" value="add" />
					<div className="flex flex-wrap items-end gap-3">
						<div className="min-w-64 flex-1">
							<label htmlFor="member-email" className="label">
								Email
							</label>
							<input id="member-email" name="email" type="email" required list="member-candidates" className="input" />
							<datalist id="member-candidates">
								{candidates.map((email) => (
									<option key={email} value={email} />
								))}
							</datalist>
							{errors?.email ? <p className="field-error">{errors.email.join(' ')}</p> : null}
						</div>
						<div>
							<label htmlFor="member-role" className="label">
								Role
							</label>
							<select id="member-role" name="role" className="input" defaultValue="annotator">
								<option value="annotator">Annotator</option>
								<option value="reviewer">Reviewer</option>
							</select>
						</div>
						<button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
							Add
						</button>
					</div>
					{errors?.role ? <p className="field-error">{errors.role.join(' ')}</p> : null}
					{errors?.form ? <p className="field-error">{errors.form.join(' ')}</p> : null}
					{actionData?.message ? (
						<p role="status" className="text-sm text-emerald-800">
							{actionData.message}
						</p>
					) : null}
					<p className="text-xs text-slate-500">
						People need an account with the matching role first; invite them on the Users page.
					</p>
				</Form>
			) : null}

			<section className="space-y-2" aria-labelledby="annotators-heading">
				<h2 id="annotators-heading" className="font-semibold">
					Annotators
				</h2>
				<DataTable
					caption="Annotators"
					columns={columnsFor(canManage)}
					data={annotators}
					total={total}
					getRowId={(row) => row.userId}
					defaultSort={{ id: 'judged', desc: true }}
					emptyState={canManage ? 'No annotators yet. Add people with the annotator role above.' : 'No annotators yet.'}
				/>
			</section>

			<section className="card space-y-2" aria-labelledby="reviewers-heading">
				<h2 id="reviewers-heading" className="font-semibold">
					Reviewers
				</h2>
				{reviewers.length === 0 ? (
					<p className="text-sm text-slate-500">No reviewers. Reviewers settle disagreements between annotators.</p>
				) : (
					<ul className="divide-y divide-slate-100 text-sm">
						{reviewers.map((reviewer) => (
							<li key={reviewer.userId} className="flex items-center justify-between py-2">
								<span>
									{reviewer.displayName} <span className="text-xs text-slate-500">{reviewer.email}</span>
								</span>
								{canManage ? (
									<RemoveButton email={reviewer.email} role="reviewer" label={`Remove ${reviewer.email} as reviewer`} />
								) : null}
							</li>
						))}
					</ul>
				)}
			</section>
		</main>
	)
}
