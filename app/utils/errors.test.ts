import { expect, test } from 'vitest'
import { AppError, ErrorCode, databaseUnavailable, isDatabaseUnavailable, notFound, statusForCode } from './errors.ts'

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' })
const socketError = (code: string) =>
	Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect', errno: -111 })

test('errors that mean the database is away right now are recognised, however they are wrapped', () => {
	for (const error of [
		pgError('57P01', 'terminating connection due to administrator command'),
		pgError('57P03', 'the database system is starting up'),
		pgError('08006', 'connection failure'),
		socketError('ECONNREFUSED'),
		socketError('ECONNRESET'),
		new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')], ''),
		new Error('Connection terminated unexpectedly'),
		new Error('Client has encountered a connection error and is not queryable'),
		// What Prisma's client throws through @prisma/adapter-pg.
		Object.assign(new Error('Invalid `prisma.user.findFirst()` invocation'), {
			code: 'P1001',
			meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } },
		}),
		Object.assign(new Error('Invalid invocation'), {
			code: 'P2010',
			meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'postgres', code: '57P01' } } },
		}),
		new Error('the request failed', { cause: socketError('ECONNREFUSED') }),
		databaseUnavailable(),
	]) {
		expect(isDatabaseUnavailable(error), String(error)).toBe(true)
	}
})

test('faults of the request or the code are not mistaken for an outage', () => {
	for (const error of [
		pgError('23505', 'duplicate key value violates unique constraint'),
		pgError('42P01', 'relation "x" does not exist'),
		Object.assign(new Error('Unique constraint failed'), { code: 'P2002' }),
		notFound('No such project'),
		new Error('Cannot read properties of undefined'),
		'ECONNREFUSED',
		null,
	]) {
		expect(isDatabaseUnavailable(error), String(error)).toBe(false)
	}
})

test('an outage is a 503', () => {
	expect(statusForCode[ErrorCode.ServiceUnavailable]).toBe(503)
	expect(databaseUnavailable()).toBeInstanceOf(AppError)
	expect(databaseUnavailable().status).toBe(503)
})
