// Placeholder until the evidence upload middleware lands (being written on its own branch).
import type { NextFunction, Request, Response } from 'express';

export const evidenceUpload =
  (_options: { maxBytes: number; maxFiles?: number }) => (_req: Request, _res: Response, next: NextFunction) =>
    next();
