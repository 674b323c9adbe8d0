import { formatTimestampUs } from "../../format/time";
import { useShellState } from "../useShellState";
import { NamespaceControl } from "./NamespaceControl";
import { RefreshControl } from "./RefreshControl";
import { WindowControl } from "./WindowControl";

/** Which header controls a route shows (its `handle.shellControls`); pages without metrics show none. */
export interface ShellControls {
  window: boolean;
  namespaces: boolean;
}

/**
 * The bar above every metrics page: time window, refresh and namespaces, all kept in the URL (shell-url.ts).
 * While a past window is replayed, a banner says so and offers the way back to "now".
 */
export function ShellHeader({ controls }: { controls: ShellControls }) {
  const [shell, update] = useShellState();
  return (
    <div className="shell-header" data-testid="shell-header">
      {shell.endUs !== null && (
        <div className="replay-banner" role="status" data-testid="replay-banner">
          <span>
            Replaying the window ending <strong className="mono">{formatTimestampUs(shell.endUs).slice(0, 19)}</strong>
          </span>
          <button type="button" className="link-button" onClick={() => update({ endUs: null })}>
            Back to now
          </button>
        </div>
      )}
      <div className="shell-controls">
        {controls.namespaces && <NamespaceControl shell={shell} onChange={update} />}
        {controls.window && <WindowControl shell={shell} onChange={update} />}
        {controls.window && <RefreshControl shell={shell} onChange={update} />}
      </div>
    </div>
  );
}
