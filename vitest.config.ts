import { defineConfig } from 'vitest/config'

export default defineConfig({
	test: {
		include: ['{app,exports,prisma,workers,cli,server,tests/integration}/**/*.test.ts'],
		globalSetup: ['./tests/setup/global-setup.ts'],
		setupFiles: ['./tests/setup/setup-test-env.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
	},
})
