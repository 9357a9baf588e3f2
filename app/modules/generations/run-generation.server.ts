import type { TaskType } from '#app/generated/prisma/enums.ts'
import type { ModelParams } from '#app/modules/models/model-endpoint.schema.ts'
import { loadEndpointConfigs } from '#app/modules/models/load-endpoint-configs.server.ts'
import type { ChatMessage, EndpointConfig } from '#app/modules/models/openai-client.server.ts'
import { runStopper } from '#app/modules/models/run-stopper.server.ts'
import { Semaphore } from '#app/modules/models/semaphore.ts'
import { sql, pgTransaction } from '#app/utils/db.server.ts'
import { projectSelfIdPattern } from '#app/modules/projects/arena-settings.ts'
import type { Logger } from '#app/utils/logger.server.ts'
import {
	callModelWithRetries,
	defaultRetryPolicy,
	ModelCallError,
	type ModelAnswer,
	type RetryPolicy,
} from './call-model.server.ts'
import { generationSettings, responseCapacity, responsesNeeded, type GenerationSettings } from './generation.schema.ts'
import { tryLockGeneration } from './generation-lock.server.ts'
import { isNearDuplicate } from './near-duplicates.ts'

/** The worker is shutting down: the run goes back to the queue and resumes where it stopped. */
export class GenerationHandedBackError extends Error {
	override name = 'GenerationHandedBackError'
}

export class GenerationBusyError extends Error {
	override name = 'GenerationBusyError'
}

export type RunGenerationHooks = {
	/** Instrumentation for tests: runs after each stored sample. */
	afterSample?: (args: { runId: string; taskId: string }) => Promise<void>
}

type RunOptions = {
	endpoints: { id: string; name: string; samples: number; params: ModelParams }[]
	items: { filter?: { metadata?: Record<string, unknown> } }
	system: string | null
}

type RunRow = {
	id: string
	status: string
	planned: boolean
	options: RunOptions
	project_id: string
	task_type: TaskType
	overlap: number
	generation: unknown
	arena: unknown
}

type TaskRow = {
	id: string
	endpoint_id: string
	sample_index: number
	response_key: string
	state: string
	regenerations: number
}

type ItemRow = { id: string; seq: string; context: { prompt?: string; messages?: ChatMessage[] } }

const endpointSlug = (name: string) =>
	name
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 40) || 'model'

/** Chooses the items and writes one task per (item, endpoint, sample), in one pgTransaction. */
async function planRun(run: RunRow, settings: GenerationSettings) {
	const capacity = responseCapacity(run.task_type)
	const filter = run.options.items?.filter?.metadata
	await pgTransaction(async (tx) => {
		await tx.query({
			text: `WITH chosen AS (
					SELECT i.id, (SELECT count(*) FROM responses r WHERE r.item_id = i.id)::int AS have
					FROM items i
					WHERE i.project_id = $1::uuid AND i.awaiting_responses AND NOT i.is_gold AND ($2::jsonb IS NULL OR i.metadata @> $2::jsonb)
						-- An item another live run is still filling is left to that run.
						AND NOT EXISTS (
							SELECT 1 FROM generation_tasks o JOIN generation_runs g ON g.id = o.run_id
							WHERE o.item_id = i.id AND o.state = 'pending' AND o.run_id <> $6::uuid AND g.status IN ('queued', 'running')
						)
				), slots AS (
					SELECT c.id AS item_id, c.have, e.endpoint_id, e.slug, s.sample,
						row_number() OVER (PARTITION BY c.id ORDER BY e.ord, s.sample) AS slot
					FROM chosen c
					CROSS JOIN unnest($3::uuid[], $4::text[], $5::int[]) WITH ORDINALITY AS e(endpoint_id, slug, samples, ord)
					CROSS JOIN LATERAL generate_series(0, e.samples - 1) AS s(sample)
				)
				INSERT INTO generation_tasks (run_id, item_id, endpoint_id, sample_index, response_key)
				SELECT $6::uuid, item_id, endpoint_id, sample,
					-- A comparison project's annotators see the keys, so there a key must not name its model.
					CASE WHEN $8::boolean THEN 'g-' || substr(md5($6::text || item_id::text || endpoint_id::text || sample::text), 1, 12)
					ELSE slug || '#' || (sample + 1 + (SELECT count(*) FROM responses r WHERE r.item_id = slots.item_id AND r.key LIKE slots.slug || '#%')) END
				FROM slots WHERE slot <= $7::int - have
				ON CONFLICT (run_id, item_id, endpoint_id, sample_index) DO NOTHING`,
			values: [
				run.project_id,
				filter && Object.keys(filter).length ? JSON.stringify(filter) : null,
				run.options.endpoints.map((endpoint) => endpoint.id),
				run.options.endpoints.map((endpoint) => endpointSlug(endpoint.name)),
				run.options.endpoints.map((endpoint) => endpoint.samples),
				run.id,
				capacity,
				run.task_type === 'comparison',
			],
		})
		await tx.query({
			text: `UPDATE generation_runs g SET planned = true,
					tasks_total = (SELECT count(*) FROM generation_tasks t WHERE t.run_id = g.id),
					items_total = (SELECT count(DISTINCT item_id) FROM generation_tasks t WHERE t.run_id = g.id)
				WHERE g.id = $1::uuid`,
			values: [run.id],
		})
	})
	void settings
}

function turnsOf(context: ItemRow['context']): ChatMessage[] {
	if (context.messages) return context.messages
	return [{ role: 'user', content: context.prompt ?? '' }]
}

export type RunGenerationResult = {
	status: 'succeeded' | 'failed' | 'cancelled' | 'skipped'
	done?: number
	failed?: number
}

/**
 * Runs one generation to its end: plans the tasks once, then calls each endpoint within its
 * concurrency limit, storing every sample with its task in one pgTransaction, so a run retried
 * after a crash generates only what is still missing. An item opens for annotation once all its
 * samples are in and it has enough distinct responses.
 */
export async function runGeneration({
	runId,
	signal,
	log,
	hooks = {},
	retryPolicy = defaultRetryPolicy,
	cancelPollMs = 1_000,
}: {
	runId: string
	signal?: AbortSignal
	log: Logger
	hooks?: RunGenerationHooks
	retryPolicy?: RetryPolicy
	cancelPollMs?: number
}): Promise<RunGenerationResult> {
	const lock = await tryLockGeneration({ runId })
	if (!lock) throw new GenerationBusyError('Another worker is running this generation')
	try {
		const [run] = await sql<RunRow>({
			text: `SELECT g.id::text, g.status::text, g.planned, g.options, g.project_id::text, p.task_type::text, p.overlap, p.generation, p.arena
				FROM generation_runs g JOIN projects p ON p.id = g.project_id WHERE g.id = $1::uuid`,
			values: [runId],
		})
		if (!run || !['queued', 'running'].includes(run.status)) return { status: 'skipped' }
		await sql({
			text: `UPDATE generation_runs SET status = 'running', started_at = coalesce(started_at, now()), error = NULL WHERE id = $1::uuid AND status IN ('queued', 'running')`,
			values: [runId],
		})
		const settings = generationSettings(run.generation)
		if (!run.planned) await planRun(run, settings)

		const endpoints = await loadEndpointConfigs({ ids: run.options.endpoints.map((endpoint) => endpoint.id) })
		const semaphores = new Map(
			[...endpoints.values()].map((endpoint) => [endpoint.id, new Semaphore(endpoint.concurrency)]),
		)
		const paramsFor = new Map(
			run.options.endpoints.map((wanted) => {
				const endpoint = endpoints.get(wanted.id)
				const params: ModelParams = { ...((endpoint?.params ?? {}) as ModelParams), ...wanted.params }
				if (run.options.system) params.system = run.options.system
				return [wanted.id, params]
			}),
		)

		const stopper = runStopper({ runsTable: 'generation_runs', runId, signal, pollMs: cancelPollMs })
		const stop = { signal: stopper.signal }

		const context = { run, settings, endpoints, semaphores, paramsFor, signal: stop.signal, retryPolicy, hooks, log }
		try {
			const maxInFlight = Math.min(
				512,
				Math.max(4, [...endpoints.values()].reduce((sum, endpoint) => sum + endpoint.concurrency, 0) * 2),
			)
			const inFlight = new Set<Promise<void>>()
			let lastSeq = '-1'
			let failure: unknown
			while (!stop.signal.aborted && failure === undefined) {
				const items = await sql<ItemRow & { tasks: TaskRow[] }>({
					name: 'quorum_generation_next_items',
					text: `SELECT i.id::text, i.seq::text, i.context,
							(SELECT json_agg(json_build_object('id', t.id, 'endpoint_id', t.endpoint_id, 'sample_index', t.sample_index, 'response_key', t.response_key, 'state', t.state, 'regenerations', t.regenerations))
								FROM generation_tasks t WHERE t.run_id = $1::uuid AND t.item_id = i.id AND t.state = 'pending') AS tasks
						FROM items i
						WHERE i.id IN (SELECT t.item_id FROM generation_tasks t WHERE t.run_id = $1::uuid AND t.state = 'pending') AND i.seq > $2::bigint
						ORDER BY i.seq LIMIT 500`,
					values: [runId, lastSeq],
				})
				if (items.length === 0) break
				lastSeq = items.at(-1)!.seq
				for (const item of items) {
					if (stop.signal.aborted || failure !== undefined) break
					while (inFlight.size >= maxInFlight) await Promise.race(inFlight)
					const work: Promise<void> = processItem(context, item, item.tasks ?? [])
						.catch((error: unknown) => {
							if (!stop.signal.aborted) failure = error
						})
						.finally(() => inFlight.delete(work))
					inFlight.add(work)
				}
			}
			await Promise.all(inFlight)
			if (failure !== undefined) throw failure
		} finally {
			stopper.dispose()
		}
		if (stopper.cancelled) return { status: 'cancelled' }
		if (signal?.aborted) throw new GenerationHandedBackError('The worker is shutting down; the generation will resume')

		// Items whose last sample was stored just before a crash were never settled.
		const unsettled = await sql<ItemRow>({
			text: `SELECT i.id::text, i.seq::text, i.context FROM items i
				WHERE i.awaiting_responses AND i.id IN (SELECT item_id FROM generation_tasks WHERE run_id = $1::uuid)`,
			values: [runId],
		})
		for (const item of unsettled) await settleItem(context, item)

		const [counts] = await sql<{ done: number; failed: number }>({
			text: `SELECT count(*) FILTER (WHERE state = 'done')::int AS done, count(*) FILTER (WHERE state = 'failed')::int AS failed FROM generation_tasks WHERE run_id = $1::uuid`,
			values: [runId],
		})
		const done = counts?.done ?? 0
		const failed = counts?.failed ?? 0
		const status = failed > 0 && done === 0 ? 'failed' : 'succeeded'
		await sql({
			text: `UPDATE generation_runs SET status = $2::"GenerationStatus", tasks_done = $3, tasks_failed = $4, finished_at = now(),
					error = CASE WHEN $2 = 'failed' THEN 'Every sample failed; see the errors' ELSE NULL END
				WHERE id = $1::uuid AND status = 'running'`,
			values: [runId, status, done, failed],
		})
		log.info('generation finished', { runId, status, done, failed })
		return { status, done, failed }
	} finally {
		await lock.release()
	}
}

type Context = {
	run: RunRow
	settings: GenerationSettings
	endpoints: Map<string, EndpointConfig>
	semaphores: Map<string, Semaphore>
	paramsFor: Map<string, ModelParams>
	signal: AbortSignal
	retryPolicy: RetryPolicy
	hooks: RunGenerationHooks
	log: Logger
}

async function processItem(context: Context, item: ItemRow, tasks: TaskRow[]) {
	await Promise.all(tasks.map((task) => generateSample(context, item, task)))
	if (context.signal.aborted) return
	await settleItem(context, item)
}

/** Calls the model for one task (within the endpoint's limit) and stores the answer; false when it failed. */
async function sample(
	context: Context,
	item: ItemRow,
	task: TaskRow,
	regenerations: number,
): Promise<ModelAnswer | ModelCallError | null> {
	const endpoint = context.endpoints.get(task.endpoint_id)
	if (!endpoint) return new ModelCallError('The endpoint was deleted before this sample was generated.', false, null)
	const base = context.paramsFor.get(task.endpoint_id) ?? {}
	// A fixed seed would give the same text again; each regeneration moves it on.
	const params = regenerations > 0 && base.seed !== undefined ? { ...base, seed: base.seed + regenerations } : base
	const semaphore = context.semaphores.get(task.endpoint_id)!
	await semaphore.acquire()
	try {
		if (context.signal.aborted) return null
		return await callModelWithRetries({
			endpoint,
			messages: turnsOf(item.context),
			params,
			signal: context.signal,
			policy: context.retryPolicy,
		})
	} catch (error) {
		if (context.signal.aborted) return null
		return error instanceof ModelCallError
			? error
			: new ModelCallError(error instanceof Error ? error.message : String(error), false, null)
	} finally {
		semaphore.release()
	}
}

async function generateSample(context: Context, item: ItemRow, task: TaskRow, { regenerate = false } = {}) {
	let regenerations = task.regenerations + (regenerate ? 1 : 0)
	let answer = await sample(context, item, task, regenerations)
	while (
		answer &&
		!(answer instanceof ModelCallError) &&
		answer.finishReason === 'length' &&
		context.settings.truncated === 'regenerate' &&
		regenerations < context.settings.maxRegenerations
	) {
		regenerations++
		answer = await sample(context, item, task, regenerations)
	}
	if (answer === null) return
	if (answer instanceof ModelCallError && regenerate) {
		// The earlier answer stays; counting the attempt keeps the duplicate loop finite.
		await sql({
			text: 'UPDATE generation_tasks SET regenerations = $2, updated_at = now() WHERE id = $1::uuid',
			values: [task.id, regenerations],
		})
		task.regenerations = regenerations
		return
	}
	if (answer instanceof ModelCallError) {
		await sql({
			name: 'quorum_generation_task_failed',
			text: `UPDATE generation_tasks SET state = 'failed', error = $2, attempts = attempts + $3, updated_at = now() WHERE id = $1::uuid`,
			values: [task.id, answer.message, answer.attempts],
		})
		return
	}
	await storeSample(context, item, task, answer, regenerations)
	task.regenerations = regenerations
	await context.hooks.afterSample?.({ runId: context.run.id, taskId: task.id })
}

async function storeSample(
	context: Context,
	item: ItemRow,
	task: TaskRow,
	answer: ModelAnswer & { attempts?: number },
	regenerations: number,
) {
	const endpoint = context.endpoints.get(task.endpoint_id)!
	const params = context.paramsFor.get(task.endpoint_id) ?? {}
	const truncated = answer.finishReason === 'length'
	const generation = {
		runId: context.run.id,
		endpoint: endpoint.name,
		endpointId: endpoint.id,
		model: endpoint.model,
		sample: task.sample_index,
		params,
		latencyMs: answer.latencyMs,
		usage: answer.usage,
		finishReason: answer.finishReason,
		...(truncated ? { truncated: true } : {}),
		...(regenerations > 0 ? { regenerations } : {}),
	}
	// One statement, so the response and its task's `done` are committed together.
	await sql({
		name: 'quorum_generation_store_sample',
		text: `WITH stored AS (
				INSERT INTO responses (item_id, key, position, model, content, metadata, self_identifies)
				VALUES ($9::uuid, $10, $14, $11, $12, $13::jsonb, COALESCE($12 ~* $15::text, false))
				ON CONFLICT (item_id, key) DO UPDATE SET model = EXCLUDED.model, content = EXCLUDED.content, metadata = EXCLUDED.metadata,
					self_identifies = EXCLUDED.self_identifies
				RETURNING id
			)
			UPDATE generation_tasks SET state = 'done', error = NULL, attempts = attempts + $2, regenerations = $3, latency_ms = $4,
				usage = $5::jsonb, finish_reason = $6, reasoning = $7, params = $8::jsonb, updated_at = now()
			WHERE id = $1::uuid AND EXISTS (SELECT 1 FROM stored)`,
		values: [
			task.id,
			answer.attempts ?? 1,
			regenerations,
			answer.latencyMs,
			answer.usage ? JSON.stringify(answer.usage) : null,
			answer.finishReason,
			answer.reasoning,
			JSON.stringify(params),
			item.id,
			task.response_key,
			endpoint.model,
			answer.content,
			JSON.stringify({ generation }),
			// After the imported responses, in the run's endpoint and sample order; renumbered when the item opens.
			1000 + context.run.options.endpoints.findIndex((wanted) => wanted.id === endpoint.id) * 100 + task.sample_index,
			projectSelfIdPattern({ taskType: context.run.task_type, arena: context.run.arena }),
		],
	})
}

/**
 * Once an item has no pending sample: regenerate near-duplicates (up to the project's limit),
 * then open the item if it has enough responses, or mark it when its responses stay copies.
 */
async function settleItem(context: Context, item: ItemRow) {
	const { settings, run } = context
	for (;;) {
		if (context.signal.aborted) return
		const [state] = await sql<{
			pending: number
			responses: { key: string; content: string }[]
			models: number
			tasks: TaskRow[] | null
		}>({
			name: 'quorum_generation_settle_read',
			text: `SELECT
					(SELECT count(*)::int FROM generation_tasks WHERE run_id = $1::uuid AND item_id = $2::uuid AND state = 'pending') AS pending,
					coalesce((SELECT json_agg(json_build_object('key', r.key, 'content', r.content) ORDER BY r.position, r.key) FROM responses r WHERE r.item_id = $2::uuid), '[]') AS responses,
					(SELECT count(DISTINCT coalesce(r.model, r.key))::int FROM responses r WHERE r.item_id = $2::uuid) AS models,
					(SELECT json_agg(json_build_object('id', t.id, 'endpoint_id', t.endpoint_id, 'sample_index', t.sample_index, 'response_key', t.response_key, 'state', t.state, 'regenerations', t.regenerations))
						FROM generation_tasks t WHERE t.run_id = $1::uuid AND t.item_id = $2::uuid AND t.state = 'done') AS tasks`,
			values: [run.id, item.id],
		})
		if (!state || state.pending > 0) return
		const responses = state.responses
		const ours = new Map((state.tasks ?? []).map((task) => [task.response_key, task]))
		let copy: TaskRow | undefined
		for (let j = 0; j < responses.length && !copy; j++) {
			const later = ours.get(responses[j]!.key)
			if (!later) continue
			for (let i = 0; i < j; i++) {
				if (isNearDuplicate(responses[i]!.content, responses[j]!.content, settings.duplicateThreshold)) {
					copy = later
					break
				}
			}
		}
		if (copy && copy.regenerations < settings.maxRegenerations) {
			await generateSample(context, item, copy, { regenerate: true })
			continue
		}
		const needed = responsesNeeded({ taskType: run.task_type, settings })
		if (copy) {
			await sql({
				text: `UPDATE items SET generation_issue = 'duplicate-responses', is_open = false, updated_at = now() WHERE id = $1::uuid`,
				values: [item.id],
			})
			context.log.info('item left closed: its responses stay near-duplicates', { itemId: item.id })
		} else if (responses.length >= needed && run.task_type === 'comparison' && state.models < 2) {
			// A battle needs two models: samples of one model alone never open a comparison prompt.
			await sql({
				text: `UPDATE items SET generation_issue = 'one-model', updated_at = now() WHERE id = $1::uuid`,
				values: [item.id],
			})
		} else if (responses.length >= needed) {
			await sql({
				name: 'quorum_generation_open_item',
				text: `WITH ordered AS (SELECT id, row_number() OVER (ORDER BY position, key) - 1 AS n FROM responses WHERE item_id = $1::uuid),
					renumbered AS (UPDATE responses r SET position = ordered.n FROM ordered WHERE r.id = ordered.id AND r.position <> ordered.n RETURNING 1)
					UPDATE items SET awaiting_responses = false, generation_issue = NULL, is_open = judgment_count < $2, updated_at = now()
					WHERE id = $1::uuid AND awaiting_responses AND (SELECT count(*) FROM renumbered) >= 0`,
				values: [item.id, run.overlap],
			})
		} else {
			await sql({
				text: `UPDATE items SET generation_issue = 'too-few-responses', updated_at = now() WHERE id = $1::uuid`,
				values: [item.id],
			})
		}
		return
	}
}
