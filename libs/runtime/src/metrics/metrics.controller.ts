import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, ForbiddenException, Get, Header, Inject, NotFoundException, Optional, Req, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../nest.js';
import { RUNTIME, type Runtime } from '../runtime.js';
import { Metrics } from './metrics.js';

/**
 * Injection token of the roles whose signed-in users may read the metrics, where the process has
 * users (the API); elsewhere only the scraper's token opens them.
 */
export const METRICS_READERS = Symbol('MetricsReaders');

/** What the controller reads of a request: the user the API's guard attached, if any. */
type ScrapeRequest = { headers: Record<string, string | string[] | undefined>; user?: { readonly roles: readonly string[] } };

/** Compared as digests, so that neither the time taken nor an early length check says how much of the token was right. */
const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Prometheus metrics for the API and the projection worker alike. A scraper sends
 * `Authorization: Bearer <METRICS_TOKEN>`; on the API a signed-in user whose role may read metrics
 * gets them too. Never anonymous: they tell how busy the office is and where it fails.
 */
@ApiTags('metrics')
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly token: Buffer | undefined;

  constructor(
    @Inject(RUNTIME) runtime: Runtime,
    @Optional() @Inject(Metrics) private readonly metrics?: Metrics,
    @Optional() @Inject(METRICS_READERS) private readonly readers: readonly string[] = [],
  ) {
    this.token = runtime.config.metrics.token === undefined ? undefined : digest(runtime.config.metrics.token);
  }

  @Get()
  @Header('Content-Type', Metrics.CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiProduces(Metrics.CONTENT_TYPE)
  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics, to the metrics token or a signed-in user whose role may read them' })
  @ApiOkResponse({ description: 'The exposition text (Prometheus format 0.0.4); 404 when METRICS=off', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'Neither the metrics token (METRICS_TOKEN) nor a signed-in user' })
  @ApiForbiddenResponse({ description: 'A signed-in user whose role may not read metrics' })
  scrape(@Req() request: ScrapeRequest): Promise<string> {
    this.authorize(request);
    if (!this.metrics) throw new NotFoundException('metrics are off in this process (METRICS=off)');
    return this.metrics.scrape();
  }

  private authorize(request: ScrapeRequest): void {
    const authorization = request.headers.authorization;
    const [scheme, token] = (typeof authorization === 'string' ? authorization : '').split(' ');
    if (this.token && scheme === 'Bearer' && token && timingSafeEqual(digest(token), this.token)) return;
    const { user } = request;
    if (user?.roles.some((role) => this.readers.includes(role))) return;
    if (user) throw new ForbiddenException(`reading metrics needs the role ${this.readers.join(' or ')}, or the metrics token`);
    throw new UnauthorizedException(this.ways());
  }

  private ways(): string {
    const ways = [
      ...(this.token ? ['send the metrics token (METRICS_TOKEN) as Authorization: Bearer <token>'] : []),
      ...(this.readers.length > 0 ? [`sign in with the role ${this.readers.join(' or ')}`] : []),
    ];
    return ways.length > 0 ? ways.join(', or ') : 'no metrics token is set (METRICS_TOKEN): this process serves its metrics to nobody';
  }
}
