import { describe, expect, test } from 'vitest'
import { bradleyTerry } from './bradley-terry.ts'
import { runControlledRankCommand } from './offline-controlled-rank.ts'
import { createRng, type Rng } from './prng.ts'
import { responseStyle } from './response-style.ts'
import {
	aggregateControlRows,
	controlledLeaderboard,
	controlledLeaderboardFromDesign,
	positionFeature,
	standardizeDesign,
	styleFeature,
	type ControlledBattle,
	type ControlFeature,
} from './style-control.ts'

// ---------------------------------------------------------------------------------------------
// A straight port of FastChat's style control, the reference: lm-sys/FastChat at commit 0e6d3e4b,
// fastchat/serve/monitor/rating_systems.py — get_matchups_models, preprocess_for_elo,
// preprocess_for_style (apply_ratio [1, 1, 1, 1], add_one), contextual_bt_loss_and_grad,
// fit_contextual_bt (alpha ln 10, reg 0.5) and compute_style_control (scale_and_offset: 400 r +
// 1000). FastChat minimises with scipy's L-BFGS-B; the port minimises the same loss with its own
// gradient by accelerated gradient descent to a far tighter tolerance. Position control extends
// the feature matrix with one column, +1 when model a was shown first and -1 otherwise,
// standardized like the rest, as the issue defines it.
// ---------------------------------------------------------------------------------------------
type Count = number | Record<string, number>
type FastChatRow = {
	model_a: string
	model_b: string
	winner: string
	conv_metadata: Record<string, Count>
	first?: 'model_a' | 'model_b'
}

const STYLE_CONTROL_ELEMENTS_V1 = [
	'sum_assistant_a_tokens',
	'header_count_a',
	'list_count_a',
	'bold_count_a',
	'sum_assistant_b_tokens',
	'header_count_b',
	'list_count_b',
	'bold_count_b',
]

function getMatchupsModels(df: FastChatRow[]): { matchups: [number, number][]; models: string[] } {
	// pd.factorize(pd.concat([model_a, model_b])): codes in order of first appearance.
	const codes = new Map<string, number>()
	const code = (name: string) => {
		if (!codes.has(name)) codes.set(name, codes.size)
		return codes.get(name) as number
	}
	const aCodes = df.map((row) => code(row.model_a))
	const bCodes = df.map((row) => code(row.model_b))
	return { matchups: aCodes.map((a, i) => [a, bCodes[i] as number]), models: [...codes.keys()] }
}

function preprocessForStyle(df: FastChatRow[], position: boolean) {
	const { matchups, models } = getMatchupsModels(df)
	const outcomes = df.map((row) => (row.winner === 'model_a' ? 1 : row.winner === 'model_b' ? 0 : 0.5))
	const n = df.length
	const k = STYLE_CONTROL_ELEMENTS_V1.length / 2
	const extract = (count: Count) =>
		typeof count === 'number' ? count : Object.values(count).reduce((s, v) => s + v, 0)
	const styleVector = STYLE_CONTROL_ELEMENTS_V1.map((element) =>
		df.map((row) => extract(row.conv_metadata[element] as Count)),
	)
	const columns: number[][] = []
	for (let f = 0; f < k; f++) {
		const a = styleVector[f] as number[]
		const b = styleVector[f + k] as number[]
		columns.push(a.map((x, i) => (x - (b[i] as number)) / (x + (b[i] as number) + 1)))
	}
	if (position) columns.push(df.map((row) => (row.first === 'model_a' ? 1 : -1)))
	const features = columns.map((column) => {
		const mean = column.reduce((s, x) => s + x, 0) / n
		const std = Math.sqrt(column.reduce((s, x) => s + (x - mean) ** 2, 0) / n)
		return column.map((x) => (x - mean) / std)
	})
	return {
		matchups,
		features: Array.from({ length: n }, (_, i) => features.map((column) => column[i] as number)),
		outcomes,
		models,
	}
}

function contextualBtLossAndGrad(
	params: number[],
	nCompetitors: number,
	matchups: [number, number][],
	features: number[][],
	outcomes: number[],
	alpha: number,
	reg: number,
	halfReg: number,
) {
	const regLoss = halfReg * params.reduce((s, x) => s + x * x, 0)
	const grad = params.map((x) => reg * x)
	let loss = 0
	matchups.forEach(([a, b], i) => {
		const btLogit = alpha * ((params[a] as number) - (params[b] as number))
		const contextLogit = (features[i] as number[]).reduce((s, x, j) => s + x * (params[nCompetitors + j] as number), 0)
		const prob = 1 / (1 + Math.exp(-(btLogit + contextLogit)))
		const y = outcomes[i] as number
		loss -= Math.log(prob) * y + Math.log(1 - prob) * (1 - y)
		const error = y - prob
		grad[a] = (grad[a] as number) - alpha * error
		grad[b] = (grad[b] as number) + alpha * error
		;(features[i] as number[]).forEach(
			(x, j) => (grad[nCompetitors + j] = (grad[nCompetitors + j] as number) - x * error),
		)
	})
	return { loss: loss + regLoss, grad }
}

function fitContextualBt(
	matchups: [number, number][],
	features: number[][],
	outcomes: number[],
	models: string[],
	alpha = Math.log(10),
	reg = 0.5,
) {
	const nModels = models.length
	const d = nModels + (features[0]?.length ?? 0)
	const halfReg = reg / 2
	// The data term's curvature is at most 1/4 of the largest eigenvalue of X'X (X: one row of
	// logit derivatives per battle), found by power iteration; 1/L is then a safe step.
	const row = (i: number) => {
		const r = new Array<number>(d).fill(0)
		const [a, b] = matchups[i] as [number, number]
		r[a] = (r[a] as number) + alpha
		r[b] = (r[b] as number) - alpha
		;(features[i] as number[]).forEach((x, j) => (r[nModels + j] = x))
		return r
	}
	const rows = matchups.map((_, i) => row(i))
	let v = new Array<number>(d).fill(1)
	let eigen = 0
	for (let it = 0; it < 200; it++) {
		const w = new Array<number>(d).fill(0)
		for (const r of rows) {
			const dot = r.reduce((s, x, j) => s + x * (v[j] as number), 0)
			r.forEach((x, j) => (w[j] = (w[j] as number) + x * dot))
		}
		eigen = Math.sqrt(w.reduce((s, x) => s + x * x, 0))
		v = w.map((x) => x / eigen)
	}
	const lipschitz = 0.25 * eigen * 1.01 + reg
	let x = new Array<number>(d).fill(0)
	let y = [...x]
	let t = 1
	for (let it = 0; it < 200_000; it++) {
		const { grad } = contextualBtLossAndGrad(y, nModels, matchups, features, outcomes, alpha, reg, halfReg)
		const next = y.map((value, j) => value - (grad[j] as number) / lipschitz)
		const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2
		// Restart the momentum when it points uphill (O'Donoghue and Candès).
		const uphill = grad.reduce((s, g, j) => s + g * ((next[j] as number) - (x[j] as number)), 0) > 0
		y = uphill ? [...next] : next.map((value, j) => value + ((t - 1) / tNext) * (value - (x[j] as number)))
		t = uphill ? 1 : tNext
		x = next
		if (
			Math.max(
				...contextualBtLossAndGrad(x, nModels, matchups, features, outcomes, alpha, reg, halfReg).grad.map(Math.abs),
			) < 1e-9
		)
			break
	}
	return x
}

function computeStyleControl(df: FastChatRow[], position = false) {
	const { matchups, features, outcomes, models } = preprocessForStyle(df, position)
	const params = fitContextualBt(matchups, features, outcomes, models)
	const ratings = new Map(models.map((model, m) => [model, (params[m] as number) * 400 + 1000]))
	return { ratings, params: params.slice(models.length) }
}
// ---------------------------------------------------------------------------------------------

function randomBattles(
	rng: Rng,
	{
		models,
		battles,
		lengthEffect,
		positionEffect,
	}: { models: number; battles: number; lengthEffect: number; positionEffect: number },
): FastChatRow[] {
	const truth = Array.from({ length: models }, () => (rng.nextFloat() - 0.5) * 400)
	const count = (max: number): Count => {
		const value = rng.nextInt(max + 1)
		if (rng.nextFloat() < 0.3) {
			const part = rng.nextInt(value + 1)
			return { h1: part, h2: value - part }
		}
		return value
	}
	const total = (c: Count) => (typeof c === 'number' ? c : Object.values(c).reduce((s, v) => s + v, 0))
	return Array.from({ length: battles }, () => {
		const a = rng.nextInt(models)
		let b = rng.nextInt(models - 1)
		if (b >= a) b++
		const metadata: Record<string, Count> = {
			sum_assistant_a_tokens: count(1500),
			header_count_a: count(4),
			list_count_a: count(12),
			bold_count_a: count(6),
			sum_assistant_b_tokens: count(1500),
			header_count_b: count(4),
			list_count_b: count(12),
			bold_count_b: count(6),
		}
		const first = rng.nextFloat() < 0.5 ? 'model_a' : 'model_b'
		const la = total(metadata.sum_assistant_a_tokens as Count)
		const lb = total(metadata.sum_assistant_b_tokens as Count)
		const logit =
			(Math.log(10) * ((truth[a] as number) - (truth[b] as number))) / 400 +
			lengthEffect * ((la - lb) / (la + lb + 1)) +
			positionEffect * (first === 'model_a' ? 1 : -1)
		const u = rng.nextFloat()
		const winner =
			u < 0.1
				? u < 0.03
					? 'tie (bothbad)'
					: 'tie'
				: rng.nextFloat() < 1 / (1 + Math.exp(-logit))
					? 'model_a'
					: 'model_b'
		return { model_a: `model-${a}`, model_b: `model-${b}`, winner, conv_metadata: metadata, first }
	})
}

const jsonl = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).join('\n')

describe('style control reproduces FastChat', () => {
	test.each([
		[1, 4, 300],
		[2, 6, 800],
		[3, 8, 1500],
		[4, 5, 120],
	])('seed %i: %i models, %i battles, ratings to 0.1 Elo and coefficients to 1e-4', (seed, models, battles) => {
		const rows = randomBattles(createRng(seed), { models, battles, lengthEffect: 1.5, positionEffect: 0.2 })
		const reference = computeStyleControl(rows)
		const result = runControlledRankCommand({ inputText: jsonl(rows), style: true, position: false, bootstrap: 0 })
		expect(result.ratings).toHaveLength(reference.ratings.size)
		for (const row of result.ratings)
			expect(Math.abs(row.rating - (reference.ratings.get(row.model) as number))).toBeLessThan(0.1)
		const features = ['length', 'headers', 'lists', 'bold'] as const
		features.forEach((feature, j) =>
			expect(Math.abs((result.coefficients[feature]?.value as number) - (reference.params[j] as number))).toBeLessThan(
				1e-4,
			),
		)
		expect(result.coefficients.position).toBeUndefined()

		const withPosition = computeStyleControl(rows, true)
		const both = runControlledRankCommand({ inputText: jsonl(rows), style: true, position: true, bootstrap: 0 })
		for (const row of both.ratings)
			expect(Math.abs(row.rating - (withPosition.ratings.get(row.model) as number))).toBeLessThan(0.1)
		expect(Math.abs((both.coefficients.position?.value as number) - (withPosition.params[4] as number))).toBeLessThan(
			1e-4,
		)
	})

	test('bootstrap intervals cover the coefficients, repeat with the seed, and position alone works', () => {
		const rows = randomBattles(createRng(21), { models: 6, battles: 3000, lengthEffect: 1.5, positionEffect: 0.3 })
		const run = (seed: number) =>
			runControlledRankCommand({ inputText: jsonl(rows), style: true, position: true, bootstrap: 40, seed })
		const first = run(3)
		expect(run(3)).toEqual(first)
		expect(run(4)).not.toEqual(first)
		for (const coefficient of Object.values(first.coefficients)) {
			expect(coefficient.ci_low as number).toBeLessThanOrEqual(coefficient.value as number)
			expect(coefficient.ci_high as number).toBeGreaterThanOrEqual(coefficient.value as number)
		}
		// The planted length effect is strong and positive; headers, lists and bold have none.
		expect(first.coefficients.length?.ci_low).toBeGreaterThan(0)
		expect(first.coefficients.position?.ci_low).toBeGreaterThan(0)
		const positionOnly = runControlledRankCommand({
			inputText: jsonl(rows),
			style: false,
			position: true,
			bootstrap: 0,
		})
		expect(Object.keys(positionOnly.coefficients)).toEqual(['position'])
	})

	test('a feature that never varies gets no coefficient and leaves the fit alone', () => {
		const battles: ControlledBattle[] = []
		const rng = createRng(5)
		for (let i = 0; i < 400; i++) {
			const a = rng.nextInt(3)
			const b = (a + 1 + rng.nextInt(2)) % 3
			const tokensA = 10 + rng.nextInt(100)
			const tokensB = 10 + rng.nextInt(100)
			battles.push({
				model_a: `m${a}`,
				model_b: `m${b}`,
				winner: rng.nextFloat() < (a > b ? 0.7 : 0.3) ? 'model_a' : 'model_b',
				styleA: { tokens: tokensA, headers: 0, lists: 0, bold: 0 },
				styleB: { tokens: tokensB, headers: 0, lists: 0, bold: 0 },
			})
		}
		const result = controlledLeaderboard({ battles, style: true, position: false, bootstrap: 0 })
		expect(result.coefficients.map((c) => c.feature)).toEqual(['length', 'headers', 'lists', 'bold'])
		expect(result.coefficients[0]?.value).not.toBeNull()
		expect(result.coefficients.slice(1).map((c) => c.value)).toEqual([null, null, null])
		// Ratings are centred: the regularization makes the optimum's mean rating exactly 1000.
		expect(result.rows.reduce((s, row) => s + row.rating, 0) / 3).toBeCloseTo(1000, 6)
		// With no style signal the order is the plain leaderboard's.
		expect(result.rows.map((row) => row.model)).toEqual(
			(() => {
				const fit = bradleyTerry({ battles })
				return fit.models
					.map((m, i) => [m, fit.ratings[i] as number] as const)
					.sort((x, y) => y[1] - x[1])
					.map(([m]) => m)
			})(),
		)
	})

	test('merging identical battles into weighted rows leaves the fit unchanged', () => {
		const rng = createRng(11)
		const n = 6000
		const features: ControlFeature[] = ['length', 'bold', 'position']
		const k = features.length
		const a = new Int32Array(n)
		const b = new Int32Array(n)
		const outcome = new Float64Array(n)
		const x = new Float64Array(n * k)
		for (let i = 0; i < n; i++) {
			a[i] = rng.nextInt(4)
			b[i] = (a[i]! + 1 + rng.nextInt(3)) % 4
			outcome[i] = [1, 0, 0.5][rng.nextInt(3)]!
			x[i * k] = styleFeature(20 + 10 * rng.nextInt(2), 20 + 10 * rng.nextInt(2))
			x[i * k + 1] = styleFeature(rng.nextInt(2), rng.nextInt(2))
			x[i * k + 2] = positionFeature(rng.nextFloat() < 0.5)
		}
		const models = ['m0', 'm1', 'm2', 'm3']
		const merged = aggregateControlRows({ a, b, outcome, x: Float64Array.from(x), k })
		expect(merged.weights.length).toBeLessThan(n / 4)
		expect(merged.weights.reduce((s, w) => s + w, 0)).toBe(n)
		const plain = controlledLeaderboardFromDesign({
			design: standardizeDesign({ models, features, a, b, outcome, x: Float64Array.from(x) }),
			bootstrap: 0,
		})
		const weighted = controlledLeaderboardFromDesign({
			design: standardizeDesign({ models, features, ...merged }),
			bootstrap: 0,
		})
		expect(weighted.battles).toBe(n)
		expect(weighted.rows.map((row) => row.model)).toEqual(plain.rows.map((row) => row.model))
		weighted.rows.forEach((row, i) => {
			expect(row.rating).toBeCloseTo(plain.rows[i]!.rating, 8)
			expect(row.battles).toBe(plain.rows[i]!.battles)
		})
		weighted.coefficients.forEach((c, j) => expect(c.value).toBeCloseTo(plain.coefficients[j]!.value!, 10))
		// The bootstrap draws battle counts per row: the same distribution as resampling battles.
		const resampled = controlledLeaderboardFromDesign({
			design: standardizeDesign({ models, features, ...merged }),
			bootstrap: 400,
		})
		const direct = controlledLeaderboardFromDesign({
			design: standardizeDesign({ models, features, a, b, outcome, x: Float64Array.from(x) }),
			bootstrap: 400,
		})
		resampled.coefficients.forEach((c, j) => {
			const width = direct.coefficients[j]!.ciHigh! - direct.coefficients[j]!.ciLow!
			expect(Math.abs(c.ciHigh! - c.ciLow! - width)).toBeLessThan(0.3 * width)
		})
	})
})

describe('response style', () => {
	test('counts markdown as FastChat does, ignoring the inside of code blocks', () => {
		const text = [
			'# Title',
			'## Part',
			'#NoSpace',
			'### Third',
			'Some **bold** and __also bold__ and **not',
			'bold**.',
			'1. one',
			'  2. two',
			'- a',
			'* b',
			'+ c',
			'-no',
			'```',
			'# not a header',
			'- not a list **nor bold**',
			'```',
		].join('\n')
		const style = responseStyle(text)
		expect(style).toMatchObject({ headers: 3, lists: 5, bold: 2 })
		expect(style.tokens).toBeGreaterThan(40)
		expect(responseStyle('')).toEqual({ tokens: 0, headers: 0, lists: 0, bold: 0 })
	})
})
