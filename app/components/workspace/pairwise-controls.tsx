import { CHOICES, STRENGTHS, type Selection } from './types.ts'

/** The pairwise judgment: which response is better, by how much, and the word-difference toggle. */
export function PairwiseControls({
	selection,
	askStrength,
	onChange,
	diffShown,
	onToggleDiff,
}: {
	selection: Pick<Selection, 'choice' | 'strength'>
	askStrength: boolean
	onChange: (change: Partial<Selection>) => void
	diffShown: boolean
	onToggleDiff: () => void
}) {
	return (
		<>
			<fieldset>
				<legend className="label">Which response is better?</legend>
				<div className="grid grid-cols-2 gap-2">
					{CHOICES.map((choice) => (
						<label key={choice.value} className="cursor-pointer">
							<input
								type="radio"
								name="choice"
								className="peer sr-only"
								checked={selection.choice === choice.value}
								onChange={() => onChange({ choice: choice.value })}
							/>
							<span className="flex items-center justify-between rounded-md border border-slate-300 px-3 py-2 text-sm peer-checked:border-indigo-600 peer-checked:bg-indigo-600 peer-checked:text-white peer-focus-visible:ring-2 peer-focus-visible:ring-indigo-300">
								{choice.label} <kbd className="kbd">{choice.key}</kbd>
							</span>
						</label>
					))}
				</div>
			</fieldset>
			{askStrength && (selection.choice === 'A' || selection.choice === 'B') ? (
				<fieldset>
					<legend className="label">How much better?</legend>
					<div className="grid grid-cols-2 gap-2">
						{STRENGTHS.map((strength) => (
							<label key={strength.value} className="cursor-pointer">
								<input
									type="radio"
									name="strength"
									className="peer sr-only"
									checked={selection.strength === strength.value}
									onChange={() => onChange({ strength: strength.value })}
								/>
								<span className="flex items-center justify-between rounded-md border border-slate-300 px-3 py-1.5 text-sm peer-checked:border-indigo-600 peer-checked:bg-indigo-50 peer-focus-visible:ring-2 peer-focus-visible:ring-indigo-300">
									{strength.label} <kbd className="kbd">{strength.key.toUpperCase()}</kbd>
								</span>
							</label>
						))}
					</div>
				</fieldset>
			) : null}
			<button type="button" className="btn-secondary w-full" onClick={onToggleDiff} aria-pressed={diffShown}>
				{diffShown ? 'Hide word differences' : 'Highlight word differences'} <kbd className="kbd">D</kbd>
			</button>
		</>
	)
}
