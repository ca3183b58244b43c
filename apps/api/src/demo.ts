import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DEMO_ACTORS, generateDemoProvince, UserAccounts } from '#application';
import type { Runtime } from '#runtime';

/**
 * With `DEMO_PROVINCE=1` the API fills an empty system with the demo province after it starts
 * listening, logging its progress; started again, it finds the work done (command ids are
 * deterministic) and finishes in moments.
 */
export async function offerDemoProvince(app: INestApplication, runtime: Runtime): Promise<void> {
  const demo = runtime.config.demo;
  if (!demo) return;
  const logger = runtime.logger.child({ component: 'demo' });
  const password = demo.password ?? randomBytes(9).toString('base64url');
  await app.get(UserAccounts).ensureUsers([...Object.values(DEMO_ACTORS), { username: 'demo.auditor', roles: ['auditor'] }], password);
  const where = demo.password
    ? ''
    : `, password written to ${runtime.generatedSecrets.keep('demo users', password)} (new users only; set DEMO_PASSWORD to choose it)`;
  logger.info(
    `demo province (seed ${demo.seed}): users ${Object.values(DEMO_ACTORS)
      .map((a) => a.username)
      .join(', ')}, demo.auditor${where}`,
  );
  let lastPercent = -1;
  const started = Date.now();
  const { commands } = await generateDemoProvince(app.get(CommandBus), {
    seed: demo.seed,
    scale: 1,
    onProgress: (done, total, phase) => {
      const percent = Math.floor((done * 100) / total);
      if (percent !== lastPercent && percent % 5 === 0) logger.info(`demo province: ${percent}% (${phase})`);
      lastPercent = percent;
    },
  });
  logger.info(`demo province ready: ${commands.toLocaleString('en')} commands in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
