import type { TaskType } from '#app/generated/prisma/enums.ts'
import {
	callModelWithRetries,
	defaultRetryPolicy,
	ModelCallError,
	type ModelAnswer,
	type RetryPolicy,
} from '#app/modules/generations/call-model.server.ts'
import { generationSettings, responsesNeeded } from '#app/modules/generations/generation.schema.ts'
import { loadEndpointConfigs } from '#app/modules/models/load-endpoint-configs.server.ts'
import type { ModelParams } from '#app/modules/models/model-endpoint.schema.ts'
import type { EndpointConfig } from '#app/modules/models/openai-client.server.ts'
import { tryLockRun } from '#app/modules/models/run-lock.server.ts'
import { runStopper } from '#app/modules/models/run-stopper.server.ts'
import { Semaphore } from '#app/modules/models/semaphore.ts'
import { parseCriteria } from '#app/modules/projects/json-columns.ts'
import { pgTransaction, sql } from '#app/utils/db.server.ts'
import type { Logger } from '#app/utils/logger.server.ts'
import { getJudgeTemplateVersion } from './judge-templates.server.ts'
import { renderJudgePrompt, type JudgeContext } from './judge-template.ts'
import { parseVerdict, verdictResponseFormat, type VerdictRules } from './verdict.ts'
import { judgeIdempotencyKey, writeJudgeJudgment } from './write-judge-judgment.server.ts'

const JUDGE_RUN_LOCK_CLASS = 7_340_003

export const tryLockJudgeRun = ({ runId, connectionString }: { runId: string; connectionString?: string }) =>
	tryLockRun({ lockClass: JUDGE_RUN_LOCK_CLASS, runId, applicationName: 'quorum-judge-run-lock', connectionString })

/** The worker is shutting down: the run goes back to the queue and resumes where it stopped. */
export class JudgeRunHandedBackError extends Error {
	override name = 'JudgeRunHandedBackError'
}

export class JudgeRunBusyError extends Error {
	override name = 'JudgeRunBusyError'
}

export type RunJudgeHooks = {
	/** Instrumentation for tests: runs after each stored call (done or failed). */
	afterCall?: (args: { runId: string; callId: string; itemId: string; order: number }) => Promise<void>
}

type RunRow = {
	id: string
	status: string
	planned: boolean
	options: { items?: { filter?: { metadata?: Record<string, unknown> } } }
	project_id: string
	endpoint_id: string | null
	judge_user_id: string
	template_version: number
	task_type: TaskType
	use_strength: boolean
	criteria: unknown
	generation: unknown
	guidelines: string
}

type CallRow = { id: string; order: number; display_order: string[] }
type ItemRow = {
	id: string
	seq: string
	context: JudgeContext
	responses: { key: string; content: string }[]
	calls: CallRow[] | null
}

type Context = {
	run: RunRow
	endpoint: EndpointConfig
	semaphore: Semaphore
	params: ModelParams
	template: string
	rules: VerdictRules
	criteria: { name: string; description?: string; min?: number; max?: number }[]
	/** Cleared for the rest of the run once the server refuses `response_format`. */
	structured: { enabled: boolean }
	signal: AbortSignal
	retryPolicy: RetryPolicy
	hooks: RunJudgeHooks
	log: Logger
}

export type RunJudgeResult = {
	status: 'succeeded' | 'failed' | 'cancelled' | 'skipped'
	done?: number
	failed?: number
	judged?: number
}

/**
 * Two calls per item, order 0 (the responses' own order) and 1 (reversed). Items: servable ones
 * (gold included) with enough responses, optionally filtered by metadata, minus those this judge
 * already judged with the same template version.
 */
async function planRun(run: RunRow) {
	const filter = run.options.items?.filter?.metadata
	const needed = responsesNeeded({ taskType: run.task_type, settings: generationSettings(run.generation) })
	await pgTransaction(async (tx) => {
		await tx.query({
			text: `WITH chosen AS (
					SELECT i.id, (SELECT array_agg(r.key ORDER BY r.position, r.key) FROM responses r WHERE r.item_id = i.id) AS keys
					FROM items i
					WHERE i.project_id = $1::uuid AND NOT i.awaiting_responses AND i.generation_issue IS NULL
						AND ($2::jsonb IS NULL OR i.metadata @> $2::jsonb)
						AND NOT EXISTS (
							SELECT 1 FROM judgments j JOIN judge_runs jr ON jr.id = j.judge_run_id
							WHERE j.item_id = i.id AND j.user_id = $3::uuid AND jr.template_version = $4
						)
				)
				INSERT INTO judge_calls (run_id, item_id, "order", display_order)
				SELECT $5::uuid, c.id, o.n, CASE WHEN o.n = 0 THEN c.keys ELSE ARRAY(SELECT k FROM unnest(c.keys) WITH ORDINALITY AS u(k, pos) ORDER BY pos DESC) END
				FROM chosen c CROSS JOIN (VALUES (0), (1)) AS o(n)
				WHERE cardinality(c.keys) >= $6::int
				ON CONFLICT (run_id, item_id, "order") DO NOTHING`,
			values: [
				run.project_id,
				filter && Object.keys(filter).length ? JSON.stringify(filter) : null,
				run.judge_user_id,
				run.template_version,
				run.id,
				needed,
			],
		})
		await tx.query({
			text: `UPDATE judge_runs r SET planned = true,
					tasks_total = (SELECT count(*) FROM judge_calls c WHERE c.run_id = r.id),
					items_total = (SELECT count(DISTINCT item_id) FROM judge_calls c WHERE c.run_id = r.id)
				WHERE r.id = $1::uuid`,
			values: [run.id],
		})
	})
}

async function finish(runId: string, status: 'failed', error: string) {
	await sql({
		text: `UPDATE judge_runs SET status = $2::"GenerationStatus", error = $3, finished_at = now() WHERE id = $1::uuid AND status = 'running'`,
		values: [runId, status, error],
	})
}

/**
 * Runs one judge run to its end: plans the calls once, then asks the judge within the endpoint's
 * concurrency limit, storing each call's verdict as it comes, and the item's judgment once both
 * orders are in. A run retried after a crash asks only what is still pending: a done or failed
 * (run, item, order) is never called again.
 */
export async function runJudge({
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
	hooks?: RunJudgeHooks
	retryPolicy?: RetryPolicy
	cancelPollMs?: number
}): Promise<RunJudgeResult> {
	const lock = await tryLockJudgeRun({ runId })
	if (!lock) throw new JudgeRunBusyError('Another worker is running this judge run')
	try {
		const [run] = await sql<RunRow>({
			text: `SELECT r.id::text, r.status::text, r.planned, r.options, r.project_id::text, r.endpoint_id::text, r.judge_user_id::text,
					r.template_version, p.task_type::text, p.use_strength, p.criteria, p.generation,
					COALESCE((SELECT g.content FROM guideline_versions g WHERE g.project_id = p.id ORDER BY g.version DESC LIMIT 1), '') AS guidelines
				FROM judge_runs r JOIN projects p ON p.id = r.project_id WHERE r.id = $1::uuid`,
			values: [runId],
		})
		if (!run || !['queued', 'running'].includes(run.status)) return { status: 'skipped' }
		await sql({
			text: `UPDATE judge_runs SET status = 'running', started_at = coalesce(started_at, now()), error = NULL WHERE id = $1::uuid AND status IN ('queued', 'running')`,
			values: [runId],
		})
		const endpoint = run.endpoint_id
			? (await loadEndpointConfigs({ ids: [run.endpoint_id] })).get(run.endpoint_id)
			: undefined
		if (!endpoint) {
			await finish(runId, 'failed', 'The endpoint was deleted before the run started.')
			return { status: 'failed' }
		}
		const template = await getJudgeTemplateVersion({ projectId: run.project_id, version: run.template_version })
		if (template === null) {
			await finish(runId, 'failed', `Judge template version ${run.template_version} no longer exists.`)
			return { status: 'failed' }
		}
		if (!run.planned) await planRun(run)

		const stopper = runStopper({ runsTable: 'judge_runs', runId, signal, pollMs: cancelPollMs })
		const context: Context = {
			run,
			endpoint,
			semaphore: new Semaphore(endpoint.concurrency),
			params: (endpoint.params ?? {}) as ModelParams,
			template,
			rules: { taskType: run.task_type, useStrength: run.use_strength },
			criteria: parseCriteria(run.criteria),
			structured: { enabled: true },
			signal: stopper.signal,
			retryPolicy,
			hooks,
			log,
		}
		try {
			const maxInFlight = Math.min(512, Math.max(4, endpoint.concurrency * 2))
			const inFlight = new Set<Promise<void>>()
			let lastSeq = '-1'
			let failure: unknown
			while (!stopper.signal.aborted && failure === undefined) {
				const items = await sql<ItemRow>({
					name: 'quorum_judge_next_items',
					text: `SELECT i.id::text, i.seq::text, i.context,
							coalesce((SELECT json_agg(json_build_object('key', r.key, 'content', r.content)) FROM responses r WHERE r.item_id = i.id), '[]') AS responses,
							(SELECT json_agg(json_build_object('id', c.id, 'order', c."order", 'display_order', c.display_order) ORDER BY c."order")
								FROM judge_calls c WHERE c.run_id = $1::uuid AND c.item_id = i.id AND c.state = 'pending') AS calls
						FROM items i
						WHERE i.id IN (SELECT c.item_id FROM judge_calls c WHERE c.run_id = $1::uuid AND c.state = 'pending') AND i.seq > $2::bigint
						ORDER BY i.seq LIMIT 500`,
					values: [runId, lastSeq],
				})
				if (items.length === 0) break
				lastSeq = items.at(-1)!.seq
				for (const item of items) {
					if (stopper.signal.aborted || failure !== undefined) break
					while (inFlight.size >= maxInFlight) await Promise.race(inFlight)
					const work: Promise<void> = processItem(context, item)
						.catch((error: unknown) => {
							if (!stopper.signal.aborted) failure = error
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
		if (signal?.aborted) throw new JudgeRunHandedBackError('The worker is shutting down; the judge run will resume')

		// Items whose second call was stored just before a crash have no judgment yet.
		const unsettled = await sql<{ item_id: string }>({
			text: `SELECT c.item_id::text FROM judge_calls c WHERE c.run_id = $1::uuid
				GROUP BY c.item_id HAVING count(*) FILTER (WHERE c.state = 'done') = 2
					AND NOT EXISTS (SELECT 1 FROM judgments j WHERE j.item_id = c.item_id AND j.idempotency_key = 'judge:' || $1 || ':' || c.item_id::text)`,
			values: [runId],
		})
		for (const row of unsettled) await writeJudgeJudgment({ runId, itemId: row.item_id })

		const [counts] = await sql<{ done: number; failed: number; judged: number }>({
			text: `SELECT count(*) FILTER (WHERE state = 'done')::int AS done, count(*) FILTER (WHERE state = 'failed')::int AS failed,
					(SELECT count(*) FROM judgments WHERE judge_run_id = $1::uuid)::int AS judged
				FROM judge_calls WHERE run_id = $1::uuid`,
			values: [runId],
		})
		const done = counts?.done ?? 0
		const failed = counts?.failed ?? 0
		const judged = counts?.judged ?? 0
		const status = failed > 0 && done === 0 ? 'failed' : 'succeeded'
		await sql({
			text: `UPDATE judge_runs SET status = $2::"GenerationStatus", tasks_done = $3, tasks_failed = $4, items_judged = $5, finished_at = now(),
					error = CASE WHEN $2 = 'failed' THEN 'Every judge call failed; see the errors' ELSE NULL END
				WHERE id = $1::uuid AND status = 'running'`,
			values: [runId, status, done, failed, judged],
		})
		log.info('judge run finished', { runId, status, done, failed, judged })
		return { status, done, failed, judged }
	} finally {
		await lock.release()
	}
}

async function processItem(context: Context, item: ItemRow) {
	await Promise.all((item.calls ?? []).map((call) => judgeCall(context, item, call)))
	if (context.signal.aborted) return
	const result = await writeJudgeJudgment({ runId: context.run.id, itemId: item.id })
	if (result.outcome === 'stored' || result.outcome === 'revised')
		context.log.debug('judgment written', {
			itemId: item.id,
			key: judgeIdempotencyKey({ runId: context.run.id, itemId: item.id }),
		})
}

async function ask(context: Context, prompt: string, count: number, structured: boolean) {
	const params: ModelParams = structured
		? {
				...context.params,
				extra: { ...context.params.extra, response_format: verdictResponseFormat({ count, ...context.rules }) },
			}
		: context.params
	return callModelWithRetries({
		endpoint: context.endpoint,
		messages: [{ role: 'user', content: prompt }],
		params,
		signal: context.signal,
		policy: context.retryPolicy,
	})
}

/** Asks the judge about one item in one order; null when the run stopped before an answer. */
async function answerFor(context: Context, item: ItemRow, call: CallRow): Promise<ModelAnswer | ModelCallError | null> {
	const byKey = new Map(item.responses.map((response) => [response.key, response.content]))
	const prompt = renderJudgePrompt({
		template: context.template,
		input: {
			taskType: context.rules.taskType,
			useStrength: context.rules.useStrength,
			guidelines: context.run.guidelines,
			criteria: context.criteria,
			context: item.context,
			responses: call.display_order.map((key) => ({ content: byKey.get(key) ?? '' })),
		},
	})
	await context.semaphore.acquire()
	try {
		if (context.signal.aborted) return null
		const structured = context.structured.enabled
		try {
			return await ask(context, prompt, call.display_order.length, structured)
		} catch (error) {
			// Servers without structured output answer 400 to `response_format`: ask once without it, and when
			// that works, never send it again this run.
			if (structured && error instanceof ModelCallError && error.status === 400 && !context.signal.aborted) {
				const retried = await ask(context, prompt, call.display_order.length, false)
				if (context.structured.enabled)
					context.log.info('the judge endpoint refused response_format; asking without it', { runId: context.run.id })
				context.structured.enabled = false
				return { ...retried, attempts: retried.attempts + (error.attempts ?? 1) }
			}
			throw error
		}
	} catch (error) {
		if (context.signal.aborted) return null
		return error instanceof ModelCallError
			? error
			: new ModelCallError(error instanceof Error ? error.message : String(error), false, null)
	} finally {
		context.semaphore.release()
	}
}

async function judgeCall(context: Context, item: ItemRow, call: CallRow) {
	const answer = await answerFor(context, item, call)
	if (answer === null) return
	if (answer instanceof ModelCallError) {
		await sql({
			name: 'quorum_judge_call_failed',
			text: `UPDATE judge_calls SET state = 'failed', error = $2, attempts = attempts + $3, updated_at = now() WHERE id = $1::uuid AND state = 'pending'`,
			values: [call.id, answer.message, answer.attempts],
		})
	} else {
		const attempts = (answer as ModelAnswer & { attempts?: number }).attempts ?? 1
		const parsed = parseVerdict({ text: answer.answer, keys: call.display_order, rules: context.rules })
		await sql({
			name: 'quorum_judge_call_store',
			text: `UPDATE judge_calls SET state = $2::"GenerationTaskState", verdict = $3::jsonb, raw = $4, error = $5, attempts = attempts + $6,
					latency_ms = $7, usage = $8::jsonb, updated_at = now()
				WHERE id = $1::uuid AND state = 'pending'`,
			values: [
				call.id,
				parsed.ok ? 'done' : 'failed',
				parsed.ok ? JSON.stringify(parsed.verdict) : null,
				answer.content,
				parsed.ok ? null : `The judge's answer could not be read: ${parsed.reason}`,
				attempts,
				answer.latencyMs,
				answer.usage ? JSON.stringify(answer.usage) : null,
			],
		})
	}
	await context.hooks.afterCall?.({ runId: context.run.id, callId: call.id, itemId: item.id, order: call.order })
}
