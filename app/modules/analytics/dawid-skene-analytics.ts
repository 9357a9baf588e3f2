import { type TaskType } from '#app/generated/prisma/enums.ts'
import { dawidSkeneColumnar, majorityVoteColumnar } from '#app/modules/stats/dawid-skene.ts'
import { GrowableInt32 } from '#app/modules/stats/growable-int32.ts'
import {
	DAWID_SKENE_THRESHOLDS,
	type DawidSkeneAnnotator,
	type DawidSkeneItem,
	type DawidSkeneSnapshot,
} from './analytics.types.ts'
import { PAIR_CLASSES, pairClass, PAIRWISE_CLASSES, pairwiseClass, tiersOf } from './dawid-skene-classes.ts'

/** The judgment and item fields this step reads, as streamAnalyticsItems gives them. */
type Judgment = { userId: string; ranking: string[][]; bothBad: boolean }
type Item = {
	seq: number
	isGold: boolean
	gold: { ranking: string[][] } | null
	responses: { key: string }[]
	judgments: Judgment[]
	/** A comparison unit: its two keys' positions among the item's responses (ADR 0024). */
	pairPositions?: [number, number]
}

/** What the snapshot shows of an item, loaded for the few it reports. */
export type ItemReference = { itemId: string; externalId: string; keys: string[] }

/**
 * Collects a project's judgments as Dawid–Skene units: a pairwise item is one unit with four
 * classes (the choice relative to its stored response order, so the order each annotator saw
 * does not matter); a ranking item gives one unit per pair of its responses (better, tie,
 * worse). Gold items are units too, clamped to their gold answer, so they anchor each
 * annotator's confusion matrix. Fed the same items as the analytics accumulator.
 */
export function createDawidSkeneCollector({ taskType }: { taskType: TaskType }) {
	const pairwise = taskType === 'pairwise'
	const observerIndex = new Map<string, number>()
	const observer = new GrowableInt32()
	const unit = new GrowableInt32()
	const label = new GrowableInt32()
	const gold = new GrowableInt32()
	// Per reported (non-gold) item, off the JavaScript heap but for the seqs: a million judgments'
	// worth of ids and keys would not fit the worker's heap beside the accumulator's.
	const itemSeqs: number[] = []
	const itemFirstUnit = new GrowableInt32()
	const itemEndUnit = new GrowableInt32()
	const itemVotes = new GrowableInt32()
	// Comparison units: the pair's positions among the item's keys (-1 for whole items).
	const itemPairFirst = new GrowableInt32()
	const itemPairSecond = new GrowableInt32()
	let units = 0
	let estimated: ReturnType<typeof dawidSkeneColumnar> | null = null

	function observerOf(userId: string) {
		let o = observerIndex.get(userId)
		if (o === undefined) {
			o = observerIndex.size
			observerIndex.set(userId, o)
		}
		return o
	}

	function addItem(item: Item) {
		const keys = item.responses.map((response) => response.key)
		if (keys.length < 2) return
		if (item.judgments.length === 0 && !item.isGold) return
		const first = units
		if (pairwise) {
			const [a, b] = keys as [string, string]
			gold.push(item.isGold && item.gold ? pairwiseClass({ ranking: item.gold.ranking, bothBad: false }, a, b) : -1)
			for (const judgment of item.judgments) {
				observer.push(observerOf(judgment.userId))
				unit.push(first)
				label.push(pairwiseClass(judgment, a, b))
			}
			units++
		} else {
			const goldTier = item.isGold && item.gold ? tiersOf(item.gold.ranking) : null
			const judged = item.judgments.map((judgment) => ({
				o: observerOf(judgment.userId),
				tier: tiersOf(judgment.ranking),
			}))
			for (let i = 0; i < keys.length; i++) {
				for (let j = i + 1; j < keys.length; j++) {
					gold.push(goldTier ? pairClass(goldTier, keys[i]!, keys[j]!) : -1)
					for (const { o, tier } of judged) {
						const l = pairClass(tier, keys[i]!, keys[j]!)
						if (l < 0) continue
						observer.push(o)
						unit.push(units)
						label.push(l)
					}
					units++
				}
			}
		}
		if (item.isGold) return
		itemSeqs.push(item.seq)
		itemFirstUnit.push(first)
		itemEndUnit.push(units)
		itemVotes.push(item.judgments.length)
		itemPairFirst.push(item.pairPositions?.[0] ?? -1)
		itemPairSecond.push(item.pairPositions?.[1] ?? -1)
	}

	/** The unit's label as tiers of response keys (and both-bad), for display beside the votes. */
	function asRanking(keys: string[], labels: Int32Array, first: number): { ranking: string[][]; bothBad: boolean } {
		if (pairwise) {
			const [a, b] = keys as [string, string]
			const l = labels[first]!
			return { ranking: l === 0 ? [[a], [b]] : l === 1 ? [[b], [a]] : [[a, b]], bothBad: l === 3 }
		}
		// Copeland: wins minus losses over the pairs; equal scores share a tier.
		const score = keys.map(() => 0)
		let u = first
		for (let i = 0; i < keys.length; i++) {
			for (let j = i + 1; j < keys.length; j++) {
				const l = labels[u++]!
				if (l === 0) {
					score[i]!++
					score[j]!--
				} else if (l === 2) {
					score[i]!--
					score[j]!++
				}
			}
		}
		const byScore = new Map<number, string[]>()
		keys.forEach((key, i) => byScore.set(score[i]!, [...(byScore.get(score[i]!) ?? []), key]))
		return { ranking: [...byScore.entries()].sort((x, y) => y[0] - x[0]).map(([, tier]) => tier), bothBad: false }
	}

	return {
		addItem,
		/** After finish: the class prior and each annotator's confusion matrix (K×K, row = true class). */
		estimates() {
			if (!estimated) throw new Error('estimates() before finish()')
			const ds = estimated
			const K = ds.classes
			return {
				classes: K,
				prior: Array.from(ds.prior),
				annotators: [...observerIndex.entries()].map(([userId, o]) => ({
					userId,
					judgments: ds.judgments[o]!,
					confusion: Array.from(ds.confusion.subarray(o * K * K, (o + 1) * K * K)),
				})),
			}
		},
		/**
		 * Runs Dawid–Skene and the majority vote. `names` gives the display names; the items
		 * reported are those where the two disagree, then the least confident, up to the limit,
		 * and `loadItems` gives their ids and response keys (in stored order) by seq.
		 */
		async finish({
			names,
			loadItems,
		}: {
			names: Map<string, string>
			loadItems: (seqs: number[]) => Promise<Map<number, ItemReference>>
		}): Promise<DawidSkeneSnapshot> {
			const classes = pairwise ? PAIRWISE_CLASSES.length : PAIR_CLASSES.length
			const input = {
				observers: observerIndex.size,
				units,
				classes,
				observer: observer.view(),
				unit: unit.view(),
				label: label.view(),
				gold: gold.view(),
			}
			const ds = dawidSkeneColumnar(input)
			estimated = ds
			const majority = majorityVoteColumnar(input)
			const t = DAWID_SKENE_THRESHOLDS

			const annotators: DawidSkeneAnnotator[] = [...observerIndex.entries()].map(([userId, o]) => {
				const judgments = ds.judgments[o]!
				const reliability = ds.reliability[o]!
				const chance = ds.chance[o]!
				return {
					userId,
					displayName: names.get(userId) ?? 'Unknown',
					judgments,
					reliability,
					chance,
					nearChance: judgments >= t.minJudgments && reliability - chance < t.nearChanceMargin,
				}
			})
			annotators.sort((a, b) => a.reliability - b.reliability || a.displayName.localeCompare(b.displayName))

			const K = classes
			/** The majority's label where one class has strictly the most votes, else -1. */
			const strictMajority = (u: number) => {
				const row = u * K
				let best = 0
				let tied = false
				for (let k = 1; k < K; k++) {
					const x = majority.posterior[row + k]!
					const top = majority.posterior[row + best]!
					if (x > top) {
						best = k
						tied = false
					} else if (x === top) tied = true
				}
				return tied ? -1 : best
			}
			let disagreeCount = 0
			let uncertainCount = 0
			const candidates: { index: number; confidence: number; disagrees: boolean }[] = []
			for (let index = 0; index < itemSeqs.length; index++) {
				const end = itemEndUnit.data[index]!
				let confidence = 1
				let disagrees = false
				for (let u = itemFirstUnit.data[index]!; u < end; u++) {
					confidence = Math.min(confidence, ds.confidence[u]!)
					const m = strictMajority(u)
					if (m >= 0 && m !== ds.labels[u]) disagrees = true
				}
				if (disagrees) disagreeCount++
				if (confidence < t.confident) uncertainCount++
				candidates.push({ index, confidence, disagrees })
			}
			candidates.sort(
				(a, b) => Number(b.disagrees) - Number(a.disagrees) || a.confidence - b.confidence || a.index - b.index,
			)
			const selected = candidates.slice(0, t.itemLimit)
			const references = await loadItems(selected.map(({ index }) => itemSeqs[index]!))
			const items: DawidSkeneItem[] = selected.flatMap(({ index, confidence, disagrees }) => {
				const reference = references.get(itemSeqs[index]!)
				if (!reference) return []
				const pairFirst = itemPairFirst.data[index]!
				const keys =
					pairFirst >= 0 ? [reference.keys[pairFirst]!, reference.keys[itemPairSecond.data[index]!]!] : reference.keys
				const first = itemFirstUnit.data[index]!
				return {
					itemId: reference.itemId,
					externalId: reference.externalId,
					...(pairFirst >= 0 ? { pair: keys as [string, string] } : {}),
					consensus: asRanking(keys, ds.labels, first),
					confidence,
					majority: asRanking(keys, majority.labels, first),
					disagrees,
					votes: itemVotes.data[index]!,
				}
			})
			return {
				taskType,
				classes: [...(pairwise ? PAIRWISE_CLASSES : PAIR_CLASSES)],
				prior: Array.from(ds.prior),
				iterations: ds.iterations,
				converged: ds.converged,
				units,
				items: itemSeqs.length,
				judgments: observer.length,
				annotators,
				disagreeCount,
				uncertainCount,
				itemList: items,
				thresholds: t,
			}
		},
	}
}
