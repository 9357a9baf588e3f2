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

/** signedPreference's direction alone: +1 first better, −1 second better, 0 tie or both bad. */
function voteSign(vote: { ranking: string[][]; bothBad: boolean }, first: string, second: string) {
	if (vote.bothBad || vote.ranking.length < 2) return 0
	const top = vote.ranking[0]!
	const hasFirst = top.includes(first)
	const hasSecond = top.includes(second)
	return hasFirst === hasSecond ? 0 : hasFirst ? 1 : -1
}

/** The unique most frequent sign, else 0 (a tie). */
export function majoritySign(plus: number, minus: number, zero: number): -1 | 0 | 1 {
	const best = Math.max(plus, minus, zero)
	const winners = (plus === best ? 1 : 0) + (minus === best ? 1 : 0) + (zero === best ? 1 : 0)
	if (winners > 1) return 0
	return plus === best ? 1 : minus === best ? -1 : 0
}

function agreementOf(matching: number, total: number) {
	return total
		? { agreement: matching / total, disagreement: 1 - matching / total }
		: { agreement: null, disagreement: 0 }
}

// Runs once per item in every export and analytics refresh: the pairwise path counts signs in one
// pass without allocating per vote.
function pairwiseConsensus({
	first,
	second,
	votes,
	adjudication,
}: {
	first: string
	second: string
	votes: Vote[]
	adjudication?: { ranking: string[][]; bothBad: boolean; strength: number | null } | null
}): Consensus {
	let plus = 0
	let minus = 0
	let zero = 0
	let bothBadVotes = 0
	for (const vote of votes) {
		const sign = voteSign(vote, first, second)
		if (sign === 1) plus++
		else if (sign === -1) minus++
		else zero++
		if (vote.bothBad) bothBadVotes++
	}
	const matching = (sign: number) => (sign === 1 ? plus : sign === -1 ? minus : zero)
	const n = votes.length
	if (adjudication) {
		const target = matching(voteSign(adjudication, first, second))
		return {
			ranking: adjudication.ranking,
			bothBad: adjudication.bothBad,
			strength: adjudication.strength,
			agreement: n ? target / n : null,
			disagreement: n ? 1 - target / n : 0,
			adjudicated: true,
			votes: n,
		}
	}
	const sign = majoritySign(plus, minus, zero)
	const bothBad = sign === 0 && bothBadVotes * 2 > n
	const ranking = sign === 1 ? [[first], [second]] : sign === -1 ? [[second], [first]] : [[first, second]]
	return {
		ranking,
		bothBad,
		strength: sign === 0 ? null : medianStrength(votes, sign, first, second),
		agreement: matching(sign) / n,
		disagreement: 1 - matching(sign) / n,
		adjudicated: false,
		votes: n,
	}
}

/** The lower median of the strengths of the votes with this sign; null when none has one. */
function medianStrength(votes: Vote[], sign: number, first: string, second: string) {
	const strengths: number[] = []
	for (const vote of votes)
		if (vote.strength !== null && voteSign(vote, first, second) === sign) strengths.push(vote.strength)
	if (strengths.length === 0) return null
	strengths.sort((a, b) => a - b)
	return strengths[Math.floor((strengths.length - 1) / 2)]!
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
	if (votes.length === 0 && !adjudication) {
		return {
			ranking: [responseIds],
			bothBad: false,
			strength: null,
			agreement: null,
			disagreement: 0,
			adjudicated: false,
			votes: 0,
		}
	}
	if (responseIds.length === 2)
		return pairwiseConsensus({ first: responseIds[0]!, second: responseIds[1]!, votes, adjudication })

	const agreementWith = (consensus: { ranking: string[][] }) => {
		if (votes.length === 0) return { agreement: null, disagreement: 0 }
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
		return agreementOf(matching, total)
	}

	if (adjudication) {
		return { ...adjudication, ...agreementWith(adjudication), adjudicated: true, votes: votes.length }
	}

	const meanRank = new Map<string, number>(responseIds.map((id) => [id, 0]))
	for (const vote of votes) {
		const ranks = rankOf(vote.ranking)
		for (const id of responseIds)
			meanRank.set(id, meanRank.get(id)! + (ranks.get(id) ?? responseIds.length) / votes.length)
	}
	const sorted = [...responseIds].sort(
		(a, b) => meanRank.get(a)! - meanRank.get(b)! || responseIds.indexOf(a) - responseIds.indexOf(b),
	)
	const ranking: string[][] = []
	for (const id of sorted) {
		const last = ranking[ranking.length - 1]
		if (last && Math.abs(meanRank.get(last[0]!)! - meanRank.get(id)!) < 1e-9) last.push(id)
		else ranking.push([id])
	}
	const consensus = { ranking, bothBad: false, strength: null }
	return { ...consensus, ...agreementWith(consensus), adjudicated: false, votes: votes.length }
}
