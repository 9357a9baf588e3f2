const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const
type Level = Exclude<keyof typeof levels, 'silent'>

function threshold() {
	const configured = process.env.LOG_LEVEL as keyof typeof levels | undefined
	if (configured && configured in levels) return levels[configured]
	return process.env.NODE_ENV === 'test' ? levels.warn : levels.info
}

function write(level: Level, msg: string, fields: Record<string, unknown>) {
	if (levels[level] < threshold()) return
	const line = JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields })
	if (level === 'error' || level === 'warn') process.stderr.write(line + '\n')
	else process.stdout.write(line + '\n')
}

export type Logger = {
	[L in Level]: (msg: string, fields?: Record<string, unknown>) => void
} & { child: (fields: Record<string, unknown>) => Logger }

export function createLogger(base: Record<string, unknown> = {}): Logger {
	return {
		debug: (msg, fields) => write('debug', msg, { ...base, ...fields }),
		info: (msg, fields) => write('info', msg, { ...base, ...fields }),
		warn: (msg, fields) => write('warn', msg, { ...base, ...fields }),
		error: (msg, fields) => write('error', msg, { ...base, ...fields }),
		child: (fields) => createLogger({ ...base, ...fields }),
	}
}

export const logger = createLogger()
