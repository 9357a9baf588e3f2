/** A ranking as text: tiers best first, "r2 > r1 = r3". */
export function formatRanking({
	ranking,
	bothBad = false,
}: {
	ranking: readonly (readonly string[])[]
	bothBad?: boolean
}) {
	const text = ranking.map((tier) => tier.join(' = ')).join(' > ')
	return bothBad ? `${text} (both bad)` : text
}
