#!/usr/bin/env node
import { exitWhenIdle, main } from './cli/main.ts';

main(process.argv.slice(2)).then(exitWhenIdle);
