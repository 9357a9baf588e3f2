// Runs in a child process so that its peak memory (VmHWM) is its own. Usage:
//   node --import tsx bench/children/dawid-skene.ts <units>
// Generates <units> pairwise units × 3 judgments from a seeded team of 30 simulated annotators
// (60% careful, 20% mediocre, 10% position-biased, 10% spammers; four outcomes: first, second,
// tie, both bad), then times Dawid–Skene on them (app/modules/stats). Prints one JSON object.
import { dawidSkeneColumnar, majorityVoteColumnar } from '#app/modules/stats/dawid-skene.ts'
import { createRng } from '#app/modules/stats/prng.ts'
import { peakRssMb } from '../util/proc.ts'
import { seconds } from '../util/stats.ts'

const units = Number(process.argv[2] ?? 333_334)
if (!Number.isSafeInteger(units) || units < 1) {
	process.stderr.write('usage: dawid-skene.ts <units>\n')
	process.exit(2)
}

const CLASSES = 4
const OVERLAP = 3
const ANNOTATORS = 30
const rng = createRng(20261207)

type Kind = 'careful' | 'mediocre' | 'biased' | 'spammer'
const kinds: Kind[] = Array.from({ length: ANNOTATORS }, (_, o) =>
	o < 18 ? 'careful' : o < 24 ? 'mediocre' : o < 27 ? 'biased' : 'spammer',
)
const accuracy = kinds.map((kind) =>
	kind === 'careful' ? 0.85 + 0.1 * rng.nextFloat() : kind === 'mediocre' ? 0.65 + 0.1 * rng.nextFloat() : 0,
)

function trueAnswer(): number {
	const x = rng.nextFloat()
	return x < 0.45 ? 0 : x < 0.9 ? 1 : x < 0.97 ? 2 : 3
}

function answer(o: number, truth: number): number {
	const kind = kinds[o]!
	if (kind === 'spammer') return rng.nextInt(CLASSES)
	if (kind === 'biased') return rng.nextFloat() < 0.8 ? 0 : truth
	return rng.nextFloat() < accuracy[o]! ? truth : rng.nextInt(CLASSES)
}

const total = units * OVERLAP
const observer = new Int32Array(total)
const unit = new Int32Array(total)
const label = new Int32Array(total)
const truth = new Int32Array(units)
let j = 0
for (let u = 0; u < units; u++) {
	truth[u] = trueAnswer()
	const first = rng.nextInt(ANNOTATORS)
	const second = (first + 1 + rng.nextInt(ANNOTATORS - 1)) % ANNOTATORS
	let third = rng.nextInt(ANNOTATORS)
	while (third === first || third === second) third = rng.nextInt(ANNOTATORS)
	for (const o of [first, second, third]) {
		observer[j] = o
		unit[j] = u
		label[j] = answer(o, truth[u]!)
		j++
	}
}

const input = { observers: ANNOTATORS, units, classes: CLASSES, observer, unit, label }
const begin = process.hrtime.bigint()
const cpuBefore = process.cpuUsage()
const result = dawidSkeneColumnar(input)
const dsSeconds = seconds(begin)
const cpu = process.cpuUsage(cpuBefore)
const majority = majorityVoteColumnar(input)
const accuracyOf = (labels: Int32Array) => {
	let right = 0
	for (let u = 0; u < units; u++) if (labels[u] === truth[u]) right++
	return right / units
}

process.stdout.write(
	`${JSON.stringify({
		judgments: total,
		units,
		annotators: ANNOTATORS,
		dsSeconds,
		dsCpuSeconds: (cpu.user + cpu.system) / 1e6,
		iterations: result.iterations,
		converged: result.converged,
		dsAccuracy: accuracyOf(result.labels),
		majorityAccuracy: accuracyOf(majority.labels),
		peakRssMb: peakRssMb('self'),
	})}\n`,
)
