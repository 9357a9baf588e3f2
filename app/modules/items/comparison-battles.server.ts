import { splitComparisonItem } from '#app/modules/analytics/comparison-units.ts'
import { parseRanking } from '#app/modules/projects/json-columns.ts'
import { prisma } from '#app/utils/db.server.ts'

export type PairBattles = {
	/** The two response keys, in stored order. */
	pair: [string, string]
	battles: number
	/** Wins of the pair's first and second response. */
	wins: [number, number]
	ties: number
	bothBad: number
}

/**
 * The battles of comparison items, per pair of responses judged (ADR 0024): how many judgments
 * saw each pair and how they came out. One query for a page of items.
 */
export async function loadComparisonBattles({ itemIds }: { itemIds: string[] }) {
	const result = new Map<string, PairBattles[]>()
	if (itemIds.length === 0) return result
	const [responses, judgments] = await Promise.all([
		prisma.response.findMany({
			where: { itemId: { in: itemIds } },
			select: { itemId: true, key: true },
			orderBy: [{ itemId: 'asc' }, { position: 'asc' }],
		}),
		prisma.judgment.findMany({
			// People's battles, as the leaderboard counts them; an AI judge's verdicts are not battles.
			where: { itemId: { in: itemIds }, source: 'human' },
			select: { itemId: true, displayOrder: true, ranking: true, bothBad: true },
			orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
		}),
	])
	const keysOf = new Map<string, { key: string }[]>()
	for (const response of responses) {
		let keys = keysOf.get(response.itemId)
		if (!keys) keysOf.set(response.itemId, (keys = []))
		keys.push({ key: response.key })
	}
	const judgmentsOf = new Map<string, { displayOrder: string[]; ranking: string[][]; bothBad: boolean }[]>()
	for (const judgment of judgments) {
		let list = judgmentsOf.get(judgment.itemId)
		if (!list) judgmentsOf.set(judgment.itemId, (list = []))
		list.push({
			displayOrder: judgment.displayOrder,
			ranking: parseRanking(judgment.ranking),
			bothBad: judgment.bothBad,
		})
	}
	for (const itemId of itemIds) {
		const { units } = splitComparisonItem({
			responses: keysOf.get(itemId) ?? [],
			judgments: judgmentsOf.get(itemId) ?? [],
		})
		result.set(
			itemId,
			units.map(({ pair, judgments: seen }) => {
				const entry: PairBattles = { pair, battles: seen.length, wins: [0, 0], ties: 0, bothBad: 0 }
				for (const judgment of seen) {
					const top = judgment.ranking[0] ?? []
					if (judgment.bothBad) entry.bothBad++
					else if (judgment.ranking.length < 2 || top.length !== 1) entry.ties++
					else if (top[0] === pair[0]) entry.wins[0]++
					else entry.wins[1]++
				}
				return entry
			}),
		)
	}
	return result
}
