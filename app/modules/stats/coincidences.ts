/** A rating: a number or (for nominal data) a string; null, undefined and NaN mean missing. */
export type RatingValue = number | string | null | undefined

export type ValueCheck = 'any' | 'numeric' | 'non-negative'

/** Ascending order of categories: numbers numerically, then strings by code unit. */
export function compareCategories(a: number | string, b: number | string): number {
	if (typeof a === 'number') return typeof b === 'number' ? a - b : -1
	if (typeof b === 'number') return 1
	return a < b ? -1 : a > b ? 1 : 0
}

const DENSE_LIMIT = 2048

/** Metrics whose distance depends only on the two values (the ordinal one needs the marginals). */
export type ValueMetric = 'nominal' | 'interval' | 'ratio'

/** Squared distance delta^2 between two values under a value-based metric. */
export function valueDelta2(metric: ValueMetric, a: number | string, b: number | string): number {
	if (metric === 'nominal') return a === b ? 0 : 1
	const x = a as number
	const y = b as number
	if (metric === 'interval') return (x - y) * (x - y)
	const s = x + y
	if (s === 0) return 0
	const r = (x - y) / s
	return r * r
}

/**
 * Streams units into Krippendorff's coincidence matrix: for a unit with m_u >= 2 values and
 * n_uc values of category c, o_ck += n_uc * n_uk / (m_u - 1) for c != k and
 * o_cc += n_uc * (n_uc - 1) / (m_u - 1). Categories get dense indices in order of first
 * appearance, and the matrix is a V x V Float64Array.
 * Past DENSE_LIMIT distinct values (continuous data) a V x V array would not fit, so:
 * - with a value-based metric, the cells are folded into sum_ck o_ck delta2_ck as they arrive and
 *   only the marginals n_c are kept;
 * - otherwise the non-zero cells go to a sparse table.
 * It also counts ordered pairs and agreeing ordered pairs, for percent agreement.
 */
export class CoincidenceAccumulator {
	readonly categories: (number | string)[] = []
	units = 0
	pairs = 0
	agreeingPairs = 0

	private readonly check: ValueCheck
	private readonly metric: ValueMetric | null
	private readonly index = new Map<number | string, number>()
	private cap = 16
	private dense: Float64Array | null = new Float64Array(16 * 16)
	private sparse: SparseCells | null = null
	private folded: Float64Array | null = null
	private foldedDisagreement = 0
	private stamp = new Int32Array(16).fill(-1)
	private slot = new Int32Array(16)
	private unitCats = new Int32Array(8)
	private unitCounts = new Float64Array(8)
	private distinct = 0
	private size = 0
	private unitId = 0

	constructor({ check = 'any', metric = null }: { check?: ValueCheck; metric?: ValueMetric | null } = {}) {
		this.check = check
		this.metric = metric
	}

	add(value: RatingValue): void {
		if (value === null || value === undefined) return
		if (typeof value === 'number') {
			if (Number.isNaN(value)) return
			if (!Number.isFinite(value)) throw new RangeError(`rating ${value} is not a finite number`)
			if (this.check === 'non-negative' && value < 0) {
				throw new RangeError(`rating ${value} is negative; the ratio metric needs values >= 0`)
			}
		} else if (typeof value === 'string') {
			if (this.check !== 'any') {
				throw new TypeError(`rating ${JSON.stringify(value)} is not a number; only the nominal metric accepts strings`)
			}
		} else {
			throw new TypeError(`rating ${String(value)} is neither a number, a string nor null`)
		}
		let c = this.index.get(value)
		if (c === undefined) c = this.newCategory(value)
		if (this.stamp[c] !== this.unitId) {
			this.stamp[c] = this.unitId
			if (this.distinct === this.unitCats.length) this.growUnitScratch()
			this.slot[c] = this.distinct
			this.unitCats[this.distinct] = c
			this.unitCounts[this.distinct] = 1
			this.distinct++
		} else {
			const s = this.slot[c] as number
			this.unitCounts[s] = (this.unitCounts[s] as number) + 1
		}
		this.size++
	}

	endUnit(): void {
		const m = this.size
		if (m >= 2) {
			this.units++
			this.pairs += m * (m - 1)
			const inv = 1 / (m - 1)
			const d = this.distinct
			const folded = this.folded
			for (let a = 0; a < d; a++) {
				const ca = this.unitCats[a] as number
				const na = this.unitCounts[a] as number
				if (na > 1) this.agreeingPairs += na * (na - 1)
				if (folded) {
					folded[ca] = (folded[ca] as number) + na
					const va = this.categories[ca] as number | string
					for (let b = a + 1; b < d; b++) {
						const cb = this.unitCats[b] as number
						const delta2 = valueDelta2(this.metric as ValueMetric, va, this.categories[cb] as number | string)
						this.foldedDisagreement += 2 * na * (this.unitCounts[b] as number) * inv * delta2
					}
					continue
				}
				if (na > 1) this.addCell(ca, ca, na * (na - 1) * inv)
				for (let b = a + 1; b < d; b++) {
					const cb = this.unitCats[b] as number
					const v = na * (this.unitCounts[b] as number) * inv
					this.addCell(ca, cb, v)
					this.addCell(cb, ca, v)
				}
			}
		}
		this.size = 0
		this.distinct = 0
		this.unitId++
	}

	/**
	 * sum_ck o_ck delta2(c, k). When the cells were folded as they arrived, `delta2` must be the
	 * accumulator's own metric, which is the only way the result is used.
	 */
	weightedDisagreement(delta2: (c: number, k: number) => number): number {
		if (this.folded) return this.foldedDisagreement
		let sum = 0
		this.forEachCell((c, k, o) => {
			sum += o * delta2(c, k)
		})
		return sum
	}

	/** Calls fn for every non-zero cell o_ck (both orders for c != k); none once folded. */
	forEachCell(fn: (c: number, k: number, value: number) => void): void {
		const v = this.categories.length
		if (this.dense) {
			const cap = this.cap
			for (let c = 0; c < v; c++) {
				for (let k = 0; k < v; k++) {
					const o = this.dense[c * cap + k] as number
					if (o !== 0) fn(c, k, o)
				}
			}
		} else if (this.sparse) {
			this.sparse.forEach((c, k, o) => {
				fn(c, k, o)
				if (c !== k) fn(k, c, o)
			})
		}
	}

	/** n_c: how many pairable values each category has. */
	marginals(): Float64Array {
		const n = new Float64Array(this.categories.length)
		if (this.folded) {
			n.set(this.folded.subarray(0, n.length))
			return n
		}
		this.forEachCell((c, _k, o) => {
			n[c] = (n[c] as number) + o
		})
		return n
	}

	/** The coincidence matrix as a dense V x V row-major array, categories in first-seen order. */
	toDense(): Float64Array {
		if (this.folded) throw new Error('the coincidences were folded into the disagreement sum')
		const v = this.categories.length
		const out = new Float64Array(v * v)
		this.forEachCell((c, k, o) => {
			out[c * v + k] = o
		})
		return out
	}

	private addCell(c: number, k: number, v: number): void {
		if (this.dense) {
			const i = c * this.cap + k
			this.dense[i] = (this.dense[i] as number) + v
		} else if (c <= k) {
			;(this.sparse as SparseCells).add(c, k, v)
		}
	}

	private newCategory(value: number | string): number {
		const c = this.categories.length
		this.index.set(value, c)
		this.categories.push(value)
		if (c >= this.stamp.length) {
			const stamp = new Int32Array(this.stamp.length * 2).fill(-1)
			stamp.set(this.stamp)
			this.stamp = stamp
			const slot = new Int32Array(this.slot.length * 2)
			slot.set(this.slot)
			this.slot = slot
		}
		if (this.folded && c >= this.folded.length) {
			const folded = new Float64Array(this.folded.length * 2)
			folded.set(this.folded)
			this.folded = folded
		}
		if (this.dense && c >= this.cap) this.growDense()
		return c
	}

	private growDense(): void {
		const old = this.dense as Float64Array
		const oldCap = this.cap
		const cap = oldCap * 2
		if (cap <= DENSE_LIMIT) {
			const next = new Float64Array(cap * cap)
			for (let c = 0; c < oldCap; c++) next.set(old.subarray(c * oldCap, (c + 1) * oldCap), c * cap)
			this.dense = next
			this.cap = cap
			return
		}
		if (this.metric) {
			const metric = this.metric
			const folded = new Float64Array(cap)
			let sum = 0
			for (let c = 0; c < oldCap; c++) {
				for (let k = 0; k < oldCap; k++) {
					const o = old[c * oldCap + k] as number
					if (o === 0) continue
					folded[c] = (folded[c] as number) + o
					sum += o * valueDelta2(metric, this.categories[c] as number | string, this.categories[k] as number | string)
				}
			}
			this.folded = folded
			this.foldedDisagreement = sum
		} else {
			const sparse = new SparseCells()
			for (let c = 0; c < oldCap; c++) {
				for (let k = c; k < oldCap; k++) {
					const o = old[c * oldCap + k] as number
					if (o !== 0) sparse.add(c, k, o)
				}
			}
			this.sparse = sparse
		}
		this.dense = null
	}

	private growUnitScratch(): void {
		const cats = new Int32Array(this.unitCats.length * 2)
		cats.set(this.unitCats)
		this.unitCats = cats
		const counts = new Float64Array(this.unitCounts.length * 2)
		counts.set(this.unitCounts)
		this.unitCounts = counts
	}
}

const KEY_STRIDE = 67108864

/**
 * Open-addressing hash table of the upper-triangle cells (c <= k) of a symmetric matrix. Key and
 * value share one Float64Array so a probe touches one cache line.
 */
class SparseCells {
	private slots = new Float64Array(2 << 16).fill(-1)
	private size = 0

	add(c: number, k: number, v: number): void {
		if (k >= KEY_STRIDE) throw new RangeError(`more than ${KEY_STRIDE} distinct values`)
		const key = c * KEY_STRIDE + k
		const mask = (this.slots.length >> 1) - 1
		let i = (Math.imul(c, 0x9e3779b1) ^ Math.imul(k + 0x7f4a7c15, 0x85ebca77)) & mask
		for (;;) {
			const stored = this.slots[2 * i] as number
			if (stored === key) {
				this.slots[2 * i + 1] = (this.slots[2 * i + 1] as number) + v
				return
			}
			if (stored === -1) break
			i = (i + 1) & mask
		}
		this.slots[2 * i] = key
		this.slots[2 * i + 1] = v
		if (++this.size * 2 > mask + 1) this.grow()
	}

	forEach(fn: (c: number, k: number, value: number) => void): void {
		const slots = this.slots
		for (let i = 0; i < slots.length; i += 2) {
			const key = slots[i] as number
			if (key !== -1) fn(Math.floor(key / KEY_STRIDE), key % KEY_STRIDE, slots[i + 1] as number)
		}
	}

	private grow(): void {
		const old = this.slots
		this.slots = new Float64Array(old.length * 2).fill(-1)
		this.size = 0
		for (let i = 0; i < old.length; i += 2) {
			const key = old[i] as number
			if (key !== -1) this.add(Math.floor(key / KEY_STRIDE), key % KEY_STRIDE, old[i + 1] as number)
		}
	}
}

/** Observers x units matrix: row r is observer r, column u is unit u. Short rows count as missing. */
export function feedObserverMatrix(acc: CoincidenceAccumulator, data: readonly (readonly RatingValue[])[]): void {
	let width = 0
	for (const row of data) width = Math.max(width, row.length)
	for (let u = 0; u < width; u++) {
		for (const row of data) acc.add(row[u])
		acc.endUnit()
	}
}

export function feedUnits(acc: CoincidenceAccumulator, units: Iterable<ArrayLike<RatingValue>>): void {
	for (const unit of units) {
		for (let i = 0; i < unit.length; i++) acc.add(unit[i])
		acc.endUnit()
	}
}

/**
 * Columnar (unit, value) pairs. When each unit's entries are contiguous they are streamed as
 * they are; otherwise a counting sort by unit builds one Int32Array permutation first.
 */
export function feedColumnar(
	acc: CoincidenceAccumulator,
	unitIndex: ArrayLike<number>,
	values: ArrayLike<number>,
): void {
	const n = unitIndex.length
	if (values.length !== n) {
		throw new RangeError(`unitIndex has ${n} entries but values has ${values.length}`)
	}
	let maxUnit = -1
	for (let i = 0; i < n; i++) {
		const u = unitIndex[i] as number
		if (!Number.isInteger(u) || u < 0) throw new RangeError(`unitIndex[${i}] must be a non-negative integer, got ${u}`)
		if (u > maxUnit) maxUnit = u
	}
	const seen = new Uint8Array(maxUnit + 1)
	let grouped = true
	let prev = -1
	for (let i = 0; i < n; i++) {
		const u = unitIndex[i] as number
		if (u !== prev) {
			if (seen[u] === 1) {
				grouped = false
				break
			}
			seen[u] = 1
			prev = u
		}
	}
	if (grouped) {
		for (let i = 0; i < n; i++) {
			if (i > 0 && unitIndex[i] !== unitIndex[i - 1]) acc.endUnit()
			acc.add(values[i])
		}
		if (n > 0) acc.endUnit()
		return
	}
	const start = new Int32Array(maxUnit + 2)
	for (let i = 0; i < n; i++) {
		const u = unitIndex[i] as number
		start[u + 1] = (start[u + 1] as number) + 1
	}
	for (let u = 0; u <= maxUnit; u++) start[u + 1] = (start[u + 1] as number) + (start[u] as number)
	const order = new Int32Array(n)
	const fill = start.slice(0, maxUnit + 1)
	for (let i = 0; i < n; i++) {
		const u = unitIndex[i] as number
		order[fill[u] as number] = i
		fill[u] = (fill[u] as number) + 1
	}
	for (let u = 0; u <= maxUnit; u++) {
		const end = start[u + 1] as number
		for (let j = start[u] as number; j < end; j++) acc.add(values[order[j] as number])
		acc.endUnit()
	}
}
