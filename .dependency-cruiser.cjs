// The layering of src/, checked by dependency-cruiser in `npm test` (scripts/test.sh; `npm run deps` alone).
// STYLE.md and docs/architecture.md say why: protocols live on floors below the capabilities, every folder is
// entered through its index.ts, nothing imports in a circle, and only the adapters listed here touch sockets,
// files or database drivers.

/** Protocol and primitive folders: they know no capability. */
const FLOORS = [
  'core',
  'ip',
  'mail',
  'resolver',
  'spf',
  'domain-name',
  'dns-wire',
  'secrets',
  'connections',
  'x509',
];
/** Capability folders (and the faces over them: api, cli, web). `tracking` is named ahead. */
const CAPABILITIES = [
  'accounts',
  'alerts',
  'cluster',
  'complaints',
  'api',
  'bimi',
  'bounces',
  'checks',
  'cli',
  'dkim',
  'dmarc',
  'dns',
  'domains',
  'edge',
  'events',
  'gateway',
  'inbound',
  'mta-sts',
  'overview',
  'provisioning',
  'reports',
  'senders',
  'store',
  'suppression',
  'tracking',
  'web',
];
const folders = (names) => `^src/(${names.join('|')})/`;

/**
 * The files that may open sockets, files or databases: each is an adapter at the edge of its capability, and
 * takes what it opens from configuration handed in by main.ts. Anything else receives these as arguments.
 */
const ADAPTERS = [
  '^src/[^/]+\\.ts$', // the composition root (main.ts and its parts) reads package.json and the PSL file
  '^src/cli/', // the command line reads and writes the files a person names
  '^src/api/dashboard-files\\.ts$',
  '^src/api/http-server\\.ts$',
  '^src/config/read-config\\.ts$',
  '^src/dns/(notifier|tcp-server|udp-server|secret-file)\\.ts$',
  '^src/edge/(edge-server|secure-context-cache|acme-client-ca)\\.ts$',
  '^src/events/transports\\.ts$',
  '^src/provisioning/https-json\\.ts$',
  '^src/gateway/(smtp-client|smtp-listener|spool|tls-certificate)\\.ts$',
  '^src/inbound/(inbound-component|postmaster-maildir|smtp-listener)\\.ts$',
  '^src/reports/(imap-poller|report-components)\\.ts$',
  '^src/resolver/(stub-resolver|recursive-resolver|tcp-exchange)\\.ts$',
  '^src/secrets/kek-file\\.ts$',
  '^src/store/(sqlite-database|store)\\.ts$',
];
/** Modules that open sockets or files: node's, the database drivers, and the libraries that listen or connect. */
const INPUT_OUTPUT = [
  '^(node:)?(net|dgram|tls|http|https|http2|fs|fs/promises|sqlite|dns|dns/promises)$',
  'node_modules/(pg|smtp-server|nodemailer|imapflow|acme-client)/',
  'node_modules/@hono/node-server/dist/index',
];

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No file imports itself back, through any path, inside a folder or across folders.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'No folder imports a folder that imports it back, even through files that form no file cycle.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-nothing-of-ours',
      comment: 'core/ (AppError, Result, Clock, RandomSource, logger) is the ground floor.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'floors-import-no-capability',
      comment: 'Protocol homes sit below the capabilities and may use only each other.',
      severity: 'error',
      from: { path: folders(FLOORS) },
      to: { path: '^src/', pathNot: folders(FLOORS) },
    },
    {
      name: 'config-imports-no-capability',
      comment:
        'config/ is the schema and the layered loading; rules that need a capability come in from main.ts.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: [folders(FLOORS), '^src/config/'] },
    },
    {
      name: 'capabilities-read-no-config',
      comment:
        'A capability declares the settings it reads (DnsConfig, GatewayConfig, ...); main.ts hands them in. ' +
        'Only the composition root and the CLI load the configuration.',
      severity: 'error',
      from: { path: folders(CAPABILITIES), pathNot: ['^src/cli/', '\\.test\\.ts$'] },
      to: { path: '^src/config/' },
    },
    {
      name: 'enter-a-folder-through-its-index',
      comment: "Another folder's files are private: import what its index.ts exports.",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'the-root-enters-folders-through-their-index',
      comment: 'main.ts and its parts wire capabilities through their public faces too.',
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$' },
      to: { path: '^src/[^/]+/', pathNot: '^src/[^/]+/index\\.ts$' },
    },
    {
      name: 'only-the-cli-imports-the-root',
      comment: 'The composition root is above every capability; only the command line (its entry) starts it.',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: ['^src/cli/', '\\.test\\.ts$'] },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'the-dashboard-is-a-client',
      comment: 'web/ talks to the REST API over HTTP and imports no server code.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/', pathNot: '^src/web/' },
    },
    {
      name: 'only-adapters-do-input-output',
      comment:
        'Sockets, files and database drivers are opened by the adapters listed in ADAPTERS; the rest get them ' +
        'as arguments. (src/ip/ may use node:net for isIP and BlockList, which open nothing.)',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: [...ADAPTERS, '\\.test\\.ts$', '^src/ip/[^/]+\\.ts$'],
      },
      to: { path: INPUT_OUTPUT },
    },
    {
      name: 'ip-uses-only-pure-net',
      comment: 'src/ip/ may use node:net for its pure helpers only; no other socket or file module.',
      severity: 'error',
      from: { path: '^src/ip/', pathNot: '\\.test\\.ts$' },
      to: { path: INPUT_OUTPUT, pathNot: '^(node:)?net$' },
    },
    {
      name: 'no-unresolvable-imports',
      comment: 'Every import names a file or package that exists.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Only src/ is layered; test support and benchmarks may reach across it.
    exclude: { path: '^(test|bench)/' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
