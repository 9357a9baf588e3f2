// Compiles the worker (workers/index.ts and everything it imports from app/, exports/ and prisma/)
// into one ES module, build/worker/index.js, with packages left in node_modules. Running compiled
// JavaScript keeps the TypeScript loader and its extra thread out of the worker's memory.
// `--if-stale` rebuilds only when a source file is newer than the bundle (`npm run worker`).
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'

const outfile = 'build/worker/index.js'
const sources = ['workers', 'app', 'exports', 'prisma', 'server', 'package.json']

async function newestSource() {
	let newest = 0
	for (const source of sources) {
		const info = await stat(source).catch(() => null)
		if (!info) continue
		if (!info.isDirectory()) newest = Math.max(newest, info.mtimeMs)
		else {
			for (const entry of await readdir(source, { recursive: true, withFileTypes: true })) {
				if (entry.isFile()) newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs)
			}
		}
	}
	return newest
}

if (process.argv.includes('--if-stale')) {
	const bundle = await stat(outfile).catch(() => null)
	if (bundle && bundle.mtimeMs >= (await newestSource())) process.exit(0)
}

// Imported only when building: a production install has no esbuild, and a fresh bundle needs none.
const { build } = await import('esbuild')

await build({
	entryPoints: ['workers/index.ts'],
	outfile,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	sourcemap: 'linked',
	logLevel: 'warning',
	// Bundled CommonJS helpers call require(); an ES module has to make its own.
	banner: {
		js: "import { createRequire as __quorumCreateRequire } from 'node:module'; const require = __quorumCreateRequire(import.meta.url);",
	},
})
