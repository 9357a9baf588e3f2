import { TaskType } from '#app/generated/prisma/enums.ts'
import { readAnalyticsItem, type AnalyticsItem, type AnalyticsProject } from './analytics-item.ts'
import { ANALYTICS_SEED, type SnapshotData } from './analytics.types.ts'
import { createAgreementAccumulator } from './create-agreement-accumulator.ts'
import { createAnnotatorAccumulator } from './create-annotator-accumulator.ts'
import { comparisonUnitItems } from './comparison-units.ts'
import { createBattleAccumulator } from './create-battle-accumulator.ts'
import { createReviewQueueAccumulator } from './create-review-queue-accumulator.ts'

export {
	CHOICE,
	choiceOf,
	type AnalyticsItem,
	type AnalyticsJudgment,
	type AnalyticsProject,
} from './analytics-item.ts'

/**
 * Streams a project's items (with their judgments) into every analytics figure, keeping memory
 * proportional to items and annotators. Each item is read once (votes, choices, disagreement,
 * leave-one-out agreement) and handed to four parts, one per snapshot: agreement, annotators,
 * leaderboard battles and the review queue. AI judges' judgments reach those figures only with
 * `includeModel`; the annotator rows always measure the judges.
 */
export function createAnalyticsAccumulator({
	project,
	seed = ANALYTICS_SEED,
	includeModel = false,
}: {
	project: AnalyticsProject
	seed?: number
	includeModel?: boolean
}) {
	// A comparison project's unit is (item, pair), read as a pairwise item (ADR 0024).
	const comparison = project.taskType === TaskType.comparison
	const unitTaskType = comparison ? TaskType.pairwise : project.taskType
	const agreement = createAgreementAccumulator({ project: { ...project, taskType: unitTaskType }, seed })
	const annotators = createAnnotatorAccumulator({
		taskType: unitTaskType,
		randomizeOrder: project.randomizeOrder,
		includeModel,
		seed,
	})
	const battles = createBattleAccumulator({
		taskType: unitTaskType,
		seed,
		comparison,
		includeSelfIdentified: project.includeSelfIdentified ?? false,
	})
	const reviewQueue = createReviewQueueAccumulator()
	let comparisonItems = 0

	function addItem(all: AnalyticsItem) {
		annotators.addJudges(all)
		const item = poolOf({ item: all, includeModel })
		if (item.judgments.length === 0) return
		if (comparison) {
			if (!item.isGold) comparisonItems++
			for (const unit of comparisonUnitItems(item)) addUnit(unit)
			return
		}
		addUnit(item)
	}

	function addUnit(item: AnalyticsItem) {
		if (item.isGold) {
			annotators.add(item, null)
			agreement.add(item, null)
			return
		}
		const reading = readAnalyticsItem({ item, taskType: unitTaskType })
		annotators.add(item, reading)
		battles.add(item, reading.codes)
		agreement.add(item, reading)
		reviewQueue.add(item, reading.votes, reading.disagreement)
	}

	return {
		addItem,
		annotatorIds: () => annotators.ids(),
		finish({ names, now = new Date() }: { names: Map<string, string>; now?: Date }): Omit<SnapshotData, 'dawid-skene'> {
			const agreementSnapshot = agreement.finish({ annotators: annotators.size })
			return {
				agreement: comparison
					? { ...agreementSnapshot, taskType: project.taskType, units: agreementSnapshot.items, items: comparisonItems }
					: agreementSnapshot,
				annotators: annotators.finish({ names }),
				leaderboard: battles.finish(),
				'review-queue': reviewQueue.finish({ now }),
			}
		},
	}
}

/** The item as the human figures see it: without AI judges' judgments unless the project counts them. */
export function poolOf({ item, includeModel }: { item: AnalyticsItem; includeModel: boolean }): AnalyticsItem {
	if (includeModel || !item.judgments.some((judgment) => judgment.source === 'model')) return item
	return { ...item, judgments: item.judgments.filter((judgment) => judgment.source !== 'model') }
}
