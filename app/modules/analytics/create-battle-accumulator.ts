import { TaskType } from '#app/generated/prisma/enums.ts'
import { arenaLeaderboard, winRateMatrix, type Battle, type BattleWinner } from '#app/modules/stats/bradley-terry.ts'
import { rankingImpliedPairs } from '#app/modules/stats/rankings.ts'
import { CHOICE, type AnalyticsItem } from './analytics-item.ts'
import {
	ANALYTICS_SEED,
	LEADERBOARD_BOOTSTRAP_ROUNDS,
	type LeaderboardSnapshot,
	type ModelPairRecord,
} from './analytics.types.ts'

const winnerOf = (code: number): BattleWinner =>
	code === CHOICE.first
		? 'model_a'
		: code === CHOICE.second
			? 'model_b'
			: code === CHOICE.bothBad
				? 'tie (bothbad)'
				: 'tie'

/**
 * The leaderboard's battles between models: one per pairwise judgment of two different models,
 * one per implied pair of a ranking. A battle is one shared object per distinct (model A, model
 * B, winner), so a million judgments hold a million references, not a million objects.
 */
export function createBattleAccumulator({
	taskType,
	seed = ANALYTICS_SEED,
	comparison = false,
	includeSelfIdentified = false,
}: {
	taskType: TaskType
	seed?: number
	/** Fed comparison units: the snapshot reports the self-identifying battles. */
	comparison?: boolean
	/** For comparison units marked `selfIdentified`: count their battles (they are counted apart either way). */
	includeSelfIdentified?: boolean
}) {
	const pairwise = taskType === TaskType.pairwise
	const battles: Battle[] = []
	const battleObjects = new Map<string, Battle>()
	const modelPairs = new Map<string, ModelPairRecord>()
	let skippedJudgments = 0
	let selfIdentifiedBattles = 0

	function battle(modelA: string, modelB: string, winner: BattleWinner) {
		const key = `${modelA}\u0000${modelB}\u0000${winner}`
		let object = battleObjects.get(key)
		if (!object) {
			object = { model_a: modelA, model_b: modelB, winner }
			battleObjects.set(key, object)
			const [x, y] = modelA < modelB ? [modelA, modelB] : [modelB, modelA]
			if (!modelPairs.has(`${x}\u0000${y}`))
				modelPairs.set(`${x}\u0000${y}`, { modelA: x, modelB: y, aWins: 0, bWins: 0, ties: 0, bothBad: 0, battles: 0 })
		}
		battles.push(object)
	}

	/** `codes` are the judgments' choices (CHOICE) on a pairwise item; rankings need none. */
	function add(item: AnalyticsItem, codes: readonly number[] | null) {
		if (pairwise) {
			const modelA = item.responses[0]?.model
			const modelB = item.responses[1]?.model
			if (item.selfIdentified && modelA && modelB && modelA !== modelB) {
				selfIdentifiedBattles += item.judgments.length
				if (!includeSelfIdentified) return
			}
			item.judgments.forEach((_, i) => {
				const code = codes?.[i]
				if (modelA && modelB && modelA !== modelB && code !== undefined) battle(modelA, modelB, winnerOf(code))
				else skippedJudgments++
			})
			return
		}
		const models = new Map(item.responses.map((response) => [response.key, response.model]))
		for (const judgment of item.judgments) {
			let given = 0
			for (const { first, second, value } of rankingImpliedPairs(judgment.ranking)) {
				const modelA = models.get(first)
				const modelB = models.get(second)
				if (!modelA || !modelB || modelA === modelB) continue
				battle(modelA, modelB, value === -1 ? 'model_a' : value === 1 ? 'model_b' : 'tie')
				given++
			}
			if (given === 0) skippedJudgments++
		}
	}

	function finish(): LeaderboardSnapshot {
		const rows = battles.length ? arenaLeaderboard({ battles, bootstrap: LEADERBOARD_BOOTSTRAP_ROUNDS, seed }) : []
		const outcomes = new Map<Battle, number>()
		for (const object of battles) outcomes.set(object, (outcomes.get(object) ?? 0) + 1)
		for (const [object, count] of outcomes) {
			const [x, y] =
				object.model_a < object.model_b ? [object.model_a, object.model_b] : [object.model_b, object.model_a]
			const record = modelPairs.get(`${x}\u0000${y}`)!
			record.battles += count
			if (object.winner === 'tie') record.ties += count
			else if (object.winner === 'tie (bothbad)') record.bothBad += count
			else if ((object.winner === 'model_a') === (object.model_a === x)) record.aWins += count
			else record.bWins += count
		}
		return {
			rows: rows.map((row) => ({
				model: row.model,
				rating: row.rating,
				ciLow: row.ciLow,
				ciHigh: row.ciHigh,
				battles: row.battles,
				rank: row.rank,
			})),
			battles: battles.length,
			pairs: [...modelPairs.values()].sort(
				(p, q) => q.battles - p.battles || p.modelA.localeCompare(q.modelA) || p.modelB.localeCompare(q.modelB),
			),
			winRates: battles.length ? winRateMatrix({ battles }) : { models: [], matrix: [] },
			bootstrapRounds: LEADERBOARD_BOOTSTRAP_ROUNDS,
			seed,
			skippedJudgments,
			...(comparison ? { selfIdentified: { battles: selfIdentifiedBattles, included: includeSelfIdentified } } : {}),
		}
	}

	return { add, finish }
}
