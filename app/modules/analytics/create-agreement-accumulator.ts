import { TaskType } from '#app/generated/prisma/enums.ts'
import { kendallWFromRankings } from '#app/modules/stats/rankings.ts'
import { createAgreementClusters, type AgreementClusters } from './agreement-clusters.ts'
import type { AnalyticsItem, AnalyticsProject, ItemReading } from './analytics-item.ts'
import { ANALYTICS_SEED, type AgreementFigure, type AgreementSnapshot } from './analytics.types.ts'
import { bootstrapFigures } from './bootstrap-figures.ts'
import { createFleissClusters } from './fleiss-clusters.ts'

const CHOICES = [1, 2, 3, 4]
const PAIR_VALUES = [-1, 0, 1]

const finite = (value: number | null | undefined) =>
	value === null || value === undefined || !Number.isFinite(value) ? null : value

type Estimate = { value: number; clusters: number; units: number } | null
type ItemStatistic = (itemWeights: Float64Array) => number

function figureOf(
	base: Pick<AgreementFigure, 'key' | 'label' | 'on' | 'statistic' | 'level'> & { note?: string | null },
	estimate: Estimate,
	statistic: ItemStatistic | null,
) {
	const figure: AgreementFigure = {
		...base,
		note: base.note ?? null,
		value: finite(estimate?.value),
		ciLow: null,
		ciHigh: null,
		items: estimate?.clusters ?? 0,
		units: estimate?.units ?? 0,
		bootstrapRounds: 0,
	}
	return { figure, statistic: figure.value !== null && figure.items > 1 ? statistic : null }
}

/**
 * The project's agreement figures: Krippendorff's alpha, percent agreement and Fleiss' kappa on
 * choices and signed preferences (pairwise) or implied pairs and Kendall's W (rankings), alpha per
 * criterion, each with a percentile interval from one item-level bootstrap. Items with two or
 * more judgments are numbered in order; that number is the item in the bootstrap (a comparison
 * item's pairs share their item's number, ADR 0024). Also counts
 * the items and judgments the snapshot reports.
 */
export function createAgreementAccumulator({
	project,
	seed = ANALYTICS_SEED,
}: {
	project: AnalyticsProject
	seed?: number
}) {
	const pairwise = project.taskType === TaskType.pairwise
	const choice = createAgreementClusters()
	const signed = createAgreementClusters()
	const impliedPairs = createAgreementClusters()
	const fleiss = createFleissClusters({ categories: pairwise ? CHOICES : PAIR_VALUES })
	const criteria = new Map<string, AgreementClusters>(
		project.criteria.map((criterion) => [criterion.name, createAgreementClusters()]),
	)
	const kendallItems: number[] = []
	const kendallValues: number[] = []
	let judgments = 0
	let goldJudgments = 0
	let items = 0
	let agreementItems = 0
	// A comparison item arrives as consecutive (item, pair) units: they share one bootstrap index,
	// so the bootstrap resamples prompts, whose pairs were judged by overlapping annotators.
	let lastItemId: string | null = null

	function addRanking(item: AnalyticsItem, index: number, implied: Map<string, number>[]) {
		const keys = [...new Set(implied.flatMap((map) => [...map.keys()]))]
		const units = keys.map((key) =>
			implied.map((map) => map.get(key)).filter((value): value is number => value !== undefined),
		)
		impliedPairs.add(units, index)
		fleiss.add(units, index)
		try {
			const w = kendallWFromRankings({ rankings: item.judgments.map((judgment) => judgment.ranking) })
			if (Number.isFinite(w)) {
				kendallItems.push(index)
				kendallValues.push(w)
			}
		} catch {
			// Rankings of different response sets have no common W; their pairs still count above.
		}
	}

	function addCriteria(item: AnalyticsItem, index: number) {
		for (const [name, clusters] of criteria) {
			const units = item.responses.map((response) =>
				item.judgments
					.map((judgment) => judgment.criteria?.[response.key]?.[name])
					.filter((value): value is number => typeof value === 'number' && Number.isFinite(value)),
			)
			clusters.add(units, index)
		}
	}

	/** The reading is null for gold items, which are counted and nothing more. */
	function add(item: AnalyticsItem, reading: ItemReading | null) {
		if (item.judgments.length === 0) return
		if (item.isGold) {
			goldJudgments += item.judgments.length
			return
		}
		items++
		judgments += item.judgments.length
		if (!reading || reading.votes.length < 2) return
		const index = item.itemId === lastItemId ? agreementItems - 1 : agreementItems++
		lastItemId = item.itemId
		if (reading.codes && reading.signed) {
			choice.add([reading.codes], index)
			signed.add([reading.signed], index)
			fleiss.add([reading.codes], index)
		} else if (reading.implied) {
			addRanking(item, index, reading.implied)
		}
		addCriteria(item, index)
	}

	function figures(): AgreementFigure[] {
		const entries: ReturnType<typeof figureOf>[] = []
		const fleissEstimate = fleiss.estimate()
		const fleissNote = fleissEstimate
			? `On the ${fleissEstimate.clusters} items with exactly ${fleissEstimate.raters} judgments each.`
			: 'Needs items with the same number of judgments.'
		const fleissFigure = (on: string, key: string, label: string) =>
			figureOf(
				{ key, label, on, statistic: 'fleiss', level: null, note: fleissNote },
				fleissEstimate,
				fleiss.statistic(),
			)
		if (pairwise) {
			const on = 'choice (A, B, tie, both bad)'
			const preference = 'signed preference −3..+3'
			entries.push(
				figureOf(
					{ key: 'choice-nominal', label: "Krippendorff's α, choice", on, statistic: 'krippendorff', level: 'nominal' },
					choice.alpha({ level: 'nominal' }),
					choice.alphaStatistic({ level: 'nominal' }),
				),
				figureOf(
					{ key: 'choice-percent', label: 'Percent agreement, choice', on, statistic: 'percent', level: null },
					choice.percent(),
					choice.percentStatistic(),
				),
				fleissFigure(on, 'choice-fleiss', "Fleiss' κ, choice"),
				figureOf(
					{
						key: 'preference-ordinal',
						label: "Krippendorff's α, preference (ordinal)",
						on: preference,
						statistic: 'krippendorff',
						level: 'ordinal',
					},
					signed.alpha({ level: 'ordinal' }),
					signed.alphaStatistic({ level: 'ordinal' }),
				),
				figureOf(
					{
						key: 'preference-interval',
						label: "Krippendorff's α, preference (interval)",
						on: preference,
						statistic: 'krippendorff',
						level: 'interval',
					},
					signed.alpha({ level: 'interval' }),
					signed.alphaStatistic({ level: 'interval' }),
				),
			)
		} else {
			const on = 'implied pairs (better, tie, worse)'
			entries.push(
				figureOf(
					{
						key: 'pairs-nominal',
						label: "Krippendorff's α, implied pairs",
						on,
						statistic: 'krippendorff',
						level: 'nominal',
					},
					impliedPairs.alpha({ level: 'nominal' }),
					impliedPairs.alphaStatistic({ level: 'nominal' }),
				),
				figureOf(
					{
						key: 'pairs-ordinal',
						label: "Krippendorff's α, implied pairs (ordinal)",
						on,
						statistic: 'krippendorff',
						level: 'ordinal',
					},
					impliedPairs.alpha({ level: 'ordinal' }),
					impliedPairs.alphaStatistic({ level: 'ordinal' }),
				),
				figureOf(
					{ key: 'pairs-percent', label: 'Percent agreement, implied pairs', on, statistic: 'percent', level: null },
					impliedPairs.percent(),
					impliedPairs.percentStatistic(),
				),
				fleissFigure(on, 'pairs-fleiss', "Fleiss' κ, implied pairs"),
				figureOf(
					{
						key: 'kendall-w',
						label: "Kendall's W",
						on: 'rankings',
						statistic: 'kendall-w',
						level: null,
						note: "Kendall's W of each item's rankings, averaged over items.",
					},
					kendallValues.length
						? {
								value: kendallValues.reduce((sum, w) => sum + w, 0) / kendallValues.length,
								clusters: kendallValues.length,
								units: kendallValues.length,
							}
						: null,
					(itemWeights) => {
						let sum = 0
						let weight = 0
						for (let i = 0; i < kendallItems.length; i++) {
							const w = itemWeights[kendallItems[i] as number] as number
							sum += w * (kendallValues[i] as number)
							weight += w
						}
						return weight === 0 ? Number.NaN : sum / weight
					},
				),
			)
		}
		for (const criterion of project.criteria) {
			const clusters = criteria.get(criterion.name)!
			const base = {
				key: `criterion:${criterion.name}`,
				label: `Krippendorff's α, ${criterion.name}`,
				on: `criterion "${criterion.name}" (${criterion.min}–${criterion.max}) per response`,
				statistic: 'krippendorff' as const,
				level: 'interval' as const,
			}
			entries.push(
				clusters.clusters > 0
					? figureOf(base, clusters.alpha({ level: 'interval' }), clusters.alphaStatistic({ level: 'interval' }))
					: figureOf(base, null, null),
			)
		}
		const withStatistic = entries.filter((entry) => entry.statistic)
		const intervals = bootstrapFigures({
			items: agreementItems,
			statistics: withStatistic.map((entry) => entry.statistic!),
			seed,
		})
		withStatistic.forEach((entry, i) => {
			const interval = intervals[i]!
			entry.figure.ciLow = finite(interval.low)
			entry.figure.ciHigh = finite(interval.high)
			entry.figure.bootstrapRounds = interval.rounds
		})
		return entries.map((entry) => entry.figure)
	}

	return {
		add,
		/** `annotators` is the number of people who judged, which the annotator part counts. */
		finish({ annotators }: { annotators: number }): AgreementSnapshot {
			return {
				taskType: project.taskType,
				figures: figures(),
				judgments,
				goldJudgments,
				items,
				annotators,
				seed,
				confidence: 0.95,
			}
		},
	}
}
