import { krippendorffAlphaFromUnits } from '#app/modules/stats/krippendorff.ts'
import { percentAgreementFromUnits } from '#app/modules/stats/percent-agreement.ts'
import { GrowableInt32 } from '#app/modules/stats/growable-int32.ts'

export type ClusterLevel = 'nominal' | 'ordinal' | 'interval'

export type ClusterEstimate = {
	value: number
	/** Clusters (items) with at least one unit of two or more values. */
	clusters: number
	units: number
}

type TypeTable = {
	counts: Float64Array
	unitCounts: Float64Array
	pairs: Float64Array
	agreeing: Float64Array
	/** Cells of each type's coincidences: start offsets into cellIndex / cellValue. */
	cellStart: Int32Array
	cellIndex: Int32Array
	cellValue: Float64Array
	values: Float64Array
}

/**
 * Collects agreement units grouped in clusters, one cluster per item (its units are the item
 * itself, its implied pairs, or its responses for a criterion), for Krippendorff's alpha and
 * percent agreement. Identical clusters are stored once with a count, so memory grows with the
 * number of distinct clusters, which is small for choices and scales. Point estimates come from
 * the stats module. For the bootstrap, a statistic takes how often each item was drawn and sums
 * the precomputed coincidences of the clusters' types: O(clusters + cells), not O(values).
 */
export function createAgreementClusters() {
	const typeIndex = new Map<string, number>()
	const typeUnits: number[][][] = []
	const typeCounts: number[] = []
	const clusterItems = new GrowableInt32(1024)
	const clusterTypes = new GrowableInt32(1024)
	let table: TypeTable | null = null

	function add(units: readonly (readonly number[])[], item: number) {
		const pairable = units.filter((unit) => unit.length >= 2).map((unit) => [...unit].sort((x, y) => x - y))
		if (pairable.length === 0) return
		const key = pairable
			.map((unit) => unit.join(','))
			.sort()
			.join('|')
		let t = typeIndex.get(key)
		if (t === undefined) {
			t = typeUnits.length
			typeIndex.set(key, t)
			typeUnits.push(pairable)
			typeCounts.push(0)
		}
		typeCounts[t] = (typeCounts[t] as number) + 1
		clusterItems.push(item)
		clusterTypes.push(t)
		table = null
	}

	function build(): TypeTable {
		if (table) return table
		const distinct = [...new Set(typeUnits.flat(2))].sort((x, y) => x - y)
		const index = new Map(distinct.map((value, i) => [value, i] as const))
		const t = typeUnits.length
		const unitCounts = new Float64Array(t)
		const pairs = new Float64Array(t)
		const agreeing = new Float64Array(t)
		const cellStart = new Int32Array(t + 1)
		const cellIndex: number[] = []
		const cellValue: number[] = []
		const v = distinct.length
		typeUnits.forEach((units, type) => {
			const cells = new Map<number, number>()
			for (const unit of units) {
				const m = unit.length
				const counts = new Map<number, number>()
				for (const value of unit) counts.set(value, (counts.get(value) ?? 0) + 1)
				unitCounts[type] = (unitCounts[type] as number) + 1
				pairs[type] = (pairs[type] as number) + m * (m - 1)
				const entries = [...counts]
				for (const [value, n] of entries) {
					const c = index.get(value) as number
					agreeing[type] = (agreeing[type] as number) + n * (n - 1)
					for (const [other, k] of entries) {
						const d = index.get(other) as number
						const o = value === other ? (n * (n - 1)) / (m - 1) : (n * k) / (m - 1)
						if (o !== 0) cells.set(c * v + d, (cells.get(c * v + d) ?? 0) + o)
					}
				}
			}
			for (const [cell, o] of cells) {
				cellIndex.push(cell)
				cellValue.push(o)
			}
			cellStart[type + 1] = cellIndex.length
		})
		table = {
			counts: Float64Array.from(typeCounts),
			unitCounts,
			pairs,
			agreeing,
			cellStart,
			cellIndex: Int32Array.from(cellIndex),
			cellValue: Float64Array.from(cellValue),
			values: Float64Array.from(distinct),
		}
		return table
	}

	function* expandedUnits() {
		for (let type = 0; type < typeUnits.length; type++) {
			const count = typeCounts[type] as number
			for (let r = 0; r < count; r++) yield* typeUnits[type] as number[][]
		}
	}

	function totalUnits(t: TypeTable) {
		let units = 0
		t.counts.forEach((count, type) => (units += count * (t.unitCounts[type] as number)))
		return units
	}

	/** Alpha from type weights: 1 - (n - 1) sum o_ck d2_ck / sum_ck n_c n_k d2_ck. */
	function alphaFromWeights(
		t: TypeTable,
		weights: Float64Array,
		level: ClusterLevel,
		o: Float64Array,
		n: Float64Array,
		x: Float64Array,
	): number {
		const v = t.values.length
		o.fill(0)
		for (let type = 0; type < weights.length; type++) {
			const w = weights[type] as number
			if (w === 0) continue
			const end = t.cellStart[type + 1] as number
			for (let i = t.cellStart[type] as number; i < end; i++) {
				const cell = t.cellIndex[i] as number
				o[cell] = (o[cell] as number) + w * (t.cellValue[i] as number)
			}
		}
		let total = 0
		for (let c = 0; c < v; c++) {
			let row = 0
			for (let k = 0; k < v; k++) row += o[c * v + k] as number
			n[c] = row
			total += row
		}
		if (total < 2) return Number.NaN
		if (level === 'nominal') {
			let diagonal = 0
			let sumSq = 0
			for (let c = 0; c < v; c++) {
				diagonal += o[c * v + c] as number
				sumSq += (n[c] as number) ** 2
			}
			const expected = total * total - sumSq
			return expected === 0 ? Number.NaN : 1 - ((total - 1) * (total - diagonal)) / expected
		}
		if (level === 'interval') {
			for (let c = 0; c < v; c++) x[c] = t.values[c] as number
		} else {
			let below = 0
			for (let c = 0; c < v; c++) {
				x[c] = below + (n[c] as number) / 2
				below += n[c] as number
			}
		}
		let observed = 0
		for (let c = 0; c < v; c++) {
			for (let k = 0; k < v; k++) {
				const cell = o[c * v + k] as number
				if (cell !== 0) observed += cell * ((x[c] as number) - (x[k] as number)) ** 2
			}
		}
		let mean = 0
		for (let c = 0; c < v; c++) mean += (n[c] as number) * (x[c] as number)
		mean /= total
		let ss = 0
		for (let c = 0; c < v; c++) ss += (n[c] as number) * ((x[c] as number) - mean) ** 2
		const expected = 2 * total * ss
		return expected === 0 ? Number.NaN : 1 - ((total - 1) * observed) / expected
	}

	/** Turns item weights (draws per item) into type weights, then applies `fromTypes`. */
	function fromItemWeights(fromTypes: (t: TypeTable, weights: Float64Array) => number) {
		const t = build()
		const weights = new Float64Array(typeUnits.length)
		const items = clusterItems.data.subarray(0, clusterItems.length)
		const types = clusterTypes.data.subarray(0, clusterTypes.length)
		return (itemWeights: Float64Array) => {
			weights.fill(0)
			// No test for a zero weight: the branch would be unpredictable and cost more than the add.
			for (let c = 0; c < items.length; c++)
				weights[types[c] as number] =
					(weights[types[c] as number] as number) + (itemWeights[items[c] as number] as number)
			return fromTypes(t, weights)
		}
	}

	function alphaOfTypes(level: ClusterLevel) {
		const v = build().values.length
		const o = new Float64Array(v * v)
		const n = new Float64Array(v)
		const x = new Float64Array(v)
		return (t: TypeTable, weights: Float64Array) => alphaFromWeights(t, weights, level, o, n, x)
	}

	const percentOfTypes = (t: TypeTable, weights: Float64Array) => {
		let agree = 0
		let pairs = 0
		for (let type = 0; type < weights.length; type++) {
			agree += (weights[type] as number) * (t.agreeing[type] as number)
			pairs += (weights[type] as number) * (t.pairs[type] as number)
		}
		return pairs === 0 ? Number.NaN : agree / pairs
	}

	return {
		add,
		get clusters() {
			return clusterTypes.length
		},
		alpha({ level }: { level: ClusterLevel }): ClusterEstimate {
			return {
				value: krippendorffAlphaFromUnits({ units: expandedUnits(), level }).alpha,
				clusters: clusterTypes.length,
				units: totalUnits(build()),
			}
		},
		percent(): ClusterEstimate {
			return {
				value: percentAgreementFromUnits({ units: expandedUnits() }).agreement,
				clusters: clusterTypes.length,
				units: totalUnits(build()),
			}
		},
		alphaStatistic: ({ level }: { level: ClusterLevel }) => fromItemWeights(alphaOfTypes(level)),
		percentStatistic: () => fromItemWeights(percentOfTypes),
		/** The alpha the bootstrap computes for the full sample; equal to the stats module's up to rounding. */
		weightedAlpha({ level }: { level: ClusterLevel }) {
			const t = build()
			return alphaOfTypes(level)(t, t.counts)
		},
	}
}

export type AgreementClusters = ReturnType<typeof createAgreementClusters>
