import type { ResponseView } from './types.ts'

export type DiffPart = { value: string; added?: boolean; removed?: boolean }

function copyFromButton(event: React.MouseEvent<HTMLElement>) {
	const button = (event.target as HTMLElement).closest<HTMLButtonElement>('[data-copy]')
	const code = button?.nextElementSibling?.textContent
	if (!button || code === undefined || code === null) return
	void navigator.clipboard?.writeText(code).then(() => {
		button.textContent = 'Copied'
		setTimeout(() => (button.textContent = 'Copy'), 1500)
	})
}

export function RenderedHtml({ html, className = '' }: { html: string; className?: string }) {
	// The HTML was sanitized on the server (see render-markdown.server.ts); the CSP is a second wall.
	return (
		<div className={`prose-content ${className}`} onClick={copyFromButton} dangerouslySetInnerHTML={{ __html: html }} />
	)
}

export function ResponseCard({
	response,
	highlighted,
	diff,
	side,
	children,
}: {
	response: ResponseView
	highlighted?: boolean
	diff?: DiffPart[] | null
	side?: 'left' | 'right'
	children?: React.ReactNode
}) {
	const headingId = `response-${response.id}-heading`
	return (
		<section
			aria-labelledby={headingId}
			className={`flex min-w-0 flex-col rounded-lg border bg-white shadow-sm ${highlighted ? 'border-indigo-500 ring-2 ring-indigo-200' : 'border-slate-200'}`}
		>
			<header className="flex items-center gap-2 border-b border-slate-100 px-4 py-2">
				<h3 id={headingId} className="font-semibold">
					Response {response.label}
				</h3>
				{response.model ? (
					<span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-600">{response.model}</span>
				) : null}
				<span className="ml-auto text-xs text-slate-500" title="Length of the answer, without its reasoning">
					{response.words.toLocaleString()} words · {response.chars.toLocaleString()} chars
				</span>
			</header>
			{response.reasoningHtml ? (
				<details className="border-b border-slate-100 px-4 py-2 text-sm">
					<summary className="cursor-pointer select-none text-slate-600">Reasoning (hidden by default)</summary>
					<RenderedHtml html={response.reasoningHtml} className="mt-2 text-slate-600" />
				</details>
			) : null}
			<div
				className="max-h-[60vh] min-h-24 overflow-auto px-4 py-3"
				tabIndex={0}
				aria-label={`Content of response ${response.label}`}
			>
				{diff ? (
					<p className="whitespace-pre-wrap break-words font-mono text-sm">
						{diff.map((part, index) =>
							(side === 'left' && part.added) || (side === 'right' && part.removed) ? null : (
								<span
									key={index}
									className={
										part.added
											? 'bg-emerald-100 text-emerald-900'
											: part.removed
												? 'bg-rose-100 text-rose-900 line-through'
												: ''
									}
								>
									{part.value}
								</span>
							),
						)}
					</p>
				) : (
					<RenderedHtml html={response.html} />
				)}
			</div>
			{children ? <div className="border-t border-slate-100 px-4 py-3">{children}</div> : null}
		</section>
	)
}
