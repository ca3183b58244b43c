import type { Metrics } from '#runtime';

/** What the timing reads of an Express request and response. */
type TimedRequest = { readonly method: string; readonly baseUrl: string; readonly route?: { readonly path: string } };
type TimedResponse = { readonly statusCode: number; once(event: 'finish', listener: () => void): unknown };

/**
 * Times every request into `hsb_http_request_duration_seconds`, labelled with the template of the
 * route that answered it (`/beneficiaries/:id`, as Nest registered it with its controller's
 * prefix), never the path itself: each id would make a series of its own. A request no route
 * answered (static files, the OpenAPI page, a 404) is `unmatched`, as is one only the request
 * logger's catch-all route (`{/*splat}`, mounted for every path) saw: no route of the API has a wildcard.
 */
export function requestTiming(metrics: Metrics) {
  return (request: TimedRequest, response: TimedResponse, next: () => void): void => {
    const done = metrics.httpRequestStarted();
    // Read when the answer is sent: Express knows the route only once it has routed the request.
    response.once('finish', () => {
      const route = request.route && !request.route.path.includes('*') ? `${request.baseUrl}${request.route.path}` : 'unmatched';
      done({ method: request.method, route, status_code: String(response.statusCode) });
    });
    next();
  };
}
