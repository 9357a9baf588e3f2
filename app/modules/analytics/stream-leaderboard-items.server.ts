import { responseStyle, type ResponseStyle } from '#app/modules/stats/response-style.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { ExtrasItem } from './leaderboard-extras.ts'

type ItemColumns = {
	ids: string[] | null
	seqs: number[] | null
	is_gold: boolean[] | null
	metadata: unknown[] | null
}
type ResponseColumns = {
	ids: string[] | null
	item_ids: string[] | null
	keys: string[] | null
	models: (string | null)[] | null
	styles: (ResponseStyle | null)[] | null
	contents: (string | null)[] | null
	self_identifies: boolean[] | null
}
type JudgmentColumns = {
	item_ids: string[] | null
	rankings: string[][][] | null
	both_bad: boolean[] | null
	display_orders: string[][] | null
	criteria: (Record<string, Record<string, number>> | null)[] | null
}

/**
 * Reads a project's judged items for the controlled and per-category leaderboards, in batches by
 * import order (one row of arrays per query, as streamAnalyticsItems does): item metadata, the
 * responses' style counts and each judgment's ranking, display order and criterion scores. Style
 * counts are computed once per response (tokenizing is most of the cost) and kept in
 * `responses.style`; only responses that name a model and have none yet send their text.
 * Columns come as JSON, which V8 parses natively; a text[] of long texts is parsed character by
 * character in JavaScript.
 */
export async function streamLeaderboardItems({
	projectId,
	batchSize = 2000,
	includeModel = false,
	comparison = false,
	onItem,
}: {
	projectId: string
	batchSize?: number
	includeModel?: boolean
	/** A comparison project's responses without a model battle under their key, so they need counts too. */
	comparison?: boolean
	onItem: (item: ExtrasItem) => void
}) {
	let after = 0
	for (;;) {
		const [items] = await prisma.$queryRaw<ItemColumns[]>`
			SELECT array_agg(b.id::text ORDER BY b.seq) AS ids, array_agg(b.seq::float8 ORDER BY b.seq) AS seqs,
				array_agg(b.is_gold ORDER BY b.seq) AS is_gold, json_agg(b.metadata ORDER BY b.seq) AS metadata
			FROM (
				SELECT id, seq, is_gold, metadata FROM items
				WHERE project_id = ${projectId}::uuid AND seq > ${after} AND EXISTS (SELECT 1 FROM judgments j WHERE j.item_id = items.id AND (j.source = 'human' OR ${includeModel}))
				ORDER BY seq LIMIT ${batchSize}
			) b`
		const ids = items?.ids ?? []
		if (ids.length === 0) return
		after = items!.seqs![ids.length - 1]!

		const [responses, judgments] = await Promise.all([
			prisma.$queryRaw<ResponseColumns[]>`
				SELECT json_agg(r.id ORDER BY r.item_id, r.position) AS ids,
					json_agg(r.item_id ORDER BY r.item_id, r.position) AS item_ids, json_agg(r.key ORDER BY r.item_id, r.position) AS keys,
					json_agg(r.model ORDER BY r.item_id, r.position) AS models, json_agg(r.style ORDER BY r.item_id, r.position) AS styles,
					json_agg(CASE WHEN (r.model IS NULL AND NOT ${comparison}) OR r.style IS NOT NULL THEN NULL ELSE r.content END ORDER BY r.item_id, r.position) AS contents,
					json_agg(r.self_identifies ORDER BY r.item_id, r.position) AS self_identifies
				FROM responses r WHERE r.item_id = ANY(${ids}::uuid[])`,
			prisma.$queryRaw<JudgmentColumns[]>`
				SELECT json_agg(j.item_id ORDER BY j.item_id, j.created_at, j.id) AS item_ids,
					json_agg(j.ranking ORDER BY j.item_id, j.created_at, j.id) AS rankings,
					array_agg(j.both_bad ORDER BY j.item_id, j.created_at, j.id) AS both_bad,
					json_agg(j.display_order ORDER BY j.item_id, j.created_at, j.id) AS display_orders,
					json_agg(j.criteria ORDER BY j.item_id, j.created_at, j.id) AS criteria
				FROM judgments j WHERE j.item_id = ANY(${ids}::uuid[]) AND (j.source = 'human' OR ${includeModel})`,
		])

		const byId = new Map<string, ExtrasItem>()
		const batch = ids.map((itemId, i) => {
			const item: ExtrasItem = {
				isGold: items!.is_gold![i]!,
				metadata: items!.metadata![i] ?? null,
				responses: [],
				judgments: [],
			}
			byId.set(itemId, item)
			return item
		})
		const r = responses[0]
		const computedIds: string[] = []
		const computed: string[] = []
		r?.item_ids?.forEach((itemId, i) => {
			let style = r.styles![i] ?? null
			const model = r.models![i] ?? null
			if (!style && (model !== null || comparison)) {
				style = responseStyle(r.contents![i] ?? '')
				computedIds.push(r.ids![i]!)
				computed.push(JSON.stringify(style))
			}
			byId.get(itemId)?.responses.push({
				key: r.keys![i]!,
				model,
				style: style ?? { tokens: 0, headers: 0, lists: 0, bold: 0 },
				selfIdentifies: r.self_identifies![i]!,
			})
		})
		if (computedIds.length > 0) {
			await prisma.$executeRaw`
				UPDATE responses r SET style = v.style::jsonb
				FROM unnest(${computedIds}::uuid[], ${computed}::text[]) AS v(id, style) WHERE r.id = v.id`
		}
		const j = judgments[0]
		j?.item_ids?.forEach((itemId, i) => {
			byId.get(itemId)?.judgments.push({
				ranking: j.rankings![i]!,
				bothBad: j.both_bad![i]!,
				displayOrder: j.display_orders![i]!,
				criteria: j.criteria![i] ?? null,
			})
		})
		for (const item of batch) onItem(item)
		if (ids.length < batchSize) return
	}
}
