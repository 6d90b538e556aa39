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
    ['opd', /Contacts link to companies and owners: turn companies on too, or contacts off/],
    ['cp', /Companies link to owners: turn owners on too, or companies off/],
    ['ocd', /Deals link to contacts and companies and owners: turn contacts on too, or deals off/],
    ['d', /Deals link to .*: turn contacts and companies and owners on too/],
    ['p', /Contacts link to .*: turn companies and owners on too/],
  ])('%s → %s', (on, problem) => {
    const result = entitiesProblem(set(on))
    if (problem === null) expect(result).toBeNull()
    else expect(result).toMatch(problem)
  })
})
