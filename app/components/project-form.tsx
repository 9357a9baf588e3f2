import { useState } from 'react'
import { Form } from 'react-router'
import type { OverlapMode, PairPolicy, RationaleMode, TaskType } from '#app/generated/prisma/enums.ts'
import { DEFAULT_SELF_ID_WORDS, type ArenaSettings } from '#app/modules/projects/arena-settings.ts'
import type { OverlapPolicy } from '#app/modules/projects/overlap-policy.ts'
import type { Criterion } from '#app/modules/projects/project-settings.ts'
import { fieldErrorMap, fieldOf, type FieldError } from '#app/utils/errors.ts'
import { FieldErrors } from './field-errors.tsx'

export type ProjectFormValues = {
	name: string
	slug?: string
	description: string
	taskType: TaskType
	overlap: number
	overlapPolicy: OverlapPolicy
	leaseSeconds: number
	criteria: Criterion[]
	flags: string[]
	useStrength: boolean
	rationale: RationaleMode
	randomizeOrder: boolean
	showModelNames: boolean
	goldRate: number
	pairPolicy: PairPolicy
	arena: ArenaSettings
	generation?: {
		responsesPerItem?: number
		duplicateThreshold: number
		maxRegenerations: number
		truncated: 'serve' | 'regenerate'
	}
}

export const defaultProjectValues: ProjectFormValues = {
	name: '',
	slug: '',
	description: '',
	taskType: 'pairwise',
	overlap: 3,
	overlapPolicy: { mode: 'fixed', n: 3 },
	leaseSeconds: 900,
	criteria: [],
	flags: [],
	useStrength: true,
	rationale: 'optional',
	randomizeOrder: true,
	showModelNames: false,
	goldRate: 0,
	pairPolicy: 'uniform',
	arena: { selfIdWords: [...DEFAULT_SELF_ID_WORDS], includeSelfIdentified: false },
}

/** The fields this form shows errors beside; errors on any other path are listed at the top. */
const FIELDS = new Set([
	'name',
	'slug',
	'description',
	'taskType',
	'overlap',
	'leaseSeconds',
	'goldRate',
	'rationale',
	'criteria',
	'flags',
	'generation',
	'pairPolicy',
	'arena',
])

let rowKey = 0
const nextKey = () => `row-${++rowKey}`

function Errors({ errors, id }: { errors?: string[]; id?: string }) {
	if (!errors?.length) return null
	return (
		<p className="field-error" id={id}>
			{errors.join(' ')}
		</p>
	)
}

function LockNote({ reason }: { reason?: string | null }) {
	if (!reason) return null
	return <p className="mt-1 rounded bg-amber-50 px-2 py-1 text-xs text-amber-900">{reason}</p>
}

/**
 * Every project setting. With `lockReason` set (the project has judgments), the task type is
 * disabled and existing criteria and flags cannot be removed or rescaled; the reason is shown.
 */
export function ProjectForm({
	mode,
	values,
	errors,
	lockReason,
	submitting,
}: {
	mode: 'create' | 'edit'
	values: ProjectFormValues
	errors: readonly FieldError[] | null
	lockReason: string | null
	submitting: boolean
}) {
	const errorsByField = fieldErrorMap(errors)
	const formErrors = errors?.filter((error) => !FIELDS.has(fieldOf(error.path)))
	const [taskType, setTaskType] = useState(values.taskType)
	const [overlapMode, setOverlapMode] = useState<OverlapMode>(values.overlapPolicy.mode)
	const [criteria, setCriteria] = useState(() =>
		values.criteria.map((criterion) => ({ ...criterion, key: nextKey(), existing: true })),
	)
	const [flags, setFlags] = useState(() => values.flags.map((flag) => ({ flag, key: nextKey(), existing: true })))
	const locked = lockReason !== null

	return (
		<Form method="post" className="space-y-6" aria-label={mode === 'create' ? 'New project' : 'Project settings'}>
			<input type="hidden" name="intent" value="save" />
			<input type="hidden" name="criteriaPresent" value="1" />
			<input type="hidden" name="flagsPresent" value="1" />
			<FieldErrors errors={formErrors} className="rounded-md bg-rose-50 p-3 text-sm text-rose-800" />

			<section className="card space-y-4" aria-labelledby="basics-heading">
				<h2 id="basics-heading" className="font-semibold">
					Basics
				</h2>
				<div className="grid gap-4 sm:grid-cols-2">
					<div>
						<label htmlFor="name" className="label">
							Name
						</label>
						<input
							id="name"
							name="name"
							required
							defaultValue={values.name}
							className="input"
							aria-invalid={!!errorsByField.name}
						/>
						<Errors errors={errorsByField.name} />
					</div>
					{mode === 'create' ? (
						<div>
							<label htmlFor="slug" className="label">
								Slug <span className="font-normal text-slate-500">(optional; used in URLs and the API)</span>
							</label>
							<input
								id="slug"
								name="slug"
								defaultValue={values.slug}
								placeholder="derived from the name"
								className="input font-mono"
								aria-invalid={!!errorsByField.slug}
							/>
							<Errors errors={errorsByField.slug} />
						</div>
					) : null}
				</div>
				<div>
					<label htmlFor="description" className="label">
						Description
					</label>
					<textarea id="description" name="description" rows={2} defaultValue={values.description} className="input" />
					<Errors errors={errorsByField.description} />
				</div>
			</section>

			<section className="card space-y-4" aria-labelledby="task-heading">
				<h2 id="task-heading" className="font-semibold">
					Task
				</h2>
				<fieldset disabled={locked} aria-describedby={locked ? 'task-lock' : undefined}>
					<legend className="label">Task type</legend>
					<div className="flex flex-wrap gap-4 text-sm">
						<label className="flex items-center gap-2">
							<input
								type="radio"
								name="taskType"
								value="pairwise"
								checked={taskType === 'pairwise'}
								onChange={() => setTaskType('pairwise')}
							/>
							Pairwise: exactly 2 responses, pick the better one
						</label>
						<label className="flex items-center gap-2">
							<input
								type="radio"
								name="taskType"
								value="ranking"
								checked={taskType === 'ranking'}
								onChange={() => setTaskType('ranking')}
							/>
							Ranking: 2 to 9 responses, full order, ties allowed
						</label>
						<label className="flex items-center gap-2">
							<input
								type="radio"
								name="taskType"
								value="comparison"
								checked={taskType === 'comparison'}
								onChange={() => {
									setTaskType('comparison')
									setOverlapMode('fixed')
								}}
							/>
							Comparison (arena): 2 or more models per prompt, two shown blind per battle
						</label>
					</div>
				</fieldset>
				<div id="task-lock">
					<LockNote reason={lockReason} />
				</div>
				<Errors errors={errorsByField.taskType} />
				<div className="grid gap-4 sm:grid-cols-3">
					<div>
						<label htmlFor="overlap" className="label">
							Overlap{' '}
							<span className="font-normal text-slate-500">
								(
								{taskType === 'comparison'
									? 'battles per prompt'
									: overlapMode === 'adaptive'
										? 'minimum judgments per item'
										: 'judgments per item'}
								)
							</span>
						</label>
						<input
							id="overlap"
							name="overlap"
							type="number"
							min={1}
							max={50}
							required
							defaultValue={values.overlap}
							className="input"
							aria-describedby="overlap-help"
						/>
						<label htmlFor="overlapMode" className="label mt-1">
							Judgment policy
						</label>
						<select
							id="overlapMode"
							name="overlapMode"
							value={overlapMode}
							onChange={(event) => setOverlapMode(event.target.value as OverlapMode)}
							className="input"
						>
							<option value="fixed">Fixed: every item gets this many</option>
							<option value="adaptive" disabled={taskType === 'comparison'}>
								Adaptive (pairwise): stop once the answer is known
							</option>
						</select>
						{overlapMode === 'adaptive' ? (
							<>
								<label htmlFor="overlapMax" className="label mt-1">
									Maximum judgments
								</label>
								<input
									id="overlapMax"
									name="overlapMax"
									type="number"
									min={1}
									max={50}
									required
									defaultValue={values.overlapPolicy.mode === 'adaptive' ? values.overlapPolicy.max : 5}
									className="input"
								/>
								<label htmlFor="overlapConfidence" className="label mt-1">
									Target confidence <span className="font-normal text-slate-500">(0.9 is nine in ten)</span>
								</label>
								<input
									id="overlapConfidence"
									name="overlapConfidence"
									type="number"
									min={0.26}
									max={0.999}
									step={0.001}
									required
									defaultValue={values.overlapPolicy.mode === 'adaptive' ? values.overlapPolicy.confidence : 0.9}
									className="input"
								/>
							</>
						) : null}
						<p id="overlap-help" className="mt-1 text-xs text-slate-500">
							{taskType === 'comparison'
								? 'Each battle shows one annotator two of the prompt’s responses, chosen by the pair policy; a prompt is done after this many battles. Adaptive overlap does not apply.'
								: overlapMode === 'adaptive'
									? 'Overlap is the minimum. After it, an item stays open until the reliability-weighted consensus reaches the target confidence, or it has the maximum.'
									: 'Every item gets this many judgments.'}
						</p>
						<Errors errors={errorsByField.overlap} />
					</div>
					<div>
						<label htmlFor="leaseSeconds" className="label">
							Lease <span className="font-normal text-slate-500">(seconds an item stays reserved)</span>
						</label>
						<input
							id="leaseSeconds"
							name="leaseSeconds"
							type="number"
							min={30}
							max={604800}
							required
							defaultValue={values.leaseSeconds}
							className="input"
						/>
						<Errors errors={errorsByField.leaseSeconds} />
					</div>
					<div>
						<label htmlFor="goldRate" className="label">
							Gold rate <span className="font-normal text-slate-500">(% of assignments)</span>
						</label>
						<input
							id="goldRate"
							name="goldRate"
							type="number"
							min={0}
							max={50}
							step="any"
							required
							defaultValue={Math.round(values.goldRate * 10000) / 100}
							className="input"
						/>
						<Errors errors={errorsByField.goldRate} />
					</div>
				</div>
			</section>

			{taskType === 'comparison' ? (
				<section className="card space-y-4" aria-labelledby="arena-heading">
					<h2 id="arena-heading" className="font-semibold">
						Arena
					</h2>
					<input type="hidden" name="arenaPresent" value="1" />
					<div>
						<label htmlFor="pairPolicy" className="label">
							Pair policy
						</label>
						<select
							id="pairPolicy"
							name="pairPolicy"
							defaultValue={values.pairPolicy}
							className="input"
							aria-describedby="pairPolicy-help"
						>
							<option value="uniform">Uniform: every pair of models equally often</option>
							<option value="active">Active: more battles where the ratings are least certain</option>
						</select>
						<p id="pairPolicy-help" className="mt-1 text-xs text-slate-500">
							Active weights come from the leaderboard and are refreshed with the analytics; every pair keeps a floor,
							so none stops being sampled.
						</p>
						<Errors errors={errorsByField.pairPolicy} />
					</div>
					<div>
						<label htmlFor="selfIdWords" className="label">
							Self-identification words{' '}
							<span className="font-normal text-slate-500">(one per line; case-insensitive, whole words)</span>
						</label>
						<textarea
							id="selfIdWords"
							name="selfIdWords"
							rows={6}
							defaultValue={values.arena.selfIdWords.join('\n')}
							className="input font-mono text-xs"
							aria-describedby="selfIdWords-help"
						/>
						<p id="selfIdWords-help" className="mt-1 text-xs text-slate-500">
							A response containing one of these names its model or vendor, which breaks the blind comparison; it is
							flagged, and its battles are left out of the leaderboard unless included below.
						</p>
						<Errors errors={errorsByField.arena} />
					</div>
					<label className="flex items-start gap-2 text-sm">
						<input
							type="checkbox"
							name="includeSelfIdentified"
							defaultChecked={values.arena.includeSelfIdentified}
							className="mt-1"
						/>
						<span>Count battles with a self-identifying response in the leaderboard</span>
					</label>
					<p className="text-sm text-slate-600">
						Model names are always hidden from annotators in comparison projects.
					</p>
				</section>
			) : null}

			{values.generation ? (
				<section className="card space-y-4" aria-labelledby="generation-heading">
					<h2 id="generation-heading" className="font-semibold">
						Generated responses
					</h2>
					<input type="hidden" name="generationPresent" value="1" />
					<div className="grid gap-4 sm:grid-cols-2">
						{taskType === 'ranking' ? (
							<div>
								<label htmlFor="responsesPerItem" className="label">
									Responses per item{' '}
									<span className="font-normal text-slate-500">(an item waits until it has this many)</span>
								</label>
								<input
									id="responsesPerItem"
									name="responsesPerItem"
									type="number"
									min={2}
									max={9}
									defaultValue={values.generation.responsesPerItem ?? 2}
									className="input"
								/>
							</div>
						) : null}
						<div>
							<label htmlFor="duplicateThreshold" className="label">
								Near-duplicate threshold{' '}
								<span className="font-normal text-slate-500">(character 5-gram similarity, 0.5–1)</span>
							</label>
							<input
								id="duplicateThreshold"
								name="duplicateThreshold"
								type="number"
								min={0.5}
								max={1}
								step="0.01"
								defaultValue={values.generation.duplicateThreshold}
								className="input"
							/>
						</div>
						<div>
							<label htmlFor="maxRegenerations" className="label">
								Regenerations per sample
							</label>
							<input
								id="maxRegenerations"
								name="maxRegenerations"
								type="number"
								min={0}
								max={10}
								defaultValue={values.generation.maxRegenerations}
								className="input"
							/>
						</div>
						<div>
							<label htmlFor="truncated" className="label">
								Answers cut off at max_tokens
							</label>
							<select id="truncated" name="truncated" defaultValue={values.generation.truncated} className="input">
								<option value="serve">Serve them (marked truncated)</option>
								<option value="regenerate">Regenerate them</option>
							</select>
						</div>
					</div>
					<Errors errors={errorsByField.generation} />
				</section>
			) : null}

			<section className="card space-y-4" aria-labelledby="judging-heading">
				<h2 id="judging-heading" className="font-semibold">
					What annotators record
				</h2>
				<div className="grid gap-3 text-sm sm:grid-cols-2">
					<label className="flex items-start gap-2">
						<input type="checkbox" name="useStrength" defaultChecked={values.useStrength} className="mt-1" />
						<span>
							Preference strength{' '}
							<span className="text-slate-500">(pairwise only: negligible, slight, clear, significant)</span>
						</span>
					</label>
					<label className="flex items-start gap-2">
						<input type="checkbox" name="randomizeOrder" defaultChecked={values.randomizeOrder} className="mt-1" />
						<span>
							Randomize response order <span className="text-slate-500">(recommended: removes position bias)</span>
						</span>
					</label>
					<label className="flex items-start gap-2">
						<input
							type="checkbox"
							name="showModelNames"
							defaultChecked={values.showModelNames}
							disabled={taskType === 'comparison'}
							className="mt-1"
						/>
						<span>
							Show model names to annotators <span className="text-slate-500">(off keeps judgments blind)</span>
						</span>
					</label>
					<div>
						<label htmlFor="rationale" className="label">
							Rationale
						</label>
						<select id="rationale" name="rationale" defaultValue={values.rationale} className="input">
							<option value="off">Off</option>
							<option value="optional">Optional</option>
							<option value="required">Required</option>
						</select>
						<Errors errors={errorsByField.rationale} />
					</div>
				</div>

				<fieldset className="space-y-2">
					<legend className="label">Criteria rated per response</legend>
					{criteria.length === 0 ? (
						<p className="text-sm text-slate-500">No criteria: annotators only compare the responses.</p>
					) : null}
					{criteria.map((criterion, index) => {
						const rowLocked = locked && criterion.existing
						return (
							<div
								key={criterion.key}
								className="grid grid-cols-[1fr_2fr_5rem_5rem_auto] items-end gap-2"
								role="group"
								aria-label={`Criterion ${index + 1}`}
							>
								<label className="text-xs text-slate-600">
									Name
									<input
										name="criterionName"
										defaultValue={criterion.name}
										readOnly={rowLocked}
										className="input read-only:bg-slate-100 read-only:text-slate-500"
									/>
								</label>
								<label className="text-xs text-slate-600">
									Description
									<input name="criterionDescription" defaultValue={criterion.description} className="input" />
								</label>
								<label className="text-xs text-slate-600">
									Min
									<input
										name="criterionMin"
										type="number"
										defaultValue={criterion.min}
										readOnly={rowLocked}
										className="input read-only:bg-slate-100 read-only:text-slate-500"
									/>
								</label>
								<label className="text-xs text-slate-600">
									Max
									<input
										name="criterionMax"
										type="number"
										defaultValue={criterion.max}
										readOnly={rowLocked}
										className="input read-only:bg-slate-100 read-only:text-slate-500"
									/>
								</label>
								<button
									type="button"
									className="btn-secondary"
									disabled={rowLocked}
									title={rowLocked ? (lockReason ?? undefined) : undefined}
									aria-label={`Remove criterion ${index + 1}`}
									onClick={() => setCriteria((rows) => rows.filter((row) => row.key !== criterion.key))}
								>
									Remove
								</button>
							</div>
						)
					})}
					<button
						type="button"
						className="btn-secondary"
						onClick={() =>
							setCriteria((rows) => [
								...rows,
								{ name: '', description: '', min: 1, max: 5, key: nextKey(), existing: false },
							])
						}
					>
						Add criterion
					</button>
					{locked && criteria.some((row) => row.existing) ? (
						<LockNote reason={`Existing criteria cannot be removed or rescaled. ${lockReason}`} />
					) : null}
					<Errors errors={errorsByField.criteria} />
				</fieldset>

				<fieldset className="space-y-2">
					<legend className="label">Flags per response</legend>
					{flags.length === 0 ? (
						<p className="text-sm text-slate-500">
							No flags. Common ones: hallucination, unsafe, refusal, broken code.
						</p>
					) : null}
					<div className="flex flex-wrap gap-2">
						{flags.map((row, index) => {
							const rowLocked = locked && row.existing
							return (
								<div key={row.key} className="flex items-center gap-1">
									<input
										name="flag"
										aria-label={`Flag ${index + 1}`}
										defaultValue={row.flag}
										readOnly={rowLocked}
										className="input w-40 read-only:bg-slate-100 read-only:text-slate-500"
									/>
									<button
										type="button"
										className="btn-secondary px-2"
										disabled={rowLocked}
										title={rowLocked ? (lockReason ?? undefined) : undefined}
										aria-label={`Remove flag ${index + 1}`}
										onClick={() => setFlags((rows) => rows.filter((other) => other.key !== row.key))}
									>
										×
									</button>
								</div>
							)
						})}
					</div>
					<button
						type="button"
						className="btn-secondary"
						onClick={() => setFlags((rows) => [...rows, { flag: '', key: nextKey(), existing: false }])}
					>
						Add flag
					</button>
					{locked && flags.some((row) => row.existing) ? (
						<LockNote reason={`Existing flags cannot be removed. ${lockReason}`} />
					) : null}
					<Errors errors={errorsByField.flags} />
				</fieldset>
			</section>

			<div className="flex justify-end">
				<button type="submit" className="btn-primary" disabled={submitting}>
					{mode === 'create' ? 'Create project' : 'Save settings'}
				</button>
			</div>
		</Form>
	)
}
