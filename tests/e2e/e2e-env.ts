import path from 'node:path'

export const E2E_APP_PORT = Number(process.env.E2E_APP_PORT ?? 3210)
export const E2E_PG_PORT = Number(process.env.E2E_PG_PORT ?? 54330)
export const E2E_DATABASE = `quorum_e2e_${E2E_APP_PORT}`
export const E2E_PG_DATA_DIR = path.resolve(`data/e2e-postgres-${E2E_PG_PORT}`)
export const E2E_URL_FILE = path.resolve(`data/e2e-database-url-${E2E_APP_PORT}`)

export function withDatabaseName(connectionString: string, database: string) {
	const url = new URL(connectionString)
	url.pathname = `/${database}`
	return url.toString()
}
