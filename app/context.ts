import { createContext, type RouterContext } from 'react-router'

export type RequestContext = { requestId: string; cspNonce: string }

// The server entry and the app build each load this module, and a context is matched by identity,
// so both must get the same object or the app would only ever see the default (an empty CSP nonce).
const shared = globalThis as typeof globalThis & { __quorumRequestContext?: RouterContext<RequestContext> }

export const requestContext = (shared.__quorumRequestContext ??= createContext<RequestContext>({
	requestId: 'unknown',
	cspNonce: '',
}))
