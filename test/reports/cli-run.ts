/** `senderd` in-process on a test data directory, as the reports CLI tests run it: no reverse lookups. */
import { cliInDataDir } from '../support/cli.ts';

export const cli = (dir: string) => cliInDataDir(dir, ['reports.reverseDns.enabled=false']);
