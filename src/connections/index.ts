/**
 * Connection limits, the one mechanism every listener uses: overall and per client (an IPv4 address or an IPv6
 * /64), a short protocol refusal when full, and the process's descriptors shared among the listeners with a
 * reserve. It opens nothing: each listener hands in its server.
 */
export { ConnectionLimiter, clientOf } from './connection-limiter.ts';
export type { Admission, ConnectionLimits } from './connection-limiter.ts';
export { limitConnections, REFUSAL_ALLOWANCE } from './limited-server.ts';
export type { LimitedServer, LimitedSocket, LimitOptions } from './limited-server.ts';
export { shareDescriptors } from './descriptor-budget.ts';
export type { DescriptorBudget, DescriptorShare, ListenerDemand } from './descriptor-budget.ts';
