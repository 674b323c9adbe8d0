import type { ReactNode } from "react";

/** The page's h1 (one per page) and the document title, which React 19 hoists into <head>. */
export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <title>{`${title} · Meshscope`}</title>
      <div>
        <h1 className="page-title" data-testid="page-title">
          {title}
        </h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
