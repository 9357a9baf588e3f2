// The annotation workspace in Chromium against the production server: the JavaScript a first visit
// loads (gzipped here body by body, so the figure does not depend on how the server compresses), and
// the time from pressing Enter on a chosen item to the next item being on screen, measured inside
// the page.
import { existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { chromium } from '@playwright/test'
import pg from 'pg'
import { annotatorIds, createFixture, settle } from '../generate.ts'
import { createSessionToken } from '../util/auth.ts'
import { progress } from '../util/log.ts'
import { startAppServer } from '../util/server.ts'
import { median, percentile, round } from '../util/stats.ts'
import type { Scenario } from './types.ts'

const SYSTEM_CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
]

const LABEL = '#context-heading span'

/**
 * In the page: stamps Enter (capture phase) and the first frame after the item label changes.
 * A string, not a function: the TypeScript loader would add helpers the page does not have.
 */
const PROBE = `(() => {
	const probe = { pressedAt: null, shownAt: null, label: null }
	window.__benchProbe = probe
	const current = () => document.querySelector(${JSON.stringify(LABEL)})?.textContent ?? null
	document.addEventListener('keydown', (event) => {
		if (event.key !== 'Enter') return
		probe.pressedAt = performance.now()
		probe.shownAt = null
		probe.label = current()
	}, true)
	new MutationObserver(() => {
		if (probe.pressedAt === null || probe.shownAt !== null) return
		const label = current()
		if (label && label !== probe.label) {
			probe.shownAt = -1
			requestAnimationFrame(() => { probe.shownAt = performance.now() })
		}
	}).observe(document.body, { subtree: true, childList: true, characterData: true })
})()`

type ProbeWindow = { __benchProbe?: { pressedAt: number | null; shownAt: number | null } }

export const page: Scenario = {
	name: 'page',
	description: 'the annotation workspace in Chromium: JavaScript weight and submit → next item',
	async run(context) {
		const submissions = context.quick ? 5 : 25
		const databaseUrl = await context.postgres.createDatabase('page')
		const db = new pg.Client({ connectionString: databaseUrl })
		db.on('error', () => {})
		await db.connect()
		try {
			const fixture = await createFixture(db, { seed: 'page', items: submissions + 20, annotators: 3 })
			await settle(db)
			const [userId] = await annotatorIds(db, fixture)
			const session = await createSessionToken(db, userId!)
			const server = await startAppServer({ databaseUrl })
			const browser = await chromium.launch({
				headless: true,
				...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM, args: CHROMIUM_ARGS } : {}),
			})
			try {
				const browserContext = await browser.newContext({ viewport: { width: 1440, height: 900 } })
				await browserContext.addCookies([
					{ name: 'quorum_session', value: session, url: server.url, httpOnly: true, sameSite: 'Lax' },
				])
				const tab = await browserContext.newPage()
				const scripts = new Map<string, Promise<Buffer | null>>()
				tab.on('response', (response) => {
					const type = response.headers()['content-type'] ?? ''
					if (response.request().resourceType() === 'script' || type.includes('javascript')) {
						scripts.set(
							response.url(),
							response.body().catch(() => null),
						)
					}
				})
				await tab.goto(`${server.url}/projects/${fixture.slug}/annotate`)
				await tab.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 60_000 })
				await tab.waitForLoadState('networkidle')
				await tab.locator(LABEL).waitFor({ timeout: 30_000 })
				const bodies = (await Promise.all(scripts.values())).filter((body): body is Buffer => body !== null)
				const jsRawKb = bodies.reduce((sum, body) => sum + body.length, 0) / 1024
				const jsGzipKb = bodies.reduce((sum, body) => sum + gzipSync(body).length, 0) / 1024
				// The largest script: small ones fall under the server's compression threshold.
				const sizes = await Promise.all(
					[...scripts.entries()].map(async ([url, body]) => ({ url, bytes: (await body)?.length ?? 0 })),
				)
				const largestScript = sizes.sort((a, b) => b.bytes - a.bytes)[0]?.url
				const served = largestScript ? await fetch(largestScript, { headers: { 'Accept-Encoding': 'gzip, br' } }) : null
				await served?.arrayBuffer()
				const transferEncoding = served?.headers.get('content-encoding') ?? null

				await tab.evaluate(PROBE)
				const samples: number[] = []
				const serverMs: number[] = []
				for (let index = 0; index < submissions + 2; index++) {
					const before = await tab.locator(LABEL).textContent()
					await tab.keyboard.press('1')
					await tab.keyboard.press('e')
					const submitted = tab.waitForResponse((response) => response.request().method() === 'POST', {
						timeout: 30_000,
					})
					await tab.keyboard.press('Enter')
					const timing = (await submitted).request().timing()
					// Plain arrow functions: Playwright sends their source, which CSP allows (a string would be eval'd).
					await tab.waitForFunction(
						() => ((window as unknown as ProbeWindow).__benchProbe?.shownAt ?? 0) > 0,
						undefined,
						{ timeout: 30_000, polling: 'raf' },
					)
					const elapsed = await tab.evaluate(() => {
						const probe = (window as unknown as ProbeWindow).__benchProbe!
						return probe.shownAt! - probe.pressedAt!
					})
					const after = await tab.locator(LABEL).textContent()
					if (after === before) throw new Error('the next item did not appear')
					if (index >= 2) {
						samples.push(elapsed)
						// Request sent → first byte of the answer: the server's part, including the next claim.
						serverMs.push(timing.responseStart - timing.requestStart)
					}
				}
				progress(
					`page: ${jsGzipKb.toFixed(1)} KB of JavaScript gzipped (${bodies.length} files), submit → next p50 ${median(samples).toFixed(1)} ms`,
				)
				return {
					jsGzipKb: round(jsGzipKb),
					submitToNextMs: round(median(samples)),
					submitToNextP90Ms: round(percentile(samples, 90)),
					submitServerMs: round(median(serverMs)),
					jsRawKb: round(jsRawKb),
					jsFiles: bodies.length,
					servedContentEncoding: transferEncoding ?? 'none',
					submissions: samples.length,
					browser: `${existsSync(SYSTEM_CHROMIUM) ? 'system ' : ''}Chromium ${browser.version()}`,
				}
			} finally {
				await browser.close()
				await server.stop()
			}
		} finally {
			await db.end().catch(() => {})
			await context.postgres.dropDatabase(databaseUrl).catch(() => {})
		}
	},
}
