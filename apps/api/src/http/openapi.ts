import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/**
 * The API's contract: every operation with its client method name (`operationId`), its bodies,
 * answers and errors, and the bearer token on every operation but the public ones. Served at
 * /docs and /docs-json, linted by `npm run lint:openapi`, and the source of the typed client of
 * test/client/api.d.ts.
 */
export function apiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Health-care support back office')
      .setDescription(
        'Event-sourced administration of provincial health-care support policies (Resolution 24/2024/NQ-HĐND, Lạng Sơn). Sign in with POST /auth/token and send its `accessToken` as `Authorization: Bearer …`. Amounts are whole VND. Every error answers JSON with `statusCode` and `message`; a refused input (400) names each offending field in `fields`; a refusal by a business rule (409) names the `rule`. Nothing is recorded when a request is refused.',
      )
      .setVersion('0.1.0')
      .addServer('/', 'The server that serves this document')
      .addServer('http://127.0.0.1:3000', 'A local `npm start` (PORT 3000 by default)')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The `accessToken` of POST /auth/token' })
      .addGlobalParameters({
        name: 'Command-Id',
        in: 'header',
        required: false,
        description: 'Idempotency key of a command: the same id again has no second effect',
        schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,100}$' },
      })
      .addTag('health', 'Liveness, readiness and the state of the projections; public')
      .addTag('users', 'Signing in, one’s own account, and user accounts')
      .addTag('policy versions', 'The policy catalog: which regimes a resolution grants to which groups, at which rates')
      .addTag('beneficiaries', 'The register of beneficiaries and the changes to it')
      .addTag('imports', 'Beneficiary lists as Excel workbooks')
      .addTag('cards', 'Health cards')
      .addTag('admissions', 'Stays in hospital and their allowances')
      .addTag('claims', 'Claims under the other regimes, their approval and the council’s decisions')
      .addTag('payouts', 'Payments, recoveries and their settlement')
      .addTag('registers and reports', 'Registers, balances, budget and the year-end report, from the read models')
      .addTag('retroactive changes', 'Policy versions, administrative units and reorganizations with past effect')
      .addTag('work queues', 'What waits for an approver’s decision or for finance to pay or collect')
      .addTag('audit', 'Who did what (the log’s trail) and who read whose personal data')
      .addTag('metrics', 'Prometheus metrics')
      .build(),
  );
}
