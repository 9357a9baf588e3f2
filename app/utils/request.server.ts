// The server entry overwrites these headers on every request, so a client cannot forge them.
export const CLIENT_IP_HEADER = 'x-quorum-client-ip'
export const REQUEST_ID_HEADER = 'x-request-id'

export function clientIp(request: Request) {
	return request.headers.get(CLIENT_IP_HEADER) ?? 'unknown'
}

export function requestId(request: Request) {
	return request.headers.get(REQUEST_ID_HEADER) ?? undefined
}

export function userAgent(request: Request) {
	return request.headers.get('user-agent')?.slice(0, 512) ?? null
}

/** A path as it may be logged: an invite link is a credential, so its token never reaches the logs. */
export function redactPath(path: string) {
	return path.replace(/^\/invite\/[^/?#]+/, '/invite/[redacted]')
}
