import { data, Form, redirect, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/settings-security'
import { changePassword, ChangePasswordSchema } from '#app/modules/auth/change-password.server.ts'
import { getSession } from '#app/modules/auth/require.server.ts'
import { listUserSessions, signOutOtherSessions, signOutSession } from '#app/modules/auth/user-sessions.server.ts'
import { AppError, fieldErrorMap, type FieldErrorMap } from '#app/utils/errors.ts'
import { clientIp } from '#app/utils/request.server.ts'
import { formErrors, route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Password and sessions · Quorum' }]

async function requireSession(request: Request) {
	const session = await getSession(request)
	if (!session) {
		const url = new URL(request.url)
		throw redirect(`/login?${new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })}`)
	}
	return session
}

export const loader = route(async ({ request }: Route.LoaderArgs) => {
	const session = await requireSession(request)
	const sessions = await listUserSessions({ user: session.user, currentSessionId: session.sessionId })
	return {
		sessions: sessions.map((s) => ({
			id: s.id,
			current: s.current,
			createdAt: s.createdAt.toISOString(),
			lastVerifiedAt: s.lastVerifiedAt.toISOString(),
			ip: s.ip,
			userAgent: s.userAgent,
		})),
	}
})

const SecurityActionSchema = z.discriminatedUnion('intent', [
	z.object({ intent: z.literal('sign-out-others') }),
	z.object({ intent: z.literal('sign-out'), sessionId: z.string().min(1).max(100) }),
	z.object({
		intent: z.literal('change-password'),
		currentPassword: z.string(),
		newPassword: z.string(),
		confirmPassword: z.string(),
	}),
])

type ActionResult = { errors: FieldErrorMap | null; done: string | null }

export const action = route(async ({ request }: Route.ActionArgs) => {
	const session = await requireSession(request)
	const parsed = SecurityActionSchema.safeParse(Object.fromEntries(await request.formData()))
	if (!parsed.success) return data<ActionResult>({ errors: formErrors(parsed.error), done: null }, { status: 400 })
	const ip = clientIp(request)
	const input = parsed.data
	if (input.intent === 'sign-out-others') {
		const { signedOut } = await signOutOtherSessions({ user: session.user, currentSessionId: session.sessionId, ip })
		return data<ActionResult>({
			errors: null,
			done: `Signed out ${signedOut} other session${signedOut === 1 ? '' : 's'}.`,
		})
	}
	if (input.intent === 'sign-out') {
		if (input.sessionId === session.sessionId)
			return data<ActionResult>(
				{ errors: { form: ['Use “Log out” to end this session.'] }, done: null },
				{ status: 400 },
			)
		await signOutSession({ user: session.user, sessionId: input.sessionId, ip })
		return data<ActionResult>({ errors: null, done: 'Session signed out.' })
	}
	const passwords = ChangePasswordSchema.safeParse(input)
	if (!passwords.success)
		return data<ActionResult>({ errors: formErrors(passwords.error), done: null }, { status: 400 })
	try {
		const { signedOutSessions } = await changePassword({
			user: session.user,
			currentSessionId: session.sessionId,
			currentPassword: passwords.data.currentPassword,
			newPassword: passwords.data.newPassword,
			ip,
		})
		return data<ActionResult>({
			errors: null,
			done: `Password changed.${signedOutSessions ? ` ${signedOutSessions} other session${signedOutSessions === 1 ? ' was' : 's were'} signed out.` : ''}`,
		})
	} catch (error) {
		if (error instanceof AppError && error.fieldErrors) {
			return data<ActionResult>({ errors: fieldErrorMap(error.fieldErrors), done: null }, { status: error.status })
		}
		throw error
	}
})

export default function SecuritySettingsPage() {
	const { sessions } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const errors = actionData?.errors ?? {}
	const busy = navigation.state === 'submitting'
	const field = (name: string, label: string, autoComplete: string) => (
		<div>
			<label htmlFor={name} className="label">
				{label}
			</label>
			<input
				id={name}
				name={name}
				type="password"
				autoComplete={autoComplete}
				required
				className="input"
				aria-invalid={errors[name] ? true : undefined}
				aria-describedby={errors[name] ? `${name}-error` : undefined}
			/>
			{errors[name] ? (
				<p id={`${name}-error`} className="field-error">
					{errors[name].join(' ')}
				</p>
			) : null}
		</div>
	)
	return (
		<main className="mx-auto max-w-3xl space-y-6 px-6 py-10">
			<h1 className="text-2xl font-bold tracking-tight">Password and sessions</h1>
			{actionData?.done ? (
				<p role="status" className="card border-emerald-300 bg-emerald-50 text-sm text-emerald-900">
					{actionData.done}
				</p>
			) : null}
			{errors.form ? (
				<p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
					{errors.form.join(' ')}
				</p>
			) : null}
			<section className="card space-y-4">
				<h2 className="text-lg font-semibold">Change password</h2>
				<p className="text-sm text-slate-600">Your other sessions are signed out when the password changes.</p>
				<Form method="post" className="space-y-4" noValidate>
					<input type="hidden" name="intent" value="change-password" />
					{field('currentPassword', 'Current password', 'current-password')}
					{field('newPassword', 'New password', 'new-password')}
					{field('confirmPassword', 'Repeat the new password', 'new-password')}
					<button type="submit" className="btn-primary" disabled={busy}>
						Change password
					</button>
				</Form>
			</section>
			<section className="card p-0">
				<div className="flex items-center justify-between px-4 py-3">
					<h2 className="text-lg font-semibold">Sessions</h2>
					<Form method="post">
						<input type="hidden" name="intent" value="sign-out-others" />
						<button type="submit" className="btn-secondary" disabled={busy || sessions.length < 2}>
							Sign out other sessions
						</button>
					</Form>
				</div>
				<table className="w-full text-left text-sm">
					<caption className="sr-only">Your sessions</caption>
					<thead className="border-y border-slate-200 text-xs uppercase text-slate-500">
						<tr>
							<th className="px-4 py-2">Browser</th>
							<th className="px-4 py-2">IP</th>
							<th className="px-4 py-2">Signed in</th>
							<th className="px-4 py-2">Last active</th>
							<th className="px-4 py-2">
								<span className="sr-only">Actions</span>
							</th>
						</tr>
					</thead>
					<tbody>
						{sessions.map((s) => (
							<tr key={s.id} className="border-b border-slate-100 last:border-0">
								<td className="max-w-xs truncate px-4 py-2" title={s.userAgent ?? undefined}>
									{s.userAgent ?? 'unknown'}
									{s.current ? (
										<span className="ml-2 rounded bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">
											this session
										</span>
									) : null}
								</td>
								<td className="px-4 py-2">{s.ip ?? '—'}</td>
								<td className="px-4 py-2">{new Date(s.createdAt).toLocaleString()}</td>
								<td className="px-4 py-2">{new Date(s.lastVerifiedAt).toLocaleString()}</td>
								<td className="px-4 py-2 text-right">
									{s.current ? null : (
										<Form method="post">
											<input type="hidden" name="intent" value="sign-out" />
											<input type="hidden" name="sessionId" value={s.id} />
											<button type="submit" className="btn-secondary" disabled={busy}>
												Sign out
											</button>
										</Form>
									)}
								</td>
							</tr>
						))}
					</tbody>
				</table>
			</section>
		</main>
	)
}
