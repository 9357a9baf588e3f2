export const DEMO_DATA_DIR = 'data/demo'

/**
 * The demo's settings: its own data directory and embedded database, so its accounts (with a
 * published password) never share a database with `npm start`; and only this machine can reach it
 * unless HOST says otherwise.
 */
export function demoEnvironment(source: Record<string, string | undefined>) {
	const env = { ...source }
	const notes: string[] = []
	if (env.DATABASE_URL) notes.push('npm run demo uses its own embedded database; DATABASE_URL is ignored.')
	if (env.DATA_DIR && env.DATA_DIR !== DEMO_DATA_DIR)
		notes.push(`npm run demo keeps its data in ${DEMO_DATA_DIR}; DATA_DIR is ignored.`)
	delete env.DATABASE_URL
	delete env.EXPORT_DIR
	env.DATA_DIR = DEMO_DATA_DIR
	if (!env.HOST) env.HOST = '127.0.0.1'
	return { env, notes }
}
