import { createContext } from 'react-router'

export type RequestContext = { requestId: string; cspNonce: string }

export const requestContext = createContext<RequestContext>({ requestId: 'unknown', cspNonce: '' })
