import { z } from 'zod'
import type { OverlapMode, TaskType } from '#app/generated/prisma/enums.ts'

const count = (name: string) =>
	z
		.number({ error: `${name} must be a whole number` })
		.int(`${name} must be a whole number`)
		.min(1, `${name} must be at least 1`)
		.max(50, `${name} must be at most 50`)

const FixedPolicySchema = z.object({ mode: z.literal('fixed'), n: count('n') }).strict()
const AdaptivePolicySchema = z
	.object({
		mode: z.literal('adaptive'),
		min: count('min'),
		max: count('max'),
		confidence: z
			.number({ error: 'confidence must be a number' })
			.gt(0.25, 'confidence must be above 0.25 (chance among four outcomes)')
			.lt(1, 'confidence must be below 1'),
	})
	.strict()
	.refine((policy) => policy.min <= policy.max, { path: ['max'], message: 'max must be at least min' })

export type OverlapPolicy =
	{ mode: 'fixed'; n: number } | { mode: 'adaptive'; min: number; max: number; confidence: number }

/**
 * `overlap` in the project settings: a whole number (fixed, as before), `{mode: "fixed", n}`, or
 * `{mode: "adaptive", min, max, confidence}` (ADR 0020). Always parsed to the object form.
 */
export const OverlapPolicySchema = z
	.union([count('overlap'), FixedPolicySchema, AdaptivePolicySchema], {
		error:
			'overlap must be a whole number, {"mode": "fixed", "n"}, or {"mode": "adaptive", "min", "max", "confidence"}',
	})
	.transform((value): OverlapPolicy => (typeof value === 'number' ? { mode: 'fixed', n: value } : value))
	.describe(
		'A whole number (judgments per item), {"mode":"fixed","n":3}, or {"mode":"adaptive","min":2,"max":5,"confidence":0.9}',
	)

export const ADAPTIVE_NEEDS_PAIRWISE = 'Adaptive overlap needs a pairwise project; ranking projects use a fixed overlap'
export const ADAPTIVE_NOT_FOR_COMPARISON =
	'Adaptive overlap is not available for comparison projects: there overlap is the number of battles per prompt, so use a fixed overlap'

/** Why the policy is refused for the task type. */
export const adaptiveRefusal = (taskType: TaskType) =>
	taskType === 'comparison' ? ADAPTIVE_NOT_FOR_COMPARISON : ADAPTIVE_NEEDS_PAIRWISE

/** The columns a policy is stored in: `overlap` is n, or the adaptive minimum. */
export function overlapColumns(policy: OverlapPolicy) {
	return policy.mode === 'fixed'
		? { overlap: policy.n, overlapMode: 'fixed' as const, overlapMax: null, overlapConfidence: null }
		: {
				overlap: policy.min,
				overlapMode: 'adaptive' as const,
				overlapMax: policy.max,
				overlapConfidence: policy.confidence,
			}
}

export function overlapPolicy(project: {
	overlap: number
	overlapMode: OverlapMode
	overlapMax: number | null
	overlapConfidence: number | null
}): OverlapPolicy {
	return project.overlapMode === 'adaptive'
		? {
				mode: 'adaptive',
				min: project.overlap,
				max: project.overlapMax ?? project.overlap,
				confidence: project.overlapConfidence ?? 0.9,
			}
		: { mode: 'fixed', n: project.overlap }
}

export function adaptiveAllowed({ policy, taskType }: { policy: OverlapPolicy; taskType: TaskType }) {
	return policy.mode === 'fixed' || taskType === 'pairwise'
}

/** The most judgments an item can receive under the policy. */
export function overlapCeiling(policy: OverlapPolicy) {
	return policy.mode === 'fixed' ? policy.n : policy.max
}
