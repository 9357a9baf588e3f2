import { data, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/settings-tokens'
import {
	createApiToken,
	listApiTokens,
	revokeApiToken,
	TokenExpiryDaysSchema,
	TokenNameSchema,
	TokenScopeSchema,
} from '#app/modules/auth/api-token.server.ts'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { formErrors, route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'API tokens · Quorum' }]

export async function loader({ request }: Route.LoaderArgs) {
	const user = await requireUser(request)
	return { tokens: await listApiTokens({ userId: user.id }) }
}

const TokenActionSchema = z.discriminatedUnion('intent', [
	z.object({
		intent: z.literal('create'),
		name: TokenNameSchema,
		scope: TokenScopeSchema.default('full'),
		expiresInDays: z.preprocess((value) => (value === '' ? undefined : value), TokenExpiryDaysSchema.optional()),
	}),
	z.object({ intent: z.literal('revoke'), tokenId: z.string().min(1) }),
])

export const action = route(async ({ request }: Route.ActionArgs) => {
	const user = await requireUser(request)
	const parsed = TokenActionSchema.safeParse(Object.fromEntries(await request.formData()))
	if (!parsed.success) return data({ errors: formErrors(parsed.error), created: null }, { status: 400 })
	if (parsed.data.intent === 'create') {
		const { name, scope, expiresInDays } = parsed.data
		const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 24 * 3600_000) : null
		const created = await createApiToken({ userId: user.id, name, scope, expiresAt })
		return { errors: null, created: { token: created.token, name: created.name } }
	}
	await revokeApiToken({ userId: user.id, tokenId: parsed.data.tokenId })
	return { errors: null, created: null }
})

export default function TokensPage() {
	const { tokens } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const errors = actionData?.errors as Record<string, string[]> | null | undefined
	return (
		<main className="mx-auto max-w-3xl space-y-6 px-6 py-10">
			<div>
				<h1 className="text-2xl font-bold tracking-tight">Personal API tokens</h1>
				<p className="mt-1 text-sm text-slate-600">
					Tokens act as you against the REST API and the <code>quorum</code> CLI. Send them as{' '}
					<code className="kbd">Authorization: Bearer &lt;token&gt;</code>.
				</p>
			</div>
			{actionData?.created ? (
				<div role="status" className="card border-emerald-300 bg-emerald-50">
					<p className="text-sm font-medium text-emerald-900">
						Token “{actionData.created.name}” created. Copy it now: it will not be shown again.
					</p>
					<input
						readOnly
						aria-label="New API token"
						value={actionData.created.token}
						className="input mt-2 font-mono"
						onFocus={(event) => event.currentTarget.select()}
					/>
				</div>
			) : null}
			<Form method="post" className="card flex items-end gap-3">
				<input type="hidden" name="intent" value="create" />
				<div className="flex-1">
					<label htmlFor="token-name" className="label">
						Token name
					</label>
					<input
						id="token-name"
						name="name"
						placeholder="e.g. training cluster"
						className="input"
						required
						maxLength={100}
					/>
					{errors?.name ? <p className="field-error">{errors.name.join(' ')}</p> : null}
				</div>
				<div>
					<label htmlFor="token-scope" className="label">
						Scope
					</label>
					<select id="token-scope" name="scope" className="input" defaultValue="full">
						<option value="full">full</option>
						<option value="annotate">annotate</option>
						<option value="read">read only</option>
					</select>
				</div>
				<div>
					<label htmlFor="token-expiry" className="label">
						Expires in (days)
					</label>
					<input
						id="token-expiry"
						name="expiresInDays"
						type="number"
						min={1}
						max={3650}
						placeholder="never"
						className="input w-28"
					/>
					{errors?.expiresInDays ? <p className="field-error">{errors.expiresInDays.join(' ')}</p> : null}
				</div>
				<button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
					Create token
				</button>
			</Form>
			<section className="card p-0">
				<table className="w-full text-left text-sm">
					<caption className="sr-only">Your active API tokens</caption>
					<thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
						<tr>
							<th className="px-4 py-2">Name</th>
							<th className="px-4 py-2">Scope</th>
							<th className="px-4 py-2">Expires</th>
							<th className="px-4 py-2">Created</th>
							<th className="px-4 py-2">Last used</th>
							<th className="px-4 py-2">
								<span className="sr-only">Actions</span>
							</th>
						</tr>
					</thead>
					<tbody>
						{tokens.length === 0 ? (
							<tr>
								<td colSpan={6} className="px-4 py-6 text-center text-slate-500">
									No tokens yet. Create one above to use the API or the CLI.
								</td>
							</tr>
						) : (
							tokens.map((token) => (
								<tr key={token.id} className="border-b border-slate-100 last:border-0">
									<td className="px-4 py-2 font-medium">{token.name}</td>
									<td className="px-4 py-2">{token.scope}</td>
									<td className="px-4 py-2">
										{token.expiresAt ? new Date(token.expiresAt).toLocaleDateString() : 'never'}
									</td>
									<td className="px-4 py-2">{new Date(token.createdAt).toLocaleString()}</td>
									<td className="px-4 py-2">
										{token.lastUsedAt ? new Date(token.lastUsedAt).toLocaleString() : 'never'}
									</td>
									<td className="px-4 py-2 text-right">
										<Form method="post">
											<input type="hidden" name="intent" value="revoke" />
											<input type="hidden" name="tokenId" value={token.id} />
											<button type="submit" className="btn-secondary" aria-label={`Revoke ${token.name}`}>
												Revoke
											</button>
										</Form>
									</td>
								</tr>
							))
						)}
					</tbody>
				</table>
			</section>
		</main>
	)
}
