import { arenaLeaderboard, type Battle, type BattleWinner } from '#app/modules/stats/bradley-terry.ts'
import { GrowableInt32 } from '#app/modules/stats/growable-int32.ts'
import { rankingImpliedPairs } from '#app/modules/stats/rankings.ts'
import type { ResponseStyle } from '#app/modules/stats/response-style.ts'
import {
	aggregateControlRows,
	controlFeatures,
	controlledLeaderboardFromDesign,
	positionFeature,
	standardizeDesign,
	STYLE_FEATURES,
	styleFeature,
	type ControlledLeaderboard,
} from '#app/modules/stats/style-control.ts'
import {
	CATEGORY_MIN_BATTLES,
	LEADERBOARD_BOOTSTRAP_ROUNDS,
	type CategoryBoard,
	type ControlKey,
	type ControlledBoard,
	type LeaderboardControls,
	type LeaderboardEntry,
} from './analytics.types.ts'
import { CHOICE, choiceOf } from './create-analytics-accumulator.ts'
import { comparisonUnitItems } from './comparison-units.ts'
import { describeCoefficient } from './describe-coefficient.ts'

export type ExtrasItem = {
	isGold: boolean
	metadata: unknown
	/** In stored order: the first is model a of a pairwise battle, as on the plain leaderboard. */
	responses: { key: string; model: string | null; style: ResponseStyle; selfIdentifies?: boolean }[]
	judgments: {
		ranking: string[][]
		bothBad: boolean
		displayOrder: string[]
		criteria: Record<string, Record<string, number>> | null
	}[]
}

const WINNERS: readonly BattleWinner[] = ['model_a', 'model_b', 'tie', 'tie (bothbad)']

/** A Float64Array that doubles as it fills. */
class GrowableFloat64 {
	data: Float64Array
	length = 0
	constructor(initialCapacity: number) {
		this.data = new Float64Array(initialCapacity)
	}
	push(value: number) {
		if (this.length === this.data.length) {
			const grown = new Float64Array(this.data.length * 2)
			grown.set(this.data)
			this.data = grown
		}
		this.data[this.length++] = value
	}
	view() {
		return this.data.subarray(0, this.length)
	}
}

/** Metadata fields with more distinct values than this are not categories. */
const MAX_CATEGORY_VALUES = 20
const MAX_CATEGORY_FIELDS = 8
const MIN_CONTROL_BATTLES = 10

/**
 * Bootstrap rounds for the controlled fits: each round refits on every distinct battle (identical
 * ones are merged), so fewer for more.
 */
export function controlRounds(rows: number) {
	return Math.max(10, Math.min(LEADERBOARD_BOOTSTRAP_ROUNDS, Math.floor(2_000_000 / Math.max(1, rows))))
}

const scalar = (value: unknown): string | null =>
	typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null

/**
 * Collects, item by item, what the plain leaderboard's accumulator does not keep: each battle's
 * style and display order (for style and position control), its item's metadata values (for
 * per-category leaderboards) and the battles implied by criterion scores. Battles are the plain
 * leaderboard's: a pairwise item's stored first response is model a; a ranking gives one battle
 * per implied pair. Columns, not objects, so a million battles stay small.
 */
export function createLeaderboardExtrasCollector({
	pairwise,
	comparison = null,
	seed,
	criteria,
}: {
	pairwise: boolean
	/** Comparison projects: each (item, pair) unit is a pairwise item; self-identifying ones count only when included. */
	comparison?: { includeSelfIdentified: boolean } | null
	seed: number
	criteria: string[]
}) {
	const modelIndex = new Map<string, number>()
	// Typed columns live outside the JavaScript heap, which the worker keeps small.
	const a = new GrowableInt32(1024)
	const b = new GrowableInt32(1024)
	const winnerCodes = new GrowableInt32(1024)
	const aFirst = new GrowableInt32(1024)
	const style = STYLE_FEATURES.map(() => new GrowableFloat64(1024))
	const fields = new Map<string, { values: Map<string, number>; perBattle: GrowableInt32 } | null>()
	const criterionBattles = new Map<string, Battle[]>(criteria.map((name) => [name, []]))
	const shared = new Map<string, Battle>()

	const indexOf = (model: string) => {
		let index = modelIndex.get(model)
		if (index === undefined) {
			index = modelIndex.size
			modelIndex.set(model, index)
		}
		return index
	}
	const battleObject = (modelA: string, modelB: string, winner: BattleWinner) => {
		const key = `${modelA}\u0000${modelB}\u0000${winner}`
		let object = shared.get(key)
		if (!object) {
			object = { model_a: modelA, model_b: modelB, winner }
			shared.set(key, object)
		}
		return object
	}

	function addBattle(
		item: ExtrasItem,
		first: ExtrasItem['responses'][number],
		second: ExtrasItem['responses'][number],
		winner: BattleWinner,
		displayOrder: string[],
	) {
		const battle = a.length
		a.push(indexOf(first.model as string))
		b.push(indexOf(second.model as string))
		winnerCodes.push(WINNERS.indexOf(winner))
		const pa = displayOrder.indexOf(first.key)
		const pb = displayOrder.indexOf(second.key)
		aFirst.push(pa >= 0 && (pb < 0 || pa < pb) ? 1 : 0)
		STYLE_FEATURES.forEach((feature, j) => {
			const key = feature === 'length' ? 'tokens' : feature
			;(style[j] as GrowableFloat64).push(styleFeature(first.style[key], second.style[key]))
		})
		const metadata =
			item.metadata !== null && typeof item.metadata === 'object' && !Array.isArray(item.metadata)
				? (item.metadata as Record<string, unknown>)
				: {}
		for (const [name, value] of Object.entries(metadata)) {
			if (fields.has(name) || fields.size >= MAX_CATEGORY_FIELDS || scalar(value) === null) continue
			const perBattle = new GrowableInt32(Math.max(1024, battle + 1))
			for (let i = 0; i < battle; i++) perBattle.push(-1)
			fields.set(name, { values: new Map(), perBattle })
		}
		for (const [name, field] of fields) {
			if (!field) continue
			const value = scalar(metadata[name])
			let index = -1
			if (value !== null) {
				index = field.values.get(value) ?? field.values.size
				if (index === field.values.size) field.values.set(value, index)
			}
			if (field.values.size > MAX_CATEGORY_VALUES) fields.set(name, null)
			else field.perBattle.push(index)
		}
	}

	function addItem(item: ExtrasItem) {
		if (item.isGold || item.judgments.length === 0) return
		if (comparison) {
			for (const unit of comparisonUnitItems({ ...item, gold: null, adjudication: null }))
				if (comparison.includeSelfIdentified || !unit.selfIdentified) addJudged(unit, true)
			return
		}
		addJudged(item, pairwise)
	}

	function addJudged(item: ExtrasItem, pairwise: boolean) {
		const withModel = item.responses.filter((response) => response.model)
		for (const judgment of item.judgments) {
			if (pairwise) {
				const [first, second] = item.responses
				if (first?.model && second?.model && first.model !== second.model) {
					const code = choiceOf({ judgment, first: first.key, second: second.key })
					const winner =
						code === CHOICE.first
							? 'model_a'
							: code === CHOICE.second
								? 'model_b'
								: code === CHOICE.bothBad
									? 'tie (bothbad)'
									: 'tie'
					addBattle(item, first, second, winner, judgment.displayOrder)
				}
			} else {
				const byKey = new Map(withModel.map((response) => [response.key, response]))
				for (const { first, second, value } of rankingImpliedPairs(judgment.ranking)) {
					const x = byKey.get(first)
					const y = byKey.get(second)
					if (!x || !y || x.model === y.model) continue
					addBattle(item, x, y, value === -1 ? 'model_a' : value === 1 ? 'model_b' : 'tie', judgment.displayOrder)
				}
			}
			if (!judgment.criteria) continue
			for (const [name, battles] of criterionBattles) {
				for (let i = 0; i < withModel.length; i++) {
					for (let j = i + 1; j < withModel.length; j++) {
						const x = withModel[i] as ExtrasItem['responses'][number]
						const y = withModel[j] as ExtrasItem['responses'][number]
						const sx = judgment.criteria[x.key]?.[name]
						const sy = judgment.criteria[y.key]?.[name]
						if (x.model === y.model || typeof sx !== 'number' || typeof sy !== 'number') continue
						battles.push(
							battleObject(x.model as string, y.model as string, sx > sy ? 'model_a' : sx < sy ? 'model_b' : 'tie'),
						)
					}
				}
			}
		}
	}

	function controlled(key: ControlKey): ControlledBoard | null {
		const n = a.length
		if (n < MIN_CONTROL_BATTLES || modelIndex.size < 2) return null
		const features = controlFeatures({ style: key !== 'position', position: key !== 'style' })
		const k = features.length
		const x = new Float64Array(n * k)
		const first = aFirst.view()
		features.forEach((feature, j) => {
			const column = feature === 'position' ? null : (style[STYLE_FEATURES.indexOf(feature)] as GrowableFloat64).view()
			for (let i = 0; i < n; i++) x[i * k + j] = column ? (column[i] as number) : positionFeature(first[i] === 1)
		})
		const codes = winnerCodes.view()
		const outcome = Float64Array.from(codes, (code) => (code === 0 ? 1 : code === 1 ? 0 : 0.5))
		const merged = aggregateControlRows({ a: a.view(), b: b.view(), outcome, x, k })
		const rows = merged.weights.length < n ? merged : { a: a.view(), b: b.view(), outcome, x }
		const design = standardizeDesign({ models: [...modelIndex.keys()], features, ...rows })
		return board(controlledLeaderboardFromDesign({ design, bootstrap: controlRounds(rows.a.length), seed }))
	}

	function board(result: ControlledLeaderboard): ControlledBoard {
		return {
			rows: result.rows.map(entry),
			coefficients: result.coefficients.map((c) => ({
				feature: c.feature,
				elo: c.elo,
				eloLow: c.eloLow,
				eloHigh: c.eloHigh,
				value: c.value,
				description: describeCoefficient(c),
			})),
			battles: result.battles,
			bootstrapRounds: result.bootstrapRounds,
		}
	}

	function categories(): CategoryBoard[] {
		const boards: CategoryBoard[] = []
		const models = [...modelIndex.keys()]
		for (const [name, field] of fields) {
			if (!field || field.values.size < 2) continue
			const groups = new Map<number, Battle[]>()
			const [as, bs, codes] = [a.view(), b.view(), winnerCodes.view()]
			field.perBattle.view().forEach((value, i) => {
				if (value < 0) return
				let group = groups.get(value)
				if (!group) groups.set(value, (group = []))
				group.push(
					battleObject(
						models[as[i] as number] as string,
						models[bs[i] as number] as string,
						WINNERS[codes[i] as number] as BattleWinner,
					),
				)
			})
			const values = [...field.values].map(([value, index]) => plainBoard(value, groups.get(index) ?? []))
			boards.push({
				key: `metadata.${name}`,
				label: `metadata.${name}`,
				values: values.sort((x, y) => y.battles - x.battles || x.value.localeCompare(y.value)),
			})
		}
		for (const [name, battles] of criterionBattles) {
			if (battles.length > 0)
				boards.push({ key: `criterion.${name}`, label: `criterion ${name}`, values: [plainBoard(name, battles)] })
		}
		return boards
	}

	function plainBoard(value: string, battles: Battle[]) {
		const rows =
			battles.length > 0 ? arenaLeaderboard({ battles, bootstrap: LEADERBOARD_BOOTSTRAP_ROUNDS, seed }).map(entry) : []
		return { value, battles: battles.length, rows, sparse: battles.length < CATEGORY_MIN_BATTLES }
	}

	function finish(): { controls: LeaderboardControls; categories: CategoryBoard[] } {
		return {
			controls: {
				style: controlled('style'),
				position: controlled('position'),
				'style-position': controlled('style-position'),
			},
			categories: categories(),
		}
	}

	return { addItem, finish, battles: () => a.length }
}

const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null)

function entry(row: {
	model: string
	rating: number
	ciLow: number
	ciHigh: number
	battles: number
	rank: number
}): LeaderboardEntry {
	return {
		model: row.model,
		rating: row.rating,
		ciLow: finiteOrNull(row.ciLow) ?? row.rating,
		ciHigh: finiteOrNull(row.ciHigh) ?? row.rating,
		battles: row.battles,
		rank: row.rank,
	}
}
