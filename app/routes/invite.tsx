import { data, Form, redirect, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/invite'
import { PasswordSchema } from '#app/modules/auth/password.server.ts'
import { sessionCookie } from '#app/modules/auth/session.server.ts'
import { acceptInvite, getInvite } from '#app/modules/users/invites.server.ts'
import { DisplayNameSchema } from '#app/modules/users/users.schema.ts'
import { AppError } from '#app/utils/errors.ts'
import { clientIp, userAgent } from '#app/utils/request.server.ts'
import { formErrors, route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Accept invite · Quorum' }]

const AcceptInviteSchema = z
	.object({ displayName: DisplayNameSchema, password: PasswordSchema, confirmPassword: z.string() })
	.refine((value) => value.password === value.confirmPassword, {
		path: ['confirmPassword'],
		message: 'Passwords do not match',
	})

// Anyone holding the link may open it: the link itself is the credential.
export const loader = route(async ({ params }: Route.LoaderArgs) => {
	const invite = await getInvite({ token: params.token })
	return { email: invite.email, roles: invite.roles, expiresAt: invite.expiresAt.toISOString() }
})

export async function action({ request, params }: Route.ActionArgs) {
	// A stranger without a valid link gets nothing read, not even the body.
	try {
		await getInvite({ token: params.token })
	} catch (error) {
		if (error instanceof AppError) return data({ errors: { form: [error.message] } }, { status: error.status })
		throw error
	}
	const form = await request.formData()
	const parsed = AcceptInviteSchema.safeParse(Object.fromEntries(form))
	if (!parsed.success) return data({ errors: formErrors(parsed.error) }, { status: 400 })
	try {
		const result = await acceptInvite({
			token: params.token,
			password: parsed.data.password,
			displayName: parsed.data.displayName,
			ip: clientIp(request),
			userAgent: userAgent(request),
		})
		return redirect('/', { headers: { 'Set-Cookie': sessionCookie(result.token, result.expiresAt) } })
	} catch (error) {
		if (error instanceof AppError) return data({ errors: { form: [error.message] } }, { status: error.status })
		throw error
	}
}

export default function InvitePage() {
	const invite = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const errors: Record<string, string[] | undefined> = actionData?.errors ?? {}
	const field = (name: string, label: string, type: string, autoComplete: string) => (
		<div>
			<label htmlFor={name} className="label">
				{label}
			</label>
			<input
				id={name}
				name={name}
				type={type}
				autoComplete={autoComplete}
				required
				className="input"
				aria-invalid={errors[name] ? true : undefined}
				aria-describedby={errors[name] ? `${name}-error` : undefined}
			/>
			{errors[name] ? (
				<p id={`${name}-error`} className="field-error">
					{errors[name]!.join(' ')}
				</p>
			) : null}
		</div>
	)
	return (
		<main className="mx-auto max-w-sm px-6 py-16">
			<h1 className="text-2xl font-bold tracking-tight">Join Quorum</h1>
			<p className="mt-2 text-sm text-slate-600">
				You were invited as <strong>{invite.email}</strong> ({invite.roles.join(', ')}). Choose a name and a password to
				finish.
			</p>
			<Form method="post" className="card mt-6 space-y-4" noValidate>
				{errors.form ? (
					<div role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
						{errors.form.join(' ')}
					</div>
				) : null}
				{field('displayName', 'Display name', 'text', 'name')}
				{field('password', 'Password', 'password', 'new-password')}
				{field('confirmPassword', 'Confirm password', 'password', 'new-password')}
				<button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
					Create account
				</button>
			</Form>
		</main>
	)
}
