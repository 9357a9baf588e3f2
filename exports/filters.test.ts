import { describe, expect, test } from 'vitest'
import { sourceJudgments } from '#tests/fixtures/exports/judgments.ts'
import { applyFilters } from './filters.ts'

const judgment = sourceJudgments[0]!
const none = { onlyAdjudicated: false, excludeAnnotators: [], minAgreement: undefined, minConfidence: undefined }

describe('applyFilters', () => {
	test('keeps everything without filters', () => {
		expect(applyFilters({ judgment, options: none })).toEqual({ keep: true })
	})

	test('drops excluded annotators and non-adjudicated items when asked', () => {
		expect(applyFilters({ judgment, options: { ...none, excludeAnnotators: [judgment.annotator!] } })).toEqual({
			keep: false,
			reason: 'excluded-annotator',
		})
		expect(applyFilters({ judgment, options: { ...none, onlyAdjudicated: true } })).toEqual({
			keep: false,
			reason: 'not-adjudicated',
		})
	})

	test('drops items below the minimum agreement or without one, unless adjudicated', () => {
		const options = { ...none, minAgreement: 0.9 }
		expect(applyFilters({ judgment, options })).toEqual({ keep: false, reason: 'below-min-agreement' })
		expect(applyFilters({ judgment: { ...judgment, agreement: null }, options })).toEqual({
			keep: false,
			reason: 'unknown-agreement',
		})
		expect(applyFilters({ judgment: { ...judgment, agreement: 0.9 }, options })).toEqual({ keep: true })
		expect(applyFilters({ judgment: { ...judgment, adjudicated: true }, options })).toEqual({ keep: true })
	})

	test('drops items below the minimum Dawid–Skene confidence or without one, unless adjudicated', () => {
		const options = { ...none, minConfidence: 0.99 }
		expect(applyFilters({ judgment, options })).toEqual({ keep: false, reason: 'below-min-confidence' })
		expect(applyFilters({ judgment: { ...judgment, confidence: null }, options })).toEqual({
			keep: false,
			reason: 'unknown-confidence',
		})
		expect(applyFilters({ judgment: { ...judgment, confidence: 0.99 }, options })).toEqual({ keep: true })
		expect(applyFilters({ judgment: { ...judgment, adjudicated: true }, options })).toEqual({ keep: true })
	})

	test('consensus records have no annotator to exclude', () => {
		expect(
			applyFilters({ judgment: { ...judgment, annotator: null }, options: { ...none, excludeAnnotators: ['x'] } }),
		).toEqual({ keep: true })
	})
})
