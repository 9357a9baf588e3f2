import rehypeHighlight from 'rehype-highlight'
import rehypeKatex from 'rehype-katex'
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize'
import rehypeStringify from 'rehype-stringify'
import remarkGfm from 'remark-gfm'
import remarkMath from 'remark-math'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'

type Node = { type: string; value?: string; children?: Node[]; url?: string; alt?: string | null; tagName?: string; properties?: Record<string, unknown> }

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
							{ type: 'element', tagName: 'button', properties: { type: 'button', className: ['copy-code'], dataCopy: '' }, children: [{ type: 'text', value: 'Copy' }] },
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
		code: [['className', /^language-./, 'math-inline', 'math-display']] as NonNullable<SanitizeSchema['attributes']>[string],
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

export function renderMarkdown(markdown: string): string {
	return String(processor.processSync(markdown))
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
