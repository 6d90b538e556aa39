import { describe, expect, it } from 'vitest'
import { timesFaster } from './compare'

describe('timesFaster', () => {
  it.each([
    [2.564, '2.56× faster'],
    [1, '1× faster'],
    [0.36, '2.78× slower'],
    [0, 'not comparable'],
    [Number.NaN, 'not comparable'],
  ])('%s → %s', (ratio, expected) => expect(timesFaster(ratio)).toBe(expected))
})
