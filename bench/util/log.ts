// Progress goes to stderr so that `--json` leaves stdout to the one JSON object.

let quiet = false

export function setQuiet(value: boolean) {
	quiet = value
}

export function progress(message: string) {
	if (quiet) return
	process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}
