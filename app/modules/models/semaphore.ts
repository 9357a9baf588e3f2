/** At most `limit` holders at once; the rest wait in arrival order (an endpoint's concurrency). */
export class Semaphore {
	private waiting: (() => void)[] = []
	private active = 0
	constructor(private readonly limit: number) {}
	async acquire() {
		if (this.active < this.limit) {
			this.active++
			return
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve))
	}
	release() {
		const next = this.waiting.shift()
		if (next) next()
		else this.active--
	}
}
