// `node --import` this file to list every module the process resolves through the ESM loader (each
// package a server imports, statically or with import()) in OPSROOM_RECORD_IMPORTS, one URL a line.
import { register } from 'node:module';

if (process.env.OPSROOM_RECORD_IMPORTS) register('./recordImportsHooks.mjs', import.meta.url, { data: { file: process.env.OPSROOM_RECORD_IMPORTS } });
