/**
 * The configuration the gateway reads, declared here so the gateway depends on no config module: its own
 * section (`gateway`), the platform names its defaults come from, and the data directory. main.ts hands in
 * those parts of the validated configuration; TypeScript checks that they fit.
 */
export interface GatewayConfig {
  readonly dataDir: string;
  readonly platform: { readonly zone: string; readonly mxLabel: string; readonly bounceLabel: string };
  readonly gateway: GatewaySection;
}

export interface GatewaySection {
  readonly host: string;
  readonly hostname: string;
  readonly submission: { readonly port: number };
  readonly implicitTls: { readonly enabled: boolean; readonly port: number };
  readonly relay: {
    readonly enabled: boolean;
    readonly port: number;
    readonly networks: ReadonlyArray<{ readonly cidr: string; readonly tenant: string }>;
  };
  readonly tls: { readonly certFile: string; readonly keyFile: string };
  readonly limits: {
    readonly maxMessageBytes: number;
    readonly maxRecipients: number;
    readonly maxConnections: number;
    readonly maxConnectionsPerIp: number;
    readonly maxAuthFailures: number;
    readonly authFailureWindowSeconds: number;
    readonly idleTimeoutSeconds: number;
  };
  readonly signing: { readonly unmatched: 'unsigned' | 'platform'; readonly platformDomain: string };
  readonly bounceDomain: string;
  readonly spool: { readonly dir: string; readonly segmentMiB: number };
  readonly trace: { readonly flushSeconds: number; readonly messageRowSeconds: number };
  readonly delivery: {
    readonly mode: 'mx' | 'smarthost';
    readonly mxPort: number;
    readonly allowPrivateDestinations: boolean;
    readonly resolvers: readonly string[];
    readonly concurrencyPerDestination: number;
    readonly connectTimeoutSeconds: number;
    readonly commandTimeoutSeconds: number;
    readonly smarthost: {
      readonly host: string;
      readonly port: number;
      readonly tls: 'starttls' | 'implicit' | 'opportunistic' | 'none';
      readonly username: string;
      readonly password: string;
    };
  };
  readonly retry: {
    readonly firstDelaySeconds: number;
    readonly factor: number;
    readonly maxDelaySeconds: number;
    readonly expireDays: number;
  };
}
