// A run stopped early (a time limit, Ctrl-C) leads its error with this tag: it is not a
// failure, the next run goes on from where it stopped. The engine writes it; the dashboard
// reads it (shown amber, not red), so it lives apart from both.
export const STOPPED = '[stopped]'

export const isStopped = (message: string) => message.startsWith(STOPPED)
