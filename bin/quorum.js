#!/usr/bin/env node
// The CLI is TypeScript that shares the app's modules. A production install runs the compiled
// bundle (`npm run build` writes build/entry/cli/index.js), so commands start without a TypeScript
// loader; a development checkout runs the source through tsx, so edits take effect at once.
import { existsSync } from 'node:fs'
import { URL } from 'node:url'

const compiled = new URL('../build/entry/cli/index.js', import.meta.url)

function hasTsx() {
	try {
		import.meta.resolve('tsx/esm/api')
		return true
	} catch {
		return false
	}
}

if (existsSync(compiled) && (process.env.NODE_ENV === 'production' || !hasTsx())) {
	await import(compiled.href)
} else {
	const { register } = await import('tsx/esm/api')
	register()
	await import('../cli/index.ts')
}
