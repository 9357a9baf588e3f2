import type { Verdict } from './verdict.ts'

export type CombinedVerdict = {
	ranking: string[][]
	positionInconsistent: boolean
	strength: number | null
	/** The lower stated confidence of the two orders; null when neither stated one. */
	confidence: number | null
	rationale: string | null
}

const canonical = (ranking: string[][]) => JSON.stringify(ranking.map((tier) => [...tier].sort()))

/**
 * One judgment from the verdicts of the two orders (ADR 0021): the same ranking → that ranking;
 * anything else → every response tied in one tier, marked position-inconsistent. `keys` are the
 * responses in their own order (order 0's display order).
 */
export function combineVerdicts({
	keys,
	first,
	second,
}: {
	keys: string[]
	first: Verdict
	second: Verdict
}): CombinedVerdict {
	const stated = [first.confidence, second.confidence].filter((value): value is number => value !== undefined)
	const confidence = stated.length ? Math.min(...stated) : null
	const rationale = first.rationale ?? second.rationale ?? null
	if (canonical(first.ranking) !== canonical(second.ranking))
		return { ranking: [keys.slice()], positionInconsistent: true, strength: null, confidence, rationale }
	const strengths = [first.strength, second.strength].filter((value): value is number => value !== undefined)
	return {
		ranking: first.ranking.map((tier) => [...tier].sort((a, b) => keys.indexOf(a) - keys.indexOf(b))),
		positionInconsistent: false,
		strength: first.ranking.length > 1 && strengths.length ? Math.min(...strengths) : null,
		confidence,
		rationale,
	}
}
