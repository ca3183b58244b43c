#!/usr/bin/env -S node --max-semi-space-size=64
import { enableCompiledCodeCache } from './compile-cache.js';

// Every run loads the whole application before it reads its arguments: the code V8 compiled on
// an earlier run, kept on disk, makes each later start-up cheaper. It has to be on before the
// application's modules load, hence the import after it.
enableCompiledCodeCache();
const { runCli } = await import('./program.js');
await runCli(process.argv);
