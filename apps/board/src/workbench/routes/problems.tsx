// Placeholder: the problems area of the workbench is being written on its own branch.
import { Router } from 'express';
import type { WorkbenchKit } from '../http/kit.js';

export const problemsRoutes = (_kit: WorkbenchKit): Router => Router();
