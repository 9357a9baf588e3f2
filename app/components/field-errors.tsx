import type { FieldError } from '#app/utils/errors.ts'

/**
 * Errors that belong to no single input (form-level, or a list such as an API's answer), each
 * with the field it names: `criteria[1].name: must not be empty`. Nothing when there are none.
 */
export function FieldErrors({
	errors,
	id,
	className = 'field-error',
}: {
	errors: readonly FieldError[] | null | undefined
	id?: string
	className?: string
}) {
	if (!errors?.length) return null
	return (
		<ul role="alert" id={id} className={`space-y-0.5 ${className}`}>
			{errors.map((error, index) => (
				<li key={`${index}-${error.path}`}>
					{error.path ? <span className="font-mono">{error.path}</span> : null}
					{error.path ? ': ' : null}
					{error.message}
				</li>
			))}
		</ul>
	)
}
