import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type {
	AgreementSnapshot,
	AnnotatorsSnapshot,
	DawidSkeneSnapshot,
	LeaderboardSnapshot,
	ReviewQueueSnapshot,
} from '#app/modules/analytics/analytics.types.ts'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import { login } from '#app/modules/auth/login.server.ts'
import { getThroughput } from '#app/modules/projects/project-stats.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { previewExport } from '#app/modules/exports/preview-export.server.ts'
import { resetDatabase } from '#tests/setup/db.ts'
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './demo.ts'
import { DEMO_TEAM } from './demo-team.ts'

const HOUR = 3_600_000

async function snapshot<T>(slug: string, kind: string) {
	const row = await prisma.analyticsSnapshot.findFirst({ where: { project: { slug }, kind }, select: { data: true } })
	if (!row) throw new Error(`no ${kind} snapshot for ${slug}`)
	return row.data as unknown as T
}

async function sessionUser(email: string) {
	const user = await prisma.user.findUniqueOrThrow({
		where: { email },
		select: { id: true, email: true, displayName: true, roles: true },
	})
	return user
}

describe('the demo seed', () => {
	let seededAt: number
	beforeAll(async () => {
		await resetDatabase()
		seededAt = Date.now()
		expect(await seedDemo()).toBe(true)
	}, 120_000)
	// The demo's accounts would make other files' demo checks (and their emails) collide.
	afterAll(() => resetDatabase())

	test('the simulated team judged the pairwise project, every kind of annotator, over the last two days', async () => {
		const judgments = await prisma.judgment.findMany({
			where: { project: { slug: 'helpful-harmless' } },
			select: {
				displayOrder: true,
				activeMs: true,
				guidelineVersion: true,
				createdAt: true,
				isGold: true,
				user: { select: { email: true } },
			},
		})
		const kindOf = new Map(DEMO_TEAM.map((annotator) => [annotator.email, annotator.kind]))
		const byKind = new Map<string, number>()
		for (const judgment of judgments) {
			const kind = kindOf.get(judgment.user.email)
			expect(kind, judgment.user.email).toBeDefined()
			byKind.set(kind!, (byKind.get(kind!) ?? 0) + 1)
			expect(judgment.displayOrder).toHaveLength(2)
			expect(judgment.activeMs).toBeGreaterThan(0)
			expect(judgment.guidelineVersion).toBe(1)
			expect(judgment.createdAt.getTime()).toBeLessThan(seededAt)
			expect(judgment.createdAt.getTime()).toBeGreaterThan(seededAt - 50 * HOUR)
		}
		expect(Object.fromEntries(byKind)).toEqual({
			careful: expect.any(Number),
			mediocre: expect.any(Number),
			'position-biased': expect.any(Number),
			spammer: expect.any(Number),
		})
		for (const count of byKind.values()) expect(count).toBeGreaterThanOrEqual(40)
		const times = judgments.map((judgment) => judgment.createdAt.getTime())
		expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(24 * HOUR)
		expect(judgments.filter((judgment) => judgment.isGold).length).toBeGreaterThan(30)

		// Overlap holds, and work is left for the demo's own annotators.
		const items = await prisma.item.findMany({
			where: { project: { slug: 'helpful-harmless' }, isGold: false },
			select: { judgmentCount: true, isOpen: true },
		})
		expect(Math.max(...items.map((item) => item.judgmentCount))).toBe(3)
		expect(items.filter((item) => !item.isOpen).length).toBeGreaterThan(items.length / 2)
		const annotator = await sessionUser('annotator1@quorum.local')
		expect(await claimNext({ slug: 'helpful-harmless', user: annotator })).not.toBeNull()
		expect(await claimNext({ slug: 'answer-ranking', user: annotator })).not.toBeNull()
	})

	test('the analytics are computed: the spammer and the position-biased annotator are flagged, careful ones are not', async () => {
		const annotators = await snapshot<AnnotatorsSnapshot>('helpful-harmless', 'annotators')
		const row = (email: string) => {
			const name = DEMO_TEAM.find((annotator) => annotator.email === email)!.displayName
			return annotators.annotators.find((entry) => entry.displayName === name)!
		}
		expect(row('sim-spammer-1@quorum.local').flags).toContain('fast')
		expect(row('sim-position-biased-1@quorum.local').flags).toContain('position-bias')
		// About 80% by construction; the display order is Postgres's random(), so the rate moves by
		// a few points between seeds of the demo (0.6 is nearly four standard deviations below).
		expect(row('sim-position-biased-1@quorum.local').positionRate).toBeGreaterThan(0.6)
		const biasedRate = row('sim-position-biased-1@quorum.local').positionRate!
		for (const annotator of DEMO_TEAM.filter((entry) => entry.kind === 'careful')) {
			expect(row(annotator.email).positionRate).toBeLessThan(biasedRate)
			expect(row(annotator.email).flags).not.toContain('fast')
			expect(row(annotator.email).goldJudgments).toBeGreaterThan(0)
		}

		const dawidSkene = await snapshot<DawidSkeneSnapshot>('helpful-harmless', 'dawid-skene')
		const reliability = new Map(dawidSkene.annotators.map((entry) => [entry.displayName, entry]))
		const spammer = reliability.get('Simulated spammer')!
		expect(spammer.nearChance).toBe(true)
		expect(reliability.get('Simulated careful 1')!.reliability).toBeGreaterThan(spammer.reliability + 0.2)

		const agreement = await snapshot<AgreementSnapshot>('helpful-harmless', 'agreement')
		const withInterval = agreement.figures.filter(
			(figure) => figure.value !== null && figure.ciLow !== null && figure.ciHigh !== null,
		)
		expect(withInterval.length).toBeGreaterThan(0)
		expect(withInterval[0]!.ciLow!).toBeLessThanOrEqual(withInterval[0]!.value!)
		expect(withInterval[0]!.ciHigh!).toBeGreaterThanOrEqual(withInterval[0]!.value!)
	})

	test('the review queue, leaderboard, throughput and export preview have data', async () => {
		for (const slug of ['helpful-harmless', 'answer-ranking']) {
			const queue = await snapshot<ReviewQueueSnapshot>(slug, 'review-queue')
			expect(queue.openCount, slug).toBeGreaterThan(5)
			expect(queue.items[0]!.disagreement).toBeGreaterThan(0)
			const leaderboard = await snapshot<LeaderboardSnapshot>(slug, 'leaderboard')
			expect(leaderboard.rows.length, slug).toBe(5)
			expect(leaderboard.battles).toBeGreaterThan(50)
		}
		const pairwiseBoard = await snapshot<LeaderboardSnapshot>('helpful-harmless', 'leaderboard')
		const rank = (model: string) => pairwiseBoard.rows.find((row) => row.model === model)!.rank
		expect(rank('cirrus-70b')).toBeLessThan(rank('delta-mini'))

		const project = await prisma.project.findUniqueOrThrow({
			where: { slug: 'helpful-harmless' },
			select: { id: true },
		})
		const throughput = await getThroughput({ projectId: project.id })
		expect(throughput.hours.filter((hour) => hour.judgments > 0).length).toBeGreaterThan(5)
		expect(throughput.hours.filter((hour) => hour.judgments === 0).length).toBeGreaterThan(5)

		const engineer = await sessionUser('engineer@quorum.local')
		const preview = await previewExport({
			slug: 'helpful-harmless',
			user: engineer,
			input: { format: 'trl-preference' },
		})
		expect(preview.rows.length).toBeGreaterThan(0)
	})

	test('the documented logins work, the simulated accounts have no password, and seeding runs once', async () => {
		for (const [i, user] of DEMO_USERS.entries())
			await expect(login({ email: user.email, password: DEMO_PASSWORD, ip: `10.9.0.${i + 10}` })).resolves.toBeTruthy()
		await expect(login({ email: DEMO_TEAM[0]!.email, password: DEMO_PASSWORD, ip: '10.9.0.2' })).rejects.toThrow()
		const before = await prisma.judgment.count()
		expect(await seedDemo()).toBe(false)
		expect(await prisma.judgment.count()).toBe(before)
	})
})
