/**
 * Pure consensus for one item from its judgments (or a reviewer's adjudication, which wins).
 *
 * Pairwise votes are read on the signed preference scale −3..+3 relative to the item's first
 * response (stored order): significant 3, clear 2, slight 1, and negligible 0 like a tie, as in
 * Llama 2's margins; both-bad is 0. Rankings are combined by mean rank (Borda), and their
 * agreement is the share of implied pairs on which a vote matches the consensus.
 */

export type Vote = { userId?: string; ranking: string[][]; bothBad: boolean; strength: number | null }

export type Consensus = {
	ranking: string[][]
	bothBad: boolean
	strength: number | null
	/** Share of votes (pairwise) or implied pairs (ranking) that match the consensus; null without votes. */
	agreement: number | null
	/** 0 when everyone agrees, up to 1. */
	disagreement: number
	adjudicated: boolean
	votes: number
}

export function signedPreference({ vote, first, second }: { vote: Vote; first: string; second: string }) {
	if (vote.bothBad || vote.ranking.length < 2) return 0
	const top = vote.ranking[0]!
	const magnitude = vote.strength === null ? 1 : Math.max(0, Math.min(3, vote.strength))
	if (top.includes(first) && !top.includes(second)) return magnitude
	if (top.includes(second) && !top.includes(first)) return -magnitude
	return 0
}

function rankOf(ranking: string[][]) {
	const ranks = new Map<string, number>()
	let position = 1
	for (const tier of ranking) {
		const mean = position + (tier.length - 1) / 2
		for (const id of tier) ranks.set(id, mean)
		position += tier.length
	}
	return ranks
}

function pairValue(ranks: Map<string, number>, a: string, b: string) {
	const ra = ranks.get(a)
	const rb = ranks.get(b)
	if (ra === undefined || rb === undefined) return null
	return ra < rb ? 1 : ra > rb ? -1 : 0
}

export function consensusFor({
	responseIds,
	votes,
	adjudication,
}: {
	responseIds: string[]
	votes: Vote[]
	adjudication?: { ranking: string[][]; bothBad: boolean; strength: number | null } | null
}): Consensus {
	const pairwise = responseIds.length === 2
	const agreementWith = (consensus: { ranking: string[][]; bothBad: boolean }) => {
		if (votes.length === 0) return { agreement: null, disagreement: 0 }
		if (pairwise) {
			const [first, second] = responseIds as [string, string]
			const target = Math.sign(signedPreference({ vote: { ...consensus, strength: null }, first, second }))
			const matching = votes.filter((vote) => Math.sign(signedPreference({ vote: { ...vote, strength: null }, first, second })) === target).length
			return { agreement: matching / votes.length, disagreement: 1 - matching / votes.length }
		}
		const target = rankOf(consensus.ranking)
		let matching = 0
		let total = 0
		for (const vote of votes) {
			const ranks = rankOf(vote.ranking)
			for (let i = 0; i < responseIds.length; i++) {
				for (let j = i + 1; j < responseIds.length; j++) {
					const expected = pairValue(target, responseIds[i]!, responseIds[j]!)
					const actual = pairValue(ranks, responseIds[i]!, responseIds[j]!)
					if (expected === null || actual === null) continue
					total++
					if (expected === actual) matching++
				}
			}
		}
		return total ? { agreement: matching / total, disagreement: 1 - matching / total } : { agreement: null, disagreement: 0 }
	}

	if (adjudication) {
		return { ...adjudication, ...agreementWith(adjudication), adjudicated: true, votes: votes.length }
	}
	if (votes.length === 0) {
		return { ranking: [responseIds], bothBad: false, strength: null, agreement: null, disagreement: 0, adjudicated: false, votes: 0 }
	}

	if (pairwise) {
		const [first, second] = responseIds as [string, string]
		const signs = votes.map((vote) => Math.sign(signedPreference({ vote: { ...vote, strength: null }, first, second })))
		const counts = { 1: signs.filter((s) => s === 1).length, [-1]: signs.filter((s) => s === -1).length, 0: signs.filter((s) => s === 0).length }
		const best = Math.max(counts[1], counts[-1], counts[0])
		const winners = ([1, -1, 0] as const).filter((sign) => counts[sign] === best)
		const sign = winners.length === 1 ? winners[0]! : 0
		const bothBadVotes = votes.filter((vote) => vote.bothBad).length
		const bothBad = sign === 0 && bothBadVotes * 2 > votes.length
		const ranking = sign === 1 ? [[first], [second]] : sign === -1 ? [[second], [first]] : [[first, second]]
		const strengths = votes
			.filter((vote, index) => signs[index] === sign && sign !== 0 && vote.strength !== null)
			.map((vote) => vote.strength!)
			.sort((a, b) => a - b)
		const strength = strengths.length ? strengths[Math.floor((strengths.length - 1) / 2)]! : null
		const consensus = { ranking, bothBad, strength }
		return { ...consensus, ...agreementWith(consensus), adjudicated: false, votes: votes.length }
	}

	const meanRank = new Map<string, number>(responseIds.map((id) => [id, 0]))
	for (const vote of votes) {
		const ranks = rankOf(vote.ranking)
		for (const id of responseIds) meanRank.set(id, meanRank.get(id)! + (ranks.get(id) ?? responseIds.length) / votes.length)
	}
	const sorted = [...responseIds].sort((a, b) => meanRank.get(a)! - meanRank.get(b)! || responseIds.indexOf(a) - responseIds.indexOf(b))
	const ranking: string[][] = []
	for (const id of sorted) {
		const last = ranking[ranking.length - 1]
		if (last && Math.abs(meanRank.get(last[0]!)! - meanRank.get(id)!) < 1e-9) last.push(id)
		else ranking.push([id])
	}
	const consensus = { ranking, bothBad: false, strength: null }
	return { ...consensus, ...agreementWith(consensus), adjudicated: false, votes: votes.length }
}
