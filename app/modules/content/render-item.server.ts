import type { StoredItemContext } from '#app/modules/projects/json-columns.ts'
import { sql } from '#app/utils/db.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { renderMarkdown, renderModelContent, type RenderedContent } from './render-markdown.server.ts'

/**
 * The renderer's version. Bump it whenever the HTML that renderMarkdown or renderModelContent
 * produces changes: items rendered by an older version are rendered again when next shown, or all
 * at once by `quorum rerender`.
 */
export const RENDER_VERSION = 1

export type ContextView =
	{ kind: 'prompt'; html: string } | { kind: 'messages'; messages: { role: string; html: string }[] }

/** An item's HTML as `items.rendered` stores it: the context, and each response by its key. */
export type RenderedItem = { version: number; context: ContextView; responses: Record<string, RenderedContent> }

export function renderItem({
	context,
	responses,
}: {
	context: StoredItemContext
	responses: { key: string; content: string }[]
}): RenderedItem {
	return {
		version: RENDER_VERSION,
		context:
			'messages' in context
				? {
						kind: 'messages',
						messages: context.messages.map((m) => ({ role: m.role, html: renderMarkdown(m.content) })),
					}
				: { kind: 'prompt', html: renderMarkdown(context.prompt) },
		responses: Object.fromEntries(responses.map((response) => [response.key, renderModelContent(response.content)])),
	}
}

/** The stored HTML when the current renderer made it, else null. */
export function currentRendering(stored: unknown): RenderedItem | null {
	if (!stored || typeof stored !== 'object') return null
	const rendered = stored as Partial<RenderedItem>
	return rendered.version === RENDER_VERSION && rendered.context && rendered.responses
		? (rendered as RenderedItem)
		: null
}

export const storeRenderingQuery = ({ itemId, rendered }: { itemId: string; rendered: RenderedItem }) => ({
	name: 'quorum_store_rendering',
	text: 'UPDATE items SET rendered = $2 WHERE id = $1::uuid',
	values: [itemId, JSON.stringify(rendered)],
})

/** Stores an item's HTML without making the caller wait: the next claim of the item reads it. */
export function storeRenderingLater({ itemId, rendered }: { itemId: string; rendered: RenderedItem }) {
	sql(storeRenderingQuery({ itemId, rendered })).catch((error: unknown) =>
		logger.warn('storing rendered item failed', { itemId, error: String(error) }),
	)
}
