import type { TaskType } from '#app/generated/prisma/enums.ts'
import { randomUUID } from 'node:crypto'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import type { JudgmentInput } from '#app/modules/assignments/judgment.schema.ts'
import type { Assignment } from '#app/modules/assignments/serialize-assignment.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { mulberry32, type Rng } from './demo-content.ts'

export type SimulatedKind = 'careful' | 'mediocre' | 'position-biased' | 'spammer'

export type SimulatedAnnotator = {
	email: string
	displayName: string
	kind: SimulatedKind
	/** Chance of preferring the truly better response on an ordinary item. */
	accuracy: number
	/** Items to judge per demo project (gold items included). */
	workload: { pairwise: number; ranking: number }
}

const careful = (n: number, accuracy: number, pairwise: number, ranking: number): SimulatedAnnotator => ({
	email: `sim-careful-${n}@quorum.local`,
	displayName: `Simulated careful ${n}`,
	kind: 'careful',
	accuracy,
	workload: { pairwise, ranking },
})

/** The simulated team the demo seeds: 60% careful, 20% mediocre, 10% position-biased, 10% spammers. */
export const DEMO_TEAM: SimulatedAnnotator[] = [
	careful(1, 0.95, 62, 10),
	careful(2, 0.93, 58, 9),
	careful(3, 0.91, 55, 9),
	careful(4, 0.89, 52, 8),
	careful(5, 0.87, 50, 8),
	careful(6, 0.85, 46, 7),
	{
		email: 'sim-mediocre-1@quorum.local',
		displayName: 'Simulated mediocre 1',
		kind: 'mediocre',
		accuracy: 0.7,
		workload: { pairwise: 48, ranking: 8 },
	},
	{
		email: 'sim-mediocre-2@quorum.local',
		displayName: 'Simulated mediocre 2',
		kind: 'mediocre',
		accuracy: 0.7,
		workload: { pairwise: 44, ranking: 7 },
	},
	{
		email: 'sim-position-biased-1@quorum.local',
		displayName: 'Simulated position-biased',
		kind: 'position-biased',
		accuracy: 0.75,
		workload: { pairwise: 56, ranking: 10 },
	},
	{
		email: 'sim-spammer-1@quorum.local',
		displayName: 'Simulated spammer',
		kind: 'spammer',
		accuracy: 0.5,
		workload: { pairwise: 70, ranking: 12 },
	},
]

/** How often a position-biased annotator takes the first-shown response without reading; with the rest at chance, about 80% go to it. */
const POSITION_BIAS = 0.6
const HARD_PENALTY = 0.15

const RATIONALES = [
	'The chosen answer is correct; the other one gets a key fact wrong.',
	'Both are fine, but the chosen one answers the actual question more directly.',
	'The other response ignores part of the request.',
	'Clearer structure and no invented details.',
	'The other answer is confidently wrong.',
]

function uniform(rng: Rng, low: number, high: number) {
	return low + (high - low) * rng()
}

function normal(rng: Rng) {
	return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
}

/** Seconds on task, by kind: careful annotators read, spammers click. */
function activeMs(rng: Rng, kind: SimulatedKind) {
	const [low, high] =
		kind === 'careful' ? [25, 95] : kind === 'mediocre' ? [12, 45] : kind === 'position-biased' ? [9, 30] : [1.2, 2.6]
	return Math.round(uniform(rng, low, high) * 1000)
}

/** The inverse of the standard normal CDF (Acklam's approximation; ample for a simulation). */
function probit(p: number) {
	const a = [
		-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
	]
	const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
	const q = p - 0.5
	const r = q * q
	return (
		((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
		(((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
	)
}

type ItemTruth = { truth: string[]; hard: boolean }

/**
 * One simulated judgment of an assignment: the better response with the annotator's accuracy
 * (less on hard items), the first-shown one for a position-biased annotator, a coin for a spammer.
 * Rankings sort the true order with Gaussian noise sized so that adjacent pairs come out right
 * with the annotator's accuracy.
 */
export function simulateJudgment({
	annotator,
	assignment,
	item,
	rng,
}: {
	annotator: SimulatedAnnotator
	assignment: Assignment
	item: ItemTruth
	rng: Rng
}): Omit<JudgmentInput, 'idempotencyKey'> {
	const shown = assignment.item.responses.map((response) => response.id)
	const project = assignment.project
	const accuracy = Math.max(0.55, annotator.accuracy - (item.hard ? HARD_PENALTY : 0))
	const biased = annotator.kind === 'position-biased' && rng() < POSITION_BIAS
	const ms = activeMs(rng, annotator.kind)

	if (project.taskType === 'ranking') {
		const sigma = annotator.kind === 'spammer' ? 1e6 : 1 / (Math.SQRT2 * probit(accuracy))
		const order = biased
			? shown
			: [...item.truth]
					.map((id, tier) => ({ id, score: tier + sigma * normal(rng) }))
					.sort((x, y) => x.score - y.score)
					.map((entry) => entry.id)
		return { ranking: order.map((id) => [id]), activeMs: ms }
	}

	const [better, worse] = item.truth as [string, string]
	const chosen = biased ? shown[0]! : rng() < (annotator.kind === 'spammer' ? 0.5 : accuracy) ? better : worse
	const other = chosen === better ? worse : better
	const judgment: Omit<JudgmentInput, 'idempotencyKey'> = { ranking: [[chosen], [other]], activeMs: ms }
	if (project.strength)
		judgment.strength =
			annotator.kind === 'spammer'
				? Math.floor(rng() * 4)
				: item.hard
					? 1 + Math.floor(rng() * 2)
					: 2 + Math.floor(rng() * 2)
	if (annotator.kind !== 'careful') return judgment
	if (rng() < 0.4 && project.criteria.length > 0) {
		const rate = (high: boolean) =>
			Object.fromEntries(
				project.criteria.map((c) => [c.name, high ? c.max - Math.floor(rng() * 2) : c.min + 1 + Math.floor(rng() * 2)]),
			)
		judgment.criteria = { [chosen]: rate(true), [other]: rate(false) }
	}
	if (rng() < 0.1 && project.flags.includes('hallucination')) judgment.flags = { [other]: ['hallucination'] }
	if (rng() < 0.25 && project.rationale !== 'off')
		judgment.rationale = RATIONALES[Math.floor(rng() * RATIONALES.length)]!
	return judgment
}

/** Time from one claim to the next: always past the previous submission, which comes 2 s after the active time. */
function nextClaimAfter(rng: Rng, kind: SimulatedKind) {
	const [low, high] =
		kind === 'careful' ? [100, 160] : kind === 'mediocre' ? [50, 90] : kind === 'position-biased' ? [35, 60] : [5, 7]
	return Math.round(uniform(rng, low, high) * 1000)
}

type Work = { annotator: SimulatedAnnotator; user: SessionUser; slug: string; at: number; rng: Rng }

const HOUR = 3_600_000
const CONCURRENT_CLAIMS = 5

/** Working hours (07:00–20:00 UTC) within the last two days, an hour before now at the latest. */
function workingHours(now: number) {
	const slots: number[] = []
	const last = Math.floor(now / HOUR) * HOUR - HOUR
	for (let slot = last - 46 * HOUR; slot <= last; slot += HOUR) {
		const hour = new Date(slot).getUTCHours()
		if (hour >= 7 && hour < 20) slots.push(slot)
	}
	return slots
}

/**
 * Claim times for every simulated annotator: sessions of 6–20 items, each in an hour of their own
 * within the working hours of the last two days, so the throughput chart has days and nights.
 */
function schedule({
	team,
	projects,
	now,
	seed,
}: {
	team: { annotator: SimulatedAnnotator; user: SessionUser }[]
	projects: { slug: string; taskType: TaskType }[]
	now: number
	seed: number
}) {
	const slots = workingHours(now)
	const work: Work[] = []
	team.forEach(({ annotator, user }, index) => {
		const rng = mulberry32(seed + index * 7919)
		const free = [...slots]
		for (const project of projects) {
			let left = project.taskType === 'comparison' ? annotator.workload.pairwise : annotator.workload[project.taskType]
			while (left > 0) {
				const size = Math.min(left, 6 + Math.floor(rng() * 15))
				left -= size
				const pool = free.length > 0 ? free : slots
				const [slot] = pool.splice(Math.floor(rng() * pool.length), 1)
				if (pool === slots) pool.push(slot!)
				let at = slot! + Math.floor(rng() * 20 * 60_000)
				for (let i = 0; i < size; i++) {
					work.push({ annotator, user, slug: project.slug, at, rng })
					at += nextClaimAfter(rng, annotator.kind)
				}
			}
		}
	})
	return work.sort((a, b) => a.at - b.at)
}

/**
 * Has the simulated team judge the demo projects through the real claim and submit functions, in
 * time order, with the claim and submission times spread over the last two days. Returns the number
 * of judgments stored.
 */
export async function seedDemoJudgments({
	team,
	projects,
	truths,
	now = new Date(),
	seed = 0x7ea3,
}: {
	team: { annotator: SimulatedAnnotator; user: SessionUser }[]
	projects: { slug: string; taskType: TaskType }[]
	/** By external id. */
	truths: Map<string, ItemTruth>
	now?: Date
	seed?: number
}) {
	const done = new Set<string>()
	let stored = 0
	const judge = async (work: Work) => {
		const key = `${work.user.id} ${work.slug}`
		if (done.has(key)) return
		const assignment = await claimNext({ slug: work.slug, user: work.user, now: new Date(work.at), random: work.rng })
		if (!assignment) {
			done.add(key)
			return
		}
		const item = truths.get(assignment.item.externalId)
		if (!item) throw new Error(`No simulated truth for demo item ${assignment.item.externalId}`)
		const input = simulateJudgment({ annotator: work.annotator, assignment, item, rng: work.rng })
		try {
			await submitJudgment({
				leaseId: assignment.lease.id,
				user: work.user,
				input: { ...input, idempotencyKey: randomUUID() },
				now: new Date(work.at + (input.activeMs ?? 0) + 2_000),
			})
		} catch (error) {
			// Claims in one batch run side by side but at their own simulated times, so a claim dated
			// after another's lease ends can take that slot while the lease's holder is still judging.
			// The app refuses the later submission, as it would anyone's, and the annotator moves on.
			if (error instanceof AppError && error.extra?.reason === 'item_complete') return
			throw error
		}
		stored++
	}
	// Consecutive claims of different annotators run side by side, as they would in a real team;
	// each annotator's own claims stay in order.
	const queue = schedule({ team, projects, now: now.getTime(), seed })
	while (queue.length > 0) {
		const batch: Work[] = []
		const busy = new Set<string>()
		while (queue.length > 0 && batch.length < CONCURRENT_CLAIMS && !busy.has(queue[0]!.user.id)) {
			const work = queue.shift()!
			busy.add(work.user.id)
			batch.push(work)
		}
		await Promise.all(batch.map(judge))
	}
	return stored
}
