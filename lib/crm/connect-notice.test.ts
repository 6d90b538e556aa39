import { describe, expect, it } from 'vitest'
import { noticeToShow, signedNotice, UNVERIFIED_NOTICE } from './connect-notice'

describe('the connect banner shows only what the OAuth callback signed', () => {
  const signed = signedNotice('HubSpot refused the code. Start again with the Connect button.')
  it.each([
    ['no message', undefined, undefined, null],
    ['an empty message', '', signed.connect_error_sig, null],
    ["the callback's message with its signature", signed.connect_error, signed.connect_error_sig, signed.connect_error],
    ['a message of its own, unsigned (a link anyone could send)', 'Your access was revoked: call +1 555 0100', undefined, UNVERIFIED_NOTICE],
    ["a message of its own under the callback's signature", 'Your access was revoked: call +1 555 0100', signed.connect_error_sig, UNVERIFIED_NOTICE],
    ['the message with a signature cut short', signed.connect_error, signed.connect_error_sig.slice(0, -1), UNVERIFIED_NOTICE],
    ['the message twice (?connect_error=a&connect_error=b: an array)', [signed.connect_error, signed.connect_error], signed.connect_error_sig, null],
    ['a signature given twice', signed.connect_error, [signed.connect_error_sig, signed.connect_error_sig], UNVERIFIED_NOTICE],
  ])('%s', (_, message, signature, shown) => {
    expect(noticeToShow(message, signature)).toBe(shown)
  })
})
