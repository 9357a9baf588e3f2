import type { Role, TaskType } from '#app/generated/prisma/enums.ts'
import { normalizeLine } from '#app/modules/imports/parse/normalize-line.ts'
import { DEFAULT_MAX_RESPONSE_BYTES } from '#app/modules/imports/parse/limits.ts'
import type { CanonicalItem } from '#app/modules/imports/parse/types.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { refreshProjectAnalytics } from '#app/modules/analytics/refresh-project-analytics.server.ts'
import { upsertItemBatch } from '#app/modules/items/upsert-items.server.ts'
import { createProject } from '#app/modules/projects/create-project.server.ts'
import { createUser } from '#app/modules/users/users.server.ts'
import { pgTransaction, prisma } from '#app/utils/db.server.ts'
import {
	DEMO_GUIDELINES_PAIRWISE,
	DEMO_GUIDELINES_RANKING,
	demoPairwiseItems,
	demoRankingItems,
	type DemoItem,
} from './demo-content.ts'
import { DEMO_TEAM, seedDemoJudgments, type SimulatedAnnotator } from './demo-team.ts'

export const DEMO_PASSWORD = 'quorum-demo'

export const DEMO_USERS: { email: string; displayName: string; roles: Role[] }[] = [
	{ email: 'admin@quorum.local', displayName: 'Ada Admin', roles: ['admin'] },
	{ email: 'reviewer@quorum.local', displayName: 'Rae Reviewer', roles: ['reviewer'] },
	{ email: 'annotator1@quorum.local', displayName: 'Ana Annotator', roles: ['annotator'] },
	{ email: 'annotator2@quorum.local', displayName: 'Ben Annotator', roles: ['annotator'] },
	{ email: 'engineer@quorum.local', displayName: 'Eli Engineer', roles: ['engineer'] },
]

/** Every twelfth item is gold (answer known), so the quality page shows gold accuracy; hard items and the hostile one are not. */
const isDemoGold = (demo: DemoItem, index: number) =>
	index % 12 === 5 && demo.metadata?.difficulty !== 'hard' && !demo.externalId.includes('hostile')

function toCanonical(items: DemoItem[], taskType: TaskType): CanonicalItem[] {
	return items.map((demo, index) => {
		const gold = isDemoGold(demo, index) ? { ranking: demo.truth.map((id) => [id]) } : undefined
		const result = normalizeLine({
			value: {
				id: demo.externalId,
				...demo.context,
				responses: demo.responses,
				metadata: demo.metadata,
				...(gold ? { gold } : {}),
			},
			taskType,
			maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
			extraFields: 'reject',
		})
		if ('errors' in result) throw new Error(`Demo item ${demo.externalId} is invalid: ${JSON.stringify(result.errors)}`)
		return result.item
	})
}

async function insertItems(projectId: string, items: CanonicalItem[]) {
	await pgTransaction(async (tx) => {
		for (let start = 0; start < items.length; start += 500) {
			const batch = items.slice(start, start + 500).map((item, index) => ({ line: start + index + 1, item }))
			const result = await upsertItemBatch({ tx, projectId, items: batch })
			if (result.errors.length > 0) throw new Error(`Demo import failed: ${JSON.stringify(result.errors[0])}`)
		}
	})
}

export class DemoRefusedError extends Error {}

const demoEmails = () => [...DEMO_USERS, ...DEMO_TEAM].map((user) => user.email)

/**
 * Seeds the demo users and projects once; returns false when they already exist. A database with
 * real users is refused: the demo's accounts have a published password. A simulated team
 * (`DEMO_TEAM`: accounts without a password, so nobody logs in as them) has already judged most
 * items over the last two days, and the analytics are computed, so every page shows something.
 */
export async function seedDemo() {
	const others = await prisma.user.count({ where: { email: { notIn: demoEmails() } } })
	if (others > 0) {
		throw new DemoRefusedError(
			`This database has ${others} user${others === 1 ? '' : 's'} who are not demo users; the demo accounts (password "${DEMO_PASSWORD}") are not added to it. Seed the demo into an empty database.`,
		)
	}
	if (await prisma.user.findUnique({ where: { email: DEMO_USERS[0]!.email }, select: { id: true } })) return false

	const users = new Map<string, string>()
	for (const user of DEMO_USERS) {
		const created = await createUser({ ...user, password: DEMO_PASSWORD })
		users.set(user.email, created.id)
	}
	const adminId = users.get('admin@quorum.local')!

	const pairwise = await createProject({
		actorId: adminId,
		input: {
			name: 'Helpful & Harmless — pairwise',
			slug: 'helpful-harmless',
			description: 'Compare two assistant answers and pick the better one. Chat, code, math and tricky edge cases.',
			taskType: 'pairwise',
			overlap: 3,
			status: 'active',
			rationale: 'optional',
			criteria: [
				{ name: 'helpfulness', description: 'Does it solve the user’s actual problem?', min: 1, max: 5 },
				{ name: 'honesty', description: 'Is everything it says true and appropriately hedged?', min: 1, max: 5 },
			],
			flags: ['hallucination', 'unsafe', 'refusal', 'broken code'],
			goldRate: 0.15,
			guidelines: DEMO_GUIDELINES_PAIRWISE,
		},
	})
	const ranking = await createProject({
		actorId: adminId,
		input: {
			name: 'Answer quality — 4-way ranking',
			slug: 'answer-ranking',
			description: 'Rank four responses from best to worst. Ties are allowed.',
			taskType: 'ranking',
			overlap: 3,
			status: 'active',
			useStrength: false,
			rationale: 'optional',
			flags: ['hallucination', 'unsafe'],
			goldRate: 0.1,
			guidelines: DEMO_GUIDELINES_RANKING,
		},
	})

	for (const project of [pairwise, ranking]) {
		await prisma.projectMember.createMany({
			data: [
				{ projectId: project.id, userId: users.get('annotator1@quorum.local')!, role: 'annotator' },
				{ projectId: project.id, userId: users.get('annotator2@quorum.local')!, role: 'annotator' },
				{ projectId: project.id, userId: users.get('reviewer@quorum.local')!, role: 'reviewer' },
			],
		})
	}
	const pairwiseItems = demoPairwiseItems()
	const rankingItems = demoRankingItems()
	await insertItems(pairwise.id, toCanonical(pairwiseItems, 'pairwise'))
	await insertItems(ranking.id, toCanonical(rankingItems, 'ranking'))

	const team: { annotator: SimulatedAnnotator; user: SessionUser }[] = []
	for (const annotator of DEMO_TEAM) {
		const user = await createUser({
			email: annotator.email,
			displayName: annotator.displayName,
			roles: ['annotator'],
			password: null,
		})
		team.push({
			annotator,
			user: { id: user.id, email: user.email, displayName: user.displayName, roles: ['annotator'] },
		})
	}
	await prisma.projectMember.createMany({
		data: [pairwise, ranking].flatMap((project) =>
			team.map(({ user }) => ({ projectId: project.id, userId: user.id, role: 'annotator' as const })),
		),
	})
	const truths = new Map(
		[...pairwiseItems, ...rankingItems].map((item) => [
			item.externalId,
			{ truth: item.truth, hard: item.metadata?.difficulty === 'hard' },
		]),
	)
	await seedDemoJudgments({
		team,
		projects: [
			{ slug: pairwise.slug, taskType: 'pairwise' },
			{ slug: ranking.slug, taskType: 'ranking' },
		],
		truths,
	})
	for (const project of [pairwise, ranking]) await refreshProjectAnalytics({ projectId: project.id })
	return true
}

/** The demo accounts still enabled in this database; `npm start` refuses to serve them. */
export async function enabledDemoAccounts() {
	const users = await prisma.user.findMany({
		where: { email: { in: demoEmails() }, disabledAt: null },
		select: { email: true },
	})
	return users.map((user) => user.email)
}
