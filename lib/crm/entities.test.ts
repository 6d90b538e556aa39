import { describe, expect, it } from 'vitest'
import { entitiesProblem } from './entities'

const set = (on: string) => ({ owner: on.includes('o'), company: on.includes('c'), contact: on.includes('p'), deal: on.includes('d') })

describe('entitiesProblem', () => {
  // o = owners, c = companies, p = contacts (people), d = deals
  it.each([
    ['ocpd', null],
    ['ocp', null],
    ['oc', null],
    ['o', null],
    ['', /at least one/],
    ['opd', null], // companies off: a record's company is the app's own
    ['op', null],
    ['cp', /Companies link to owners: turn owners on too, or companies off/],
    ['ocd', /Deals link to contacts and owners: turn contacts on too, or deals off/],
    ['d', /Deals link to contacts and owners: turn contacts and owners on too/],
    ['p', /Contacts link to owners: turn owners on too/],
  ])('%s → %s', (on, problem) => {
    const result = entitiesProblem(set(on))
    if (problem === null) expect(result).toBeNull()
    else expect(result).toMatch(problem)
  })
})
