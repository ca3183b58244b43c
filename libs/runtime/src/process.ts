import { ConfigError } from './config.js';

/**
 * Runs a process's entry point: a configuration error prints its list of problems, any other
 * failure its stack, and both exit with status 1. `main` returns what stops the process cleanly,
 * which SIGINT and SIGTERM then call before exiting with 0.
 */
export function runProcess(main: () => Promise<() => Promise<void>>): void {
  main()
    .then((stop) => {
      const onSignal = (): void => {
        stop().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(error);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    })
    .catch((error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(1);
    });
}
