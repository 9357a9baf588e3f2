export function quoteIdentifier(name: string) {
	return `"${name.replaceAll('"', '""')}"`
}

export function connectionStringWithDatabase(connectionString: string, database: string) {
	const url = new URL(connectionString)
	url.pathname = `/${encodeURIComponent(database)}`
	return url.toString()
}

export function databaseName(connectionString: string) {
	const name = decodeURIComponent(new URL(connectionString).pathname.replace(/^\//, ''))
	return name || undefined
}

/** The connection string without its password, for messages. */
export function describeConnection(connectionString: string) {
	try {
		const url = new URL(connectionString)
		if (url.password) url.password = '***'
		return url.toString()
	} catch {
		return '(an unparseable connection string)'
	}
}
