/**
 * A comparison (arena) item holds N responses, and each judgment saw two of them: its
 * `display_order` names the two keys in the order shown and its ranking ranks those two. The unit
 * of consensus, agreement, review and the leaderboard is therefore (item, pair of keys), not the
 * item (ADR 0024). A pair is written in the responses' stored order, so a unit reads exactly like
 * a pairwise item whose first response is the pair's first.
 */

export type ComparisonPair = [string, string]

/** The two distinct known keys a comparison judgment saw, in stored order; null when it did not see exactly two. */
export function comparisonPairOf({
	displayOrder,
	positions,
}: {
	displayOrder: readonly string[]
	positions: ReadonlyMap<string, number>
}): ComparisonPair | null {
	if (displayOrder.length !== 2) return null
	const [x, y] = displayOrder as [string, string]
	const px = positions.get(x)
	const py = positions.get(y)
	if (px === undefined || py === undefined || x === y) return null
	return px < py ? [x, y] : [y, x]
}

export const comparisonPairKey = (pair: readonly string[]) => `${pair[0]}\u0000${pair[1]}`

/**
 * Splits an item's judgments by the pair each saw. Units come in stored order of their pair
 * (first key, then second); judgments keep their order. Judgments that did not see exactly two
 * of the item's keys belong to no unit and are returned apart.
 */
export function splitComparisonItem<R extends { key: string }, J extends { displayOrder: readonly string[] }>({
	responses,
	judgments,
}: {
	responses: readonly R[]
	judgments: readonly J[]
}): {
	units: { pair: ComparisonPair; positions: [number, number]; responses: [R, R]; judgments: J[] }[]
	unpaired: J[]
} {
	const positions = new Map(responses.map((response, i) => [response.key, i]))
	const byPair = new Map<
		string,
		{ pair: ComparisonPair; positions: [number, number]; responses: [R, R]; judgments: J[] }
	>()
	const unpaired: J[] = []
	for (const judgment of judgments) {
		const pair = comparisonPairOf({ displayOrder: judgment.displayOrder, positions })
		if (!pair) {
			unpaired.push(judgment)
			continue
		}
		const key = comparisonPairKey(pair)
		let unit = byPair.get(key)
		if (!unit) {
			unit = {
				pair,
				positions: [positions.get(pair[0])!, positions.get(pair[1])!],
				responses: [responses[positions.get(pair[0])!]!, responses[positions.get(pair[1])!]!],
				judgments: [],
			}
			byPair.set(key, unit)
		}
		unit.judgments.push(judgment)
	}
	const units = [...byPair.values()].sort(
		(p, q) =>
			positions.get(p.pair[0])! - positions.get(q.pair[0])! || positions.get(p.pair[1])! - positions.get(q.pair[1])!,
	)
	return { units, unpaired }
}

/** A ranking restricted to the given keys, empty tiers dropped (a gold or adjudicated answer over all N). */
export function rankingWithin(ranking: readonly (readonly string[])[], keys: readonly string[]) {
	return ranking.map((tier) => tier.filter((key) => keys.includes(key))).filter((tier) => tier.length > 0)
}

/** Whether the ranking names exactly these two keys (an adjudication of that unit). */
export function rankingCoversPair(ranking: readonly (readonly string[])[], pair: readonly string[]) {
	const named = ranking.flat()
	return named.length === 2 && pair.every((key) => named.includes(key))
}

/** `projects.arena.includeSelfIdentified`: battles with a self-identifying response count only when true. */
export function includesSelfIdentified(arena: unknown) {
	return (
		arena !== null &&
		typeof arena === 'object' &&
		!Array.isArray(arena) &&
		(arena as { includeSelfIdentified?: unknown }).includeSelfIdentified === true
	)
}

/** A comparison response's model on the leaderboard and in exports: its model, else its key. */
export const comparisonModel = (response: { key: string; model: string | null }) => response.model ?? response.key

type UnitSource = {
	responses: { key: string; model: string | null; selfIdentifies?: boolean }[]
	judgments: { displayOrder: readonly string[] }[]
	gold: { ranking: string[][] } | null
	adjudication: { ranking: string[][] } | null
	adjudications?: { ranking: string[][] }[]
}

/**
 * A comparison item as its (item, pair) units, each shaped like a pairwise item: two responses
 * (models defaulted to their keys), the judgments of that pair, the gold answer and the latest
 * adjudication restricted to the pair, and whether a shown response names its own model.
 */
export function comparisonUnitItems<I extends UnitSource>(
	item: I,
): (I & { pair: ComparisonPair; pairPositions: [number, number]; selfIdentified: boolean })[] {
	const { units } = splitComparisonItem({ responses: item.responses, judgments: item.judgments })
	const adjudications = item.adjudications ?? (item.adjudication ? [item.adjudication] : [])
	return units.map(({ pair, positions, responses, judgments }) => ({
		...item,
		pair,
		pairPositions: positions,
		selfIdentified: responses.some((response) => response.selfIdentifies === true),
		responses: responses.map((response) => ({ ...response, model: comparisonModel(response) })),
		judgments,
		gold: item.gold ? { ...item.gold, ranking: rankingWithin(item.gold.ranking, pair) } : null,
		adjudication: adjudications.find((adjudication) => rankingCoversPair(adjudication.ranking, pair)) ?? null,
		adjudications: undefined,
	}))
}
