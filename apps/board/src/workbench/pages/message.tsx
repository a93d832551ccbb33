// A page that only says something: an error, a refused form token, an unavailable service.
import type { WorkbenchContext } from '../context.js';
import { workbenchBase } from '../http/session.js';
import { WorkbenchLayout } from '../layout.js';

export const MessagePage = ({
  ctx,
  heading,
  text,
  back,
}: {
  ctx: WorkbenchContext;
  heading: string;
  text: string;
  back?: string;
}) => (
  <WorkbenchLayout ctx={ctx} title={heading}>
    <h1>{heading}</h1>
    <p role="alert">{text}</p>
    <p>
      <a href={back ?? workbenchBase}>{ctx.m.errors.back}</a>
    </p>
  </WorkbenchLayout>
);
