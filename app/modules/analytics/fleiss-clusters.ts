import { fleissKappaFromCounts } from '#app/modules/stats/fleiss.ts'

/**
 * Fleiss' kappa needs the same number of ratings n for every subject, so subjects are collected
 * per n and the n with the most items is used. A cluster (item) holds one subject (its choice)
 * or several (its implied pairs). Identical clusters are stored once with a count; the bootstrap
 * statistic re-weights them, since kappa depends only on sums over subjects.
 */
export function createFleissClusters({ categories }: { categories: readonly number[] }) {
	const k = categories.length
	const categoryIndex = new Map(categories.map((value, i) => [value, i] as const))
	type Group = {
		typeIndex: Map<string, number>
		types: number[][][]
		counts: number[]
		clusterItems: number[]
		clusterTypes: number[]
	}
	const groups = new Map<number, Group>()

	function add(subjects: readonly (readonly number[])[], item: number) {
		if (subjects.length === 0) return
		const n = subjects[0]!.length
		if (n < 2 || subjects.some((subject) => subject.length !== n)) return
		const rows = subjects.map((subject) => {
			const row = new Array<number>(k).fill(0)
			for (const value of subject) {
				const j = categoryIndex.get(value)
				if (j === undefined)
					throw new RangeError(`value ${value} is not one of the categories ${categories.join(', ')}`)
				row[j] = (row[j] as number) + 1
			}
			return row
		})
		let group = groups.get(n)
		if (!group) {
			group = { typeIndex: new Map(), types: [], counts: [], clusterItems: [], clusterTypes: [] }
			groups.set(n, group)
		}
		const key = rows.map((row) => row.join(',')).join('|')
		let t = group.typeIndex.get(key)
		if (t === undefined) {
			t = group.types.length
			group.typeIndex.set(key, t)
			group.types.push(rows)
			group.counts.push(0)
		}
		group.counts[t] = (group.counts[t] as number) + 1
		group.clusterItems.push(item)
		group.clusterTypes.push(t)
	}

	function chosen(): [number, Group] | null {
		let best: [number, Group] | null = null
		for (const entry of groups) {
			const size = entry[1].clusterTypes.length
			if (!best || size > best[1].clusterTypes.length || (size === best[1].clusterTypes.length && entry[0] > best[0]))
				best = entry
		}
		return best
	}

	return {
		add,
		/** Kappa on the items with the most common number of ratings, or null without two subjects. */
		estimate(): { value: number; clusters: number; units: number; raters: number } | null {
			const picked = chosen()
			if (!picked) return null
			const [n, group] = picked
			const all: number[][] = []
			group.types.forEach((rows, t) => {
				for (let c = 0; c < (group.counts[t] as number); c++) all.push(...rows)
			})
			if (all.length < 2) return null
			return {
				value: fleissKappaFromCounts({ counts: all }),
				clusters: group.clusterTypes.length,
				units: all.length,
				raters: n,
			}
		},
		/** Kappa from how often each item was drawn, over the same subjects as `estimate`. */
		statistic(): ((itemWeights: Float64Array) => number) | null {
			const picked = chosen()
			if (!picked) return null
			const [n, group] = picked
			// Per type: subjects, sum over subjects of (sum_j x_j^2 - n), and column totals.
			const subjects = group.types.map((rows) => rows.length)
			const agreement = group.types.map((rows) =>
				rows.reduce((sum, row) => sum + row.reduce((s, x) => s + x * x, 0) - n, 0),
			)
			const columns = group.types.map((rows) =>
				categories.map((_, j) => rows.reduce((sum, row) => sum + (row[j] as number), 0)),
			)
			const items = Int32Array.from(group.clusterItems)
			const types = Int32Array.from(group.clusterTypes)
			const weights = new Float64Array(group.types.length)
			const totals = new Float64Array(k)
			return (itemWeights) => {
				weights.fill(0)
				for (let c = 0; c < items.length; c++)
					weights[types[c] as number] =
						(weights[types[c] as number] as number) + (itemWeights[items[c] as number] as number)
				let s = 0
				let a = 0
				totals.fill(0)
				for (let t = 0; t < weights.length; t++) {
					const w = weights[t] as number
					if (w === 0) continue
					s += w * (subjects[t] as number)
					a += w * (agreement[t] as number)
					const column = columns[t] as number[]
					for (let j = 0; j < k; j++) totals[j] = (totals[j] as number) + w * (column[j] as number)
				}
				if (s === 0) return Number.NaN
				const pBar = a / (s * n * (n - 1))
				let pe = 0
				for (let j = 0; j < k; j++) pe += ((totals[j] as number) / (s * n)) ** 2
				return pe === 1 ? Number.NaN : (pBar - pe) / (1 - pe)
			}
		},
	}
}
