// Compiles the production server entry (server/index.ts) into <build>/entry/server.js and the CLI
// (cli/index.ts) into build/entry/cli/index.js, ES modules with packages left in node_modules,
// as scripts/build-worker.js does for the worker: production runs compiled JavaScript, without
// the TypeScript loader's start-up time, memory and extra thread.
import { build } from 'esbuild'

const options = {
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
}

await Promise.all([
	build({
		...options,
		entryPoints: ['server/index.ts'],
		outfile: `${process.env.QUORUM_BUILD_DIR ?? 'build'}/entry/server.js`,
	}),
	// Split at the CLI's dynamic imports, so that a command loads only the packages it uses.
	build({
		...options,
		entryPoints: { index: 'cli/index.ts' },
		outdir: 'build/entry/cli',
		splitting: true,
		chunkNames: 'chunks/[name]-[hash]',
	}),
])
