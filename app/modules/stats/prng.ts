export interface Rng {
	/** Uniform 32-bit unsigned integer. */
	nextUint32(): number
	/** Uniform float in [0, 1). */
	nextFloat(): number
	/** Uniform integer in [0, n), without modulo bias. n must be in [1, 2^32]. */
	nextInt(n: number): number
}

const TWO_32 = 4294967296
const TWO_21 = 2097152

function splitmix32(state: number): [number, number] {
	const next = (state + 0x9e3779b9) | 0
	let z = next
	z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
	z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
	return [next, (z ^ (z >>> 15)) >>> 0]
}

/**
 * xoshiro128** seeded through splitmix32, so every integer seed gives an independent,
 * reproducible stream on every platform (Math.random cannot be seeded).
 */
export function createRng(seed: number): Rng {
	if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`)
	let mix = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_32) | 0, 0x85ebca6b)
	const state: number[] = []
	for (let i = 0; i < 4; i++) {
		const [next, word] = splitmix32(mix)
		mix = next
		state.push(word | 0)
	}
	let [s0 = 1, s1 = 0, s2 = 0, s3 = 0] = state
	if ((s0 | s1 | s2 | s3) === 0) s0 = 1
	let lastN = 0
	let threshold = 0

	function nextUint32(): number {
		const product = Math.imul(s1, 5)
		const result = Math.imul((product << 7) | (product >>> 25), 9) >>> 0
		const t = s1 << 9
		s2 ^= s0
		s3 ^= s1
		s1 ^= s2
		s0 ^= s3
		s2 ^= t
		s3 = (s3 << 11) | (s3 >>> 21)
		return result
	}

	return {
		nextUint32,
		nextFloat: () => nextUint32() / TWO_32,
		nextInt(n: number): number {
			if (n !== lastN) {
				if (!(n >= 1 && n <= TWO_32) || !Number.isInteger(n)) {
					throw new RangeError(`nextInt needs an integer in [1, 2^32], got ${n}`)
				}
				lastN = n
				threshold = TWO_32 % n
			}
			if (n <= TWO_21) {
				// Lemire's multiply-and-reject; x * n stays below 2^53, so it is exact.
				for (;;) {
					const product = nextUint32() * n
					const high = Math.floor(product / TWO_32)
					if (product - high * TWO_32 >= threshold) return high
				}
			}
			for (;;) {
				const x = nextUint32()
				if (x < TWO_32 - threshold) return x % n
			}
		},
	}
}
