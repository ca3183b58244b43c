import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';

/**
 * The dashboard loads its scripts, styles and libraries from this origin only; Bootstrap draws
 * some icons as data: URLs and both the dashboard and the OpenAPI page set inline styles. Nobody
 * has a reason to frame the back office, so no one may (clickjacking). The API serves plain HTTP
 * behind whatever terminates TLS, so requests are not rewritten to https.
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: true,
  directives: {
    'font-src': ["'self'", 'data:'],
    'style-src': ["'self'", "'unsafe-inline'"],
    'frame-ancestors': ["'none'"],
    'upgrade-insecure-requests': null,
  },
};

/**
 * Headers that keep browsers from misusing what the API serves, and no caching of API answers:
 * they carry people's health data, which must not stay in a shared or browser cache. The
 * dashboard's static files hold none and may be cached.
 */
export function protectInBrowsers(app: NestExpressApplication): void {
  app.use(helmet({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, frameguard: { action: 'deny' }, referrerPolicy: { policy: 'no-referrer' } }));
  app.use((request: { path: string }, response: { setHeader(name: string, value: string): void }, next: () => void) => {
    if (!request.path.startsWith('/dashboard/')) response.setHeader('Cache-Control', 'no-store');
    next();
  });
}
