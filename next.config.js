/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Browser-test runs build into their own folder so that parallel runs never share one build.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // Native and Node-only packages stay outside the server bundle.
  serverExternalPackages: ['better-sqlite3', 'kysely'],
  // CSV uploads (price histories, application files, transaction batches) go through server actions. Files are
  // limited to 25 MB (lib/uploads.ts); the body limit leaves room for the form's other fields and multipart framing,
  // so a file at the limit gets the action's own message rather than a bare request-size error.
  experimental: { serverActions: { bodySizeLimit: '26mb' } },
  // Types are checked once for the whole repository by `npm test` (tsc --noEmit), not again inside every build.
  // Browser-test builds use their own tsconfig copy (scripts/start.ts writes it), since Next adds its build folder's
  // type paths to the tsconfig it is given.
  typescript: { ignoreBuildErrors: true, tsconfigPath: process.env.NEXT_TSCONFIG_PATH || 'tsconfig.json' },
};

module.exports = nextConfig;
