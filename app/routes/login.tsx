import { data, Form, redirect, useActionData, useNavigation, useSearchParams } from 'react-router'
import type { Route } from './+types/login'
import { login, LoginSchema } from '#app/modules/auth/login.server.ts'
import { requireAnonymous } from '#app/modules/auth/require.server.ts'
import { sessionCookie } from '#app/modules/auth/session.server.ts'
import { AppError, type FieldErrorMap } from '#app/utils/errors.ts'
import { safeRedirect } from '#app/utils/redirect.ts'
import { clientIp, userAgent } from '#app/utils/request.server.ts'
import { formErrors } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Log in · Quorum' }]

export async function loader({ request }: Route.LoaderArgs) {
	await requireAnonymous(request)
	return null
}

export async function action({ request }: Route.ActionArgs) {
	await requireAnonymous(request)
	const form = await request.formData()
	const parsed = LoginSchema.safeParse({ email: form.get('email'), password: form.get('password') })
	if (!parsed.success) {
		return data(
			{ errors: formErrors(parsed.error) as FieldErrorMap, email: String(form.get('email') ?? '') },
			{ status: 400 },
		)
	}
	try {
		const session = await login({ ...parsed.data, ip: clientIp(request), userAgent: userAgent(request) })
		return redirect(safeRedirect(form.get('redirectTo')), {
			headers: { 'Set-Cookie': sessionCookie(session.token, session.expiresAt) },
		})
	} catch (error) {
		if (error instanceof AppError && (error.code === 'UNAUTHENTICATED' || error.code === 'RATE_LIMITED')) {
			return data(
				{ errors: { form: [error.message] } as FieldErrorMap, email: parsed.data.email },
				{ status: error.status },
			)
		}
		throw error
	}
}

export default function LoginPage() {
	const actionData = useActionData<typeof action>()
	const [searchParams] = useSearchParams()
	const navigation = useNavigation()
	const errors = actionData?.errors
	return (
		<main className="mx-auto max-w-sm px-6 py-16">
			<h1 className="text-2xl font-bold tracking-tight">Log in to Quorum</h1>
			<Form method="post" className="card mt-6 space-y-4" noValidate>
				<input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? '/'} />
				{errors?.form ? (
					<div role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
						{errors.form.join(' ')}
					</div>
				) : null}
				<div>
					<label htmlFor="email" className="label">
						Email
					</label>
					<input
						id="email"
						name="email"
						type="email"
						autoComplete="username"
						autoFocus
						required
						defaultValue={actionData?.email}
						className="input"
						aria-invalid={errors?.email ? true : undefined}
						aria-describedby={errors?.email ? 'email-error' : undefined}
					/>
					{errors?.email ? (
						<p id="email-error" className="field-error">
							{errors.email.join(' ')}
						</p>
					) : null}
				</div>
				<div>
					<label htmlFor="password" className="label">
						Password
					</label>
					<input
						id="password"
						name="password"
						type="password"
						autoComplete="current-password"
						required
						className="input"
						aria-invalid={errors?.password ? true : undefined}
						aria-describedby={errors?.password ? 'password-error' : undefined}
					/>
					{errors?.password ? (
						<p id="password-error" className="field-error">
							{errors.password.join(' ')}
						</p>
					) : null}
				</div>
				<button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
					Log in
				</button>
			</Form>
			<p className="mt-4 text-center text-sm text-slate-500">No account? Ask an admin for an invite link.</p>
		</main>
	)
}
