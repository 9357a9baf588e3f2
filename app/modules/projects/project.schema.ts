import { z } from 'zod'
import { MemberRole, PairPolicy, ProjectStatus, RationaleMode, TaskType } from '#app/generated/prisma/enums.ts'
import { PageSchema, pageSizeSchema } from '#app/utils/pagination.ts'
import { GenerationSettingsSchema } from '#app/modules/generations/generation.schema.ts'
import { JudgingSettingsSchema } from '#app/modules/judging/judging.schema.ts'
import { ArenaSettingsSchema } from './arena-settings.ts'
import { adaptiveAllowed, adaptiveRefusal, OverlapPolicySchema } from './overlap-policy.ts'

export const SlugSchema = z
	.string()
	.trim()
	.min(2, 'Slug must be at least 2 characters')
	.max(64, 'Slug must be at most 64 characters')
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Slug may contain lowercase letters, digits and single hyphens')

export const CriterionSchema = z
	.object({
		name: z
			.string()
			.trim()
			.min(1, 'Criterion name is required')
			.max(50)
			.regex(/^[\w -]+$/, 'Use letters, digits, spaces, - and _'),
		description: z.string().trim().max(500).default(''),
		min: z.number().int().min(-100).max(100).default(1),
		max: z.number().int().min(-100).max(100).default(5),
	})
	.refine((criterion) => criterion.min < criterion.max, { path: ['max'], message: 'max must be greater than min' })

const uniqueBy =
	<T>(key: (value: T) => string, what: string) =>
	(values: T[], ctx: z.RefinementCtx) => {
		const seen = new Set<string>()
		values.forEach((value, index) => {
			const k = key(value).toLowerCase()
			if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [index], message: `Duplicate ${what} "${key(value)}"` })
			seen.add(k)
		})
	}

export const CriteriaSchema = z
	.array(CriterionSchema)
	.max(20, 'At most 20 criteria')
	.superRefine(uniqueBy((c) => c.name, 'criterion'))
export const FlagsSchema = z
	.array(
		z
			.string()
			.trim()
			.min(1, 'A flag needs a name')
			.max(40)
			.regex(/^[\w -]+$/, 'Use letters, digits, spaces, - and _'),
	)
	.max(20, 'At most 20 flags')
	.superRefine(uniqueBy((flag) => flag, 'flag'))

export const TaskTypeSchema = z
	.enum(TaskType, { error: 'taskType must be "pairwise", "ranking" or "comparison"' })
	.describe(
		'pairwise: exactly 2 responses; ranking: 2 to 9, ties allowed; comparison: an arena, 2 or more responses from different models, two shown per battle',
	)
export const PairPolicySchema = z
	.enum(PairPolicy, { error: 'pairPolicy must be "uniform" or "active"' })
	.describe(
		'Comparison projects: uniform shows every pair of models equally often; active favours the pairs whose rating difference is most uncertain',
	)
export const ProjectStatusSchema = z.enum(ProjectStatus)
export const RationaleModeSchema = z.enum(RationaleMode)

const settings = {
	name: z.string({ error: 'Name is required' }).trim().min(1, 'Name is required').max(200),
	description: z.string().trim().max(5000),
	overlap: OverlapPolicySchema,
	leaseSeconds: z
		.number()
		.int()
		.min(30, 'leaseSeconds must be at least 30')
		.max(7 * 24 * 3600),
	criteria: CriteriaSchema,
	flags: FlagsSchema,
	useStrength: z.boolean().describe('Pairwise strength: negligible, slight, clear, significant'),
	rationale: RationaleModeSchema,
	randomizeOrder: z.boolean(),
	showModelNames: z.boolean(),
	goldRate: z.number().min(0).max(0.5, 'goldRate must be between 0 and 0.5'),
	/** How generated responses are judged fit to serve: K for ranking, near-duplicates, truncation. */
	generation: GenerationSettingsSchema,
	pairPolicy: PairPolicySchema,
	/** Comparison projects: the self-identification word list and whether such battles count. */
	arena: ArenaSettingsSchema,
	/** AI judges: hybrid routing (fixed overlap only; adaptive projects ignore it). */
	judging: JudgingSettingsSchema,
}

export const CreateProjectSchema = z
	.object({
		...settings,
		slug: SlugSchema.optional().describe('Lowercase letters, digits and hyphens; derived from the name when left out'),
		taskType: TaskTypeSchema,
		description: settings.description.default(''),
		overlap: settings.overlap.prefault(3),
		leaseSeconds: settings.leaseSeconds.default(900),
		criteria: settings.criteria.default([]),
		flags: settings.flags.default([]),
		useStrength: settings.useStrength.default(true),
		rationale: settings.rationale.default('optional'),
		randomizeOrder: settings.randomizeOrder.default(true),
		showModelNames: settings.showModelNames.default(false),
		goldRate: settings.goldRate.default(0),
		generation: settings.generation.optional(),
		pairPolicy: settings.pairPolicy.default('uniform'),
		arena: settings.arena.default({}),
		judging: settings.judging.optional(),
		status: ProjectStatusSchema.default('draft'),
		guidelines: z.string().max(200_000).optional().describe('Markdown; becomes guideline version 1'),
	})
	.superRefine((project, ctx) => {
		if (!adaptiveAllowed({ policy: project.overlap, taskType: project.taskType }))
			ctx.addIssue({ code: 'custom', path: ['overlap'], message: adaptiveRefusal(project.taskType) })
	})
export type CreateProjectInput = z.input<typeof CreateProjectSchema>

export const UpdateProjectSchema = z
	.object({ ...settings, taskType: TaskTypeSchema, status: ProjectStatusSchema })
	.partial()
	.strict()
export type UpdateProjectInput = z.infer<typeof UpdateProjectSchema>

export function slugify(name: string) {
	return (
		name
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 56) || 'project'
	)
}

export const MemberRoleSchema = z.enum(MemberRole, { error: 'role must be "annotator" or "reviewer"' })
export const MemberInputSchema = z.object({
	email: z.string({ error: 'email is required' }).trim().toLowerCase().email('email must be an email address'),
	role: MemberRoleSchema,
})
export type MemberInput = z.infer<typeof MemberInputSchema>

export const GuidelinesInputSchema = z.object({
	content: z.string({ error: 'content is required' }).max(200_000, 'Guidelines must be at most 200,000 characters'),
})

export const ProjectListQuerySchema = z.object({
	q: z.string().trim().max(200).optional().describe('Part of the name or slug'),
	status: ProjectStatusSchema.optional().describe('Archived projects are listed only when asked for'),
	taskType: TaskTypeSchema.optional(),
	sort: z
		.enum(['name', 'status', 'taskType', 'itemCount', 'judgmentCount', 'completion', 'createdAt'])
		.default('createdAt'),
	dir: z.enum(['asc', 'desc']).default('desc'),
	page: PageSchema,
	pageSize: pageSizeSchema(200),
})
export type ProjectListQuery = z.infer<typeof ProjectListQuerySchema>

export const ITEM_STATUSES = ['waiting', 'open', 'in-progress', 'complete', 'gold'] as const
export const ItemListQuerySchema = z.object({
	q: z.string().trim().max(256).optional(),
	status: z.enum(ITEM_STATUSES, { error: `status must be one of: ${ITEM_STATUSES.join(', ')}` }).optional(),
	sort: z.enum(['externalId', 'judgmentCount', 'createdAt', 'seq']).default('seq'),
	dir: z.enum(['asc', 'desc']).default('asc'),
	page: PageSchema,
	pageSize: pageSizeSchema(200),
})
export type ItemListQuery = z.infer<typeof ItemListQuerySchema>

export const ItemCursorQuerySchema = z.object({
	cursor: z.string().max(100).optional().describe('nextCursor of the previous page'),
	limit: z.coerce.number().int().min(1).max(1000).default(100),
	status: ItemListQuerySchema.shape.status,
})

export const AnnotatorListQuerySchema = z.object({
	sort: z.enum(['email', 'displayName', 'judged', 'skipped', 'medianActiveMs', 'lastActiveAt']).default('judged'),
	dir: z.enum(['asc', 'desc']).default('desc'),
	page: PageSchema,
	pageSize: pageSizeSchema(200),
})
export type AnnotatorListQuery = z.infer<typeof AnnotatorListQuerySchema>
