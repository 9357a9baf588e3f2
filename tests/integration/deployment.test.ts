import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'
import { parse } from 'yaml'
import { paths } from '#app/modules/api/openapi.ts'
import { EnvSchema } from '#app/utils/env.server.ts'

test('docker-compose.yml defines postgres with a volume and healthcheck, app and worker', () => {
	const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
		services: Record<
			string,
			{
				image?: string
				build?: string
				command?: string[]
				healthcheck?: unknown
				volumes?: string[]
				environment?: Record<string, string>
				depends_on?: Record<string, { condition: string }>
			}
		>
		volumes: Record<string, unknown>
	}
	const { postgres, app, worker } = compose.services
	expect(postgres?.image).toMatch(/^postgres:/)
	expect(postgres?.healthcheck).toBeTruthy()
	expect(postgres?.volumes?.[0]?.split(':')[0]).toBeDefined()
	expect(Object.keys(compose.volumes)).toContain(postgres!.volumes![0]!.split(':')[0])
	expect(app?.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/.*@postgres:5432\//)
	expect(app?.depends_on?.postgres?.condition).toBe('service_healthy')
	expect(app?.command).toEqual(['npm', 'start'])
	expect(JSON.stringify(app?.healthcheck)).toContain('/readyz')
	expect(worker?.depends_on?.app?.condition).toBe('service_healthy')
	expect(worker?.command).toEqual(['npm', 'run', 'worker'])
	expect(worker?.environment?.DATABASE_URL).toBe(app?.environment?.DATABASE_URL)
	for (const name of Object.keys(app!.environment!)) expect(Object.keys(EnvSchema.shape), name).toContain(name)
})

test('every environment variable is documented in the README', () => {
	const readme = readFileSync('README.md', 'utf8')
	for (const name of Object.keys(EnvSchema.shape)) {
		if (name === 'NODE_ENV') continue
		expect(readme, `README documents ${name}`).toContain(`\`${name}\``)
	}
})

test('every API route has a path in the OpenAPI document', () => {
	const routes = readFileSync('app/routes.ts', 'utf8')
	const apiPaths = [...routes.matchAll(/route\('api\/v1\/([^']+)'/g)].map((match) => match[1]!)
	for (const apiPath of apiPaths) {
		if (apiPath === '*' || apiPath === 'openapi.json') continue
		const openApiPath = '/' + apiPath.replace(/:(\w+)/g, '{$1}')
		expect(Object.keys(paths), `OpenAPI documents /api/v1${openApiPath}`).toContain(openApiPath)
	}
	expect(readdirSync(path.resolve('app/routes/api')).length).toBeGreaterThan(0)
})
