import { type ReactNode, useId } from "react";

/** A titled card: the unit pages are built from. The title labels the region for assistive technology. */
export function Panel({
  title,
  actions,
  children,
  testId,
  className,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  className?: string;
}) {
  const headingId = useId();
  return (
    <section className={className ? `panel ${className}` : "panel"} aria-labelledby={headingId} data-testid={testId}>
      <header className="panel-header">
        <h2 id={headingId} className="panel-title">
          {title}
        </h2>
        {actions && <div className="panel-actions">{actions}</div>}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
