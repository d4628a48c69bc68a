/**
 * The rules of the configuration that span keys and need no capability to judge: a store URL for PostgreSQL,
 * what the gateway's modes require, and no two listeners on one address.
 */
import type { ConfigProblem } from './config-problem.ts';
import type { Config } from './schema.ts';

/** Rules that span keys: the schema checks each key alone. */
export function checkConsistency(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (config.store.driver === 'postgres' && config.store.postgresUrl === '') {
    problems.push({
      source: 'value',
      path: 'store.postgresUrl',
      message: 'required when store.driver is postgres',
    });
  }
  const gw = config.gateway;
  if (gw.enabled && gw.delivery.mode === 'smarthost' && gw.delivery.smarthost.host === '')
    problems.push({
      source: 'value',
      path: 'gateway.delivery.smarthost.host',
      message: 'required when gateway.delivery.mode is smarthost',
    });
  if (gw.enabled && gw.signing.unmatched === 'platform' && gw.signing.platformDomain === '')
    problems.push({
      source: 'value',
      path: 'gateway.signing.platformDomain',
      message: 'required when gateway.signing.unmatched is platform',
    });
  if (gw.enabled && gw.relay.enabled && gw.relay.networks.length === 0)
    problems.push({
      source: 'value',
      path: 'gateway.relay.networks',
      message: 'the relay port is enabled but no network may use it',
    });
  if ((gw.tls.certFile === '') !== (gw.tls.keyFile === ''))
    problems.push({
      source: 'value',
      path: gw.tls.certFile === '' ? 'gateway.tls.certFile' : 'gateway.tls.keyFile',
      message: 'give both the certificate and the key, or neither',
    });
  const listeners = listenerPorts(config);
  const seen = new Map<string, string>();
  for (const { key, host, port } of listeners) {
    if (port === 0) continue;
    const at = `${host}:${port}`;
    const other = seen.get(at);
    if (other !== undefined)
      problems.push({ source: 'value', path: key, message: `${at} is also used by ${other}` });
    else seen.set(at, key);
  }
  return problems;
}

/** The TCP listeners of the enabled components, for the collision check. Components add theirs here. */
export function listenerPorts(config: Config): Array<{ key: string; host: string; port: number }> {
  const out: Array<{ key: string; host: string; port: number }> = [];
  if (config.http.enabled) out.push({ key: 'http.port', host: config.http.host, port: config.http.port });
  const gw = config.gateway;
  if (gw.enabled) {
    out.push({ key: 'gateway.submission.port', host: gw.host, port: gw.submission.port });
    if (gw.implicitTls.enabled)
      out.push({ key: 'gateway.implicitTls.port', host: gw.host, port: gw.implicitTls.port });
    if (gw.relay.enabled) out.push({ key: 'gateway.relay.port', host: gw.host, port: gw.relay.port });
  }
  if (config.inbound.enabled)
    out.push({ key: 'inbound.port', host: config.inbound.host, port: config.inbound.port });
  if (config.dns.enabled) out.push({ key: 'dns.port', host: config.dns.host, port: config.dns.port });
  if (config.edge.enabled) {
    out.push({ key: 'edge.httpPort', host: config.edge.host, port: config.edge.httpPort });
    out.push({ key: 'edge.httpsPort', host: config.edge.host, port: config.edge.httpsPort });
  }
  return out;
}
