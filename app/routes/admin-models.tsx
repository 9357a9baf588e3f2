import { data, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/admin-models'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import {
	createModelEndpoint,
	deleteModelEndpoint,
	listModelEndpoints,
	updateModelEndpoint,
} from '#app/modules/models/endpoints.server.ts'
import { testModelEndpoint, type EndpointTestResult } from '#app/modules/models/test-endpoint.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { clientIp } from '#app/utils/request.server.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Model endpoints · Quorum' }]

export const loader = route(async ({ request }: Route.LoaderArgs) => {
	const user = await requireUserWithPermission(request, 'manage:models')
	return { endpoints: await listModelEndpoints({ user }) }
})

const optionalNumber = z.preprocess(
	(value) => (value === '' || value === undefined ? undefined : Number(value)),
	z.number().optional(),
)

/** The form's flat fields → the module's `{name, baseUrl, model, apiKey?, params, ...}`. */
function endpointInput(form: Record<string, FormDataEntryValue>, { keepKey }: { keepKey: boolean }) {
	const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '')
	const num = (name: string) => optionalNumber.parse(form[name])
	let extra: unknown
	if (text('extra').trim()) {
		try {
			extra = JSON.parse(text('extra'))
		} catch {
			extra = text('extra')
		}
	}
	const params = Object.fromEntries(
		Object.entries({
			temperature: num('temperature'),
			top_p: num('top_p'),
			max_tokens: num('max_tokens'),
			seed: num('seed'),
			system: text('system') || undefined,
			extra,
		}).filter(([, value]) => value !== undefined),
	)
	const apiKey = text('apiKey')
	return {
		name: text('name'),
		baseUrl: text('baseUrl'),
		model: text('model'),
		...(apiKey ? { apiKey } : keepKey && form.clearKey !== 'on' ? {} : { apiKey: null }),
		params,
		concurrency: num('concurrency'),
		timeoutSeconds: num('timeoutSeconds'),
	}
}

type ActionResult = {
	intent: string
	id?: string
	errors?: Record<string, string>
	message?: string
	test?: EndpointTestResult
}

export const action = route(
	async ({ request }: Route.ActionArgs): Promise<ActionResult | ReturnType<typeof data<ActionResult>>> => {
		const user = await requireUserWithPermission(request, 'manage:models')
		const form = Object.fromEntries(await request.formData())
		const intent = String(form.intent ?? '')
		const id = typeof form.id === 'string' ? form.id : ''
		const ip = clientIp(request)
		try {
			if (intent === 'create') {
				await createModelEndpoint({ user, input: endpointInput(form, { keepKey: false }), ip })
				return { intent, message: 'Endpoint added.' }
			}
			if (intent === 'update') {
				await updateModelEndpoint({ user, id, input: endpointInput(form, { keepKey: true }), ip })
				return { intent, id, message: 'Endpoint saved.' }
			}
			if (intent === 'delete') {
				await deleteModelEndpoint({ user, id, ip })
				return { intent, message: 'Endpoint deleted.' }
			}
			if (intent === 'test') return { intent, id, test: await testModelEndpoint({ user, id }) }
		} catch (error) {
			if (error instanceof AppError && (error.status === 422 || error.status === 409)) {
				const errors = Object.fromEntries(
					(error.fieldErrors ?? [{ path: String(error.extra?.field ?? 'form'), message: error.message }]).map(
						(item) => [item.path.split('.').pop() ?? 'form', item.message],
					),
				)
				return data({ intent, id, errors }, { status: error.status })
			}
			throw error
		}
		return data({ intent, errors: { form: 'Unknown action' } }, { status: 400 })
	},
)

type Endpoint = Awaited<ReturnType<typeof listModelEndpoints>>[number]

function EndpointFields({ endpoint, errors }: { endpoint?: Endpoint; errors?: Record<string, string> }) {
	const prefix = endpoint ? `ep-${endpoint.id}` : 'ep-new'
	const field = (name: string, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
		<div>
			<label htmlFor={`${prefix}-${name}`} className="label">
				{label}
			</label>
			<input id={`${prefix}-${name}`} name={name} className="input" {...props} />
			{errors?.[name] ? <p className="field-error">{errors[name]}</p> : null}
		</div>
	)
	const params = endpoint?.params ?? {}
	return (
		<div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
			{field('name', 'Name', { required: true, defaultValue: endpoint?.name, placeholder: 'e.g. llama3-local' })}
			{field('model', 'Model id', { required: true, defaultValue: endpoint?.model, placeholder: 'e.g. llama3.1:8b' })}
			{field('baseUrl', 'Base URL (the /v1 root)', {
				required: true,
				defaultValue: endpoint?.baseUrl,
				placeholder: 'http://localhost:11434/v1',
			})}
			{field(
				'apiKey',
				endpoint?.apiKey ? `API key (set, ends in …${endpoint.apiKey.last4}; blank keeps it)` : 'API key (optional)',
				{ type: 'password', autoComplete: 'off' },
			)}
			{field('temperature', 'Temperature', {
				type: 'number',
				step: 'any',
				min: 0,
				max: 2,
				defaultValue: params.temperature,
			})}
			{field('top_p', 'top_p', { type: 'number', step: 'any', min: 0, max: 1, defaultValue: params.top_p })}
			{field('max_tokens', 'Max tokens', { type: 'number', min: 1, defaultValue: params.max_tokens })}
			{field('seed', 'Seed', { type: 'number', defaultValue: params.seed })}
			{field('concurrency', 'Concurrent requests', {
				type: 'number',
				min: 1,
				max: 256,
				defaultValue: endpoint?.concurrency ?? 4,
			})}
			{field('timeoutSeconds', 'Timeout (seconds)', {
				type: 'number',
				min: 1,
				max: 3600,
				defaultValue: endpoint?.timeoutSeconds ?? 120,
			})}
			<div className="sm:col-span-2">
				<label htmlFor={`${prefix}-system`} className="label">
					System prompt
				</label>
				<textarea id={`${prefix}-system`} name="system" className="input" rows={2} defaultValue={params.system} />
			</div>
			<div className="sm:col-span-2">
				<label htmlFor={`${prefix}-extra`} className="label">
					Extra body fields (JSON, e.g. {'{"options": {"num_ctx": 8192}}'})
				</label>
				<textarea
					id={`${prefix}-extra`}
					name="extra"
					className="input font-mono"
					rows={2}
					defaultValue={params.extra ? JSON.stringify(params.extra) : ''}
				/>
				{errors?.extra ? <p className="field-error">{errors.extra}</p> : null}
			</div>
			{endpoint?.apiKey ? (
				<label className="flex items-center gap-2 text-sm">
					<input type="checkbox" name="clearKey" /> Remove the API key
				</label>
			) : null}
			{errors?.form ? <p className="field-error sm:col-span-2">{errors.form}</p> : null}
		</div>
	)
}

function TestResult({ result }: { result: EndpointTestResult }) {
	if (result.ok) {
		return (
			<p role="status" className="text-sm text-emerald-800">
				Works: answered in {result.latencyMs} ms.
			</p>
		)
	}
	return (
		<p role="alert" className="text-sm text-red-700">
			{result.message}
		</p>
	)
}

export default function AdminModelsPage() {
	const { endpoints } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>() as ActionResult | undefined
	const navigation = useNavigation()
	const busy = navigation.state === 'submitting'
	return (
		<main className="mx-auto max-w-4xl space-y-6 px-6 py-10">
			<div>
				<h1 className="text-2xl font-bold tracking-tight">Model endpoints</h1>
				<p className="mt-1 text-sm text-slate-600">
					OpenAI-compatible servers that generate responses: Ollama, LM Studio, vLLM, <code>llama-server</code> or a
					hosted API. Quorum calls only these addresses and never follows redirects.
				</p>
			</div>
			{actionData?.message ? (
				<p role="status" className="text-sm text-emerald-800">
					{actionData.message}
				</p>
			) : null}
			<section aria-label="Endpoints" className="space-y-4">
				{endpoints.length === 0 ? <p className="text-sm text-slate-500">No endpoints yet. Add one below.</p> : null}
				{endpoints.map((endpoint) => (
					<details key={endpoint.id} className="card" data-endpoint={endpoint.name}>
						<summary className="flex cursor-pointer flex-wrap items-center gap-3">
							<span className="font-medium">{endpoint.name}</span>
							<code className="text-xs text-slate-600">{endpoint.model}</code>
							<span className="text-xs text-slate-500">{endpoint.baseUrl}</span>
						</summary>
						<div className="mt-4 space-y-3">
							<Form method="post" className="flex items-center gap-3">
								<input type="hidden" name="id" value={endpoint.id} />
								<button
									type="submit"
									name="intent"
									value="test"
									className="btn-secondary"
									disabled={busy}
									aria-label={`Test ${endpoint.name}`}
								>
									Test
								</button>
								{actionData?.intent === 'test' && actionData.id === endpoint.id && actionData.test ? (
									<TestResult result={actionData.test} />
								) : null}
							</Form>
							<Form method="post" className="space-y-3">
								<input type="hidden" name="id" value={endpoint.id} />
								<EndpointFields
									endpoint={endpoint}
									errors={
										actionData?.intent === 'update' && actionData.id === endpoint.id ? actionData.errors : undefined
									}
								/>
								<div className="flex gap-3">
									<button type="submit" name="intent" value="update" className="btn-primary" disabled={busy}>
										Save
									</button>
									<button
										type="submit"
										name="intent"
										value="delete"
										className="btn-secondary"
										disabled={busy}
										aria-label={`Delete ${endpoint.name}`}
									>
										Delete
									</button>
								</div>
							</Form>
						</div>
					</details>
				))}
			</section>
			<Form method="post" className="card space-y-3" aria-label="Add an endpoint">
				<h2 className="text-lg font-semibold">Add an endpoint</h2>
				<EndpointFields errors={actionData?.intent === 'create' ? actionData.errors : undefined} />
				<button type="submit" name="intent" value="create" className="btn-primary" disabled={busy}>
					Add endpoint
				</button>
			</Form>
		</main>
	)
}
