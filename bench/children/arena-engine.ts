// Runs in a child process against DATABASE_URL (a fresh migrated database). Usage:
//   node --import tsx bench/children/arena-engine.ts <policy> <seed> <targetWidth> <battlesFile>
// The arena benchmark through the real engine: a comparison project whose prompts each carry one
// response from each of 12 simulated models (bench/arena-simulation.ts's planted ratings and
// verbosities), judged by simulated annotators who claim with claimNext (the pair chosen by the
// project's pair policy inside quorum_claim_next) and answer with submitJudgment. They judge by
// Bradley–Terry on the planted ratings plus a length and a first-position preference. Every
// CHECK_EVERY battles the leaderboard's mean 95% interval is measured (arenaLeaderboard over the
// battles stored so far), and an active project's analytics are refreshed, as the worker would,
// which rewrites the pair weights the claim reads. Prints one JSON object and writes the battles
// to <battlesFile>.
import { writeFileSync } from 'node:fs'
import { prisma, pgTransaction } from '#app/utils/db.server.ts'
import { refreshProjectAnalytics } from '#app/modules/analytics/refresh-project-analytics.server.ts'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import { upsertItemBatch } from '#app/modules/items/upsert-items.server.ts'
import { createProject } from '#app/modules/projects/create-project.server.ts'
import { arenaLeaderboard, type BattleWinner } from '#app/modules/stats/bradley-terry.ts'
import { createRng } from '#app/modules/stats/prng.ts'
import type { ControlledBattle } from '#app/modules/stats/style-control.ts'
import { ARENA_SETUP, plantedRatings, spearman } from '../arena-simulation.ts'
import { seconds } from '../util/stats.ts'

const policy = process.argv[2] === 'active' ? 'active' : 'uniform'
const seed = Number(process.argv[3] ?? 1)
const targetWidth = Number(process.argv[4] ?? ARENA_SETUP.targetWidth)
// The battles, for style recovery, go to a file: too many for one line of output.
const battlesFile = process.argv[5]
const setup = { ...ARENA_SETUP, targetWidth }
const CHECK_EVERY = setup.checkEvery
const ANNOTATORS = 40
const BATTLES_PER_PROMPT = 10
const PROMPTS = Math.ceil(30_000 / BATTLES_PER_PROMPT)

const rng = createRng(seed)
const p = setup.models
const truth = plantedRatings(setup)
const verbosity = Array.from({ length: p }, () => 150 + rng.nextInt(500))
const names = Array.from({ length: p }, (_, m) => `model-${String(m).padStart(2, '0')}`)
const keyOf = (m: number) => `m${String(m).padStart(2, '0')}`
const modelOfKey = (key: string) => Number(key.slice(1))
const styleOf = (tokens: number) => ({ tokens, headers: rng.nextInt(3), lists: rng.nextInt(6), bold: rng.nextInt(4) })
// Each prompt's responses have their own lengths around their model's verbosity.
const styles = Array.from({ length: PROMPTS }, () =>
	Array.from({ length: p }, (_, m) =>
		styleOf(Math.max(1, Math.round((verbosity[m] as number) * (0.5 + rng.nextFloat())))),
	),
)

const started = process.hrtime.bigint()
const project = await createProject({
	actorId: null,
	input: {
		name: `Arena bench ${policy} ${seed}`,
		taskType: 'comparison',
		pairPolicy: policy,
		status: 'active',
		overlap: { mode: 'fixed', n: BATTLES_PER_PROMPT },
		goldRate: 0,
		rationale: 'off',
		useStrength: false,
	},
})
const users = await Promise.all(
	Array.from({ length: ANNOTATORS }, (_, o) =>
		prisma.user.create({
			data: { email: `${project.slug}-${o}@bench.test`, displayName: `Annotator ${o}`, roles: ['annotator'] },
			select: { id: true, email: true, displayName: true, roles: true },
		}),
	),
)
await prisma.projectMember.createMany({
	data: users.map((user) => ({ projectId: project.id, userId: user.id, role: 'annotator' as const })),
})
for (let start = 0; start < PROMPTS; start += 500) {
	await pgTransaction((tx) =>
		upsertItemBatch({
			tx,
			projectId: project.id,
			items: Array.from({ length: Math.min(500, PROMPTS - start) }, (_, k) => {
				const i = start + k
				return {
					line: i + 1,
					item: {
						externalId: `prompt-${i}`,
						context: { prompt: `Prompt ${i}` },
						responses: names.map((model, m) => ({
							id: keyOf(m),
							model,
							content: `Answer of ${model} to prompt ${i}`,
							metadata: null,
						})),
						metadata: null,
						gold: null,
						contentHash: `hash-${i}`,
					},
				}
			}),
		}),
	)
}
// The planted lengths stand in for the texts' measured style (the column the analytics fill).
await prisma.$executeRawUnsafe(
	`UPDATE responses r SET style = s.style::jsonb
	FROM (SELECT unnest($1::text[]) AS external_id, unnest($2::text[]) AS key, unnest($3::text[]) AS style) s, items i
	WHERE i.project_id = $4::uuid AND i.external_id = s.external_id AND r.item_id = i.id AND r.key = s.key`,
	styles.flatMap((row, i) => row.map(() => `prompt-${i}`)),
	styles.flatMap((row) => row.map((_, m) => keyOf(m))),
	styles.flatMap((row) => row.map((style) => JSON.stringify(style))),
	project.id,
)
const promptOf = new Map(
	(await prisma.item.findMany({ where: { projectId: project.id }, select: { id: true, externalId: true } })).map(
		(item) => [item.id, Number(item.externalId.slice(7))],
	),
)

const battles: ControlledBattle[] = []
let refreshes = 0
let meanWidth = Number.POSITIVE_INFINITY
let correlation = 0
const loopStarted = process.hrtime.bigint()
while (battles.length < setup.maxBattles) {
	const o = rng.nextInt(ANNOTATORS)
	const user = users[o]!
	const assignment = await claimNext({ slug: project.slug, user, random: () => rng.nextFloat() })
	if (!assignment) throw new Error(`annotator ${o} found no battle after ${battles.length}: add prompts`)
	const prompt = promptOf.get(assignment.item.id)!
	const [first, second] = assignment.item.responses.map((response) => modelOfKey(response.id)) as [number, number]
	const tf = styles[prompt]![first]!.tokens
	const ts = styles[prompt]![second]!.tokens
	const logit =
		(Math.log(10) * ((truth[first] as number) - (truth[second] as number))) / 400 +
		setup.lengthEffect * ((tf - ts) / (tf + ts + 1)) +
		setup.positionEffect
	const sigma = 1 / (1 + Math.exp(-logit))
	const tie = setup.tieRate * 4 * sigma * (1 - sigma)
	const u = rng.nextFloat()
	const outcome = u < tie ? 'tie' : u < sigma + tie / 2 ? 'first' : 'second'
	const [kf, ks] = [keyOf(first), keyOf(second)]
	await submitJudgment({
		leaseId: assignment.lease.id,
		user,
		input: {
			ranking: outcome === 'tie' ? [[kf, ks]] : outcome === 'first' ? [[kf], [ks]] : [[ks], [kf]],
			idempotencyKey: `${o}-${battles.length}`,
		},
	})
	// As the leaderboard reads a stored battle: model_a is the lesser name, and who was shown first.
	const [a, b] = first < second ? [first, second] : [second, first]
	const winner: BattleWinner =
		outcome === 'tie' ? 'tie' : (outcome === 'first') === (a === first) ? 'model_a' : 'model_b'
	battles.push({
		model_a: names[a]!,
		model_b: names[b]!,
		winner,
		styleA: styles[prompt]![a]!,
		styleB: styles[prompt]![b]!,
		aFirst: a === first,
	})
	if (battles.length % CHECK_EVERY === 0) {
		const rows = arenaLeaderboard({ battles, bootstrap: 100, seed })
		meanWidth = rows.reduce((s, row) => s + (row.ciHigh - row.ciLow), 0) / rows.length
		const byName = new Map(rows.map((row) => [row.model, row.rating]))
		correlation = spearman(
			truth,
			names.map((name) => byName.get(name) ?? 0),
		)
		if (meanWidth < setup.targetWidth) break
		if (policy === 'active') {
			await refreshProjectAnalytics({ projectId: project.id })
			refreshes++
		}
	}
}
const loopSeconds = seconds(loopStarted)
const pairs = await prisma.arenaPair.findMany({ where: { projectId: project.id }, select: { battles: true } })
await prisma.$disconnect()
if (battlesFile) writeFileSync(battlesFile, JSON.stringify(battles))
process.stdout.write(
	`${JSON.stringify({
		policy,
		seed,
		battles: battles.length,
		reached: meanWidth < setup.targetWidth,
		meanWidth,
		spearman: correlation,
		refreshes,
		pairsSeen: pairs.length,
		leasedBattles: pairs.reduce((s, pair) => s + pair.battles, 0),
		loopSeconds,
		seconds: seconds(started),
	})}\n`,
)
process.exit(0)
