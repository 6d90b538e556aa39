/** A count as a person reads it at a glance: 1,234 and 1,000,000, not 1234 and 1000000. */
export function figure(n: number): string {
  return n.toLocaleString('en-US')
}

/** A count with its noun: "1 open conflict", "2 open conflicts", "1,204 records" (the dashboard's and `npm run dev`'s lines alike). */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${figure(n)} ${n === 1 ? one : many}`
}
