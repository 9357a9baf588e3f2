import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { dawidSkene } from '#app/modules/stats/dawid-skene.ts'
import { createRng } from '#app/modules/stats/prng.ts'

const bin = path.resolve('bin/quorum.js')
let dir = ''

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'quorum-cli-aggregate-'))
})
afterAll(async () => {
	await rm(dir, { recursive: true, force: true })
})

type Run = { code: number; stdout: string; stderr: string }
type Output = {
	method: string
	classes: number
	prior: number[]
	posterior: number[][]
	labels: number[]
	confidence: number[]
	reliability: number[]
	confusion: number[][][]
	iterations: number
	converged: boolean
}

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

async function file(name: string, content: unknown) {
	await writeFile(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content))
	return name
}

function expectSuccess(run: Run) {
	expect(run.stderr).toBe('')
	expect(run.code).toBe(0)
	return JSON.parse(run.stdout) as Output
}

function expectOneLineError(run: Run, pattern: RegExp) {
	expect(run.code).toBe(1)
	expect(run.stdout).toBe('')
	const lines = run.stderr.trimEnd().split('\n')
	expect(lines).toHaveLength(1)
	expect(lines[0]).toMatch(pattern)
}

function expectClose(actual: number[], expected: ArrayLike<number>) {
	expect(actual).toHaveLength(expected.length)
	actual.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-9))
}

describe('quorum aggregate', () => {
	test('Dawid–Skene: every field of the output, with gold clamped, for a random team', async () => {
		const rng = createRng(3)
		const truth = Array.from({ length: 60 }, () => rng.nextInt(3))
		const accuracy = [0.9, 0.8, 0.7, 0.34]
		const data = accuracy.map((p) =>
			truth.map((t) => (rng.nextFloat() < 0.2 ? null : rng.nextFloat() < p ? t : rng.nextInt(3))),
		)
		const gold = truth.map((t, u) => (u % 10 === 0 ? (t + 1) % 3 : null))
		const input = await file('team.json', { data, gold })
		const output = expectSuccess(await quorum('aggregate', '--input', input, '--method', 'dawid-skene'))
		const expected = dawidSkene({ data, classes: 3, gold })
		expect(Object.keys(output)).toEqual([
			'method',
			'classes',
			'prior',
			'posterior',
			'labels',
			'confidence',
			'reliability',
			'confusion',
			'iterations',
			'converged',
		])
		expect(output).toMatchObject({
			method: 'dawid-skene',
			classes: 3,
			iterations: expected.iterations,
			converged: true,
		})
		expectClose(output.prior, expected.prior)
		expectClose(output.posterior.flat(), expected.posterior)
		expectClose(output.confusion.flat(2), expected.confusion)
		expectClose(output.reliability, expected.reliability)
		expectClose(output.confidence, expected.confidence)
		expect(output.labels).toEqual(Array.from(expected.labels))
		for (let u = 0; u < 60; u += 10) expect(output.labels[u]).toBe(gold[u])
		expect(output.confusion).toHaveLength(4)
		expect(output.confusion[0]!.map((row) => row.reduce((s, x) => s + x, 0))).toEqual([
			expect.closeTo(1, 12),
			expect.closeTo(1, 12),
			expect.closeTo(1, 12),
		])
		expect(output.reliability[3]).toBeLessThan(output.reliability[0]!)
	})

	test('majority: vote shares, the lowest class on ties, --classes widens the classes', async () => {
		const input = await file('votes.json', {
			data: [
				[0, 1, 2],
				[0, 0, null],
				[1, null, null],
			],
		})
		const output = expectSuccess(await quorum('aggregate', '--input', input, '--method', 'majority', '--classes', '4'))
		expect(output).toMatchObject({ method: 'majority', classes: 4, labels: [0, 0, 2], iterations: 0, converged: true })
		expectClose(output.posterior.flat(), [2 / 3, 1 / 3, 0, 0, 1 / 2, 1 / 2, 0, 0, 0, 0, 1, 0])
		expect(output.confidence[2]).toBe(1)
	})

	test('bad input gets one clear line on stderr and exit code 1', async () => {
		const cases: [string[], RegExp][] = [
			[
				['--input', await file('nodata.json', { rows: [[0]] }), '--method', 'majority'],
				/nodata\.json: "data" is missing/,
			],
			[
				['--input', await file('ragged.json', { data: [[0, 1], [1]] }), '--method', 'majority'],
				/ragged\.json: data\[1\]: expected 2 labels/,
			],
			[
				['--input', await file('word.json', { data: [[0, 'a']] }), '--method', 'dawid-skene'],
				/word\.json: data\[0\]\[1\]: expected a class label \(a whole number from 0\) or null, got "a"/,
			],
			[
				['--input', await file('wide.json', { data: [[0, 3]] }), '--method', 'dawid-skene', '--classes', '3'],
				/wide\.json: data\[0\]\[1\]: label 3 is not a class 0\.\.2/,
			],
			[
				['--input', await file('gold.json', { data: [[0, 1]], gold: [null] }), '--method', 'dawid-skene'],
				/gold\.json: gold: expected 2 entries/,
			],
			[
				['--input', await file('goldvalue.json', { data: [[0, 1]], gold: [null, -1] }), '--method', 'dawid-skene'],
				/goldvalue\.json: gold\[1\]: expected a class label/,
			],
			[
				['--input', await file('broken.json', '{"data": [[0, 1] [1]]}'), '--method', 'majority'],
				/broken\.json: invalid JSON at line 1, column 18/,
			],
			[['--input', await file('fine.json', { data: [[0, 1]] }), '--method', 'mace'], /unknown method "mace"/],
			[['--input', 'fine.json', '--method', 'majority', '--classes', 'two'], /--classes must be a whole number/],
			[
				['--input', 'fine.json', '--method', 'majority', '--classes', '1'],
				/classes must be a whole number from 2 to 1000, got 1/,
			],
			[['--input', 'missing.json', '--method', 'majority'], /cannot read missing\.json: no such file/],
		]
		const runs = await Promise.all(cases.map(([args]) => quorum('aggregate', ...args)))
		runs.forEach((run, i) => expectOneLineError(run, cases[i]![1]))
	})
})
