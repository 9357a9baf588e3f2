export const problemResponse = { $ref: '#/components/responses/Problem' }

export const authErrors = {
	'401': { ...problemResponse, description: 'Missing, invalid or revoked token' },
	'403': { ...problemResponse, description: 'The token lacks the role or membership this needs' },
}

export const jsonBody = (schema: unknown, description?: string) => ({
	description,
	content: { 'application/json': { schema } },
})

export const slugParam = { name: 'slug', in: 'path', required: true, schema: { type: 'string' } }
export const cursorParams = [
	{ name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page' },
	{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1 } },
]
