import { describe, expect, test } from 'vitest'
import { hhTranscript, plainPrompt, standardCompletion, standardPrompt } from './render.ts'
import type { Message, SourceContext } from './types.ts'

const turns: Message[] = [
	{ role: 'system', content: 'Be brief.' },
	{ role: 'user', content: 'Hi' },
	{ role: 'assistant', content: 'Hello.' },
	{ role: 'user', content: 'Bye' },
]
const chat: SourceContext = { messages: turns }

describe('HH transcripts', () => {
	test('put a leading system prompt before the first Human turn, as plain text', () => {
		expect(hhTranscript([...turns, { role: 'assistant', content: 'Bye.' }])).toBe(
			'Be brief.\n\nHuman: Hi\n\nAssistant: Hello.\n\nHuman: Bye\n\nAssistant: Bye.',
		)
	})

	test('start with a Human turn when there is no system prompt', () => {
		expect(hhTranscript([{ role: 'user', content: 'Hi' }])).toBe('\n\nHuman: Hi')
	})
})

describe('TRL standard style', () => {
	test('keeps a plain prompt and a single user turn as they are', () => {
		expect(standardPrompt({ prompt: 'Hi' })).toBe('Hi')
		expect(standardPrompt({ messages: [{ role: 'user', content: 'Hi' }] })).toBe('Hi')
		expect(standardCompletion({ prompt: 'Hi' }, 'Hello.')).toBe('Hello.')
	})

	test('renders a conversation so prompt + completion is the HH transcript', () => {
		expect(plainPrompt(chat)).toBeNull()
		const prompt = standardPrompt(chat)
		expect(prompt).toBe('Be brief.\n\nHuman: Hi\n\nAssistant: Hello.\n\nHuman: Bye\n\nAssistant:')
		expect(prompt + standardCompletion(chat, 'Bye.')).toBe(
			hhTranscript([...turns, { role: 'assistant', content: 'Bye.' }]),
		)
	})
})
