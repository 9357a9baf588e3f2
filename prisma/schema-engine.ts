// Prisma's schema engine, run from its WebAssembly build through the pg driver adapter, so that
// migrations need neither the native engine binary (which the Prisma CLI downloads on first use)
// nor the Prisma CLI itself.
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { PrismaPg } from '@prisma/adapter-pg'
import {
	bindMigrationAwareSqlAdapterFactory,
	ColumnTypeEnum,
	DriverAdapterError,
	type SqlDriverAdapter,
	type SqlQueryable,
	type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils'
import * as wasmBindings from '@prisma/schema-engine-wasm/schema_engine_bg'
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg'
import pg from 'pg'
import { connectionStringWithDatabase, quoteIdentifier } from './pg-url.ts'

export type { SchemaEngine }

let wasmReady: Promise<void> | undefined

type PanicRegistry = { set_message(message: string): void }
const withPanicRegistry = globalThis as typeof globalThis & { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry }

// The package's own entry point imports the .wasm file as an ES module, which Node refuses.
function loadWasm() {
	wasmReady ??= (async () => {
		// A panic leaves the engine unusable and surfaces only as "RuntimeError: unreachable", so say why.
		withPanicRegistry.PRISMA_WASM_PANIC_REGISTRY ??= {
			set_message: (message) => process.stderr.write(`Prisma schema engine panicked: ${message}\n`),
		}
		// createRequire rather than import.meta.resolve, which Vitest's module runner lacks.
		const wasmPath = createRequire(import.meta.url)
			.resolve('@prisma/schema-engine-wasm/schema_engine_bg')
			.replace(/\.js$/, '.wasm')
		const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
			'./schema_engine_bg.js': wasmBindings as unknown as WebAssembly.ModuleImports,
		})
		wasmBindings.__wbg_set_wasm(instance.exports)
		const start = instance.exports.__wbindgen_start
		if (typeof start === 'function') start()
	})()
	return wasmReady
}

// The schema engine reads pg_catalog columns of type "char" (OID 18), which @prisma/adapter-pg
// 7.x rejects as an unsupported column type, while the engine expects them typed as characters.
// The client reports them as text to the adapter and remembers where they were, and the adapter's
// queryRaw then types those columns as characters.
const PG_CHAR_OID = 18
const PG_TEXT_OID = 25
const charColumnsByRows = new WeakMap<object, number[]>()

type QueryResultLike = { fields?: Array<{ dataTypeID: number }>; rows?: unknown }

function retypeCharColumns<T>(result: T): T {
	for (const each of Array.isArray(result) ? result : [result]) {
		const { fields = [], rows } = (each ?? {}) as QueryResultLike
		const charColumns: number[] = []
		fields.forEach((field, index) => {
			if (field.dataTypeID !== PG_CHAR_OID) return
			field.dataTypeID = PG_TEXT_OID
			charColumns.push(index)
		})
		if (charColumns.length > 0 && rows && typeof rows === 'object') charColumnsByRows.set(rows, charColumns)
	}
	return result
}

class CharAwareClient extends pg.Client {
	constructor(config?: string | pg.ClientConfig) {
		super(config)
		const query = this.query.bind(this) as (...args: unknown[]) => unknown
		this.query = ((...args: unknown[]) => {
			const last = args.at(-1)
			if (typeof last === 'function') {
				args[args.length - 1] = (error: unknown, result: unknown) =>
					last(error, error ? result : retypeCharColumns(result))
				return query(...args)
			}
			const returned = query(...args)
			return returned instanceof Promise ? returned.then(retypeCharColumns) : returned
		}) as unknown as pg.Client['query']
	}
}

function typeCharColumns<T extends SqlQueryable>(queryable: T): T {
	const queryRaw = queryable.queryRaw.bind(queryable)
	queryable.queryRaw = async (query) => {
		const resultSet = await queryRaw(query)
		for (const index of charColumnsByRows.get(resultSet.rows) ?? []) {
			resultSet.columnTypes[index] = ColumnTypeEnum.Character
		}
		return resultSet
	}
	return queryable
}

/** The Postgres error that made a script (a migration) fail, which the engine reports only vaguely. */
export type ScriptError = { message: string; code?: string; position?: number; script: string }

async function connectAdapter(connectionString: string, onScriptError: (error: ScriptError) => void) {
	const adapter = typeCharColumns(await new PrismaPg({ connectionString, Client: CharAwareClient, max: 2 }).connect())
	const startTransaction = adapter.startTransaction.bind(adapter)
	adapter.startTransaction = async (isolationLevel) => typeCharColumns(await startTransaction(isolationLevel))
	// PrismaPg splits scripts on every ";" and runs the pieces one by one, which breaks function
	// bodies and string literals and leaves a failed migration half-applied. One simple-protocol
	// query runs the whole script in one implicit transaction, as the native engine does.
	const pool = adapter.underlyingDriver()
	adapter.executeScript = async (script) => {
		try {
			await pool.query(script)
		} catch (error) {
			if (!(error instanceof pg.DatabaseError)) throw error
			const { message, code, severity, detail, column, hint, position } = error
			onScriptError({ message, code, position: position ? Number(position) : undefined, script })
			throw new DriverAdapterError({
				kind: 'postgres',
				code: code ?? '',
				severity: severity ?? 'ERROR',
				message,
				detail,
				column,
				hint,
			})
		}
	}
	return adapter
}

async function runAdminStatement(connectionString: string, sql: string) {
	const client = new pg.Client({ connectionString })
	await client.connect()
	try {
		await client.query(sql)
	} finally {
		await client.end()
	}
}

/**
 * A driver adapter factory for the schema engine. Unlike `PrismaPg#connectToShadowDb`, whose pool
 * keeps the database named in the connection string, the shadow database really is a separate,
 * temporary database on the same server, dropped when the engine lets go of it.
 */
function createAdapterFactory(connectionString: string, onScriptError: (error: ScriptError) => void) {
	const opened: SqlDriverAdapter[] = []
	const factory: SqlMigrationAwareDriverAdapterFactory = {
		provider: 'postgres',
		adapterName: '@prisma/adapter-pg',
		async connect() {
			const adapter = disposeOnce(await connectAdapter(connectionString, onScriptError))
			opened.push(adapter)
			return adapter
		},
		async connectToShadowDb() {
			const database = `quorum_shadow_${randomUUID().replaceAll('-', '')}`
			await runAdminStatement(connectionString, `CREATE DATABASE ${quoteIdentifier(database)}`)
			const adapter = await connectAdapter(connectionStringWithDatabase(connectionString, database), onScriptError)
			const dispose = adapter.dispose.bind(adapter)
			adapter.dispose = async () => {
				await dispose()
				await runAdminStatement(connectionString, `DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`)
			}
			const wrapped = disposeOnce(adapter)
			opened.push(wrapped)
			return wrapped
		},
	}
	return {
		factory: bindMigrationAwareSqlAdapterFactory(factory),
		async disposeAll() {
			await Promise.allSettled(opened.map((adapter) => adapter.dispose()))
		},
	}
}

function disposeOnce<T extends SqlDriverAdapter>(adapter: T): T {
	const dispose = adapter.dispose.bind(adapter)
	let disposing: Promise<void> | undefined
	adapter.dispose = () => (disposing ??= dispose())
	return adapter
}

export type SchemaFile = { path: string; content: string }

/** An engine failure, with the Postgres error behind it when a script failed. */
export type SchemaEngineFailure = Error & { scriptError?: ScriptError }

/** Runs `work` with a schema engine connected to `connectionString`, then closes every connection. */
export async function withSchemaEngine<T>(
	{
		connectionString,
		schema,
		onLog,
	}: { connectionString: string; schema?: SchemaFile; onLog?: (line: string) => void },
	work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
	await loadWasm()
	let scriptError: ScriptError | undefined
	const { factory, disposeAll } = createAdapterFactory(connectionString, (error) => (scriptError = error))
	let engine: SchemaEngine | undefined
	try {
		engine = await wasmBindings.SchemaEngine.new(
			{ datamodels: schema ? [[schema.path, schema.content]] : undefined },
			(line: string) => onLog?.(line),
			factory,
		)
		return await work(engine)
	} catch (error) {
		const failure: SchemaEngineFailure = error instanceof Error ? error : new Error(String(error))
		if (scriptError) failure.scriptError = scriptError
		throw failure
	} finally {
		engine?.free()
		await disposeAll()
	}
}
