import { z } from 'zod'
import type { RationaleMode, TaskType } from '#app/generated/prisma/enums.ts'
import { judgedAsPair } from '#app/modules/projects/arena-settings.ts'

export const RankingSchema = z
	.array(z.array(z.string().min(1).max(100)).min(1, 'A tier needs at least one response id'), {
		error: 'ranking must be a list of tiers',
	})
	.min(1, 'ranking needs at least one tier')
	.max(9)

export const JudgmentInputSchema = z.object({
	ranking: RankingSchema,
	bothBad: z.boolean().optional().default(false),
	strength: z.number().int('strength must be a whole number').min(0).max(3).nullish(),
	criteria: z.record(z.string(), z.record(z.string(), z.number())).nullish(),
	flags: z.record(z.string(), z.array(z.string().max(40)).max(20)).nullish(),
	rationale: z.string().max(20_000, 'rationale must be at most 20,000 characters').nullish(),
	activeMs: z
		.number()
		.int()
		.min(0)
		.max(24 * 3600_000)
		.nullish(),
	idempotencyKey: z.string({ error: 'idempotencyKey is required' }).min(1).max(200),
})
export type JudgmentInput = z.input<typeof JudgmentInputSchema>
export type ParsedJudgment = z.output<typeof JudgmentInputSchema>

export const EditJudgmentSchema = JudgmentInputSchema.extend({ idempotencyKey: z.string().min(1).max(200).optional() })

export const SkipInputSchema = z.object({ reason: z.string().trim().max(500).optional() })

export type ProjectRules = {
	taskType: TaskType
	useStrength: boolean
	rationale: RationaleMode
	criteria: { name: string; min: number; max: number }[]
	flags: string[]
}

type FieldError = { path: string; message: string }

/**
 * The rules a judgment must satisfy for its project, beyond its shape: every response ranked
 * exactly once, strength where asked, criteria on their scale, the rationale when required.
 */
export function validateJudgmentForProject({
	input,
	rules,
	responseIds,
}: {
	input: Omit<ParsedJudgment, 'idempotencyKey'>
	rules: ProjectRules
	responseIds: string[]
}): FieldError[] {
	const errors: FieldError[] = []
	const known = new Set(responseIds)
	const seen = new Set<string>()
	input.ranking.forEach((tier, t) =>
		tier.forEach((id, i) => {
			if (!known.has(id))
				errors.push({
					path: `ranking[${t}][${i}]`,
					message: `unknown response id "${id}"; expected one of ${responseIds.join(', ')}`,
				})
			else if (seen.has(id))
				errors.push({ path: `ranking[${t}][${i}]`, message: `response "${id}" is ranked more than once` })
			seen.add(id)
		}),
	)
	const missing = responseIds.filter((id) => !seen.has(id))
	if (missing.length > 0)
		errors.push({
			path: 'ranking',
			message: `every response must be ranked exactly once; missing ${missing.join(', ')}`,
		})

	const isTie = input.ranking.length === 1
	if (judgedAsPair(rules.taskType)) {
		if (input.bothBad && !isTie) errors.push({ path: 'bothBad', message: 'bothBad needs both responses in one tier' })
		if (rules.useStrength && !isTie && (input.strength === null || input.strength === undefined)) {
			errors.push({
				path: 'strength',
				message: 'strength is required (0 negligible, 1 slight, 2 clear, 3 significant)',
			})
		}
	} else {
		if (input.bothBad)
			errors.push({ path: 'bothBad', message: 'bothBad applies to pairwise and comparison projects only' })
		if (input.strength !== null && input.strength !== undefined)
			errors.push({ path: 'strength', message: 'strength applies to pairwise and comparison projects only' })
	}
	if (!rules.useStrength && input.strength !== null && input.strength !== undefined && judgedAsPair(rules.taskType)) {
		errors.push({ path: 'strength', message: 'this project does not use strength' })
	}

	const criteria = new Map(rules.criteria.map((criterion) => [criterion.name, criterion]))
	for (const [responseId, ratings] of Object.entries(input.criteria ?? {})) {
		if (!known.has(responseId)) {
			errors.push({ path: `criteria.${responseId}`, message: `unknown response id "${responseId}"` })
			continue
		}
		for (const [name, value] of Object.entries(ratings)) {
			const criterion = criteria.get(name)
			if (!criterion)
				errors.push({
					path: `criteria.${responseId}.${name}`,
					message: `unknown criterion "${name}"${rules.criteria.length ? `; expected one of ${[...criteria.keys()].join(', ')}` : ''}`,
				})
			else if (!Number.isInteger(value) || value < criterion.min || value > criterion.max) {
				errors.push({
					path: `criteria.${responseId}.${name}`,
					message: `must be a whole number from ${criterion.min} to ${criterion.max}`,
				})
			}
		}
	}
	const flags = new Set(rules.flags)
	for (const [responseId, list] of Object.entries(input.flags ?? {})) {
		if (!known.has(responseId)) {
			errors.push({ path: `flags.${responseId}`, message: `unknown response id "${responseId}"` })
			continue
		}
		list.forEach((flag, i) => {
			if (!flags.has(flag))
				errors.push({
					path: `flags.${responseId}[${i}]`,
					message: `unknown flag "${flag}"${rules.flags.length ? `; expected one of ${rules.flags.join(', ')}` : ''}`,
				})
		})
	}

	const rationale = input.rationale?.trim() ?? ''
	if (rules.rationale === 'required' && rationale === '')
		errors.push({ path: 'rationale', message: 'a rationale is required for this project' })
	if (rules.rationale === 'off' && rationale !== '')
		errors.push({ path: 'rationale', message: 'this project does not collect rationales' })
	return errors
}
