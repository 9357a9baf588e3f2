// The SQL functions' current source lives in prisma/sql/functions/<name>.sql; migrations apply it.
// This reads both sides so a test can hold them together and tools can find a function's source.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const prismaDir = path.dirname(createRequire(import.meta.url).resolve('#prisma/schema.prisma'))
export const defaultFunctionsDir = path.join(prismaDir, 'sql', 'functions')
const defaultMigrationsDir = path.join(prismaDir, 'migrations')

const CREATE = /CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(?:public\.)?("?)([a-z_][a-z0-9_]*)\1\s*\(/gi
const DROP = /DROP\s+FUNCTION\s+(?:IF\s+EXISTS\s+)?(?:public\.)?("?)([a-z_][a-z0-9_]*)\1\b/gi

export type FunctionEvent = { name: string; at: number } & ({ kind: 'create'; definition: string } | { kind: 'drop' })

/**
 * A function's definition as compared: from `FUNCTION` to the `;` after its body, with trailing
 * whitespace removed from each line. `CREATE` and `CREATE OR REPLACE` are not part of it: the first
 * migration creates a function, later ones replace it.
 */
export function normalizeDefinition(statement: string) {
	return statement
		.replace(/^CREATE\s+(?:OR\s+REPLACE\s+)?/i, '')
		.split('\n')
		.map((line) => line.trimEnd())
		.join('\n')
		.trim()
}

/** Every CREATE FUNCTION and DROP FUNCTION in a SQL script, in the order they run. */
export function functionEvents(script: string, where = 'the script'): FunctionEvent[] {
	const events: FunctionEvent[] = []
	for (const match of script.matchAll(CREATE)) {
		const name = match[2]!.toLowerCase()
		const from = match.index
		// The body's opening quote comes before the first semicolon; the body itself may hold many.
		const headerEnd = script.indexOf(';', from)
		const open = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(from, headerEnd < 0 ? undefined : headerEnd))
		if (!open)
			throw new Error(`${where}: the body of ${name} is not dollar-quoted ($$ ... $$), so it cannot be compared`)
		const bodyStart = from + open.index + open[0].length
		const bodyEnd = script.indexOf(open[0], bodyStart)
		const end = bodyEnd < 0 ? -1 : script.indexOf(';', bodyEnd + open[0].length)
		if (bodyEnd < 0 || end < 0)
			throw new Error(`${where}: the definition of ${name} does not end (no closing ${open[0]} followed by ;)`)
		events.push({ name, at: from, kind: 'create', definition: normalizeDefinition(script.slice(from, end + 1)) })
	}
	for (const match of script.matchAll(DROP))
		events.push({ name: match[2]!.toLowerCase(), at: match.index, kind: 'drop' })
	return events.sort((a, b) => a.at - b.at)
}

export type MigratedFunction = { name: string; migration: string; definition: string | null }

/** For each function any migration defines: the latest migration that touches it, and its definition there (null when dropped). */
export function migratedFunctions(migrationsDir = defaultMigrationsDir): Map<string, MigratedFunction> {
	const functions = new Map<string, MigratedFunction>()
	const migrations = readdirSync(migrationsDir, { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && existsSync(path.join(migrationsDir, entry.name, 'migration.sql')))
		.map((entry) => entry.name)
		.sort()
	for (const migration of migrations) {
		const file = path.join(migrationsDir, migration, 'migration.sql')
		for (const event of functionEvents(readFileSync(file, 'utf8'), file)) {
			functions.set(event.name, {
				name: event.name,
				migration,
				definition: event.kind === 'create' ? event.definition : null,
			})
		}
	}
	return functions
}

export type FunctionFile = { name: string; file: string; source: string; definition: string }

/** The files of prisma/sql/functions, each holding the one function it is named after. */
export function functionFiles(functionsDir = defaultFunctionsDir): FunctionFile[] {
	if (!existsSync(functionsDir)) return []
	return readdirSync(functionsDir)
		.filter((name) => name.endsWith('.sql'))
		.sort()
		.map((fileName) => {
			const file = path.join(functionsDir, fileName)
			const name = fileName.slice(0, -'.sql'.length)
			const source = readFileSync(file, 'utf8')
			const definitions = functionEvents(source, file).filter((event) => event.kind === 'create')
			const own = definitions.find((event) => event.name === name)
			if (definitions.length !== 1 || !own) {
				throw new Error(
					`${file} must define exactly one function, ${name}; it defines ${definitions.map((d) => d.name).join(', ') || 'none'}`,
				)
			}
			return { name, file, source, definition: own.definition }
		})
}

/** The current source of one function, for tools that read it (the benchmark). */
export function functionSource(name: string, functionsDir = defaultFunctionsDir) {
	const found = functionFiles(functionsDir).find((file) => file.name === name)
	if (!found) throw new Error(`no file ${path.join(functionsDir, `${name}.sql`)}`)
	return found.source
}

/** Function files whose definition is not the one the migrations leave in the database. */
export function changedFunctionFiles({
	functionsDir = defaultFunctionsDir,
	migrationsDir = defaultMigrationsDir,
} = {}) {
	const migrated = migratedFunctions(migrationsDir)
	return functionFiles(functionsDir).filter((file) => migrated.get(file.name)?.definition !== file.definition)
}
