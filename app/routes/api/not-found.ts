import { apiRoute } from '#app/utils/http.server.ts'
import { notFound } from '#app/utils/errors.ts'

const handler = apiRoute(async ({ request }: { request: Request }) => {
	throw notFound(`No API endpoint ${request.method} ${new URL(request.url).pathname}`)
})

export const loader = handler
export const action = handler
