import type { Prisma } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'

let counter = 0

/** An AI judge: a user of kind model, without a password, so it cannot log in. */
export async function makeJudgeUser({ name }: { name?: string } = {}) {
	counter++
	const suffix = `${counter}-${Math.random().toString(36).slice(2, 8)}`
	return prisma.user.create({
		data: { email: `judge-${suffix}@judges.local`, displayName: name ?? `Judge ${counter}`, roles: [], kind: 'model' },
	})
}

export async function makeJudgeRun({ projectId, judgeUserId }: { projectId: string; judgeUserId: string }) {
	return prisma.judgeRun.create({
		data: { projectId, judgeUserId, status: 'succeeded', planned: true, startedAt: new Date(), finishedAt: new Date() },
	})
}

export type JudgeVerdict = { ranking: string[][]; confidence?: number; rationale?: string; strength?: number }

/**
 * One item judged by an AI judge in both orders, written exactly as a judge run writes it: a
 * judge_calls row per order (order 0 shows the responses in stored order, order 1 reversed), and,
 * from their verdicts, the judge's judgment with its first revision: agreeing verdicts give that
 * ranking; disagreeing ones a tie of everything, marked position-inconsistent. The confidence is
 * the lower of the stated ones. `verdict` gets the keys as shown and answers a ranking of them.
 */
export async function createJudgeJudgment({
	runId,
	judgeUserId,
	itemId,
	verdict,
	createdAt,
}: {
	runId: string
	judgeUserId: string
	itemId: string
	verdict: (shown: string[], order: 0 | 1) => JudgeVerdict
	createdAt?: Date
}) {
	const item = await prisma.item.findUniqueOrThrow({
		where: { id: itemId },
		select: { projectId: true, responses: { select: { key: true }, orderBy: { position: 'asc' } } },
	})
	const keys = item.responses.map((response) => response.key)
	const shown = [keys, [...keys].reverse()] as const
	const verdicts = shown.map((order, i) => verdict([...order], i as 0 | 1))
	for (const [order, answer] of verdicts.entries()) {
		await prisma.judgeCall.create({
			data: {
				runId,
				itemId,
				order,
				displayOrder: [...shown[order]!],
				state: 'done',
				attempts: 1,
				verdict: answer as unknown as Prisma.InputJsonValue,
				raw: JSON.stringify(answer),
				latencyMs: 40,
			},
		})
	}
	const [first, second] = verdicts as [JudgeVerdict, JudgeVerdict]
	const agree = JSON.stringify(first.ranking) === JSON.stringify(second.ranking)
	const ranking = agree ? first.ranking : [keys]
	const stated = verdicts.flatMap((answer) => (answer.confidence === undefined ? [] : [answer.confidence]))
	const judgment = await prisma.judgment.create({
		data: {
			projectId: item.projectId,
			itemId,
			userId: judgeUserId,
			idempotencyKey: `judge:${runId}:${itemId}`,
			displayOrder: [...shown[0]],
			ranking,
			strength: agree && first.strength !== undefined ? first.strength : null,
			source: 'model',
			positionInconsistent: !agree,
			judgeConfidence: stated.length > 0 ? Math.min(...stated) : null,
			judgeRunId: runId,
			...(createdAt ? { createdAt, updatedAt: createdAt } : {}),
		},
	})
	await prisma.judgmentRevision.create({
		data: {
			judgmentId: judgment.id,
			revision: 1,
			userId: judgeUserId,
			ranking,
			strength: judgment.strength,
			idempotencyKey: judgment.idempotencyKey,
		},
	})
	return judgment
}

/** A judge, a finished run, and its judgments of the given items. */
export async function judgeItems({
	projectId,
	itemIds,
	verdict,
	name,
}: {
	projectId: string
	itemIds: string[]
	verdict: (shown: string[], order: 0 | 1, itemIndex: number) => JudgeVerdict
	name?: string
}) {
	const judge = await makeJudgeUser({ name })
	const run = await makeJudgeRun({ projectId, judgeUserId: judge.id })
	for (const [index, itemId] of itemIds.entries())
		await createJudgeJudgment({
			runId: run.id,
			judgeUserId: judge.id,
			itemId,
			verdict: (shown, order) => verdict(shown, order, index),
		})
	return { judge, run }
}
