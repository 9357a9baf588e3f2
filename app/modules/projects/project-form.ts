const text = (form: FormData, name: string) => {
	const value = form.get(name)
	return typeof value === 'string' ? value : undefined
}

const number = (form: FormData, name: string) => {
	const value = text(form, name)
	if (value === undefined) return undefined
	return value.trim() === '' ? null : Number(value)
}

/**
 * The project settings form as the input object the schemas expect. Criteria come as parallel
 * `criterionName`/`criterionDescription`/`criterionMin`/`criterionMax` fields, flags as repeated
 * `flag` fields, and the gold rate as a percentage. Fields missing from the form (a disabled,
 * locked control) are left out, which means "unchanged" to an update.
 */
export function projectInputFromForm(form: FormData) {
	const names = form.getAll('criterionName').map(String)
	const descriptions = form.getAll('criterionDescription').map(String)
	const mins = form.getAll('criterionMin').map(String)
	const maxes = form.getAll('criterionMax').map(String)
	const criteria = names
		.map((name, i) => ({
			name,
			description: descriptions[i] ?? '',
			min: Number(mins[i] || 1),
			max: Number(maxes[i] || 5),
		}))
		.filter((criterion) => criterion.name.trim() !== '' || criterion.description.trim() !== '')
	const goldPercent = number(form, 'goldRate')
	const overlap = number(form, 'overlap')
	const adaptive = text(form, 'overlapMode') === 'adaptive'
	const input: Record<string, unknown> = {
		name: text(form, 'name'),
		description: text(form, 'description'),
		taskType: text(form, 'taskType'),
		overlap: adaptive
			? {
					mode: 'adaptive',
					min: overlap,
					max: number(form, 'overlapMax'),
					confidence: number(form, 'overlapConfidence'),
				}
			: overlap,
		leaseSeconds: number(form, 'leaseSeconds'),
		goldRate: goldPercent === undefined || goldPercent === null ? goldPercent : goldPercent / 100,
		rationale: text(form, 'rationale'),
		useStrength: form.has('useStrength'),
		randomizeOrder: form.has('randomizeOrder'),
		showModelNames: form.has('showModelNames'),
	}
	if (form.has('pairPolicy')) input.pairPolicy = text(form, 'pairPolicy')
	if (form.has('arenaPresent')) {
		input.arena = {
			selfIdWords: (text(form, 'selfIdWords') ?? '')
				.split('\n')
				.map((word) => word.trim())
				.filter((word) => word !== ''),
			includeSelfIdentified: form.has('includeSelfIdentified'),
		}
	}
	if (form.has('criteriaPresent')) input.criteria = criteria
	if (form.has('generationPresent')) {
		const perItem = number(form, 'responsesPerItem')
		input.generation = {
			...(perItem !== undefined && perItem !== null ? { responsesPerItem: perItem } : {}),
			duplicateThreshold: number(form, 'duplicateThreshold') ?? undefined,
			maxRegenerations: number(form, 'maxRegenerations') ?? undefined,
			truncated: text(form, 'truncated'),
		}
	}
	if (form.has('flagsPresent'))
		input.flags = form
			.getAll('flag')
			.map(String)
			.filter((flag) => flag.trim() !== '')
	const slug = text(form, 'slug')
	if (slug !== undefined && slug.trim() !== '') input.slug = slug
	for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key]
	return input
}
