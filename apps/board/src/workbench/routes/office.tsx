// Placeholder: the office area of the workbench is being written on its own branch.
import { Router } from 'express';
import type { WorkbenchKit } from '../http/kit.js';

export const officeRoutes = (_kit: WorkbenchKit): Router => Router();
