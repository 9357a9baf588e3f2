import { existsSync } from 'node:fs'
import { defineConfig, devices } from '@playwright/test'
import { E2E_APP_PORT } from './tests/e2e/e2e-env.ts'

const systemChromium = '/usr/bin/chromium'

export default defineConfig({
	testDir: './tests/e2e',
	testMatch: '**/*.spec.ts',
	outputDir: process.env.PW_OUTPUT_DIR ?? 'test-results',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	forbidOnly: !!process.env.CI,
	reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
	timeout: 60_000,
	expect: { timeout: 10_000 },
	use: {
		baseURL: `http://localhost:${E2E_APP_PORT}`,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: existsSync(systemChromium)
					? {
							executablePath: systemChromium,
							args: [
								'--no-sandbox',
								'--disable-gpu',
								'--disable-quic',
								'--no-first-run',
								'--disable-background-networking',
								'--disable-component-update',
								'--disable-sync',
							],
						}
					: {},
			},
		},
	],
	webServer: {
		command: 'node --import tsx tests/e2e/server.ts',
		url: `http://localhost:${E2E_APP_PORT}/login`,
		reuseExistingServer: false,
		timeout: 120_000,
		stdout: 'pipe',
		stderr: 'pipe',
	},
})
