import rehypeHighlight from 'rehype-highlight'
import rehypeKatex from 'rehype-katex'
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize'
import rehypeStringify from 'rehype-stringify'
import remarkGfm from 'remark-gfm'
import remarkMath from 'remark-math'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'

type Node = {
	type: string
	value?: string
	children?: Node[]
	url?: string
	alt?: string | null
	tagName?: string
	properties?: Record<string, unknown>
}

/**
 * Model output is hostile by assumption. Raw HTML and images are turned into visible text before
 * anything becomes HTML, the sanitizer (GitHub's schema) then drops every unsafe tag, attribute and
 * URL, and only after that do math and code highlighting add their own trusted markup.
 */
function remarkInertHtml() {
	return (tree: Node) => {
		const walk = (node: Node) => {
			if (!node.children) return
			node.children = node.children.map((child) => {
				if (child.type === 'html') return { type: 'text', value: child.value ?? '' }
				if (child.type === 'image') return { type: 'text', value: `![${child.alt ?? ''}](${child.url ?? ''})` }
				walk(child)
				return child
			})
		}
		walk(tree)
	}
}

function rehypeCodeBlocks() {
	return (tree: Node) => {
		const walk = (node: Node) => {
			if (!node.children) return
			node.children = node.children.map((child) => {
				if (child.type === 'element' && child.tagName === 'pre') {
					return {
						type: 'element',
						tagName: 'div',
						properties: { className: ['code-block'] },
						children: [
							{
								type: 'element',
								tagName: 'button',
								properties: { type: 'button', className: ['copy-code'], dataCopy: '' },
								children: [{ type: 'text', value: 'Copy' }],
							},
							child,
						],
					}
				}
				if (child.type === 'element' && child.tagName === 'a') {
					child.properties = { ...child.properties, rel: ['nofollow', 'noopener', 'noreferrer'], target: '_blank' }
				}
				walk(child)
				return child
			})
		}
		walk(tree)
	}
}

const schema: SanitizeSchema = {
	...defaultSchema,
	tagNames: (defaultSchema.tagNames ?? []).filter((tag) => tag !== 'img' && tag !== 'picture' && tag !== 'source'),
	attributes: {
		...defaultSchema.attributes,
		code: [['className', /^language-./, 'math-inline', 'math-display']] as NonNullable<
			SanitizeSchema['attributes']
		>[string],
	},
}

const processor = unified()
	.use(remarkParse)
	.use(remarkGfm)
	.use(remarkMath)
	.use(remarkInertHtml)
	.use(remarkRehype)
	.use(rehypeSanitize, schema)
	.use(rehypeKatex, { throwOnError: false, strict: 'ignore', trust: false, maxSize: 50, maxExpand: 200 } as const)
	.use(rehypeHighlight, { detect: false })
	.use(rehypeCodeBlocks)
	.use(rehypeStringify)

// The parser and the tree walks recurse once per level of nesting: thousands of levels overflow the
// stack or take minutes. No real prompt or answer nests this deep, so such text is shown as it is.
const MAX_NESTING = 64
const MAX_DELIMITER_RUN = 256
const CONTAINER_PREFIX = /^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))*/

function tooNested(markdown: string) {
	if (new RegExp(`[*_~\\[\\]]{${MAX_DELIMITER_RUN},}`).test(markdown)) return true
	for (const line of markdown.split('\n')) {
		const prefix = CONTAINER_PREFIX.exec(line)![0]
		const markers = (prefix.match(/>|[-*+](?=[ \t])|\d{1,9}[.)]/g) ?? []).length
		const indent =
			/^[ \t]*/.exec(line.slice(prefix.length))![0].replace(/\t/g, '    ').length + prefix.replace(/[^ \t]/g, '').length
		if (markers + Math.floor(indent / 2) > MAX_NESTING) return true
	}
	return false
}

function escapeHtml(text: string) {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

function plainText(markdown: string) {
	return `<pre class="plain-text">${escapeHtml(markdown)}</pre>`
}

/** Markdown as safe HTML; text nested too deeply to parse safely is shown as plain text instead. */
export function renderMarkdown(markdown: string): string {
	if (tooNested(markdown)) return plainText(markdown)
	try {
		return String(processor.processSync(markdown))
	} catch (error) {
		if (error instanceof RangeError) return plainText(markdown)
		throw error
	}
}

export type RenderedContent = { html: string; reasoningHtml: string | null; chars: number; words: number }

const THINK = /^\s*<think>([\s\S]*?)(?:<\/think>|$)/i

/** Splits a leading `<think>…</think>` reasoning block from the answer and renders both. */
export function renderModelContent(content: string): RenderedContent {
	const match = THINK.exec(content)
	const answer = match ? content.slice(match[0].length) : content
	const trimmed = answer.trim()
	return {
		html: renderMarkdown(answer),
		reasoningHtml: match ? renderMarkdown(match[1]!.trim()) : null,
		chars: trimmed.length,
		words: trimmed ? trimmed.split(/\s+/).length : 0,
	}
}
