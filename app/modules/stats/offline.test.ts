import { describe, expect, test } from 'vitest'
import examples from '#tests/fixtures/agreement-examples.json'
import { findJsonSyntaxProblem } from './json-syntax.ts'
import { OfflineInputError, runAgreementCommand, runRankCommand } from './offline.ts'

const json = (data: unknown) => JSON.stringify({ data })

function baseballJsonl(): string {
	const lines: string[] = []
	for (const [home, away, homeWins, awayWins] of examples.bradley_terry_baseball.data) {
		for (let i = 0; i < (homeWins as number); i++)
			lines.push(JSON.stringify({ model_a: home, model_b: away, winner: 'model_a' }))
		for (let i = 0; i < (awayWins as number); i++)
			lines.push(JSON.stringify({ model_a: home, model_b: away, winner: 'model_b', turn: 1 }))
	}
	return `${lines.join('\n')}\n`
}

function agreementError(args: Parameters<typeof runAgreementCommand>[0]): string {
	try {
		runAgreementCommand(args)
	} catch (error) {
		expect(error).toBeInstanceOf(OfflineInputError)
		const message = (error as Error).message
		expect(message).not.toContain('\n')
		return message
	}
	throw new Error('expected an OfflineInputError')
}

function rankError(args: Parameters<typeof runRankCommand>[0]): string {
	try {
		runRankCommand(args)
	} catch (error) {
		expect(error).toBeInstanceOf(OfflineInputError)
		const message = (error as Error).message
		expect(message).not.toContain('\n')
		return message
	}
	throw new Error('expected an OfflineInputError')
}

describe('agreement command', () => {
	test("Krippendorff's alpha, nominal by default", () => {
		const result = runAgreementCommand({ inputText: json(examples.krippendorff_2011.data), metric: 'krippendorff' })
		expect(result).toMatchObject({ metric: 'krippendorff', level: 'nominal', units: 11, observers: 4 })
		expect(Math.abs(result.value - examples.krippendorff_2011.alpha.nominal)).toBeLessThan(1e-9)
	})

	test("Krippendorff's alpha at the interval level", () => {
		const result = runAgreementCommand({
			inputText: json(examples.krippendorff_wikipedia.data),
			metric: 'krippendorff',
			level: 'interval',
		})
		expect(Math.abs(result.value - examples.krippendorff_wikipedia.alpha.interval)).toBeLessThan(1e-9)
		expect(result.observers).toBe(3)
	})

	test("Fleiss' kappa takes observers x units", () => {
		const rows = examples.fleiss_1971_diagnoses.data
		const observersByUnits = rows[0]?.map((_, r) => rows.map((subject) => subject[r])) ?? []
		const result = runAgreementCommand({ inputText: json(observersByUnits), metric: 'fleiss' })
		expect(result).toMatchObject({ metric: 'fleiss', units: 30, observers: 6 })
		expect(Math.abs(result.value - examples.fleiss_1971_diagnoses.kappa)).toBeLessThan(1e-9)
	})

	test("Cohen's kappa with weights, and percent agreement", () => {
		const c = examples.cohen_tables.cases[2] as { table: number[][]; linear: number; percent_agreement: number }
		const rows: [number[], number[]] = [[], []]
		c.table.forEach((row, i) =>
			row.forEach((count, j) => {
				for (let t = 0; t < count; t++) {
					rows[0].push(i)
					rows[1].push(j)
				}
			}),
		)
		rows[0].push(2)
		;(rows[1] as (number | null)[]).push(null)
		const cohen = runAgreementCommand({ inputText: json(rows), metric: 'cohen', weights: 'linear' })
		expect(cohen).toMatchObject({ metric: 'cohen', weights: 'linear', units: 100, observers: 2 })
		expect(Math.abs(cohen.value - c.linear)).toBeLessThan(1e-9)
		const percent = runAgreementCommand({ inputText: json(rows), metric: 'percent' })
		expect(percent).toMatchObject({ metric: 'percent', units: 100, observers: 2 })
		expect(percent.value).toBeCloseTo(c.percent_agreement, 12)
	})

	test('a byte-order mark is ignored', () => {
		expect(
			runAgreementCommand({
				inputText: `\uFEFF${json([
					[1, 2],
					[1, 2],
				])}`,
				metric: 'percent',
			}).value,
		).toBe(1)
	})
})

describe('agreement command errors', () => {
	test('empty input', () => {
		expect(agreementError({ inputText: '  \n', metric: 'krippendorff' })).toBe('input is empty')
	})

	test('invalid JSON names line and column', () => {
		expect(agreementError({ inputText: '{"data": [[1, 2],\n  [3, ]]}', metric: 'krippendorff' })).toBe(
			'invalid JSON at line 2, column 7: unexpected "]"',
		)
	})

	test('not an object with data', () => {
		expect(agreementError({ inputText: '[[1, 2], [1, 2]]', metric: 'krippendorff' })).toMatch(
			/^expected a JSON object like \{"data"/,
		)
		expect(agreementError({ inputText: '{"rows": []}', metric: 'krippendorff' })).toMatch(/^"data" is missing/)
		expect(agreementError({ inputText: '{"data": 3}', metric: 'krippendorff' })).toBe(
			'data: expected an array of rows (one per observer), got 3',
		)
	})

	test('a row that is not an array', () => {
		expect(agreementError({ inputText: json([[1, 2], 'x']), metric: 'krippendorff' })).toBe(
			'data[1]: expected an array of values (one per unit), got "x"',
		)
	})

	test('rows of different lengths', () => {
		expect(
			agreementError({
				inputText: json([
					[1, 2, 3],
					[1, 2],
				]),
				metric: 'krippendorff',
			}),
		).toBe('data[1]: expected 3 values (one per unit, like data[0]), got 2')
	})

	test('a value that is neither number, string nor null', () => {
		expect(
			agreementError({
				inputText: json([
					[1, 2],
					[true, 2],
				]),
				metric: 'krippendorff',
			}),
		).toBe('data[1][0]: expected a number, a string or null, got true')
	})

	test('non-numeric values with interval, ordinal or ratio', () => {
		expect(
			agreementError({
				inputText: json([
					[1, 2, 3, 4],
					[1, 2, 3, 'x'],
				]),
				metric: 'krippendorff',
				level: 'interval',
			}),
		).toBe('data[1][3]: expected a number or null (the interval metric needs numbers), got "x"')
		expect(
			agreementError({
				inputText: json([
					['a', 2],
					[1, 2],
				]),
				metric: 'krippendorff',
				level: 'ordinal',
			}),
		).toMatch(/^data\[0\]\[0\]: expected a number or null \(the ordinal metric/)
	})

	test('negative values with ratio', () => {
		expect(
			agreementError({
				inputText: json([
					[1, -2],
					[1, 2],
				]),
				metric: 'krippendorff',
				level: 'ratio',
			}),
		).toBe('data[0][1]: the ratio metric needs values >= 0, got -2')
	})

	test('one observer', () => {
		expect(agreementError({ inputText: json([[1, 2, 3]]), metric: 'krippendorff' })).toBe(
			'data has 1 row; need at least two observers (one row each)',
		)
	})

	test('fewer than two units', () => {
		expect(agreementError({ inputText: json([[1], [1]]), metric: 'fleiss' })).toBe(
			'data has 1 unit (columns); need at least two',
		)
		expect(
			agreementError({
				inputText: json([
					[1, 2, null],
					[1, null, 3],
				]),
				metric: 'krippendorff',
			}),
		).toBe('only 1 unit has two or more values; need at least two')
		expect(
			agreementError({
				inputText: json([
					[1, 2, null],
					[1, null, 3],
				]),
				metric: 'cohen',
			}),
		).toBe('only 1 unit is rated in both rows; need at least two')
	})

	test('Cohen needs exactly two rows, and numbers when weighted', () => {
		expect(
			agreementError({
				inputText: json([
					[1, 2],
					[1, 2],
					[1, 2],
				]),
				metric: 'cohen',
			}),
		).toBe("Cohen's kappa needs exactly two rows (raters), got 3")
		expect(
			agreementError({
				inputText: json([
					['a', 'b'],
					['a', 'b'],
				]),
				metric: 'cohen',
				weights: 'quadratic',
			}),
		).toBe('data[0][0]: expected a number or null (quadratic weights need numbers), got "a"')
	})

	test('Fleiss with a missing value', () => {
		expect(
			agreementError({
				inputText: json([
					[1, 2, 3],
					[1, null, 3],
				]),
				metric: 'fleiss',
			}),
		).toBe("data[1][1]: Fleiss' kappa needs every observer to rate every unit, got null")
	})

	test('a statistic left undefined by data without variation', () => {
		expect(
			agreementError({
				inputText: json([
					[2, 2],
					[2, 2],
				]),
				metric: 'krippendorff',
			}),
		).toMatch(/^Krippendorff's alpha is undefined/)
		expect(
			agreementError({
				inputText: json([
					[2, 2],
					[2, 2],
				]),
				metric: 'cohen',
			}),
		).toMatch(/^Cohen's kappa is undefined/)
	})

	test('unknown or misplaced options', () => {
		const inputText = json([
			[1, 2],
			[1, 2],
		])
		expect(agreementError({ inputText, metric: 'kappa' as never })).toBe(
			'unknown metric "kappa"; expected one of "krippendorff", "fleiss", "cohen", "percent"',
		)
		expect(agreementError({ inputText, metric: 'krippendorff', level: 'cardinal' as never })).toMatch(
			/^unknown level "cardinal"/,
		)
		expect(agreementError({ inputText, metric: 'fleiss', level: 'ordinal' })).toBe(
			'a level applies only to krippendorff, not to fleiss',
		)
		expect(agreementError({ inputText, metric: 'percent', weights: 'linear' })).toBe(
			'weights apply only to cohen, not to percent',
		)
	})
})

describe('rank command', () => {
	test('Bradley-Terry ratings best first, reproducible with the default seed', () => {
		const inputText = baseballJsonl()
		const rows = runRankCommand({ inputText, bootstrap: 30 })
		expect(rows.map((r) => r.model)).toEqual([
			'Milwaukee',
			'Detroit',
			'Toronto',
			'New York',
			'Boston',
			'Cleveland',
			'Baltimore',
		])
		for (const row of rows) {
			const expected = examples.bradley_terry_baseball.elo_scale_mean_1000[row.model as 'Milwaukee']
			expect(Math.abs(row.rating - expected)).toBeLessThan(1e-3)
			expect(Object.keys(row)).toEqual(['model', 'rating', 'ci_low', 'ci_high', 'battles', 'rank'])
			expect(row.battles).toBe(78)
		}
		expect(runRankCommand({ inputText, bootstrap: 30 })).toEqual(rows)
		expect(runRankCommand({ inputText, bootstrap: 30, seed: 43 })).not.toEqual(rows)
	})

	test('blank lines and CRLF line ends are accepted', () => {
		const inputText =
			'{"model_a":"a","model_b":"b","winner":"model_a"}\r\n\r\n{"model_a":"b","model_b":"a","winner":"tie (bothbad)"}\r\n'
		expect(runRankCommand({ inputText, bootstrap: 5 }).map((r) => r.model)).toEqual(['a', 'b'])
	})
})

describe('rank command errors', () => {
	const good = '{"model_a":"a","model_b":"b","winner":"model_a"}'

	test('empty input', () => {
		expect(rankError({ inputText: '\n\n' })).toBe('input is empty')
	})

	test('invalid JSON names the line and column', () => {
		expect(rankError({ inputText: `${good}\n{"model_a": "a", "model_b" "b"}\n` })).toBe(
			'line 2: invalid JSON at column 28: expected ":", got "\\""',
		)
	})

	test('unknown winner names the 1-based line', () => {
		expect(rankError({ inputText: `${good}\n${good}\n{"model_a":"a","model_b":"b","winner":"draw"}` })).toBe(
			'line 3: unknown winner "draw"; expected one of "model_a", "model_b", "tie", "tie (bothbad)"',
		)
	})

	test('a line that is not a battle object', () => {
		expect(rankError({ inputText: '[1, 2]' })).toBe(
			'line 1: expected a JSON object with "model_a", "model_b" and "winner", got an array',
		)
		expect(rankError({ inputText: '{"model_b":"b","winner":"tie"}' })).toBe(
			'line 1: "model_a" must be a non-empty string, got nothing',
		)
		expect(rankError({ inputText: '{"model_a":"a","model_b":"a","winner":"tie"}' })).toBe(
			'line 1: model_a and model_b are the same model "a"',
		)
	})

	test('bad bootstrap or seed', () => {
		expect(rankError({ inputText: good, bootstrap: -1 })).toMatch(/^bootstrap must be a whole number/)
		expect(rankError({ inputText: good, seed: 0.5 })).toBe('seed must be an integer, got 0.5')
	})
})

describe('JSON syntax problems', () => {
	test('reports what and where', () => {
		expect(findJsonSyntaxProblem('{"a": 1}')).toBeNull()
		expect(findJsonSyntaxProblem('{"a": 1,}')).toEqual({
			line: 1,
			column: 9,
			message: 'expected a string key, got "}"',
		})
		expect(findJsonSyntaxProblem('[1, 2')).toEqual({
			line: 1,
			column: 6,
			message: 'expected "," or "]", got end of input',
		})
		expect(findJsonSyntaxProblem('{"a": "b\nc"}')).toMatchObject({
			line: 1,
			column: 9,
			message: 'control character inside a string (escape it)',
		})
		expect(findJsonSyntaxProblem('"abc')).toMatchObject({ column: 1, message: 'unterminated string' })
		expect(findJsonSyntaxProblem('[1] 2')).toMatchObject({ column: 5, message: 'unexpected "2" after the JSON value' })
		expect(findJsonSyntaxProblem('[tru]')).toMatchObject({ column: 2, message: 'unexpected "t"' })
	})
})
