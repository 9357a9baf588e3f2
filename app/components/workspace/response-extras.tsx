import type { WorkspaceProject } from './types.ts'

/** Per-response criteria ratings and flags. */
export function ResponseExtras({
	project,
	responseId,
	label,
	ratings,
	flags,
	onRate,
	onFlag,
}: {
	project: WorkspaceProject
	responseId: string
	label: string
	ratings: Record<string, number>
	flags: string[]
	onRate: (criterion: string, value: number | null) => void
	onFlag: (flag: string, on: boolean) => void
}) {
	if (project.criteria.length === 0 && project.flags.length === 0) return null
	return (
		<div className="space-y-2 text-sm">
			{project.criteria.map((criterion) => {
				const values = Array.from({ length: criterion.max - criterion.min + 1 }, (_, i) => criterion.min + i)
				return (
					<fieldset key={criterion.name} className="flex flex-wrap items-center gap-1">
						<legend className="mr-2 inline text-slate-600" title={criterion.description}>
							{criterion.name}
						</legend>
						{values.map((value) => (
							<label key={value} className="cursor-pointer">
								<input
									type="radio"
									className="peer sr-only"
									name={`${responseId}-${criterion.name}`}
									value={value}
									checked={ratings[criterion.name] === value}
									onChange={() => onRate(criterion.name, value)}
									aria-label={`${criterion.name} ${value} for response ${label}`}
								/>
								<span className="inline-block min-w-7 rounded border border-slate-300 px-1.5 py-0.5 text-center peer-checked:border-indigo-600 peer-checked:bg-indigo-600 peer-checked:text-white peer-focus-visible:ring-2 peer-focus-visible:ring-indigo-300">
									{value}
								</span>
							</label>
						))}
						{ratings[criterion.name] !== undefined ? (
							<button
								type="button"
								className="ml-1 text-xs text-slate-500 underline"
								onClick={() => onRate(criterion.name, null)}
							>
								clear
							</button>
						) : null}
					</fieldset>
				)
			})}
			{project.flags.length ? (
				<fieldset className="flex flex-wrap items-center gap-3">
					<legend className="sr-only">Flags for response {label}</legend>
					{project.flags.map((flag) => (
						<label key={flag} className="flex items-center gap-1 text-slate-700">
							<input
								type="checkbox"
								checked={flags.includes(flag)}
								onChange={(event) => onFlag(flag, event.target.checked)}
							/>
							{flag}
						</label>
					))}
				</fieldset>
			) : null}
		</div>
	)
}
