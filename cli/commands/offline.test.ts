import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import examples from '#tests/fixtures/agreement-examples.json'

const bin = path.resolve('bin/quorum.js')
let dir = ''

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'quorum-cli-offline-'))
})
afterAll(async () => {
	await rm(dir, { recursive: true, force: true })
})

type Run = { code: number; stdout: string; stderr: string }

function quorum(...args: string[]): Promise<Run> {
	return new Promise((resolve) => {
		execFile(
			process.execPath,
			[bin, ...args],
			{ cwd: dir, env: { ...process.env, DATABASE_URL: '' } },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
				resolve({ code, stdout, stderr })
			},
		)
	})
}

async function file(name: string, content: string) {
	await writeFile(path.join(dir, name), content)
	return name
}

const matrix = (data: unknown) => JSON.stringify({ data })

function tableToRows(table: number[][]): [number[], number[]] {
	const rows: [number[], number[]] = [[], []]
	table.forEach((row, i) =>
		row.forEach((count, j) => {
			for (let t = 0; t < count; t++) {
				rows[0].push(i + 1)
				rows[1].push(j + 1)
			}
		}),
	)
	return rows
}

function baseballJsonl() {
	const lines: string[] = []
	for (const [home, away, homeWins, awayWins] of examples.bradley_terry_baseball.data) {
		for (let i = 0; i < (homeWins as number); i++)
			lines.push(JSON.stringify({ model_a: home, model_b: away, winner: 'model_a' }))
		for (let i = 0; i < (awayWins as number); i++)
			lines.push(JSON.stringify({ model_a: home, model_b: away, winner: 'model_b' }))
	}
	return `${lines.join('\n')}\n`
}

function expectSuccess(run: Run) {
	expect(run.stderr).toBe('')
	expect(run.code).toBe(0)
	return JSON.parse(run.stdout) as unknown
}

function expectOneLineError(run: Run, pattern: RegExp) {
	expect(run.code).toBe(1)
	expect(run.stdout).toBe('')
	const lines = run.stderr.trimEnd().split('\n')
	expect(lines).toHaveLength(1)
	expect(lines[0]).toMatch(pattern)
}

describe('quorum agreement', () => {
	test("Krippendorff's alpha at every level reproduces Krippendorff (2011)", async () => {
		const input = await file('k2011.json', matrix(examples.krippendorff_2011.data))
		const levels = ['nominal', 'ordinal', 'interval', 'ratio'] as const
		const runs = await Promise.all(
			levels.map((level) => quorum('agreement', '--input', input, '--metric', 'krippendorff', '--level', level)),
		)
		runs.forEach((run, i) => {
			const level = levels[i]!
			const result = expectSuccess(run) as {
				metric: string
				level: string
				value: number
				units: number
				observers: number
			}
			expect(result).toMatchObject({ metric: 'krippendorff', level, units: 11, observers: 4 })
			expect(Math.abs(result.value - examples.krippendorff_2011.alpha[level])).toBeLessThan(1e-9)
		})
		const byDefault = expectSuccess(await quorum('agreement', '--input', input, '--metric', 'krippendorff')) as {
			level: string
			value: number
		}
		expect(byDefault.level).toBe('nominal')
	})

	test("Fleiss' kappa reproduces R irr on Fleiss (1971), and percent agreement a known table", async () => {
		const subjects = examples.fleiss_1971_diagnoses.data
		const observers = subjects[0]!.map((_, r) => subjects.map((subject) => subject[r]))
		const fleissInput = await file('diagnoses.json', matrix(observers))
		const cohenCase = examples.cohen_tables.cases[1]!
		const percentInput = await file('percent.json', matrix(tableToRows(cohenCase.table)))
		const [fleiss, percent] = await Promise.all([
			quorum('agreement', '--input', fleissInput, '--metric', 'fleiss'),
			quorum('agreement', '--input', percentInput, '--metric', 'percent'),
		])
		const fleissResult = expectSuccess(fleiss) as { value: number; units: number; observers: number }
		expect(fleissResult).toMatchObject({ metric: 'fleiss', units: 30, observers: 6 })
		expect(Math.abs(fleissResult.value - examples.fleiss_1971_diagnoses.kappa)).toBeLessThan(1e-9)
		const percentResult = expectSuccess(percent) as { value: number; units: number }
		expect(percentResult).toMatchObject({ metric: 'percent', units: 100, observers: 2 })
		expect(percentResult.value).toBeCloseTo(cohenCase.percent_agreement, 12)
	})

	test("Cohen's kappa, unweighted, linear and quadratic, reproduces scikit-learn", async () => {
		const weighted = examples.cohen_tables.cases[2] as {
			table: number[][]
			kappa: number
			linear: number
			quadratic: number
		}
		const input = await file('cohen.json', matrix(tableToRows(weighted.table)))
		const [plain, linear, quadratic] = await Promise.all([
			quorum('agreement', '--input', input, '--metric', 'cohen'),
			quorum('agreement', '--input', input, '--metric', 'cohen', '--weights', 'linear'),
			quorum('agreement', '--input', input, '--metric', 'cohen', '--weights', 'quadratic'),
		])
		const plainResult = expectSuccess(plain) as { value: number; weights?: string }
		expect(plainResult.weights).toBeUndefined()
		expect(Math.abs(plainResult.value - weighted.kappa)).toBeLessThan(1e-9)
		expect(Math.abs((expectSuccess(linear) as { value: number }).value - weighted.linear)).toBeLessThan(1e-9)
		expect(expectSuccess(quadratic)).toMatchObject({ metric: 'cohen', weights: 'quadratic', units: 100, observers: 2 })
		expect(Math.abs((expectSuccess(quadratic) as { value: number }).value - weighted.quadratic)).toBeLessThan(1e-9)
	})

	test('bad input gets one clear line on stderr and exit code 1', async () => {
		const cases: [string[], RegExp][] = [
			[
				['--input', await file('shape.json', JSON.stringify({ rows: [[1, 2]] })), '--metric', 'krippendorff'],
				/shape\.json: "data" is missing/,
			],
			[
				['--input', await file('one.json', matrix([[1, 2, 3]])), '--metric', 'krippendorff'],
				/one\.json: data has 1 row; need at least two observers/,
			],
			[
				['--input', await file('narrow.json', matrix([[1], [1]])), '--metric', 'percent'],
				/narrow\.json: data has 1 unit \(columns\); need at least two/,
			],
			[
				[
					'--input',
					await file(
						'words.json',
						matrix([
							['a', 'b'],
							['a', 'c'],
						]),
					),
					'--metric',
					'krippendorff',
					'--level',
					'interval',
				],
				/words\.json: data\[0\]\[0\]: expected a number or null \(the interval metric needs numbers\)/,
			],
			[
				[
					'--input',
					await file(
						'three.json',
						matrix([
							[1, 2],
							[1, 2],
							[2, 2],
						]),
					),
					'--metric',
					'cohen',
				],
				/three\.json: Cohen's kappa needs exactly two rows/,
			],
			[
				['--input', await file('broken.json', '{"data": [[1, 2], [1 2]]}'), '--metric', 'fleiss'],
				/broken\.json: invalid JSON at line 1, column 22: expected "," or "]"/,
			],
			[['--input', 'missing.json', '--metric', 'fleiss'], /cannot read missing\.json: no such file/],
			[
				[
					'--input',
					await file(
						'ok.json',
						matrix([
							[1, 2],
							[1, 2],
						]),
					),
					'--metric',
					'spearman',
				],
				/unknown metric "spearman"/,
			],
			[['--metric', 'fleiss'], /required option '--input <file>' not specified/],
		]
		const runs = await Promise.all(cases.map(([args]) => quorum('agreement', ...args)))
		runs.forEach((run, i) => expectOneLineError(run, cases[i]![1]))
	})
})

describe('quorum rank', () => {
	test('reproduces the Bradley-Terry Elo ratings of the 1987 AL East, best first, reproducibly', async () => {
		const input = await file('baseball.jsonl', baseballJsonl())
		const [first, second] = await Promise.all([
			quorum('rank', '--input', input, '--bootstrap', '50', '--seed', '7'),
			quorum('rank', '--input', input, '--bootstrap', '50', '--seed', '7'),
		])
		const rows = expectSuccess(first) as {
			model: string
			rating: number
			ci_low: number
			ci_high: number
			battles: number
			rank: number
		}[]
		expect(second.stdout).toBe(first.stdout)
		const expected = examples.bradley_terry_baseball.elo_scale_mean_1000 as Record<string, number>
		expect(rows.map((row) => row.model)).toEqual(Object.keys(expected))
		for (const row of rows) {
			expect(Math.abs(row.rating - expected[row.model]!)).toBeLessThan(0.01)
			expect(row.ci_low).toBeLessThanOrEqual(row.rating)
			expect(row.ci_high).toBeGreaterThanOrEqual(row.rating)
			expect(Object.keys(row).sort()).toEqual(['battles', 'ci_high', 'ci_low', 'model', 'rank', 'rating'])
		}
		expect(rows[0]!.battles).toBe(78)
	})

	test('bad battles get one clear line on stderr and exit code 1', async () => {
		const good = JSON.stringify({ model_a: 'x', model_b: 'y', winner: 'model_a' })
		const cases: [string[], RegExp][] = [
			[
				[
					'--input',
					await file('winner.jsonl', `${good}\n${JSON.stringify({ model_a: 'x', model_b: 'y', winner: 'draw' })}\n`),
				],
				/winner\.jsonl: line 2: unknown winner "draw"/,
			],
			[['--input', await file('notjson.jsonl', `${good}\n{"model_a": "x",\n`)], /notjson\.jsonl: line 2: invalid JSON/],
			[['--input', await file('array.jsonl', '[1, 2]\n')], /array\.jsonl: line 1: expected a JSON object/],
			[['--input', await file('empty.jsonl', '\n')], /empty\.jsonl: input is empty/],
			[['--input', await file('fine.jsonl', `${good}\n`), '--bootstrap', 'many'], /--bootstrap must be a whole number/],
		]
		const runs = await Promise.all(cases.map(([args]) => quorum('rank', ...args)))
		runs.forEach((run, i) => expectOneLineError(run, cases[i]![1]))
	})
})

describe('quorum rank --style-control / --position-control', () => {
	function styleJsonl() {
		const lines: string[] = []
		let i = 0
		for (const [home, away, homeWins, awayWins] of examples.bradley_terry_baseball.data) {
			const total = (homeWins as number) + (awayWins as number)
			for (let g = 0; g < total; g++, i++) {
				const winner = g < (homeWins as number) ? 'model_a' : 'model_b'
				// Winners wrote longer answers more often than not, so length takes some credit.
				const longer = (i * 7) % 10 < 7 ? winner : winner === 'model_a' ? 'model_b' : 'model_a'
				const conv_metadata = {
					sum_assistant_a_tokens: longer === 'model_a' ? 400 + (i % 13) : 150 + (i % 11),
					sum_assistant_b_tokens: longer === 'model_b' ? 400 + (i % 17) : 150 + (i % 5),
					header_count_a: { h1: i % 2, h2: i % 3 },
					header_count_b: (i >> 1) % 3,
					list_count_a: { ordered: i % 4, unordered: (i >> 2) % 2 },
					list_count_b: i % 5,
					bold_count_a: { '**': i % 3, __: 0 },
					bold_count_b: (i >> 3) % 2,
				}
				lines.push(
					JSON.stringify({
						model_a: home,
						model_b: away,
						winner,
						conv_metadata,
						first: i % 3 === 0 ? 'model_b' : 'model_a',
					}),
				)
			}
		}
		return `${lines.join('\n')}\n`
	}

	test('prints ratings as plain rank does, and a coefficient with its interval per feature', async () => {
		const input = await file('style.jsonl', styleJsonl())
		const [style, both, plain] = await Promise.all([
			quorum('rank', '--input', input, '--style-control', '--bootstrap', '20'),
			quorum('rank', '--input', input, '--style-control', '--position-control', '--bootstrap', '20'),
			quorum('rank', '--input', input, '--bootstrap', '20'),
		])
		type Coefficient = { value: number; ci_low: number; ci_high: number }
		const styled = expectSuccess(style) as {
			ratings: { model: string; rating: number }[]
			coefficients: Record<string, Coefficient>
		}
		expect(Object.keys(styled).sort()).toEqual(['coefficients', 'ratings'])
		expect(Object.keys(styled.coefficients)).toEqual(['length', 'headers', 'lists', 'bold'])
		expect(styled.coefficients.length!.value).toBeGreaterThan(0)
		for (const coefficient of Object.values(styled.coefficients))
			expect(Object.keys(coefficient).sort()).toEqual(['ci_high', 'ci_low', 'value'])
		const plainRows = expectSuccess(plain) as { model: string }[]
		expect(styled.ratings.map((row) => row.model).sort()).toEqual(plainRows.map((row) => row.model).sort())
		expect(Object.keys(styled.ratings[0]!).sort()).toEqual(['battles', 'ci_high', 'ci_low', 'model', 'rank', 'rating'])
		const withPosition = expectSuccess(both) as { coefficients: Record<string, Coefficient> }
		expect(Object.keys(withPosition.coefficients)).toEqual(['length', 'headers', 'lists', 'bold', 'position'])
	})

	test('a line without what the flag needs gets one clear line naming the line and field', async () => {
		const good = {
			model_a: 'x',
			model_b: 'y',
			winner: 'model_a',
			first: 'model_a',
			conv_metadata: {
				sum_assistant_a_tokens: 5,
				sum_assistant_b_tokens: 3,
				header_count_a: 0,
				header_count_b: 0,
				list_count_a: 0,
				list_count_b: 0,
				bold_count_a: 0,
				bold_count_b: 0,
			},
		}
		const line = (patch: Record<string, unknown>) => JSON.stringify({ ...good, ...patch })
		const metadata = (patch: Record<string, unknown>) => line({ conv_metadata: { ...good.conv_metadata, ...patch } })
		const cases: [string[], RegExp][] = [
			[
				[
					'--input',
					await file('nometa.jsonl', `${line({})}\n${line({ conv_metadata: undefined })}\n`),
					'--style-control',
				],
				/nometa\.jsonl: line 2: "conv_metadata" must be an object/,
			],
			[
				['--input', await file('badcount.jsonl', `${metadata({ list_count_b: -1 })}\n`), '--style-control'],
				/badcount\.jsonl: line 1: "conv_metadata\.list_count_b" must be a whole number/,
			],
			[
				[
					'--input',
					await file('badpart.jsonl', `${line({})}\n${metadata({ bold_count_a: { '**': 'two' } })}\n`),
					'--style-control',
				],
				/badpart\.jsonl: line 2: "conv_metadata\.bold_count_a\.\*\*" must be a whole number/,
			],
			[
				['--input', await file('nofirst.jsonl', `${line({})}\n\n${line({ first: 'left' })}\n`), '--position-control'],
				/nofirst\.jsonl: line 3: "first" must be "model_a" or "model_b"/,
			],
			[
				['--input', await file('winner2.jsonl', `${line({ winner: 'draw' })}\n`), '--style-control'],
				/winner2\.jsonl: line 1: unknown winner "draw"/,
			],
		]
		const runs = await Promise.all(cases.map(([args]) => quorum('rank', ...args)))
		runs.forEach((run, i) => expectOneLineError(run, cases[i]![1]))
	})
})
