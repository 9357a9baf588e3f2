/**
 * Dawid & Skene (1979): the true class of each unit and a confusion matrix per observer,
 * estimated together by EM. Defined exactly, so that any correct implementation agrees to 1e-6:
 * - T[u] starts as the unit's vote shares; a gold unit is one-hot on its gold label and stays so.
 * - M-step with pseudo-count a = 0.01:
 *   prior[k] = (Σ_u T[u,k] + a) / (U + K·a);
 *   conf[o,k,l] = (Σ_{u: o gave l} T[u,k] + a) / (Σ_{u labelled by o} T[u,k] + K·a).
 *   Units nobody labelled are left out of every sum (U counts the labelled units).
 * - E-step: T[u,k] ∝ prior[k] · Π_{o labelled u} conf[o,k,label], in log space.
 * - Stop when max |ΔT| < 1e-9 (over the units that are estimated) or after 1,000 rounds.
 * - The reported prior, confusion matrices and reliabilities come from one more M-step on the
 *   final T; units nobody labelled get that prior. Reliability is Σ_k prior[k]·conf[o,k,k].
 * - Consensus is argmax T[u], the lowest class on ties; confidence is max T[u].
 *
 * Everything runs on flat typed arrays: the judgments are sorted by unit once, and each holds
 * the index o·K + label of its row of the confusion table, so both steps are tight loops. Units
 * with the same judgments (the same observers giving the same labels, and the same gold) have
 * the same T in every round, so each such group is estimated once and counted with its size.
 */

export const DAWID_SKENE_PSEUDO_COUNT = 0.01
export const DAWID_SKENE_TOLERANCE = 1e-9
export const DAWID_SKENE_MAX_ROUNDS = 1000

export interface DawidSkeneResult {
	classes: number
	/** Class priors, length K. */
	prior: Float64Array
	/** T, units × K, row-major: T[u·K + k]. */
	posterior: Float64Array
	/** Consensus per unit: argmax T[u], the lowest class on ties. */
	labels: Int32Array
	/** max T[u] per unit. */
	confidence: Float64Array
	/** Σ_k prior[k]·conf[o,k,k] per observer. */
	reliability: Float64Array
	/**
	 * What the same reliability would be for an observer who labels without looking at the unit,
	 * with this observer's own label frequencies: Σ_k prior[k]·q[o,k], q[o,l] = Σ_k prior[k]·conf[o,k,l].
	 */
	chance: Float64Array
	/** conf[o,k,l] at confusion[(o·K + k)·K + l]: observer o says l when the truth is k. */
	confusion: Float64Array
	/** Judgments per observer. */
	judgments: Int32Array
	/** EM rounds run (0 for the majority vote). */
	iterations: number
	converged: boolean
}

export interface DawidSkeneJudgments {
	observers: number
	units: number
	classes: number
	/** One entry per judgment, all three the same length. */
	observer: ArrayLike<number>
	unit: ArrayLike<number>
	label: ArrayLike<number>
	/** Gold label per unit, or null / -1 for none. */
	gold?: ArrayLike<number | null>
}

type Prepared = {
	observers: number
	units: number
	classes: number
	/** Groups of labelled units with the same judgments and gold. */
	groups: number
	/** Judgments of group g are start[g] .. start[g+1]-1. */
	start: Int32Array
	/** o·K + label per judgment of each group, sorted. */
	cell: Int32Array
	/** Gold label per group, -1 for none. */
	gold: Int32Array
	/** Units in each group. */
	weight: Float64Array
	/** Group of each unit, -1 for a unit nobody labelled. */
	groupOf: Int32Array
	/** Gold label per unit, -1 for none. */
	unitGold: Int32Array
	/** Units somebody labelled: U in the prior. */
	labelled: number
	judgmentsPerObserver: Int32Array
}

function wholeNumber(value: number, name: string, min: number) {
	if (!Number.isInteger(value) || value < min)
		throw new RangeError(`${name} must be a whole number >= ${min}, got ${value}`)
}

function prepare({ observers, units, classes, observer, unit, label, gold }: DawidSkeneJudgments): Prepared {
	wholeNumber(observers, 'observers', 0)
	wholeNumber(units, 'units', 0)
	wholeNumber(classes, 'classes', 1)
	const n = observer.length
	if (unit.length !== n || label.length !== n)
		throw new RangeError('observer, unit and label must have the same length')
	if (gold && gold.length !== units)
		throw new RangeError(`gold must have one entry per unit (${units}), got ${gold.length}`)
	const K = classes
	const unitStart = new Int32Array(units + 1)
	const judgmentsPerObserver = new Int32Array(observers)
	for (let j = 0; j < n; j++) {
		const o = observer[j]!
		const u = unit[j]!
		const l = label[j]!
		if (!(o >= 0 && o < observers && Number.isInteger(o)))
			throw new RangeError(`judgment ${j}: observer ${o} is out of range`)
		if (!(u >= 0 && u < units && Number.isInteger(u))) throw new RangeError(`judgment ${j}: unit ${u} is out of range`)
		if (!(l >= 0 && l < K && Number.isInteger(l)))
			throw new RangeError(`judgment ${j}: label ${l} is not a class 0..${K - 1}`)
		unitStart[u + 1]!++
		judgmentsPerObserver[o]!++
	}
	for (let u = 0; u < units; u++) unitStart[u + 1]! += unitStart[u]!
	const fill = unitStart.slice(0, units)
	const unitCell = new Int32Array(n)
	for (let j = 0; j < n; j++) unitCell[fill[unit[j]!]!++] = observer[j]! * K + label[j]!
	const unitGold = new Int32Array(units).fill(-1)
	if (gold) {
		for (let u = 0; u < units; u++) {
			const g = gold[u]
			if (g === null || g === undefined || g === -1) continue
			if (!(g >= 0 && g < K && Number.isInteger(g))) throw new RangeError(`gold[${u}]: ${g} is not a class 0..${K - 1}`)
			unitGold[u] = g
		}
	}

	// Groups found through an open-addressing hash table over (gold, sorted cells), all in typed
	// arrays: a million units' keys as strings would cost tens of MB of heap.
	let labelled = 0
	for (let u = 0; u < units; u++) if (unitStart[u + 1]! > unitStart[u]!) labelled++
	let capacity = 16
	while (capacity < 2 * labelled) capacity *= 2
	const mask = capacity - 1
	const table = new Int32Array(capacity).fill(-1)
	const groupOf = new Int32Array(units).fill(-1)
	const representative = new Int32Array(labelled)
	const sizes = new Float64Array(labelled)
	let groups = 0
	let groupedJudgments = 0
	const same = (u: number, v: number) => {
		const from = unitStart[u]!
		const length = unitStart[u + 1]! - from
		const other = unitStart[v]!
		if (unitGold[u] !== unitGold[v] || unitStart[v + 1]! - other !== length) return false
		for (let i = 0; i < length; i++) if (unitCell[from + i] !== unitCell[other + i]) return false
		return true
	}
	for (let u = 0; u < units; u++) {
		const from = unitStart[u]!
		const to = unitStart[u + 1]!
		if (to === from) continue
		unitCell.subarray(from, to).sort()
		let hash = Math.imul(unitGold[u]! ^ 0x9e3779b9, 0x85ebca6b)
		for (let j = from; j < to; j++) hash = Math.imul(hash ^ unitCell[j]!, 0x01000193) ^ (hash >>> 15)
		let slot = (hash ^ (hash >>> 16)) & mask
		for (;;) {
			const g = table[slot]!
			if (g === -1) {
				table[slot] = groups
				representative[groups] = u
				sizes[groups] = 1
				groupOf[u] = groups++
				groupedJudgments += to - from
				break
			}
			if (same(representative[g]!, u)) {
				sizes[g]!++
				groupOf[u] = g
				break
			}
			slot = (slot + 1) & mask
		}
	}
	const start = new Int32Array(groups + 1)
	const cell = new Int32Array(groupedJudgments)
	const groupGold = new Int32Array(groups)
	for (let g = 0; g < groups; g++) {
		const u = representative[g]!
		cell.set(unitCell.subarray(unitStart[u]!, unitStart[u + 1]!), start[g]!)
		start[g + 1] = start[g]! + unitStart[u + 1]! - unitStart[u]!
		groupGold[g] = unitGold[u]!
	}
	return {
		observers,
		units,
		classes,
		groups,
		start,
		cell,
		gold: groupGold,
		weight: sizes.subarray(0, groups),
		groupOf,
		unitGold,
		labelled,
		judgmentsPerObserver,
	}
}

/** Vote shares per group, gold one-hot. */
function initialPosterior(p: Prepared): Float64Array {
	const { groups, classes: K, start, cell, gold } = p
	const T = new Float64Array(groups * K)
	for (let g = 0; g < groups; g++) {
		const from = start[g]!
		const to = start[g + 1]!
		if (gold[g]! >= 0) {
			T[g * K + gold[g]!] = 1
			continue
		}
		const share = 1 / (to - from)
		for (let j = from; j < to; j++) T[g * K + (cell[j]! % K)]! += share
	}
	return T
}

/**
 * The M-step's sums: `counts[(o·K + l)·K + k]` = Σ_{u: o gave l} T[u,k] (laid out so the
 * E-step reads the K classes of one judgment contiguously) and `classTotals[k]` = Σ_u T[u,k].
 */
function accumulate(p: Prepared, T: Float64Array, counts: Float64Array, classTotals: Float64Array) {
	const { groups, classes: K, start, cell, weight } = p
	counts.fill(0)
	classTotals.fill(0)
	for (let g = 0; g < groups; g++) {
		const row = g * K
		const w = weight[g]!
		for (let k = 0; k < K; k++) classTotals[k]! += w * T[row + k]!
		for (let j = start[g]!; j < start[g + 1]!; j++) {
			const base = cell[j]! * K
			for (let k = 0; k < K; k++) counts[base + k]! += w * T[row + k]!
		}
	}
}

/** prior and conf (same layout as `counts`) from the M-step's sums. */
function parameters(
	p: Prepared,
	counts: Float64Array,
	classTotals: Float64Array,
	prior: Float64Array,
	conf: Float64Array,
	denominators: Float64Array,
) {
	const { observers, classes: K, labelled } = p
	const a = DAWID_SKENE_PSEUDO_COUNT
	for (let k = 0; k < K; k++) prior[k] = (classTotals[k]! + a) / (labelled + K * a)
	for (let o = 0; o < observers; o++) {
		denominators.fill(K * a)
		const first = o * K * K
		for (let l = 0; l < K; l++) {
			const base = first + l * K
			for (let k = 0; k < K; k++) denominators[k]! += counts[base + k]!
		}
		for (let l = 0; l < K; l++) {
			const base = first + l * K
			for (let k = 0; k < K; k++) conf[base + k] = (counts[base + k]! + a) / denominators[k]!
		}
	}
}

const TINY = 2 ** -600
const RESCALE = 2 ** 600

/**
 * The E-step in place, fused with the next M-step's sums (into `counts` and `classTotals`), so
 * that each round reads the judgments once; returns max |ΔT| over the units it estimates.
 * The products are rescaled by a power of two whenever they fall below 2^-600: that keeps them
 * from underflowing, which is what log space is for, without an exp per class and unit; after
 * normalising, the result is the log-space one to rounding.
 */
function expectation(
	p: Prepared,
	T: Float64Array,
	prior: Float64Array,
	conf: Float64Array,
	scratch: Float64Array,
	counts: Float64Array,
	classTotals: Float64Array,
): number {
	const { groups, classes: K, start, cell, gold, weight } = p
	counts.fill(0)
	classTotals.fill(0)
	let maxDelta = 0
	for (let g = 0; g < groups; g++) {
		const from = start[g]!
		const to = start[g + 1]!
		const row = g * K
		const w = weight[g]!
		if (gold[g]! < 0) {
			for (let k = 0; k < K; k++) scratch[k] = prior[k]!
			for (let j = from; j < to; j++) {
				const base = cell[j]! * K
				let top = 0
				for (let k = 0; k < K; k++) {
					const x = scratch[k]! * conf[base + k]!
					scratch[k] = x
					if (x > top) top = x
				}
				if (top < TINY) for (let k = 0; k < K; k++) scratch[k]! *= RESCALE
			}
			let sum = 0
			for (let k = 0; k < K; k++) sum += scratch[k]!
			for (let k = 0; k < K; k++) {
				const next = scratch[k]! / sum
				const delta = Math.abs(next - T[row + k]!)
				if (delta > maxDelta) maxDelta = delta
				T[row + k] = next
			}
		}
		for (let k = 0; k < K; k++) classTotals[k]! += w * T[row + k]!
		for (let j = from; j < to; j++) {
			const base = cell[j]! * K
			for (let k = 0; k < K; k++) counts[base + k]! += w * T[row + k]!
		}
	}
	return maxDelta
}

/** `expectation` for four classes (a pairwise choice), with the classes in locals. */
function expectation4(
	p: Prepared,
	T: Float64Array,
	prior: Float64Array,
	conf: Float64Array,
	counts: Float64Array,
	classTotals: Float64Array,
): number {
	const { groups, start, cell, gold, weight } = p
	counts.fill(0)
	const p0 = prior[0]!
	const p1 = prior[1]!
	const p2 = prior[2]!
	const p3 = prior[3]!
	let c0 = 0
	let c1 = 0
	let c2 = 0
	let c3 = 0
	let maxDelta = 0
	for (let g = 0; g < groups; g++) {
		const from = start[g]!
		const to = start[g + 1]!
		const row = g * 4
		let t0: number
		let t1: number
		let t2: number
		let t3: number
		if (gold[g]! < 0) {
			let s0 = p0
			let s1 = p1
			let s2 = p2
			let s3 = p3
			for (let j = from; j < to; j++) {
				const base = cell[j]! * 4
				s0 *= conf[base]!
				s1 *= conf[base + 1]!
				s2 *= conf[base + 2]!
				s3 *= conf[base + 3]!
				if (s0 < TINY && s1 < TINY && s2 < TINY && s3 < TINY) {
					s0 *= RESCALE
					s1 *= RESCALE
					s2 *= RESCALE
					s3 *= RESCALE
				}
			}
			const sum = s0 + s1 + s2 + s3
			t0 = s0 / sum
			t1 = s1 / sum
			t2 = s2 / sum
			t3 = s3 / sum
			const delta = Math.max(
				Math.abs(t0 - T[row]!),
				Math.abs(t1 - T[row + 1]!),
				Math.abs(t2 - T[row + 2]!),
				Math.abs(t3 - T[row + 3]!),
			)
			if (delta > maxDelta) maxDelta = delta
			T[row] = t0
			T[row + 1] = t1
			T[row + 2] = t2
			T[row + 3] = t3
		} else {
			t0 = T[row]!
			t1 = T[row + 1]!
			t2 = T[row + 2]!
			t3 = T[row + 3]!
		}
		const w = weight[g]!
		t0 *= w
		t1 *= w
		t2 *= w
		t3 *= w
		c0 += t0
		c1 += t1
		c2 += t2
		c3 += t3
		for (let j = from; j < to; j++) {
			const base = cell[j]! * 4
			counts[base]! += t0
			counts[base + 1]! += t1
			counts[base + 2]! += t2
			counts[base + 3]! += t3
		}
	}
	classTotals[0] = c0
	classTotals[1] = c1
	classTotals[2] = c2
	classTotals[3] = c3
	return maxDelta
}

/** The final M-step, reported in the plain (not log) form, and the per-unit consensus. */
function finish(p: Prepared, T: Float64Array, iterations: number, converged: boolean): DawidSkeneResult {
	const { observers, units, classes: K, groupOf, unitGold } = p
	const a = DAWID_SKENE_PSEUDO_COUNT
	const counts = new Float64Array(observers * K * K)
	const classTotals = new Float64Array(K)
	accumulate(p, T, counts, classTotals)
	const prior = new Float64Array(K)
	for (let k = 0; k < K; k++) prior[k] = (classTotals[k]! + a) / (p.labelled + K * a)
	const confusion = new Float64Array(observers * K * K)
	const reliability = new Float64Array(observers)
	const chance = new Float64Array(observers)
	const denominators = new Float64Array(K)
	const says = new Float64Array(K)
	for (let o = 0; o < observers; o++) {
		denominators.fill(K * a)
		const first = o * K * K
		for (let l = 0; l < K; l++) for (let k = 0; k < K; k++) denominators[k]! += counts[first + l * K + k]!
		says.fill(0)
		for (let k = 0; k < K; k++) {
			for (let l = 0; l < K; l++) {
				const value = (counts[first + l * K + k]! + a) / denominators[k]!
				confusion[first + k * K + l] = value
				says[l]! += prior[k]! * value
			}
			reliability[o]! += prior[k]! * confusion[first + k * K + k]!
		}
		for (let k = 0; k < K; k++) chance[o]! += prior[k]! * says[k]!
	}
	const posterior = new Float64Array(units * K)
	const labels = new Int32Array(units)
	const confidence = new Float64Array(units)
	for (let u = 0; u < units; u++) {
		const row = u * K
		const g = groupOf[u]!
		if (g >= 0) posterior.set(T.subarray(g * K, g * K + K), row)
		else if (unitGold[u]! >= 0) posterior[row + unitGold[u]!] = 1
		else posterior.set(prior, row)
		let best = 0
		for (let k = 1; k < K; k++) if (posterior[row + k]! > posterior[row + best]!) best = k
		labels[u] = best
		confidence[u] = posterior[row + best]!
	}
	return {
		classes: K,
		prior,
		posterior,
		labels,
		confidence,
		reliability,
		chance,
		confusion,
		judgments: p.judgmentsPerObserver,
		iterations,
		converged,
	}
}

export function dawidSkeneColumnar(
	input: DawidSkeneJudgments & { maxRounds?: number; tolerance?: number },
): DawidSkeneResult {
	const p = prepare(input)
	const maxRounds = input.maxRounds ?? DAWID_SKENE_MAX_ROUNDS
	const tolerance = input.tolerance ?? DAWID_SKENE_TOLERANCE
	const K = p.classes
	const T = initialPosterior(p)
	const counts = new Float64Array(p.observers * K * K)
	const conf = new Float64Array(p.observers * K * K)
	const classTotals = new Float64Array(K)
	const prior = new Float64Array(K)
	const denominators = new Float64Array(K)
	const scratch = new Float64Array(K)
	let iterations = 0
	let converged = false
	accumulate(p, T, counts, classTotals)
	while (iterations < maxRounds) {
		parameters(p, counts, classTotals, prior, conf, denominators)
		const delta =
			K === 4
				? expectation4(p, T, prior, conf, counts, classTotals)
				: expectation(p, T, prior, conf, scratch, counts, classTotals)
		iterations++
		if (delta < tolerance) {
			converged = true
			break
		}
	}
	return finish(p, T, iterations, converged)
}

/**
 * The plain majority vote, reported in the same shape: T is the vote shares (gold one-hot), and
 * the prior, confusion matrices and reliabilities come from one M-step on them.
 */
export function majorityVoteColumnar(input: DawidSkeneJudgments): DawidSkeneResult {
	const p = prepare(input)
	return finish(p, initialPosterior(p), 0, true)
}

export type LabelMatrix = readonly (readonly (number | null)[])[]

/** Observers × units, labels 0..K-1 or null, to the columnar form. */
export function judgmentsFromMatrix({
	data,
	classes,
	gold,
}: {
	data: LabelMatrix
	classes: number
	gold?: readonly (number | null)[]
}): DawidSkeneJudgments {
	const units = data[0]?.length ?? gold?.length ?? 0
	const observer: number[] = []
	const unit: number[] = []
	const label: number[] = []
	for (const [o, row] of data.entries()) {
		if (row.length !== units) throw new RangeError(`row ${o} has ${row.length} units, expected ${units}`)
		for (const [u, value] of row.entries()) {
			if (value === null) continue
			observer.push(o)
			unit.push(u)
			label.push(value)
		}
	}
	return { observers: data.length, units, classes, observer, unit, label, gold }
}

export function dawidSkene(input: {
	data: LabelMatrix
	classes: number
	gold?: readonly (number | null)[]
}): DawidSkeneResult {
	return dawidSkeneColumnar(judgmentsFromMatrix(input))
}

export function majorityVote(input: {
	data: LabelMatrix
	classes: number
	gold?: readonly (number | null)[]
}): DawidSkeneResult {
	return majorityVoteColumnar(judgmentsFromMatrix(input))
}
