import { describe, expect, test } from 'vitest'
import { fieldErrorsFromZod } from '#app/utils/errors.ts'
import { ExportRequestSchema, requestFromForm } from './export.schema.ts'

describe('the export form', () => {
	test('carries Dawid–Skene aggregation and the minimum confidence', () => {
		const form = new URLSearchParams({
			format: 'trl-preference',
			aggregation: 'dawid-skene',
			minConfidence: '0.85',
			dedupe: 'on',
		})
		const request = ExportRequestSchema.parse(requestFromForm(form))
		expect(request.options).toMatchObject({ aggregation: 'dawid-skene', minConfidence: 0.85 })
	})

	test('an empty minimum confidence means none; one off the scale names the field', () => {
		expect(
			ExportRequestSchema.parse(requestFromForm(new URLSearchParams({ minConfidence: '' }))).options.minConfidence,
		).toBeUndefined()
		const parsed = ExportRequestSchema.safeParse(requestFromForm(new URLSearchParams({ minConfidence: '1.2' })))
		expect(parsed.success).toBe(false)
		expect(fieldErrorsFromZod(parsed.error!.issues).map((error) => error.path)).toEqual(['options.minConfidence'])
	})
})
