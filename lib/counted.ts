/** A count with its noun: "1 open conflict", "2 open conflicts" (the dashboard's and `npm run dev`'s lines alike). */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
