import type { ExportOptions } from './options.ts'
import type { SkipReason, SourceJudgment } from './types.ts'

export type FilterResult = { keep: true } | { keep: false; reason: SkipReason }

/**
 * Decides whether a judgment enters the export. An adjudicated record passes `minAgreement`:
 * adjudication exists precisely for items whose annotators disagreed, and the reviewer's
 * decision replaces their vote. The same holds for `minConfidence`.
 */
export function applyFilters({
	judgment,
	options,
}: {
	judgment: SourceJudgment
	options: Pick<ExportOptions, 'onlyAdjudicated' | 'excludeAnnotators' | 'minAgreement' | 'minConfidence'>
}): FilterResult {
	if (options.onlyAdjudicated && !judgment.adjudicated) return { keep: false, reason: 'not-adjudicated' }
	if (judgment.annotator !== null && options.excludeAnnotators.includes(judgment.annotator)) {
		return { keep: false, reason: 'excluded-annotator' }
	}
	if (options.minAgreement !== undefined && !judgment.adjudicated) {
		if (judgment.agreement === null) return { keep: false, reason: 'unknown-agreement' }
		if (judgment.agreement < options.minAgreement) return { keep: false, reason: 'below-min-agreement' }
	}
	if (options.minConfidence !== undefined && !judgment.adjudicated) {
		if (judgment.confidence === null) return { keep: false, reason: 'unknown-confidence' }
		if (judgment.confidence < options.minConfidence) return { keep: false, reason: 'below-min-confidence' }
	}
	return { keep: true }
}
