/** Primitives every capability shares: the error type, results, and injected clock and randomness. */
export { AppError, isAppError, notFound } from './app-error.ts';
export type { AppErrorCode, AppErrorDetail } from './app-error.ts';
export { ok, err } from './result.ts';
export type { Result } from './result.ts';
export { systemClock, ManualClock } from './clock.ts';
export type { Clock } from './clock.ts';
export { cryptoRandom, randomBase32 } from './random.ts';
export type { RandomSource } from './random.ts';
export { createLogger, quietLogger } from './logger.ts';
export type { Logger, LoggerOptions } from './logger.ts';
export { parseDuration, durationMs, formatDuration, DURATION_PATTERN } from './duration.ts';
export { PeriodicTask } from './periodic-task.ts';
export { turnEvery } from './event-loop-turns.ts';
