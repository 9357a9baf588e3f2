import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { fieldErrorMap, fieldErrorsFromZod } from './errors.ts'
import { formErrors } from './route.server.ts'

const Schema = z.object({
	name: z.string().min(1, 'Name is required'),
	ranking: z.array(z.array(z.string())),
	criteria: z.array(z.object({ name: z.string().min(1, 'A criterion needs a name') })),
})
const issues = (input: unknown) => Schema.safeParse(input).error?.issues ?? []
const bad = { name: '', ranking: [['r1'], [2]], criteria: [{ name: 'ok' }, { name: '' }] }

describe('one path format for zod errors', () => {
	test('paths index arrays with brackets and name fields with dots', () => {
		expect(fieldErrorsFromZod(issues(bad))).toEqual([
			{ path: 'name', message: 'Name is required' },
			{ path: 'ranking[1][0]', message: expect.any(String) },
			{ path: 'criteria[1].name', message: 'A criterion needs a name' },
		])
	})

	test('forms group the same errors by field, keeping a nested path in the message', () => {
		const expected = {
			name: ['Name is required'],
			ranking: [expect.stringMatching(/^ranking\[1\]\[0\]: /)],
			criteria: ['criteria[1].name: A criterion needs a name'],
		}
		expect(formErrors(Schema.safeParse(bad).error!)).toEqual(expected)
		expect(fieldErrorMap(fieldErrorsFromZod(issues(bad)))).toEqual(expected)
	})

	test('an error without a path is a form-level error', () => {
		expect(fieldErrorMap([{ path: '', message: 'Nothing was saved' }])).toEqual({ form: ['Nothing was saved'] })
	})
})
