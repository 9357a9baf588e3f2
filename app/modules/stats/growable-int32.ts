/** An Int32Array that doubles as it fills: column storage for counts not known in advance. */
export class GrowableInt32 {
	data: Int32Array
	length = 0

	constructor(initialCapacity = 16) {
		this.data = new Int32Array(initialCapacity)
	}

	push(value: number) {
		if (this.length === this.data.length) {
			const grown = new Int32Array(this.data.length * 2)
			grown.set(this.data)
			this.data = grown
		}
		this.data[this.length++] = value
	}

	view() {
		return this.data.subarray(0, this.length)
	}
}
