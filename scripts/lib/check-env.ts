/**
 * Imported first by every script (before any module that does work): an invalid environment variable
 * stops the script at start with a message naming it, instead of failing later as NaN or a bad URL.
 * The schema is server/env.ts, shared with the app and the worker.
 */
import path from "node:path";
import { exitOnInvalidEnv } from "../../server/env.ts";

exitOnInvalidEnv(path.basename(process.argv[1] ?? "script", ".ts"));
