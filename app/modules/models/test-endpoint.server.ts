import { assertPermission } from '#app/modules/auth/require.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { assertUuid, notFound } from '#app/utils/errors.ts'
import { describeFailure } from './describe-failure.ts'
import { openAiClient } from './openai-client.server.ts'

export type EndpointTestResult =
	| { ok: true; latencyMs: number; models: string[] | null; reply: string }
	| { ok: false; message: string; step: 'models' | 'completion'; models: string[] | null }

/** `GET /models`, then a one-token completion: the latency, or one sentence saying what failed. */
export async function testModelEndpoint({ user, id }: { user: SessionUser; id: string }): Promise<EndpointTestResult> {
	assertPermission(user, 'manage:models')
	assertUuid(id, 'model endpoint')
	const endpoint = await prisma.modelEndpoint.findUnique({ where: { id } })
	if (!endpoint) throw notFound('No such model endpoint')
	const client = openAiClient(endpoint)
	const describe = (error: unknown, models: string[] | null) =>
		describeFailure({
			error,
			baseUrl: endpoint.baseUrl,
			model: endpoint.model,
			timeoutSeconds: endpoint.timeoutSeconds,
			availableModels: models,
		})

	let models: string[] | null = null
	try {
		const page = await client.models.list()
		models = page.data.map((model) => model.id)
	} catch (error) {
		const status = (error as { status?: number }).status
		// Some servers have no model list; the completion below still tells whether the model works.
		if (status !== 404 && status !== 405)
			return { ok: false, step: 'models', message: describe(error, null), models: null }
	}
	const started = performance.now()
	try {
		const completion = await client.chat.completions.create({
			model: endpoint.model,
			messages: [{ role: 'user', content: 'Reply with OK.' }],
			max_tokens: 1,
			stream: false,
		})
		const latencyMs = Math.round(performance.now() - started)
		return { ok: true, latencyMs, models, reply: completion.choices[0]?.message?.content ?? '' }
	} catch (error) {
		return { ok: false, step: 'completion', message: describe(error, models ?? []), models }
	}
}
