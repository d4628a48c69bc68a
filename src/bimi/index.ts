/**
 * BIMI logo hosting: SVG Tiny PS validation (hostile SVG refused with the reason), one logo per domain in the
 * store, served by the edge over HTTPS under its hash, and published as the BIMI record's `l=`.
 */
export type { BimiLogo, BimiLogoRepository } from './model.ts';
export { checkLogo, MAX_LOGO_BYTES } from './svg-logo.ts';
export type { LogoCheck, LogoProblem } from './svg-logo.ts';
export { BimiService, logoHostOf } from './bimi-service.ts';
export type { BimiLogoView, BimiServiceDeps } from './bimi-service.ts';
export { bimiLogoRoutes } from './logo-route.ts';
