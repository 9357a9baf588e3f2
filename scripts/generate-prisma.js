// Generates the Prisma client without Prisma's native schema engine, which `prisma generate`
// never runs but still insists on locating (and would otherwise try to download).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

if (!existsSync('prisma/schema.prisma') || !existsSync('node_modules/prisma')) process.exit(0)
const result = spawnSync('npx', ['prisma', 'generate'], {
	stdio: 'inherit',
	env: {
		...process.env,
		PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true',
		PRISMA_HIDE_UPDATE_MESSAGE: '1',
		CHECKPOINT_DISABLE: '1',
	},
})
process.exit(result.status ?? 1)
