import { StoredRankingSchema } from '#app/modules/projects/json-columns.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { AnalyticsItem, AnalyticsJudgment } from './create-analytics-accumulator.ts'

type ItemColumns = {
	ids: string[] | null
	seqs: number[] | null
	external_ids: string[] | null
	is_gold: boolean[] | null
	golds: ({ ranking: string[][] } | null)[] | null
}
type ResponseColumns = {
	item_ids: string[] | null
	keys: string[] | null
	models: (string | null)[] | null
	lengths: number[] | null
	self_identifies: boolean[] | null
}
type JudgmentColumns = {
	item_ids: string[] | null
	user_ids: string[] | null
	rankings: string[][][] | null
	both_bad: boolean[] | null
	strengths: (number | null)[] | null
	active_ms: (number | null)[] | null
	display_orders: string[][] | null
	criteria: (Record<string, Record<string, number>> | null)[] | null
	sources: ('human' | 'model')[] | null
	inconsistent: boolean[] | null
}
type JudgeCallRow = {
	item_id: string
	user_id: string
	display_order: string[]
	verdict: { ranking?: unknown; confidence?: unknown; rationale?: unknown }
}
type AdjudicationRow = {
	item_id: string
	ranking: string[][]
	both_bad: boolean
	strength: number | null
	created_at: Date
}

/**
 * Reads a project's items with their responses, latest judgments and latest adjudication, in
 * batches of items by import order. Each query returns one row of arrays (one per column) rather
 * than a row per judgment, so a batch becomes a handful of arrays, and only one batch is in
 * memory at a time. Response lengths are octet_length, which Postgres reads from the TOAST
 * header without decompressing the content.
 */
export async function streamAnalyticsItems({
	projectId,
	batchSize = 2000,
	onItem,
}: {
	projectId: string
	batchSize?: number
	onItem: (item: AnalyticsItem) => void
}) {
	let after = 0
	for (;;) {
		const [items] = await prisma.$queryRaw<ItemColumns[]>`
			SELECT array_agg(b.id::text ORDER BY b.seq) AS ids, array_agg(b.seq::float8 ORDER BY b.seq) AS seqs,
				array_agg(b.external_id ORDER BY b.seq) AS external_ids, array_agg(b.is_gold ORDER BY b.seq) AS is_gold,
				json_agg(b.gold ORDER BY b.seq) AS golds
			FROM (
				SELECT id, seq, external_id, is_gold, gold FROM items
				WHERE project_id = ${projectId}::uuid AND seq > ${after}
				ORDER BY seq LIMIT ${batchSize}
			) b`
		const ids = items?.ids ?? []
		if (ids.length === 0) return
		after = items!.seqs![ids.length - 1]!

		const [responses, judgments, calls, adjudications] = await Promise.all([
			prisma.$queryRaw<ResponseColumns[]>`
				SELECT array_agg(r.item_id::text ORDER BY r.item_id, r.position) AS item_ids, array_agg(r.key ORDER BY r.item_id, r.position) AS keys,
					array_agg(r.model ORDER BY r.item_id, r.position) AS models, array_agg(octet_length(r.content) ORDER BY r.item_id, r.position) AS lengths,
					array_agg(r.self_identifies ORDER BY r.item_id, r.position) AS self_identifies
				FROM responses r WHERE r.item_id = ANY(${ids}::uuid[])`,
			prisma.$queryRaw<JudgmentColumns[]>`
				SELECT array_agg(j.item_id::text ORDER BY j.item_id, j.created_at, j.id) AS item_ids,
					array_agg(j.user_id::text ORDER BY j.item_id, j.created_at, j.id) AS user_ids,
					json_agg(j.ranking ORDER BY j.item_id, j.created_at, j.id) AS rankings,
					array_agg(j.both_bad ORDER BY j.item_id, j.created_at, j.id) AS both_bad,
					array_agg(j.strength ORDER BY j.item_id, j.created_at, j.id) AS strengths,
					array_agg(j.active_ms ORDER BY j.item_id, j.created_at, j.id) AS active_ms,
					json_agg(j.display_order ORDER BY j.item_id, j.created_at, j.id) AS display_orders,
					json_agg(j.criteria ORDER BY j.item_id, j.created_at, j.id) AS criteria,
					array_agg(j.source::text ORDER BY j.item_id, j.created_at, j.id) AS sources,
					array_agg(j.position_inconsistent ORDER BY j.item_id, j.created_at, j.id) AS inconsistent
				FROM judgments j WHERE j.item_id = ANY(${ids}::uuid[])`,
			// The two calls behind each AI judge's judgment (its run's), for the judge's position test.
			prisma.$queryRaw<JudgeCallRow[]>`
				SELECT c.item_id::text, j.user_id::text, c.display_order, c.verdict
				FROM judge_calls c JOIN judgments j ON j.judge_run_id = c.run_id AND j.item_id = c.item_id
				WHERE c.item_id = ANY(${ids}::uuid[]) AND c.state = 'done' AND c.verdict IS NOT NULL
				ORDER BY c.item_id, c."order"`,
			// The latest adjudication per item and set of keys ranked: one per item, but one per pair in a comparison project.
			prisma.$queryRaw<AdjudicationRow[]>`
				SELECT DISTINCT ON (a.item_id, a.keys) a.item_id::text, a.ranking, a.both_bad, a.strength, a.created_at
				FROM (
					SELECT a.*, (SELECT array_agg(k ORDER BY k) FROM jsonb_array_elements(a.ranking) t, jsonb_array_elements_text(t) k) AS keys
					FROM adjudications a WHERE a.item_id = ANY(${ids}::uuid[])
				) a
				ORDER BY a.item_id, a.keys, a.created_at DESC, a.id DESC`,
		])

		const byId = new Map<string, AnalyticsItem>()
		const batch = ids.map((itemId, i) => {
			const item: AnalyticsItem = {
				itemId,
				externalId: items!.external_ids![i]!,
				seq: items!.seqs![i]!,
				isGold: items!.is_gold![i]!,
				gold: items!.golds![i] ?? null,
				responses: [],
				judgments: [],
				adjudication: null,
			}
			byId.set(itemId, item)
			return item
		})
		const r = responses[0]
		r?.item_ids?.forEach((itemId, i) => {
			byId.get(itemId)?.responses.push({
				key: r.keys![i]!,
				model: r.models![i] ?? null,
				length: r.lengths![i]!,
				selfIdentifies: r.self_identifies![i]!,
			})
		})
		const j = judgments[0]
		j?.item_ids?.forEach((itemId, i) => {
			const judgment: AnalyticsJudgment = {
				userId: j.user_ids![i]!,
				ranking: j.rankings![i]!,
				bothBad: j.both_bad![i]!,
				strength: j.strengths![i] ?? null,
				criteria: j.criteria![i] ?? null,
				activeMs: j.active_ms![i] ?? null,
				displayOrder: j.display_orders![i]!,
				source: j.sources![i]!,
				positionInconsistent: j.inconsistent![i]!,
				calls: j.sources![i] === 'model' ? [] : null,
			}
			byId.get(itemId)?.judgments.push(judgment)
		})
		for (const call of calls) {
			const judgment = byId.get(call.item_id)?.judgments.find((each) => each.userId === call.user_id)
			const ranking = StoredRankingSchema.safeParse(call.verdict.ranking)
			if (judgment?.calls && ranking.success)
				judgment.calls.push({ displayOrder: call.display_order, ranking: ranking.data })
		}
		for (const row of adjudications) {
			const item = byId.get(row.item_id)
			if (!item) continue
			const adjudication = {
				ranking: row.ranking,
				bothBad: row.both_bad,
				strength: row.strength,
				createdAt: row.created_at.toISOString(),
			}
			if (!item.adjudication || adjudication.createdAt > item.adjudication.createdAt) item.adjudication = adjudication
			;(item.adjudications ??= []).push(adjudication)
		}
		for (const item of batch) onItem(item)
		if (ids.length < batchSize) return
	}
}
