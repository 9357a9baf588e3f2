import { useState } from 'react'
import { data, Form, useActionData, useLoaderData, useNavigation, useSearchParams } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/admin-users'
import { DataTable, type DataTableColumn } from '#app/components/data-table.tsx'
import { EmailSchema } from '#app/modules/auth/login.server.ts'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { createInvite, inviteUrl, listPendingInvites, revokeInvite } from '#app/modules/users/invites.server.ts'
import { RolesSchema, UserListQuerySchema } from '#app/modules/users/users.schema.ts'
import { disableUser, enableUser, listUsers, setUserRoles } from '#app/modules/users/users.server.ts'
import { ROLES } from '#app/utils/permissions.ts'
import { formErrors, route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Users · Quorum' }]

export const loader = route(async ({ request }: Route.LoaderArgs) => {
	await requireUserWithPermission(request, 'manage:users')
	const url = new URL(request.url)
	const query = UserListQuerySchema.parse(Object.fromEntries(url.searchParams))
	const [result, invites] = await Promise.all([listUsers(query), listPendingInvites()])
	return {
		...result,
		users: result.users.map((user) => ({
			...user,
			createdAt: user.createdAt.toISOString(),
			disabledAt: user.disabledAt?.toISOString() ?? null,
		})),
		invites: invites.map((invite) => ({
			...invite,
			expiresAt: invite.expiresAt.toISOString(),
			createdAt: invite.createdAt.toISOString(),
		})),
	}
})

const rolesFromForm = (form: FormData) => form.getAll('roles').map(String)

export const action = route(async ({ request }: Route.ActionArgs) => {
	const admin = await requireUserWithPermission(request, 'manage:users')
	const form = await request.formData()
	const intent = form.get('intent')
	if (intent === 'invite') {
		const parsed = z
			.object({ email: EmailSchema, roles: RolesSchema })
			.safeParse({ email: form.get('email'), roles: rolesFromForm(form) })
		if (!parsed.success) return data({ intent, errors: formErrors(parsed.error), invite: null }, { status: 400 })
		const invite = await createInvite({ ...parsed.data, actorId: admin.id })
		const url = inviteUrl({ path: invite.path, requestOrigin: new URL(request.url).origin })
		return { intent, errors: null, invite: { email: invite.email, url, expiresAt: invite.expiresAt.toISOString() } }
	}
	if (intent === 'revoke-invite') {
		const inviteId = z.string().min(1).max(100).parse(form.get('inviteId'))
		await revokeInvite({ inviteId, actorId: admin.id })
		return { intent, errors: null, invite: null }
	}
	const userId = z.string().uuid({ message: 'Unknown user' }).parse(form.get('userId'))
	if (intent === 'roles') {
		const parsed = RolesSchema.safeParse(rolesFromForm(form))
		if (!parsed.success) return data({ intent, errors: formErrors(parsed.error), invite: null }, { status: 400 })
		await setUserRoles({ userId, roles: parsed.data, actorId: admin.id })
	} else if (intent === 'disable') {
		await disableUser({ userId, actorId: admin.id })
	} else if (intent === 'enable') {
		await enableUser({ userId, actorId: admin.id })
	} else {
		throw data({ message: `Unknown action ${String(intent)}` }, { status: 400 })
	}
	return { intent, errors: null, invite: null }
})

type UserRow = Awaited<ReturnType<typeof loader>>['users'][number]

function RolesEditor({ user }: { user: UserRow }) {
	const [open, setOpen] = useState(false)
	if (!open) {
		return (
			<button
				type="button"
				className="text-left hover:underline"
				onClick={() => setOpen(true)}
				aria-label={`Edit roles of ${user.email}`}
			>
				{user.roles.join(', ') || '—'}
			</button>
		)
	}
	return (
		<Form method="post" className="flex flex-wrap items-center gap-2" onSubmit={() => setOpen(false)}>
			<input type="hidden" name="intent" value="roles" />
			<input type="hidden" name="userId" value={user.id} />
			{ROLES.map((role) => (
				<label key={role} className="flex items-center gap-1 text-xs">
					<input type="checkbox" name="roles" value={role} defaultChecked={user.roles.includes(role)} />
					{role}
				</label>
			))}
			<button type="submit" className="btn-primary px-2 py-0.5 text-xs">
				Save
			</button>
		</Form>
	)
}

const columns: DataTableColumn<UserRow>[] = [
	{ id: 'email', accessorKey: 'email', header: 'Email' },
	{ id: 'displayName', accessorKey: 'displayName', header: 'Name' },
	{ id: 'roles', header: 'Roles', enableSorting: false, cell: ({ row }) => <RolesEditor user={row.original} /> },
	{
		id: 'status',
		header: 'Status',
		enableSorting: false,
		cell: ({ row }) =>
			row.original.disabledAt ? (
				<span className="rounded bg-rose-100 px-2 py-0.5 text-xs text-rose-800">disabled</span>
			) : (
				<span className="rounded bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">active</span>
			),
	},
	{
		id: 'createdAt',
		accessorKey: 'createdAt',
		header: 'Created',
		cell: ({ row }) => new Date(row.original.createdAt).toLocaleDateString(),
	},
	{
		id: 'actions',
		header: () => <span className="sr-only">Actions</span>,
		enableSorting: false,
		cell: ({ row }) => (
			<Form
				method="post"
				onSubmit={(event) => {
					if (
						!row.original.disabledAt &&
						!confirm(`Disable ${row.original.email}? Their sessions and API tokens end at once.`)
					)
						event.preventDefault()
				}}
			>
				<input type="hidden" name="userId" value={row.original.id} />
				<button
					type="submit"
					name="intent"
					value={row.original.disabledAt ? 'enable' : 'disable'}
					className={row.original.disabledAt ? 'btn-secondary' : 'btn-danger'}
				>
					{row.original.disabledAt ? 'Enable' : 'Disable'}
				</button>
			</Form>
		),
	},
]

export default function AdminUsersPage() {
	const { users, total, invites } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [searchParams, setSearchParams] = useSearchParams()
	const errors = actionData?.errors as Record<string, string[]> | null | undefined
	return (
		<main className="mx-auto max-w-6xl space-y-6 px-6 py-10">
			<div className="flex items-end justify-between">
				<div>
					<h1 className="text-2xl font-bold tracking-tight">Users</h1>
					<p className="mt-1 text-sm text-slate-600">Invite people, set their roles, and disable accounts.</p>
				</div>
			</div>

			<Form method="post" className="card space-y-3" aria-labelledby="invite-heading">
				<h2 id="invite-heading" className="font-semibold">
					Invite someone
				</h2>
				<input type="hidden" name="intent" value="invite" />
				<div className="flex flex-wrap items-end gap-4">
					<div className="min-w-64 flex-1">
						<label htmlFor="invite-email" className="label">
							Email
						</label>
						<input id="invite-email" name="email" type="email" required className="input" />
						{actionData?.intent === 'invite' && errors?.email ? (
							<p className="field-error">{errors.email.join(' ')}</p>
						) : null}
					</div>
					<fieldset className="flex items-center gap-3">
						<legend className="label">Roles</legend>
						{ROLES.map((role) => (
							<label key={role} className="flex items-center gap-1 text-sm">
								<input type="checkbox" name="roles" value={role} defaultChecked={role === 'annotator'} />
								{role}
							</label>
						))}
					</fieldset>
					<button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
						Create invite link
					</button>
				</div>
				{actionData?.intent === 'invite' && errors?.roles ? (
					<p className="field-error">{errors.roles.join(' ')}</p>
				) : null}
				{actionData?.invite ? (
					<div role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
						<p>
							Invite for <strong>{actionData.invite.email}</strong> — single use, expires{' '}
							{new Date(actionData.invite.expiresAt).toLocaleString()}. Send them this link:
						</p>
						<input
							readOnly
							aria-label="Invite link"
							value={actionData.invite.url}
							className="input mt-2 font-mono"
							onFocus={(e) => e.currentTarget.select()}
						/>
					</div>
				) : null}
			</Form>
			{invites.length > 0 ? (
				<section className="card space-y-2" aria-labelledby="pending-invites-heading">
					<h2 id="pending-invites-heading" className="font-semibold">
						Pending invites
					</h2>
					<ul className="divide-y divide-slate-100 text-sm">
						{invites.map((invite) => (
							<li key={invite.id} className="flex items-center justify-between gap-3 py-2">
								<span>
									{invite.email}{' '}
									<span className="text-xs text-slate-500">
										({invite.roles.join(', ')}; expires {new Date(invite.expiresAt).toLocaleString()})
									</span>
								</span>
								<Form method="post">
									<input type="hidden" name="intent" value="revoke-invite" />
									<input type="hidden" name="inviteId" value={invite.id} />
									<button type="submit" className="btn-secondary" aria-label={`Revoke the invite for ${invite.email}`}>
										Revoke
									</button>
								</Form>
							</li>
						))}
					</ul>
				</section>
			) : null}

			<Form method="get" className="flex flex-wrap items-end gap-3" role="search">
				<div>
					<label htmlFor="q" className="label">
						Search
					</label>
					<input
						id="q"
						name="q"
						defaultValue={searchParams.get('q') ?? ''}
						placeholder="email or name"
						className="input"
					/>
				</div>
				<div>
					<label htmlFor="role" className="label">
						Role
					</label>
					<select id="role" name="role" defaultValue={searchParams.get('role') ?? ''} className="input">
						<option value="">Any</option>
						{ROLES.map((role) => (
							<option key={role} value={role}>
								{role}
							</option>
						))}
					</select>
				</div>
				<div>
					<label htmlFor="status" className="label">
						Status
					</label>
					<select id="status" name="status" defaultValue={searchParams.get('status') ?? ''} className="input">
						<option value="">Any</option>
						<option value="active">Active</option>
						<option value="disabled">Disabled</option>
					</select>
				</div>
				<button type="submit" className="btn-secondary">
					Filter
				</button>
				{searchParams.toString() ? (
					<button type="button" className="text-sm text-slate-600 underline" onClick={() => setSearchParams({})}>
						Clear
					</button>
				) : null}
			</Form>

			<DataTable
				caption="Users"
				columns={columns}
				data={users}
				total={total}
				getRowId={(user) => user.id}
				defaultSort={{ id: 'createdAt', desc: true }}
				emptyState={searchParams.toString() ? 'No users match these filters.' : 'No users yet. Invite someone above.'}
			/>
		</main>
	)
}
