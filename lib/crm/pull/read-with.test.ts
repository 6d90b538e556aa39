import { describe, expect, it } from 'vitest'
import { readWith, readWithChanged } from './full'

// The cursor remembers which extra properties its records were read with; a different list
// means the records must be listed again to get the values.
describe('readWithChanged', () => {
  it.each([
    ['none before, none now', undefined, [], false],
    ['none before, one now', undefined, ['tier'], true],
    ['the same list', ['tier', 'region'], ['tier', 'region'], false],
    ['the same list in another order', ['tier', 'region'], ['region', 'tier'], false],
    ['one added', ['tier'], ['tier', 'region'], true],
    ['one removed', ['tier', 'region'], ['tier'], true],
    ['all removed', ['tier'], [], true],
    ['one replaced', ['tier'], ['region'], true],
  ] as const)('%s', (_name, before, now, changed) => {
    expect(readWithChanged(before ? { extra: [...before] } : {}, now)).toBe(changed)
  })

  it('a checkpoint notes the list only when there is one, so cursors without extra properties are as before', () => {
    expect(readWith({ extraProperties: [] })).toEqual({})
    expect(readWith({ extraProperties: ['tier'] })).toEqual({ extra: ['tier'] })
  })
})
