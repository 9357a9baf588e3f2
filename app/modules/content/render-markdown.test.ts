import { describe, expect, test } from 'vitest'
import { renderMarkdown, renderModelContent } from './render-markdown.server.ts'

describe('renderMarkdown', () => {
	test('renders GFM tables, highlighted code with a copy button, and math', () => {
		const html = renderMarkdown(
			'| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint("hi")\n```\n\nEuler: $e^{i\\pi}+1=0$\n\n$$\n\\int_0^1 x\\,dx\n$$',
		)
		expect(html).toContain('<table>')
		expect(html).toContain('<td>1</td>')
		expect(html).toMatch(/<code class="hljs language-python">/)
		expect(html).toContain('class="copy-code"')
		expect(html).toContain('class="katex"')
		expect(html).toContain('katex-display')
	})

	test('hostile HTML shows as inert text', () => {
		const hostile = [
			"<script>alert('xss')</script>",
			'<img src=x onerror="alert(1)">',
			'[click me](javascript:alert(1))',
			'<iframe src="https://example.com"></iframe>',
			'<a href="#" onclick="steal()">link</a>',
			'<style>body{display:none}</style>',
			'![tracker](https://evil.example/pixel.png)',
		].join('\n\n')
		const html = renderMarkdown(hostile)
		expect(html).not.toMatch(/<(script|iframe|img|style)\b/i)
		expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i)
		expect(html).not.toMatch(/href="javascript:/i)
		expect(html).toContain("&#x3C;script>alert('xss')&#x3C;/script>")
		expect(html).toContain('&#x3C;iframe')
		expect(html).toContain('click me')
		expect(html).toContain('![tracker](https://evil.example/pixel.png)')
	})

	test('links open safely', () => {
		expect(renderMarkdown('[docs](https://example.com)')).toContain(
			'rel="nofollow noopener noreferrer" target="_blank"',
		)
	})
})

describe('renderModelContent', () => {
	test('separates a leading think block and measures the answer', () => {
		const rendered = renderModelContent('<think>First, consider **x**.</think>\n\nThe answer is 42.')
		expect(rendered.reasoningHtml).toContain('<strong>x</strong>')
		expect(rendered.html).toContain('The answer is 42.')
		expect(rendered.html).not.toContain('consider')
		expect(rendered.words).toBe(4)
	})

	test('an unclosed think block is all reasoning', () => {
		const rendered = renderModelContent('<think>still thinking')
		expect(rendered.reasoningHtml).toContain('still thinking')
		expect(rendered.chars).toBe(0)
	})
})

describe('deeply nested markdown', () => {
	test.each([
		['block quotes', `${'>'.repeat(20_000)} deep <b>x</b>`],
		['emphasis', `<b>x</b> ${'*'.repeat(5000)}a${'*'.repeat(5000)}`],
		['indented lists', Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i * 2)}- level <i>${i}</i>`).join('\n')],
	])('%s render as escaped plain text instead of failing or hanging', (_name, markdown) => {
		const html = renderModelContent(markdown).html
		expect(html.startsWith('<pre class="plain-text">')).toBe(true)
		expect(html).not.toMatch(/<(b|i)>/)
		expect(html).toContain('&#60;')
	})

	test('ordinary nesting still renders as markdown', () => {
		const html = renderMarkdown('> quoted\n> > twice\n\n- a\n  - b\n    - c **bold**')
		expect(html).toContain('<blockquote>')
		expect(html.match(/<ul>/g)).toHaveLength(3)
		expect(html).toContain('<strong>bold</strong>')
	})
})
