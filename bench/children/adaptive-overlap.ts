// Runs in a child process against DATABASE_URL (a fresh migrated database). Usage:
//   node --import tsx bench/children/adaptive-overlap.ts <items> <policy>
// policy: fixed-3 | fixed-5 | adaptive (min 2, max 5, confidence 0.9).
// A seeded team of 30 simulated annotators (60% careful 85–95%, 20% mediocre ~70%, 10% biased
// toward the first-shown response 80% of the time, 10% spammers) labels <items> pairwise items
// with a known true answer through the real claim and submit module functions, one judgment at a
// time, an annotator drawn at random for each. Adaptive refreshes the project's analytics (and so
// the reliabilities the submit reads) every REFRESH_EVERY judgments, as the worker would. Then
// majority vote and Dawid–Skene are scored against the truth. Prints one JSON object.
import { prisma } from '#app/utils/db.server.ts'
import { pgTransaction } from '#app/utils/db.server.ts'
import { refreshProjectAnalytics } from '#app/modules/analytics/refresh-project-analytics.server.ts'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import { upsertItemBatch } from '#app/modules/items/upsert-items.server.ts'
import { createProject } from '#app/modules/projects/create-project.server.ts'
import type { OverlapPolicy } from '#app/modules/projects/overlap-policy.ts'
import { dawidSkeneColumnar, majorityVoteColumnar } from '#app/modules/stats/dawid-skene.ts'
import { createRng } from '#app/modules/stats/prng.ts'
import { seconds } from '../util/stats.ts'

const items = Number(process.argv[2] ?? 2000)
const policyName = process.argv[3] ?? 'adaptive'
const POLICIES: Record<string, OverlapPolicy> = {
	'fixed-3': { mode: 'fixed', n: 3 },
	'fixed-5': { mode: 'fixed', n: 5 },
	adaptive: { mode: 'adaptive', min: 2, max: 5, confidence: 0.9 },
}
const policy = POLICIES[policyName]
if (!Number.isSafeInteger(items) || items < 1 || !policy) {
	process.stderr.write('usage: adaptive-overlap.ts <items> fixed-3|fixed-5|adaptive\n')
	process.exit(2)
}

const CLASSES = 4
const ANNOTATORS = 30
const REFRESH_EVERY = 300
const KEYS = ['r1', 'r2'] as const
// The same team and truths for every policy. The display order comes from the claim (Postgres's
// random()), so the draws after the first biased answer differ between runs.
const rng = createRng(20261207)

type Kind = 'careful' | 'mediocre' | 'biased' | 'spammer'
const kinds: Kind[] = Array.from({ length: ANNOTATORS }, (_, o) =>
	o < 18 ? 'careful' : o < 24 ? 'mediocre' : o < 27 ? 'biased' : 'spammer',
)
const accuracy = kinds.map((kind) =>
	kind === 'careful' ? 0.85 + 0.1 * rng.nextFloat() : kind === 'mediocre' ? 0.65 + 0.1 * rng.nextFloat() : 0,
)
// Classes relative to the stored order: 0 first better, 1 second better, 2 tie, 3 both bad.
const truth = Array.from({ length: items }, () => {
	const x = rng.nextFloat()
	return x < 0.45 ? 0 : x < 0.9 ? 1 : x < 0.97 ? 2 : 3
})

function answer(o: number, t: number, firstShown: 'r1' | 'r2'): number {
	const kind = kinds[o]!
	if (kind === 'spammer') return rng.nextInt(CLASSES)
	if (kind === 'biased') return rng.nextFloat() < 0.8 ? (firstShown === 'r1' ? 0 : 1) : t
	return rng.nextFloat() < accuracy[o]! ? t : rng.nextInt(CLASSES)
}

function asInput(label: number, key: string) {
	if (label === 3) return { ranking: [['r1', 'r2']], bothBad: true, strength: null, idempotencyKey: key }
	if (label === 2) return { ranking: [['r1', 'r2']], strength: null, idempotencyKey: key }
	return { ranking: label === 0 ? [['r1'], ['r2']] : [['r2'], ['r1']], strength: 2, idempotencyKey: key }
}

const started = process.hrtime.bigint()
const project = await createProject({
	actorId: null,
	input: {
		name: `Adaptive bench ${policyName}`,
		taskType: 'pairwise',
		status: 'active',
		overlap: policy,
		goldRate: 0,
		rationale: 'off',
	},
})
const users = await Promise.all(
	kinds.map((kind, o) =>
		prisma.user.create({
			data: { email: `${project.slug}-${o}@bench.test`, displayName: `${kind} ${o}`, roles: ['annotator'] },
			select: { id: true, email: true, displayName: true, roles: true },
		}),
	),
)
await prisma.projectMember.createMany({
	data: users.map((user) => ({ projectId: project.id, userId: user.id, role: 'annotator' as const })),
})
await pgTransaction((tx) =>
	upsertItemBatch({
		tx,
		projectId: project.id,
		items: truth.map((_, i) => ({
			line: i + 1,
			item: {
				externalId: `item-${i}`,
				context: { prompt: `Prompt ${i}` },
				responses: KEYS.map((id, r) => ({ id, model: `model-${r}`, content: `Answer ${r} to ${i}`, metadata: null })),
				metadata: null,
				gold: null,
				contentHash: `hash-${i}`,
			},
		})),
	}),
)
const itemIndex = new Map(
	(await prisma.item.findMany({ where: { projectId: project.id }, select: { id: true, externalId: true } })).map(
		(item) => [item.id, Number(item.externalId.slice(5))],
	),
)

const observer: number[] = []
const unit: number[] = []
const label: number[] = []
const active = Array.from({ length: ANNOTATORS }, (_, o) => o)
let refreshes = 0
let reopened = 0
const loopStarted = process.hrtime.bigint()
while (active.length > 0) {
	const pick = rng.nextInt(active.length)
	const o = active[pick]!
	const user = users[o]!
	const assignment = await claimNext({ slug: project.slug, user, random: () => rng.nextFloat() })
	if (!assignment) {
		active.splice(pick, 1)
		continue
	}
	const u = itemIndex.get(assignment.item.id)!
	const l = answer(o, truth[u]!, assignment.item.responses[0]!.id as 'r1' | 'r2')
	await submitJudgment({ leaseId: assignment.lease.id, user, input: asInput(l, `${o}-${observer.length}`) })
	observer.push(o)
	unit.push(u)
	label.push(l)
	if (policy.mode === 'adaptive' && observer.length % REFRESH_EVERY === 0) {
		reopened += (await refreshProjectAnalytics({ projectId: project.id })).reopened
		refreshes++
		// A reopened item comes back to annotators who had finished.
		if (active.length < ANNOTATORS) active.splice(0, active.length, ...Array.from({ length: ANNOTATORS }, (_, x) => x))
	}
}
const loopSeconds = seconds(loopStarted)

const input = {
	observers: ANNOTATORS,
	units: items,
	classes: CLASSES,
	observer: Int32Array.from(observer),
	unit: Int32Array.from(unit),
	label: Int32Array.from(label),
	gold: new Int32Array(items).fill(-1),
}
const score = (labels: Int32Array) => labels.reduce((hits, l, u) => hits + (l === truth[u] ? 1 : 0), 0) / items
const ds = dawidSkeneColumnar(input)
const majority = majorityVoteColumnar(input)
const perItem = new Array<number>(items).fill(0)
for (const u of unit) perItem[u]!++
const histogram: Record<string, number> = {}
for (const n of perItem) histogram[n] = (histogram[n] ?? 0) + 1

await prisma.$disconnect()
process.stdout.write(
	`${JSON.stringify({
		policy: policyName,
		items,
		judgments: observer.length,
		perItemMean: observer.length / items,
		histogram,
		majorityAccuracy: score(majority.labels),
		dsAccuracy: score(ds.labels),
		refreshes,
		reopened,
		loopSeconds,
		seconds: seconds(started),
	})}\n`,
)
process.exit(0)
