#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/cli.js (built by `npm install` via the prepare script).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
