#!/usr/bin/env node
// `banshishi-audit …`: the audit CLI from its TypeScript sources, through tsx (the apps are not built).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
